/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the link and image URL sanitiser. Whatever comes in,
 * what comes out is NULL or an absolute http(s) URL with a host. */
#include "config.h"

#include <string.h>

#include "kq-url.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  const char *split = strchr (input, '\n');
  g_autofree char *base = split ? g_strndup (input, split - input) : NULL;
  const char *url = split ? split + 1 : input;
  g_autofree char *clean = NULL;
  g_autofree char *clean_with_base = NULL;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  clean = kq_html_sanitize_url (url, "https://example.org/2026/11/article/");
  if (clean != NULL)
    {
      g_assert (kq_url_is_http (clean));
      g_assert (g_str_has_prefix (clean, "http://") || g_str_has_prefix (clean, "https://"));
    }

  clean_with_base = kq_html_sanitize_url (url, base);
  if (clean_with_base != NULL)
    g_assert (kq_url_is_http (clean_with_base));

  return 0;
}
