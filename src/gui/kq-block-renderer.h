/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kq-html.h"
#include "kq-image-loader.h"

G_BEGIN_DECLS

#define KQ_TYPE_BLOCK_RENDERER (kq_block_renderer_get_type ())

G_DECLARE_FINAL_TYPE (KqBlockRenderer, kq_block_renderer, KQ, BLOCK_RENDERER, GObject)

/* A body rendered in steps (kq_block_renderer_start()). */
typedef struct _KqBlockJob KqBlockJob;

/* Images one document may fetch at most (issue 12: a hostile body naming
 * thousands of images must not make thousands of requests). */
#define KQ_BLOCK_RENDERER_DEFAULT_MAX_IMAGES 200

/*
 * Turns a block document (kq-html.h) into GTK widgets: wrapping, selectable
 * labels with Pango markup for text, KqImage for images, cards for embeds
 * and media, GtkGrid for tables, GtkFlowBox for galleries.
 *
 * Links are not opened here: a link in a label, an image wrapped in a link
 * and a card's "Open" button activate the action "article.open-link"
 * (parameter "s": the URL) of their ancestors, which KqArticleView
 * provides. Everything uses CSS classes (kq-paragraph, kq-heading and
 * title-1…4, kq-quote, kq-pullquote, kq-citation, kq-list, kq-bullet,
 * kq-figure, kq-caption, kq-gallery, kq-embed, kq-table, kq-code) styled in
 * style.css with libadwaita's colours; font sizes are relative (em) so that
 * the view's text scale applies to all of them.
 */

KqBlockRenderer *kq_block_renderer_new               (KqImageLoader   *loader);

void             kq_block_renderer_set_display_width (KqBlockRenderer *self,
                                                      guint            width);
guint            kq_block_renderer_get_display_width (KqBlockRenderer *self);
/* FALSE: images are rendered blocked (their alt text, nothing fetched) and
 * embeds without thumbnails. Applies to what is rendered next. Default TRUE. */
void             kq_block_renderer_set_load_images   (KqBlockRenderer *self,
                                                      gboolean         load_images);
gboolean         kq_block_renderer_get_load_images   (KqBlockRenderer *self);
/* Images and embed thumbnails one document fetches at most; the next ones
 * show their placeholder (cards their icon). Default
 * KQ_BLOCK_RENDERER_DEFAULT_MAX_IMAGES. */
void             kq_block_renderer_set_max_images    (KqBlockRenderer *self,
                                                      guint            max_images);
guint            kq_block_renderer_get_max_images    (KqBlockRenderer *self);

/* A new vertical GtkBox (class kq-article-body) holding the document. */
GtkWidget       *kq_block_renderer_render            (KqBlockRenderer *self,
                                                      KqHtmlDocument  *document);
/* An empty body box (class kq-article-body), for rendering in steps. */
GtkWidget       *kq_block_renderer_new_body          (void);
/* Rendering in steps: a job appends the widgets for @blocks (KqBlock) to
 * @box a few at a time, however the blocks nest (a list of 20,000 items
 * too), so that a big body never holds the main loop. */
KqBlockJob      *kq_block_renderer_start             (KqBlockRenderer *self,
                                                      GtkBox          *box,
                                                      GPtrArray       *blocks);
void             kq_block_job_set_defer_images       (KqBlockJob      *job,
                                                      gboolean         defer);
gboolean         kq_block_job_step                   (KqBlockJob      *job,
                                                      gint64           deadline,
                                                      guint            max_cost);
GPtrArray       *kq_block_job_take_deferred          (KqBlockJob      *job);
void             kq_block_job_free                   (KqBlockJob      *job);
/* Appends widgets for @blocks (KqBlock) to @box, all at once. */
void             kq_block_renderer_render_blocks     (KqBlockRenderer *self,
                                                      GtkBox          *box,
                                                      GPtrArray       *blocks);

/* A wrapping, selectable label for @markup whose links go to
 * "article.open-link"; falls back to plain text if the markup is invalid. */
GtkWidget       *kq_block_renderer_make_label        (const char      *markup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqBlockJob, kq_block_job_free)

G_END_DECLS
