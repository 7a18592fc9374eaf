/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kq-article.h"

G_BEGIN_DECLS

#define KQ_TYPE_ARTICLE_LIST (kq_article_list_get_type ())

G_DECLARE_FINAL_TYPE (KqArticleList, kq_article_list, KQ, ARTICLE_LIST, GtkWidget)

/* What lies past the last row. */
typedef enum
{
  KQ_ARTICLE_LIST_MORE_NONE,       /* the last page is listed */
  KQ_ARTICLE_LIST_MORE_AVAILABLE,  /* scrolling near the end emits "load-more" */
  KQ_ARTICLE_LIST_MORE_LOADING,    /* a spinner row */
  KQ_ARTICLE_LIST_MORE_FAILED,     /* a "Retry" row; its button emits "load-more" */
} KqArticleListMore;

KqArticleList     *kq_article_list_new              (void);
GListModel        *kq_article_list_get_model        (KqArticleList     *self);
void               kq_article_list_set_model        (KqArticleList     *self,
                                                     GListModel        *model);
KqArticleListMore  kq_article_list_get_more         (KqArticleList     *self);
void               kq_article_list_set_more         (KqArticleList     *self,
                                                     KqArticleListMore  more,
                                                     const char        *error_message);
KqArticle         *kq_article_list_get_selected     (KqArticleList     *self);
gboolean           kq_article_list_select_position  (KqArticleList     *self,
                                                     guint              position);
gboolean           kq_article_list_select_article   (KqArticleList     *self,
                                                     const char        *source,
                                                     gint64             id);
gboolean           kq_article_list_select_next      (KqArticleList     *self);
gboolean           kq_article_list_select_previous  (KqArticleList     *self);
/* The next unread article after the selected one (@forward), or the previous. */
gboolean           kq_article_list_select_unread    (KqArticleList     *self,
                                                     gboolean           forward);
void               kq_article_list_unselect         (KqArticleList     *self);
/* The rows' context menu (see kq-article-list.c): for @article, under its row. */
void               kq_article_list_popup_context_menu (KqArticleList   *self,
                                                     KqArticle         *article);
GtkWidget         *kq_article_list_get_context_menu (KqArticleList     *self);
void               kq_article_list_scroll_to_top    (KqArticleList     *self);
double             kq_article_list_get_scroll       (KqArticleList     *self);
gboolean           kq_article_list_get_selected_offset (KqArticleList  *self,
                                                     double         *offset);
void               kq_article_list_keep_selected_at (KqArticleList     *self,
                                                     double             offset);
void               kq_article_list_set_scroll       (KqArticleList     *self,
                                                     double             value);
void               kq_article_list_set_show_images  (KqArticleList     *self,
                                                     gboolean           show_images);
GtkWidget         *kq_article_list_get_list_view    (KqArticleList     *self);

G_END_DECLS
