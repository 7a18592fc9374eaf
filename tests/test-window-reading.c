/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "kq-application.h"
#include "kq-article-list.h"
#include "kq-article-model.h"
#include "kq-article-row.h"
#include "kq-article-view.h"
#include "kq-image.h"
#include "kq-image-loader.h"
#include "kq-library.h"
#include "kq-sidebar.h"
#include "kq-thumbnail-loader.h"
#include "kq-window.h"
#include "kq-test-desktop.h"
#include "kq-test-png.h"
#include "kq-test-server.h"
#include "kq-test-ui.h"
#include "kq-test-window.h"

/*
 * Reading in the main window against the test site: unread counts in the
 * sidebar, mark all as read, the refresh toast and the new-articles
 * notification, links to other articles of the site, and the "never load
 * images" preference in the article view.
 */

static KqApplication *app;
static KqTestServer *server;

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The list's rows carry no body: the one the library gives for the article
 * (from the cache; NULL when it has none). */
static char *
body_at (KqWindow *window,
         guint     position)
{
  KqArticle *article = kq_test_window_article_at (window, position);
  KqLibrary *library = kq_window_get_library (window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KqArticle) full = NULL;

  g_assert_null (kq_article_get_body_html (article));
  kq_library_find_article_async (library, kq_article_get_id (article), NULL, on_result_cb,
                                 &result);
  g_assert_true (kq_test_ui_wait_for (has_result, &result, 5000));
  full = kq_library_find_article_finish (library, result, NULL);

  return full ? g_strdup (kq_article_get_body_html (full)) : NULL;
}

static guint
n_unread_items (KqWindow *window)
{
  guint n = kq_test_window_n_items (window);
  guint unread = 0;

  for (guint i = 0; i < n; i++)
    if (!kq_article_get_read (kq_test_window_article_at (window, i)))
      unread++;

  return unread;
}

static KqWindow *open_window (void);

static gboolean
is_refilled (gpointer window)
{
  return kq_test_window_has_articles_idle (window);
}

/* A window on a site whose @n_newest articles are not published yet, with
 * a cache that never saw them (emptied, then filled again from the site),
 * started again so that no toast of that first window is left. */
static KqWindow *
open_window_before_publishing (guint n_newest)
{
  KqWindow *window;

  kq_test_server_set_unpublished (server, n_newest);
  window = open_window ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-cache", NULL));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_loading, window, 5000));
  g_assert_true (kq_test_ui_wait_for (is_refilled, window, 8000));
  kq_test_window_close (window);

  return open_window ();
}

static KqWindow *
open_window (void)
{
  KqWindow *window;

  g_settings_set_string (kq_application_get_settings (app), "last-category", "all");
  g_settings_set_int64 (kq_application_get_settings (app), "last-article", 0);
  window = kq_test_window_open (app, kq_test_server_get_url (server));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_has_articles_idle, window, 8000));

  return window;
}

/* Every descendant of @root of @type, depth first. */
static void
collect_children (GtkWidget *root,
                  GType      type,
                  GPtrArray *found)
{
  for (GtkWidget *widget = gtk_widget_get_first_child (root);
       widget != NULL;
       widget = gtk_widget_get_next_sibling (widget))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
        g_ptr_array_add (found, widget);
      collect_children (widget, type, found);
    }
}

static GPtrArray *
find_all (gpointer root,
          GType    type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_children (GTK_WIDGET (root), type, found);
  return found;
}

/* Unread counts and "mark all as read" */

typedef struct
{
  KqWindow *window;
  int       count;
} UnreadWait;

static gboolean
all_count_is (gpointer data)
{
  UnreadWait *wait = data;

  return kq_sidebar_get_unread_count (kq_test_window_child (wait->window, "sidebar"),
                                      KQ_SIDEBAR_ALL, 0) ==
         wait->count;
}

static guint
n_rows_marked_unread (KqWindow *window)
{
  g_autoptr(GPtrArray) rows = find_all (kq_test_window_child (window, "article_list"),
                                        KQ_TYPE_ARTICLE_ROW);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (rows, i)) &&
        gtk_widget_has_css_class (g_ptr_array_index (rows, i), "unread"))
      n++;

  return n;
}

static void
test_unread_counts_and_mark_all_read (void)
{
  KqWindow *window = open_window ();
  KqSidebar *sidebar = kq_test_window_child (window, "sidebar");
  UnreadWait wait = { window, 0 };
  guint unread;

  /* A fresh cache: everything listed is unread, and "À la une" says how many. */
  unread = n_unread_items (window);
  g_assert_cmpuint (unread, >, 0);
  g_assert_cmpuint (unread, ==, kq_test_window_n_items (window));
  wait.count = (int) unread;
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));
  g_assert_cmpuint (n_rows_marked_unread (window), >, 0);

  /* Reading one takes one off. */
  g_assert_true (kq_article_list_select_position (kq_test_window_child (window, "article_list"),
                                                  0));
  g_assert_true (kq_article_get_read (kq_test_window_article_at (window, 0)));
  wait.count = (int) unread - 1;
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));

  /* Mark all as read: no row keeps its mark, every count goes to zero. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-all-read", NULL));
  g_assert_cmpuint (n_unread_items (window), ==, 0);
  kq_test_ui_iterate (50);
  g_assert_cmpuint (n_rows_marked_unread (window), ==, 0);
  wait.count = 0;
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));
  for (guint i = 0; i < 4; i++)
    {
      GArray *ids = kq_article_get_category_ids (kq_test_window_article_at (window, i));
      gint64 id;

      g_assert_true (ids != NULL && ids->len > 0);
      id = g_array_index (ids, gint64, 0);

      g_assert_cmpint (kq_sidebar_get_unread_count (sidebar, KQ_SIDEBAR_CATEGORY, id), ==, 0);
    }
  kq_test_window_close (window);

  /* Kept: after a restart the articles are still read. */
  window = open_window ();
  wait.window = window;
  g_assert_cmpuint (n_unread_items (window), ==, 0);
  kq_test_ui_iterate (600);
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));
  kq_test_window_close (window);
}

/* Read state from the keyboard: n and p go to the next and previous unread
 * article, Shift+U marks the one shown unread (and read again). */
static void
test_next_unread_and_mark_unread (void)
{
  KqWindow *window = open_window ();
  KqArticleList *list = kq_test_window_child (window, "article_list");
  KqLibrary *library = kq_window_get_library (window);
  UnreadWait wait = { window, 0 };
  KqArticle *third, *sixth;

  g_assert_cmpuint (kq_test_window_n_items (window), >, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-all-read", NULL));
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));
  third = kq_test_window_article_at (window, 3);
  sixth = kq_test_window_article_at (window, 6);
  kq_library_set_read (library, third, FALSE);
  kq_library_set_read (library, sixth, FALSE);
  wait.count = 2;
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));

  /* n: from the first row to the next unread, opened (so read). */
  g_assert_true (kq_article_list_select_position (list, 0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-unread", NULL));
  g_assert_true (kq_article_list_get_selected (list) == third);
  g_assert_true (kq_article_get_read (third));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-unread", NULL));
  g_assert_true (kq_article_list_get_selected (list) == sixth);
  wait.count = 0;
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));
  /* None left: the selection stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-unread", NULL));
  g_assert_true (kq_article_list_get_selected (list) == sixth);

  /* Shift+U: the article shown is unread again, and counted. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-read", NULL));
  g_assert_false (kq_article_get_read (sixth));
  wait.count = 1;
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));

  /* p: from further down back to it. */
  g_assert_true (kq_article_list_select_position (list, 10));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-unread", NULL));
  g_assert_true (kq_article_list_get_selected (list) == sixth);

  /* Opened, so read; Shift+U twice: unread, then read again. */
  g_assert_true (kq_article_get_read (sixth));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-read", NULL));
  g_assert_false (kq_article_get_read (sixth));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-read", NULL));
  g_assert_true (kq_article_get_read (sixth));
  wait.count = 0;
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));

  kq_test_window_close (window);
}

/* Toasts */

static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return g_ptr_array_index (labels, i);

  return NULL;
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

  return find_label (wait->root, wait->text) != NULL;
}

static void
test_refresh_toast (void)
{
  KqWindow *window = open_window_before_publishing (3);
  g_autofree char *text = NULL;
  LabelWait wait = { NULL, NULL };
  KqArticle *kept;
  guint n;

  /* The site publishes three articles after the list was read. */
  n = kq_test_window_n_items (window);
  g_assert_cmpuint (n, >, 5);
  kept = g_object_ref (kq_test_window_article_at (window, 0));
  kq_test_server_set_unpublished (server, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new article", "%u new articles", 3), 3);
  wait.root = kq_test_window_child (window, "toast_overlay");
  wait.text = text;
  g_assert_true (kq_test_ui_wait_for (shows_label, &wait, 5000));
  g_assert_cmpstr (text, ==, "3 new articles");

  /* Merged in place: three more rows above, the same objects kept. */
  g_assert_cmpuint (kq_test_window_n_items (window), ==, n + 3);
  g_assert_true (kq_test_window_article_at (window, 3) == kept);
  g_object_unref (kept);

  kq_test_window_close (window);
}

/* The new-articles notification, shown by the test desktop (kq-test-desktop->c). */

typedef struct
{
  guint          n_sent;
  char          *id;
  GNotification *notification;
} Sent;

static void
on_notification_sent_cb (KqApplication *application,
                         const char    *id,
                         GNotification *notification,
                         Sent          *sent)
{
  sent->n_sent++;
  g_free (sent->id);
  sent->id = g_strdup (id);
  g_set_object (&sent->notification, notification);
}

static gboolean
is_not_refreshing (gpointer data)
{
  return !kq_library_get_refreshing (data);
}

static gboolean
is_inactive (gpointer data)
{
  return !gtk_window_is_active (GTK_WINDOW (data));
}

static gboolean
has_sent (gpointer data)
{
  return ((Sent *) data)->n_sent > 0;
}

typedef struct
{
  KqArticleView *view;
  gint64         id;
} ShowWait;

static gboolean
shows_article (gpointer data)
{
  ShowWait *wait = data;
  KqArticle *article = kq_article_view_get_article (wait->view);

  return article != NULL && kq_article_get_id (article) == wait->id;
}

/* The site publishes its next @n newest articles (kept back until now), and
 * the window refreshes. Returns the id of the newest. */
static gint64
publish_and_refresh (KqWindow *window,
                     guint     unpublished,
                     guint     n)
{
  gint64 newest;

  kq_test_server_set_unpublished (server, unpublished - n);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_loading, window, 5000));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_has_articles_idle, window, 5000));
  newest = kq_article_get_id (kq_test_window_article_at (window, 0));

  return newest;
}

static void
test_new_articles_notification (void)
{
  KqWindow *window = open_window_before_publishing (4);
  KqLibrary *library = kq_window_get_library (window);
  GtkWidget *other = gtk_window_new ();
  GSettings *settings = kq_application_get_settings (app);
  Sent sent = { 0, NULL, NULL };
  ShowWait show = { kq_test_window_child (window, "article_view"), 0 };
  gulong handler;

  g_autoptr(KqTestDesktop) desktop = kq_test_desktop_new ();

  handler = g_signal_connect (app, "notification-sent", G_CALLBACK (on_notification_sent_cb), &sent);

  /* Another window has the focus: Kiosque is in the background. */
  gtk_window_present (GTK_WINDOW (other));
  kq_test_ui_wait_for (is_inactive, window, 2000);
  if (gtk_window_is_active (GTK_WINDOW (window)))
    {
      g_test_skip ("The display gives the focus to no other window");
      goto out;
    }

  /* Notifications off: none. */
  g_settings_set_boolean (settings, "notifications", FALSE);
  publish_and_refresh (window, 4, 2);
  g_assert_true (kq_test_ui_wait_for (is_not_refreshing, library, 5000));
  g_assert_cmpuint (sent.n_sent, ==, 0);

  /* On: one, that says how many and opens the newest when clicked. */
  g_settings_set_boolean (settings, "notifications", TRUE);
  show.id = publish_and_refresh (window, 2, 2);
  g_assert_true (kq_test_ui_wait_for (has_sent, &sent, 5000));
  g_assert_cmpuint (sent.n_sent, ==, 1);
  g_assert_cmpstr (sent.id, ==, "new-articles");
  g_assert_true (G_IS_NOTIFICATION (sent.notification));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_has_articles_idle, window, 5000));

  /* What the desktop shows: how many, on which site, the titles newest
   * first, a default action. */
  g_assert_true (kq_test_ui_wait_for (kq_test_desktop_has_shown, desktop, 5000));
  g_assert_cmpuint (desktop->n_shown, ==, 1);
  g_assert_cmpstr (desktop->summary, ==, "2 new articles on Kiosque Tech");
  g_assert_nonnull (desktop->body);
  g_assert_true (g_str_has_prefix (desktop->body,
                                   kq_article_get_title (kq_test_window_article_at (window, 0))));
  g_assert_nonnull (strchr (desktop->body, '\n'));
  g_assert_true (g_strv_contains ((const char * const *) desktop->actions, "default"));

  /* Clicking it opens that article. */
  g_assert_false (shows_article (&show));
  kq_test_desktop_click_last (desktop);
  g_assert_true (kq_test_ui_wait_for (shows_article, &show, 5000));

out:
  kq_test_server_set_unpublished (server, 0);
  g_signal_handler_disconnect (app, handler);
  gtk_window_destroy (GTK_WINDOW (other));
  g_clear_object (&sent.notification);
  g_free (sent.id);
  kq_test_window_close (window);
}

/* Links to other articles of the site open inside Kiosque */

typedef struct
{
  guint  n;
  char  *uri;
} Launched;

static gboolean
record_launch_cb (KqArticleView *view,
                  const char    *uri,
                  gpointer       user_data)
{
  Launched *launched = user_data;

  launched->n++;
  g_free (launched->uri);
  launched->uri = g_strdup (uri);
  return TRUE;
}

static gboolean
has_launched (gpointer data)
{
  return ((Launched *) data)->n > 0;
}

typedef struct
{
  KqArticleView *view;
  const char    *link;
} LinkWait;

static gboolean
shows_link (gpointer data)
{
  LinkWait *wait = data;
  KqArticle *article = kq_article_view_get_article (wait->view);

  return article != NULL && g_strcmp0 (kq_article_get_link (article), wait->link) == 0 &&
         kq_article_get_body_html (article) != NULL;
}

static gboolean
is_listed (KqWindow   *window,
           const char *link)
{
  for (guint i = 0; i < kq_test_window_n_items (window); i++)
    if (g_strcmp0 (kq_article_get_link (kq_test_window_article_at (window, i)), link) == 0)
      return TRUE;

  return FALSE;
}

/* A listed article whose body links to another article of the test site,
 * listed itself (@listed) or not; its position, and the link in @link. */
static gint
find_linking_article (KqWindow  *window,
                      gboolean   listed,
                      char     **link)
{
  g_autofree char *pattern = g_strdup_printf ("href=\"(%s/\\d{4}/\\d{2}/\\d{2}/[^\"#?]+/)\"",
                                              kq_test_server_get_url (server));
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);

  g_assert_nonnull (regex);
  for (guint i = 0; i < kq_test_window_n_items (window); i++)
    {
      g_autofree char *body = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      /* The one opened has its body; the others are read from the cache. */
      if (kq_article_get_body_html (kq_test_window_article_at (window, i)) != NULL)
        body = g_strdup (kq_article_get_body_html (kq_test_window_article_at (window, i)));
      else
        body = body_at (window, i);

      if (body == NULL)
        continue;
      for (g_regex_match (regex, body, 0, &match); g_match_info_matches (match);
           g_match_info_next (match, NULL))
        {
          g_autofree char *href = g_match_info_fetch (match, 1);

          if (g_strcmp0 (href, kq_article_get_link (kq_test_window_article_at (window, i))) != 0 &&
              is_listed (window, href) == listed)
            {
              *link = g_steal_pointer (&href);
              return (gint) i;
            }
        }
    }

  return -1;
}

static void
follow_link (KqWindow   *window,
             guint       position,
             const char *link)
{
  KqArticleView *view = kq_test_window_child (window, "article_view");
  KqArticleList *list = kq_test_window_child (window, "article_list");

  /* Its row may still be the selected one (the view shows the linked article). */
  if (kq_article_list_get_selected (list) == kq_test_window_article_at (window, position))
    g_assert_true (kq_article_list_select_position (list, position == 0 ? 1 : 0));
  g_assert_true (kq_article_list_select_position (list, position));
  g_assert_true (kq_article_view_get_article (view) ==
                 kq_test_window_article_at (window, position));
  g_assert_true (kq_article_view_is_article_link (view, link));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.open-link", "s", link));
}

static void
test_article_links_open_inside (void)
{
  KqWindow *window = open_window ();
  KqArticleView *view = kq_test_window_child (window, "article_view");
  const char *by_slug = "/wp-json/wp/v2/posts?slug=";
  g_autofree char *site_link = NULL;
  g_autofree char *missing = NULL;
  Launched launched = { 0, NULL };
  LinkWait wait = { view, NULL };
  guint slug_requests;
  gint position;

  kq_article_view_set_uri_launcher (view, record_launch_cb, &launched, NULL);

  /* To an article not cached yet: the site is asked by slug, and it opens. */
  position = find_linking_article (window, FALSE, &site_link);
  g_assert_cmpint (position, >=, 0);
  g_test_message ("%s links to %s",
                  kq_article_get_title (kq_test_window_article_at (window, (guint) position)),
                  site_link);
  slug_requests = kq_test_server_get_request_count (server, by_slug);
  follow_link (window, (guint) position, site_link);
  wait.link = site_link;
  g_assert_true (kq_test_ui_wait_for (shows_link, &wait, 5000));
  g_assert_cmpuint (kq_test_server_get_request_count (server, by_slug), ==, slug_requests + 1);
  g_assert_cmpstr (adw_window_title_get_title (kq_test_window_child (window, "article_title")), ==,
                   kq_article_get_title (kq_article_view_get_article (view)));
  g_assert_false (kq_article_get_body_html (kq_article_view_get_article (view)) ==
                  kq_article_get_body_html (kq_test_window_article_at (window, (guint) position)));

  /* The same link again: now from the cache, without a request. */
  follow_link (window, (guint) position, site_link);
  g_assert_true (kq_test_ui_wait_for (shows_link, &wait, 5000));
  g_assert_cmpuint (kq_test_server_get_request_count (server, by_slug), ==, slug_requests + 1);
  g_assert_cmpuint (launched.n, ==, 0);

  /* A page of the site that is no article Kiosque can find: the browser. */
  missing = g_strdup_printf ("%s/2031/01/01/un-article-qui-n-existe-pas/",
                             kq_test_server_get_url (server));
  follow_link (window, 0, missing);
  g_assert_true (kq_test_ui_wait_for (has_launched, &launched, 5000));
  g_assert_cmpuint (launched.n, ==, 1);
  g_assert_cmpstr (launched.uri, ==, missing);
  g_assert_true (kq_article_view_get_article (view) == kq_test_window_article_at (window, 0));

  g_free (launched.uri);
  kq_test_window_close (window);
}

/* History: Back returns to the article a link was followed from, at its
 * scroll position, Forward undoes it; the list's selection follows the
 * article shown (no row when it is not listed); picking a row in the list
 * starts a new history. */

typedef struct
{
  KqArticleView *view;
  KqArticle     *article;
} ShownWait;

static gboolean
shows_whole (gpointer data)
{
  ShownWait *wait = data;
  KqArticle *article = kq_article_view_get_article (wait->view);

  return article != NULL && kq_article_get_id (article) == kq_article_get_id (wait->article) &&
         kq_article_get_body_html (article) != NULL && !kq_article_view_get_rendering (wait->view);
}

/* The same article, whatever the object (the list may have reloaded). */
static gboolean
same_id (KqArticle *a,
         KqArticle *b)
{
  return a != NULL && b != NULL && kq_article_get_id (a) == kq_article_get_id (b);
}

static GtkAdjustment *
view_adjustment (KqArticleView *view)
{
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (
    gtk_widget_get_template_child (GTK_WIDGET (view), KQ_TYPE_ARTICLE_VIEW, "scrolled_window"));

  return gtk_scrolled_window_get_vadjustment (scrolled);
}

typedef struct
{
  GtkAdjustment *adjustment;
  double         value;
} ScrollWait;

static gboolean
is_scrollable_to (gpointer data)
{
  ScrollWait *wait = data;

  return gtk_adjustment_get_upper (wait->adjustment) -
         gtk_adjustment_get_page_size (wait->adjustment) >= wait->value;
}

static gboolean
is_scrolled_to (gpointer data)
{
  ScrollWait *wait = data;

  return fabs (gtk_adjustment_get_value (wait->adjustment) - wait->value) < 1.0;
}

static void
test_article_history (void)
{
  KqWindow *window = open_window ();
  KqArticleView *view = kq_test_window_child (window, "article_view");
  KqArticleList *list = kq_test_window_child (window, "article_list");
  GtkWidget *history_box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                      KQ_TYPE_ARTICLE_VIEW,
                                                                      "history_box"));
  g_autofree char *unlisted = NULL;
  g_autofree char *listed = NULL;
  ScrollWait scroll = { view_adjustment (view), 200 };
  ShownWait shown = { view, NULL };
  LinkWait wait = { view, NULL };
  g_autoptr(KqArticle) from = NULL;
  g_autoptr(KqArticle) linked = NULL;
  gint position;
  gint listed_position;
  Launched launched = { 0, NULL };

  kq_article_view_set_uri_launcher (view, record_launch_cb, &launched, NULL);

  position = find_linking_article (window, FALSE, &unlisted);
  g_assert_cmpint (position, >=, 0);
  from = g_object_ref (kq_test_window_article_at (window, (guint) position));
  g_assert_true (kq_article_list_select_position (list, (guint) position));
  shown.article = from;
  g_assert_true (kq_test_ui_wait_for (shows_whole, &shown, 5000));
  g_assert_false (kq_article_view_can_go_back (view));
  g_assert_false (gtk_widget_get_visible (history_box));

  /* Read a little way down, then follow a link to an article not listed. */
  g_assert_true (kq_test_ui_wait_for (is_scrollable_to, &scroll, 5000));
  gtk_adjustment_set_value (scroll.adjustment, scroll.value);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.open-link", "s", unlisted));
  wait.link = unlisted;
  g_assert_true (kq_test_ui_wait_for (shows_link, &wait, 5000));
  linked = g_object_ref (kq_article_view_get_article (view));
  g_assert_null (kq_article_list_get_selected (list));
  g_assert_true (kq_article_view_can_go_back (view));
  g_assert_false (kq_article_view_can_go_forward (view));
  g_assert_true (gtk_widget_get_visible (history_box));

  /* Back: the article left, its row selected again, where it was read. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.go-back", NULL));
  g_assert_true (kq_test_ui_wait_for (shows_whole, &shown, 5000));
  g_assert_true (same_id (kq_article_list_get_selected (list), from));
  g_assert_true (kq_test_ui_wait_for (is_scrolled_to, &scroll, 5000));
  g_assert_false (kq_article_view_can_go_back (view));
  g_assert_true (kq_article_view_can_go_forward (view));

  /* Forward: the linked article again, no row selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.go-forward", NULL));
  shown.article = linked;
  g_assert_true (kq_test_ui_wait_for (shows_whole, &shown, 5000));
  g_assert_null (kq_article_list_get_selected (list));
  g_assert_true (kq_article_view_can_go_back (view));
  g_assert_false (kq_article_view_can_go_forward (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.go-back", NULL));
  shown.article = from;
  g_assert_true (kq_test_ui_wait_for (shows_whole, &shown, 5000));
  g_assert_true (same_id (kq_article_list_get_selected (list), from));

  /* A link to a listed article: its row is selected, Back selects the first. */
  listed_position = find_linking_article (window, TRUE, &listed);
  if (listed_position >= 0)
    {
      g_autoptr(KqArticle) listed_from = g_object_ref (kq_test_window_article_at (window,
                                                                                  (guint) listed_position));

      if (!same_id (listed_from, from))
        {
          g_assert_true (kq_article_list_select_position (list, (guint) listed_position));
          shown.article = listed_from;
          g_assert_true (kq_test_ui_wait_for (shows_whole, &shown, 5000));
        }
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.open-link", "s", listed));
      wait.link = listed;
      g_assert_true (kq_test_ui_wait_for (shows_link, &wait, 5000));
      g_assert_nonnull (kq_article_list_get_selected (list));
      g_assert_cmpstr (kq_article_get_link (kq_article_list_get_selected (list)), ==, listed);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.go-back", NULL));
      shown.article = listed_from;
      g_assert_true (kq_test_ui_wait_for (shows_whole, &shown, 5000));
      g_assert_true (same_id (kq_article_list_get_selected (list), listed_from));
    }
  else
    g_test_message ("No article of the site links to a listed one");

  /* Picking a row starts over. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.open-link", "s", unlisted));
  wait.link = unlisted;
  g_assert_true (kq_test_ui_wait_for (shows_link, &wait, 5000));
  g_assert_true (kq_article_view_can_go_back (view));
  g_assert_true (kq_article_list_select_position (list, position == 0 ? 1 : 0));
  g_assert_false (kq_article_view_can_go_back (view));
  g_assert_false (kq_article_view_can_go_forward (view));
  g_assert_false (gtk_widget_get_visible (history_box));
  g_assert_cmpuint (launched.n, ==, 0);

  g_free (launched.uri);
  kq_test_window_close (window);
}

/* Rows carry no body; the article opened is read whole (from the cache,
 * without asking the site), and lets go of it once another one is opened. */

static gboolean
view_has_body (gpointer data)
{
  KqArticle *article = kq_article_view_get_article (data);

  return article != NULL && kq_article_get_body_html (article) != NULL;
}

static void
test_rows_without_bodies (void)
{
  KqWindow *window = open_window ();
  KqArticleView *view = kq_test_window_child (window, "article_view");
  KqArticleList *list = kq_test_window_child (window, "article_list");
  g_autofree char *cached = NULL;
  guint posts;

  g_assert_cmpuint (kq_test_window_n_items (window), >=, 2);
  for (guint i = 0; i < kq_test_window_n_items (window); i++)
    g_assert_null (kq_article_get_body_html (kq_test_window_article_at (window, i)));

  cached = body_at (window, 0);
  g_assert_nonnull (cached);
  posts = kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts/");
  g_assert_true (kq_article_list_select_position (list, 0));
  g_assert_true (kq_article_view_get_article (view) == kq_test_window_article_at (window, 0));
  g_assert_true (kq_test_ui_wait_for (view_has_body, view, 5000));
  g_assert_cmpstr (kq_article_get_body_html (kq_test_window_article_at (window, 0)), ==, cached);
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts/"), ==, posts);

  g_assert_true (kq_article_list_select_position (list, 1));
  g_assert_true (kq_test_ui_wait_for (view_has_body, view, 5000));
  g_assert_true (kq_article_view_get_article (view) == kq_test_window_article_at (window, 1));
  g_assert_null (kq_article_get_body_html (kq_test_window_article_at (window, 0)));
  for (guint i = 2; i < kq_test_window_n_items (window); i++)
    g_assert_null (kq_article_get_body_html (kq_test_window_article_at (window, i)));

  kq_test_window_close (window);
}

/* Thumbnails: decoded at the size asked, one texture shared by every load of
 * it, in a bounded cache. */

static void
on_thumbnail_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GdkTexture *
load_thumbnail (const char *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  kq_thumbnail_loader_load_async (url, 88, 66, NULL, on_thumbnail_cb, &result);
  g_assert_true (kq_test_ui_wait_for (has_result, &result, 5000));
  texture = kq_thumbnail_loader_load_finish (result, &error);
  g_assert_no_error (error);

  return texture;
}

static void
test_thumbnails_shared (void)
{
  KqWindow *window = open_window ();
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GdkTexture) second = NULL;
  g_autoptr(GdkTexture) again = NULL;
  const char *url = NULL;

  for (guint i = 0; i < kq_test_window_n_items (window) && url == NULL; i++)
    url = kq_article_get_thumbnail_url (kq_test_window_article_at (window, i));
  g_assert_nonnull (url);

  first = load_thumbnail (url);
  second = load_thumbnail (url);
  g_assert_nonnull (first);
  g_assert_true (first == second);
  g_assert_cmpint (gdk_texture_get_width (first), <=, 88);
  g_assert_cmpint (gdk_texture_get_height (first), <=, 66);
  g_assert_cmpuint (kq_thumbnail_loader_get_memory_usage (), >=,
                    (gsize) gdk_texture_get_width (first) * gdk_texture_get_height (first) * 3);
  g_assert_cmpuint (kq_thumbnail_loader_get_memory_usage (), <=, KQ_THUMBNAIL_LOADER_MEMORY_LIMIT);

  /* Let go of: the next load decodes a new one. */
  kq_thumbnail_loader_clear ();
  g_assert_cmpuint (kq_thumbnail_loader_get_memory_usage (), ==, 0);
  again = load_thumbnail (url);
  g_assert_nonnull (again);
  g_assert_true (again != first);

  kq_test_window_close (window);
}

/* A row's thumbnail that declares 6300 × 6300 pixels in 5 KB (119 MB once
 * decoded; 30 rows of them took 2.3 GiB): refused by its header, with the
 * thumbnails' lower pixel cap, and the placeholder stays. */
static void
test_thumbnail_bomb (void)
{
  KqWindow *window = open_window ();
  KqImageLoader *loader = kq_library_get_image_loader (kq_window_get_library (window));
  g_autoptr(GBytes) bomb = kq_test_png_new_blank (6300, 6300);
  const char *url = "http://127.0.0.1:9/wp-content/uploads/vignette-bombe.png";
  g_autofree char *path = kq_image_loader_get_cache_path (loader, url);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bomb, NULL),
                                      g_bytes_get_size (bomb), NULL));

  kq_thumbnail_loader_load_async (url, 176, 132, NULL, on_thumbnail_cb, &result);
  g_assert_true (kq_test_ui_wait_for (has_result, &result, 5000));
  texture = kq_thumbnail_loader_load_finish (result, &error);
  g_assert_null (texture);
  g_assert_error (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE);

  g_unlink (path);
  kq_test_window_close (window);
}

/* "Never load images" reaches the article view */

static gboolean
view_done (gpointer data)
{
  return !kq_article_view_get_rendering (data);
}

static gboolean
some_image_loaded (gpointer data)
{
  g_autoptr(GPtrArray) images = find_all (data, KQ_TYPE_IMAGE);

  for (guint i = 0; i < images->len; i++)
    if (kq_image_get_texture (g_ptr_array_index (images, i)) != NULL)
      return TRUE;

  return FALSE;
}

static void
test_images_never (void)
{
  KqWindow *window = open_window ();
  KqArticleView *view = kq_test_window_child (window, "article_view");
  GSettings *settings = kq_application_get_settings (app);
  g_autoptr(GPtrArray) images = NULL;
  guint uploads, n_placeholders = 0;
  gint found = -1;

  /* An article with pictures in its body. */
  for (guint i = 0; i < kq_test_window_n_items (window) && found < 0; i++)
    {
      KqArticle *article = kq_test_window_article_at (window, i);
      g_autofree char *body = kq_article_get_body_html (article)
        ? g_strdup (kq_article_get_body_html (article)) : body_at (window, i);

      if (body != NULL && strstr (body, "<figure") != NULL && strstr (body, "<img") != NULL)
        found = (gint) i;
    }
  g_assert_cmpint (found, >=, 0);

  g_settings_set_boolean (settings, "load-images", FALSE);
  /* Thumbnails asked for before the switch may still be on their way. */
  uploads = kq_test_server_get_request_count (server, "/wp-content/uploads/");
  for (guint i = 0; i < 20; i++)
    {
      guint before = uploads;

      kq_test_ui_iterate (200);
      uploads = kq_test_server_get_request_count (server, "/wp-content/uploads/");
      if (i > 0 && uploads == before)
        break;
    }
  g_assert_true (kq_article_list_select_position (kq_test_window_child (window, "article_list"),
                                                  (guint) found));
  g_assert_true (kq_test_ui_wait_for (view_done, view, 5000));
  kq_test_ui_iterate (500);

  /* Not one request, no picture, the alt text (or a word) in their place. */
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-content/uploads/"), ==, uploads);
  images = find_all (view, KQ_TYPE_IMAGE);
  g_assert_cmpuint (images->len, >, 0);
  for (guint i = 0; i < images->len; i++)
    {
      KqImage *image = g_ptr_array_index (images, i);

      g_assert_null (kq_image_get_texture (image));
      if (!gtk_widget_get_mapped (GTK_WIDGET (image)))
        continue;
      g_assert_true (kq_image_get_blocked (image));
      n_placeholders++;
    }
  g_assert_cmpuint (n_placeholders, >, 0);
  g_clear_pointer (&images, g_ptr_array_unref);

  /* Back to "always": the article's pictures load. */
  g_settings_set_boolean (settings, "load-images", TRUE);
  g_assert_true (kq_test_ui_wait_for (some_image_loaded, view, 5000));
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-content/uploads/"), >, uploads);

  kq_test_window_close (window);
}

/* The rows' context menu */

/* The menu's item for @action: its label, and its target activated from the menu. */
static char *
menu_label_for (GMenuModel *menu,
                const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *name = NULL;
          char *label = NULL;

          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &name);
          if (g_strcmp0 (name, action) != 0)
            continue;
          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          return label;
        }
    }
  return NULL;
}

static void
activate_menu_item (GtkWidget  *popover,
                    const char *action)
{
  GMenuModel *menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *name = NULL;
          g_autoptr(GVariant) target = NULL;

          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &name);
          if (g_strcmp0 (name, action) != 0)
            continue;
          target = g_menu_model_get_item_attribute_value (section, j, G_MENU_ATTRIBUTE_TARGET,
                                                          G_VARIANT_TYPE ("(sx)"));
          g_assert_nonnull (target);
          /* From the menu, as a click on the item does. */
          g_assert_true (gtk_widget_activate_action_variant (popover, action, target));
          return;
        }
    }
  g_assert_not_reached ();
}

static void
on_text_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
has_text (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_row_context_menu (void)
{
  KqWindow *window = open_window ();
  KqArticleList *list = kq_test_window_child (window, "article_list");
  KqArticleView *view = kq_test_window_child (window, "article_view");
  Launched launched = { 0, NULL };
  UnreadWait wait = { window, 0 };
  g_autofree char *label = NULL;
  g_autofree char *copied = NULL;
  KqArticle *article;
  GtkWidget *menu;

  kq_article_view_set_uri_launcher (view, record_launch_cb, &launched, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-all-read", NULL));
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));
  article = kq_test_window_article_at (window, 2);
  g_assert_false (kq_article_get_bookmarked (article));

  /* A row that is not the one shown: its own menu, its own article. */
  kq_article_list_popup_context_menu (list, article);
  menu = kq_article_list_get_context_menu (list);
  g_assert_true (GTK_IS_POPOVER_MENU (menu));
  label = menu_label_for (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu)),
                          "win.article-toggle-read");
  g_assert_cmpstr (label, ==, _("Mark as _Unread"));
  g_clear_pointer (&label, g_free);
  label = menu_label_for (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu)),
                          "win.article-toggle-bookmark");
  g_assert_cmpstr (label, ==, _("_Bookmark"));
  g_clear_pointer (&label, g_free);

  activate_menu_item (menu, "win.article-toggle-read");
  g_assert_false (kq_article_get_read (article));
  wait.count = 1;
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));
  g_assert_true (kq_article_list_get_selected (list) != article);

  activate_menu_item (menu, "win.article-open-in-browser");
  g_assert_true (kq_test_ui_wait_for (has_launched, &launched, 5000));
  g_assert_cmpstr (launched.uri, ==, kq_article_get_link (article));

  activate_menu_item (menu, "win.article-copy-link");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 on_text_read_cb, &copied);
  g_assert_true (kq_test_ui_wait_for (has_text, &copied, 5000));
  g_assert_cmpstr (copied, ==, kq_article_get_link (article));

  activate_menu_item (menu, "win.article-toggle-bookmark");
  g_assert_true (kq_article_get_bookmarked (article));
  gtk_popover_popdown (GTK_POPOVER (menu));

  /* The Menu key: the selected row's, which says what it is now. */
  g_assert_true (kq_article_list_select_position (list, 2));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "list.context-menu", NULL));
  menu = kq_article_list_get_context_menu (list);
  g_assert_nonnull (menu);
  label = menu_label_for (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu)),
                          "win.article-toggle-bookmark");
  g_assert_cmpstr (label, ==, _("_Remove Bookmark"));
  activate_menu_item (menu, "win.article-toggle-bookmark");
  g_assert_false (kq_article_get_bookmarked (article));
  gtk_popover_popdown (GTK_POPOVER (menu));

  g_free (launched.uri);
  kq_test_window_close (window);
}

/* « Non lus seulement »: the list header's toggle lists the unread articles;
 * one opened stays listed (the selection stays on it); kept for the kind of
 * list between starts. */
static void
test_unread_only_filter (void)
{
  GSettings *settings = kq_application_get_settings (app);
  KqWindow *window = open_window ();
  KqArticleList *list = kq_test_window_child (window, "article_list");
  GtkToggleButton *button = kq_test_window_child (window, "unread_only_button");
  KqLibrary *library = kq_window_get_library (window);
  UnreadWait wait = { window, 0 };
  g_auto(GStrv) kinds = NULL;
  KqArticle *unread[3];
  gint64 last_id;
  guint n_all = kq_test_window_n_items (window);

  g_assert_false (gtk_toggle_button_get_active (button));
  g_assert_cmpuint (n_all, >, 8);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-all-read", NULL));
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));
  for (guint i = 0; i < 3; i++)
    {
      unread[i] = kq_test_window_article_at (window, 1 + i * 3);
      kq_library_set_read (library, unread[i], FALSE);
    }
  wait.count = 3;
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));

  gtk_toggle_button_set_active (button, TRUE);
  g_assert_cmpuint (kq_test_window_n_items (window), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (kq_test_window_article_at (window, i) == unread[i]);
  kinds = g_settings_get_strv (settings, "unread-only-lists");
  g_assert_true (g_strv_contains ((const char * const *) kinds, "latest"));

  /* Opened, so read: still listed, still selected. */
  g_assert_true (kq_article_list_select_position (list, 0));
  g_assert_true (kq_article_get_read (unread[0]));
  g_assert_cmpuint (kq_test_window_n_items (window), ==, 3);
  g_assert_true (kq_article_list_get_selected (list) == unread[0]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-unread", NULL));
  g_assert_true (kq_article_list_get_selected (list) == unread[1]);
  last_id = kq_article_get_id (unread[2]);
  kq_test_window_close (window);

  /* Started again: the filter is still on for « À la une », the two read left out. */
  window = open_window ();
  button = kq_test_window_child (window, "unread_only_button");
  g_assert_true (gtk_toggle_button_get_active (button));
  g_assert_cmpuint (kq_test_window_n_items (window), ==, 1);
  g_assert_cmpint (kq_article_get_id (kq_test_window_article_at (window, 0)), ==, last_id);

  /* Off: everything again. */
  gtk_toggle_button_set_active (button, FALSE);
  g_assert_cmpuint (kq_test_window_n_items (window), >=, n_all);
  g_clear_pointer (&kinds, g_strfreev);
  kinds = g_settings_get_strv (settings, "unread-only-lists");
  g_assert_false (g_strv_contains ((const char * const *) kinds, "latest"));
  kq_test_window_close (window);
}

/* Space: the article a page further down each time, and once at its end
 * the next unread article. */
static void
test_space_reads_on (void)
{
  KqWindow *window = open_window ();
  KqArticleView *view = kq_test_window_child (window, "article_view");
  KqArticleList *list = kq_test_window_child (window, "article_list");
  KqLibrary *library = kq_window_get_library (window);
  GtkAdjustment *adjustment = view_adjustment (view);
  UnreadWait wait = { window, 0 };
  ScrollWait scroll = { adjustment, 100 };
  ShownWait shown = { view, NULL };
  KqArticle *first, *next;
  guint n_pages = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-all-read", NULL));
  g_assert_true (kq_test_ui_wait_for (all_count_is, &wait, 3000));
  first = kq_test_window_article_at (window, 0);
  next = kq_test_window_article_at (window, 4);
  kq_library_set_read (library, next, FALSE);

  g_assert_true (kq_article_list_select_position (list, 0));
  shown.article = first;
  g_assert_true (kq_test_ui_wait_for (shows_whole, &shown, 5000));
  g_assert_true (kq_test_ui_wait_for (is_scrollable_to, &scroll, 5000));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), <, 1);

  /* Page after page, the same article... */
  while (kq_article_list_get_selected (list) == first)
    {
      double before = gtk_adjustment_get_value (adjustment);

      g_assert_cmpuint (++n_pages, <, 100);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.read-on", NULL));
      if (kq_article_list_get_selected (list) == first)
        g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, before);
    }
  g_assert_cmpuint (n_pages, >, 1);

  /* ...then the next unread one. */
  g_assert_true (kq_article_list_get_selected (list) == next);
  shown.article = next;
  g_assert_true (kq_test_ui_wait_for (shows_whole, &shown, 5000));

  kq_test_window_close (window);
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

  g_test_add_func ("/kq/window-reading/unread-counts-and-mark-all-read",
                   test_unread_counts_and_mark_all_read);
  g_test_add_func ("/kq/window-reading/next-unread-and-mark-unread",
                   test_next_unread_and_mark_unread);
  g_test_add_func ("/kq/window-reading/row-context-menu", test_row_context_menu);
  g_test_add_func ("/kq/window-reading/unread-only-filter", test_unread_only_filter);
  g_test_add_func ("/kq/window-reading/space-reads-on", test_space_reads_on);
  g_test_add_func ("/kq/window-reading/refresh-toast", test_refresh_toast);
  g_test_add_func ("/kq/window-reading/new-articles-notification", test_new_articles_notification);
  g_test_add_func ("/kq/window-reading/images-never", test_images_never);
  g_test_add_func ("/kq/window-reading/article-links-open-inside", test_article_links_open_inside);
  g_test_add_func ("/kq/window-reading/article-history", test_article_history);
  /* Last: the articles it opens fill the image cache the tests above count requests of. */
  g_test_add_func ("/kq/window-reading/rows-without-bodies", test_rows_without_bodies);
  g_test_add_func ("/kq/window-reading/thumbnails-shared", test_thumbnails_shared);
  g_test_add_func ("/kq/window-reading/thumbnail-bomb", test_thumbnail_bomb);

  ret = g_test_run ();
  g_clear_object (&app);
  g_clear_object (&server);
  return ret;
}
