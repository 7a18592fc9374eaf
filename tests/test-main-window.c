/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <gdk/x11/gdkx.h>

#include "kq-application.h"
#include "kq-article-list.h"
#include "kq-article-row.h"
#include "kq-article-view.h"
#include "kq-http.h"
#include "kq-source.h"
#include "kq-sidebar.h"
#include "kq-test-server.h"
#include "kq-test-ui.h"
#include "kq-test-window.h"
#include "kq-window.h"

/*
 * The main window against the project's test site, in process: the server
 * runs on this thread's main context, served while the tests wait.
 */

static KqApplication *app;
static KqTestServer *server;

static gboolean
has_articles (gpointer data)
{
  return kq_test_window_n_items (data) > 0 &&
         g_strcmp0 (gtk_stack_get_visible_child_name (kq_test_window_child (data, "list_stack")),
                    "list") == 0;
}

static gboolean
has_categories (gpointer data)
{
  return kq_sidebar_get_n_categories (kq_test_window_child (data, "sidebar")) > 0;
}

/* The category of the site data with this name. */
static gint64
category_id (const char *name)
{
  const struct { gint64 id; const char *name; } known[] = {
    { 3, "Apple" }, { 5, "Android" }, { 17, "Science" }, { 14, "Matériel" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (known[i].name, name))
      return known[i].id;
  g_assert_not_reached ();
}

static gboolean
all_in_category (KqWindow *window,
                 gint64    id)
{
  guint n = kq_test_window_n_items (window);

  for (guint i = 0; i < n; i++)
    if (!kq_article_has_category (kq_test_window_article_at (window, i), id))
      return FALSE;

  return n > 0;
}

typedef struct
{
  KqWindow *window;
  gint64    category;
} CategoryWait;

static gboolean
shows_category (gpointer data)
{
  CategoryWait *wait = data;

  return has_articles (wait->window) && kq_test_window_is_idle (wait->window) &&
         all_in_category (wait->window, wait->category);
}

static void
test_categories_and_switch (void)
{
  KqWindow *window = kq_test_window_open (app, kq_test_server_get_url (server));
  KqSidebar *sidebar = kq_test_window_child (window, "sidebar");
  CategoryWait wait = { window, category_id ("Science") };

  /* The site's categories, in its order ("Non classé" first, id 1). */
  g_assert_true (kq_test_ui_wait_for (has_categories, window, 5000));
  g_assert_cmpuint (kq_sidebar_get_n_categories (sidebar), >=, 10);
  g_assert_true (kq_sidebar_select (sidebar, KQ_SIDEBAR_CATEGORY, category_id ("Apple")));
  g_assert_cmpstr (kq_sidebar_get_selected_name (sidebar), ==, "Apple");

  /* "À la une" lists the latest articles. */
  g_assert_true (kq_sidebar_select (sidebar, KQ_SIDEBAR_ALL, 0));
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));

  /* Science shows Science articles only. */
  g_assert_true (kq_sidebar_select (sidebar, KQ_SIDEBAR_CATEGORY, wait.category));
  g_assert_true (kq_test_ui_wait_for (shows_category, &wait, 5000));
  g_assert_cmpstr (adw_window_title_get_title (kq_test_window_child (window, "list_title")), ==,
                   "Science");

  kq_test_window_close (window);
}

typedef struct
{
  KqWindow *window;
  guint     n;
} CountWait;

static gboolean
has_grown (gpointer data)
{
  CountWait *wait = data;

  return kq_test_window_n_items (wait->window) > wait->n && kq_test_window_is_idle (wait->window);
}

static void
test_scroll_loads_next_page (void)
{
  KqWindow *window = kq_test_window_open (app, kq_test_server_get_url (server));
  KqArticleList *list = kq_test_window_child (window, "article_list");
  GtkWidget *view = kq_article_list_get_list_view (list);
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  const char *page2 = "/wp-json/wp/v2/posts?_embed=1&per_page=20&page=2";
  CountWait wait = { window, 0 };

  kq_sidebar_select (kq_test_window_child (window, "sidebar"), KQ_SIDEBAR_ALL, 0);
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_idle, window, 5000));
  kq_test_ui_iterate (200);
  g_assert_cmpuint (kq_test_server_get_request_count (server, page2), ==, 0);
  g_assert_cmpint (kq_article_list_get_more (list), ==, KQ_ARTICLE_LIST_MORE_AVAILABLE);

  /* Scroll to the end (twice: the first merge may only add cached rows):
   * page 2 is asked for and merged below, with a spinner row meanwhile. */
  wait.n = kq_test_window_n_items (window);
  for (guint i = 0; i < 3 && kq_test_server_get_request_count (server, page2) == 0; i++)
    {
      gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
      kq_test_ui_iterate (300);
    }
  g_assert_cmpuint (kq_test_server_get_request_count (server, page2), ==, 1);
  g_assert_true (kq_test_ui_wait_for (has_grown, &wait, 5000));

  kq_test_window_close (window);
}

static gboolean
is_bookmarked_in_list (gpointer data)
{
  KqWindow *window = data;
  guint n = kq_test_window_n_items (window);

  for (guint i = 0; i < n; i++)
    if (kq_article_get_bookmarked (kq_test_window_article_at (window, i)))
      return TRUE;

  return FALSE;
}

static char *bookmarked_title;

static void
test_open_and_bookmark (void)
{
  KqWindow *window = kq_test_window_open (app, kq_test_server_get_url (server));
  KqArticleList *list = kq_test_window_child (window, "article_list");
  KqArticleView *view = kq_test_window_child (window, "article_view");
  KqArticle *article;
  GtkStack *view_stack;

  kq_sidebar_select (kq_test_window_child (window, "sidebar"), KQ_SIDEBAR_ALL, 0);
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));

  /* Opening an article shows it, and marks it read. */
  g_assert_true (kq_article_list_select_position (list, 1));
  article = kq_article_list_get_selected (list);
  g_assert_nonnull (article);
  g_assert_true (kq_article_view_get_article (view) == article);
  g_assert_cmpstr (adw_window_title_get_title (kq_test_window_child (window, "article_title")), ==,
                   kq_article_get_title (article));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (kq_test_window_child (window,
                                                                           "article_stack")),
                   ==, "article");
  /* At once, in the frame that follows: no transition drawing the empty
   * page and the article together. */
  view_stack = GTK_STACK (gtk_widget_get_first_child (GTK_WIDGET (view)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_stack), ==, "article");
  g_assert_false (gtk_stack_get_transition_running (view_stack));
  g_assert_cmpint (gtk_stack_get_transition_type (view_stack), ==, GTK_STACK_TRANSITION_TYPE_NONE);
  g_assert_true (kq_article_get_read (article));

  /* j / k: next and previous. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-article", NULL));
  g_assert_true (kq_article_view_get_article (view) == kq_test_window_article_at (window, 2));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-article", NULL));
  g_assert_true (kq_article_view_get_article (view) == article);

  /* Ctrl+D bookmarks it; Favoris has it at once. */
  g_assert_false (kq_article_get_bookmarked (article));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-bookmark", NULL));
  g_assert_true (kq_article_get_bookmarked (article));
  g_free (bookmarked_title);
  bookmarked_title = g_strdup (kq_article_get_title (article));

  kq_sidebar_select (kq_test_window_child (window, "sidebar"), KQ_SIDEBAR_BOOKMARKS, 0);
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));
  g_assert_cmpuint (kq_test_window_n_items (window), ==, 1);
  g_assert_cmpstr (kq_article_get_title (kq_test_window_article_at (window, 0)), ==,
                   bookmarked_title);
  g_assert_true (kq_test_ui_wait_for (is_bookmarked_in_list, window, 1000));

  kq_test_window_close (window);
}

static gboolean
has_more_than_first_rows (gpointer data)
{
  return kq_test_window_n_items (data) > 14;
}

static void
test_restart_keeps_cache_and_bookmark (void)
{
  KqWindow *window;
  gint64 start;

  g_assert_nonnull (bookmarked_title);

  /* A new window on the same data (a restart); the site is slow to answer. */
  g_settings_set_string (kq_application_get_settings (app), "last-category", "all");
  kq_test_server_add_fault (server, "/", KQ_TEST_FAULT_DELAY, 3000, 0);
  start = g_get_monotonic_time ();
  window = kq_test_window_open (app, kq_test_server_get_url (server));

  /* Cached articles, long before any answer: the first rows a screen shows,
   * then the rest of the cached page (earlier tests cached two pages). */
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 2000));
  g_test_message ("%u rows first", kq_test_window_n_items (window));
  g_assert_cmpuint (kq_test_window_n_items (window), <=, 14);
  g_assert_true (kq_test_ui_wait_for (has_more_than_first_rows, window, 2000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * G_TIME_SPAN_MILLISECOND);

  kq_sidebar_select (kq_test_window_child (window, "sidebar"), KQ_SIDEBAR_BOOKMARKS, 0);
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 2000));
  g_assert_cmpstr (kq_article_get_title (kq_test_window_article_at (window, 0)), ==,
                   bookmarked_title);

  kq_test_server_clear_faults (server);
  kq_test_window_close (window);
}

/* Rows above the article read last, after a restart that brings new ones */

typedef struct
{
  KqWindow *window;
  gint64    id;
} SelectedWait;

static gboolean
has_selected (gpointer data)
{
  SelectedWait *wait = data;
  KqArticle *article = kq_article_list_get_selected (kq_test_window_child (wait->window,
                                                                          "article_list"));

  return article != NULL && kq_article_get_id (article) == wait->id &&
         kq_test_window_is_idle (wait->window);
}

static gboolean
find_position (GListModel *model,
               gpointer    item,
               guint      *position)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Whether the list view draws the rows its scroll position says, each
 * showing its article: the row of @wait's article among them, every point
 * down the middle of the view on a row of the right position, and the
 * positions from top to bottom consecutive. */
static gboolean
rows_drawn (gpointer data)
{
  SelectedWait *wait = data;
  KqArticleList *list = kq_test_window_child (wait->window, "article_list");
  GtkWidget *view = kq_article_list_get_list_view (list);
  GListModel *model = kq_article_list_get_model (list);
  int height = gtk_widget_get_height (view);
  gboolean found = FALSE;
  int previous = -1;

  if (model == NULL || height <= 0)
    return FALSE;

  for (int y = 4; y < height - 4; y += 16)
    {
      GtkWidget *picked = gtk_widget_pick (view, gtk_widget_get_width (view) / 2.0, y,
                                           GTK_PICK_DEFAULT);
      GtkWidget *row = picked ? gtk_widget_get_ancestor (picked, KQ_TYPE_ARTICLE_ROW) : NULL;
      KqArticle *article;
      guint position;

      /* On a row's cell, around the row. */
      if (row == NULL && picked != NULL && KQ_IS_ARTICLE_ROW (gtk_widget_get_first_child (picked)))
        row = gtk_widget_get_first_child (picked);
      article = row ? kq_article_row_get_article (KQ_ARTICLE_ROW (row)) : NULL;
      /* The last row (more to load). */
      if (row == NULL && picked != NULL && picked != view)
        continue;
      if (article == NULL || !find_position (model, article, &position))
        {
          g_test_message ("Nothing drawn at y=%d of %d", y, height);
          return FALSE;
        }
      if (previous >= 0 && (int) position != previous && (int) position != previous + 1)
        {
          g_test_message ("Row %u drawn below row %d", position, previous);
          return FALSE;
        }
      previous = (int) position;
      found |= kq_article_get_id (article) == wait->id;
    }

  return found;
}

static gboolean
is_laid_out (gpointer list)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (
    GTK_SCROLLABLE (kq_article_list_get_list_view (list)));

  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) &&
         gtk_adjustment_get_page_size (adjustment) > 0;
}

static gboolean
is_scrolled (gpointer list)
{
  return kq_article_list_get_scroll (list) > 0;
}

static void
test_restart_new_articles_above (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) other = kq_test_server_new (&error);
  KqArticleList *list;
  KqWindow *window;
  SelectedWait wait;
  guint n_before;

  /* A site read down to its twelfth article, five not published yet. */
  g_assert_no_error (error);
  g_settings_set_string (kq_application_get_settings (app), "last-category", "all");
  kq_test_server_set_unpublished (other, 5);
  window = kq_test_window_open (app, kq_test_server_get_url (other));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_has_articles_idle, window, 8000));
  n_before = kq_test_window_n_items (window);
  g_assert_cmpuint (n_before, >, 12);
  list = kq_test_window_child (window, "article_list");
  g_assert_true (kq_test_ui_wait_for (is_laid_out, list, 3000));
  g_assert_true (kq_article_list_select_position (list, 11));
  wait.id = kq_article_get_id (kq_test_window_article_at (window, 11));
  wait.window = window;
  g_assert_true (kq_test_ui_wait_for (is_scrolled, list, 3000));
  g_assert_true (kq_test_ui_wait_for (rows_drawn, &wait, 3000));
  kq_test_window_close (window);

  /* Started again once they are out: the cache's rows, the article read
   * last selected where it was, then the new ones above. */
  kq_test_server_set_unpublished (other, 0);
  window = kq_test_window_open (app, kq_test_server_get_url (other));
  wait.window = window;
  g_assert_true (kq_test_ui_wait_for (has_selected, &wait, 15000));
  g_assert_cmpuint (kq_test_window_n_items (window), >=, n_before + 5);
  list = kq_test_window_child (window, "article_list");
  g_assert_true (kq_test_ui_wait_for (is_scrolled, list, 3000));

  /* Its row is on screen, and every row drawn is the one the scroll
   * position says, showing its article, without any scrolling. */
  g_assert_true (kq_test_ui_wait_for (rows_drawn, &wait, 3000));

  /* Scrolled back up, the new ones are drawn above it. */
  kq_article_list_scroll_to_top (list);
  wait.id = kq_article_get_id (kq_test_window_article_at (window, 0));
  g_assert_true (kq_test_ui_wait_for (rows_drawn, &wait, 3000));

  kq_test_window_close (window);
}

/* Another list chosen on a slow site: the list pane shows it is loading
 * (a spinning spinner, not a blank pane), and the article of the list left
 * is not shown as if it were the new list's. */
static void
test_switch_shows_progress (void)
{
  KqWindow *window = kq_test_window_open (app, kq_test_server_get_url (server));
  KqSidebar *sidebar = kq_test_window_child (window, "sidebar");
  GtkStack *list_stack = kq_test_window_child (window, "list_stack");
  GtkStack *article_stack = kq_test_window_child (window, "article_stack");
  CategoryWait wait = { window, category_id ("Matériel") };
  GtkWidget *spinner;

  g_assert_true (kq_test_ui_wait_for (has_categories, window, 5000));
  g_assert_true (kq_sidebar_select (sidebar, KQ_SIDEBAR_ALL, 0));
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));
  g_assert_true (kq_article_list_select_position (kq_test_window_child (window, "article_list"), 0));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (article_stack), ==, "article");

  kq_test_server_add_fault (server, "/wp-json/wp/v2/posts?", KQ_TEST_FAULT_DELAY, 1500, 0);
  g_assert_true (kq_sidebar_select (sidebar, KQ_SIDEBAR_CATEGORY, wait.category));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (article_stack), ==, "empty");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "loading");
  spinner = gtk_stack_get_child_by_name (list_stack, "loading");
  g_assert_true (GTK_IS_SPINNER (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));

  g_assert_true (kq_test_ui_wait_for (shows_category, &wait, 10000));
  kq_test_server_clear_faults (server);
  kq_test_window_close (window);
}

/* Phone width: narrowing while reading keeps the article; after Back, the
 * row already selected, tapped, opens its article again, and the category
 * already selected, activated, shows its list again. */

typedef struct
{
  AdwLeaflet *leaflet;
  const char *name;
} PaneWait;

static gboolean
shows_pane (gpointer data)
{
  PaneWait *wait = data;

  return adw_leaflet_get_folded (wait->leaflet) &&
         g_strcmp0 (adw_leaflet_get_visible_child_name (wait->leaflet), wait->name) == 0;
}

static gboolean
rows_are_mapped (gpointer view)
{
  for (GtkWidget *cell = gtk_widget_get_first_child (view); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    if (KQ_IS_ARTICLE_ROW (gtk_widget_get_first_child (cell)) &&
        gtk_widget_get_mapped (gtk_widget_get_first_child (cell)))
      return TRUE;
  return FALSE;
}

static GtkGesture *
find_gesture (GtkWidget  *widget,
              const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), name) == 0)
        return GTK_GESTURE (controller);
    }
  return NULL;
}

static GtkListBoxRow *
selected_sidebar_row (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListBoxRow *row;

      if (GTK_IS_LIST_BOX (child))
        return gtk_list_box_get_selected_row (GTK_LIST_BOX (child));
      if ((row = selected_sidebar_row (child)) != NULL)
        return row;
    }
  return NULL;
}

static void
test_folded_navigation (void)
{
  KqWindow *window;
  KqArticleList *list;
  GtkWidget *view;
  PaneWait wait;
  GtkGesture *tap;
  GtkListBoxRow *category;
  graphene_point_t point;
  GtkWidget *row = NULL;

  g_settings_set_string (kq_application_get_settings (app), "last-category", "all");
  window = kq_test_window_open (app, kq_test_server_get_url (server));
  list = kq_test_window_child (window, "article_list");
  view = kq_article_list_get_list_view (list);
  wait = (PaneWait) { kq_test_window_child (window, "leaflet"), "article" };
  tap = find_gesture (view, "kq-tap-selected");
  g_assert_true (kq_test_ui_wait_for (kq_test_window_has_articles_idle, window, 8000));
  g_assert_true (kq_article_list_select_position (list, 0));

  /* Narrowed while reading: the article stays. */
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 700);
  g_assert_true (kq_test_ui_wait_for (shows_pane, &wait, 5000));

  /* Back to the list, then the same row tapped: the article again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  wait.name = "list";
  g_assert_true (kq_test_ui_wait_for (shows_pane, &wait, 5000));
  g_assert_true (kq_test_ui_wait_for (rows_are_mapped, view, 5000));
  for (GtkWidget *cell = gtk_widget_get_first_child (view); cell != NULL && row == NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *child = gtk_widget_get_first_child (cell);

      if (KQ_IS_ARTICLE_ROW (child) && gtk_widget_get_mapped (child) &&
          kq_article_row_get_article (KQ_ARTICLE_ROW (child)) == kq_article_list_get_selected (list))
        row = child;
    }
  g_assert_nonnull (row);
  g_assert_nonnull (tap);
  g_assert_true (gtk_widget_compute_point (row, view,
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (row) / 2.f,
                                                                 gtk_widget_get_height (row) / 2.f),
                                           &point));
  g_signal_emit_by_name (tap, "pressed", 1, (double) point.x, (double) point.y);
  g_signal_emit_by_name (tap, "released", 1, (double) point.x, (double) point.y);
  wait.name = "article";
  g_assert_true (kq_test_ui_wait_for (shows_pane, &wait, 5000));

  /* Back twice, to the sidebar; its selected row activated: the list again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  wait.name = "list";
  g_assert_true (kq_test_ui_wait_for (shows_pane, &wait, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  wait.name = "sidebar";
  g_assert_true (kq_test_ui_wait_for (shows_pane, &wait, 5000));
  category = selected_sidebar_row (kq_test_window_child (window, "sidebar"));
  g_assert_nonnull (category);
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (category)), "row-activated", category);
  wait.name = "list";
  g_assert_true (kq_test_ui_wait_for (shows_pane, &wait, 5000));

  kq_test_window_close (window);
}

static gboolean
shows_error (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (kq_test_window_child (data, "list_stack")),
                    "error") == 0;
}

static void
test_server_error_and_retry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) other = kq_test_server_new (&error);
  KqWindow *window;
  GtkWidget *retry;

  /* Another site: nothing cached for it. */
  g_assert_no_error (error);
  g_settings_set_string (kq_application_get_settings (app), "last-category", "all");
  kq_test_server_add_fault (other, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_SERVER_ERROR, 0, 0);
  window = kq_test_window_open (app, kq_test_server_get_url (other));

  g_assert_true (kq_test_ui_wait_for (shows_error, window, 8000));
  g_assert_nonnull (adw_status_page_get_description (kq_test_window_child (window, "list_error")));
  retry = adw_status_page_get_child (kq_test_window_child (window, "list_error"));
  g_assert_true (GTK_IS_BUTTON (retry));
  g_assert_true (gtk_widget_is_visible (retry));

  /* The site recovers: Retry lists the articles. */
  kq_test_server_clear_faults (other);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));

  kq_test_window_close (window);
}

/* An address with nothing to read: said as it is, and no Retry that
 * cannot help. */
static void
test_nothing_to_read_no_retry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) other = kq_test_server_new (&error);
  g_autofree char *url = NULL;
  KqWindow *window;
  GtkWidget *retry;

  g_assert_no_error (error);
  g_settings_set_string (kq_application_get_settings (app), "last-category", "all");
  kq_test_server_add_fault (other, "/pas-wp", KQ_TEST_FAULT_HTML_INSTEAD, 0, 1);
  kq_test_server_add_fault (other, "/pas-wp", KQ_TEST_FAULT_NOT_FOUND, 0, 0);
  url = g_strconcat (kq_test_server_get_url (other), "/pas-wp", NULL);
  window = kq_test_window_open (app, url);

  g_assert_true (kq_test_ui_wait_for (shows_error, window, 8000));
  g_assert_cmpstr (adw_status_page_get_title (kq_test_window_child (window, "list_error")), ==,
                   _("No Articles or Feed at This Address"));
  retry = adw_status_page_get_child (kq_test_window_child (window, "list_error"));
  g_assert_false (gtk_widget_is_visible (retry));

  kq_test_window_close (window);
}

static void
test_switch_during_slow_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) other = kq_test_server_new (&error);
  g_autofree char *slow = NULL;
  KqWindow *window;
  KqSidebar *sidebar;
  CategoryWait wait;

  g_assert_no_error (error);
  g_settings_set_string (kq_application_get_settings (app), "last-category", "all");
  window = kq_test_window_open (app, kq_test_server_get_url (other));
  sidebar = kq_test_window_child (window, "sidebar");
  wait.window = window;
  wait.category = category_id ("Science");
  g_assert_true (kq_test_ui_wait_for (has_categories, window, 5000));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_idle, window, 5000));

  /* Apple answers late; the reader moves on to Science meanwhile. */
  slow = g_strdup_printf ("/wp-json/wp/v2/posts?_embed=1&per_page=20&page=1&categories=%d",
                          (int) category_id ("Apple"));
  kq_test_server_add_fault (other, slow, KQ_TEST_FAULT_DELAY, 800, 0);
  kq_sidebar_select (sidebar, KQ_SIDEBAR_CATEGORY, category_id ("Apple"));
  kq_test_ui_iterate (100);
  kq_sidebar_select (sidebar, KQ_SIDEBAR_CATEGORY, wait.category);
  g_assert_true (kq_test_ui_wait_for (shows_category, &wait, 5000));

  /* Well after Apple's answer: still Science only. */
  kq_test_ui_iterate (1200);
  g_assert_true (all_in_category (window, wait.category));
  g_assert_cmpstr (adw_window_title_get_title (kq_test_window_child (window, "list_title")), ==,
                   "Science");

  kq_test_window_close (window);
}

typedef struct
{
  KqWindow   *window;
  const char *title;
} TitleWait;

static gboolean
lists_title (gpointer data)
{
  TitleWait *wait = data;
  guint n = kq_test_window_n_items (wait->window);

  /* The search's list, not the one before it. */
  if (g_strcmp0 (adw_window_title_get_title (kq_test_window_child (wait->window, "list_title")),
                 _("Search")) != 0)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      KqArticle *article = kq_test_window_article_at (wait->window, i);

      if (article != NULL && g_strcmp0 (kq_article_get_title (article), wait->title) == 0)
        return TRUE;
    }

  return FALSE;
}

/* A word of @title with an accent, as typed without it. */
static char *
accented_word_without_accents (const char *title)
{
  g_auto(GStrv) words = g_strsplit_set (title, " ’'«»:,.!?", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *ascii = g_str_to_ascii (words[i], "C");

      if (g_utf8_strlen (words[i], -1) >= 5 && g_strcmp0 (ascii, words[i]) != 0 &&
          strchr (ascii, '?') == NULL)
        return g_steal_pointer (&ascii);
    }

  return NULL;
}

static void
test_search_without_accents (void)
{
  KqWindow *window = kq_test_window_open (app, kq_test_server_get_url (server));
  KqSidebar *sidebar = kq_test_window_child (window, "sidebar");
  g_autofree char *word = NULL;
  g_autofree char *title = NULL;
  TitleWait wait = { window, NULL };
  guint n;

  kq_sidebar_select (sidebar, KQ_SIDEBAR_ALL, 0);
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_idle, window, 5000));

  n = kq_test_window_n_items (window);
  for (guint i = 0; i < n && word == NULL; i++)
    {
      KqArticle *article = kq_test_window_article_at (window, i);

      word = accented_word_without_accents (kq_article_get_title (article));
      if (word != NULL)
        title = g_strdup (kq_article_get_title (article));
    }
  g_assert_nonnull (word);
  g_test_message ("Searching \"%s\" for \"%s\"", word, title);

  wait.title = title;
  kq_sidebar_set_search_text (sidebar, word);
  g_assert_true (kq_test_ui_wait_for (lists_title, &wait, 5000));
  g_assert_cmpstr (adw_window_title_get_title (kq_test_window_child (window, "list_title")), ==,
                   _("Search"));

  /* Escape (stop-search) clears it: back to the list. */
  g_signal_emit_by_name (gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (sidebar))),
                         "stop-search");
  g_assert_cmpstr (kq_sidebar_get_search_text (sidebar), ==, "");
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));
  g_assert_cmpstr (adw_window_title_get_title (kq_test_window_child (window, "list_title")), !=,
                   _("Search"));

  kq_test_window_close (window);
}

/* Search results from the site: the last page's first post, which the window
 * has not cached; its title's two longest words find it. */
static void
on_posts_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static GPtrArray *
list_site_page (KqSource *source,
                guint     page,
                guint    *total_pages)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *posts;

  kq_source_list_posts_async (source, 0, page, NULL, on_posts_cb, &result);
  g_assert_true (kq_test_ui_wait_for (is_set, &result, 5000));
  posts = kq_source_list_posts_finish (source, result, total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, >, 0);
  return posts;
}

static char *
uncached_search_words (void)
{
  g_autoptr(KqHttp) http = kq_http_new ();
  g_autoptr(KqSource) source = kq_source_new (http, kq_test_server_get_url (server));
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_auto(GStrv) words = NULL;
  const char *longest[2] = { "", "" };
  guint total_pages = 0;

  first = list_site_page (source, 1, &total_pages);
  g_assert_cmpuint (total_pages, >, 3);
  last = list_site_page (source, total_pages, NULL);
  words = g_regex_split_simple ("[^[:alnum:]]+",
                                kq_article_get_title (g_ptr_array_index (last, 0)),
                                G_REGEX_OPTIMIZE, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      glong length = g_utf8_strlen (words[i], -1);

      if (length > g_utf8_strlen (longest[0], -1))
        {
          longest[1] = longest[0];
          longest[0] = words[i];
        }
      else if (length > g_utf8_strlen (longest[1], -1))
        longest[1] = words[i];
    }
  g_assert_cmpuint (strlen (longest[0]), >, 0);

  return g_strjoin (" ", longest[0], longest[1], NULL);
}

static gboolean
site_results_shown (gpointer window)
{
  GListModel *model = kq_test_window_list_model (window);
  guint n = model ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (GTK_IS_STRING_OBJECT (item))
        return i + 1 < n && kq_test_window_is_idle (window);
    }
  return FALSE;
}

static guint
count_bodies (KqWindow *window)
{
  GListModel *model = kq_test_window_list_model (window);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      KqArticle *article = kq_test_window_article_at (window, i);

      if (article != NULL && kq_article_get_body_html (article) != NULL)
        count++;
    }
  return count;
}

static gboolean
has_no_body (gpointer window)
{
  return count_bodies (window) == 0;
}

static gboolean
has_one_body (gpointer window)
{
  return count_bodies (window) == 1;
}

static void
test_search_releases_bodies (void)
{
  KqWindow *window = kq_test_window_open (app, kq_test_server_get_url (server));
  KqSidebar *sidebar = kq_test_window_child (window, "sidebar");
  KqArticleList *list = kq_test_window_child (window, "article_list");
  g_autofree char *words = NULL;
  KqArticle *article;
  guint n;

  kq_sidebar_select (sidebar, KQ_SIDEBAR_ALL, 0);
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_idle, window, 5000));

  words = uncached_search_words ();
  g_test_message ("Searching \"%s\"", words);
  kq_sidebar_set_search_text (sidebar, words);
  g_assert_true (kq_test_ui_wait_for (site_results_shown, window, 5000));

  /* Once saved, the site's results keep no body, like any list... */
  g_assert_true (kq_test_ui_wait_for (has_no_body, window, 5000));

  /* ...and the one opened reads its body back from the cache. */
  n = kq_test_window_n_items (window);
  article = kq_test_window_article_at (window, n - 1);
  g_assert_nonnull (article);
  g_assert_true (kq_article_list_select_position (list, n - 1));
  g_assert_true (kq_test_ui_wait_for (has_one_body, window, 5000));
  g_assert_nonnull (kq_article_get_body_html (article));

  kq_sidebar_set_search_text (sidebar, "");
  kq_test_window_close (window);
}

/* Row widgets: built for what is on screen, not for 200 articles. */

static void
count_rows (GtkWidget *widget,
            guint     *n_rows)
{
  if (KQ_IS_ARTICLE_ROW (widget))
    (*n_rows)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_rows (child, n_rows);
}

static guint
n_row_widgets (gpointer widget)
{
  guint n = 0;

  count_rows (widget, &n);
  return n;
}

/* A row built for the article with this id. */
static gboolean
shows_article (GtkWidget *widget,
               gint64     id)
{
  if (KQ_IS_ARTICLE_ROW (widget) && kq_article_row_get_article (KQ_ARTICLE_ROW (widget)) &&
      kq_article_get_id (kq_article_row_get_article (KQ_ARTICLE_ROW (widget))) == id)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_article (child, id))
      return TRUE;
  return FALSE;
}

static gboolean
has_row_widgets (gpointer widget)
{
  return n_row_widgets (widget) > 0;
}

static void
test_rows_bounded (void)
{
  GtkWidget *window = gtk_window_new ();
  KqArticleList *list = kq_article_list_new ();
  g_autoptr(GListStore) articles = g_list_store_new (KQ_TYPE_ARTICLE);
  GtkAdjustment *adj;
  guint n;

  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(KqArticle) article = kq_article_new ();
      g_autofree char *title = g_strdup_printf ("Article %u", i);

      kq_article_set_id (article, i + 1);
      kq_article_set_source (article, "http://127.0.0.1:9");
      kq_article_set_title (article, title);
      g_list_store_append (articles, article);
    }
  kq_article_list_set_model (list, G_LIST_MODEL (articles));
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (list));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kq_test_ui_wait_for (has_row_widgets, list, 5000));
  kq_test_ui_iterate (200);

  /* About 15 rows fit; GTK 4.8's GtkListView would build 200. */
  n = n_row_widgets (list);
  g_test_message ("%u row widgets at the top", n);
  g_assert_cmpuint (n, >=, 10);
  g_assert_cmpuint (n, <=, 40);

  /* Half way down: still bounded, and the rows shown are around there. */
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (kq_article_list_get_list_view (list)));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) / 2);
  kq_test_ui_iterate (300);
  n = n_row_widgets (list);
  g_test_message ("%u row widgets half way", n);
  g_assert_cmpuint (n, <=, 40);
  g_assert_true (kq_article_list_select_position (list, 399));
  kq_test_ui_iterate (300);
  g_assert_cmpuint (n_row_widgets (list), <=, 40);
  /* Selecting scrolled the last one into the rows built. */
  g_assert_true (shows_article (GTK_WIDGET (list), 400));
  g_assert_true (kq_article_list_get_selected (list) ==
                 g_list_model_get_item (G_LIST_MODEL (articles), 399));
  g_object_unref (kq_article_list_get_selected (list));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The list answers the scrolled window for its height from the last layout
 * instead of measuring the grid's rows at another width: the vertical
 * scrollbar still comes when the rows outgrow the view and goes when they
 * fit again. */

static void
fill_articles (GListStore *articles,
               guint       n)
{
  g_list_store_remove_all (articles);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KqArticle) article = kq_article_new ();
      g_autofree char *title = g_strdup_printf ("Article %u", i);

      kq_article_set_id (article, i + 1);
      kq_article_set_source (article, "http://127.0.0.1:9");
      kq_article_set_title (article, title);
      kq_article_set_excerpt (article, "Un court extrait sur deux lignes au plus.");
      g_list_store_append (articles, article);
    }
}

static gboolean
vscrollbar_shown (GtkScrolledWindow *scrolled)
{
  GtkWidget *bar = gtk_scrolled_window_get_vscrollbar (scrolled);

  return gtk_widget_get_visible (bar) && gtk_widget_get_child_visible (bar);
}

static void
test_scrollbar_follows_rows (void)
{
  GtkWidget *window = gtk_window_new ();
  KqArticleList *list = kq_article_list_new ();
  g_autoptr(GListStore) articles = g_list_store_new (KQ_TYPE_ARTICLE);
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adj;

  fill_articles (articles, 2);
  kq_article_list_set_model (list, G_LIST_MODEL (articles));
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (list));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kq_test_ui_wait_for (has_row_widgets, list, 5000));
  kq_test_ui_iterate (200);

  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (kq_article_list_get_list_view (list)),
                                                           GTK_TYPE_SCROLLED_WINDOW));
  g_assert_nonnull (scrolled);
  adj = gtk_scrolled_window_get_vadjustment (scrolled);
  g_assert_false (vscrollbar_shown (scrolled));

  fill_articles (articles, 200);
  kq_test_ui_iterate (300);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), >, gtk_adjustment_get_page_size (adj));
  g_assert_true (vscrollbar_shown (scrolled));
  /* It scrolls. */
  gtk_adjustment_set_value (adj, 500);
  kq_test_ui_iterate (200);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, 0);

  fill_articles (articles, 2);
  kq_test_ui_iterate (300);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), <=, gtk_adjustment_get_page_size (adj));
  g_assert_false (vscrollbar_shown (scrolled));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A row's excerpt label gets the first 160 characters, cut at a word; its
 * width request does not depend on the text. */

static GtkLabel *
label_starting_with (GtkWidget  *root,
                     const char *start)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), start))
        return GTK_LABEL (child);
      if ((found = label_starting_with (child, start)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_row_excerpt_cut (void)
{
  KqArticleRow *row = g_object_ref_sink (kq_article_row_new ());
  g_autoptr(KqArticle) article = kq_article_new ();
  g_autoptr(GString) excerpt = g_string_new ("Début");
  GtkLabel *label;
  int min_short, nat_short, min_long, nat_long;

  while (g_utf8_strlen (excerpt->str, -1) < 400)
    g_string_append (excerpt, " mot éphémère");
  kq_article_set_title (article, "Court");
  kq_article_set_excerpt (article, excerpt->str);
  kq_article_row_set_article (row, article);

  label = label_starting_with (GTK_WIDGET (row), "Début");
  g_assert_nonnull (label);
  g_assert_cmpint (g_utf8_strlen (gtk_label_get_text (label), -1), <=, 161);
  g_assert_cmpint (g_utf8_strlen (gtk_label_get_text (label), -1), >, 80);
  g_assert_true (g_str_has_suffix (gtk_label_get_text (label), "mot…") ||
                 g_str_has_suffix (gtk_label_get_text (label), "éphémère…"));
  g_assert_true (g_str_has_prefix (excerpt->str, gtk_label_get_text (label)) ||
                 strncmp (excerpt->str, gtk_label_get_text (label),
                          strlen (gtk_label_get_text (label)) - strlen ("…")) == 0);

  gtk_widget_measure (GTK_WIDGET (row), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_long, &nat_long, NULL, NULL);
  kq_article_set_title (article, "Un titre bien plus long que le premier, sur deux lignes au moins");
  kq_article_set_excerpt (article, "Court.");
  gtk_widget_measure (GTK_WIDGET (row), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_short, &nat_short, NULL, NULL);
  g_assert_cmpint (min_short, ==, min_long);
  g_assert_cmpint (nat_short, ==, nat_long);
  g_assert_cmpint (min_short, >, 88);
  g_assert_cmpint (nat_short, >, min_short);
  g_assert_nonnull (label_starting_with (GTK_WIDGET (row), "Court."));

  g_object_unref (row);
}

/* Thumbnails follow the screen's scale (the window moved to a HiDPI monitor). */

static GtkWidget *
first_row_widget (GtkWidget *widget)
{
  if (KQ_IS_ARTICLE_ROW (widget) && kq_article_row_get_article (KQ_ARTICLE_ROW (widget)) &&
      kq_article_get_thumbnail_url (kq_article_row_get_article (KQ_ARTICLE_ROW (widget))))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = first_row_widget (child);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static int
thumbnail_width (KqWindow *window)
{
  GtkWidget *row = first_row_widget (kq_test_window_child (window, "article_list"));
  GtkWidget *picture = row ? kq_test_ui_find_child (row, GTK_TYPE_PICTURE) : NULL;
  GdkPaintable *paintable = picture ? gtk_picture_get_paintable (GTK_PICTURE (picture)) : NULL;

  return paintable ? gdk_paintable_get_intrinsic_width (paintable) : 0;
}

static gboolean
thumbnail_shown (gpointer window)
{
  return thumbnail_width (window) > 0;
}

static int wanted_width;

static gboolean
thumbnail_is_wide (gpointer window)
{
  return thumbnail_width (window) >= wanted_width;
}

static void
test_thumbnail_follows_scale (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  KqWindow *window;
  int width;

  if (!GDK_IS_X11_DISPLAY (display))
    {
      g_test_skip ("the scale is only set by hand under X11");
      return;
    }

  window = kq_test_window_open (app, kq_test_server_get_url (server));
  kq_sidebar_select (kq_test_window_child (window, "sidebar"), KQ_SIDEBAR_ALL, 0);
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 5000));
  g_assert_true (kq_test_ui_wait_for (thumbnail_shown, window, 5000));
  g_assert_cmpint (gtk_widget_get_scale_factor (GTK_WIDGET (window)), ==, 1);
  width = thumbnail_width (window);
  g_test_message ("Thumbnail %d px wide at scale 1", width);
  g_assert_cmpint (width, >=, 88);
  g_assert_cmpint (width, <, 2 * 88);

  /* Scale 2: the rows ask again for twice the pixels. */
  gdk_x11_display_set_surface_scale (display, 2);
  g_assert_cmpint (gtk_widget_get_scale_factor (GTK_WIDGET (window)), ==, 2);
  wanted_width = 2 * 88;
  g_assert_true (kq_test_ui_wait_for (thumbnail_is_wide, window, 5000));
  g_test_message ("Thumbnail %d px wide at scale 2", thumbnail_width (window));

  gdk_x11_display_set_surface_scale (display, 1);
  kq_test_window_close (window);
}

/* Lets requests that earlier tests' windows sent before closing reach the
 * server, so that they are not counted against the next test. */
static guint
quiet_request_count (void)
{
  guint count = kq_test_server_get_request_count (server, "/");

  for (guint i = 0; i < 20; i++)
    {
      guint before = count;

      kq_test_ui_iterate (200);
      count = kq_test_server_get_request_count (server, "/");
      if (count == before)
        break;
    }
  return count;
}

static void
test_offline_uses_cache (void)
{
  KqWindow *window;
  guint requests = quiet_request_count ();

  g_settings_set_string (kq_application_get_settings (app), "last-category", "all");
  kq_application_set_offline (app, TRUE);
  window = kq_test_window_open (app, kq_test_server_get_url (server));

  /* The cache, a notice, and not one request. */
  g_assert_true (kq_test_ui_wait_for (has_articles, window, 3000));
  g_assert_true (gtk_revealer_get_reveal_child (kq_test_window_child (window, "offline_revealer")));
  kq_test_ui_iterate (300);
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/"), ==, requests);

  kq_test_window_close (window);
  kq_application_set_offline (app, FALSE);
}

static void
on_css_parsing_error_cb (GtkCssProvider *provider,
                         GtkCssSection  *section,
                         GError         *error,
                         guint          *n_errors)
{
  g_autofree char *where = gtk_css_section_to_string (section);

  g_test_message ("style.css: %s: %s", where, error->message);
  (*n_errors)++;
}

/* The application's style.css parses without one error, and every named
 * colour it uses exists in this libadwaita (an unknown @name silently drops
 * the declaration). */
static void
test_style_css (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  g_autoptr(GBytes) css = NULL;
  g_autoptr(GRegex) comments = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  KqWindow *window;
  GtkStyleContext *context;
  guint n_errors = 0;
  guint n_colours = 0;

  css = g_resources_lookup_data (RESOURCE_PATH "/style.css", 0, &error);
  g_assert_no_error (error);
  g_signal_connect (provider, "parsing-error", G_CALLBACK (on_css_parsing_error_cb), &n_errors);
  gtk_css_provider_load_from_data (provider, g_bytes_get_data (css, NULL),
                                   (gssize) g_bytes_get_size (css));
  g_assert_cmpuint (n_errors, ==, 0);

  window = kq_test_window_open (app, kq_test_server_get_url (server));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (GTK_WIDGET (window));
  comments = g_regex_new ("/\\*.*?\\*/", G_REGEX_DOTALL, 0, NULL);
  code = g_regex_replace_literal (comments, g_bytes_get_data (css, NULL), g_bytes_get_size (css),
                                  0, "", 0, NULL);
  regex = g_regex_new ("@([a-z_]+)", 0, 0, NULL);
  g_regex_match (regex, code, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      GdkRGBA colour;

      if (!gtk_style_context_lookup_color (context, name, &colour))
        g_error ("style.css uses @%s, unknown to libadwaita %d.%d", name,
                 adw_get_major_version (), adw_get_minor_version ());
      n_colours++;
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_assert_cmpuint (n_colours, >, 0);

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

  g_test_add_func ("/kq/main-window/categories-and-switch", test_categories_and_switch);
  g_test_add_func ("/kq/main-window/scroll-loads-next-page", test_scroll_loads_next_page);
  g_test_add_func ("/kq/main-window/open-and-bookmark", test_open_and_bookmark);
  g_test_add_func ("/kq/main-window/restart-keeps-cache-and-bookmark",
                   test_restart_keeps_cache_and_bookmark);
  g_test_add_func ("/kq/main-window/restart-new-articles-above", test_restart_new_articles_above);
  g_test_add_func ("/kq/main-window/server-error-and-retry", test_server_error_and_retry);
  g_test_add_func ("/kq/main-window/nothing-to-read-no-retry", test_nothing_to_read_no_retry);
  g_test_add_func ("/kq/main-window/switch-during-slow-answer", test_switch_during_slow_answer);
  g_test_add_func ("/kq/main-window/switch-shows-progress", test_switch_shows_progress);
  g_test_add_func ("/kq/main-window/folded-navigation", test_folded_navigation);
  g_test_add_func ("/kq/main-window/search-without-accents", test_search_without_accents);
  g_test_add_func ("/kq/main-window/search-releases-bodies", test_search_releases_bodies);
  g_test_add_func ("/kq/main-window/rows-bounded", test_rows_bounded);
  g_test_add_func ("/kq/main-window/scrollbar-follows-rows", test_scrollbar_follows_rows);
  g_test_add_func ("/kq/main-window/row-excerpt-cut", test_row_excerpt_cut);
  g_test_add_func ("/kq/main-window/thumbnail-follows-scale", test_thumbnail_follows_scale);
  g_test_add_func ("/kq/main-window/offline-uses-cache", test_offline_uses_cache);
  g_test_add_func ("/kq/main-window/style-css", test_style_css);

  ret = g_test_run ();
  g_clear_object (&app);
  g_clear_object (&server);
  g_clear_pointer (&bookmarked_title, g_free);
  return ret;
}
