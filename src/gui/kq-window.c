/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-article-list.h"
#include "kq-bench.h"
#include "kq-sidebar.h"
#include "kq-thumbnail-loader.h"
#include "kq-window-private.h"

/*
 * The main window: sidebar, article list, article pane. This file holds the
 * data flow (which list is shown, loading it from the cache then the site,
 * search, errors); kq-window-actions.c the actions and their shortcuts.
 *
 * Every list load gets a new GCancellable and a generation number: leaving a
 * list cancels what it had in flight, and any answer that still arrives for
 * an older generation is dropped, so a slow answer for the previous category
 * can never reach the list shown.
 */

G_DEFINE_FINAL_TYPE (KqWindow, kq_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct
{
  KqWindow  *self;
  guint      generation;
  guint      page;
  gboolean   refresh;
  gboolean   background;
  guint      total_pages;
  GPtrArray *articles;
} Load;

static Load *
load_new (KqWindow *self,
          guint     page)
{
  Load *load = g_new0 (Load, 1);

  load->self = g_object_ref (self);
  load->generation = self->generation;
  load->page = page;

  return load;
}

static void
load_free (Load *load)
{
  g_clear_object (&load->self);
  g_clear_pointer (&load->articles, g_ptr_array_unref);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

/* Whether the answer still belongs to the list shown. */
static gboolean
load_is_current (Load *load)
{
  KqWindow *self = load->self;

  return self->load_cancellable != NULL &&
         !g_cancellable_is_cancelled (self->load_cancellable) &&
         load->generation == self->generation;
}

static gboolean
is_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
_kq_window_update_loading (KqWindow *self)
{
  gboolean loading = self->n_loading > 0;

  gtk_stack_set_visible_child_name (self->refresh_stack, loading ? "spinner" : "button");
  gtk_spinner_set_spinning (self->loading_spinner, loading);
}

static void
loading_begin (KqWindow *self)
{
  self->n_loading++;
  _kq_window_update_loading (self);
}

static void
loading_end (KqWindow *self)
{
  g_return_if_fail (self->n_loading > 0);

  self->n_loading--;
  _kq_window_update_loading (self);
  if (self->n_loading == 0 && self->shown_model != NULL &&
      g_list_model_get_n_items (self->shown_model) > 0)
    kq_bench_mark_after_paint (GTK_WIDGET (self), "list-idle");
}

void
_kq_window_toast (KqWindow   *self,
                  const char *title,
                  const char *button_label,
                  const char *action_name)
{
  AdwToast *toast = adw_toast_new (title);

  if (button_label != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action_name);
    }
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static guint
n_shown (KqWindow *self)
{
  return self->shown_model ? g_list_model_get_n_items (self->shown_model) : 0;
}

/* "list" when there is something to show, else the empty page (or keep loading). */
static void
update_list_page (KqWindow *self,
                  gboolean   done)
{
  const char *title;
  const char *description;
  const char *icon;

  if (n_shown (self) > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }
  if (!done)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
      return;
    }

  if (self->search_text != NULL)
    {
      icon = "system-search-symbolic";
      title = _("No Results");
      description = _("No article matches this search");
    }
  else if (self->kind == KQ_SIDEBAR_BOOKMARKS)
    {
      icon = "starred-symbolic";
      title = _("No Bookmarks");
      description = _("Press Ctrl+D to bookmark the article you are reading: it stays available offline");
    }
  else if (self->offline)
    {
      icon = "network-offline-symbolic";
      title = _("No Saved Articles");
      description = _("Articles are saved as they are listed; go online once to read them offline");
    }
  else
    {
      icon = "document-open-recent-symbolic";
      title = _("No Articles");
      description = _("This category has no articles yet");
    }

  adw_status_page_set_icon_name (self->list_empty, icon);
  adw_status_page_set_title (self->list_empty, title);
  adw_status_page_set_description (self->list_empty, description);
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static void
show_error_page (KqWindow *self,
                 GError   *error)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  const char *icon = "dialog-error-symbolic";
  const char *title = _("The Site Answered with an Error");

  if (g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_UNREACHABLE) ||
      g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_TIMEOUT))
    {
      if (!g_network_monitor_get_network_available (monitor))
        {
          icon = "network-offline-symbolic";
          title = _("You Are Offline");
        }
      else
        {
          icon = "network-error-symbolic";
          title = _("The Site Cannot Be Reached");
        }
    }

  adw_status_page_set_icon_name (self->list_error, icon);
  adw_status_page_set_title (self->list_error, title);
  adw_status_page_set_description (self->list_error, error->message);
  gtk_stack_set_visible_child_name (self->list_stack, "error");
}

static void
handle_load_error (KqWindow *self,
                   Load     *load,
                   GError   *error)
{
  g_debug ("Loading page %u failed: %s", load->page, error->message);

  if (load->page > 1)
    {
      kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_FAILED, error->message);
      return;
    }

  if (n_shown (self) == 0)
    {
      show_error_page (self, error);
      return;
    }

  if (!load->background)
    {
      g_autofree char *title = g_strdup_printf (_("Could not refresh: %s"), error->message);

      _kq_window_toast (self, title, _("_Retry"), "win.refresh");
    }
}

static void
update_more (KqWindow *self)
{
  KqArticleListMore more = KQ_ARTICLE_LIST_MORE_NONE;

  if (self->page < self->total_pages)
    more = KQ_ARTICLE_LIST_MORE_AVAILABLE;

  kq_article_list_set_more (self->article_list, more, NULL);
}

static void
restore_selection (KqWindow *self)
{
  gint64 id = self->restore_article_id;

  if (id == 0 || self->model == NULL)
    return;

  if (kq_article_list_select_article (self->article_list, kq_source_get_url (self->source), id))
    {
      self->restore_article_id = 0;
      if (self->restore_scroll > 0)
        kq_article_list_set_scroll (self->article_list, self->restore_scroll);
      self->restore_scroll = 0;
    }
}

static void
merge_articles (KqWindow  *self,
                Load      *load,
                GPtrArray *articles)
{
  guint added;

  added = kq_article_model_merge (self->model, articles);
  if (articles->len > 0)
    kq_bench_mark_after_paint (GTK_WIDGET (self), "first-rows-network");
  if (articles->len > 0 && self->n_loading == 0)
    kq_bench_mark_after_paint (GTK_WIDGET (self), "list-idle");
  g_debug ("Page %u: %u articles, %u new", load->page, articles->len, added);

  self->page = MAX (self->page, load->page);
  if (load->total_pages > 0)
    self->total_pages = load->total_pages;
  update_more (self);
  update_list_page (self, TRUE);
  restore_selection (self);

  if (load->refresh && added > 0)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u new article",
                                                             "%u new articles", added),
                                                added);

      if (!load->background)
        _kq_window_toast (self, title, NULL, NULL);
      _kq_window_notify_new (self, articles, added);
    }
}

static void
on_articles_by_ids_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_store_get_articles_by_ids_finish (KQ_STORE (object), result, &error);
  loading_end (load->self);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  /* Without the store, the page as the site gave it (no read state). */
  if (error != NULL)
    g_warning ("Could not read back articles: %s", error->message);
  merge_articles (load->self, load, articles && articles->len ? articles : load->articles);
  _kq_window_queue_counts (load->self);
}

static void
read_back_articles (KqWindow *self,
                    Load     *load)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), load->articles->len);

  for (guint i = 0; i < load->articles->len; i++)
    {
      gint64 id = kq_article_get_id (g_ptr_array_index (load->articles, i));

      g_array_append_val (ids, id);
    }

  loading_begin (self);
  kq_store_get_articles_by_ids_async (self->store, kq_source_get_url (self->source),
                                      (gint64 *) ids->data, ids->len, self->load_cancellable,
                                      on_articles_by_ids_cb, load);
}

static void
on_upserted_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  g_autoptr(GError) error = NULL;
  KqWindow *self;

  kq_store_upsert_articles_finish (KQ_STORE (object), result, NULL, NULL, &error);
  loading_end (load->self);
  if (error != NULL)
    g_warning ("Could not save articles: %s", error->message);
  if (!load_is_current (load))
    return;

  if (error != NULL)
    {
      merge_articles (load->self, load, load->articles);
      return;
    }

  /* Read back: the store adds the reader's state (read, bookmarked). */
  self = load->self;
  read_back_articles (self, g_steal_pointer (&load));
}

static void
on_posts_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  KqWindow *self = load->self;
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  load->articles = kq_source_list_posts_finish (KQ_SOURCE (object), result,
                                                &load->total_pages, &error);
  loading_end (self);
  g_debug ("Page %u of list %u: %s", load->page, load->generation,
           error ? error->message : "received");
  if (is_cancelled (error) || !load_is_current (load))
    return;

  if (error != NULL)
    {
      handle_load_error (self, load, error);
      return;
    }

  if (load->articles->len == 0)
    {
      merge_articles (self, load, load->articles);
      return;
    }

  /* Save first (upserts survive a list switch), then merge. The store
   * copies what it needs, so the view keeps its own objects. */
  loading_begin (self);
  articles = load->articles;
  kq_store_upsert_articles_async (self->store, articles, self->cancellable,
                                  on_upserted_cb, g_steal_pointer (&load));
}

static void
fetch_page (KqWindow *self,
            guint     page,
            gboolean  refresh,
            gboolean  background)
{
  Load *load = load_new (self, page);

  load->refresh = refresh;
  load->background = background;
  if (page > 1)
    kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_LOADING, NULL);

  loading_begin (self);
  kq_source_list_posts_async (self->source,
                              self->kind == KQ_SIDEBAR_CATEGORY ? self->category_id : 0,
                              page, self->load_cancellable, on_posts_cb, load);
}

static void
on_cached_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  KqWindow *self = load->self;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_store_list_articles_finish (KQ_STORE (object), result, &error);
  loading_end (self);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  if (error != NULL)
    g_warning ("Could not read the cache: %s", error->message);
  else
    {
      kq_article_model_merge (self->model, articles);
      self->store_offset += articles->len;
      if (articles->len > 0)
        kq_bench_mark_after_paint (GTK_WIDGET (self), "first-rows-cache");
    }

  restore_selection (self);

  if (self->offline)
    {
      kq_article_list_set_more (self->article_list,
                                articles && articles->len == KQ_WINDOW_CACHE_PAGE
                                ? KQ_ARTICLE_LIST_MORE_AVAILABLE : KQ_ARTICLE_LIST_MORE_NONE,
                                NULL);
      update_list_page (self, TRUE);
      return;
    }

  /* Cached rows now, the site's first page next. */
  update_list_page (self, FALSE);
  if (load->page == 0)
    fetch_page (self, 1, n_shown (self) > 0, FALSE);
}

static void
load_cached (KqWindow *self,
             guint     page)
{
  Load *load = load_new (self, page);

  loading_begin (self);
  kq_store_list_articles_async (self->store, kq_source_get_url (self->source),
                                self->kind == KQ_SIDEBAR_CATEGORY ? self->category_id : 0,
                                self->store_offset, KQ_WINDOW_CACHE_PAGE,
                                self->load_cancellable, on_cached_cb, load);
}

static void
on_bookmarks_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_store_list_bookmarks_finish (KQ_STORE (object), result, &error);
  loading_end (load->self);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  if (error != NULL)
    {
      show_error_page (load->self, error);
      return;
    }

  kq_article_model_merge (load->self->model, articles);
  load->self->bookmark_count = articles->len;
  kq_sidebar_set_bookmark_count (load->self->sidebar, articles->len);
  update_list_page (load->self, TRUE);
  restore_selection (load->self);
}

/* Search: the store's results at once, the site's below. */

static void
on_site_search_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  KqWindow *self = load->self;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_source_search_finish (KQ_SOURCE (object), result, &load->total_pages, &error);
  loading_end (self);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  if (error != NULL)
    {
      if (load->page > 1 || n_shown (self) > 0)
        kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_FAILED, error->message);
      else
        show_error_page (self, error);
      return;
    }

  /* What the cache already found is not listed twice. */
  fresh = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);

      if (kq_article_model_lookup (self->model, kq_article_get_source (article),
                                   kq_article_get_id (article)) == NULL)
        g_ptr_array_add (fresh, g_object_ref (article));
    }

  kq_article_model_merge (self->site_model, fresh);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->site_model)) > 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->site_header)) == 0)
    gtk_string_list_append (self->site_header, "header:");

  self->page = MAX (self->page, load->page);
  self->total_pages = load->total_pages;
  update_more (self);
  update_list_page (self, TRUE);

  /* Keep them for offline reading and the next local search. */
  if (articles->len > 0)
    kq_store_upsert_articles_async (self->store, articles, self->cancellable, NULL, NULL);
}

static void
search_site (KqWindow *self,
             guint     page)
{
  Load *load = load_new (self, page);

  if (page > 1)
    kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_LOADING, NULL);
  loading_begin (self);
  kq_source_search_async (self->source, self->search_text, page, self->load_cancellable,
                          on_site_search_cb, load);
}

static void
on_local_search_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  KqWindow *self = load->self;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  results = kq_store_search_finish (KQ_STORE (object), result, &error);
  loading_end (self);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  if (error != NULL)
    g_warning ("Local search failed: %s", error->message);

  articles = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      KqSearchResult *hit = g_ptr_array_index (results, i);

      g_ptr_array_add (articles, g_object_ref (hit->article));
    }
  kq_article_model_merge (self->model, articles);

  if (self->offline)
    {
      update_list_page (self, TRUE);
      return;
    }

  update_list_page (self, FALSE);
  search_site (self, 1);
}

/* Cancels what the previous list had in flight and starts a new generation. */
static void
reset_load (KqWindow *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->generation++;
  self->page = 0;
  self->total_pages = 0;
  self->store_offset = 0;

  g_clear_object (&self->model);
  g_clear_object (&self->site_model);
  g_clear_object (&self->site_header);
  g_clear_object (&self->shown_model);
}

static void
start_search (KqWindow *self)
{
  GListStore *parts;
  Load *load;

  reset_load (self);

  self->model = kq_article_model_new (FALSE);
  self->site_model = kq_article_model_new (FALSE);
  self->site_header = gtk_string_list_new (NULL);
  parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (parts, self->model);
  g_list_store_append (parts, self->site_header);
  g_list_store_append (parts, self->site_model);
  self->shown_model = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));

  kq_article_list_set_model (self->article_list, self->shown_model);
  kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_NONE, NULL);
  adw_window_title_set_title (self->list_title, _("Search"));
  adw_window_title_set_subtitle (self->list_title, self->search_text);
  update_list_page (self, FALSE);

  load = load_new (self, 0);
  loading_begin (self);
  kq_store_search_async (self->store, kq_source_get_url (self->source), self->search_text,
                         KQ_WINDOW_CACHE_PAGE, self->load_cancellable, on_local_search_cb, load);
}

/**
 * _kq_window_start_view:
 *
 * Shows the list the sidebar selects (or the search): cached articles at
 * once, then the site's first page merged in.
 */
void
_kq_window_start_view (KqWindow *self)
{
  if (self->search_text != NULL)
    {
      start_search (self);
      return;
    }

  reset_load (self);
  self->model = kq_article_model_new (self->kind != KQ_SIDEBAR_BOOKMARKS);
  self->shown_model = G_LIST_MODEL (g_object_ref (self->model));
  kq_article_list_set_model (self->article_list, self->shown_model);
  kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_NONE, NULL);
  adw_window_title_set_title (self->list_title, kq_sidebar_get_selected_name (self->sidebar));
  adw_window_title_set_subtitle (self->list_title, self->offline ? _("Offline") : NULL);
  update_list_page (self, FALSE);

  if (self->kind == KQ_SIDEBAR_BOOKMARKS)
    {
      loading_begin (self);
      kq_store_list_bookmarks_async (self->store, self->load_cancellable, on_bookmarks_cb,
                                     load_new (self, 0));
      return;
    }

  load_cached (self, 0);
}

/**
 * _kq_window_refresh:
 * @background: from the refresh timer: no toast for errors
 *
 * Merges the site's first page into the list shown (new articles appear in
 * place, the scroll position and selection stay).
 */
void
_kq_window_refresh (KqWindow *self,
                    gboolean  background)
{
  if (self->offline)
    {
      if (!background)
        _kq_window_toast (self, _("Offline: nothing to refresh"), NULL, NULL);
      return;
    }

  _kq_window_load_categories (self);

  if (self->search_text != NULL || self->kind == KQ_SIDEBAR_BOOKMARKS ||
      self->model == NULL || n_shown (self) == 0 ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "error") == 0)
    {
      if (!background)
        _kq_window_start_view (self);
      return;
    }

  fetch_page (self, 1, TRUE, background);
}

static void
on_load_more_cb (KqWindow *self)
{
  if (self->search_text != NULL)
    {
      if (self->page < self->total_pages)
        search_site (self, self->page + 1);
      return;
    }

  if (self->kind == KQ_SIDEBAR_BOOKMARKS)
    return;

  if (self->offline)
    {
      kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_LOADING, NULL);
      load_cached (self, 1);
      return;
    }

  fetch_page (self, self->page + 1, FALSE, FALSE);
}

/* Categories: from the cache, then from the site. */

static void
on_store_categories_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;
  gint64 selected_id;

  categories = kq_store_list_categories_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        g_warning ("Could not read the categories: %s", error->message);
      return;
    }

  kq_sidebar_set_categories (self->sidebar, categories);

  /* The list restored at launch may be a category only known now. */
  if (self->search_text == NULL &&
      (kq_sidebar_get_selected (self->sidebar, &selected_id) != self->kind ||
       (self->kind == KQ_SIDEBAR_CATEGORY && selected_id != self->category_id)))
    {
      g_signal_handlers_block_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      kq_sidebar_select (self->sidebar, self->kind, self->category_id);
      g_signal_handlers_unblock_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      adw_window_title_set_title (self->list_title, kq_sidebar_get_selected_name (self->sidebar));
    }
}

static void
on_unread_counted_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 count;

  count = kq_store_count_unread_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        g_warning ("Could not count the unread articles: %s", error->message);
      return;
    }

  kq_sidebar_set_unread_count (self->sidebar, KQ_SIDEBAR_ALL, 0, (int) MIN (count, G_MAXINT));
}

/* The categories with their unread counts, and "À la une"'s (the whole site's). */
static void
read_store_categories (KqWindow *self)
{
  kq_store_list_categories_async (self->store, kq_source_get_url (self->source),
                                  self->cancellable, on_store_categories_cb,
                                  g_object_ref (self));
  kq_store_count_unread_async (self->store, kq_source_get_url (self->source), 0,
                               self->cancellable, on_unread_counted_cb, g_object_ref (self));
}

static void
on_categories_saved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_upsert_categories_finish (KQ_STORE (object), result, &error))
    {
      if (!is_cancelled (error))
        g_warning ("Could not save the categories: %s", error->message);
      return;
    }

  read_store_categories (self);
}

static void
on_site_categories_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;

  categories = kq_source_list_categories_finish (KQ_SOURCE (object), result, &error);
  loading_end (self);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        g_debug ("Could not list the categories: %s", error->message);
      return;
    }

  if (kq_sidebar_get_n_categories (self->sidebar) == 0)
    kq_sidebar_set_categories (self->sidebar, categories);
  kq_store_upsert_categories_async (self->store, kq_source_get_url (self->source), categories,
                                    self->cancellable, on_categories_saved_cb,
                                    g_object_ref (self));
}

void
_kq_window_load_categories (KqWindow *self)
{
  if (self->offline)
    return;

  loading_begin (self);
  kq_source_list_categories_async (self->source, self->cancellable, on_site_categories_cb,
                                   g_object_ref (self));
}

static gboolean
update_counts_cb (gpointer data)
{
  KqWindow *self = data;

  self->counts_timeout_id = 0;
  read_store_categories (self);

  return G_SOURCE_REMOVE;
}

/* Unread counts change as articles are read or arrive: re-read them soon. */
void
_kq_window_queue_counts (KqWindow *self)
{
  if (self->counts_timeout_id == 0)
    self->counts_timeout_id = g_timeout_add (400, update_counts_cb, self);
}

/* Opening an article */

static void
show_article (KqWindow  *self,
              KqArticle *article)
{
  if (self->article != article)
    return;

  adw_window_title_set_title (self->article_title, kq_article_get_title (article));
  if (kq_article_view_get_article (self->article_view) != article)
    kq_article_view_set_article (self->article_view, article);
  gtk_stack_set_visible_child_name (self->article_stack, "article");
  gtk_toggle_button_set_active (self->bookmark_button, kq_article_get_bookmarked (article));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->bookmark_button),
                               kq_article_get_bookmarked (article)
                               ? _("Remove Bookmark (Ctrl+D)") : _("Bookmark (Ctrl+D)"));
  gtk_button_set_icon_name (GTK_BUTTON (self->bookmark_button),
                            kq_article_get_bookmarked (article)
                            ? "starred-symbolic" : "non-starred-symbolic");
}

static void
on_article_state_cb (KqWindow   *self,
                     GParamSpec *pspec,
                     KqArticle  *article)
{
  show_article (self, article);
}

static void
on_post_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(KqArticle) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) one = NULL;

  full = kq_source_get_post_finish (KQ_SOURCE (object), result, &error);
  loading_end (self);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        {
          g_autofree char *title = g_strdup_printf (_("Could not load the article: %s"),
                                                    error->message);
          _kq_window_toast (self, title, NULL, NULL);
        }
      return;
    }

  if (self->article == NULL || kq_article_get_id (self->article) != kq_article_get_id (full))
    return;

  kq_article_model_update_from (self->article, full);
  /* Re-render with the body. */
  kq_article_view_set_article (self->article_view, NULL);
  show_article (self, self->article);
  one = g_ptr_array_new ();
  g_ptr_array_add (one, full);
  kq_store_upsert_articles_async (self->store, one, self->cancellable, NULL, NULL);
}

static void
on_read_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_set_read_finish (KQ_STORE (object), result, &error))
    {
      if (!is_cancelled (error))
        g_warning ("Could not save the read state: %s", error->message);
      return;
    }

  _kq_window_queue_counts (self);
}

void
_kq_window_open_article (KqWindow  *self,
                         KqArticle *article)
{
  g_return_if_fail (KQ_IS_ARTICLE (article));

  if (self->article != article)
    {
      if (self->article != NULL)
        g_signal_handlers_disconnect_by_func (self->article, on_article_state_cb, self);
      g_set_object (&self->article, article);
      g_signal_connect_object (article, "notify::bookmarked",
                               G_CALLBACK (on_article_state_cb), self, G_CONNECT_SWAPPED);
    }

  show_article (self, article);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-bookmark", TRUE);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "article");

  if (!kq_article_get_read (article))
    {
      kq_article_set_read (article, TRUE);
      kq_store_set_read_async (self->store, kq_article_get_source (article),
                               kq_article_get_id (article), TRUE, self->cancellable,
                               on_read_saved_cb, g_object_ref (self));
    }

  /* A list page may come without the body: fetch the post itself. */
  if (kq_article_get_body_html (article) == NULL && !self->offline)
    {
      loading_begin (self);
      kq_source_get_post_async (self->source, kq_article_get_id (article), self->cancellable,
                                on_post_cb, g_object_ref (self));
    }
}

static void
on_article_selected_cb (KqWindow      *self,
                        KqArticle     *article,
                        KqArticleList *list)
{
  _kq_window_open_article (self, article);
}

/* A link in an article to another article of the same site: open it here,
 * from the cache or else from the site; the browser only when neither has it. */

typedef struct
{
  KqWindow  *self;
  char      *uri;
  KqArticle *from;   /* shown when the link was followed */
} LinkLookup;

static void
link_lookup_free (LinkLookup *lookup)
{
  g_clear_object (&lookup->self);
  g_clear_object (&lookup->from);
  g_free (lookup->uri);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinkLookup, link_lookup_free)

/* Still on the article whose link was followed. */
static gboolean
link_lookup_is_current (LinkLookup *lookup)
{
  return lookup->self->article == lookup->from;
}

static void
open_linked_article (KqWindow  *self,
                     KqArticle *article)
{
  g_debug ("Opening the linked article %" G_GINT64_FORMAT, kq_article_get_id (article));

  /* Listed: select its row, which opens it. */
  if (kq_article_list_select_article (self->article_list, kq_article_get_source (article),
                                      kq_article_get_id (article)))
    return;

  _kq_window_open_article (self, article);
}

static void
on_link_found_on_site_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(LinkLookup) lookup = user_data;
  KqWindow *self = lookup->self;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GError) error = NULL;

  article = kq_source_get_post_by_link_finish (KQ_SOURCE (object), result, &error);
  loading_end (self);
  if (is_cancelled (error) || !link_lookup_is_current (lookup))
    return;

  if (article == NULL)
    {
      g_debug ("%s is not an article Kiosque can find: %s", lookup->uri, error->message);
      kq_article_view_open_uri (self->article_view, lookup->uri);
      return;
    }

  /* Kept for offline reading and the next time. */
  one = g_ptr_array_new ();
  g_ptr_array_add (one, article);
  kq_store_upsert_articles_async (self->store, one, self->cancellable, NULL, NULL);
  open_linked_article (self, article);
}

static void
on_link_found_in_store_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(LinkLookup) lookup = user_data;
  KqWindow *self = lookup->self;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GError) error = NULL;
  const char *source;
  const char *uri;

  article = kq_store_get_article_by_link_finish (KQ_STORE (object), result, &error);
  if (is_cancelled (error) || !link_lookup_is_current (lookup))
    return;

  if (article != NULL)
    {
      open_linked_article (self, article);
      return;
    }

  /* Not cached: ask the site, if it is the one the window reads. */
  source = kq_article_get_source (lookup->from);
  if (self->offline || g_strcmp0 (source, kq_source_get_url (self->source)) != 0)
    {
      kq_article_view_open_uri (self->article_view, lookup->uri);
      return;
    }

  loading_begin (self);
  uri = lookup->uri;
  kq_source_get_post_by_link_async (self->source, uri, self->link_cancellable,
                                    on_link_found_on_site_cb, g_steal_pointer (&lookup));
}

static gboolean
on_open_article_link_cb (KqWindow      *self,
                         const char    *uri,
                         KqArticleView *view)
{
  KqArticle *from = kq_article_view_get_article (view);
  LinkLookup *lookup;

  if (from == NULL || self->store == NULL || kq_article_get_source (from) == NULL)
    return FALSE;

  g_cancellable_cancel (self->link_cancellable);
  g_clear_object (&self->link_cancellable);
  self->link_cancellable = g_cancellable_new ();

  lookup = g_new0 (LinkLookup, 1);
  lookup->self = g_object_ref (self);
  lookup->uri = g_strdup (uri);
  lookup->from = g_object_ref (from);
  kq_store_get_article_by_link_async (self->store, kq_article_get_source (from), uri,
                                      self->link_cancellable, on_link_found_in_store_cb, lookup);

  return TRUE;
}

static void
on_view_bookmark_toggled_cb (KqWindow      *self,
                             KqArticle     *article,
                             gboolean       bookmarked,
                             KqArticleView *view)
{
  _kq_window_set_bookmarked (self, article, bookmarked);
}

static void
on_sidebar_selected_cb (KqWindow   *self,
                        int         kind,
                        gint64      category_id,
                        const char *name,
                        KqSidebar  *sidebar)
{
  /* Choosing a list ends the search. */
  if (self->search_text != NULL)
    {
      g_clear_pointer (&self->search_text, g_free);
      g_signal_handlers_block_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      kq_sidebar_set_search_text (self->sidebar, "");
      g_signal_handlers_unblock_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }
  else if (self->model != NULL && (int) self->kind == kind && self->category_id == category_id)
    {
      if (adw_leaflet_get_folded (self->leaflet))
        adw_leaflet_set_visible_child_name (self->leaflet, "list");
      return;
    }

  self->kind = kind;
  self->category_id = kind == KQ_SIDEBAR_CATEGORY ? category_id : 0;
  _kq_window_start_view (self);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
on_search_changed_cb (KqWindow   *self,
                      const char *text,
                      KqSidebar  *sidebar)
{
  if (text == NULL || *text == '\0')
    {
      if (self->search_text == NULL)
        return;
      g_clear_pointer (&self->search_text, g_free);
    }
  else
    {
      if (g_strcmp0 (self->search_text, text) == 0)
        return;
      g_free (self->search_text);
      self->search_text = g_strdup (text);
    }

  _kq_window_start_view (self);
}

/* Set-up */

/* HTTP validators: kept with their body, so that the first requests of the
 * next start are conditional and a 304 reuses that body. */
#define VALIDATOR_MAX_BODY      (2 * 1024 * 1024)
#define PRELOAD_MAX_VALIDATORS  64
#define PRELOAD_MAX_BYTES       (16 * 1024 * 1024)

static void
on_validator_changed_cb (KqWindow   *self,
                         const char *url,
                         const char *etag,
                         const char *last_modified,
                         KqHttp     *http)
{
  g_autoptr(GBytes) body = kq_http_get_validator_body (http, url);

  /* A validator without its body cannot answer a 304: not worth keeping. */
  if (body == NULL || g_bytes_get_size (body) > VALIDATOR_MAX_BODY)
    etag = last_modified = NULL;

  kq_store_set_validator_async (self->store, url, etag, last_modified,
                                etag || last_modified ? body : NULL,
                                self->cancellable, NULL, NULL);
}

static void
on_validators_listed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GPtrArray) validators = NULL;
  g_autoptr(GError) error = NULL;
  gsize bytes = 0;
  guint n = 0;

  validators = kq_store_list_validators_finish (KQ_STORE (object), result, &error);
  if (is_cancelled (error))
    return;
  if (error != NULL)
    g_warning ("Could not read the HTTP validators: %s", error->message);

  for (guint i = 0; validators != NULL && i < validators->len; i++)
    {
      KqStoreValidator *validator = g_ptr_array_index (validators, i);
      gsize size = validator->body != NULL ? g_bytes_get_size (validator->body) : 0;

      if (size == 0 || n >= PRELOAD_MAX_VALIDATORS || bytes + size > PRELOAD_MAX_BYTES)
        continue;
      kq_http_set_validator (self->http, validator->url, validator->etag,
                             validator->last_modified, validator->body);
      bytes += size;
      n++;
    }
  g_debug ("%u HTTP validators preloaded (%" G_GSIZE_FORMAT " bytes)", n, bytes);

  /* Now the first requests can be conditional. */
  _kq_window_load_categories (self);
}

static void
on_store_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_open_finish (KQ_STORE (object), result, &error))
    {
      if (is_cancelled (error))
        return;
      g_warning ("Could not open the cache: %s", error->message);
      _kq_window_toast (self, error->message, NULL, NULL);
    }
  else if (kq_store_get_recovered (self->store))
    _kq_window_toast (self, _("The cache was damaged and has been rebuilt; bookmarks were kept"),
                      NULL, NULL);

  /* Keep the cache within its size (never the bookmarks). */
  kq_store_prune_async (self->store, 0,
                        g_settings_get_uint (self->settings, "cache-max-articles"),
                        self->cancellable, NULL, NULL);
}

static void
restore_state (KqWindow *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-category");

  self->kind = KQ_SIDEBAR_ALL;
  self->category_id = 0;
  if (g_strcmp0 (last, "bookmarks") == 0)
    self->kind = KQ_SIDEBAR_BOOKMARKS;
  else if (g_str_has_prefix (last, "category:"))
    {
      gint64 id = g_ascii_strtoll (last + strlen ("category:"), NULL, 10);

      if (id > 0)
        {
          self->kind = KQ_SIDEBAR_CATEGORY;
          self->category_id = id;
        }
    }

  self->restore_article_id = g_settings_get_int64 (self->settings, "last-article");
  self->restore_scroll = g_settings_get_double (self->settings, "last-scroll");

  g_signal_handlers_block_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  kq_sidebar_select (self->sidebar, self->kind, self->category_id);
  g_signal_handlers_unblock_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
save_state (KqWindow *self)
{
  g_autofree char *last = NULL;

  if (self->kind == KQ_SIDEBAR_BOOKMARKS)
    last = g_strdup ("bookmarks");
  else if (self->kind == KQ_SIDEBAR_CATEGORY)
    last = g_strdup_printf ("category:%" G_GINT64_FORMAT, self->category_id);
  else
    last = g_strdup ("all");

  g_settings_set_string (self->settings, "last-category", last);
  g_settings_set_int64 (self->settings, "last-article",
                        self->article ? kq_article_get_id (self->article) : 0);
  g_settings_set_double (self->settings, "last-scroll",
                         self->search_text ? 0 : kq_article_list_get_scroll (self->article_list));
}

static gboolean
kq_window_close_request (GtkWindow *window)
{
  save_state (KQ_WINDOW (window));

  return GTK_WINDOW_CLASS (kq_window_parent_class)->close_request (window);
}

static gboolean
background_refresh_cb (gpointer data)
{
  KqWindow *self = data;

  g_debug ("Background refresh");
  _kq_window_refresh (self, TRUE);

  return G_SOURCE_CONTINUE;
}

static void
on_refresh_interval_changed_cb (KqWindow *self)
{
  guint minutes = g_settings_get_uint (self->settings, "refresh-interval");

  g_clear_handle_id (&self->refresh_timer_id, g_source_remove);
  if (minutes > 0 && !self->offline)
    self->refresh_timer_id = g_timeout_add_seconds (minutes * 60, background_refresh_cb, self);
}

static void
on_load_images_changed_cb (KqWindow *self)
{
  kq_article_list_set_show_images (self->article_list,
                                   g_settings_get_boolean (self->settings, "load-images"));
}

static char *
source_url (KqWindow *self)
{
  KqApplication *app = KQ_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const char *url = app ? kq_application_get_source_url (app) : NULL;
  g_autofree char *setting = g_settings_get_string (self->settings, "source-url");

  if (url != NULL)
    return g_strdup (url);
  if (setting != NULL && *setting != '\0')
    return g_steal_pointer (&setting);

  return g_strdup (DEFAULT_SOURCE_URL);
}

static void
set_source (KqWindow   *self,
            const char *url)
{
  g_clear_object (&self->source);
  self->source = kq_source_new (self->http, url);
  kq_article_view_set_source (self->article_view, self->source);
  g_debug ("Source %s", kq_source_get_url (self->source));
}

static void
on_source_url_changed_cb (KqWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "source-url");

  /* Changed in the preferences: read the new site from now on. */
  if (url == NULL || *url == '\0')
    url = g_strdup (DEFAULT_SOURCE_URL);
  if (g_strcmp0 (url, kq_source_get_url (self->source)) == 0)
    return;

  set_source (self, url);
  kq_sidebar_set_categories (self->sidebar, NULL);
  self->kind = KQ_SIDEBAR_ALL;
  self->category_id = 0;
  g_signal_handlers_block_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  kq_sidebar_select (self->sidebar, KQ_SIDEBAR_ALL, 0);
  g_signal_handlers_unblock_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  read_store_categories (self);
  _kq_window_load_categories (self);
  _kq_window_start_view (self);
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

/* Once the application is set (it is not a construct property). */
static void
start (KqWindow *self)
{
  KqApplication *app;
  g_autofree char *url = NULL;

  app = KQ_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  self->offline = app != NULL && kq_application_get_offline (app);
  gtk_revealer_set_reveal_child (self->offline_revealer, self->offline);

  url = source_url (self);
  self->http = kq_http_new ();
  set_source (self, url);
  self->store = kq_store_new (NULL);
  self->image_loader = kq_image_loader_new (self->http, NULL);
  kq_thumbnail_loader_set_backend (G_OBJECT (self->image_loader));
  kq_article_view_set_image_loader (self->article_view, self->image_loader);
  g_signal_connect_object (self->http, "validator-changed",
                           G_CALLBACK (on_validator_changed_cb), self, G_CONNECT_SWAPPED);
  kq_store_open_async (self->store, self->cancellable, on_store_opened_cb, g_object_ref (self));

  g_signal_connect_object (self->settings, "changed::refresh-interval",
                           G_CALLBACK (on_refresh_interval_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::load-images",
                           G_CALLBACK (on_load_images_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::source-url",
                           G_CALLBACK (on_source_url_changed_cb), self, G_CONNECT_SWAPPED);
  on_refresh_interval_changed_cb (self);
  on_load_images_changed_cb (self);

  /* Jobs run in order on the store's thread: these see the opened database. */
  restore_state (self);
  kq_store_list_validators_async (self->store, self->cancellable, on_validators_listed_cb,
                                  g_object_ref (self));
  read_store_categories (self);
  _kq_window_start_view (self);
  _kq_window_update_bookmark_count (self);

  /* KIOSQUE_BENCHMARK=1 only (tests/bench/bench-startup). */
  kq_bench_watch (GTK_WINDOW (self), self->article_list, self->article_view);
}

static void
kq_window_dispose (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->link_cancellable);
  g_clear_handle_id (&self->refresh_timer_id, g_source_remove);
  g_clear_handle_id (&self->counts_timeout_id, g_source_remove);
  if (self->article != NULL)
    g_signal_handlers_disconnect_by_func (self->article, on_article_state_cb, self);
  g_clear_object (&self->article);
  g_clear_object (&self->removed_bookmark);

  gtk_widget_dispose_template (GTK_WIDGET (self), KQ_TYPE_WINDOW);

  g_clear_object (&self->model);
  g_clear_object (&self->site_model);
  g_clear_object (&self->site_header);
  g_clear_object (&self->shown_model);
  g_clear_object (&self->source);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->store);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (kq_window_parent_class)->dispose (object);
}

static void
kq_window_finalize (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->link_cancellable);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (kq_window_parent_class)->finalize (object);
}

static void
kq_window_class_init (KqWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = kq_window_constructed;
  object_class->dispose = kq_window_dispose;
  object_class->finalize = kq_window_finalize;
  window_class->close_request = kq_window_close_request;

  g_type_ensure (KQ_TYPE_SIDEBAR);
  g_type_ensure (KQ_TYPE_ARTICLE_LIST);
  g_type_ensure (KQ_TYPE_ARTICLE_VIEW);

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
  gtk_widget_class_bind_template_child (widget_class, KqWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_list);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_title);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_empty);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_error);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, bookmark_button);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_view);

  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_article_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_load_more_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_bookmark_toggled_cb);

  _kq_window_class_add_actions (widget_class);
}

static void
kq_window_init (KqWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();

  gtk_stack_set_visible_child_name (self->sidebar_stack, "sidebar");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-bookmark", FALSE);
  g_signal_connect_object (self->article_view, "open-article-link",
                           G_CALLBACK (on_open_article_link_cb), self, G_CONNECT_SWAPPED);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

KqWindow *
kq_window_new (KqApplication *application)
{
  KqWindow *self = g_object_new (KQ_TYPE_WINDOW,
                                 "application", application,
                                 NULL);

  start (self);

  return self;
}

/**
 * kq_window_show_article:
 * @id: an article of the window's source
 *
 * Opens that article (from a notification or the saved state).
 */
void
kq_window_show_article (KqWindow *self,
                        gint64    id)
{
  g_return_if_fail (KQ_IS_WINDOW (self));

  if (kq_article_list_select_article (self->article_list, kq_source_get_url (self->source), id))
    return;

  self->restore_article_id = id;
  self->kind = KQ_SIDEBAR_ALL;
  self->category_id = 0;
  g_clear_pointer (&self->search_text, g_free);
  kq_sidebar_select (self->sidebar, KQ_SIDEBAR_ALL, 0);
}

/**
 * kq_window_get_source:
 *
 * Returns: (transfer none): the site the window reads
 */
KqSource *
kq_window_get_source (KqWindow *self)
{
  g_return_val_if_fail (KQ_IS_WINDOW (self), NULL);

  return self->source;
}

/**
 * kq_window_get_store:
 *
 * Returns: (transfer none): the window's cache
 */
KqStore *
kq_window_get_store (KqWindow *self)
{
  g_return_val_if_fail (KQ_IS_WINDOW (self), NULL);

  return self->store;
}
