/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The article list's scrollable between its scrolled window and its grid
 * view (see kq-article-list-scroller.c for why). */
#define KQ_TYPE_ARTICLE_LIST_SCROLLER (kq_article_list_scroller_get_type ())
G_DECLARE_FINAL_TYPE (KqArticleListScroller, kq_article_list_scroller, KQ, ARTICLE_LIST_SCROLLER, GtkWidget)

/* Takes @child (a GtkScrollable) as its only child. */
GtkWidget *kq_article_list_scroller_new (GtkWidget *child);

G_END_DECLS
