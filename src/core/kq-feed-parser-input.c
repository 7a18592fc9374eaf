/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feed parser: libxml2 callbacks, recovery of broken documents, encoding, sniffing. */
#define G_LOG_DOMAIN "kq-feed-parser"

#include "config.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <string.h>

#include "kq-feed-parser-private.h"

/* ---------- libxml2 glue ---------- */

void
_kq_fp_on_xml_error (void        *user_data,
                     xmlErrorPtr  xml_error)
{
  xmlParserCtxt *ctxt = user_data;
  ParseErrors *errors = ctxt ? ctxt->_private : NULL;

  if (errors == NULL || xml_error == NULL || xml_error->level < XML_ERR_ERROR)
    return;
  if (errors->count++ == 0)
    {
      errors->line = xml_error->line;
      errors->column = xml_error->int2;
      /* Its first line only: libxml2 may add a second one quoting the
       * document, cut at a byte count and so maybe in the middle of a
       * character (found by fuzz-feed). */
      const char *message = xml_error->message ? xml_error->message : "";
      g_autofree char *first_line = g_strndup (message, strcspn (message, "\n"));

      errors->message = g_strstrip (g_utf8_make_valid (first_line, -1));
    }
}

/* In recovery, libxml2 copies bytes that are not valid in the document's
 * encoding into the tree as they are: make every text and attribute value
 * valid UTF-8 before anything reads them (GRegex's JIT crashes on invalid
 * UTF-8; GTK and SQLite expect it valid). libxml2 limits the depth. */
void
_kq_fp_repair_utf8 (xmlNode *node)
{
  for (; node != NULL; node = node->next)
    {
      switch (node->type)
        {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
          if (node->content != NULL && !g_utf8_validate ((const char *) node->content, -1, NULL))
            {
              g_autofree char *valid = g_utf8_make_valid ((const char *) node->content, -1);

              xmlNodeSetContent (node, (const xmlChar *) valid);
            }
          break;

        case XML_ELEMENT_NODE:
          for (xmlAttr *a = node->properties; a != NULL; a = a->next)
            _kq_fp_repair_utf8 (a->children);
          _kq_fp_repair_utf8 (node->children);
          break;

        case XML_DTD_NODE:
        case XML_ENTITY_DECL:
          _kq_fp_repair_utf8 (node->children);
          break;

        default:
          break;
        }
    }
}

/* Undeclared HTML entities (&eacute; &nbsp;…) are common in hand-made
 * feeds: resolve them like a browser would, as internal entities. */
xmlEntity *
_kq_fp_on_get_entity (void          *user_data,
                      const xmlChar *name)
{
  xmlParserCtxt *ctxt = user_data;
  xmlEntity *entity = xmlSAX2GetEntity (ctxt, name);
  const htmlEntityDesc *desc;
  char utf8[8] = { 0 };

  if (entity != NULL || ctxt->myDoc == NULL || ctxt->inSubset != 0)
    return entity;
  desc = htmlEntityLookup (name);
  if (desc == NULL)
    return NULL;
  if (ctxt->myDoc->intSubset == NULL &&
      xmlCreateIntSubset (ctxt->myDoc, NULL, NULL, NULL) == NULL)
    return NULL;
  g_unichar_to_utf8 (desc->value, utf8);
  return xmlAddDocEntity (ctxt->myDoc, name, XML_INTERNAL_GENERAL_ENTITY, NULL, NULL,
                          (const xmlChar *) utf8);
}


static gboolean
is_reference (const char *p,
              const char *end)
{
  const char *q = p + 1;

  if (q < end && *q == '#')
    {
      gboolean hex = FALSE;

      q++;
      if (q < end && (*q == 'x' || *q == 'X'))
        {
          hex = TRUE;
          q++;
        }
      if (q >= end || !(hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
        return FALSE;
      while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
        q++;
    }
  else
    {
      if (q >= end || !(g_ascii_isalpha (*q) || *q == '_' || *q == ':'))
        return FALSE;
      while (q < end && (g_ascii_isalnum (*q) || *q == '_' || *q == ':' || *q == '.' ||
                         *q == '-'))
        q++;
    }
  return q < end && *q == ';';
}

/* The end tag, before @end, of the element the CDATA section at @cdata
 * opens in ("<title><![CDATA[Titre</title>"), or NULL. */
static const char *
cdata_element_end (const char *data,
                   const char *cdata,
                   const char *end)
{
  const char *open = cdata;
  const char *name;
  gsize name_len = 0;
  g_autofree char *end_tag = NULL;

  while (open > data && *(open - 1) != '<')
    open--;
  if (open == data || *open == '/' || *open == '!' || *open == '?')
    return NULL;
  name = open;
  while (name + name_len < cdata && !g_ascii_isspace (name[name_len]) &&
         name[name_len] != '>' && name[name_len] != '/')
    name_len++;
  if (name_len == 0)
    return NULL;
  end_tag = g_strdup_printf ("</%.*s>", (int) name_len, name);
  return g_strstr_len (cdata, end - cdata, end_tag);
}

/* Escapes "&" that starts no reference and "<" that starts no markup,
 * outside CDATA sections and comments, and closes a CDATA section left
 * open. NULL when there is nothing to repair. */
GString *
_kq_fp_escape_stray_markup (const char *data,
                            gsize       len)
{
  const char *end = data + len;
  GString *out = NULL;
  const char *copied = data;

  for (const char *p = data; p < end; p++)
    {
      const char *replacement = NULL;

      if (*p == '<' && end - p >= 9 && strncmp (p, "<![CDATA[", 9) == 0)
        {
          const char *close = g_strstr_len (p, end - p, "]]>");
          /* Searched no further than the section's end: linear in all. */
          const char *element_end = cdata_element_end (data, p, close ? close : end);

          if (close == NULL || (element_end != NULL && element_end < close))
            {
              /* Unterminated (or closed by a later section's "]]>"): it
               * ends where its element does, else at the end. */
              if (element_end == NULL)
                element_end = end;
              if (out == NULL)
                out = g_string_sized_new (len + 64);
              g_string_append_len (out, copied, element_end - copied);
              g_string_append (out, "]]>");
              copied = element_end;
              p = element_end - 1;
              continue;
            }
          p = close + 2;
          continue;
        }
      if (*p == '<' && end - p < 9 && strncmp (p, "<![CDATA[", end - p) == 0)
        {
          /* A document cut in the middle of "<![CDATA[": nothing of it is text. */
          if (out == NULL)
            out = g_string_sized_new (len + 64);
          g_string_append_len (out, copied, p - copied);
          copied = end;
          break;
        }
      if (*p == '<' && end - p >= 4 && strncmp (p, "<!--", 4) == 0)
        {
          const char *close = g_strstr_len (p, end - p, "-->");
          if (close == NULL)
            break;
          p = close + 2;
          continue;
        }
      if (*p == '&' && !is_reference (p, end))
        replacement = "&amp;";
      else if (*p == '<' && (p + 1 >= end || g_ascii_isspace (p[1]) || g_ascii_isdigit (p[1]) ||
                             p[1] == '=' || p[1] == '<'))
        replacement = "&lt;";

      if (replacement != NULL)
        {
          if (out == NULL)
            out = g_string_sized_new (len + 64);
          g_string_append_len (out, copied, p - copied);
          g_string_append (out, replacement);
          copied = p + 1;
        }
    }

  if (out != NULL)
    g_string_append_len (out, copied, end - copied);
  return out;
}

/* A byte order mark, or encoding="…" in the XML declaration: its value
 * in *@label (NULL for a byte order mark). */
gboolean
_kq_fp_has_declared_encoding (const char  *data,
                              gsize        len,
                              char       **label)
{
  const char *end;
  const char *p;
  char quote;

  *label = NULL;
  if (len >= 2 && ((guchar) data[0] == 0xFE || (guchar) data[0] == 0xFF ||
                   (guchar) data[0] == 0xEF || data[0] == '\0' || data[1] == '\0'))
    return TRUE;
  while (len > 0 && g_ascii_isspace (*data))
    {
      data++;
      len--;
    }
  if (len < 5 || strncmp (data, "<?xml", 5) != 0)
    return FALSE;
  end = memchr (data, '>', MIN (len, 512));
  p = end != NULL ? g_strstr_len (data, end - data, "encoding") : NULL;
  if (p == NULL)
    return FALSE;

  p += strlen ("encoding");
  while (p < end && (g_ascii_isspace (*p) || *p == '='))
    p++;
  if (p < end && (*p == '"' || *p == '\''))
    {
      const char *close;

      quote = *p++;
      close = memchr (p, quote, end - p);
      if (close != NULL)
        *label = g_ascii_strdown (p, close - p);
    }
  return TRUE;
}

/* The WHATWG Encoding Standard's labels of windows-1252 (which browsers
 * use for all of them, ISO-8859-1 and ASCII included). */
gboolean
_kq_fp_is_windows_1252_label (const char *label)
{
  static const char * const labels[] = {
    "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
    "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
    "us-ascii", "windows-1252", "x-cp1252",
  };

  if (label == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    if (strcmp (label, labels[i]) == 0)
      return TRUE;
  return FALSE;
}

/* windows-1252 → UTF-8 as the WHATWG Encoding Standard decodes it: the five
 * bytes Microsoft leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become
 * the C1 code points of the same value instead of an error, so that one
 * stray byte never costs the whole feed (libxml2's iconv refuses them). */
GString *
_kq_fp_decode_windows_1252 (const char *data,
                            gsize       len)
{
  static const gunichar c1[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
  };
  GString *out = g_string_sized_new (len + len / 8 + 16);
  const guchar *p = (const guchar *) data;
  const guchar *end = p + len;

  while (p < end)
    {
      const guchar *run = p;
      char utf8[6];

      while (p < end && *p < 0x80)
        p++;
      g_string_append_len (out, (const char *) run, p - run);
      if (p >= end)
        break;
      g_string_append_len (out, utf8,
                           g_unichar_to_utf8 (*p < 0xA0 ? c1[*p - 0x80] : *p, utf8));
      p++;
    }
  return out;
}

gboolean
_kq_fp_looks_like_html (xmlNode *root)
{
  return root != NULL && root->name != NULL &&
         g_ascii_strcasecmp ((const char *) root->name, "html") == 0;
}

/* ---------- Sniffing ---------- */

/* Skips "<?…?>", "<!--…-->" and "<!DOCTYPE …>" (with an internal subset). */
static const char *
skip_prolog (const char *p,
             const char *end)
{
  while (p < end)
    {
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p + 1 >= end || *p != '<')
        return p;
      if (p[1] == '?')
        {
          const char *close = g_strstr_len (p, end - p, "?>");
          if (close == NULL)
            return end;
          p = close + 2;
        }
      else if (end - p >= 4 && strncmp (p, "<!--", 4) == 0)
        {
          const char *close = g_strstr_len (p + 4, end - p - 4, "-->");
          if (close == NULL)
            return end;
          p = close + 3;
        }
      else if (p[1] == '!')
        {
          int brackets = 0;

          for (p += 2; p < end; p++)
            {
              if (*p == '[')
                brackets++;
              else if (*p == ']')
                brackets--;
              else if (*p == '>' && brackets <= 0)
                break;
            }
          if (p < end)
            p++;
        }
      else
        return p;
    }
  return p;
}

gboolean
kq_feed_parser_looks_like_feed (GBytes *data)
{
  const char *bytes;
  const char *p;
  const char *end;
  const char *name;
  gsize len = 0;
  gsize n = 0;

  g_return_val_if_fail (data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &len);
  if (bytes == NULL)
    return FALSE;
  end = bytes + MIN (len, 256 * 1024);
  p = bytes;
  if (end - p >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  p = skip_prolog (p, end);
  if (p >= end || *p != '<')
    return FALSE;

  name = ++p;
  while (p < end && !g_ascii_isspace (*p) && *p != '>' && *p != '/')
    p++;
  n = p - name;
  /* Local name after any prefix ("rdf:RDF"). */
  for (gsize i = 0; i < n; i++)
    if (name[i] == ':')
      {
        name += i + 1;
        n -= i + 1;
        break;
      }

  return (n == 3 && strncmp (name, "rss", 3) == 0) ||
         (n == 4 && strncmp (name, "feed", 4) == 0) ||
         (n == 3 && strncmp (name, "RDF", 3) == 0);
}
