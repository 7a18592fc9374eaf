/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-application"

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "kq-application.h"
#include "kq-autostart.h"
#include "kq-library.h"
#include "kq-preferences-window.h"
#include "kq-renderer.h"
#include "kq-thumbnail-loader.h"
#include "kq-url.h"
#include "kq-window.h"

/*
 * The application owns the library (kq-library.h) and gives it to its
 * windows. Without "run-in-background" the library goes with the last main
 * window, as the application does; with it, the application holds itself
 * and the library refreshes on its timer and notifies new articles while
 * no window is open.
 */

struct _KqApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *source_url;
  gboolean        offline;
  guint           trim_id;

  KqLibrary      *library;
  guint           n_closing;        /* libraries let go, still writing */
  gboolean        held;             /* running in the background */
};

G_DEFINE_FINAL_TYPE (KqApplication, kq_application, ADW_TYPE_APPLICATION)

/* How long quitting waits for the store's last writes. */
#define LIBRARY_CLOSE_TIMEOUT_MS 5000

enum {
  NOTIFICATION_SENT,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
apply_style (KqApplication *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *style = g_settings_get_string (self->settings, "style");
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (style, "light") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (style, "dark") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (manager, scheme);
}

static void
on_style_changed_cb (KqApplication *self,
                     const char    *key,
                     GSettings     *settings)
{
  apply_style (self);
}

/* Notifications */

/* How many titles a notification lists, newest first. */
#define NOTIFICATION_MAX_TITLES 3

static gboolean
has_active_window (KqApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (KQ_IS_WINDOW (l->data) && gtk_window_is_active (l->data))
      return TRUE;

  return FALSE;
}

static void
on_new_articles_cb (KqApplication *self,
                    const char    *source_title,
                    GPtrArray     *articles,
                    KqLibrary     *library)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;

  if (articles->len == 0 || has_active_window (self) ||
      !g_settings_get_boolean (self->settings, "notifications"))
    return;

  /* Translators: "3 new articles on KultureGeek" */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new article on %s",
                                        "%u new articles on %s", articles->len),
                           articles->len, source_title);
  for (guint i = 0; i < articles->len && i < NOTIFICATION_MAX_TITLES; i++)
    {
      if (i > 0)
        g_string_append_c (body, '\n');
      g_string_append (body, kq_article_get_title (g_ptr_array_index (articles, i)));
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  g_notification_set_default_action_and_target (notification, "app.show-article", "x",
                                                kq_article_get_id (g_ptr_array_index (articles, 0)));
  kq_application_send_notification (self, "new-articles", notification);
}

/* The library */

static gboolean
refresh_minutes_to_seconds (GValue   *value,
                            GVariant *variant,
                            gpointer  user_data)
{
  g_value_set_uint (value, g_variant_get_uint32 (variant) * 60);
  return TRUE;
}

static void
on_source_url_changed_cb (KqApplication *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "source-url");

  /* `--source` wins for this run. */
  if (self->library != NULL && self->source_url == NULL)
    kq_library_set_source_url (self->library, url);
}

static KqLibrary *
ensure_library (KqApplication *self)
{
  g_autofree char *setting = NULL;
  const char *url = self->source_url;

  if (self->library != NULL)
    return self->library;

  setting = g_settings_get_string (self->settings, "source-url");
  if (url == NULL && setting != NULL && *setting != '\0')
    url = setting;

  self->library = kq_library_new (url, NULL, self->offline);
  /* build-aux/run --demo and the end-to-end tests serve YouTube's posters
   * from their own site, so that they never reach the internet. */
  kq_library_set_youtube_posters (self->library, g_getenv ("KIOSQUE_YOUTUBE_POSTERS"));
  g_settings_bind_with_mapping (self->settings, "refresh-interval", self->library,
                                "refresh-interval", G_SETTINGS_BIND_GET,
                                refresh_minutes_to_seconds, NULL, NULL, NULL);
  g_settings_bind (self->settings, "cache-max-articles", self->library, "cache-max-articles",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->library, "new-articles", G_CALLBACK (on_new_articles_cb), self,
                           G_CONNECT_SWAPPED);
  g_debug ("Library for %s", kq_library_get_source_url (self->library));

  return self->library;
}

static void
on_library_closed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KqApplication) self = user_data;

  kq_library_close_finish (KQ_LIBRARY (object), result, NULL);
  g_object_unref (object);
  self->n_closing--;
  g_debug ("Library closed");
}

/* The library's last writes, then it goes. */
static void
release_library (KqApplication *self)
{
  KqLibrary *library = g_steal_pointer (&self->library);

  if (library == NULL)
    return;

  g_settings_unbind (library, "refresh-interval");
  g_settings_unbind (library, "cache-max-articles");
  g_signal_handlers_disconnect_by_data (library, self);
  self->n_closing++;
  kq_library_close_async (library, on_library_closed_cb, g_object_ref (self));
}

static guint
count_main_windows (KqApplication *self)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (KQ_IS_WINDOW (l->data))
      n++;

  return n;
}

static void
on_window_removed_cb (KqApplication *self,
                      GtkWindow     *window)
{
  if (!KQ_IS_WINDOW (window) || count_main_windows (self) > 0)
    return;

  /* The last main window gone: the library goes too, unless in the
   * background; then what only a window shows goes (decoded images,
   * thumbnails) and the heap gives its free pages back. */
  if (!self->held)
    release_library (self);
  else
    {
      kq_thumbnail_loader_clear ();
      if (self->library != NULL)
        kq_image_loader_clear_memory (kq_library_get_image_loader (self->library));
      kq_application_release_memory (self);
    }
}

static void
on_autostart_set_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kq_autostart_set_finish (result, &error))
    g_warning ("Could not change starting at login: %s", error->message);
}

/* Starting at login means starting in the background. */
static void
update_autostart (KqApplication *self)
{
  kq_autostart_set_async (g_settings_get_boolean (self->settings, "run-in-background") &&
                          g_settings_get_boolean (self->settings, "start-at-login"),
                          NULL, on_autostart_set_cb, NULL);
}

static void
update_background (KqApplication *self)
{
  gboolean background = g_settings_get_boolean (self->settings, "run-in-background");

  if (background == self->held)
    return;

  self->held = background;
  if (background)
    {
      g_debug ("Running in the background");
      ensure_library (self);
      g_application_hold (G_APPLICATION (self));
    }
  else
    {
      g_debug ("No longer running in the background");
      if (count_main_windows (self) == 0)
        release_library (self);
      g_application_release (G_APPLICATION (self));
    }
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  KqApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close the windows so they save their state, then quit. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  KqApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { _("The Kiosque developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Kiosque"),
                        "developer-name", _("The Kiosque developers"),
                        "version", PACKAGE_VERSION,
                        "website", WEBSITE_URL,
                        "issue-url", WEBSITE_URL "/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Kiosque developers",
                        "developers", developers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        "comments", _("Read French tech news natively, online and offline"),
                        NULL);
  {
    g_autofree char *renderer = kq_renderer_describe ();
    g_autofree char *debug_info = g_strdup_printf ("Kiosque %s\nGTK %u.%u.%u, libadwaita %u.%u.%u\n"
                                                   "Renderer: %s\n",
                                                   PACKAGE_VERSION, gtk_get_major_version (),
                                                   gtk_get_minor_version (),
                                                   gtk_get_micro_version (),
                                                   adw_get_major_version (),
                                                   adw_get_minor_version (),
                                                   adw_get_micro_version (), renderer);

    adw_about_window_set_debug_info (ADW_ABOUT_WINDOW (about), debug_info);
  }
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  KqApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  KqPreferencesWindow *prefs = kq_preferences_window_new (parent, self->settings,
                                                          ensure_library (self));

  gtk_window_present (GTK_WINDOW (prefs));
}

static void
show_article_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  KqApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* From a notification: bring the window up with that article open. */
  if (window == NULL)
    window = GTK_WINDOW (kq_window_new (self));
  gtk_window_present (window);
  kq_window_show_article (KQ_WINDOW (window), g_variant_get_int64 (parameter));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "show-article", show_article_action, "x" },
};

static int
kq_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  KqApplication *self = KQ_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  const char *source = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_autofree char *renderer = kq_renderer_describe ();

      /* The renderer too, for bug reports: what main() chose. */
      g_print ("%s %s\nRenderer: %s\n", "kiosque", PACKAGE_VERSION, renderer);
      return 0;
    }
  if (g_variant_dict_contains (options, "offline"))
    self->offline = TRUE;
  if (!g_variant_dict_lookup (options, "source", "&s", &source))
    return -1;  /* the default handling: register, activate or open */

  /* Kiosque already running: it reads that site, as `kiosque URL` asks. */
  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (g_application_get_is_remote (app))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (source);

      g_application_open (app, &file, 1, "");
      return 0;
    }

  kq_application_set_source_url (self, source);
  return -1;
}

/* `kiosque URL` (the desktop file's %U), here or from another launch: read
 * that site or feed. */
static void
kq_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  KqApplication *self = KQ_APPLICATION (app);
  g_autofree char *uri = n_files > 0 ? g_file_get_uri (files[0]) : NULL;

  if (uri != NULL && kq_url_is_http (uri))
    kq_application_set_source_url (self, uri);
  else if (uri != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Kiosque reads web addresses (http or https), not “%s”."), uri);

      g_printerr ("%s\n", message);
    }

  g_application_activate (app);
}

static void
kq_application_activate (GApplication *app)
{
  KqApplication *self = KQ_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (kq_window_new (self));

  gtk_window_present (window);
}

static void
kq_application_startup (GApplication *app)
{
  KqApplication *self = KQ_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (kq_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);

  g_signal_connect_object (self->settings, "changed::style",
                           G_CALLBACK (on_style_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::source-url",
                           G_CALLBACK (on_source_url_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (update_background), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (update_autostart), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::start-at-login",
                           G_CALLBACK (update_autostart), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "window-removed", G_CALLBACK (on_window_removed_cb), NULL);
  apply_style (self);
  update_background (self);
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_closed (gpointer data)
{
  return ((KqApplication *) data)->n_closing == 0;
}

static void
kq_application_shutdown (GApplication *app)
{
  KqApplication *self = KQ_APPLICATION (app);
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_clear_handle_id (&self->trim_id, g_source_remove);

  /* A bookmark saved just before quitting is written before the process
   * ends; bounded, so that a store that hangs cannot keep it alive. */
  release_library (self);
  timeout_id = g_timeout_add (LIBRARY_CLOSE_TIMEOUT_MS, set_true_cb, &timed_out);
  while (!is_closed (self) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  else
    g_warning ("The cache did not finish writing in time");

  G_APPLICATION_CLASS (kq_application_parent_class)->shutdown (app);
}

static void
kq_application_finalize (GObject *object)
{
  KqApplication *self = KQ_APPLICATION (object);

  g_clear_handle_id (&self->trim_id, g_source_remove);
  g_clear_object (&self->library);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->source_url, g_free);

  G_OBJECT_CLASS (kq_application_parent_class)->finalize (object);
}

static void
kq_application_class_init (KqApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kq_application_finalize;

  /**
   * KqApplication::notification-sent:
   * @id: the notification's id
   * @notification: what was sent
   *
   * Emitted after kq_application_send_notification() handed a notification
   * to the desktop (tests watch it).
   */
  signals[NOTIFICATION_SENT] =
    g_signal_new ("notification-sent",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_NOTIFICATION);

  app_class->activate = kq_application_activate;
  app_class->startup = kq_application_startup;
  app_class->shutdown = kq_application_shutdown;
  app_class->handle_local_options = kq_application_handle_local_options;
  app_class->open = kq_application_open;
}

static void
kq_application_init (KqApplication *self)
{
  static const GOptionEntry options[] = {
    { "source", 's', 0, G_OPTION_ARG_STRING, NULL,
      N_("Read another WordPress site or feed"), N_("URL") },
    { "offline", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Use only the saved articles, without network"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  self->settings = g_settings_new (APP_ID);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

KqApplication *
kq_application_new (void)
{
  return g_object_new (KQ_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PATH,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

/**
 * kq_application_get_settings:
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
kq_application_get_settings (KqApplication *self)
{
  g_return_val_if_fail (KQ_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * kq_application_get_source_url:
 *
 * Returns: (nullable): the site given with `--source`, or %NULL
 */
const char *
kq_application_get_source_url (KqApplication *self)
{
  g_return_val_if_fail (KQ_IS_APPLICATION (self), NULL);

  return self->source_url;
}

void
kq_application_set_source_url (KqApplication *self,
                               const char    *url)
{
  g_return_if_fail (KQ_IS_APPLICATION (self));

  g_free (self->source_url);
  self->source_url = url != NULL && *url != '\0' ? g_strdup (url) : NULL;
  if (self->library != NULL && self->source_url != NULL)
    kq_library_set_source_url (self->library, self->source_url);
}

/**
 * kq_application_get_library:
 *
 * Returns: (transfer none): the library the windows show, made on first use
 */
KqLibrary *
kq_application_get_library (KqApplication *self)
{
  g_return_val_if_fail (KQ_IS_APPLICATION (self), NULL);

  return ensure_library (self);
}

/* Whether a library let go (the last window closed) is still writing. */
gboolean
kq_application_get_closing (KqApplication *self)
{
  g_return_val_if_fail (KQ_IS_APPLICATION (self), FALSE);

  return !is_closed (self);
}

/* Sends @notification to the desktop and emits "notification-sent". */
void
kq_application_send_notification (KqApplication *self,
                                  const char    *id,
                                  GNotification *notification)
{
  g_return_if_fail (KQ_IS_APPLICATION (self));
  g_return_if_fail (G_IS_NOTIFICATION (notification));

  g_application_send_notification (G_APPLICATION (self), id, notification);
  g_signal_emit (self, signals[NOTIFICATION_SENT], 0, id, notification);
}

gboolean
kq_application_get_offline (KqApplication *self)
{
  g_return_val_if_fail (KQ_IS_APPLICATION (self), FALSE);

  return self->offline;
}

void
kq_application_set_offline (KqApplication *self,
                            gboolean       offline)
{
  g_return_if_fail (KQ_IS_APPLICATION (self));

  self->offline = !!offline;
}

static gboolean
trim_cb (gpointer data)
{
  KqApplication *self = data;

  self->trim_id = 0;
#ifdef __GLIBC__
  /* Worker threads (store, parsers, image decoding) free what they built in
   * their own malloc arenas; glibc keeps those free pages until asked. At
   * 200 rows that is about 10 MiB of the heap. */
  malloc_trim (0);
#endif

  return G_SOURCE_REMOVE;
}

/**
 * kq_application_release_memory:
 *
 * Hands the heap's free pages back to the system a second after the last
 * call (once a burst of loading is over). Cheap to call often.
 */
void
kq_application_release_memory (KqApplication *self)
{
  g_return_if_fail (KQ_IS_APPLICATION (self));

  g_clear_handle_id (&self->trim_id, g_source_remove);
  self->trim_id = g_timeout_add_full (G_PRIORITY_LOW, 1000, trim_cb, self, NULL);
}
