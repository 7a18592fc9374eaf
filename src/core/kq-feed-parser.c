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

#include "kq-feed-date-private.h"
#include "kq-feed-parser.h"
#include "kq-html-private.h"
#include "kq-text-private.h"
#include "kq-url-private.h"

#define MAX_INPUT_SIZE      (20 * 1024 * 1024)
#define MAX_TEXT_SIZE       (4 * 1024 * 1024)
#define MAX_TEXT_DEPTH      64
#define EXCERPT_WORDS       55

#define NS_ATOM     "http://www.w3.org/2005/Atom"
#define NS_RDF      "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS1     "http://purl.org/rss/1.0/"
#define NS_RSS090   "http://my.netscape.com/rdf/simple/0.9/"
#define NS_CONTENT  "http://purl.org/rss/1.0/modules/content/"
#define NS_DC       "http://purl.org/dc/elements/1.1/"
#define NS_SLASH    "http://purl.org/rss/1.0/modules/slash/"
#define NS_WFW      "http://wellformedweb.org/CommentAPI/"
#define NS_MEDIA    "http://search.yahoo.com/mrss/"
#define NS_THR      "http://purl.org/syndication/thread/1.0"

G_DEFINE_QUARK (kq-feed-error-quark, kq_feed_error)

typedef enum {
  KIND_NONE,
  KIND_RSS,
  KIND_ATOM,
  KIND_RDF,
} FeedKind;

typedef struct
{
  int   line;
  int   column;
  char *message;
  guint count;
} ParseErrors;

typedef struct
{
  char  *url;
  guint  width;
  guint  height;
} Image;

typedef struct
{
  const char *source;
  char       *fallback_base;  /* the feed's own link, for relative URLs */
  FeedKind    kind;
} Context;

/* ---------- Node helpers ---------- */

static gboolean
is (xmlNode    *node,
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

/* RSS core elements: no namespace (RSS 2.0) or the RSS 1.0 / 0.90 one. */
static gboolean
is_rss (xmlNode    *node,
        const char *name)
{
  return is (node, NULL, name) || is (node, NS_RSS1, name) || is (node, NS_RSS090, name);
}

static gboolean
is_atom (xmlNode    *node,
         const char *name)
{
  return is (node, NS_ATOM, name);
}

static const char *
attr (xmlNode    *node,
      const char *name)
{
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    if (a->ns == NULL && strcmp ((const char *) a->name, name) == 0 &&
        a->children != NULL && a->children->type == XML_TEXT_NODE && a->children->next == NULL)
      return (const char *) a->children->content;
  return NULL;
}

/* Attribute value including entity references (rare but legal). */
static char *
attr_dup (xmlNode    *node,
          const char *name,
          const char *ns)
{
  xmlChar *value;
  char *result;
  const char *simple;

  if (ns == NULL && (simple = attr (node, name)) != NULL)
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

static char *
text_of (xmlNode *node)
{
  GString *out = g_string_new (NULL);

  append_text (out, node, 0);
  return g_string_free (out, FALSE);
}

/* Trimmed text, NULL when empty. */
static char *
trimmed_text_of (xmlNode *node)
{
  char *text = g_strstrip (text_of (node));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

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
  const char *type = attr (node, "type");

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
      return text_of (node);
    case CONTENT_TEXT:
    default:
      text = g_strstrip (text_of (node));
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
      g_autofree char *text = text_of (node);
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
static char *
resolve_url (Context    *ctx,
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
static GDateTime *
parse_date (xmlNode *node)
{
  g_autofree char *text = trimmed_text_of (node);

  if (text == NULL)
    return NULL;
  return _kq_feed_date_parse (text);
}

static gboolean
is_blank (const char *data,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

/* ---------- Items ---------- */

typedef struct
{
  char      *title;
  char      *link;
  char      *guid;
  char      *description;   /* HTML */
  char      *content;       /* HTML */
  char      *author;
  GDateTime *date;
  GDateTime *modified;
  GPtrArray *categories;
  Image      thumbnail;
  Image      image;
  Image      enclosure;
  Image      media;
  gint64     comments;      /* -1 unknown */
  gboolean   has_comments_link;
  gboolean   plain_description; /* Atom summary type="text" */
} Item;

static void
item_clear (Item *item)
{
  g_free (item->title);
  g_free (item->link);
  g_free (item->guid);
  g_free (item->description);
  g_free (item->content);
  g_free (item->author);
  g_clear_pointer (&item->date, g_date_time_unref);
  g_clear_pointer (&item->modified, g_date_time_unref);
  g_clear_pointer (&item->categories, g_ptr_array_unref);
  g_free (item->thumbnail.url);
  g_free (item->image.url);
  g_free (item->enclosure.url);
  g_free (item->media.url);
}

static void
replace (char **field,
         char  *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = value;
}

static void
set_if_unset (char **field,
              char  *value)
{
  if (*field == NULL)
    *field = value;
  else
    g_free (value);
}

static guint
attr_uint (xmlNode    *node,
           const char *name)
{
  const char *value = attr (node, name);
  guint64 n;

  if (value && g_ascii_string_to_unsigned (value, 10, 1, 100000, &n, NULL))
    return n;
  return 0;
}

static gboolean
looks_like_image (const char *type,
                  const char *medium,
                  const char *url)
{
  g_autofree char *lower = NULL;
  char *query;

  if (medium)
    return strcmp (medium, "image") == 0;
  if (type)
    return g_str_has_prefix (type, "image/");
  if (url == NULL)
    return FALSE;
  lower = g_ascii_strdown (url, -1);
  if ((query = strchr (lower, '?')) != NULL)
    *query = '\0';
  return g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg") ||
         g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".webp") ||
         g_str_has_suffix (lower, ".gif") || g_str_has_suffix (lower, ".avif");
}

/* Keeps the widest image seen in @slot. */
static void
offer_image (Context    *ctx,
             Image      *slot,
             xmlNode    *node,
             const char *url_attr)
{
  g_autofree char *url = resolve_url (ctx, node, attr (node, url_attr));
  guint width = attr_uint (node, "width");

  if (url == NULL)
    return;
  if (slot->url != NULL && width <= slot->width)
    return;
  g_free (slot->url);
  slot->url = g_steal_pointer (&url);
  slot->width = width;
  slot->height = attr_uint (node, "height");
}

static void
add_category (Item       *item,
              const char *raw)
{
  char *name;

  if (raw == NULL)
    return;
  name = _kq_text_from_html (raw);
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      return;
    }
  if (item->categories == NULL)
    item->categories = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < item->categories->len; i++)
    if (strcmp (g_ptr_array_index (item->categories, i), name) == 0)
      {
        g_free (name);
        return;
      }
  g_ptr_array_add (item->categories, name);
}

static void
read_media (Context *ctx,
            Item    *item,
            xmlNode *node)
{
  if (is (node, NS_MEDIA, "thumbnail"))
    offer_image (ctx, &item->thumbnail, node, "url");
  else if (is (node, NS_MEDIA, "content"))
    {
      if (looks_like_image (attr (node, "type"), attr (node, "medium"), attr (node, "url")))
        offer_image (ctx, &item->media, node, "url");
      for (xmlNode *child = node->children; child; child = child->next)
        if (is (child, NS_MEDIA, "thumbnail"))
          offer_image (ctx, &item->thumbnail, child, "url");
    }
  else if (is (node, NS_MEDIA, "group"))
    {
      for (xmlNode *child = node->children; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE)
          read_media (ctx, item, child);
    }
}

/* "jean@example.com (Jean Dupont)" → "Jean Dupont". */
static char *
rss_author (xmlNode *node)
{
  g_autofree char *text = trimmed_text_of (node);
  char *open;
  char *close;

  if (text == NULL)
    return NULL;
  open = strchr (text, '(');
  close = open ? strrchr (open, ')') : NULL;
  if (open && close && close > open + 1 && strchr (text, '@') != NULL)
    {
      *close = '\0';
      return _kq_text_from_html (open + 1);
    }
  return _kq_text_from_html (text);
}

/* HTML-ish text (RSS titles, categories) → plain text. */
static char *
plain_text_of (xmlNode *node)
{
  g_autofree char *text = text_of (node);
  char *plain = _kq_text_from_html (text);

  if (plain && *plain == '\0')
    g_clear_pointer (&plain, g_free);
  return plain;
}

static gint64
count_of (xmlNode *node)
{
  g_autofree char *text = trimmed_text_of (node);
  guint64 value;

  if (text && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    return value;
  return -1;
}

/* Elements RSS 2.0 and RSS 1.0 items share (and extensions). */
static void
read_rss_item (Context *ctx,
               Item    *item,
               xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;

      if (is_rss (child, "title"))
        replace (&item->title, plain_text_of (child));
      else if (is_rss (child, "link"))
        {
          g_autofree char *text = trimmed_text_of (child);
          replace (&item->link, resolve_url (ctx, child, text));
        }
      else if (is_rss (child, "description"))
        replace (&item->description, text_of (child));
      else if (is (child, NS_CONTENT, "encoded"))
        replace (&item->content, text_of (child));
      else if (is_rss (child, "guid"))
        {
          const char *permalink = attr (child, "isPermaLink");

          replace (&item->guid, trimmed_text_of (child));
          if (item->guid && (permalink == NULL || strcmp (permalink, "false") != 0))
            {
              g_autofree char *url = resolve_url (ctx, child, item->guid);

              if (url && item->link == NULL)
                item->link = g_steal_pointer (&url);
            }
        }
      else if (is_rss (child, "pubDate") || is (child, NS_DC, "date"))
        {
          GDateTime *date = parse_date (child);

          if (date && item->date == NULL)
            item->date = date;
          else if (date)
            g_date_time_unref (date);
        }
      else if (is (child, NS_ATOM, "updated") || is (child, NS_DC, "modified"))
        {
          GDateTime *date = parse_date (child);

          if (date)
            {
              g_clear_pointer (&item->modified, g_date_time_unref);
              item->modified = date;
            }
        }
      else if (is (child, NS_DC, "creator"))
        replace (&item->author, plain_text_of (child));
      else if (is_rss (child, "author"))
        set_if_unset (&item->author, rss_author (child));
      else if (is_rss (child, "category") || is (child, NS_DC, "subject"))
        {
          g_autofree char *text = text_of (child);
          add_category (item, text);
        }
      else if (is (child, NS_SLASH, "comments"))
        item->comments = count_of (child);
      else if (is_rss (child, "comments") || is (child, NS_WFW, "commentRss"))
        item->has_comments_link = TRUE;
      else if (is_rss (child, "enclosure"))
        {
          if (looks_like_image (attr (child, "type"), NULL, attr (child, "url")))
            offer_image (ctx, &item->enclosure, child, "url");
        }
      else if (child->ns && child->ns->href && strcmp ((const char *) child->ns->href, NS_MEDIA) == 0)
        read_media (ctx, item, child);
    }
}

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

      if (!is_atom (child, "link"))
        continue;
      rel = attr (child, "rel");
      type = attr (child, "type");

      if (rel == NULL || strcmp (rel, "alternate") == 0)
        {
          char *url = resolve_url (ctx, child, attr (child, "href"));

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
          if (looks_like_image (type, NULL, attr (child, "href")))
            offer_image (ctx, &item->enclosure, child, "href");
        }
      else if (item != NULL && strcmp (rel, "replies") == 0)
        {
          g_autofree char *count = attr_dup (child, "count", NS_THR);
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
    if (is_atom (child, "name"))
      return plain_text_of (child);
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

      if (is_atom (child, "title"))
        replace (&item->title, atom_plain (child));
      else if (is_atom (child, "id"))
        replace (&item->guid, trimmed_text_of (child));
      else if (is_atom (child, "summary"))
        {
          item->plain_description = atom_content_type (child) == CONTENT_TEXT;
          replace (&item->description, atom_html (child));
        }
      else if (is_atom (child, "content"))
        {
          if (attr (child, "src") == NULL)
            replace (&item->content, atom_html (child));
        }
      else if (is_atom (child, "published") || is (child, NS_DC, "date"))
        {
          g_clear_pointer (&published, g_date_time_unref);
          published = parse_date (child);
        }
      else if (is_atom (child, "updated"))
        {
          g_clear_pointer (&updated, g_date_time_unref);
          updated = parse_date (child);
        }
      else if (is_atom (child, "author"))
        set_if_unset (&item->author, atom_person (child));
      else if (is (child, NS_DC, "creator"))
        set_if_unset (&item->author, plain_text_of (child));
      else if (is_atom (child, "category"))
        {
          const char *label = attr (child, "label");
          add_category (item, label && *label ? label : attr (child, "term"));
        }
      else if (is (child, NS_THR, "total") || is (child, NS_SLASH, "comments"))
        item->comments = count_of (child);
      else if (child->ns && child->ns->href && strcmp ((const char *) child->ns->href, NS_MEDIA) == 0)
        read_media (ctx, item, child);
    }

  item->date = published ? published : updated ? g_date_time_ref (updated) : NULL;
  item->modified = updated;
  if (item->author == NULL && feed_author != NULL)
    item->author = g_strdup (feed_author);
}

/* WordPress guids look like "https://site/?p=123". */
static gint64
wordpress_post_id (const char *guid)
{
  const char *p;
  guint64 value;
  gsize digits = 0;
  char buf[20];

  if (guid == NULL || (p = strstr (guid, "?p=")) == NULL)
    if (guid == NULL || (p = strstr (guid, "&p=")) == NULL)
      return 0;
  p += 3;
  while (g_ascii_isdigit (p[digits]) && digits < sizeof buf - 1)
    {
      buf[digits] = p[digits];
      digits++;
    }
  buf[digits] = '\0';
  if (digits == 0 || (p[digits] != '\0' && p[digits] != '&' && p[digits] != '#'))
    return 0;
  if (!g_ascii_string_to_unsigned (buf, 10, 1, G_MAXINT64, &value, NULL))
    return 0;
  return value;
}

/* First <img src=…> of an HTML fragment, as a last resort for a picture. */
static char *
first_img_src (const char *html,
               guint      *width,
               guint      *height)
{
  const char *p = html;

  while (p && (p = strstr (p, "<img")) != NULL)
    {
      const char *end = strchr (p, '>');
      g_autofree char *tag = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      static GRegex *src_regex = NULL;
      static GRegex *size_regex = NULL;

      if (end == NULL)
        return NULL;
      if (g_once_init_enter (&src_regex))
        g_once_init_leave (&src_regex,
                           g_regex_new ("\\ssrc\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')",
                                        G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL));
      if (g_once_init_enter (&size_regex))
        g_once_init_leave (&size_regex,
                           g_regex_new ("\\s(width|height)\\s*=\\s*[\"']?(\\d{1,5})",
                                        G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL));
      tag = g_strndup (p, end - p);
      if (g_regex_match (src_regex, tag, 0, &match))
        {
          g_autofree char *src = g_match_info_fetch (match, 1);
          g_autoptr(GMatchInfo) size_match = NULL;

          if (src == NULL || *src == '\0')
            {
              g_free (src);
              src = g_match_info_fetch (match, 2);
            }
          if (src && *src && !g_str_has_prefix (src, "data:"))
            {
              *width = *height = 0;
              g_regex_match (size_regex, tag, 0, &size_match);
              while (g_match_info_matches (size_match))
                {
                  g_autofree char *name = g_match_info_fetch (size_match, 1);
                  g_autofree char *value = g_match_info_fetch (size_match, 2);

                  if (g_ascii_strcasecmp (name, "width") == 0)
                    *width = atoi (value);
                  else
                    *height = atoi (value);
                  g_match_info_next (size_match, NULL);
                }
              return _kq_text_decode_entities (src, -1);
            }
        }
      p = end;
    }
  return NULL;
}

static KqArticle *
make_article (Context *ctx,
              Item    *item,
              xmlNode *node)
{
  g_autoptr(KqArticle) article = NULL;
  g_autofree char *excerpt = NULL;
  const char *body;
  const Image *thumbnail;
  const Image *image;
  gint64 id;

  if (item->content && is_blank (item->content, strlen (item->content)))
    g_clear_pointer (&item->content, g_free);
  if (item->description && is_blank (item->description, strlen (item->description)))
    g_clear_pointer (&item->description, g_free);
  body = item->content ? item->content : item->description;
  if (item->title == NULL && item->link == NULL && body == NULL)
    return NULL;

  article = kq_article_new ();

  id = wordpress_post_id (item->guid);
  if (id == 0)
    id = _kq_text_hash63 (item->guid ? item->guid
                          : item->link ? item->link
                          : item->title ? item->title : body);
  kq_article_set_id (article, id);
  kq_article_set_source (article, ctx->source);
  kq_article_set_title (article, item->title);
  kq_article_set_link (article, item->link);
  kq_article_set_date (article, item->date);
  kq_article_set_modified (article, item->modified);
  kq_article_set_author (article, item->author && *item->author ? item->author : NULL);

  if (item->description)
    excerpt = _kq_text_excerpt (item->description, EXCERPT_WORDS);
  else if (item->content)
    excerpt = _kq_text_excerpt (item->content, EXCERPT_WORDS);
  kq_article_set_excerpt (article, excerpt);
  kq_article_set_body_html (article, body);

  if (item->categories)
    {
      g_ptr_array_add (item->categories, NULL);
      kq_article_set_category_names (article, (const char * const *) item->categories->pdata);
    }

  /* Pictures: media:content / enclosure for the article, media:thumbnail for
   * the list; each stands in for the other; then the body's first image. */
  image = item->media.url ? &item->media : item->enclosure.url ? &item->enclosure : NULL;
  thumbnail = item->thumbnail.url ? &item->thumbnail : image;
  if (image == NULL)
    image = thumbnail;
  if (image == NULL && body != NULL)
    {
      guint width = 0, height = 0;
      g_autofree char *src = first_img_src (body, &width, &height);
      g_autofree char *url = resolve_url (ctx, node, src);

      if (url)
        {
          kq_article_set_thumbnail (article, url, width, height);
          kq_article_set_image (article, url, width, height);
        }
    }
  else if (image != NULL)
    {
      kq_article_set_thumbnail (article, thumbnail->url, thumbnail->width, thumbnail->height);
      kq_article_set_image (article, image->url, image->width, image->height);
    }

  kq_article_set_comment_count (article, item->comments > 0 ? (guint) item->comments : 0);
  kq_article_set_comments_open (article, item->has_comments_link);

  return g_steal_pointer (&article);
}

static void
add_item (Context *ctx,
          KqFeed  *feed,
          Item    *item,
          xmlNode *node)
{
  g_autoptr(KqArticle) article = make_article (ctx, item, node);

  if (article)
    kq_feed_add_item (feed, article);
  item_clear (item);
}

/* ---------- Feeds ---------- */

static void
read_channel_meta (Context *ctx,
                   KqFeed  *feed,
                   xmlNode *channel)
{
  for (xmlNode *child = channel->children; child != NULL; child = child->next)
    {
      if (is_rss (child, "title") && kq_feed_get_title (feed) == NULL)
        {
          g_autofree char *title = plain_text_of (child);
          kq_feed_set_title (feed, title);
        }
      else if (is_rss (child, "link") && kq_feed_get_link (feed) == NULL)
        {
          g_autofree char *text = trimmed_text_of (child);
          g_autofree char *link = resolve_url (ctx, child, text);
          kq_feed_set_link (feed, link);
        }
      else if (is_rss (child, "description") && kq_feed_get_description (feed) == NULL)
        {
          g_autofree char *description = plain_text_of (child);
          kq_feed_set_description (feed, description);
        }
    }
  if (ctx->fallback_base == NULL && kq_feed_get_link (feed) != NULL)
    ctx->fallback_base = g_strdup (kq_feed_get_link (feed));
}

static void
parse_rss (Context *ctx,
           KqFeed  *feed,
           xmlNode *root)
{
  xmlNode *channel = NULL;

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (is_rss (child, "channel"))
      {
        channel = child;
        break;
      }
  if (channel == NULL)
    return;

  read_channel_meta (ctx, feed, channel);
  /* Items belong in the channel; some feeds put them next to it. */
  for (xmlNode *parent = channel; parent != NULL; parent = parent == channel ? root : NULL)
    for (xmlNode *child = parent->children; child != NULL; child = child->next)
      if (is_rss (child, "item"))
        {
          Item item = { .comments = -1 };

          read_rss_item (ctx, &item, child);
          add_item (ctx, feed, &item, child);
        }
}

static void
parse_rdf (Context *ctx,
           KqFeed  *feed,
           xmlNode *root)
{
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (is_rss (child, "channel"))
      read_channel_meta (ctx, feed, child);

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (is_rss (child, "item"))
      {
        Item item = { .comments = -1 };
        g_autofree char *about = attr_dup (child, "about", NS_RDF);

        read_rss_item (ctx, &item, child);
        if (item.guid == NULL)
          item.guid = g_steal_pointer (&about);
        add_item (ctx, feed, &item, child);
      }
}

static void
parse_atom (Context *ctx,
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
      if (is_atom (child, "title") && kq_feed_get_title (feed) == NULL)
        {
          g_autofree char *title = atom_plain (child);
          kq_feed_set_title (feed, title && *title ? title : NULL);
        }
      else if (is_atom (child, "subtitle") && kq_feed_get_description (feed) == NULL)
        {
          g_autofree char *subtitle = atom_plain (child);
          kq_feed_set_description (feed, subtitle && *subtitle ? subtitle : NULL);
        }
      else if (is_atom (child, "author") && feed_author == NULL)
        feed_author = atom_person (child);
    }

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (is_atom (child, "entry"))
      {
        Item item = { .comments = -1 };

        read_atom_entry (ctx, &item, child, feed_author);
        add_item (ctx, feed, &item, child);
      }
}

static FeedKind
root_kind (xmlNode *root)
{
  if (root == NULL)
    return KIND_NONE;
  if (is (root, NULL, "rss") || is (root, NS_RSS1, "rss"))
    return KIND_RSS;
  if (is_atom (root, "feed"))
    return KIND_ATOM;
  if (is (root, NS_RDF, "RDF"))
    return KIND_RDF;
  return KIND_NONE;
}

/* ---------- libxml2 glue ---------- */

static void
on_xml_error (void        *user_data,
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
      errors->message = g_strstrip (g_strdup (xml_error->message ? xml_error->message : ""));
    }
}

/* In recovery, libxml2 copies bytes that are not valid in the document's
 * encoding into the tree as they are: make every text and attribute value
 * valid UTF-8 before anything reads them (GRegex's JIT crashes on invalid
 * UTF-8; GTK and SQLite expect it valid). libxml2 limits the depth. */
static void
repair_utf8 (xmlNode *node)
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
            repair_utf8 (a->children);
          repair_utf8 (node->children);
          break;

        case XML_DTD_NODE:
        case XML_ENTITY_DECL:
          repair_utf8 (node->children);
          break;

        default:
          break;
        }
    }
}

/* Undeclared HTML entities (&eacute; &nbsp;…) are common in hand-made
 * feeds: resolve them like a browser would, as internal entities. */
static xmlEntity *
on_get_entity (void          *user_data,
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

/* Escapes "&" that starts no reference and "<" that starts no markup,
 * outside CDATA sections and comments. NULL when there is none. */
static GString *
escape_stray_markup (const char *data,
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
          if (close == NULL)
            break;
          p = close + 2;
          continue;
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

/* A byte order mark, or encoding="…" in the XML declaration. */
static gboolean
has_declared_encoding (const char *data,
                       gsize       len)
{
  const char *end;

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
  return end != NULL && g_strstr_len (data, end - data, "encoding") != NULL;
}

static gboolean
looks_like_html (xmlNode *root)
{
  return root != NULL && root->name != NULL &&
         g_ascii_strcasecmp ((const char *) root->name, "html") == 0;
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
  const char *bytes;
  const char *encoding;
  gsize len = 0;
  const int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_RECOVER |
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
  if (bytes == NULL || is_blank (bytes, len))
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
  /* Like browsers: undeclared and not UTF-8 means Windows-1252. */
  encoding = has_declared_encoding (bytes, len) || g_utf8_validate (bytes, len, NULL)
             ? NULL : "windows-1252";

  ctxt->sax->serror = on_xml_error;
  ctxt->sax->getEntity = on_get_entity;
  ctxt->_private = &errors;
  /* Invalid bytes for the encoding are also reported through the global
   * handlers, that print them: keep them out of stderr. */
  _kq_xml_quiet_begin (&quiet);
  doc = xmlCtxtReadMemory (ctxt, bytes, (int) len, base_url, encoding, options);

  /* Hand-written feeds: a stray "&" or "<" in text is what browsers keep as
   * text. Retry with them escaped, keep the first errors for the message. */
  if (errors.count > 0 && memchr (bytes, '\0', len) == NULL)
    {
      g_autoptr(GString) fixed = escape_stray_markup (bytes, len);

      if (fixed != NULL)
        {
          ParseErrors retry = { 0 };
          xmlDoc *retry_doc;

          ctxt->_private = &retry;
          retry_doc = xmlCtxtReadMemory (ctxt, fixed->str, (int) fixed->len, base_url, encoding,
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
    repair_utf8 (doc->children);
  root = doc ? xmlDocGetRootElement (doc) : NULL;

  ctx.source = source;
  ctx.kind = root_kind (root);
  feed = kq_feed_new ();

  switch (ctx.kind)
    {
    case KIND_RSS:
      kq_feed_set_kind (feed, "rss");
      parse_rss (&ctx, feed, root);
      break;
    case KIND_ATOM:
      kq_feed_set_kind (feed, "atom");
      parse_atom (&ctx, feed, root);
      break;
    case KIND_RDF:
      kq_feed_set_kind (feed, "rdf");
      parse_rdf (&ctx, feed, root);
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
      if (looks_like_html (root))
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
