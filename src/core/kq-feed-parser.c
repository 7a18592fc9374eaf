/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-feed-parser"

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <string.h>

#include "kq-feed-parser.h"
#include "kq-feed-parser-private.h"
#include "kq-html-private.h"

#define MAX_INPUT_SIZE      (20 * 1024 * 1024)

G_DEFINE_QUARK (kq-feed-error-quark, kq_feed_error)

static FeedKind
root_kind (xmlNode *root)
{
  if (root == NULL)
    return KIND_NONE;
  if (_kq_fp_is_rss (root, "rss"))
    return KIND_RSS;
  if (_kq_fp_is_atom (root, "feed"))
    return KIND_ATOM;
  if (_kq_fp_is (root, NS_RDF, "RDF"))
    return KIND_RDF;
  return KIND_NONE;
}

/* Items after the end of the <rss> element ("</rss><item>…</item>"), that
 * libxml2 stops before ("Extra content at the end of the document"): read
 * as the items of a document of their own, under a copy of the root's start
 * tag (for its namespaces). */
static void
parse_trailing_items (Context     *ctx,
                      KqFeed      *feed,
                      const char  *bytes,
                      gsize        len,
                      const char  *base_url,
                      int          options)
{
  const char *end = bytes + len;
  const char *root = g_strstr_len (bytes, len, "<rss");
  const char *root_end = root != NULL ? memchr (root, '>', end - root) : NULL;
  const char *close = root_end != NULL ? g_strstr_len (root_end, end - root_end, "</rss>") : NULL;
  const char *tail = close != NULL ? close + strlen ("</rss>") : NULL;
  g_autoptr(GString) wrapped = NULL;
  xmlParserCtxt *ctxt;
  xmlDoc *doc;

  if (tail == NULL || g_strstr_len (tail, end - tail, "<item") == NULL ||
      memchr (bytes, '\0', len) != NULL)
    return;

  wrapped = g_string_sized_new ((root_end - root) + (end - tail) + 16);
  g_string_append_len (wrapped, root, root_end - root + 1);
  g_string_append_len (wrapped, tail, end - tail);
  g_string_append (wrapped, "</rss>");

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    return;
  ctxt->sax->getEntity = _kq_fp_on_get_entity;
  doc = xmlCtxtReadMemory (ctxt, wrapped->str, (int) wrapped->len, base_url, "UTF-8",
                           options | XML_PARSE_IGNORE_ENC);
  if (doc != NULL)
    {
      xmlNode *wrapped_root = xmlDocGetRootElement (doc);

      _kq_fp_repair_utf8 (doc->children);
      if (wrapped_root != NULL)
        _kq_fp_parse_rss (ctx, feed, wrapped_root);
      xmlFreeDoc (doc);
    }
  xmlFreeParserCtxt (ctxt);
}

KqFeed *
kq_feed_parser_parse (GBytes      *data,
                      const char  *source,
                      const char  *base_url,
                      GError     **error)
{
  g_autoptr(KqFeed) feed = NULL;
  ParseErrors errors = { 0 };
  Context ctx = { 0 };
  KqXmlQuiet quiet;
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  xmlNode *root;
  g_autoptr(GString) decoded = NULL;
  g_autofree char *bounded = NULL;
  g_autofree char *label = NULL;
  const char *bytes;
  gsize len = 0;
  int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_RECOVER |
                XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &len);
  if (len > MAX_INPUT_SIZE)
    {
      g_set_error_literal (error, KQ_FEED_ERROR, KQ_FEED_ERROR_INVALID,
                           _("The feed is too large (over 20 MB)."));
      return NULL;
    }
  if (bytes == NULL || _kq_fp_is_blank (bytes, len))
    {
      g_set_error_literal (error, KQ_FEED_ERROR, KQ_FEED_ERROR_INVALID,
                           _("The feed is empty."));
      return NULL;
    }

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error_literal (error, KQ_FEED_ERROR, KQ_FEED_ERROR_INVALID,
                           _("The feed could not be read."));
      return NULL;
    }
  /* Like browsers: undeclared and not UTF-8 means windows-1252, and so do
   * the labels browsers read as windows-1252 (ISO-8859-1, ASCII); decoded
   * here as browsers do, where libxml2 would refuse five of its bytes. */
  if (_kq_fp_has_declared_encoding (bytes, len, &label)
      ? _kq_fp_is_windows_1252_label (label)
      : !g_utf8_validate (bytes, len, NULL))
    {
      decoded = _kq_fp_decode_windows_1252 (bytes, len);
      bytes = decoded->str;
      len = decoded->len;
      options |= XML_PARSE_IGNORE_ENC;
    }

  /* libxml2 checks each attribute of an element against all the ones
   * before it: an element of 200,000 attributes would pin a core. */
  bounded = _kq_html_bound_attributes (bytes, &len, KQ_HTML_MAX_ATTRIBUTES);
  if (bounded != NULL)
    bytes = bounded;

  ctxt->sax->serror = _kq_fp_on_xml_error;
  ctxt->sax->getEntity = _kq_fp_on_get_entity;
  ctxt->_private = &errors;
  /* Invalid bytes for the encoding are also reported through the global
   * handlers, that print them: keep them out of stderr. */
  _kq_xml_quiet_begin (&quiet);
  doc = xmlCtxtReadMemory (ctxt, bytes, (int) len, base_url, NULL, options);

  /* Hand-written feeds: a stray "&" or "<" in text is what browsers keep as
   * text. Retry with them escaped, keep the first errors for the message. */
  if (errors.count > 0 && memchr (bytes, '\0', len) == NULL)
    {
      g_autoptr(GString) fixed = _kq_fp_escape_stray_markup (bytes, len);

      if (fixed != NULL)
        {
          ParseErrors retry = { 0 };
          xmlDoc *retry_doc;

          ctxt->_private = &retry;
          retry_doc = xmlCtxtReadMemory (ctxt, fixed->str, (int) fixed->len, base_url, NULL,
                                         options);
          if (retry_doc != NULL && retry.count < errors.count)
            {
              if (doc)
                xmlFreeDoc (doc);
              doc = retry_doc;
            }
          else if (retry_doc != NULL)
            xmlFreeDoc (retry_doc);
          g_free (retry.message);
        }
    }
  _kq_xml_quiet_end (&quiet);
  if (doc != NULL && errors.count > 0)
    _kq_fp_repair_utf8 (doc->children);
  root = doc ? xmlDocGetRootElement (doc) : NULL;

  ctx.source = source;
  ctx.kind = root_kind (root);
  feed = kq_feed_new ();

  switch (ctx.kind)
    {
    case KIND_RSS:
      kq_feed_set_kind (feed, "rss");
      _kq_fp_parse_rss (&ctx, feed, root);
      if (errors.count > 0)
        parse_trailing_items (&ctx, feed, bytes, len, base_url, options);
      break;
    case KIND_ATOM:
      kq_feed_set_kind (feed, "atom");
      _kq_fp_parse_atom (&ctx, feed, root);
      break;
    case KIND_RDF:
      kq_feed_set_kind (feed, "rdf");
      _kq_fp_parse_rdf (&ctx, feed, root);
      break;
    case KIND_NONE:
    default:
      break;
    }

  /* A broken document counts as a feed only if something usable came out. */
  if (ctx.kind != KIND_NONE && errors.count > 0 && kq_feed_get_items (feed)->len == 0 &&
      kq_feed_get_title (feed) == NULL)
    ctx.kind = KIND_NONE;

  if (ctx.kind == KIND_NONE)
    {
      if (_kq_fp_looks_like_html (root))
        g_set_error_literal (error, KQ_FEED_ERROR, KQ_FEED_ERROR_NOT_A_FEED,
                             _("This address leads to a web page, not to a feed."));
      else if (errors.count > 0)
        /* Translators: the last %s is the XML parser's own (English) explanation */
        g_set_error (error, KQ_FEED_ERROR, KQ_FEED_ERROR_INVALID,
                     _("The feed is not valid XML (line %d, column %d): %s"),
                     errors.line, errors.column, errors.message);
      else
        g_set_error_literal (error, KQ_FEED_ERROR, KQ_FEED_ERROR_NOT_A_FEED,
                             _("This document is not an RSS or Atom feed."));
      g_clear_object (&feed);
    }
  else if (errors.count > 0)
    g_debug ("Recovered a broken feed (line %d, column %d): %s",
             errors.line, errors.column, errors.message);

  g_free (errors.message);
  g_free (ctx.fallback_base);
  if (doc)
    xmlFreeDoc (doc);
  xmlFreeParserCtxt (ctxt);

  return g_steal_pointer (&feed);
}

/* ---------- Async ---------- */

typedef struct
{
  GBytes *data;
  char   *source;
  char   *base_url;
} ParseData;

static void
parse_data_free (gpointer data)
{
  ParseData *parse_data = data;

  g_bytes_unref (parse_data->data);
  g_free (parse_data->source);
  g_free (parse_data->base_url);
  g_free (parse_data);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *data = task_data;
  GError *error = NULL;
  KqFeed *feed;

  if (g_task_return_error_if_cancelled (task))
    return;

  feed = kq_feed_parser_parse (data->data, data->source, data->base_url, &error);
  if (feed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, feed, g_object_unref);
}

void
kq_feed_parser_parse_async (GBytes              *data,
                            const char          *source,
                            const char          *base_url,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ParseData *parse_data;

  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  parse_data = g_new0 (ParseData, 1);
  parse_data->data = g_bytes_ref (data);
  parse_data->source = g_strdup (source);
  parse_data->base_url = g_strdup (base_url);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_feed_parser_parse_async);
  g_task_set_task_data (task, parse_data, parse_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, parse_thread);
}

KqFeed *
kq_feed_parser_parse_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        kq_feed_parser_parse_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
