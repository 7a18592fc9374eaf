/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-article.h"

G_BEGIN_DECLS

#define KQ_TYPE_FEED (kq_feed_get_type ())

G_DECLARE_FINAL_TYPE (KqFeed, kq_feed, KQ, FEED, GObject)

/*
 * A parsed RSS/Atom/RDF feed. Properties: "title", "link" (the site),
 * "description" (plain text), "kind" ("rss", "atom" or "rdf"), "items"
 * (a GPtrArray of KqArticle, in the feed's order; read-only, set by the
 * parser).
 */

KqFeed      *kq_feed_new             (void);

const char  *kq_feed_get_title       (KqFeed      *self);
void         kq_feed_set_title       (KqFeed      *self,
                                      const char  *title);
const char  *kq_feed_get_link        (KqFeed      *self);
void         kq_feed_set_link        (KqFeed      *self,
                                      const char  *link);
const char  *kq_feed_get_description (KqFeed      *self);
void         kq_feed_set_description (KqFeed      *self,
                                      const char  *description);
const char  *kq_feed_get_kind        (KqFeed      *self);
void         kq_feed_set_kind        (KqFeed      *self,
                                      const char  *kind);
/* (element-type KqArticle) (transfer none) */
GPtrArray   *kq_feed_get_items       (KqFeed      *self);
void         kq_feed_add_item        (KqFeed      *self,
                                      KqArticle   *item);

G_END_DECLS
