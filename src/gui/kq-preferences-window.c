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

  /* Site, updates, cache */
  KqLibrary            *library;           /* probes the addresses typed */
  GCancellable         *probe_cancellable;
  AdwPreferencesGroup  *site_group;
  AdwEntryRow          *site_row;
  GtkSpinner           *site_spinner;
  GtkSpinButton        *refresh_spin;
  GtkSwitch            *notifications_switch;
  GtkSwitch            *images_switch;
  GtkSwitch            *background_switch;
  GtkSwitch            *login_switch;
  GtkSpinButton        *cache_spin;
  GtkWidget            *clear_cache_button;
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
set_site_message (KqPreferencesWindow *self,
                  const char          *message,
                  gboolean             is_error)
{
  adw_preferences_group_set_description (self->site_group, message);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->site_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->site_row), "error");
}

static void
on_probe_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KqPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gboolean is_feed = FALSE;

  url = kq_library_probe_source_finish (KQ_LIBRARY (object), result, &is_feed, &error);
  if (url == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_set_visible (GTK_WIDGET (self->site_spinner), FALSE);
      gtk_spinner_stop (self->site_spinner);
      {
        g_autofree char *message = g_strdup_printf (_("This address cannot be read: %s"),
                                                    error->message);
        set_site_message (self, message, TRUE);
      }
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->site_spinner), FALSE);
  gtk_spinner_stop (self->site_spinner);
  gtk_editable_set_text (GTK_EDITABLE (self->site_row), url);
  set_site_message (self, is_feed
                          ? _("A feed: its articles will be listed")
                          : _("A WordPress site: its categories and articles will be listed"),
                    FALSE);
  g_settings_set_string (self->settings, "source-url", url);
}

static void
on_site_apply_cb (KqPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->site_row))));

  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);

  if (*url == '\0')
    {
      g_settings_reset (self->settings, "source-url");
      set_site_message (self, _("The default site will be read"), FALSE);
      return;
    }
  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    {
      g_autofree char *with_scheme = g_strconcat ("https://", url, NULL);

      g_free (url);
      url = g_steal_pointer (&with_scheme);
    }

  /* Probe the address before adopting it. */
  self->probe_cancellable = g_cancellable_new ();
  set_site_message (self, _("Checking the address…"), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->site_spinner), TRUE);
  gtk_spinner_start (self->site_spinner);
  kq_library_probe_source_async (self->library, url, self->probe_cancellable, on_probe_cb,
                                 g_object_ref (self));
}

static void
on_clear_cache_cb (KqPreferencesWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL && gtk_widget_activate_action (GTK_WIDGET (parent), "win.clear-cache", NULL))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (_("Clearing the cache…")));
}

static void
kq_preferences_window_finalize (GObject *object)
{
  KqPreferencesWindow *self = KQ_PREFERENCES_WINDOW (object);

  g_clear_object (&self->probe_cancellable);
  g_clear_object (&self->library);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kq_preferences_window_parent_class)->finalize (object);
}

static void
kq_preferences_window_dispose (GObject *object)
{
  KqPreferencesWindow *self = KQ_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->probe_cancellable);
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
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, site_group);
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, site_row);
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, site_spinner);
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, refresh_spin);
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, images_switch);
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, cache_spin);
  gtk_widget_class_bind_template_child (widget_class, KqPreferencesWindow, clear_cache_button);
  gtk_widget_class_bind_template_callback (widget_class, on_site_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_cache_cb);
}

static void
kq_preferences_window_init (KqPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KqPreferencesWindow *
kq_preferences_window_new (GtkWindow *parent,
                           GSettings *settings,
                           KqLibrary *library)
{
  KqPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (KQ_IS_LIBRARY (library), NULL);

  self = g_object_new (KQ_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->settings = g_object_ref (settings);
  self->library = g_object_ref (library);

  g_settings_bind_with_mapping (self->settings, "style",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                style_get_mapping, style_set_mapping,
                                NULL, NULL);

  /* The site read now (it may come from --source or `kiosque URL`). */
  {
    g_autofree char *url = g_settings_get_string (self->settings, "source-url");
    const char *reading = kq_library_get_source_url (self->library);

    gtk_editable_set_text (GTK_EDITABLE (self->site_row),
                           reading != NULL && *reading ? reading : *url ? url : DEFAULT_SOURCE_URL);
  }
  /* Opened with the first row focused, not the address (its text selected,
   * one key away from being replaced). */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->style_row));
  g_settings_bind (self->settings, "refresh-interval",
                   gtk_spin_button_get_adjustment (self->refresh_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "load-images", self->images_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "start-at-login", self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "cache-max-articles",
                   gtk_spin_button_get_adjustment (self->cache_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  return self;
}
