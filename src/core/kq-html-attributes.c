/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <string.h>

#include "kq-html-private.h"

/*
 * Attributes per element, bounded before libxml2 sees the markup.
 *
 * libxml2's HTML parser (2.9) checks each attribute of a tag against all the
 * ones before it: one element with 200,000 attributes is 2·10¹⁰ comparisons,
 * minutes of a core. No real element has more than a few dozen, so one pass
 * over the markup drops the attributes of a tag past the first few, reading
 * tags the way libxml2 does: comments, <!…> and <?…> are skipped whole, the
 * content of <script> and <style> is text until its end tag, quoted values
 * may hold '>', and an unquoted value ends at a space or '>'. A document
 * without such a tag is left as it is (no copy). The feed parser runs it
 * too: libxml2's XML parser checks attributes the same way (so CDATA
 * sections are skipped whole).
 */

static inline gboolean
is_blank (char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

static gboolean
has_prefix_ci (const char *s,
               gsize       i,
               gsize       len,
               const char *prefix)
{
  gsize n = strlen (prefix);

  return len - i >= n && g_ascii_strncasecmp (s + i, prefix, n) == 0;
}

/* The index just past the first @end at or after @i (case-insensitive), or
 * @len when there is none. */
static gsize
skip_past (const char *s,
           gsize       i,
           gsize       len,
           const char *end)
{
  while (i < len)
    {
      const char *p = memchr (s + i, end[0], len - i);

      if (p == NULL)
        return len;
      i = p - s;
      if (has_prefix_ci (s, i, len, end))
        return i + strlen (end);
      i++;
    }
  return len;
}

/* The index of the first '<' + "/" + @name at or after @i, or @len. */
static gsize
find_end_tag (const char *s,
              gsize       i,
              gsize       len,
              const char *name,
              gsize       name_len)
{
  while (i < len)
    {
      const char *p = memchr (s + i, '<', len - i);

      if (p == NULL)
        return len;
      i = p - s;
      if (len - i >= name_len + 2 && s[i + 1] == '/' &&
          g_ascii_strncasecmp (s + i + 2, name, name_len) == 0)
        return i;
      i++;
    }
  return len;
}

/**
 * _kq_html_bound_attributes:
 * @html: (array length=len_inout): markup, not necessarily NUL-terminated
 * @len_inout: its length; the new length when a copy is returned
 * @max: attributes kept per tag
 *
 * Returns: (transfer full) (nullable): a copy of @html without the
 * attributes past the first @max of any tag, or NULL when no tag has more.
 */
char *
_kq_html_bound_attributes (const char *html,
                           gsize      *len_inout,
                           guint       max)
{
  gsize len = *len_inout;
  GString *out = NULL;
  gsize copied = 0;   /* html[0, copied) is in out */
  gsize i = 0;

  while (i < len)
    {
      const char *lt = memchr (html + i, '<', len - i);
      gsize name_start, name_len;
      guint count = 0;

      if (lt == NULL)
        break;
      i = lt - html;

      if (has_prefix_ci (html, i, len, "<!--"))
        {
          i = skip_past (html, i + 4, len, "-->");
          continue;
        }
      if (has_prefix_ci (html, i, len, "<![CDATA["))
        {
          i = skip_past (html, i + 9, len, "]]>");
          continue;
        }
      if (i + 1 < len && (html[i + 1] == '!' || html[i + 1] == '?' || html[i + 1] == '/'))
        {
          i = skip_past (html, i + 1, len, ">");
          continue;
        }
      if (i + 1 >= len || !g_ascii_isalpha (html[i + 1]))
        {
          i++;
          continue;
        }

      /* A start tag: its name, then its attributes. */
      name_start = ++i;
      while (i < len && !is_blank (html[i]) && html[i] != '>' && html[i] != '/')
        i++;
      name_len = i - name_start;

      while (i < len)
        {
          gsize attr_start;

          while (i < len && (is_blank (html[i]) ||
                             (html[i] == '/' && (i + 1 >= len || html[i + 1] != '>'))))
            i++;
          if (i >= len || html[i] == '>' || html[i] == '/')
            break;

          attr_start = i;
          while (i < len && !is_blank (html[i]) && html[i] != '>' && html[i] != '=' &&
                 !(html[i] == '/' && i + 1 < len && html[i + 1] == '>'))
            i++;
          {
            gsize after_name = i;

            while (i < len && is_blank (html[i]))
              i++;
            if (i < len && html[i] == '=')
              {
                i++;
                while (i < len && is_blank (html[i]))
                  i++;
                if (i < len && (html[i] == '"' || html[i] == '\''))
                  {
                    const char *close = memchr (html + i + 1, html[i], len - i - 1);

                    i = close != NULL ? (gsize) (close - html) + 1 : len;
                  }
                else
                  while (i < len && !is_blank (html[i]) && html[i] != '>')
                    i++;
              }
            else
              i = after_name;   /* no value: the blanks belong to the next one */
          }

          if (++count <= max)
            continue;

          /* One too many: leave it out of the copy. */
          if (out == NULL)
            out = g_string_sized_new (len);
          g_string_append_len (out, html + copied, attr_start - copied);
          copied = i;
        }
      if (count > max)
        g_debug ("Dropped %u attributes of a <%.*s>", count - max, (int) MIN (name_len, 32),
                 html + name_start);

      /* The content of script and style is text up to their end tag. */
      if ((name_len == 6 && g_ascii_strncasecmp (html + name_start, "script", 6) == 0) ||
          (name_len == 5 && g_ascii_strncasecmp (html + name_start, "style", 5) == 0))
        i = find_end_tag (html, i, len, html + name_start, name_len);
    }

  if (out == NULL)
    return NULL;

  g_string_append_len (out, html + copied, len - copied);
  *len_inout = out->len;
  return g_string_free (out, FALSE);
}
