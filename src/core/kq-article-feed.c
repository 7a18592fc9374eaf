/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-feed"

#include "config.h"

#include "kq-article-feed.h"
#include "kq-article-model.h"
#include "kq-library-private.h"

/*
 * One list shown, like GNOME Calendar's GcalTimeline: it asks the cache, then
 * the site, saves what the site gave, reads it back with the reader's state
 * (read, bookmarked) and merges it into its KqArticleModel, whose
 * items-changed it passes on as its own.
 *
 * Every start gets a new GCancellable and a generation number: starting over
 * or cancel() cancels what was in flight, and an answer that still arrives
 * for an older generation is dropped, so a slow answer for a list left never
 * reaches it. Saving is not cancelled with the list: what the site gave is
 * kept even when the reader has moved on.
 */

/* Cached rows merged at once; the rest of the page a moment later (at a
 * priority below drawing): a window draws what a screen shows first. More
 * than a maximized window shows on a 1080p screen (rows are ~80 px or more). */
#define FIRST_ROWS 14

struct _KqArticleFeed
{
  GObject            parent_instance;

  KqLibrary         *library;       /* unowned: it detaches its feeds when it goes */
  KqSource          *source;        /* the library's when the feed was made */
  KqStore           *store;
  KqArticleFeedKind  kind;
  gint64             category_id;
  char              *search_text;

  KqArticleModel    *model;
  KqArticleModel    *site_model;    /* search: the site's results */

  GCancellable      *cancellable;   /* this generation's loads */
  guint              generation;
  guint              page;          /* site pages merged */
  guint              total_pages;
  guint              store_offset;  /* cached rows read (offline paging) */
  gboolean           cache_has_more;
  guint              n_loading;
  guint              n_loading_more;
  gboolean           loaded;
  GError            *error;
  guint              rest_id;       /* the rest of a cached page, after the first rows */
  GPtrArray         *rest;
  gboolean           loaded_with_rest;
  gboolean           refresh_in_flight; /* page 1 asked again, not merged yet */

  /* "unread-only": the model's positions listed (read articles left out,
   * except those listed unread since: they stay until the list starts over) */
  gboolean           unread_only;
  GArray            *shown;         /* guint positions in model, or NULL: all */
  GHashTable        *kept;          /* KqArticle listed unread (a set, owned) */
  gboolean           cache_pending;  /* the first cached page not read yet */
  gboolean           site_waiting;   /* page 1 waits for the library's start */
  struct _FeedLoad  *held;           /* page 1 failed or empty before the cache answered */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KqArticleFeed, kq_article_feed, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_LOADING_MORE,
  PROP_HAS_MORE,
  PROP_LOADED,
  PROP_ERROR,
  PROP_UNREAD_ONLY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  LOAD_FAILED,
  NEW_ARTICLES,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* One load: a page from the cache or the site, a search. */
typedef struct _FeedLoad
{
  KqArticleFeed  *self;
  guint           generation;
  guint           page;
  gboolean        first;        /* page 1 asked beside the cache's first page */
  gboolean        refresh;      /* page 1 again over rows already listed */
  gboolean        background;
  guint           total_pages;
  GPtrArray      *articles;
  KqRefreshCycle *cycle;        /* the library's refresh it belongs to */
  GError         *error;        /* held: why it failed */
} FeedLoad;

static FeedLoad *
feed_load_new (KqArticleFeed *self,
               guint          page)
{
  FeedLoad *load = g_new0 (FeedLoad, 1);

  load->self = g_object_ref (self);
  load->generation = self->generation;
  load->page = page;

  return load;
}

static void
feed_load_free (FeedLoad *load)
{
  /* Whichever way a refresh ended (merged, failed, dropped), it is over. */
  if ((load->refresh || load->first) && load->page == 1 && load->self != NULL &&
      load->generation == load->self->generation)
    load->self->refresh_in_flight = FALSE;
  g_clear_object (&load->self);
  g_clear_pointer (&load->articles, g_ptr_array_unref);
  g_clear_pointer (&load->cycle, _kq_refresh_cycle_unref);
  g_clear_error (&load->error);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FeedLoad, feed_load_free)

static gboolean
is_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Whether the answer still belongs to the list as it is. */
static gboolean
load_is_current (FeedLoad *load)
{
  KqArticleFeed *self = load->self;

  return self->library != NULL && load->generation == self->generation &&
         !g_cancellable_is_cancelled (self->cancellable);
}

static gboolean
is_offline (KqArticleFeed *self)
{
  return self->library == NULL || kq_library_get_offline (self->library);
}

static void
notify_has_more (KqArticleFeed *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
}

static void
loading_begin (KqArticleFeed *self,
               guint          page)
{
  if (self->n_loading++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  if (page > 1 && self->n_loading_more++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_MORE]);
}

/* The end of a load of this generation (older ones were counted out by reset). */
static void
loading_end (FeedLoad *load)
{
  KqArticleFeed *self = load->self;

  if (load->generation != self->generation)
    return;

  g_assert (self->n_loading > 0);
  if (load->page > 1 && self->n_loading_more > 0 && --self->n_loading_more == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_MORE]);
  if (--self->n_loading == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_loaded (KqArticleFeed *self)
{
  if (self->loaded)
    return;

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
set_error (KqArticleFeed *self,
           const GError  *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
fail (FeedLoad *load,
      GError   *error)
{
  KqArticleFeed *self = load->self;

  g_debug ("Loading page %u failed: %s", load->page, error->message);
  set_error (self, error);
  if (load->page <= 1)
    set_loaded (self);
  g_signal_emit (self, signals[LOAD_FAILED], 0, load->page, error, load->background);
}

static gboolean merge_rest_cb (gpointer data);

/* A page of the site */

/* The date of the newest article listed (lists are newest first), or NULL. */
static GDateTime *
newest_listed (KqArticleFeed *self)
{
  g_autoptr(KqArticle) first = g_list_model_get_item (G_LIST_MODEL (self->model), 0);
  GDateTime *date = first != NULL ? kq_article_get_date (first) : NULL;

  return date != NULL ? g_date_time_ref (date) : NULL;
}

/* Merges a page the site gave (read back from the store when it could). */
static void
merge_page (FeedLoad  *load,
            GPtrArray *articles)
{
  KqArticleFeed *self = load->self;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) newest = NULL;

  /* The cached page whole first: the site's page completes it. */
  if (self->rest_id != 0)
    {
      g_source_remove (self->rest_id);
      merge_rest_cb (self);
    }

  /* Page 1 asked beside the cache: new articles are those above cached rows. */
  if (load->first)
    load->refresh = g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0;

  /* New: newer than anything listed. What page 1 adds below the newest
   * (a category's first visit after a few cached rows) only fills the list. */
  newest = newest_listed (self);
  for (guint i = 0; load->refresh && newest != NULL && i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);
      GDateTime *date = kq_article_get_date (article);

      if (date != NULL && g_date_time_compare (date, newest) > 0 &&
          kq_article_model_lookup (self->model, kq_article_get_source (article),
                                   kq_article_get_id (article)) == NULL)
        g_ptr_array_add (added, g_object_ref (article));
    }

  /* Loaded before the rows come: they are the site's, not the cache's. */
  set_error (self, NULL);
  set_loaded (self);

  kq_article_model_merge (self->model, articles);
  g_debug ("Page %u: %u articles, %u new", load->page, articles->len, added->len);

  /* More after them (not before: an empty list would ask for the next page). */
  self->page = MAX (self->page, load->page);
  if (load->total_pages > 0)
    self->total_pages = load->total_pages;
  notify_has_more (self);

  if (added->len > 0)
    g_signal_emit (self, signals[NEW_ARTICLES], 0, added, load->background);
}

static void
on_read_back_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FeedLoad) load = user_data;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_store_get_articles_by_ids_finish (KQ_STORE (object), result, &error);
  loading_end (load);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  /* Without the store, the page as the site gave it (no read state). */
  if (error != NULL)
    g_warning ("Could not read back articles: %s", error->message);
  merge_page (load, articles != NULL && articles->len > 0 ? articles : load->articles);
}

static void
on_page_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FeedLoad) load = user_data;
  KqArticleFeed *self = load->self;
  g_autoptr(GArray) new_ids = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_upsert_articles_finish (KQ_STORE (object), result, &new_ids, NULL, &error);
  loading_end (load);
  if (error != NULL && !is_cancelled (error))
    g_warning ("Could not save articles: %s", error->message);
  if (error == NULL && self->library != NULL)
    _kq_library_page_saved (self->library, load->articles, new_ids, load->cycle);
  if (!load_is_current (load))
    return;

  if (error != NULL)
    {
      merge_page (load, load->articles);
      return;
    }

  /* Read back: the store adds the reader's state (read, bookmarked). */
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), load->articles->len);
  for (guint i = 0; i < load->articles->len; i++)
    {
      gint64 id = kq_article_get_id (g_ptr_array_index (load->articles, i));

      g_array_append_val (ids, id);
    }
  loading_begin (self, load->page);
  kq_store_get_articles_by_ids_async (self->store, kq_source_get_url (self->source),
                                      (gint64 *) ids->data, ids->len, self->cancellable,
                                      on_read_back_cb, g_steal_pointer (&load));
}

static void
on_posts_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FeedLoad) load = user_data;
  KqArticleFeed *self = load->self;
  g_autoptr(GError) error = NULL;

  load->articles = kq_source_list_posts_finish (KQ_SOURCE (object), result,
                                                &load->total_pages, &error);
  loading_end (load);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  /* The cached rows first. A page that is saved comes after them anyway:
   * the store answers in order, and the cache was asked first. */
  if (load->first && self->cache_pending && (error != NULL || load->articles->len == 0))
    {
      g_assert (self->held == NULL);
      load->error = g_steal_pointer (&error);
      self->held = g_steal_pointer (&load);
      loading_begin (self, 1);
      return;
    }

  if (error != NULL)
    {
      fail (load, error);
      return;
    }

  if (load->articles->len == 0)
    {
      merge_page (load, load->articles);
      return;
    }

  /* Saved first (that survives leaving the list), then merged. The store
   * copies what it needs, so the list keeps its own objects. What the cache
   * meets for the first time and is older than its newest is history, kept
   * read (the read back says so). */
  loading_begin (self, load->page);
  kq_store_upsert_listed_async (self->store, load->articles,
                                _kq_library_get_cancellable (self->library),
                                on_page_saved_cb, load);
  load = NULL;
}

static void
fetch_page (KqArticleFeed  *self,
            guint           page,
            gboolean        refresh,
            gboolean        background,
            KqRefreshCycle *cycle)
{
  FeedLoad *load = feed_load_new (self, page);

  load->refresh = refresh;
  load->background = background;
  load->cycle = cycle != NULL ? _kq_refresh_cycle_ref (cycle) : NULL;
  if (refresh && page == 1)
    self->refresh_in_flight = TRUE;

  loading_begin (self, page);
  kq_source_list_posts_async (self->source,
                              self->kind == KQ_ARTICLE_FEED_CATEGORY ? self->category_id : 0,
                              page, self->cancellable, on_posts_cb, load);
}

/* Page 1 beside the cache's first page, once the library has what a request
 * needs (the kept discovery, the HTTP validators): a cached page merged
 * before the site's is not waited for. */
static void
fetch_first_page (KqArticleFeed *self)
{
  FeedLoad *load;

  if (!_kq_library_get_started (self->library))
    {
      self->site_waiting = TRUE;
      return;
    }

  load = feed_load_new (self, 1);
  load->first = TRUE;
  self->refresh_in_flight = TRUE;
  loading_begin (self, 1);
  kq_source_list_posts_async (self->source,
                              self->kind == KQ_ARTICLE_FEED_CATEGORY ? self->category_id : 0,
                              1, self->cancellable, on_posts_cb, load);
}

/* The site's page 1 that failed or was empty while the cache was read. */
static void
release_held (KqArticleFeed *self)
{
  g_autoptr(FeedLoad) load = g_steal_pointer (&self->held);

  if (load == NULL)
    return;
  loading_end (load);
  if (load->error != NULL)
    fail (load, load->error);
  else
    merge_page (load, load->articles);
}

/* The cache */

static gboolean
merge_rest_cb (gpointer data)
{
  KqArticleFeed *self = data;
  g_autoptr(GPtrArray) rest = g_steal_pointer (&self->rest);

  self->rest_id = 0;
  kq_article_model_merge (self->model, rest);
  notify_has_more (self);
  if (self->loaded_with_rest)
    {
      self->loaded_with_rest = FALSE;
      set_loaded (self);
    }
  /* The page is listed whole: loading ends (if nothing else loads). */
  if (--self->n_loading == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  return G_SOURCE_REMOVE;
}

static void
merge_cached (KqArticleFeed *self,
              GPtrArray     *articles)
{
  self->store_offset += articles->len;

  if (articles->len <= FIRST_ROWS || self->rest_id != 0 ||
      g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    {
      kq_article_model_merge (self->model, articles);
      return;
    }

  /* Each row a view builds is laid out: the first screenful now, the rest of
   * the page once what is pending at a higher priority (drawing) has run. */
  {
    g_autoptr(GPtrArray) first = g_ptr_array_new_full (FIRST_ROWS, NULL);

    self->rest = g_ptr_array_new_full (articles->len - FIRST_ROWS, g_object_unref);
    for (guint i = 0; i < articles->len; i++)
      {
        if (i < FIRST_ROWS)
          g_ptr_array_add (first, g_ptr_array_index (articles, i));
        else
          g_ptr_array_add (self->rest, g_object_ref (g_ptr_array_index (articles, i)));
      }
    kq_article_model_merge (self->model, first);
    self->rest_id = g_idle_add_full (G_PRIORITY_LOW, merge_rest_cb, self, NULL);
    /* Still loading until the rest is in. */
    loading_begin (self, 0);
  }
}

static void
on_cached_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FeedLoad) load = user_data;
  KqArticleFeed *self = load->self;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_store_list_articles_finish (KQ_STORE (object), result, &error);
  loading_end (load);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  if (error != NULL)
    g_warning ("Could not read the cache: %s", error->message);
  else
    merge_cached (self, articles);
  if (load->page == 0)
    {
      self->cache_pending = FALSE;
      release_held (self);
    }

  if (is_offline (self))
    {
      self->cache_has_more = articles != NULL && articles->len == KQ_LIBRARY_CACHE_PAGE;
      notify_has_more (self);
      /* Loaded once the whole page is in. */
      if (self->rest_id != 0)
        self->loaded_with_rest = TRUE;
      else
        set_loaded (self);
    }
}

/* @page 0: the first page of the list (the site's follows), 1: the next one. */
static void
load_cached (KqArticleFeed *self,
             guint          page)
{
  FeedLoad *load = feed_load_new (self, page);

  loading_begin (self, page);
  kq_store_list_articles_async (self->store, kq_source_get_url (self->source),
                                self->kind == KQ_ARTICLE_FEED_CATEGORY ? self->category_id : 0,
                                self->store_offset, KQ_LIBRARY_CACHE_PAGE,
                                self->cancellable, on_cached_cb, load);
}

/* Bookmarks */

static void
on_bookmarks_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FeedLoad) load = user_data;
  KqArticleFeed *self = load->self;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_store_list_bookmarks_finish (KQ_STORE (object), result, &error);
  loading_end (load);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  if (error != NULL)
    {
      fail (load, error);
      return;
    }

  kq_article_model_merge (self->model, articles);
  set_loaded (self);
}

/* Search: the cache's matches, then the site's */

typedef struct
{
  FeedLoad  *load;
  GPtrArray *fresh;   /* what the cache did not find */
} SiteResults;

static void
site_results_free (SiteResults *results)
{
  g_clear_pointer (&results->load, feed_load_free);
  g_clear_pointer (&results->fresh, g_ptr_array_unref);
  g_free (results);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SiteResults, site_results_free)

static void merge_results (SiteResults *results);

static void
on_results_read_back_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(SiteResults) results = user_data;
  FeedLoad *load = results->load;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;

  kept = kq_store_get_articles_by_ids_finish (KQ_STORE (object), result, &error);
  loading_end (load);
  if (is_cancelled (error) || !load_is_current (load))
    return;
  if (error != NULL)
    g_warning ("Could not read back search results: %s", error->message);

  for (guint i = 0; kept != NULL && i < kept->len; i++)
    {
      KqArticle *copy = g_ptr_array_index (kept, i);

      for (guint j = 0; j < results->fresh->len; j++)
        {
          KqArticle *article = g_ptr_array_index (results->fresh, j);

          if (kq_article_get_id (article) == kq_article_get_id (copy))
            kq_article_set_read (article, kq_article_get_read (copy));
        }
    }
  merge_results (results);
}

/* The site's results come with their bodies: once the store keeps them, the
 * list lets go of them like any list (the article opened reads its body back
 * from the cache). */
static void
on_results_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SiteResults) results = user_data;
  FeedLoad *load = results->load;
  KqArticleFeed *self = load->self;
  g_autoptr(GError) error = NULL;

  kq_store_upsert_articles_finish (KQ_STORE (object), result, NULL, NULL, &error);
  loading_end (load);
  if (error != NULL && !is_cancelled (error))
    g_warning ("Could not save search results: %s", error->message);
  if (error == NULL)
    for (guint i = 0; i < load->articles->len; i++)
      kq_article_set_body_html (g_ptr_array_index (load->articles, i), NULL);
  if (!load_is_current (load))
    return;

  /* Their read state, as kept (history the cache never had is read). */
  if (error == NULL && results->fresh->len > 0)
    {
      g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                 results->fresh->len);

      for (guint i = 0; i < results->fresh->len; i++)
        {
          gint64 id = kq_article_get_id (g_ptr_array_index (results->fresh, i));

          g_array_append_val (ids, id);
        }
      loading_begin (self, load->page);
      kq_store_get_articles_by_ids_async (self->store, kq_source_get_url (self->source),
                                          (gint64 *) ids->data, ids->len, self->cancellable,
                                          on_results_read_back_cb, g_steal_pointer (&results));
      return;
    }

  merge_results (results);
}

static void
merge_results (SiteResults *results)
{
  FeedLoad *load = results->load;
  KqArticleFeed *self = load->self;

  kq_article_model_merge (self->site_model, results->fresh);
  self->page = MAX (self->page, load->page);
  self->total_pages = load->total_pages;
  set_error (self, NULL);
  set_loaded (self);
  notify_has_more (self);
}

static void
on_site_search_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FeedLoad) load = user_data;
  KqArticleFeed *self = load->self;
  SiteResults *results;
  g_autoptr(GError) error = NULL;

  load->articles = kq_source_search_finish (KQ_SOURCE (object), result, &load->total_pages,
                                            &error);
  loading_end (load);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  if (error != NULL)
    {
      fail (load, error);
      return;
    }

  results = g_new0 (SiteResults, 1);
  results->fresh = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < load->articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (load->articles, i);

      if (kq_article_model_lookup (self->model, kq_article_get_source (article),
                                   kq_article_get_id (article)) == NULL)
        g_ptr_array_add (results->fresh, g_object_ref (article));
    }

  /* Kept for offline reading and the next local search, then listed. */
  results->load = g_steal_pointer (&load);
  loading_begin (self, results->load->page);
  kq_store_upsert_listed_async (self->store, results->load->articles,
                                _kq_library_get_cancellable (self->library),
                                on_results_saved_cb, results);
}

static void
search_site (KqArticleFeed *self,
             guint          page)
{
  loading_begin (self, page);
  kq_source_search_async (self->source, self->search_text, page, self->cancellable,
                          on_site_search_cb, feed_load_new (self, page));
}

static void
on_local_search_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FeedLoad) load = user_data;
  KqArticleFeed *self = load->self;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  hits = kq_store_search_finish (KQ_STORE (object), result, &error);
  loading_end (load);
  if (is_cancelled (error) || !load_is_current (load))
    return;

  if (error != NULL)
    g_warning ("Local search failed: %s", error->message);

  articles = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; hits != NULL && i < hits->len; i++)
    g_ptr_array_add (articles, g_object_ref (((KqSearchResult *) g_ptr_array_index (hits, i))->article));
  kq_article_model_merge (self->model, articles);

  if (is_offline (self))
    {
      set_loaded (self);
      return;
    }

  search_site (self, 1);
}

/* Starting over */

/* Cancels what was in flight and starts a new generation, empty. */
static void
reset (KqArticleFeed *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  g_clear_handle_id (&self->rest_id, g_source_remove);
  g_clear_pointer (&self->rest, g_ptr_array_unref);
  self->loaded_with_rest = FALSE;
  self->refresh_in_flight = FALSE;
  self->cache_pending = FALSE;
  self->site_waiting = FALSE;
  g_clear_pointer (&self->held, feed_load_free);

  self->page = 0;
  self->total_pages = 0;
  self->store_offset = 0;
  self->cache_has_more = FALSE;
  if (self->n_loading > 0)
    {
      self->n_loading = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  if (self->n_loading_more > 0)
    {
      self->n_loading_more = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_MORE]);
    }
  if (self->loaded)
    {
      self->loaded = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  set_error (self, NULL);
  notify_has_more (self);
}

static void
start (KqArticleFeed *self)
{
  reset (self);
  kq_article_model_clear (self->model);
  if (self->site_model != NULL)
    kq_article_model_clear (self->site_model);

  if (self->library == NULL)
    return;

  switch (self->kind)
    {
    case KQ_ARTICLE_FEED_BOOKMARKS:
      loading_begin (self, 0);
      kq_store_list_bookmarks_async (self->store, self->cancellable, on_bookmarks_cb,
                                     feed_load_new (self, 0));
      break;

    case KQ_ARTICLE_FEED_SEARCH:
      loading_begin (self, 0);
      kq_store_search_async (self->store, kq_source_get_url (self->source), self->search_text,
                             KQ_LIBRARY_CACHE_PAGE, self->cancellable, on_local_search_cb,
                             feed_load_new (self, 0));
      break;

    case KQ_ARTICLE_FEED_LATEST:
    case KQ_ARTICLE_FEED_CATEGORY:
    default:
      /* The cached rows and the site's page 1 asked at once: the site's
       * request never waits for the cache's answer (which may queue
       * behind a window's first frame). */
      load_cached (self, 0);
      self->cache_pending = TRUE;
      if (!is_offline (self))
        fetch_first_page (self);
      break;
    }
}

/* GListModel: the model's items */

static GType
kq_article_feed_get_item_type (GListModel *model)
{
  return KQ_TYPE_ARTICLE;
}

static guint
kq_article_feed_get_n_items (GListModel *model)
{
  KqArticleFeed *self = KQ_ARTICLE_FEED (model);

  if (self->shown != NULL)
    return self->shown->len;
  return g_list_model_get_n_items (G_LIST_MODEL (self->model));
}

static gpointer
kq_article_feed_get_item (GListModel *model,
                          guint       position)
{
  KqArticleFeed *self = KQ_ARTICLE_FEED (model);

  if (self->shown != NULL)
    {
      if (position >= self->shown->len)
        return NULL;
      position = g_array_index (self->shown, guint, position);
    }
  return g_list_model_get_item (G_LIST_MODEL (self->model), position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = kq_article_feed_get_item_type;
  iface->get_n_items = kq_article_feed_get_n_items;
  iface->get_item = kq_article_feed_get_item;
}

/* Unread only: which of the model's articles are listed. */

static gboolean
is_listed (KqArticleFeed *self,
           KqArticle     *article)
{
  if (g_hash_table_contains (self->kept, article))
    return TRUE;
  if (kq_article_get_read (article))
    return FALSE;
  /* Listed unread: it stays when it is read (the selection keeps its row). */
  g_hash_table_add (self->kept, g_object_ref (article));
  return TRUE;
}

/* The positions listed, again; returns how many are listed before @position
 * (*@n_before) and within [@position, @position + @n) (the return). */
static guint
update_shown (KqArticleFeed *self,
              guint          position,
              guint          n,
              guint         *n_before)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint in_range = 0;

  g_array_set_size (self->shown, 0);
  *n_before = 0;
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KqArticle) article = g_list_model_get_item (G_LIST_MODEL (self->model), i);

      if (!is_listed (self, article))
        continue;
      g_array_append_val (self->shown, i);
      if (i < position)
        (*n_before)++;
      else if (i < position + n)
        in_range++;
    }
  return in_range;
}

static guint
n_shown_in (KqArticleFeed *self,
            guint          position,
            guint          n,
            guint         *n_before)
{
  guint in_range = 0;

  *n_before = 0;
  for (guint i = 0; i < self->shown->len; i++)
    {
      guint at = g_array_index (self->shown, guint, i);

      if (at < position)
        (*n_before)++;
      else if (at < position + n)
        in_range++;
    }
  return in_range;
}

static void
on_items_changed_cb (KqArticleFeed *self,
                     guint          position,
                     guint          removed,
                     guint          added,
                     GListModel    *model)
{
  guint before, was_shown, now_shown;

  if (self->shown == NULL)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }

  /* Emptied: the list starts over, what was kept goes. */
  if (g_list_model_get_n_items (model) == 0)
    g_hash_table_remove_all (self->kept);

  was_shown = n_shown_in (self, position, removed, &before);
  now_shown = update_shown (self, position, added, &before);
  if (was_shown > 0 || now_shown > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), before, was_shown, now_shown);
}

/* GObject */

static void
kq_article_feed_dispose (GObject *object)
{
  KqArticleFeed *self = KQ_ARTICLE_FEED (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->rest_id, g_source_remove);
  g_clear_pointer (&self->rest, g_ptr_array_unref);
  g_clear_pointer (&self->held, feed_load_free);

  G_OBJECT_CLASS (kq_article_feed_parent_class)->dispose (object);
}

static void
kq_article_feed_finalize (GObject *object)
{
  KqArticleFeed *self = KQ_ARTICLE_FEED (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->model);
  g_clear_object (&self->site_model);
  g_clear_object (&self->source);
  g_clear_object (&self->store);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->shown, g_array_unref);
  g_clear_pointer (&self->kept, g_hash_table_unref);

  G_OBJECT_CLASS (kq_article_feed_parent_class)->finalize (object);
}

static void
kq_article_feed_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KqArticleFeed *self = KQ_ARTICLE_FEED (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, kq_article_feed_get_loading (self));
      break;
    case PROP_LOADING_MORE:
      g_value_set_boolean (value, kq_article_feed_get_loading_more (self));
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, kq_article_feed_get_has_more (self));
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_UNREAD_ONLY:
      g_value_set_boolean (value, self->unread_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_article_feed_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KqArticleFeed *self = KQ_ARTICLE_FEED (object);

  switch (prop_id)
    {
    case PROP_UNREAD_ONLY:
      kq_article_feed_set_unread_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_article_feed_class_init (KqArticleFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kq_article_feed_dispose;
  object_class->finalize = kq_article_feed_finalize;
  object_class->get_property = kq_article_feed_get_property;
  object_class->set_property = kq_article_feed_set_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING_MORE] =
    g_param_spec_boolean ("loading-more", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNREAD_ONLY] =
    g_param_spec_boolean ("unread-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_ERROR, G_TYPE_BOOLEAN);
  signals[NEW_ARTICLES] =
    g_signal_new ("new-articles", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_PTR_ARRAY, G_TYPE_BOOLEAN);
}

static void
kq_article_feed_init (KqArticleFeed *self)
{
  self->cancellable = g_cancellable_new ();
  self->kept = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

/* Private API (the library's) */

KqArticleFeed *
_kq_article_feed_new (KqLibrary         *library,
                      KqArticleFeedKind  kind,
                      gint64             category_id,
                      const char        *search_text)
{
  KqArticleFeed *self = g_object_new (KQ_TYPE_ARTICLE_FEED, NULL);

  self->library = library;
  self->source = g_object_ref (_kq_library_get_source (library));
  self->store = g_object_ref (_kq_library_get_store (library));
  self->kind = kind;
  self->category_id = kind == KQ_ARTICLE_FEED_CATEGORY ? category_id : 0;
  self->search_text = g_strdup (search_text);
  /* Search results keep the order of relevance; bookmarks are newest saved
   * first as the store gives them; lists are newest first. */
  self->model = kq_article_model_new (kind == KQ_ARTICLE_FEED_LATEST ||
                                      kind == KQ_ARTICLE_FEED_CATEGORY);
  if (kind == KQ_ARTICLE_FEED_SEARCH)
    self->site_model = kq_article_model_new (FALSE);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  start (self);

  return self;
}

void
_kq_article_feed_detach (KqArticleFeed *self)
{
  reset (self);
  self->library = NULL;
}

void
_kq_article_feed_library_started (KqArticleFeed *self)
{
  if (!self->site_waiting)
    return;

  self->site_waiting = FALSE;
  if (self->library != NULL && !is_offline (self))
    fetch_first_page (self);
}

void
_kq_article_feed_refresh_in_cycle (KqArticleFeed  *self,
                                   gboolean        background,
                                   KqRefreshCycle *cycle)
{
  if (self->library == NULL || is_offline (self))
    return;

  switch (self->kind)
    {
    case KQ_ARTICLE_FEED_BOOKMARKS:
      /* Nothing on the site: the store's list again. */
      start (self);
      return;

    case KQ_ARTICLE_FEED_SEARCH:
      if (!background)
        start (self);
      return;

    case KQ_ARTICLE_FEED_LATEST:
    case KQ_ARTICLE_FEED_CATEGORY:
    default:
      break;
    }

  /* Nothing listed (it failed, or is empty): start over if the reader asked. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    {
      if (!background)
        start (self);
      return;
    }
  /* Page 1 is on its way already (after the cached rows, or a refresh). */
  if (self->refresh_in_flight)
    return;

  fetch_page (self, 1, TRUE, background, cycle);
}

void
_kq_article_feed_bookmark_changed (KqArticleFeed *self,
                                   KqArticle     *article,
                                   gboolean       bookmarked)
{
  if (self->kind != KQ_ARTICLE_FEED_BOOKMARKS)
    return;

  if (bookmarked)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, article);
      /* Newest saved first. */
      if (kq_article_model_lookup (self->model, kq_article_get_source (article),
                                   kq_article_get_id (article)) == NULL)
        kq_article_model_merge (self->model, one);
    }
  else
    kq_article_model_remove (self->model, kq_article_get_source (article),
                             kq_article_get_id (article));
}

void
_kq_article_feed_foreach (KqArticleFeed *self,
                          GFunc          func,
                          gpointer       user_data)
{
  GListModel *models[] = { G_LIST_MODEL (self->model), G_LIST_MODEL (self->site_model) };

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      guint n = models[m] != NULL ? g_list_model_get_n_items (models[m]) : 0;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(KqArticle) article = g_list_model_get_item (models[m], i);

          func (article, user_data);
        }
    }
}

/* Public API */

KqArticleFeedKind
kq_article_feed_get_kind (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), KQ_ARTICLE_FEED_LATEST);

  return self->kind;
}

gint64
kq_article_feed_get_category_id (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), 0);

  return self->category_id;
}

const char *
kq_article_feed_get_source_url (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), NULL);

  return kq_source_get_url (self->source);
}

const char *
kq_article_feed_get_search_text (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), NULL);

  return self->search_text;
}

/**
 * kq_article_feed_get_site_results:
 *
 * Returns: (transfer none) (nullable): the site's search results
 */
GListModel *
kq_article_feed_get_site_results (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), NULL);

  return G_LIST_MODEL (self->site_model);
}

gboolean
kq_article_feed_get_loading (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), FALSE);

  return self->n_loading > 0;
}

gboolean
kq_article_feed_get_loading_more (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), FALSE);

  return self->n_loading_more > 0;
}

gboolean
kq_article_feed_get_has_more (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), FALSE);

  switch (self->kind)
    {
    case KQ_ARTICLE_FEED_BOOKMARKS:
      return FALSE;
    case KQ_ARTICLE_FEED_SEARCH:
      return self->page < self->total_pages;
    case KQ_ARTICLE_FEED_LATEST:
    case KQ_ARTICLE_FEED_CATEGORY:
    default:
      /* Not before the cached page is listed whole. */
      if (self->rest_id != 0)
        return FALSE;
      return is_offline (self) ? self->cache_has_more : self->page < self->total_pages;
    }
}

gboolean
kq_article_feed_get_loaded (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), FALSE);

  return self->loaded;
}

const GError *
kq_article_feed_get_error (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), NULL);

  return self->error;
}

/**
 * kq_article_feed_lookup:
 *
 * Returns: (transfer none) (nullable): the article listed
 */
KqArticle *
kq_article_feed_lookup (KqArticleFeed *self,
                        const char    *source,
                        gint64         id)
{
  KqArticle *article;

  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), NULL);

  article = kq_article_model_lookup (self->model, source, id);
  if (article == NULL && self->site_model != NULL)
    article = kq_article_model_lookup (self->site_model, source, id);

  return article;
}

void
kq_article_feed_load_more (KqArticleFeed *self)
{
  g_return_if_fail (KQ_IS_ARTICLE_FEED (self));

  if (self->library == NULL || self->n_loading_more > 0 || !kq_article_feed_get_has_more (self))
    return;

  if (self->kind == KQ_ARTICLE_FEED_SEARCH)
    search_site (self, self->page + 1);
  else if (is_offline (self))
    load_cached (self, 2);
  else
    fetch_page (self, self->page + 1, FALSE, FALSE, NULL);
}

void
kq_article_feed_refresh (KqArticleFeed *self,
                         gboolean       background)
{
  g_return_if_fail (KQ_IS_ARTICLE_FEED (self));

  _kq_article_feed_refresh_in_cycle (self, background, NULL);
}

void
kq_article_feed_reload (KqArticleFeed *self)
{
  g_return_if_fail (KQ_IS_ARTICLE_FEED (self));

  start (self);
}

void
kq_article_feed_cancel (KqArticleFeed *self)
{
  g_return_if_fail (KQ_IS_ARTICLE_FEED (self));

  reset (self);
}

gboolean
kq_article_feed_get_unread_only (KqArticleFeed *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_FEED (self), FALSE);

  return self->unread_only;
}

/**
 * kq_article_feed_set_unread_only:
 *
 * Lists only the unread articles (TRUE), or all of them. An article listed
 * unread stays listed once read, until the list starts over (reload(), or
 * the filter set again): the reader's selection never jumps away.
 */
void
kq_article_feed_set_unread_only (KqArticleFeed *self,
                                 gboolean       unread_only)
{
  guint old_n, before;

  g_return_if_fail (KQ_IS_ARTICLE_FEED (self));

  unread_only = !!unread_only;
  if (self->unread_only == unread_only)
    return;

  old_n = g_list_model_get_n_items (G_LIST_MODEL (self));
  self->unread_only = unread_only;
  g_hash_table_remove_all (self->kept);
  if (unread_only)
    {
      self->shown = g_array_new (FALSE, FALSE, sizeof (guint));
      update_shown (self, 0, 0, &before);
    }
  else
    g_clear_pointer (&self->shown, g_array_unref);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n,
                              g_list_model_get_n_items (G_LIST_MODEL (self)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_ONLY]);
}
