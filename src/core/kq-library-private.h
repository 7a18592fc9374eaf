/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kq-article-feed.h"
#include "kq-http.h"
#include "kq-library.h"
#include "kq-source.h"
#include "kq-store.h"

G_BEGIN_DECLS

/* Articles read from the cache at once, per page. */
#define KQ_LIBRARY_CACHE_PAGE 50

/*
 * One run of kq_library_refresh(): every page fetched for it holds a
 * reference, and when the last one is let go (answered, failed, dropped or
 * cancelled) the refresh is over and what it found new is announced. So a
 * refresh can never stay "in flight" forever, whatever happens to its feeds.
 */
typedef struct _KqRefreshCycle KqRefreshCycle;

KqRefreshCycle *_kq_refresh_cycle_ref   (KqRefreshCycle *cycle);
void            _kq_refresh_cycle_unref (KqRefreshCycle *cycle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqRefreshCycle, _kq_refresh_cycle_unref)

struct _KqLibrary
{
  GObject           parent_instance;

  char             *store_path;
  char             *youtube_posters;  /* KqHtmlOptions.youtube_posters; NULL: the default */
  gboolean          forced_offline;
  GNetworkMonitor  *monitor;
  gboolean          trust_monitor;      /* given by the caller: also for loopback sites */
  gboolean          network_available;

  KqHttp           *http;
  KqSource         *source;
  KqStore          *store;
  KqImageLoader    *image_loader;
  GCancellable     *cancellable;        /* the library's lifetime */

  GListStore       *categories;
  int               unread_count;
  guint             bookmark_count;
  guint             refresh_interval;   /* seconds */
  guint             cache_max_articles;
  guint             refresh_timer_id;
  guint             counts_timeout_id;

  GPtrArray        *feeds;              /* KqArticleFeed, not owned (weak references) */
  guint             n_start_reads;      /* kept discovery and validators not read yet */
  KqRefreshCycle   *cycle;              /* the refresh running, not owned */
};

/* A call made for the source read at the time: dropped if it changed since. */
typedef struct
{
  KqLibrary      *self;
  KqSource       *source;
  KqRefreshCycle *cycle;
} KqSourceCall;

KqSourceCall   *_kq_source_call_new          (KqLibrary      *self,
                                              KqRefreshCycle *cycle);
void            _kq_source_call_free         (KqSourceCall   *call);
gboolean        _kq_source_call_is_current   (KqSourceCall   *call);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqSourceCall, _kq_source_call_free)

/* kq-library.c: what the feeds and the other kq-library-*.c use */
KqStore        *_kq_library_get_store        (KqLibrary      *self);
KqSource       *_kq_library_get_source       (KqLibrary      *self);
/* Cancelled only when the library goes: saves outlive the list that asked. */
GCancellable   *_kq_library_get_cancellable  (KqLibrary      *self);
/* A page of @articles was saved (@new_ids: those the cache never had):
 * unread counts change, and a refresh (@cycle) collects what is new. */
void            _kq_library_page_saved       (KqLibrary      *self,
                                              GPtrArray      *articles,
                                              GArray         *new_ids,
                                              KqRefreshCycle *cycle);
void            _kq_library_queue_counts     (KqLibrary      *self);
/* The categories again (the site's, or the cache's when offline). */
void            _kq_library_reload_categories (KqLibrary     *self);
KqHttp         *_kq_library_get_http         (KqLibrary      *self);
/* The feeds alive, each with a reference. */
GPtrArray      *_kq_library_dup_feeds        (KqLibrary      *self);
/* Counts the bookmarks again (the store's list), or sets the count. */
void            _kq_library_count_bookmarks  (KqLibrary      *self);
void            _kq_library_set_bookmark_count (KqLibrary    *self,
                                                guint         count);

void            _kq_library_load_categories  (KqLibrary      *self,
                                              KqRefreshCycle *cycle);
void            _kq_library_notify_refreshing (KqLibrary     *self);
/* "network-available" and "offline" */
void            _kq_library_notify_network   (KqLibrary      *self);
void            _kq_library_emit_new_articles (KqLibrary     *self,
                                               const char    *source_title,
                                               GPtrArray     *articles);

/* kq-library-refresh.c */
void            _kq_library_update_refresh_timer (KqLibrary  *self);
/* GNetworkMonitor::network-changed */
void            _kq_library_network_changed_cb (KqLibrary       *self,
                                                gboolean         available,
                                                GNetworkMonitor *monitor);
/* Whether what a request to the site needs from the store is in: the
 * discovery kept for the source and the HTTP validators. */
gboolean        _kq_library_get_started      (KqLibrary      *self);

/* kq-article-feed.c: what the library uses */
KqArticleFeed  *_kq_article_feed_new         (KqLibrary         *library,
                                              KqArticleFeedKind  kind,
                                              gint64             category_id,
                                              const char        *search_text);
/* The library is going away: stop, and never call it again. */
void            _kq_article_feed_detach      (KqArticleFeed  *self);
/* Page 1 again as part of @cycle (nullable). */
void            _kq_article_feed_refresh_in_cycle (KqArticleFeed  *self,
                                                   gboolean        background,
                                                   KqRefreshCycle *cycle);
/* A bookmark was added or removed: a bookmarks feed lists it or not. */
void            _kq_article_feed_bookmark_changed (KqArticleFeed *self,
                                                   KqArticle     *article,
                                                   gboolean       bookmarked);
/* The library has what a request needs (_kq_library_get_started()). */
void            _kq_article_feed_library_started (KqArticleFeed *self);
/* Every article listed (feed, then site results), for @func. */
void            _kq_article_feed_foreach     (KqArticleFeed  *self,
                                              GFunc           func,
                                              gpointer        user_data);

G_END_DECLS
