/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feed parser: XML node helpers (names, attributes, text, URLs, dates). */
#define G_LOG_DOMAIN "kq-feed-parser"

#include "config.h"

#include <libxml/tree.h>
#include <string.h>

#include "kq-feed-date-private.h"
#include "kq-feed-parser-private.h"
#include "kq-text-private.h"
#include "kq-url-private.h"

#define MAX_TEXT_SIZE       (4 * 1024 * 1024)
#define MAX_TEXT_DEPTH      64

/* ---------- Node helpers ---------- */

gboolean
_kq_fp_is (xmlNode    *node,
           const char *ns,
           const char *name)
{
  const char *href;

  if (node->type != XML_ELEMENT_NODE || strcmp ((const char *) node->name, name) != 0)
    return FALSE;
  href = node->ns ? (const char *) node->ns->href : NULL;
  if (ns == NULL)
    return href == NULL;
  return href != NULL && strcmp (href, ns) == 0;
}

/* RSS core elements: no namespace (RSS 2.0), the RSS 1.0 / 0.90 one, or
 * one of those RSS 2.0 was once given. */
gboolean
_kq_fp_is_rss (xmlNode    *node,
               const char *name)
{
  const char *href;

  if (node->type != XML_ELEMENT_NODE || strcmp ((const char *) node->name, name) != 0)
    return FALSE;
  href = node->ns ? (const char *) node->ns->href : NULL;
  return href == NULL || strcmp (href, NS_RSS1) == 0 || strcmp (href, NS_RSS090) == 0 ||
         strcmp (href, NS_RSS_USERLAND) == 0 || strcmp (href, NS_RSS_HARVARD) == 0;
}

gboolean
_kq_fp_is_atom (xmlNode    *node,
                const char *name)
{
  return _kq_fp_is (node, NS_ATOM, name) || _kq_fp_is (node, NS_ATOM03, name);
}

const char *
_kq_fp_attr (xmlNode    *node,
             const char *name)
{
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    if (a->ns == NULL && strcmp ((const char *) a->name, name) == 0 &&
        a->children != NULL && a->children->type == XML_TEXT_NODE && a->children->next == NULL)
      return (const char *) a->children->content;
  return NULL;
}

/* Attribute value including entity references (rare but legal). */
char *
_kq_fp_attr_dup (xmlNode    *node,
                 const char *name,
                 const char *ns)
{
  xmlChar *value;
  char *result;
  const char *simple;

  if (ns == NULL && (simple = _kq_fp_attr (node, name)) != NULL)
    return g_strdup (simple);
  value = ns ? xmlGetNsProp (node, (const xmlChar *) name, (const xmlChar *) ns)
             : xmlGetNoNsProp (node, (const xmlChar *) name);
  if (value == NULL)
    return NULL;
  result = g_strdup ((const char *) value);
  xmlFree (value);
  return result;
}

/* Text of @node: text and CDATA, entity references expanded one level only
 * (never recursively: that is how entity bombs explode), size-capped. */
static void
append_text (GString *out,
             xmlNode *node,
             guint    depth)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (out->len >= MAX_TEXT_SIZE)
        return;

      switch (child->type)
        {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (child->content)
            g_string_append_len (out, (const char *) child->content,
                                 MIN (strlen ((const char *) child->content),
                                      MAX_TEXT_SIZE - out->len));
          break;

        case XML_ENTITY_REF_NODE:
          if (depth == 0)
            {
              xmlEntity *entity = (xmlEntity *) child->children;

              if (entity && entity->type == XML_ENTITY_DECL)
                for (xmlNode *c = entity->children; c != NULL; c = c->next)
                  if (c->type == XML_TEXT_NODE && c->content)
                    g_string_append_len (out, (const char *) c->content,
                                         MIN (strlen ((const char *) c->content),
                                              MAX_TEXT_SIZE - out->len));
            }
          break;

        case XML_ELEMENT_NODE:
          if (depth < MAX_TEXT_DEPTH)
            append_text (out, child, depth + 1);
          break;

        default:
          break;
        }
    }
}

char *
_kq_fp_text_of (xmlNode *node)
{
  xmlNode *only = node->children;
  GString *out;

  /* The usual case, one text or CDATA child: no buffer to grow. */
  if (only != NULL && only->next == NULL && only->content != NULL &&
      (only->type == XML_TEXT_NODE || only->type == XML_CDATA_SECTION_NODE))
    return g_strndup ((const char *) only->content,
                      strnlen ((const char *) only->content, MAX_TEXT_SIZE));

  out = g_string_new (NULL);

  append_text (out, node, 0);
  return g_string_free (out, FALSE);
}

/* Trimmed text, NULL when empty. */
char *
_kq_fp_trimmed_text_of (xmlNode *node)
{
  char *text = g_strstrip (_kq_fp_text_of (node));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}


/* HTML-ish text (RSS titles, categories) → plain text. */
char *
_kq_fp_plain_text_of (xmlNode *node)
{
  g_autofree char *text = _kq_fp_text_of (node);
  char *plain = _kq_text_from_html (text);

  if (plain && *plain == '\0')
    g_clear_pointer (&plain, g_free);
  return plain;
}

gint64
_kq_fp_count_of (xmlNode *node)
{
  g_autofree char *text = _kq_fp_trimmed_text_of (node);
  guint64 value;

  if (text && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    return value;
  return -1;
}

/* ---------- URLs ---------- */

static gboolean
is_web_url (const char *url)
{
  return g_ascii_strncasecmp (url, "http://", 7) == 0 ||
         g_ascii_strncasecmp (url, "https://", 8) == 0;
}

/* Resolves @ref against the node's xml:base chain (which ends with the
 * document URL, the caller's base_url) or the feed's own link. Only http(s)
 * URLs are kept. */
char *
_kq_fp_resolve_url (Context    *ctx,
                    xmlNode    *node,
                    const char *ref)
{
  g_autofree char *stripped = NULL;
  xmlChar *base;
  char *resolved = NULL;

  if (ref == NULL)
    return NULL;
  stripped = g_strstrip (g_strdup (ref));
  if (*stripped == '\0' || !g_utf8_validate (stripped, -1, NULL))
    return NULL;
  if (is_web_url (stripped))
    {
      gsize scheme = g_ascii_strncasecmp (stripped, "https://", 8) == 0 ? 8 : 7;

      /* Most links are already absolute and clean: keep them as written. */
      if (stripped[scheme] != '/' && stripped[scheme] != '\0' &&
          strpbrk (stripped, " \t\r\n\\") == NULL)
        return g_steal_pointer (&stripped);
      return _kq_url_resolve (NULL, stripped, G_URI_FLAGS_PARSE_RELAXED);
    }

  base = xmlNodeGetBase (node->doc, node);
  if (base != NULL && is_web_url ((const char *) base))
    resolved = _kq_url_resolve ((const char *) base, stripped, G_URI_FLAGS_PARSE_RELAXED);
  else if (ctx->fallback_base != NULL)
    resolved = _kq_url_resolve (ctx->fallback_base, stripped, G_URI_FLAGS_PARSE_RELAXED);
  else if (ctx->source != NULL && is_web_url (ctx->source))
    resolved = _kq_url_resolve (ctx->source, stripped, G_URI_FLAGS_PARSE_RELAXED);
  xmlFree (base);

  if (resolved != NULL && !is_web_url (resolved))
    g_clear_pointer (&resolved, g_free);
  return resolved;
}

/* Either format, whatever the element claims to hold. */
GDateTime *
_kq_fp_parse_date (xmlNode *node)
{
  g_autofree char *text = _kq_fp_trimmed_text_of (node);

  if (text == NULL)
    return NULL;
  return _kq_feed_date_parse (text);
}



gboolean
_kq_fp_is_blank (const char *data,
                 gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}
