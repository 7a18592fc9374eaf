/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-text"

#include "config.h"

#include <string.h>

#include "kq-text-private.h"

/*
 * What a reader types in the search field, bounded before a site or the
 * index sees it: a query of 10 KB (pasted by mistake, or an attack) became
 * some 1,700 terms that held the store for 12 s. No one searches with more
 * than a few words; the first ones are kept, whole.
 */

/**
 * _kq_text_bound_query:
 * @query: (nullable): what was typed, valid UTF-8
 *
 * Returns: (transfer full): the first words of @query (separated by white
 * space), one space between them, at most KQ_TEXT_MAX_QUERY_WORDS words and
 * KQ_TEXT_MAX_QUERY_BYTES bytes; a first word longer than that is cut
 * between two characters. "" when there is no word or @query is not UTF-8.
 */
char *
_kq_text_bound_query (const char *query)
{
  GString *out = g_string_sized_new (64);
  const char *p = query;
  guint words = 0;

  if (query == NULL || !g_utf8_validate (query, -1, NULL))
    return g_string_free (out, FALSE);

  while (*p != '\0' && words < KQ_TEXT_MAX_QUERY_WORDS)
    {
      const char *start;
      gsize len;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      len = p - start;
      if (len == 0)
        break;

      if (out->len + (out->len > 0) + len > KQ_TEXT_MAX_QUERY_BYTES)
        {
          /* A first word alone too long: its first characters. */
          if (out->len == 0)
            {
              const char *end = start + KQ_TEXT_MAX_QUERY_BYTES;

              while (end > start && ((guchar) *end & 0xC0) == 0x80)
                end--;
              g_string_append_len (out, start, end - start);
            }
          break;
        }
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_len (out, start, len);
      words++;
    }

  return g_string_free (out, FALSE);
}
