/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-application.h"
#include "kq-article-view.h"
#include "kq-autostart.h"
#include "kq-test-desktop.h"
#include "kq-test-server.h"
#include "kq-test-ui.h"
#include "kq-test-window.h"
#include "kq-window.h"

/*
 * Kiosque outlives its window: with "run-in-background" on, closing the
 * window keeps the library; its timer finds the articles the site publishes
 * meanwhile and one notification says so (the tests' private session bus,
 * kq-test-desktop.c standing in for the desktop); clicking it opens a window
 * on the newest. Turning it off lets the library go; starting at login
 * writes and removes the autostart entry.
 */

static KqApplication *app;
static KqTestServer *server;

static gboolean
is_closed (gpointer data)
{
  return !kq_application_get_closing (data);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

typedef struct
{
  const char *title;
} ShownWait;

/* A main window shows the article with this title. */
static gboolean
shows_title (gpointer data)
{
  ShownWait *wait = data;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      KqArticleView *view;
      KqArticle *article;

      if (!KQ_IS_WINDOW (l->data))
        continue;
      view = kq_test_window_child (l->data, "article_view");
      article = kq_article_view_get_article (view);
      if (article != NULL && g_strcmp0 (kq_article_get_title (article), wait->title) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_refresh_and_notify_without_window (void)
{
  GSettings *settings = kq_application_get_settings (app);
  g_autoptr(KqTestDesktop) desktop = kq_test_desktop_new ();
  g_auto(GStrv) lines = NULL;
  KqLibrary *library;
  KqWindow *window;
  ShownWait shown = { NULL };

  /* The site has three articles to come; the reader runs Kiosque in the
   * background and closes the window once the list is read. */
  kq_test_server_set_unpublished (server, 3);
  g_settings_set_boolean (settings, "notifications", TRUE);
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  library = kq_application_get_library (app);
  window = kq_test_window_open (app, kq_test_server_get_url (server));
  g_assert_true (kq_window_get_library (window) == library);
  g_assert_true (kq_test_ui_wait_for (kq_test_window_has_articles_idle, window, 8000));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_gone, NULL, 5000));

  /* No window (freed, not only hidden), and the library lives on. */
  g_assert_true (kq_test_ui_wait_for (is_null, &window, 5000));
  g_assert_false (kq_application_get_closing (app));
  g_assert_true (kq_application_get_library (app) == library);

  /* The site publishes them; the next refresh on the timer finds them. */
  kq_test_server_set_unpublished (server, 0);
  kq_library_set_refresh_interval (library, 1);
  g_assert_true (kq_test_ui_wait_for (kq_test_desktop_has_shown, desktop, 10000));
  kq_library_set_refresh_interval (library, 0);
  g_assert_null (kq_test_ui_find_toplevel (KQ_TYPE_WINDOW));

  /* One notification: how many, on which site, the three titles. */
  g_assert_cmpuint (desktop->n_shown, ==, 1);
  g_assert_cmpstr (desktop->summary, ==, "3 new articles on Kiosque Tech");
  lines = g_strsplit (desktop->body, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) desktop->actions, "default"));

  /* Clicking it opens a window on the newest. */
  kq_test_desktop_click_last (desktop);
  shown.title = lines[0];
  g_assert_true (kq_test_ui_wait_for (shows_title, &shown, 8000));
  window = KQ_WINDOW (kq_test_ui_find_toplevel (KQ_TYPE_WINDOW));
  g_assert_true (kq_window_get_library (window) == library);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_gone, NULL, 5000));
  g_assert_true (kq_application_get_library (app) == library);
}

static void
test_background_off_lets_the_library_go (void)
{
  GSettings *settings = kq_application_get_settings (app);
  KqLibrary *library;

  g_settings_set_boolean (settings, "run-in-background", TRUE);
  library = kq_application_get_library (app);
  g_object_add_weak_pointer (G_OBJECT (library), (gpointer *) &library);

  /* No window: turning it off ends the library, after its last writes. */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_assert_true (kq_test_ui_wait_for (is_closed, app, 5000));
  g_assert_null (library);
}

static gboolean
autostart_exists (gpointer data)
{
  g_autofree char *path = kq_autostart_get_path ();

  return g_file_test (path, G_FILE_TEST_EXISTS) == GPOINTER_TO_INT (data);
}

static void
test_start_at_login (void)
{
  GSettings *settings = kq_application_get_settings (app);
  g_autofree char *path = kq_autostart_get_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *exec = NULL;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* On: an entry that starts the service, without a window. */
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (kq_test_ui_wait_for (autostart_exists, GINT_TO_POINTER (TRUE), 5000));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_key_file_load_from_data (entry, contents, -1, G_KEY_FILE_NONE, NULL));
  exec = g_key_file_get_string (entry, "Desktop Entry", "Exec", NULL);
  g_assert_nonnull (exec);
  g_assert_true (g_str_has_suffix (exec, " --gapplication-service"));

  /* Not in the background any more: not at login either. */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_assert_true (kq_test_ui_wait_for (autostart_exists, GINT_TO_POINTER (FALSE), 5000));

  /* Back on with it still asked for: written again; off: removed. */
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  g_assert_true (kq_test_ui_wait_for (autostart_exists, GINT_TO_POINTER (TRUE), 5000));
  g_settings_set_boolean (settings, "start-at-login", FALSE);
  g_assert_true (kq_test_ui_wait_for (autostart_exists, GINT_TO_POINTER (FALSE), 5000));
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_assert_true (kq_test_ui_wait_for (is_closed, app, 5000));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  kq_test_ui_init (&argc, &argv);

  server = kq_test_server_new (&error);
  g_assert_no_error (error);

  app = kq_test_window_new_application ();
  kq_application_set_source_url (app, kq_test_server_get_url (server));

  g_test_add_func ("/kq/background/refresh-and-notify-without-window",
                   test_refresh_and_notify_without_window);
  g_test_add_func ("/kq/background/off-lets-the-library-go",
                   test_background_off_lets_the_library_go);
  g_test_add_func ("/kq/background/start-at-login", test_start_at_login);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_object (&server);

  return ret;
}
