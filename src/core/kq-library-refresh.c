/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-library"

#include "config.h"

#include "kq-http.h"
#include "kq-library-private.h"

/*
 * Refreshing: kq_library_refresh() (the reader's, the timer's, the network
 * coming back) asks the site for page 1 of every feed alive, and of the
 * latest articles when no feed shows them, as one KqRefreshCycle. Every page
 * fetched holds the cycle; when the last one is let go, what the cache never
 * had is announced ("new-articles"). One refresh at a time; none while the
 * network is gone, nor before a site's long Retry-After has passed.
 */

static gboolean
is_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Refresh cycles */

struct _KqRefreshCycle
{
  GWeakRef   library;
  KqSource  *source;
  GPtrArray *found;   /* KqArticle the cache never had */
};

static KqRefreshCycle *
refresh_cycle_new (KqLibrary *self)
{
  KqRefreshCycle *cycle = g_atomic_rc_box_new0 (KqRefreshCycle);

  g_weak_ref_init (&cycle->library, self);
  cycle->source = g_object_ref (self->source);
  cycle->found = g_ptr_array_new_with_free_func (g_object_unref);

  return cycle;
}

KqRefreshCycle *
_kq_refresh_cycle_ref (KqRefreshCycle *cycle)
{
  return g_atomic_rc_box_acquire (cycle);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  GDateTime *da = kq_article_get_date (*(KqArticle **) a);
  GDateTime *db = kq_article_get_date (*(KqArticle **) b);

  if (da == NULL || db == NULL)
    return (da == NULL) - (db == NULL);

  return g_date_time_compare (db, da);
}

/* The last page of the refresh is in (or was dropped): say what was new. */
static void
refresh_cycle_clear (KqRefreshCycle *cycle)
{
  g_autoptr(KqLibrary) self = g_weak_ref_get (&cycle->library);

  if (self != NULL && self->cycle == cycle)
    {
      self->cycle = NULL;
      _kq_library_notify_refreshing (self);
      g_debug ("Refresh done: %u new articles", cycle->found->len);
      if (cycle->found->len > 0 && self->source == cycle->source)
        {
          g_autofree char *title = kq_library_dup_source_title (self);

          g_ptr_array_sort (cycle->found, compare_newest_first);
          _kq_library_emit_new_articles (self, title, cycle->found);
        }
    }

  g_weak_ref_clear (&cycle->library);
  g_clear_object (&cycle->source);
  g_clear_pointer (&cycle->found, g_ptr_array_unref);
}

void
_kq_refresh_cycle_unref (KqRefreshCycle *cycle)
{
  g_atomic_rc_box_release_full (cycle, (GDestroyNotify) refresh_cycle_clear);
}

/* What a refresh saved */

void
_kq_library_page_saved (KqLibrary      *self,
                        GPtrArray      *articles,
                        GArray         *new_ids,
                        KqRefreshCycle *cycle)
{
  _kq_library_queue_counts (self);

  g_autoptr(GHashTable) is_new = NULL;

  if (cycle == NULL || new_ids == NULL || new_ids->len == 0)
    return;

  /* A set, not a search per article: a page may be long. */
  is_new = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint j = 0; j < new_ids->len; j++)
    g_hash_table_add (is_new, &g_array_index (new_ids, gint64, j));

  for (guint i = 0; i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);
      gint64 id = kq_article_get_id (article);

      if (g_hash_table_contains (is_new, &id))
        g_ptr_array_add (cycle->found, g_object_ref (article));
    }
}

/* The latest articles when no feed shows them: saved, for what they bring new. */

typedef struct
{
  KqSourceCall *call;
  GPtrArray  *articles;
} LatestPage;

static void
latest_page_free (LatestPage *page)
{
  g_clear_pointer (&page->call, _kq_source_call_free);
  g_clear_pointer (&page->articles, g_ptr_array_unref);
  g_free (page);
}

static void
on_latest_page_saved_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  LatestPage *page = user_data;
  g_autoptr(GArray) new_ids = NULL;
  g_autoptr(GError) error = NULL;

  if (!kq_store_upsert_articles_finish (KQ_STORE (object), result, &new_ids, NULL, &error))
    {
      if (!is_cancelled (error))
        g_warning ("Could not save articles: %s", error->message);
    }
  else
    _kq_library_page_saved (page->call->self, page->articles, new_ids, page->call->cycle);

  latest_page_free (page);
}

static void
on_latest_posts_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KqSourceCall) call = user_data;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  LatestPage *page;

  articles = kq_source_list_posts_finish (KQ_SOURCE (object), result, NULL, &error);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        g_debug ("Could not refresh the latest articles: %s", error->message);
      return;
    }
  if (articles->len == 0)
    return;

  page = g_new0 (LatestPage, 1);
  page->call = g_steal_pointer (&call);
  page->articles = g_ptr_array_ref (articles);
  kq_store_upsert_articles_async (page->call->self->store, articles,
                                  page->call->self->cancellable, on_latest_page_saved_cb, page);
}

static void
fetch_latest (KqLibrary      *self,
              KqRefreshCycle *cycle)
{
  kq_source_list_posts_async (self->source, 0, 1, self->cancellable, on_latest_posts_cb,
                              _kq_source_call_new (self, cycle));
}

/* Refresh: timer and network */

static gboolean
refresh_timer_cb (gpointer data)
{
  KqLibrary *self = data;

  g_debug ("Refresh on the timer");
  kq_library_refresh (self, TRUE);

  return G_SOURCE_CONTINUE;
}

void
_kq_library_update_refresh_timer (KqLibrary *self)
{
  g_clear_handle_id (&self->refresh_timer_id, g_source_remove);
  if (self->refresh_interval > 0 && !self->forced_offline)
    self->refresh_timer_id = g_timeout_add_seconds (self->refresh_interval, refresh_timer_cb, self);
}

static gboolean
source_is_loopback (KqLibrary *self)
{
  g_autoptr(GUri) uri = g_uri_parse (kq_source_get_url (self->source), G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

void
_kq_library_network_changed_cb (KqLibrary       *self,
                                gboolean         available,
                                GNetworkMonitor *monitor)
{
  gboolean was_offline = kq_library_get_offline (self);

  /* The system's monitor knows routes to the internet, not this machine's
   * own sites (the test site, a local WordPress): those are always there. */
  if (!self->trust_monitor && source_is_loopback (self))
    available = TRUE;
  if (available == self->network_available)
    return;

  g_debug ("Network %s", available ? "back" : "gone");
  self->network_available = available;
  kq_image_loader_set_offline (self->image_loader, kq_library_get_offline (self));
  _kq_library_notify_network (self);

  /* Back: once, whatever the timer says. */
  if (was_offline && !kq_library_get_offline (self))
    kq_library_refresh (self, TRUE);
}

gboolean
kq_library_get_refreshing (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), FALSE);

  return self->cycle != NULL;
}

/* Page 1 again for every feed of the source; TRUE when one lists the
 * latest articles (the refresh then needs no fetch of its own for them). */
static gboolean
refresh_feeds (KqLibrary      *self,
               gboolean        background,
               KqRefreshCycle *cycle)
{
  g_autoptr(GPtrArray) feeds = _kq_library_dup_feeds (self);
  gboolean latest_shown = FALSE;

  for (guint i = 0; i < feeds->len; i++)
    {
      KqArticleFeed *feed = g_ptr_array_index (feeds, i);

      if (g_strcmp0 (kq_article_feed_get_source_url (feed), kq_source_get_url (self->source)) != 0)
        continue;
      if (kq_article_feed_get_kind (feed) == KQ_ARTICLE_FEED_LATEST &&
          g_list_model_get_n_items (G_LIST_MODEL (feed)) > 0)
        latest_shown = TRUE;
      _kq_article_feed_refresh_in_cycle (feed, background, cycle);
    }

  return latest_shown;
}

gboolean
kq_library_refresh (KqLibrary *self,
                    gboolean   background)
{
  g_autoptr(KqRefreshCycle) cycle = NULL;
  gint64 wait_until;

  g_return_val_if_fail (KQ_IS_LIBRARY (self), FALSE);

  if (kq_library_get_offline (self))
    return FALSE;

  /* One at a time: a refresh still running covers this one; the reader's
   * joins it, so that a list left empty or failed starts over (the feeds
   * never ask twice for a page 1 on its way). */
  if (self->cycle != NULL)
    {
      g_debug ("A refresh is running already");
      if (!background)
        refresh_feeds (self, FALSE, self->cycle);
      return TRUE;
    }

  /* The site asked to be left alone for longer than a request waits. */
  wait_until = kq_http_get_wait_until (self->http, kq_source_get_url (self->source));
  if (background && wait_until > 0)
    {
      g_debug ("The site asked to wait %" G_GINT64_FORMAT " s more",
               (wait_until - g_get_monotonic_time ()) / G_USEC_PER_SEC);
      return TRUE;
    }

  cycle = refresh_cycle_new (self);
  self->cycle = cycle;
  _kq_library_notify_refreshing (self);
  _kq_library_load_categories (self, cycle);

  /* What is new anywhere on the site, even with no window to list it. */
  if (!refresh_feeds (self, background, cycle))
    fetch_latest (self, cycle);

  return TRUE;
}
