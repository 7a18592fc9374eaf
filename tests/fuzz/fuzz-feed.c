/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the RSS/Atom/RDF feed parser. */
#include "config.h"

#include "fuzz-common.h"
#include "kq-feed-parser.h"
#include "kq-feed.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(KqFeed) feed = NULL;
  g_autoptr(GError) error = NULL;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  (void) kq_feed_parser_looks_like_feed (bytes);
  feed = kq_feed_parser_parse (bytes, "https://example.org", "https://example.org/feed/", &error);
  g_assert ((feed != NULL) != (error != NULL));
  if (feed != NULL)
    {
      fuzz_assert_object_utf8 (feed);
      fuzz_assert_array_utf8 (kq_feed_get_items (feed));
    }
  else
    g_assert (g_utf8_validate (error->message, -1, NULL));

  return 0;
}
