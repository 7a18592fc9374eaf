/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feed parser: RSS 2.0, RSS 1.0 and RSS 0.90 (RDF). */
#define G_LOG_DOMAIN "kq-feed-parser"

#include "config.h"

#include <libxml/tree.h>
#include <string.h>

#include "kq-feed-parser-private.h"
#include "kq-feed.h"
#include "kq-text-private.h"

/* "jean@example.com (Jean Dupont)" → "Jean Dupont". */
static char *
rss_author (xmlNode *node)
{
  g_autofree char *text = _kq_fp_trimmed_text_of (node);
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

/* Several dc:creator are several authors: "Ana Lima, Bruno Roy". An
 * <author> read before them gives way to them. */
static void
add_creator (Item *item,
             char *name)
{
  g_autofree char *joined = NULL;

  if (name == NULL)
    return;
  if (item->author == NULL || !item->author_is_creator)
    {
      _kq_fp_replace (&item->author, name);
      item->author_is_creator = TRUE;
      return;
    }
  joined = g_strconcat (item->author, ", ", name, NULL);
  g_free (name);
  _kq_fp_replace (&item->author, g_steal_pointer (&joined));
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

      if (_kq_fp_is_rss (child, "title"))
        _kq_fp_replace (&item->title, _kq_fp_plain_text_of (child));
      else if (_kq_fp_is_rss (child, "link"))
        {
          g_autofree char *text = _kq_fp_trimmed_text_of (child);
          _kq_fp_replace (&item->link, _kq_fp_resolve_url (ctx, child, text));
        }
      else if (_kq_fp_is_rss (child, "description"))
        _kq_fp_replace (&item->description, _kq_fp_text_of (child));
      else if (_kq_fp_is (child, NS_CONTENT, "encoded"))
        _kq_fp_replace (&item->content, _kq_fp_text_of (child));
      else if (_kq_fp_is_rss (child, "guid"))
        {
          const char *permalink = _kq_fp_attr (child, "isPermaLink");

          _kq_fp_replace (&item->guid, _kq_fp_trimmed_text_of (child));
          if (item->guid && (permalink == NULL || strcmp (permalink, "false") != 0))
            {
              g_autofree char *url = _kq_fp_resolve_url (ctx, child, item->guid);

              if (url && item->link == NULL)
                item->link = g_steal_pointer (&url);
            }
        }
      else if (_kq_fp_is_rss (child, "pubDate") || _kq_fp_is (child, NS_DC, "date"))
        {
          GDateTime *date = _kq_fp_parse_date (child);

          if (date && item->date == NULL)
            item->date = date;
          else if (date)
            g_date_time_unref (date);
        }
      else if (_kq_fp_is (child, NS_ATOM, "updated") || _kq_fp_is (child, NS_DC, "modified"))
        {
          GDateTime *date = _kq_fp_parse_date (child);

          if (date)
            {
              g_clear_pointer (&item->modified, g_date_time_unref);
              item->modified = date;
            }
        }
      else if (_kq_fp_is (child, NS_DC, "creator"))
        add_creator (item, _kq_fp_plain_text_of (child));
      else if (_kq_fp_is_rss (child, "author"))
        _kq_fp_set_if_unset (&item->author, rss_author (child));
      else if (_kq_fp_is_rss (child, "category") || _kq_fp_is (child, NS_DC, "subject"))
        {
          g_autofree char *text = _kq_fp_text_of (child);
          _kq_fp_add_category (item, text);
        }
      else if (_kq_fp_is (child, NS_SLASH, "comments"))
        item->comments = _kq_fp_count_of (child);
      else if (_kq_fp_is_rss (child, "comments") || _kq_fp_is (child, NS_WFW, "commentRss"))
        item->has_comments_link = TRUE;
      else if (_kq_fp_is_rss (child, "enclosure"))
        {
          if (_kq_fp_looks_like_image (_kq_fp_attr (child, "type"), NULL,
                                       _kq_fp_attr (child, "url")))
            _kq_fp_offer_image (ctx, &item->enclosure, child, "url");
        }
      else if (child->ns && child->ns->href &&
               strcmp ((const char *) child->ns->href, NS_MEDIA) == 0)
        _kq_fp_read_media (ctx, item, child);
    }
}

/* ---------- Feeds ---------- */

static void
read_channel_meta (Context *ctx,
                   KqFeed  *feed,
                   xmlNode *channel)
{
  for (xmlNode *child = channel->children; child != NULL; child = child->next)
    {
      if (_kq_fp_is_rss (child, "title") && kq_feed_get_title (feed) == NULL)
        {
          g_autofree char *title = _kq_fp_plain_text_of (child);
          kq_feed_set_title (feed, title);
        }
      else if (_kq_fp_is_rss (child, "link") && kq_feed_get_link (feed) == NULL)
        {
          g_autofree char *text = _kq_fp_trimmed_text_of (child);
          g_autofree char *link = _kq_fp_resolve_url (ctx, child, text);
          kq_feed_set_link (feed, link);
        }
      else if (_kq_fp_is_rss (child, "description") && kq_feed_get_description (feed) == NULL)
        {
          g_autofree char *description = _kq_fp_plain_text_of (child);
          kq_feed_set_description (feed, description);
        }
    }
  if (ctx->fallback_base == NULL && kq_feed_get_link (feed) != NULL)
    ctx->fallback_base = g_strdup (kq_feed_get_link (feed));
}

void
_kq_fp_parse_rss (Context *ctx,
                  KqFeed  *feed,
                  xmlNode *root)
{
  xmlNode *channel = NULL;

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (_kq_fp_is_rss (child, "channel"))
      {
        channel = child;
        break;
      }
  if (channel != NULL)
    read_channel_meta (ctx, feed, channel);
  /* Items belong in the channel; some feeds put them next to it, or have
   * no channel at all. */
  for (xmlNode *parent = channel ? channel : root; parent != NULL;
       parent = parent == channel ? root : NULL)
    for (xmlNode *child = parent->children; child != NULL && !_kq_fp_is_full (feed);
         child = child->next)
      if (_kq_fp_is_rss (child, "item"))
        {
          Item item = { .comments = -1 };

          read_rss_item (ctx, &item, child);
          _kq_fp_add_item (ctx, feed, &item, child);
        }
}

void
_kq_fp_parse_rdf (Context *ctx,
                  KqFeed  *feed,
                  xmlNode *root)
{
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (_kq_fp_is_rss (child, "channel"))
      read_channel_meta (ctx, feed, child);

  for (xmlNode *child = root->children; child != NULL && !_kq_fp_is_full (feed);
       child = child->next)
    if (_kq_fp_is_rss (child, "item"))
      {
        Item item = { .comments = -1 };
        g_autofree char *about = _kq_fp_attr_dup (child, "about", NS_RDF);

        read_rss_item (ctx, &item, child);
        if (item.guid == NULL)
          item.guid = g_steal_pointer (&about);
        _kq_fp_add_item (ctx, feed, &item, child);
      }
}
