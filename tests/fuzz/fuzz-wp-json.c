/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the WordPress REST JSON parser (posts, one post,
 * categories, comments) on the same bytes. */
#include "config.h"

#include "fuzz-common.h"
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
  GError *errors[4] = { NULL, };

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  posts = kq_wp_parser_parse_posts (bytes, "https://example.org", &errors[0]);
  post = kq_wp_parser_parse_post (bytes, "https://example.org", &errors[1]);
  categories = kq_wp_parser_parse_categories (bytes, "https://example.org", &errors[2]);
  comments = kq_wp_parser_parse_comments (bytes, &errors[3]);

  g_assert ((posts != NULL) != (errors[0] != NULL));
  g_assert ((post != NULL) != (errors[1] != NULL));
  g_assert ((categories != NULL) != (errors[2] != NULL));
  g_assert ((comments != NULL) != (errors[3] != NULL));
  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      if (errors[i] != NULL)
        g_assert (g_utf8_validate (errors[i]->message, -1, NULL));
      g_clear_error (&errors[i]);
    }

  fuzz_assert_array_utf8 (posts);
  if (post != NULL)
    fuzz_assert_object_utf8 (post);
  fuzz_assert_array_utf8 (categories);
  fuzz_assert_array_utf8 (comments);

  return 0;
}
