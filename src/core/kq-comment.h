/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-html.h"

G_BEGIN_DECLS

#define KQ_TYPE_COMMENT (kq_comment_get_type ())

G_DECLARE_FINAL_TYPE (KqComment, kq_comment, KQ, COMMENT, GObject)

/*
 * A comment on a post. Properties: "id", "post-id", "parent" (0 for a
 * top-level comment), "author", "date" (UTC), "content-html", "depth"
 * (0 for top level; set when threading), "link". Not a property: the
 * content's block document, parsed with the page on a worker thread
 * (kq_wp_parser_parse_comments_async()), NULL until then.
 */

KqComment  *kq_comment_new              (void);

gint64      kq_comment_get_id           (KqComment  *self);
void        kq_comment_set_id           (KqComment  *self,
                                         gint64      id);
gint64      kq_comment_get_post_id      (KqComment  *self);
void        kq_comment_set_post_id      (KqComment  *self,
                                         gint64      post_id);
gint64      kq_comment_get_parent       (KqComment  *self);
void        kq_comment_set_parent       (KqComment  *self,
                                         gint64      parent);
const char *kq_comment_get_author       (KqComment  *self);
void        kq_comment_set_author       (KqComment  *self,
                                         const char *author);
GDateTime  *kq_comment_get_date         (KqComment  *self);
void        kq_comment_set_date         (KqComment  *self,
                                         GDateTime  *date);
const char *kq_comment_get_content_html (KqComment  *self);
void        kq_comment_set_content_html (KqComment  *self,
                                         const char *content_html);
guint       kq_comment_get_depth        (KqComment  *self);
void        kq_comment_set_depth        (KqComment  *self,
                                         guint       depth);
const char *kq_comment_get_link         (KqComment  *self);
void        kq_comment_set_link         (KqComment  *self,
                                         const char *link);

KqHtmlDocument *kq_comment_get_document (KqComment      *self);
void            kq_comment_set_document (KqComment      *self,
                                         KqHtmlDocument *document);

/* Orders @comments (KqComment) into threads: each reply after its parent,
 * oldest first, depth set; orphans become top-level. Returns a new array. */
GPtrArray  *kq_comment_thread           (GPtrArray  *comments);

G_END_DECLS
