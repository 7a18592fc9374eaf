/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-preferences-window.h"

struct _KqPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *style_row;
};

G_DEFINE_FINAL_TYPE (KqPreferencesWindow, kq_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Row positions in the style combo, in the order of the .ui file. */
static const char * const style_ids[] = { "system", "light", "dark" };

static gboolean
style_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const char *style = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (style_ids); i++)
    {
      if (g_strcmp0 (style, style_ids[i]) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
style_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (style_ids))
    position = 0;

  return g_variant_new_string (style_ids[position]);
}

static void
kq_preferences_window_finalize (GObject *object)
{
  KqPreferencesWindow *self = KQ_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kq_preferences_window_parent_class)->finalize (object);
}

static void
kq_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KQ_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (kq_preferences_window_parent_class)->dispose (object);
}

static void
kq_preferences_window_class_init (KqPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kq_preferences_window_dispose;
  object_class->finalize = kq_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/kq-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, style_row);
}

static void
kq_preferences_window_init (KqPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KqPreferencesWindow *
kq_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  KqPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (KQ_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind_with_mapping (self->settings, "style",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                style_get_mapping, style_set_mapping,
                                NULL, NULL);

  return self;
}
