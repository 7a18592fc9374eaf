/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feed parser: Atom 1.0. */
#define G_LOG_DOMAIN "kq-feed-parser"

#include "config.h"

#include <libxml/tree.h>
#include <string.h>

#include "kq-feed-parser-private.h"
#include "kq-feed.h"
#include "kq-text-private.h"

#define MAX_TEXT_SIZE       (4 * 1024 * 1024)

/* ---------- Text constructs ---------- */

/* Inner markup of an Atom xhtml container (the children of its <div>). */
static char *
inner_xhtml (xmlNode *node)
{
  xmlNode *div = NULL;
  xmlBuffer *buffer;
  char *result;

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      {
        div = strcmp ((const char *) child->name, "div") == 0 ? child : node;
        break;
      }
  if (div == NULL)
    div = node;

  buffer = xmlBufferCreate ();
  for (xmlNode *child = div->children; child != NULL; child = child->next)
    {
      xmlNodeDump (buffer, child->doc, child, 0, 0);
      if (xmlBufferLength (buffer) > MAX_TEXT_SIZE)
        break;
    }
  /* Element and attribute names too may hold bytes kept by recovery. */
  result = g_strstrip (g_utf8_make_valid ((const char *) xmlBufferContent (buffer), -1));
  xmlBufferFree (buffer);
  return result;
}

typedef enum {
  CONTENT_TEXT,
  CONTENT_HTML,
  CONTENT_XHTML,
} ContentType;

static ContentType
atom_content_type (xmlNode *node)
{
  const char *type = _kq_fp_attr (node, "type");

  if (type == NULL || strcmp (type, "text") == 0 || strcmp (type, "text/plain") == 0)
    return CONTENT_TEXT;
  if (strcmp (type, "xhtml") == 0 || strcmp (type, "application/xhtml+xml") == 0)
    return CONTENT_XHTML;
  return CONTENT_HTML;
}

/* Atom text construct → HTML. */
static char *
atom_html (xmlNode *node)
{
  g_autofree char *text = NULL;

  switch (atom_content_type (node))
    {
    case CONTENT_XHTML:
      return inner_xhtml (node);
    case CONTENT_HTML:
      return _kq_fp_text_of (node);
    case CONTENT_TEXT:
    default:
      text = g_strstrip (_kq_fp_text_of (node));
      if (*text == '\0')
        return g_strdup ("");
      {
        g_autofree char *escaped = g_markup_escape_text (text, -1);
        return g_strdup_printf ("<p>%s</p>", escaped);
      }
    }
}

/* Atom text construct → plain text. */
static char *
atom_plain (xmlNode *node)
{
  g_autofree char *html = NULL;

  if (atom_content_type (node) == CONTENT_TEXT)
    {
      /* Plain text: only collapse whitespace. */
      g_autofree char *text = _kq_fp_text_of (node);
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (text), " \t\r\n", -1);
      GString *out = g_string_new (NULL);

      for (guint i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          {
            if (out->len > 0)
              g_string_append_c (out, ' ');
            g_string_append (out, words[i]);
          }
      return g_string_free (out, FALSE);
    }
  html = atom_html (node);
  return _kq_text_from_html (html);
}
/* ---------- Entries ---------- */

/* Atom link with rel="alternate" (or no rel), preferring text/html. */
static void
read_atom_links (Context  *ctx,
                 xmlNode  *node,
                 char    **alternate,
                 Item     *item)
{
  g_autofree char *fallback = NULL;

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      const char *rel;
      const char *type;

      if (!_kq_fp_is_atom (child, "link"))
        continue;
      rel = _kq_fp_attr (child, "rel");
      type = _kq_fp_attr (child, "type");

      if (rel == NULL || strcmp (rel, "alternate") == 0)
        {
          char *url = _kq_fp_resolve_url (ctx, child, _kq_fp_attr (child, "href"));

          if (url == NULL)
            continue;
          if (*alternate == NULL && (type == NULL || strstr (type, "html") != NULL))
            *alternate = url;
          else if (fallback == NULL)
            fallback = url;
          else
            g_free (url);
        }
      else if (item != NULL && strcmp (rel, "enclosure") == 0)
        {
          if (_kq_fp_looks_like_image (type, NULL, _kq_fp_attr (child, "href")))
            _kq_fp_offer_image (ctx, &item->enclosure, child, "href");
        }
      else if (item != NULL && strcmp (rel, "replies") == 0)
        {
          g_autofree char *count = _kq_fp_attr_dup (child, "count", NS_THR);
          guint64 value;

          item->has_comments_link = TRUE;
          if (count && g_ascii_string_to_unsigned (count, 10, 0, G_MAXUINT, &value, NULL) &&
              item->comments < 0)
            item->comments = value;
        }
    }

  if (*alternate == NULL)
    *alternate = g_steal_pointer (&fallback);
}

static char *
atom_person (xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (_kq_fp_is_atom (child, "name"))
      return _kq_fp_plain_text_of (child);
  return NULL;
}

static void
read_atom_entry (Context    *ctx,
                 Item       *item,
                 xmlNode    *node,
                 const char *feed_author)
{
  GDateTime *published = NULL;
  GDateTime *updated = NULL;

  read_atom_links (ctx, node, &item->link, item);

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;

      if (_kq_fp_is_atom (child, "title"))
        _kq_fp_replace (&item->title, atom_plain (child));
      else if (_kq_fp_is_atom (child, "id"))
        _kq_fp_replace (&item->guid, _kq_fp_trimmed_text_of (child));
      else if (_kq_fp_is_atom (child, "summary"))
        {
          item->plain_description = atom_content_type (child) == CONTENT_TEXT;
          _kq_fp_replace (&item->description, atom_html (child));
        }
      else if (_kq_fp_is_atom (child, "content"))
        {
          if (_kq_fp_attr (child, "src") == NULL)
            _kq_fp_replace (&item->content, atom_html (child));
        }
      /* Atom 0.3 said "issued" (and "created") for "published". */
      else if (_kq_fp_is_atom (child, "published") || _kq_fp_is (child, NS_DC, "date") ||
               _kq_fp_is (child, NS_ATOM03, "issued") || _kq_fp_is (child, NS_ATOM03, "created"))
        {
          g_clear_pointer (&published, g_date_time_unref);
          published = _kq_fp_parse_date (child);
        }
      else if (_kq_fp_is_atom (child, "updated") || _kq_fp_is (child, NS_ATOM03, "modified"))
        {
          g_clear_pointer (&updated, g_date_time_unref);
          updated = _kq_fp_parse_date (child);
        }
      else if (_kq_fp_is_atom (child, "author"))
        _kq_fp_set_if_unset (&item->author, atom_person (child));
      else if (_kq_fp_is (child, NS_DC, "creator"))
        _kq_fp_set_if_unset (&item->author, _kq_fp_plain_text_of (child));
      else if (_kq_fp_is_atom (child, "category"))
        {
          const char *label = _kq_fp_attr (child, "label");
          _kq_fp_add_category (item, label && *label ? label : _kq_fp_attr (child, "term"));
        }
      else if (_kq_fp_is (child, NS_THR, "total") || _kq_fp_is (child, NS_SLASH, "comments"))
        item->comments = _kq_fp_count_of (child);
      else if (child->ns && child->ns->href &&
               strcmp ((const char *) child->ns->href, NS_MEDIA) == 0)
        _kq_fp_read_media (ctx, item, child);
    }

  item->date = published ? published : updated ? g_date_time_ref (updated) : NULL;
  item->modified = updated;
  if (item->author == NULL && feed_author != NULL)
    item->author = g_strdup (feed_author);
}

void
_kq_fp_parse_atom (Context *ctx,
                   KqFeed  *feed,
                   xmlNode *root)
{
  g_autofree char *link = NULL;
  g_autofree char *feed_author = NULL;

  read_atom_links (ctx, root, &link, NULL);
  kq_feed_set_link (feed, link);
  if (link != NULL)
    ctx->fallback_base = g_strdup (link);

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      if (_kq_fp_is_atom (child, "title") && kq_feed_get_title (feed) == NULL)
        {
          g_autofree char *title = atom_plain (child);
          kq_feed_set_title (feed, title && *title ? title : NULL);
        }
      /* Atom 0.3 said "tagline". */
      else if ((_kq_fp_is_atom (child, "subtitle") || _kq_fp_is (child, NS_ATOM03, "tagline")) &&
               kq_feed_get_description (feed) == NULL)
        {
          g_autofree char *subtitle = atom_plain (child);
          kq_feed_set_description (feed, subtitle && *subtitle ? subtitle : NULL);
        }
      else if (_kq_fp_is_atom (child, "author") && feed_author == NULL)
        feed_author = atom_person (child);
    }

  for (xmlNode *child = root->children; child != NULL && !_kq_fp_is_full (feed);
       child = child->next)
    if (_kq_fp_is_atom (child, "entry"))
      {
        Item item = { .comments = -1 };

        read_atom_entry (ctx, &item, child, feed_author);
        _kq_fp_add_item (ctx, feed, &item, child);
      }
}
