/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "kq-html-private.h"
#include "kq-text-private.h"
#include "kq-url-private.h"

/* The public entry: input preparation (charset, UTF-8 cleanup, size cap),
 * libxml2 parsing, the walk, and the threaded async variant. */

/* Input preparation */

static gboolean
is_charset_char (char ch)
{
  return g_ascii_isalnum (ch) || ch == '-' || ch == '_' || ch == ':' || ch == '.';
}

/* The charset of a <meta charset> or <meta http-equiv> in the first 2 KiB
 * (up to a NUL byte), lower-cased; read in place, case-insensitively. */
/* Whether @text (not valid UTF-8 throughout) holds at least one valid
 * UTF-8 sequence beyond ASCII. */
static gboolean
has_utf8_beyond_ascii (const char *text,
                       gsize       len)
{
  for (gsize i = 0; i < len;)
    {
      guchar c = (guchar) text[i];
      const char *end;

      if (c < 0x80)
        {
          i++;
          continue;
        }
      if (g_utf8_validate_len (text + i, MIN (len - i, 4), &end) || end > text + i)
        return TRUE;
      i++;
    }

  return FALSE;
}

static char *
sniff_charset (const char *html,
               gsize       len)
{
  gsize n = strnlen (html, MIN (len, 2048));

  for (gsize i = 0; i + 7 <= n; i++)
    {
      gsize p, start, tag;

      if ((html[i] | 0x20) != 'c' || g_ascii_strncasecmp (html + i, "charset", 7) != 0)
        continue;

      p = i + 7;
      while (p < n && html[p] == ' ')
        p++;
      if (p >= n || html[p] != '=')
        {
          i = p - 1;
          continue;
        }
      p++;
      while (p < n && (html[p] == ' ' || html[p] == '"' || html[p] == '\''))
        p++;
      start = p;
      while (p < n && is_charset_char (html[p]))
        p++;

      /* Only inside a <meta …> tag. */
      tag = i;
      while (tag > 0 && html[tag] != '<' && html[tag] != '>')
        tag--;
      if (html[tag] == '<' && n - tag >= 5 && g_ascii_strncasecmp (html + tag, "<meta", 5) == 0 &&
          p > start)
        return g_ascii_strdown (html + start, p - start);
      i = MAX (p, i + 1) - 1;
    }
  return NULL;
}

/* g_utf8_validate_len() (valid UTF-8, no NUL byte), eight ASCII bytes at a
 * time: articles are mostly ASCII. */
static gboolean
is_valid_utf8 (const char *text,
               gsize       len)
{
  const char *p = text;
  const char *end = text + len;

  while (p < end)
    {
      while (end - p >= 8)
        {
          guint64 w;

          memcpy (&w, p, sizeof w);
          /* A byte with its high bit set, or a zero byte. */
          if ((w & G_GUINT64_CONSTANT (0x8080808080808080)) ||
              ((w - G_GUINT64_CONSTANT (0x0101010101010101)) & ~w &
               G_GUINT64_CONSTANT (0x8080808080808080)))
            break;
          p += 8;
        }
      if (p >= end)
        break;

      if ((guchar) *p < 0x80)
        {
          if (*p == '\0')
            return FALSE;
          p++;
        }
      else
        {
          const char *next;

          /* One character or a few; none when the one at @p is invalid or
           * cut short by the end. */
          g_utf8_validate_len (p, MIN ((gsize) (end - p), 4), &next);
          if (next == p)
            return FALSE;
          p = next;
        }
    }

  return TRUE;
}

/* Valid UTF-8 without NUL bytes from at most @max bytes of input: returns a
 * new buffer, or NULL when @html's first *len bytes can be used as they are.
 * *len is updated either way. */
static char *
prepare_input (const char *html,
               gsize      *len_inout,
               gsize       max,
               gboolean   *truncated)
{
  gsize len = *len_inout;
  g_autofree char *charset = NULL;
  g_autofree char *converted = NULL;
  g_autoptr(GString) clean = NULL;
  const char *src = html;
  gsize src_len;

  if (len > max)
    {
      *truncated = TRUE;
      len = max;
      /* Cut before a character that straddles the limit. */
      while (len > 0 && ((guchar) html[len] & 0xC0) == 0x80)
        len--;
    }
  src_len = len;

  charset = sniff_charset (html, len);
  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "utf8") != 0)
    {
      const char *from = charset;
      gsize written = 0;

      /* As browsers do: Latin-1 labels mean Windows-1252. */
      if (g_ascii_strcasecmp (charset, "iso-8859-1") == 0 ||
          g_ascii_strcasecmp (charset, "latin1") == 0 ||
          g_ascii_strcasecmp (charset, "us-ascii") == 0)
        from = "WINDOWS-1252";

      converted = g_convert_with_fallback (html, len, "UTF-8", from, "?", NULL, &written, NULL);
      if (converted != NULL)
        {
          src = converted;
          src_len = written;
        }
    }

  if (is_valid_utf8 (src, src_len))
    {
      *len_inout = src_len;
      return src == converted ? g_steal_pointer (&converted) : NULL;
    }

  /* Not a single character beyond ASCII is UTF-8: the page is in
   * Windows-1252 (or Latin-1) whatever it says, as browsers would guess. */
  if (converted == NULL && !has_utf8_beyond_ascii (src, src_len))
    {
      gsize written = 0;

      converted = g_convert_with_fallback (src, src_len, "UTF-8", "WINDOWS-1252", "?", NULL,
                                           &written, NULL);
      if (converted != NULL && is_valid_utf8 (converted, written))
        {
          *len_inout = written;
          return g_steal_pointer (&converted);
        }
      g_clear_pointer (&converted, g_free);
    }

  clean = g_string_sized_new (src_len + 1);
  for (gsize i = 0; i < src_len;)
    {
      const char *end;
      gsize chunk;

      if (src[i] == '\0')
        {
          i++;
          continue;
        }
      if (g_utf8_validate_len (src + i, src_len - i, &end))
        {
          g_string_append_len (clean, src + i, src_len - i);
          break;
        }
      chunk = end - (src + i);
      g_string_append_len (clean, src + i, chunk);
      i += chunk;
      /* A byte of Windows-1252's "smart" punctuation (0x80–0x9F: don\x92t,
       * pasted from a word processor into a UTF-8 page) is that character,
       * like in excerpts; any other broken sequence is U+FFFD. */
      if (i < src_len && src[i] != '\0' && (guchar) src[i] <= 0x9F)
        {
          g_string_append_unichar (clean, _kq_text_windows_1252 ((guchar) src[i]));
          i++;
        }
      else if (i < src_len && src[i] != '\0')
        {
          g_string_append (clean, "\xef\xbf\xbd");
          i++;
          /* Skip continuation bytes of the broken sequence. */
          while (i < src_len && ((guchar) src[i] & 0xC0) == 0x80)
            i++;
        }
    }

  *len_inout = clean->len;
  return g_string_free (g_steal_pointer (&clean), FALSE);
}

static void
resolve_options (KqHtmlOptions       *out,
                 const KqHtmlOptions *opts)
{
  memset (out, 0, sizeof *out);
  if (opts != NULL)
    *out = *opts;
  if (out->target_image_width == 0)
    out->target_image_width = KQ_HTML_DEFAULT_IMAGE_WIDTH;
  if (out->max_input_bytes == 0)
    out->max_input_bytes = KQ_HTML_DEFAULT_MAX_INPUT;
  if (out->max_depth == 0)
    out->max_depth = KQ_HTML_DEFAULT_MAX_DEPTH;
  if (out->max_blocks == 0)
    out->max_blocks = KQ_HTML_DEFAULT_MAX_BLOCKS;
  if (out->youtube_posters == NULL || out->youtube_posters[0] == '\0')
    out->youtube_posters = KQ_HTML_DEFAULT_YOUTUBE_POSTERS;
  /* libxml2 takes an int length. */
  out->max_input_bytes = MIN (out->max_input_bytes, (gsize) G_MAXINT / 4);
}

static void
on_quiet_structured_error (void        *user_data,
                           xmlErrorPtr  xml_error)
{
  g_autofree char *message = NULL;

  /* The parsers' own errors: their context's handler already saw them,
   * or the parse options asked for silence. */
  if (xml_error == NULL || xml_error->domain == XML_FROM_PARSER ||
      xml_error->domain == XML_FROM_HTML || xml_error->domain == XML_FROM_NAMESPACE)
    return;
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;
  message = g_strdup (xml_error->message ? xml_error->message : "");
  g_debug ("libxml2 (domain %d, code %d): %s", xml_error->domain, xml_error->code,
           g_strchomp (message));
}

static void G_GNUC_PRINTF (2, 3)
on_quiet_generic_error (void       *user_data,
                        const char *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("libxml2: %s", g_strchomp (message));
}

void
_kq_xml_quiet_begin (KqXmlQuiet *saved)
{
  saved->structured = xmlStructuredError;
  saved->structured_data = xmlStructuredErrorContext;
  saved->generic = xmlGenericError;
  saved->generic_data = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc (NULL, on_quiet_structured_error);
  xmlSetGenericErrorFunc (NULL, on_quiet_generic_error);
}

void
_kq_xml_quiet_end (KqXmlQuiet *saved)
{
  xmlSetStructuredErrorFunc (saved->structured_data, saved->structured);
  xmlSetGenericErrorFunc (saved->generic_data, saved->generic);
}

/**
 * kq_html_parse:
 * @html: (array length=len): the HTML body
 * @len: length in bytes, or -1 if NUL-terminated
 * @base_url: (nullable): the article's URL, to resolve relative links
 * @opts: (nullable): options
 *
 * Returns: (transfer full): the block document, never NULL
 */
KqHtmlDocument *
kq_html_parse (const char          *html,
               gssize               len,
               const char          *base_url,
               const KqHtmlOptions *opts)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  g_autofree char *input = NULL;
  g_autofree char *base = NULL;
  KqHtmlBuilder b = { 0, };
  KqHtmlContainer top;
  KqHtmlInline in = { 0, NULL };
  KqXmlQuiet quiet;
  htmlDocPtr doc;
  xmlNode *root;

  resolve_options (&b.opts, opts);

  if (html == NULL)
    return _kq_html_document_new (g_steal_pointer (&blocks), 0, FALSE);
  if (len < 0)
    len = strlen (html);

  base = kq_html_sanitize_url (base_url, NULL);
  b.base_url = base;

  {
    gsize input_len = len;

    input = prepare_input (html, &input_len, b.opts.max_input_bytes, &b.truncated);
    if (input_len == 0)
      return _kq_html_document_new (g_steal_pointer (&blocks), 0, b.truncated);

    {
      char *bounded = _kq_html_bound_attributes (input != NULL ? input : html, &input_len,
                                                 KQ_HTML_MAX_ATTRIBUTES);

      if (bounded != NULL)
        {
          g_free (input);
          input = bounded;
        }
    }

    _kq_xml_quiet_begin (&quiet);
    doc = htmlReadMemory (input != NULL ? input : html, (int) input_len, NULL, "UTF-8",
                          HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                          HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT |
                          /* Lifts libxml2's depth limit of 256, beyond which it
                           * stops parsing and loses the rest of the article;
                           * our own walker flattens deep content instead. The
                           * other limits HUGE lifts are covered by our input cap. */
                          XML_PARSE_HUGE);
    _kq_xml_quiet_end (&quiet);
  }
  if (doc == NULL)
    return _kq_html_document_new (g_steal_pointer (&blocks), 0, b.truncated);

  root = xmlDocGetRootElement (doc);
  _kq_html_container_init (&top, blocks);
  if (root != NULL)
    _kq_html_walk_node (&b, &top, root, &in, 0);
  _kq_html_flush (&b, &top);
  _kq_html_container_clear (&top);

  xmlFreeDoc (doc);

  return _kq_html_document_new (g_steal_pointer (&blocks), b.n_blocks, b.truncated);
}

typedef struct {
  char          *html;
  gsize          len;
  char          *base_url;
  char          *youtube_posters;  /* what opts.youtube_posters points at */
  KqHtmlOptions  opts;
  gboolean       has_opts;
} ParseData;

static void
parse_data_free (ParseData *data)
{
  g_free (data->html);
  g_free (data->base_url);
  g_free (data->youtube_posters);
  g_free (data);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *data = task_data;
  KqHtmlDocument *doc;

  if (g_task_return_error_if_cancelled (task))
    return;

  doc = kq_html_parse (data->html, data->len, data->base_url,
                       data->has_opts ? &data->opts : NULL);

  if (g_task_return_error_if_cancelled (task))
    {
      kq_html_document_unref (doc);
      return;
    }

  g_task_return_pointer (task, doc, (GDestroyNotify) kq_html_document_unref);
}

void
kq_html_parse_async (const char          *html,
                     gssize               len,
                     const char          *base_url,
                     const KqHtmlOptions *opts,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ParseData *data;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ParseData, 1);
  if (html != NULL)
    {
      data->len = len < 0 ? strlen (html) : (gsize) len;
      data->html = g_malloc (data->len + 1);
      memcpy (data->html, html, data->len);
      data->html[data->len] = '\0';
    }
  data->base_url = g_strdup (base_url);
  if (opts != NULL)
    {
      data->opts = *opts;
      data->youtube_posters = g_strdup (opts->youtube_posters);
      data->opts.youtube_posters = data->youtube_posters;
      data->has_opts = TRUE;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_html_parse_async);
  g_task_set_name (task, "kq_html_parse_async");
  g_task_set_task_data (task, data, (GDestroyNotify) parse_data_free);
  g_task_run_in_thread (task, parse_thread);
}

/**
 * kq_html_parse_finish:
 *
 * Returns: (transfer full): the document, or NULL with @error set when the
 * operation was cancelled
 */
KqHtmlDocument *
kq_html_parse_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kq_html_parse_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
