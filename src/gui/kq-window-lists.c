/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-bench.h"
#include "kq-window-private.h"

/*
 * The list shown: the sidebar's choice (or the search, kq-window-search.c)
 * from the cache at once, then the site's pages merged in; bookmarks from
 * the store; errors as a status page or a toast; loading more at the end.
 *
 * Every list load gets a new GCancellable and a generation number: leaving a
 * list cancels what it had in flight, and any answer that still arrives for
 * an older generation is dropped, so a slow answer for the previous category
 * can never reach the list shown.
 */

KqWindowLoad *
_kq_window_load_new (KqWindow *self,
                     guint     page)
{
  KqWindowLoad *load = g_new0 (KqWindowLoad, 1);

  load->self = g_object_ref (self);
  load->generation = self->generation;
  load->page = page;

  return load;
}

void
_kq_window_load_free (KqWindowLoad *load)
{
  g_clear_object (&load->self);
  g_clear_pointer (&load->articles, g_ptr_array_unref);
  g_free (load);
}

/* Whether the answer still belongs to the list shown. */
gboolean
_kq_window_load_is_current (KqWindowLoad *load)
{
  KqWindow *self = load->self;

  return self->load_cancellable != NULL &&
         !g_cancellable_is_cancelled (self->load_cancellable) &&
         load->generation == self->generation;
}

guint
_kq_window_n_shown (KqWindow *self)
{
  return self->shown_model ? g_list_model_get_n_items (self->shown_model) : 0;
}

/* "list" when there is something to show, else the empty page (or keep loading). */
void
_kq_window_update_list_page (KqWindow *self,
                             gboolean  done)
{
  const char *title;
  const char *description;
  const char *icon;

  if (_kq_window_n_shown (self) > 0)
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

void
_kq_window_show_error_page (KqWindow *self,
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
                   KqWindowLoad     *load,
                   GError   *error)
{
  g_debug ("Loading page %u failed: %s", load->page, error->message);

  if (load->page > 1)
    {
      kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_FAILED, error->message);
      return;
    }

  if (_kq_window_n_shown (self) == 0)
    {
      _kq_window_show_error_page (self, error);
      return;
    }

  if (!load->background)
    {
      g_autofree char *title = g_strdup_printf (_("Could not refresh: %s"), error->message);

      _kq_window_toast (self, title, _("_Retry"), "win.refresh");
    }
}

void
_kq_window_update_more (KqWindow *self)
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
                KqWindowLoad      *load,
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
  _kq_window_update_more (self);
  _kq_window_update_list_page (self, TRUE);
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
  g_autoptr(KqWindowLoad) load = user_data;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_store_get_articles_by_ids_finish (KQ_STORE (object), result, &error);
  _kq_window_loading_end (load->self);
  if (_kq_window_is_cancelled (error) || !_kq_window_load_is_current (load))
    return;

  /* Without the store, the page as the site gave it (no read state). */
  if (error != NULL)
    g_warning ("Could not read back articles: %s", error->message);
  merge_articles (load->self, load, articles && articles->len ? articles : load->articles);
  _kq_window_queue_counts (load->self);
}

static void
read_back_articles (KqWindow *self,
                    KqWindowLoad     *load)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), load->articles->len);

  for (guint i = 0; i < load->articles->len; i++)
    {
      gint64 id = kq_article_get_id (g_ptr_array_index (load->articles, i));

      g_array_append_val (ids, id);
    }

  _kq_window_loading_begin (self);
  kq_store_get_articles_by_ids_async (self->store, kq_source_get_url (self->source),
                                      (gint64 *) ids->data, ids->len, self->load_cancellable,
                                      on_articles_by_ids_cb, load);
}

static void
on_upserted_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KqWindowLoad) load = user_data;
  g_autoptr(GError) error = NULL;
  KqWindow *self;

  kq_store_upsert_articles_finish (KQ_STORE (object), result, NULL, NULL, &error);
  _kq_window_loading_end (load->self);
  if (error != NULL)
    g_warning ("Could not save articles: %s", error->message);
  if (!_kq_window_load_is_current (load))
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
  g_autoptr(KqWindowLoad) load = user_data;
  KqWindow *self = load->self;
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  load->articles = kq_source_list_posts_finish (KQ_SOURCE (object), result,
                                                &load->total_pages, &error);
  _kq_window_loading_end (self);
  g_debug ("Page %u of list %u: %s", load->page, load->generation,
           error ? error->message : "received");
  if (_kq_window_is_cancelled (error) || !_kq_window_load_is_current (load))
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
  _kq_window_loading_begin (self);
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
  KqWindowLoad *load = _kq_window_load_new (self, page);

  load->refresh = refresh;
  load->background = background;
  if (page > 1)
    kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_LOADING, NULL);

  _kq_window_loading_begin (self);
  kq_source_list_posts_async (self->source,
                              self->kind == KQ_SIDEBAR_CATEGORY ? self->category_id : 0,
                              page, self->load_cancellable, on_posts_cb, load);
}

/* Cached rows merged before the first frame with them: more than a
 * maximized window shows on a 1080p screen (rows are ~80 px or more). */
#define KQ_WINDOW_FIRST_ROWS 14

static void apply_cached (KqWindowLoad *load,
                          GPtrArray    *articles,
                          GError       *error);

/* The window is on screen but has not drawn its first frame yet. */
static gboolean
first_frame_pending (KqWindow *self)
{
  GdkFrameClock *clock;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  /* -1 until the clock runs its first frame. */
  return clock != NULL && gdk_frame_clock_get_frame_counter (clock) < 0;
}

typedef struct
{
  KqWindowLoad *load;   /* the cached rows in load->articles */
  GSourceFunc   func;   /* called with load, which it does not own */
} DeferredCache;

static gboolean
apply_deferred_cache (gpointer data)
{
  KqWindowLoad *load = data;

  if (_kq_window_load_is_current (load))
    apply_cached (load, load->articles, NULL);

  return G_SOURCE_REMOVE;
}

static void
on_first_paint_cb (GdkFrameClock *clock,
                   DeferredCache *deferred)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, deferred->func, g_steal_pointer (&deferred->load),
                   (GDestroyNotify) _kq_window_load_free);
  g_signal_handlers_disconnect_by_func (clock, on_first_paint_cb, deferred);
}

static void
deferred_cache_free (gpointer  data,
                     GClosure *closure)
{
  DeferredCache *deferred = data;

  g_clear_pointer (&deferred->load, _kq_window_load_free);
  g_free (deferred);
}

/* Calls @func with @load (taken) once the window's next frame is painted. */
static void
defer_after_paint (KqWindow     *self,
                   KqWindowLoad *load,
                   GSourceFunc   func)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  DeferredCache *deferred;

  if (clock == NULL)
    {
      func (load);
      _kq_window_load_free (load);
      return;
    }

  deferred = g_new0 (DeferredCache, 1);
  deferred->load = load;
  deferred->func = func;
  g_signal_connect_data (clock, "after-paint", G_CALLBACK (on_first_paint_cb), deferred,
                         deferred_cache_free, 0);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

static void
on_cached_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KqWindowLoad) load = user_data;
  KqWindow *self = load->self;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_store_list_articles_finish (KQ_STORE (object), result, &error);
  _kq_window_loading_end (self);
  if (_kq_window_is_cancelled (error) || !_kq_window_load_is_current (load))
    return;

  /* At startup, draw the window first: laying the cached rows out would
   * delay its first frame. They come right after it. */
  if (error == NULL && articles->len > 0 && first_frame_pending (self))
    {
      load->articles = g_steal_pointer (&articles);
      defer_after_paint (self, g_steal_pointer (&load), apply_deferred_cache);
      return;
    }

  apply_cached (load, articles, error);
}

/* The rest of a cached page (apply_cached ()), still in the list shown
 * (store_offset counts them already). */
static gboolean
merge_cached_rest (gpointer data)
{
  KqWindowLoad *load = data;
  KqWindow *self = load->self;

  if (load->generation != self->generation)
    return G_SOURCE_REMOVE;

  kq_article_model_merge (self->model, load->articles);
  restore_selection (self);

  return G_SOURCE_REMOVE;
}

static void
apply_cached (KqWindowLoad *load,
              GPtrArray    *articles,
              GError       *error)
{
  KqWindow *self = load->self;

  if (error != NULL)
    g_warning ("Could not read the cache: %s", error->message);
  else if (articles->len > KQ_WINDOW_FIRST_ROWS && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      /* What a screen shows first, the rest of the page after that frame:
       * each row the grid builds is laid out, and it builds them for as many
       * articles as it has, up to about 30. */
      g_autoptr(GPtrArray) first = g_ptr_array_new_full (KQ_WINDOW_FIRST_ROWS, NULL);
      KqWindowLoad *rest = _kq_window_load_new (self, load->page);

      rest->articles = g_ptr_array_new_full (articles->len - KQ_WINDOW_FIRST_ROWS, g_object_unref);
      for (guint i = 0; i < articles->len; i++)
        {
          if (i < KQ_WINDOW_FIRST_ROWS)
            g_ptr_array_add (first, g_ptr_array_index (articles, i));
          else
            g_ptr_array_add (rest->articles, g_object_ref (g_ptr_array_index (articles, i)));
        }
      kq_article_model_merge (self->model, first);
      self->store_offset += articles->len;
      kq_bench_mark_after_paint (GTK_WIDGET (self), "first-rows-cache");
      defer_after_paint (self, rest, merge_cached_rest);
    }
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
      _kq_window_update_list_page (self, TRUE);
      return;
    }

  /* Cached rows now, the site's first page next. */
  _kq_window_update_list_page (self, FALSE);
  if (load->page == 0)
    fetch_page (self, 1, _kq_window_n_shown (self) > 0, FALSE);
}

static void
load_cached (KqWindow *self,
             guint     page)
{
  KqWindowLoad *load = _kq_window_load_new (self, page);

  _kq_window_loading_begin (self);
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
  g_autoptr(KqWindowLoad) load = user_data;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_store_list_bookmarks_finish (KQ_STORE (object), result, &error);
  _kq_window_loading_end (load->self);
  if (_kq_window_is_cancelled (error) || !_kq_window_load_is_current (load))
    return;

  if (error != NULL)
    {
      _kq_window_show_error_page (load->self, error);
      return;
    }

  kq_article_model_merge (load->self->model, articles);
  load->self->bookmark_count = articles->len;
  kq_sidebar_set_bookmark_count (load->self->sidebar, articles->len);
  _kq_window_update_list_page (load->self, TRUE);
  restore_selection (load->self);
}

/* Cancels what the previous list had in flight and starts a new generation. */
void
_kq_window_reset_load (KqWindow *self)
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
      _kq_window_start_search (self);
      return;
    }

  _kq_window_reset_load (self);
  self->model = kq_article_model_new (self->kind != KQ_SIDEBAR_BOOKMARKS);
  self->shown_model = G_LIST_MODEL (g_object_ref (self->model));
  kq_article_list_set_model (self->article_list, self->shown_model);
  kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_NONE, NULL);
  adw_window_title_set_title (self->list_title, kq_sidebar_get_selected_name (self->sidebar));
  adw_window_title_set_subtitle (self->list_title, self->offline ? _("Offline") : NULL);
  _kq_window_update_list_page (self, FALSE);

  if (self->kind == KQ_SIDEBAR_BOOKMARKS)
    {
      _kq_window_loading_begin (self);
      kq_store_list_bookmarks_async (self->store, self->load_cancellable, on_bookmarks_cb,
                                     _kq_window_load_new (self, 0));
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
      self->model == NULL || _kq_window_n_shown (self) == 0 ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "error") == 0)
    {
      if (!background)
        _kq_window_start_view (self);
      return;
    }

  fetch_page (self, 1, TRUE, background);
}

void
_kq_window_load_more (KqWindow *self)
{
  if (self->search_text != NULL)
    {
      if (self->page < self->total_pages)
        _kq_window_search_site (self, self->page + 1);
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

