/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KQ_TYPE_ARTICLE (kq_article_get_type ())

G_DECLARE_FINAL_TYPE (KqArticle, kq_article, KQ, ARTICLE, GObject)

/*
 * An article (a WordPress post or a feed item). Every field is a GObject
 * property ("id", "source", "title", "excerpt", "body-html", "link", "date",
 * "modified", "author", "category-ids", "category-names", "tags",
 * "thumbnail-url", "thumbnail-width", "thumbnail-height", "image-url",
 * "image-width", "image-height", "comment-count", "comments-open",
 * "reading-minutes", "read", "bookmarked"); setters notify only on change.
 *
 * Strings are plain UTF-8 text (entities decoded) except body-html. Dates are
 * UTC GDateTimes. "reading-minutes" is computed from the body's word count
 * (about 230 words a minute, at least 1) whenever body-html is set, unless
 * set explicitly afterwards.
 */

KqArticle    *kq_article_new                  (void);
KqArticle    *kq_article_copy                 (KqArticle     *self);

gint64        kq_article_get_id               (KqArticle     *self);
void          kq_article_set_id               (KqArticle     *self,
                                               gint64         id);
/* The source's site URL (e.g. "https://kulturegeek.fr"): (source, id) is unique. */
const char   *kq_article_get_source           (KqArticle     *self);
void          kq_article_set_source           (KqArticle     *self,
                                               const char    *source);
const char   *kq_article_get_title            (KqArticle     *self);
void          kq_article_set_title            (KqArticle     *self,
                                               const char    *title);
const char   *kq_article_get_excerpt          (KqArticle     *self);
void          kq_article_set_excerpt          (KqArticle     *self,
                                               const char    *excerpt);
const char   *kq_article_get_body_html        (KqArticle     *self);
void          kq_article_set_body_html        (KqArticle     *self,
                                               const char    *body_html);
const char   *kq_article_get_link             (KqArticle     *self);
void          kq_article_set_link             (KqArticle     *self,
                                               const char    *link);
GDateTime    *kq_article_get_date             (KqArticle     *self);
void          kq_article_set_date             (KqArticle     *self,
                                               GDateTime     *date);
GDateTime    *kq_article_get_modified         (KqArticle     *self);
void          kq_article_set_modified         (KqArticle     *self,
                                               GDateTime     *modified);
const char   *kq_article_get_author           (KqArticle     *self);
void          kq_article_set_author           (KqArticle     *self,
                                               const char    *author);
/* Category ids, as a GArray of gint64 ("category-ids" is a boxed GArray). */
GArray       *kq_article_get_category_ids     (KqArticle     *self);
void          kq_article_set_category_ids     (KqArticle     *self,
                                               const gint64  *ids,
                                               guint          n_ids);
gboolean      kq_article_has_category         (KqArticle     *self,
                                               gint64         category_id);
const char * const *kq_article_get_category_names (KqArticle *self);
void          kq_article_set_category_names   (KqArticle     *self,
                                               const char * const *names);
const char * const *kq_article_get_tags       (KqArticle     *self);
void          kq_article_set_tags             (KqArticle     *self,
                                               const char * const *tags);
const char   *kq_article_get_thumbnail_url    (KqArticle     *self);
guint         kq_article_get_thumbnail_width  (KqArticle     *self);
guint         kq_article_get_thumbnail_height (KqArticle     *self);
void          kq_article_set_thumbnail        (KqArticle     *self,
                                               const char    *url,
                                               guint          width,
                                               guint          height);
const char   *kq_article_get_image_url        (KqArticle     *self);
guint         kq_article_get_image_width      (KqArticle     *self);
guint         kq_article_get_image_height     (KqArticle     *self);
void          kq_article_set_image            (KqArticle     *self,
                                               const char    *url,
                                               guint          width,
                                               guint          height);
guint         kq_article_get_comment_count    (KqArticle     *self);
void          kq_article_set_comment_count    (KqArticle     *self,
                                               guint          count);
gboolean      kq_article_get_comments_open    (KqArticle     *self);
void          kq_article_set_comments_open    (KqArticle     *self,
                                               gboolean       open);
guint         kq_article_get_reading_minutes  (KqArticle     *self);
void          kq_article_set_reading_minutes  (KqArticle     *self,
                                               guint          minutes);
/* Reader state, filled by the store. */
gboolean      kq_article_get_read             (KqArticle     *self);
void          kq_article_set_read             (KqArticle     *self,
                                               gboolean       read);
gboolean      kq_article_get_bookmarked       (KqArticle     *self);
void          kq_article_set_bookmarked       (KqArticle     *self,
                                               gboolean       bookmarked);

/* Plain-text word count of an HTML body → minutes (≥ 1). */
guint         kq_article_estimate_reading_minutes (const char *body_html);

G_END_DECLS
