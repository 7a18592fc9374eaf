/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feed parser: what RSS items and Atom entries share, and the article they become. */
#define G_LOG_DOMAIN "kq-feed-parser"

#include "config.h"

#include <libxml/tree.h>
#include <string.h>

#include "kq-article-private.h"
#include "kq-feed-parser-private.h"
#include "kq-feed.h"
#include "kq-text-private.h"
#include "kq-url-private.h"

#define EXCERPT_WORDS       55

/* ---------- Items ---------- */

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

void
_kq_fp_replace (char **field,
                char  *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = value;
}

void
_kq_fp_set_if_unset (char **field,
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
  const char *value = _kq_fp_attr (node, name);
  guint64 n;

  if (value && g_ascii_string_to_unsigned (value, 10, 1, 100000, &n, NULL))
    return n;
  return 0;
}

gboolean
_kq_fp_looks_like_image (const char *type,
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
void
_kq_fp_offer_image (Context    *ctx,
                    Image      *slot,
                    xmlNode    *node,
                    const char *url_attr)
{
  g_autofree char *url = _kq_fp_resolve_url (ctx, node, _kq_fp_attr (node, url_attr));
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

void
_kq_fp_add_category (Item       *item,
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

void
_kq_fp_read_media (Context *ctx,
                   Item    *item,
                   xmlNode *node)
{
  if (_kq_fp_is (node, NS_MEDIA, "thumbnail"))
    _kq_fp_offer_image (ctx, &item->thumbnail, node, "url");
  else if (_kq_fp_is (node, NS_MEDIA, "content"))
    {
      if (_kq_fp_looks_like_image (_kq_fp_attr (node, "type"), _kq_fp_attr (node, "medium"),
                                   _kq_fp_attr (node, "url")))
        _kq_fp_offer_image (ctx, &item->media, node, "url");
      for (xmlNode *child = node->children; child; child = child->next)
        if (_kq_fp_is (child, NS_MEDIA, "thumbnail"))
          _kq_fp_offer_image (ctx, &item->thumbnail, child, "url");
    }
  else if (_kq_fp_is (node, NS_MEDIA, "group"))
    {
      for (xmlNode *child = node->children; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE)
          _kq_fp_read_media (ctx, item, child);
    }
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

/* At @p, after white space, @name (any case), white space, "=", white
 * space: returns the position of the value, or NULL. */
static const char *
attribute_value (const char *p,
                 const char *end,
                 const char *name)
{
  gsize len = strlen (name);

  if (p >= end || !g_ascii_isspace (*p))
    return NULL;
  p++;
  if ((gsize) (end - p) < len || g_ascii_strncasecmp (p, name, len) != 0)
    return NULL;
  for (p += len; p < end && g_ascii_isspace (*p); p++)
    ;
  if (p >= end || *p != '=')
    return NULL;
  for (p++; p < end && g_ascii_isspace (*p); p++)
    ;
  return p;
}

/* What the regular expressions of first_img_src () find, for an ASCII tag
 * (where their \s and \d are ASCII): the first quoted src, and the width
 * and height ("=" 1 to 5 digits, quoted or not) after it. */
static gboolean
scan_ascii_img (const char  *tag,
                const char  *end,
                char       **src,
                guint       *width,
                guint       *height)
{
  for (const char *p = tag; p < end; p++)
    {
      const char *value = g_ascii_isspace (*p) ? attribute_value (p, end, "src") : NULL;
      const char *close;

      if (value == NULL || value >= end || (*value != '"' && *value != '\''))
        continue;
      close = memchr (value + 1, *value, end - value - 1);
      if (close == NULL)
        continue;
      *src = g_strndup (value + 1, close - value - 1);
      break;
    }
  if (*src == NULL || **src == '\0' || g_str_has_prefix (*src, "data:"))
    return *src != NULL;

  *width = *height = 0;
  for (const char *p = tag; p < end; p++)
    {
      static const char * const names[] = { "width", "height" };

      if (!g_ascii_isspace (*p))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          const char *value = attribute_value (p, end, names[i]);
          guint digits = 0, number = 0;

          if (value == NULL)
            continue;
          if (value < end && (*value == '"' || *value == '\'') && value + 1 < end &&
              g_ascii_isdigit (value[1]))
            value++;
          while (value + digits < end && digits < 5 && g_ascii_isdigit (value[digits]))
            number = number * 10 + (value[digits++] - '0');
          if (digits == 0)
            continue;
          *(i == 0 ? width : height) = number;
          p = value + digits - 1;
          break;
        }
    }
  return TRUE;
}

static gboolean
is_ascii (const char *text,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if ((guchar) text[i] >= 0x80)
      return FALSE;
  return TRUE;
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
      if (is_ascii (p, end - p))
        {
          g_autofree char *src = NULL;

          if (scan_ascii_img (p, end, &src, width, height) && *src != '\0' &&
              !g_str_has_prefix (src, "data:"))
            return _kq_text_decode_entities (src, -1);
          p = end;
          continue;
        }
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
  char **body_field;
  const Image *thumbnail;
  const Image *image;
  gint64 id;

  if (item->content && _kq_fp_is_blank (item->content, strlen (item->content)))
    g_clear_pointer (&item->content, g_free);
  if (item->description && _kq_fp_is_blank (item->description, strlen (item->description)))
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
  _kq_article_take_excerpt (article, g_steal_pointer (&excerpt));
  /* The article takes the body: no copy of the largest text. */
  body_field = item->content ? &item->content : &item->description;
  _kq_article_take_body_html (article, g_steal_pointer (body_field));
  body = kq_article_get_body_html (article);

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
      g_autofree char *url = _kq_fp_resolve_url (ctx, node, src);

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

/* Whether @feed has all the items it may keep (KQ_FEED_MAX_ITEMS). */
gboolean
_kq_fp_is_full (KqFeed *feed)
{
  return kq_feed_get_items (feed)->len >= KQ_FEED_MAX_ITEMS;
}

void
_kq_fp_add_item (Context *ctx,
                 KqFeed  *feed,
                 Item    *item,
                 xmlNode *node)
{
  g_autoptr(KqArticle) article = make_article (ctx, item, node);

  if (article)
    kq_feed_add_item (feed, article);
  item_clear (item);
}
