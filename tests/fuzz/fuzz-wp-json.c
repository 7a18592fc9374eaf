/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the WordPress REST JSON parser (posts, one post,
 * categories, comments) on the same bytes. */
#include "config.h"

#include "kq-article.h"
#include "kq-wp-parser.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(KqArticle) post = NULL;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  posts = kq_wp_parser_parse_posts (bytes, "https://example.org", NULL);
  post = kq_wp_parser_parse_post (bytes, "https://example.org", NULL);
  categories = kq_wp_parser_parse_categories (bytes, "https://example.org", NULL);
  comments = kq_wp_parser_parse_comments (bytes, NULL);

  return 0;
}
