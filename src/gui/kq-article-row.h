/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kq-article.h"

G_BEGIN_DECLS

#define KQ_TYPE_ARTICLE_ROW (kq_article_row_get_type ())

G_DECLARE_FINAL_TYPE (KqArticleRow, kq_article_row, KQ, ARTICLE_ROW, GtkWidget)

KqArticleRow *kq_article_row_new          (void);
KqArticle    *kq_article_row_get_article  (KqArticleRow *self);
void          kq_article_row_set_article  (KqArticleRow *self,
                                           KqArticle    *article);
void          kq_article_row_set_show_images (KqArticleRow *self,
                                              gboolean      show_images);
/* Re-formats the relative date ("il y a 5 min") against the current time. */
void          kq_article_row_update_date  (KqArticleRow *self);

G_END_DECLS
