/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-article.h"
#include "kq-category.h"
#include "kq-comment.h"
#include "kq-http.h"

G_BEGIN_DECLS

typedef enum {
  KQ_SOURCE_MODE_UNKNOWN,   /* not discovered yet */
  KQ_SOURCE_MODE_WP_REST,   /* WordPress REST API (/wp-json/wp/v2/) */
  KQ_SOURCE_MODE_WP_FEED,   /* WordPress without a usable REST API: its RSS feeds */
  KQ_SOURCE_MODE_FEED,      /* the URL is itself an RSS/Atom feed */
} KqSourceMode;

#define KQ_TYPE_SOURCE_MODE (kq_source_mode_get_type ())
#define KQ_TYPE_SOURCE      (kq_source_get_type ())

G_DECLARE_FINAL_TYPE (KqSource, kq_source, KQ, SOURCE, GObject)

/*
 * What the UI asks a site for. Properties: "url" (normalised: no trailing
 * slash, the "source" of every model it returns), "mode" (KqSourceMode,
 * notified when discovery ends), "http".
 *
 * Discovery happens implicitly on first use if not done. Errors are
 * KQ_HTTP_ERROR (network), KQ_WP_ERROR or KQ_FEED_ERROR (unreadable answers),
 * KQ_SOURCE_ERROR_NOTHING_TO_READ (discovery found neither a REST API nor a
 * feed), all with messages a reader understands; cancelling ends quietly with
 * G_IO_ERROR_CANCELLED. Post lists are parsed off the main thread.
 *
 * A page past the last one gives an empty array, not an error. In FEED mode
 * there are no categories and only page 1; in WP_FEED mode a page holds what
 * the feed has (WordPress's feeds accept ?paged=N).
 */

#define KQ_SOURCE_ERROR (kq_source_error_quark ())

typedef enum {
  /* The address answers, but with neither articles (no WordPress REST API)
   * nor a news feed: trying again cannot help. */
  KQ_SOURCE_ERROR_NOTHING_TO_READ,
} KqSourceError;

GQuark        kq_source_error_quark           (void);

GType         kq_source_mode_get_type         (void);
const char   *kq_source_mode_to_string        (KqSourceMode          mode); /* "wp-rest"… */

KqSource     *kq_source_new                   (KqHttp               *http,
                                               const char           *url);
const char   *kq_source_get_url               (KqSource             *self);
KqSourceMode  kq_source_get_mode              (KqSource             *self);
KqHttp       *kq_source_get_http              (KqSource             *self);
/* Posts per page (default 20, at most 100). */
void          kq_source_set_per_page          (KqSource             *self,
                                               guint                 per_page);
/* The feed's title in FEED mode, else the site name when known; may be NULL. */
const char   *kq_source_get_title             (KqSource             *self);

void          kq_source_discover_async        (KqSource             *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean      kq_source_discover_finish       (KqSource             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/*
 * What discovery found at an earlier start (kept by the caller, e.g. in
 * KqStore), with the title it had (nullable): the source uses it at once, without asking the site again. If
 * the first operation then fails in a way that says the site changed (404,
 * 403, an answer of the wrong kind), discovery runs once and the operation
 * again. Ignored once the source's mode is known.
 */
void          kq_source_restore_discovery     (KqSource             *self,
                                               KqSourceMode          mode,
                                               const char           *api_root,
                                               const char           *feed_url,
                                               const char           *title);
/* The REST API root and main feed discovery found (nullable), to keep. */
const char   *kq_source_get_api_root          (KqSource             *self);
const char   *kq_source_get_feed_url          (KqSource             *self);

/* KqCategory, in the site's order. */
void          kq_source_list_categories_async (KqSource             *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray    *kq_source_list_categories_finish (KqSource            *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* KqArticle; @category_id 0 = all; @page is 1-based. */
void          kq_source_list_posts_async      (KqSource             *self,
                                               gint64                category_id,
                                               guint                 page,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray    *kq_source_list_posts_finish     (KqSource             *self,
                                               GAsyncResult         *result,
                                               guint                *total_pages,
                                               GError              **error);

void          kq_source_search_async          (KqSource             *self,
                                               const char           *query,
                                               guint                 page,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray    *kq_source_search_finish         (KqSource             *self,
                                               GAsyncResult         *result,
                                               guint                *total_pages,
                                               GError              **error);

void          kq_source_get_post_async        (KqSource             *self,
                                               gint64                id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
KqArticle    *kq_source_get_post_finish       (KqSource             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/*
 * The post a permalink of this site points to (another article linked from
 * a body): REST asks /wp/v2/posts?slug=<last path segment>&_embed=1, feed
 * modes look through the articles seen and the main feed; "?p=ID" links ask
 * for that post. KQ_HTTP_ERROR_NOT_FOUND when no post has that link.
 */
void          kq_source_get_post_by_link_async  (KqSource             *self,
                                                 const char           *link,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
KqArticle    *kq_source_get_post_by_link_finish (KqSource             *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* KqComment, threaded (kq_comment_thread()). */
void          kq_source_list_comments_async   (KqSource             *self,
                                               gint64                post_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray    *kq_source_list_comments_finish  (KqSource             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
