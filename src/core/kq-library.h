/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-article-feed.h"
#include "kq-article.h"
#include "kq-image-loader.h"

G_BEGIN_DECLS

#define KQ_TYPE_LIBRARY (kq_library_get_type ())

G_DECLARE_FINAL_TYPE (KqLibrary, kq_library, KQ, LIBRARY, GObject)

/*
 * KqLibrary: the one owner of the reading services, like GNOME Calendar's
 * GcalContext. Owned by the application, it outlives every window: the HTTP
 * session, the source, the store (cache, bookmarks, read state, search), the
 * HTTP validators kept between starts, the refresh timer and the network
 * monitor. Windows ask it for a KqArticleFeed per list they show and bind to
 * it; everything else they do (open an article, follow a link, bookmark,
 * mark read, export) goes through the calls below. No window ever talks to
 * KqHttp, KqSource or KqStore.
 *
 * It starts on creation: opens the store, preloads the validators, lists the
 * cached categories and asks the site for its own.
 *
 * Properties: "source-url" (the site read), "store-path" (construct-only,
 * NULL: the user's data folder), "offline" (construct-only: the cache only,
 * never the network), "network-monitor" (construct-only, default
 * g_network_monitor_get_default()), "network-available" (read-only: FALSE
 * from the moment the monitor says the network went away until it is back),
 * "refresh-interval" (seconds between refreshes, 0: none),
 * "cache-max-articles", "unread-count" (read-only: the source's unread
 * articles, -1 while unknown), "bookmark-count" (read-only), "refreshing"
 * (read-only: a refresh is running).
 *
 * Signals: "new-articles" (const char *source_title, GPtrArray *articles): a
 * refresh (the timer, the network coming back, kq_library_refresh()) saved
 * articles the cache never had, newest first; "message" (const char *text):
 * something the reader should be told (the cache was rebuilt…).
 */

KqLibrary     *kq_library_new                   (const char     *source_url,
                                                 const char     *store_path,
                                                 gboolean        offline);

const char    *kq_library_get_source_url        (KqLibrary      *self);
/* Reads another site from now on; feeds made before keep the old one. */
void           kq_library_set_source_url        (KqLibrary      *self,
                                                 const char     *url);
/* The site's name (or the feed's title) when known, else its host. */
char          *kq_library_dup_source_title      (KqLibrary      *self);
/* Whether @article comes from the source read (comments, links). */
gboolean       kq_library_is_from_source        (KqLibrary      *self,
                                                 KqArticle      *article);

/* Forced offline (--offline) or the network gone. */
gboolean       kq_library_get_offline           (KqLibrary      *self);
gboolean       kq_library_get_network_available (KqLibrary      *self);
guint          kq_library_get_refresh_interval  (KqLibrary      *self);
void           kq_library_set_refresh_interval  (KqLibrary      *self,
                                                 guint           seconds);
guint          kq_library_get_cache_max_articles (KqLibrary     *self);
void           kq_library_set_cache_max_articles (KqLibrary     *self,
                                                  guint          max_articles);
const char    *kq_library_get_youtube_posters   (KqLibrary      *self);
void           kq_library_set_youtube_posters   (KqLibrary      *self,
                                                 const char     *base);
int            kq_library_get_unread_count      (KqLibrary      *self);
guint          kq_library_get_bookmark_count    (KqLibrary      *self);
/* A kq_library_refresh() is running (until its last page is in). */
gboolean       kq_library_get_refreshing        (KqLibrary      *self);

/* The source's categories (KqCategory, "unread-count" filled), in the site's order. */
GListModel    *kq_library_get_categories        (KqLibrary      *self);
KqImageLoader *kq_library_get_image_loader      (KqLibrary      *self);

/* A new feed (LATEST, CATEGORY with @category_id, BOOKMARKS), already filling. */
KqArticleFeed *kq_library_get_feed              (KqLibrary      *self,
                                                 KqArticleFeedKind kind,
                                                 gint64          category_id);
/* A new search feed: the cache's matches at once, the site's below them. */
KqArticleFeed *kq_library_search                (KqLibrary      *self,
                                                 const char     *text);

/*
 * Fetches the categories and page 1 of every feed alive again (and of the
 * latest articles when no feed shows them). At most one refresh runs at a
 * time; a site that asked to wait (Retry-After) is left alone until then.
 * Returns FALSE when offline (nothing was asked).
 */
gboolean       kq_library_refresh               (KqLibrary      *self,
                                                 gboolean        background);

/* Opening an article: marks it read and gives it its body (the cache, else
 * the site, else the bookmark's copy), in place. */
void           kq_library_open_article_async    (KqLibrary      *self,
                                                 KqArticle      *article,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean       kq_library_open_article_finish   (KqLibrary      *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* An article of the source by id: the cache, else the site. */
void           kq_library_find_article_async    (KqLibrary      *self,
                                                 gint64          id,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
KqArticle     *kq_library_find_article_finish   (KqLibrary      *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* The article a link in @from's body points to: the cache, else the site
 * (and then kept); KQ_HTTP_ERROR_NOT_FOUND when it is no article Kiosque
 * can find (open it in the browser). */
void           kq_library_resolve_link_async    (KqLibrary      *self,
                                                 KqArticle      *from,
                                                 const char     *uri,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
KqArticle     *kq_library_resolve_link_finish   (KqLibrary      *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

void           kq_library_set_read              (KqLibrary      *self,
                                                 KqArticle      *article,
                                                 gboolean        read);
/* Everything @feed lists, read: a category or the latest as a whole in the
 * cache, bookmarks and search results one by one. */
void           kq_library_mark_all_read_async   (KqLibrary      *self,
                                                 KqArticleFeed  *feed,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean       kq_library_mark_all_read_finish  (KqLibrary      *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

/* A user's save: never cancelled, and it completes even when no window is left. */
void           kq_library_set_bookmarked_async  (KqLibrary      *self,
                                                 KqArticle      *article,
                                                 gboolean        bookmarked,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean       kq_library_set_bookmarked_finish (KqLibrary      *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

/* @html: a browser's bookmarks file instead of Kiosque's JSON. Returns how many. */
void           kq_library_export_bookmarks_async  (KqLibrary    *self,
                                                   GFile        *file,
                                                   gboolean      html,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer      user_data);
gint64         kq_library_export_bookmarks_finish (KqLibrary    *self,
                                                   GAsyncResult *result,
                                                   GError      **error);
/* Adds what @file has that the bookmarks lack; returns how many. */
void           kq_library_import_bookmarks_async  (KqLibrary    *self,
                                                   GFile        *file,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer      user_data);
gint64         kq_library_import_bookmarks_finish (KqLibrary    *self,
                                                   GAsyncResult *result,
                                                   GError      **error);

/* Empties the cache (bookmarks and read state kept); the feeds start over. */
void           kq_library_clear_cache_async     (KqLibrary      *self,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean       kq_library_clear_cache_finish    (KqLibrary      *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

/* The comments of @article (KqComment, threaded); it must be from the source. */
void           kq_library_list_comments_async   (KqLibrary      *self,
                                                 KqArticle      *article,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
GPtrArray     *kq_library_list_comments_finish  (KqLibrary      *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

/*
 * Ends the library's work, before it goes: stops the timer and what is being
 * fetched or read, and calls back once the store has written everything
 * queued (a bookmark saved just before quitting is kept). Nothing is started
 * after it.
 */
void           kq_library_close_async           (KqLibrary      *self,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean       kq_library_close_finish          (KqLibrary      *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

/* What @url is before it is adopted: returns its canonical address, and
 * whether it is a plain feed (else a WordPress site). Does not change the
 * source read. */
void           kq_library_probe_source_async    (KqLibrary      *self,
                                                 const char     *url,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
char          *kq_library_probe_source_finish   (KqLibrary      *self,
                                                 GAsyncResult   *result,
                                                 gboolean       *is_feed,
                                                 GError        **error);

G_END_DECLS
