/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-article.h"
#include "kq-category.h"
#include "kq-comment.h"

G_BEGIN_DECLS

/*
 * WordPress REST API answers (/wp-json/wp/v2/…) → models.
 *
 * Posts: with or without `_embed` (featured media sizes → a ~300 px thumbnail
 * and a ~1024 px image, `wp:term` → category names and tags, author name,
 * replies → comment count). Titles, excerpts and names are plain text with
 * entities decoded; dates come from date_gmt/modified_gmt as UTC. Items of a
 * collection that are not usable posts (no positive id, wrong type) are
 * skipped. A WordPress error object {code, message, data.status} gives
 * KQ_WP_ERROR_API (or KQ_WP_ERROR_INVALID_PAGE past the last page).
 *
 * Nothing in the input can crash the parser or raise a critical: wrong
 * types are ignored field by field, nesting deeper than 512 levels and
 * bodies over 20 MB are rejected with KQ_WP_ERROR_INVALID.
 *
 * A list of posts gives at most KQ_WP_MAX_POSTS articles (WordPress's own
 * per_page maximum): the rest of a longer answer is dropped.
 */

#define KQ_WP_MAX_POSTS 100

#define KQ_WP_ERROR (kq_wp_error_quark ())

typedef enum {
  KQ_WP_ERROR_INVALID,       /* not JSON, or not the expected shape */
  KQ_WP_ERROR_API,           /* a WordPress error object; the message says it */
  KQ_WP_ERROR_INVALID_PAGE,  /* "rest_post_invalid_page_number": past the last page */
} KqWpError;

GQuark      kq_wp_error_quark               (void);

/* KqArticle, in the answer's order. */
GPtrArray  *kq_wp_parser_parse_posts        (GBytes               *json,
                                             const char           *source,
                                             GError              **error);
KqArticle  *kq_wp_parser_parse_post         (GBytes               *json,
                                             const char           *source,
                                             GError              **error);
/* KqCategory, in the site's order ("position" set). */
GPtrArray  *kq_wp_parser_parse_categories   (GBytes               *json,
                                             const char           *source,
                                             GError              **error);
/* KqComment, threaded (see kq_comment_thread()). */
GPtrArray  *kq_wp_parser_parse_comments     (GBytes               *json,
                                             GError              **error);

/* kq_wp_parser_parse_comments() on a worker thread, at most 100 comments
 * (a page of WordPress's): a page of hostile comments never holds the main
 * loop. Their contents are parsed into blocks by KqLibrary. */
void        kq_wp_parser_parse_comments_async  (GBytes               *json,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray  *kq_wp_parser_parse_comments_finish (GAsyncResult         *result,
                                                GError              **error);

/* kq_wp_parser_parse_posts() on a worker thread. */
void        kq_wp_parser_parse_posts_async  (GBytes               *json,
                                             const char           *source,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray  *kq_wp_parser_parse_posts_finish (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
