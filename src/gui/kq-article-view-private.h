/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kq-article-view.h"
#include "kq-block-renderer.h"
#include "kq-html.h"
#include "kq-image.h"

G_BEGIN_DECLS

struct _KqArticleView
{
  GtkWidget        parent_instance;

  KqArticle       *article;
  KqLibrary       *library;
  KqImageLoader   *image_loader;
  KqBlockRenderer *renderer;
  GSettings       *settings;
  GtkCssProvider  *scale_provider;
  double           text_scale;
  gboolean         load_images;
  GCancellable    *cancellable;     /* per article: body parse, comments */
  gboolean         comments_loaded;

  KqUriLauncher    launcher;
  gpointer         launcher_data;
  GDestroyNotify   launcher_destroy;

  GtkWidget       *body;
  KqHtmlDocument  *document;        /* being rendered */
  KqBlockJob      *job;             /* its rendering, in steps */
  guint            render_id;       /* an idle while hidden */
  guint            render_tick_id;  /* a step per frame while shown */

  /* Images loaded as they come near (kq-article-view-images.c) */
  GPtrArray       *deferred_images; /* KqImage still deferred, in document order */
  guint            images_tick_id;

  /* History (kq-article-view-history.c) */
  GPtrArray       *history_back;    /* steps, the last one is Back's */
  GPtrArray       *history_forward; /* steps, the last one is Forward's */
  KqArticle       *restore_article; /* whose scroll position is to restore */
  double           restore_scroll;
  guint            restore_tick_id;
  guint            restore_frames;

  /* Template children */
  GtkStack        *stack;
  GtkScrolledWindow *scrolled_window;
  GtkWidget       *clamp;
  GtkWidget       *history_box;
  GtkButton       *back_button;
  GtkButton       *forward_button;
  GtkWidget       *content_box;
  GtkLabel        *category_label;
  GtkLabel        *title_label;
  GtkLabel        *byline_label;
  GtkLabel        *meta_label;
  GtkLabel        *updated_label;
  GtkButton       *bookmark_button;
  KqImage         *featured_image;
  GtkBox          *body_container;
  GtkWidget       *comments_box;
  GtkLabel        *comments_title;
  GtkButton       *comments_button;
  GtkLabel        *comments_status_label;
  GtkSpinner      *comments_spinner;
  GtkWidget       *comments_error_box;
  GtkLabel        *comments_error_label;
  GtkBox          *comments_list;
  GPtrArray       *comments;         /* being shown, in steps: */
  guint            comments_next;    /* the next to start */
  KqBlockJob      *comments_job;     /* the content of the one being shown */
  guint            comments_tick_id;
};

/* kq-article-view.c */
char            *_kq_article_view_format_date          (GDateTime     *date);
char            *_kq_article_view_format_comment_count (guint          count);
/* Shows @text, or hides @label when it is NULL or empty. */
void             _kq_article_view_set_label            (GtkLabel      *label,
                                                        const char    *text);
KqBlockRenderer *_kq_article_view_ensure_renderer      (KqArticleView *self);
/* How bodies and comments are parsed: the library's YouTube posters. */
void             _kq_article_view_html_options         (KqArticleView *self,
                                                        KqHtmlOptions *opts);

/* kq-article-view-comments.c */
gboolean         _kq_article_view_source_matches       (KqArticleView *self);
void             _kq_article_view_clear_comments       (KqArticleView *self);
/* How many comments are shown so far, and whether some are still coming. */
guint            _kq_article_view_get_n_comments_shown (KqArticleView *self,
                                                        gboolean      *more);
/* The comments section of a newly shown article: count and button, no list. */
void             _kq_article_view_update_comments      (KqArticleView *self);
void             _kq_article_view_load_comments_action (GtkWidget     *widget,
                                                        const char    *action_name,
                                                        GVariant      *parameter);

/* kq-article-view-history.c */
void             _kq_article_view_init_history         (KqArticleView *self);
void             _kq_article_view_dispose_history      (KqArticleView *self);
void             _kq_article_view_update_history       (KqArticleView *self);
void             _kq_article_view_history_rendered     (KqArticleView *self);
void             _kq_article_view_history_article_changed (KqArticleView *self);
void             _kq_article_view_history_action       (GtkWidget     *widget,
                                                        const char    *action_name,
                                                        GVariant      *parameter);

/* kq-article-view-images.c */
void             _kq_article_view_init_images          (KqArticleView *self);
void             _kq_article_view_dispose_images       (KqArticleView *self);
/* Deferred images (KqImage) of the body: each loads once near the visible part. */
void             _kq_article_view_add_deferred_images  (KqArticleView *self,
                                                        GPtrArray     *images);
void             _kq_article_view_clear_images         (KqArticleView *self);

/* kq-article-view-links.c */
gboolean         _kq_article_view_default_launcher     (KqArticleView *self,
                                                        const char    *uri,
                                                        gpointer       user_data);

G_END_DECLS
