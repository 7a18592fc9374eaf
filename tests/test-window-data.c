/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kq-application.h"
#include "kq-article-list.h"
#include "kq-preferences-window.h"
#include "kq-sidebar.h"
#include "kq-test-server.h"
#include "kq-test-ui.h"
#include "kq-test-window.h"
#include "kq-window-private.h"

/*
 * What the main window keeps and exchanges against the test site: HTTP
 * validators across a restart, bookmarks exported and imported through the
 * window's own code path, and the site address probe of the preferences.
 */

static KqApplication *app;
static KqTestServer *server;

#define PAGE_1 "/wp-json/wp/v2/posts?_embed=1&per_page=20&page=1"

static KqWindow *
open_window (const char *last_category)
{
  KqWindow *window;

  g_settings_set_string (kq_application_get_settings (app), "last-category", last_category);
  window = kq_test_window_open (app, kq_test_server_get_url (server));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_has_articles_idle, window, 8000));

  return window;
}

static void
collect_labels (GtkWidget *root,
                GPtrArray *found)
{
  for (GtkWidget *widget = gtk_widget_get_first_child (root);
       widget != NULL;
       widget = gtk_widget_get_next_sibling (widget))
    {
      if (GTK_IS_LABEL (widget))
        g_ptr_array_add (found, widget);
      collect_labels (widget, found);
    }
}

typedef struct
{
  gpointer    root;
  const char *text;
} LabelWait;

static gboolean
shows_label (gpointer data)
{
  LabelWait *wait = data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (GTK_WIDGET (wait->root), labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), wait->text) == 0)
      return TRUE;

  return FALSE;
}

/* HTTP validators across a restart */

static void
test_validators_survive_restart (void)
{
  KqWindow *window = open_window ("all");
  KqArticleList *list;
  guint n, requests, not_modified;

  /* The first start: page 1 is new to us, answered in full. */
  g_assert_cmpuint (kq_test_server_get_not_modified_count (server, PAGE_1), ==, 0);
  g_assert_cmpuint (kq_test_server_get_request_count (server, PAGE_1), ==, 1);
  n = kq_test_window_n_items (window);
  kq_test_ui_iterate (200);
  kq_test_window_close (window);

  /* A restart: a new KqHttp and a new store on the same files. The very
   * first request for the list is conditional and the site says 304. */
  requests = kq_test_server_get_request_count (server, PAGE_1);
  not_modified = kq_test_server_get_not_modified_count (server, PAGE_1);
  window = open_window ("all");
  g_assert_cmpuint (kq_test_server_get_request_count (server, PAGE_1), ==, requests + 1);
  g_assert_cmpuint (kq_test_server_get_not_modified_count (server, PAGE_1), ==, not_modified + 1);

  /* The list still shows, and still pages on. */
  list = kq_test_window_child (window, "article_list");
  g_assert_cmpuint (kq_test_window_n_items (window), ==, n);
  g_assert_cmpint (kq_article_list_get_more (list), ==, KQ_ARTICLE_LIST_MORE_AVAILABLE);
  kq_test_window_close (window);
}

/* A category of exactly one full page (20 articles in "Matériel") behind a
 * cache whose 304s carry no X-WP-TotalPages: after a restart the list must
 * still know it holds the last page, from the headers kept with the
 * validator, not guess that a next one may exist (a full page would). */
static void
test_validators_keep_page_count (void)
{
  KqWindow *window = open_window ("category:14");
  KqArticleList *list = kq_test_window_child (window, "article_list");
  guint not_modified;

  kq_test_server_add_fault (server, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_BARE_NOT_MODIFIED, 0,
                            0);
  g_assert_cmpuint (kq_test_window_n_items (window), ==, 20);
  g_assert_cmpint (kq_article_list_get_more (list), ==, KQ_ARTICLE_LIST_MORE_NONE);
  kq_test_ui_iterate (200);
  kq_test_window_close (window);

  not_modified = kq_test_server_get_not_modified_count (server, "/wp-json/wp/v2/posts");
  window = open_window ("category:14");
  list = kq_test_window_child (window, "article_list");
  g_assert_cmpuint (kq_test_server_get_not_modified_count (server, "/wp-json/wp/v2/posts"), ==,
                    not_modified + 1);
  g_assert_cmpuint (kq_test_window_n_items (window), ==, 20);
  g_assert_cmpint (kq_article_list_get_more (list), ==, KQ_ARTICLE_LIST_MORE_NONE);
  kq_test_window_close (window);
  kq_test_server_clear_faults (server);
}

/* Bookmarks: export, then import, through what the file choosers call */

typedef struct
{
  KqWindow *window;
  int       count;
} CountWait;

static gboolean
bookmark_count_is (gpointer data)
{
  CountWait *wait = data;

  return kq_sidebar_get_unread_count (kq_test_window_child (wait->window, "sidebar"),
                                      KQ_SIDEBAR_BOOKMARKS, 0) ==
         wait->count;
}

static void
test_bookmarks_export_import (void)
{
  KqWindow *window = open_window ("all");
  KqArticleList *list = kq_test_window_child (window, "article_list");
  g_autofree char *dir = g_dir_make_tmp ("kiosque-export-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (dir, "favoris.json", NULL);
  g_autofree char *html_path = g_build_filename (dir, "favoris.html", NULL);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autoptr(GFile) html_file = g_file_new_for_path (html_path);
  g_autofree char *contents = NULL;
  g_autofree char *title_a = NULL;
  g_autofree char *title_b = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *imported = NULL;
  CountWait count = { window, 0 };
  LabelWait toast = { kq_test_window_child (window, "toast_overlay"), NULL };

  /* Two bookmarks (Ctrl+D on two articles). */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (kq_article_list_select_position (list, i));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-bookmark", NULL));
      g_assert_true (kq_article_get_bookmarked (kq_test_window_article_at (window, i)));
    }
  title_a = g_strdup (kq_article_get_title (kq_test_window_article_at (window, 0)));
  title_b = g_strdup (kq_article_get_title (kq_test_window_article_at (window, 1)));
  count.count = 2;
  g_assert_true (kq_test_ui_wait_for (bookmark_count_is, &count, 3000));

  /* Export: the file holds both, a toast says so. */
  exported = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d bookmark exported",
                                           "%d bookmarks exported", 2), 2);
  toast.text = exported;
  _kq_window_export_bookmarks (window, json_file, FALSE);
  g_assert_true (kq_test_ui_wait_for (shows_label, &toast, 5000));
  g_assert_true (g_file_get_contents (json_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, title_a));
  g_assert_nonnull (strstr (contents, title_b));
  g_clear_pointer (&contents, g_free);

  _kq_window_export_bookmarks (window, html_file, TRUE);
  kq_test_ui_iterate (300);
  g_assert_true (g_file_get_contents (html_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<DL>"));
  g_clear_pointer (&contents, g_free);

  /* Both removed... */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (kq_article_list_select_position (list, i));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-bookmark", NULL));
      g_assert_false (kq_article_get_bookmarked (kq_test_window_article_at (window, i)));
    }
  count.count = 0;
  g_assert_true (kq_test_ui_wait_for (bookmark_count_is, &count, 3000));

  /* ...and imported back: Favoris lists them again. */
  kq_sidebar_select (kq_test_window_child (window, "sidebar"), KQ_SIDEBAR_BOOKMARKS, 0);
  imported = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d bookmark imported",
                                           "%d bookmarks imported", 2), 2);
  toast.text = imported;
  _kq_window_import_bookmarks (window, json_file);
  g_assert_true (kq_test_ui_wait_for (shows_label, &toast, 5000));
  count.count = 2;
  g_assert_true (kq_test_ui_wait_for (bookmark_count_is, &count, 3000));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_has_articles_idle, window, 3000));
  g_assert_cmpuint (kq_test_window_n_items (window), ==, 2);
  g_assert_true (kq_article_get_bookmarked (kq_test_window_article_at (window, 0)));

  kq_test_window_close (window);
  g_unlink (json_path);
  g_unlink (html_path);
  g_rmdir (dir);
}

/* Preferences: the site address is probed before it is adopted */

typedef struct
{
  KqPreferencesWindow *prefs;
  const char          *text;
} ProbeWait;

static gboolean
says (gpointer data)
{
  ProbeWait *wait = data;
  AdwPreferencesGroup *group =
    ADW_PREFERENCES_GROUP (gtk_widget_get_template_child (GTK_WIDGET (wait->prefs),
                                                          KQ_TYPE_PREFERENCES_WINDOW, "site_group"));

  return g_str_has_prefix (adw_preferences_group_get_description (group), wait->text);
}

static void
test_preferences_site_probe (void)
{
  GSettings *settings = kq_application_get_settings (app);
  KqPreferencesWindow *prefs = NULL;
  GtkWidget *row;
  g_autofree char *prefix = NULL;
  g_autofree char *setting = NULL;
  ProbeWait wait = { NULL, NULL };

  /* The library probes; it reads the test site meanwhile, never the internet. */
  kq_application_set_source_url (app, kq_test_server_get_url (server));
  prefs = kq_preferences_window_new (NULL, settings, kq_application_get_library (app));
  wait.prefs = prefs;
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (prefs), KQ_TYPE_PREFERENCES_WINDOW,
                                                   "site_row"));
  gtk_window_present (GTK_WINDOW (prefs));
  g_settings_reset (settings, "source-url");

  /* It shows the site read now (here not the one of the settings). */
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_mapped, prefs, 5000));
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (row)),
                                   kq_test_server_get_url (server)));

  /* Nothing listens there: a clear message, the setting untouched. */
  prefix = g_strdup_printf (_("This address cannot be read: %s"), "");
  wait.text = prefix;
  gtk_editable_set_text (GTK_EDITABLE (row), "http://127.0.0.1:1");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (kq_test_ui_wait_for (says, &wait, 8000));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  setting = g_settings_get_string (settings, "source-url");
  g_assert_cmpstr (setting, ==, "");
  g_clear_pointer (&setting, g_free);

  /* The test site: a WordPress site, adopted. */
  wait.text = _("A WordPress site: its categories and articles will be listed");
  gtk_editable_set_text (GTK_EDITABLE (row), kq_test_server_get_url (server));
  g_signal_emit_by_name (row, "apply");
  g_assert_true (kq_test_ui_wait_for (says, &wait, 8000));
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  setting = g_settings_get_string (settings, "source-url");
  g_assert_cmpstr (setting, ==, kq_test_server_get_url (server));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "source-url");
}

/* `kiosque URL` (the desktop file's %U, or a second launch): the running
 * Kiosque reads that site; an address that is not on the web changes nothing. */

typedef struct
{
  KqTestServer *server;
  const char   *path;
} RequestWait;

static gboolean
was_asked (gpointer data)
{
  RequestWait *wait = data;

  return kq_test_server_get_request_count (wait->server, wait->path) > 0;
}

static void
test_open_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) other = kq_test_server_new (&error);
  KqWindow *window = open_window ("all");
  KqLibrary *library = kq_window_get_library (window);
  g_autoptr(GFile) local = g_file_new_for_path ("/etc/hostname");
  g_autoptr(GFile) site = NULL;
  RequestWait wait = { other, "/wp-json/wp/v2/posts" };

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (kq_library_get_source_url (library),
                                   kq_test_server_get_url (server)));

  /* Not a web address: the site read stays. */
  g_application_open (G_APPLICATION (app), &local, 1, "");
  g_assert_true (g_str_has_prefix (kq_library_get_source_url (library),
                                   kq_test_server_get_url (server)));

  /* Another site: read, in the window already open. */
  site = g_file_new_for_uri (kq_test_server_get_url (other));
  g_application_open (G_APPLICATION (app), &site, 1, "");
  g_assert_true (g_str_has_prefix (kq_library_get_source_url (library),
                                   kq_test_server_get_url (other)));
  g_assert_true (kq_test_ui_wait_for (was_asked, &wait, 8000));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_has_articles_idle, window, 8000));

  kq_test_window_close (window);
  kq_application_set_source_url (app, kq_test_server_get_url (server));
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

  g_test_add_func ("/kq/window-data/validators-survive-restart", test_validators_survive_restart);
  g_test_add_func ("/kq/window-data/validators-keep-page-count",
                   test_validators_keep_page_count);
  g_test_add_func ("/kq/window-data/bookmarks-export-import", test_bookmarks_export_import);
  g_test_add_func ("/kq/window-data/preferences-site-probe", test_preferences_site_probe);
  g_test_add_func ("/kq/window-data/open-url", test_open_url);

  ret = g_test_run ();
  g_clear_object (&app);
  g_clear_object (&server);
  return ret;
}
