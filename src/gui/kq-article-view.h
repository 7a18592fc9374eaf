/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kq-article.h"
#include "kq-image-loader.h"
#include "kq-library.h"

G_BEGIN_DECLS

#define KQ_TYPE_ARTICLE_VIEW (kq_article_view_get_type ())

G_DECLARE_FINAL_TYPE (KqArticleView, kq_article_view, KQ, ARTICLE_VIEW, GtkWidget)

/*
 * Shows one article natively: a header like the site's (category, title,
 * author, date, reading time, comment count, "updated" mark, featured
 * image), the body rendered from KqHtml's block document, and the comments
 * on demand. An empty state when there is no article.
 *
 * Properties: "article" (KqArticle, nullable), "library" (KqLibrary the
 * comments come from), "image-loader" (KqImageLoader; without one the view
 * makes its own), "bookmarked" (read-only, follows the
 * article's), "text-scale" (double, bound to the GSettings key "text-scale"),
 * "rendering" (read-only, see kq_article_view_get_rendering()).
 *
 * Actions ("article." prefix, enabled only while an article is shown):
 *   open-in-browser    the article's link in the default browser (http/https only)
 *   copy-link          the article's link to the clipboard
 *   toggle-bookmark    flips the article's "bookmarked" and emits "bookmark-toggled"
 *   zoom-in, zoom-out, zoom-reset   text size (Ctrl+plus, Ctrl+minus, Ctrl+0,
 *                      handled anywhere in the window)
 *   open-link (s)      what a link in the body does: a link to another article
 *                      of the same site emits "open-article-link"; if no handler
 *                      returns TRUE, or for any other link, the browser opens it
 *   load-comments      fetches and shows the comments (the comments button)
 *   go-back, go-forward   the history (the header's Back button, Alt+Left and
 *                      Alt+Right, the mouse's side buttons), see below
 *
 * Signals:
 *   gboolean open-article-link (const char *uri): return TRUE when handled
 *   void bookmark-toggled (KqArticle *article, gboolean bookmarked)
 *   gboolean open-history-article (KqArticle *article): Back or Forward wants
 *     @article shown; return TRUE when the handler showed it (with
 *     kq_article_view_set_article()), else the view shows it itself
 *
 * History: kq_article_view_push_history() before showing an article reached
 * from the shown one (a link) remembers it with its scroll position; Back
 * returns to it there, Forward comes back. kq_article_view_clear_history()
 * when the reader picks an article elsewhere (the list).
 */

/* Opens @uri outside Kiosque; returns TRUE if it did. The default opens the
 * desktop's browser; tests swap it out. */
typedef gboolean (*KqUriLauncher) (KqArticleView *view,
                                   const char    *uri,
                                   gpointer       user_data);

GtkWidget     *kq_article_view_new              (void);

void           kq_article_view_set_article      (KqArticleView  *self,
                                                 KqArticle      *article);
KqArticle     *kq_article_view_get_article      (KqArticleView  *self);

void           kq_article_view_set_library      (KqArticleView  *self,
                                                 KqLibrary      *library);
KqLibrary     *kq_article_view_get_library      (KqArticleView  *self);

void           kq_article_view_set_image_loader (KqArticleView  *self,
                                                 KqImageLoader  *loader);
KqImageLoader *kq_article_view_get_image_loader (KqArticleView  *self);

gboolean       kq_article_view_get_bookmarked   (KqArticleView  *self);
/* TRUE while the body's widgets are still being added (a long article is
 * rendered a screenful first, the rest between frames). */
gboolean       kq_article_view_get_rendering    (KqArticleView  *self);

void           kq_article_view_set_text_scale   (KqArticleView  *self,
                                                 double          scale);
double         kq_article_view_get_text_scale   (KqArticleView  *self);

void           kq_article_view_set_uri_launcher (KqArticleView  *self,
                                                 KqUriLauncher   launcher,
                                                 gpointer        user_data,
                                                 GDestroyNotify  destroy);
/* Opens @uri with the launcher if it is an http(s) URL; returns FALSE, and
 * launches nothing, for anything else (javascript:, file:, data:…). */
gboolean       kq_article_view_open_uri         (KqArticleView  *self,
                                                 const char     *uri);

/* "load-images" (bound to the GSettings key): FALSE shows the images' alt
 * text and fetches nothing. */
void           kq_article_view_set_load_images  (KqArticleView  *self,
                                                 gboolean        load_images);
gboolean       kq_article_view_get_load_images  (KqArticleView  *self);

/* TRUE if @uri points to an article of the same site as the shown one. */
gboolean       kq_article_view_is_article_link  (KqArticleView  *self,
                                                 const char     *uri);

void           kq_article_view_push_history     (KqArticleView  *self);
void           kq_article_view_clear_history    (KqArticleView  *self);
gboolean       kq_article_view_can_go_back      (KqArticleView  *self);
gboolean       kq_article_view_can_go_forward   (KqArticleView  *self);
gboolean       kq_article_view_go_back          (KqArticleView  *self);
gboolean       kq_article_view_go_forward       (KqArticleView  *self);
/* Scrolls the article a page down; FALSE (nothing done) when at its end. */
gboolean       kq_article_view_scroll_page      (KqArticleView  *self);

G_END_DECLS
