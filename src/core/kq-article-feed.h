/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-article.h"

G_BEGIN_DECLS

typedef enum
{
  KQ_ARTICLE_FEED_LATEST,     /* "À la une": the source's latest, every category */
  KQ_ARTICLE_FEED_CATEGORY,   /* one category of the source */
  KQ_ARTICLE_FEED_BOOKMARKS,  /* "Favoris": every bookmark, newest saved first */
  KQ_ARTICLE_FEED_SEARCH,     /* the cache's matches, then the site's (get_site_results) */
} KqArticleFeedKind;

#define KQ_TYPE_ARTICLE_FEED (kq_article_feed_get_type ())

G_DECLARE_FINAL_TYPE (KqArticleFeed, kq_article_feed, KQ, ARTICLE_FEED, GObject)

/*
 * KqArticleFeed: the articles of one list shown, as a GListModel of
 * KqArticle, made by KqLibrary (kq_library_get_feed(), kq_library_search()).
 * Views bind to it and do nothing else.
 *
 * It fills itself at once: from the cache first, then from the site (page 1),
 * saving what the site gave and merging it in place (the same objects stay,
 * items-changed names only the rows that changed). load_more() asks for the
 * next page (the site's, or the cache's when offline), refresh() for page 1
 * again. An answer that comes after cancel() or after the list started over
 * is dropped. Bookmarks and read state follow the library's changes.
 *
 * Properties: "loading" (a page is being read or fetched), "loading-more"
 * (a page after the first), "has-more" (load_more() has something to load),
 * "error" (the last load failed; GError, nullable; cleared when one starts),
 * "loaded" (the first answer came: an empty list is really empty),
 * "unread-only" (read-write: only the unread articles are listed; one read
 * while listed stays until the list starts over, so a selection never jumps).
 *
 * Signals: "load-failed" (guint page, GError *error, gboolean background):
 * a page could not be fetched (page 1: the list itself or a refresh);
 * "new-articles" (GPtrArray *articles, gboolean background): page 1 fetched
 * again (a refresh, or the site after the cached rows) added these articles
 * to the list.
 */

KqArticleFeedKind  kq_article_feed_get_kind          (KqArticleFeed *self);
gint64             kq_article_feed_get_category_id   (KqArticleFeed *self);
const char        *kq_article_feed_get_source_url    (KqArticleFeed *self);
/* The search text (KQ_ARTICLE_FEED_SEARCH), else NULL. */
const char        *kq_article_feed_get_search_text   (KqArticleFeed *self);
/* Search: the site's own results that the cache did not find, as a GListModel
 * of KqArticle shown below the feed's; NULL for other kinds. */
GListModel        *kq_article_feed_get_site_results  (KqArticleFeed *self);

gboolean           kq_article_feed_get_loading       (KqArticleFeed *self);
gboolean           kq_article_feed_get_loading_more  (KqArticleFeed *self);
gboolean           kq_article_feed_get_has_more      (KqArticleFeed *self);
gboolean           kq_article_feed_get_loaded        (KqArticleFeed *self);
const GError      *kq_article_feed_get_error         (KqArticleFeed *self);

/* The listed article (feed or site results) with this source and id, or NULL. */
KqArticle         *kq_article_feed_lookup            (KqArticleFeed *self,
                                                      const char    *source,
                                                      gint64         id);

/* Only the unread articles: those read while listed stay until the list starts over. */
gboolean           kq_article_feed_get_unread_only   (KqArticleFeed *self);
void               kq_article_feed_set_unread_only   (KqArticleFeed *self,
                                                      gboolean       unread_only);

void               kq_article_feed_load_more         (KqArticleFeed *self);
/* @background: from the refresh timer (no toast for what it finds or fails). */
void               kq_article_feed_refresh           (KqArticleFeed *self,
                                                      gboolean       background);
/* Empties the list and fills it again, cache first. */
void               kq_article_feed_reload            (KqArticleFeed *self);
/* Stops what is in flight: its answers are dropped. */
void               kq_article_feed_cancel            (KqArticleFeed *self);

G_END_DECLS
