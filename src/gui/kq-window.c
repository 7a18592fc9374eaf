/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-window.h"

struct _KqWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_pane;
  GtkWidget            *list_pane;
  GtkWidget            *article_pane;
  GtkStack             *sidebar_stack;
  GtkStack             *list_stack;
  GtkStack             *article_stack;
  GtkWidget            *article_back_button;
  GtkWidget            *list_back_button;
};

G_DEFINE_FINAL_TYPE (KqWindow, kq_window, ADW_TYPE_APPLICATION_WINDOW)

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
kq_window_constructed (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  G_OBJECT_CLASS (kq_window_parent_class)->constructed (object);

  /* Restore the size before the window is mapped, then follow it. */
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

static void
kq_window_dispose (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KQ_TYPE_WINDOW);

  G_OBJECT_CLASS (kq_window_parent_class)->dispose (object);
}

static void
kq_window_finalize (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kq_window_parent_class)->finalize (object);
}

static void
kq_window_class_init (KqWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kq_window_constructed;
  object_class->dispose = kq_window_dispose;
  object_class->finalize = kq_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/kq-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KqWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_pane);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_stack);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_back_button);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_back_button);

  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
}

static void
kq_window_init (KqWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

KqWindow *
kq_window_new (KqApplication *application)
{
  return g_object_new (KQ_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
