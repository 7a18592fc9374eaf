/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KQ_TYPE_CATEGORY (kq_category_get_type ())

G_DECLARE_FINAL_TYPE (KqCategory, kq_category, KQ, CATEGORY, GObject)

/*
 * A site's category. Properties: "id", "source", "name" (entities decoded),
 * "slug", "count" (posts), "parent" (0 for none), "link" (its page on the
 * site; + "feed/" gives its RSS feed), "position" (the site's order),
 * "unread-count" (filled by the store).
 */

KqCategory *kq_category_new              (void);

gint64      kq_category_get_id           (KqCategory *self);
void        kq_category_set_id           (KqCategory *self,
                                          gint64      id);
const char *kq_category_get_source       (KqCategory *self);
void        kq_category_set_source       (KqCategory *self,
                                          const char *source);
const char *kq_category_get_name         (KqCategory *self);
void        kq_category_set_name         (KqCategory *self,
                                          const char *name);
const char *kq_category_get_slug         (KqCategory *self);
void        kq_category_set_slug         (KqCategory *self,
                                          const char *slug);
guint       kq_category_get_count        (KqCategory *self);
void        kq_category_set_count        (KqCategory *self,
                                          guint       count);
gint64      kq_category_get_parent       (KqCategory *self);
void        kq_category_set_parent       (KqCategory *self,
                                          gint64      parent);
const char *kq_category_get_link         (KqCategory *self);
void        kq_category_set_link         (KqCategory *self,
                                          const char *link);
guint       kq_category_get_position     (KqCategory *self);
void        kq_category_set_position     (KqCategory *self,
                                          guint       position);
guint       kq_category_get_unread_count (KqCategory *self);
void        kq_category_set_unread_count (KqCategory *self,
                                          guint       unread_count);

G_END_DECLS
