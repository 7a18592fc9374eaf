/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-article.h"

G_BEGIN_DECLS

#define KQ_TYPE_ARTICLE_MODEL (kq_article_model_get_type ())

G_DECLARE_FINAL_TYPE (KqArticleModel, kq_article_model, KQ, ARTICLE_MODEL, GObject)

/*
 * A GListModel of KqArticle that takes updates as differences: merging a page
 * updates the articles already listed in place (same objects, so rows and
 * the selection stay), inserts the new ones at their place and emits
 * items-changed for exactly those positions, never a full reset.
 *
 * Sorted models keep the newest first (date, then id); unsorted ones (search
 * results) keep the order in which articles were merged.
 */

KqArticleModel *kq_article_model_new      (gboolean         sorted);
guint           kq_article_model_merge    (KqArticleModel  *self,
                                           GPtrArray       *articles);
void            kq_article_model_clear    (KqArticleModel  *self);
gboolean        kq_article_model_find     (KqArticleModel  *self,
                                           const char      *source,
                                           gint64           id,
                                           guint           *position);
KqArticle      *kq_article_model_lookup   (KqArticleModel  *self,
                                           const char      *source,
                                           gint64           id);
gboolean        kq_article_model_remove   (KqArticleModel  *self,
                                           const char      *source,
                                           gint64           id);
void            kq_article_model_update_from (KqArticle    *article,
                                              KqArticle    *from);

G_END_DECLS
