/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-view"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-article-view-private.h"
#include "kq-comment.h"
#include "kq-html.h"

/* The comments section: the count, the button that loads them, the threaded list. */

#define MAX_COMMENT_INDENT 5
/* Shown in steps like the body (kq_block_job_step()): at most this much
 * content and this many comments a frame, the first ones before it. */
#define STEP_COST          48
#define STEP_BUDGET_US     (8 * 1000)
#define STEP_MAX_COMMENTS  8

/* Comments come from the article's own site: a bookmark of another site
 * cannot ask the current source for them. */
gboolean
_kq_article_view_source_matches (KqArticleView *self)
{
  return self->article != NULL && self->library != NULL &&
         kq_library_is_from_source (self->library, self->article);
}

static void
stop_showing (KqArticleView *self)
{
  if (self->comments_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->comments_tick_id);
      self->comments_tick_id = 0;
    }
  g_clear_pointer (&self->comments_job, kq_block_job_free);
  g_clear_pointer (&self->comments, g_ptr_array_unref);
  self->comments_next = 0;
}

void
_kq_article_view_clear_comments (KqArticleView *self)
{
  GtkWidget *child;

  stop_showing (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->comments_list))) != NULL)
    gtk_box_remove (self->comments_list, child);
}

guint
_kq_article_view_get_n_comments_shown (KqArticleView *self,
                                       gboolean      *more)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->comments_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  if (more != NULL)
    *more = self->comments != NULL;

  return n;
}

void
_kq_article_view_update_comments (KqArticleView *self)
{
  guint count = kq_article_get_comment_count (self->article);
  gboolean open = kq_article_get_comments_open (self->article);
  g_autofree char *label = _kq_article_view_format_comment_count (count);
  const char *status = NULL;

  self->comments_loaded = FALSE;
  _kq_article_view_clear_comments (self);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_title), FALSE);
  gtk_widget_set_visible (self->comments_error_box, FALSE);
  gtk_spinner_stop (self->comments_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_spinner), FALSE);

  gtk_button_set_label (self->comments_button, label);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_button), count > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->comments_button), TRUE);

  if (!open)
    status = _("Comments are closed");
  else if (count == 0)
    status = _("No comments yet");
  _kq_article_view_set_label (self->comments_status_label, status);
}

/* The box of one comment, its author and date; its content comes in steps. */
static GtkWidget *
start_comment (KqArticleView *self,
               KqComment     *comment)
{
  guint depth = kq_comment_get_depth (comment);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  const char *author = kq_comment_get_author (comment);
  g_autofree char *date = _kq_article_view_format_date (kq_comment_get_date (comment));
  KqHtmlDocument *document = kq_comment_get_document (comment);
  g_autoptr(KqHtmlDocument) parsed = NULL;
  GtkWidget *label;

  gtk_widget_add_css_class (box, "kq-comment");
  if (depth > 0)
    gtk_widget_add_css_class (box, "kq-reply");
  gtk_widget_set_margin_start (box, MIN (depth, MAX_COMMENT_INDENT) * 24);

  label = gtk_label_new (author != NULL && *author != '\0' ? author : _("Anonymous"));
  gtk_label_set_xalign (GTK_LABEL (label), 0.f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "kq-comment-author");
  gtk_box_append (GTK_BOX (header), label);

  label = gtk_label_new (date);
  gtk_label_set_xalign (GTK_LABEL (label), 0.f);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "kq-comment-date");
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (self->comments_list, box);

  /* Parsed with its page on a worker thread; a comment made otherwise is
   * parsed here (small: only the site's comments are long). */
  if (document == NULL)
    {
      KqHtmlOptions opts;

      _kq_article_view_html_options (self, &opts);
      document = parsed = kq_html_parse (kq_comment_get_content_html (comment), -1,
                                         kq_article_get_link (self->article), &opts);
    }
  self->comments_job = kq_block_renderer_start (_kq_article_view_ensure_renderer (self),
                                                GTK_BOX (box),
                                                kq_html_document_get_blocks (document));
  kq_block_job_set_defer_images (self->comments_job, TRUE);

  return box;
}

/* Shows the next comments, a frame's worth; FALSE once all are there. */
static gboolean
show_more_comments (KqArticleView *self)
{
  gint64 deadline = g_get_monotonic_time () + STEP_BUDGET_US;
  guint started = 0;

  while (g_get_monotonic_time () < deadline)
    {
      if (self->comments_job == NULL)
        {
          if (self->comments_next >= self->comments->len || started == STEP_MAX_COMMENTS)
            break;
          start_comment (self, g_ptr_array_index (self->comments, self->comments_next++));
          started++;
        }
      if (!kq_block_job_step (self->comments_job, deadline, STEP_COST))
        {
          g_autoptr(GPtrArray) images = kq_block_job_take_deferred (self->comments_job);

          _kq_article_view_add_deferred_images (self, images);
          g_clear_pointer (&self->comments_job, kq_block_job_free);
        }
      else
        {
          g_autoptr(GPtrArray) images = kq_block_job_take_deferred (self->comments_job);

          _kq_article_view_add_deferred_images (self, images);
          break;
        }
    }

  if (self->comments_job != NULL || self->comments_next < self->comments->len)
    return TRUE;

  stop_showing (self);
  return FALSE;
}

static gboolean
comments_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (widget);
  guint id = self->comments_tick_id;

  /* Finishing removes the callback: not this one, which ends by itself. */
  self->comments_tick_id = 0;
  if (!show_more_comments (self))
    return G_SOURCE_REMOVE;

  self->comments_tick_id = id;
  return G_SOURCE_CONTINUE;
}

/* The first comments at once, the others a frame's worth at a time: a
 * thousand comments, or a hostile one, never hold the main loop. */
static void
show_comments (KqArticleView *self,
               GPtrArray     *comments)
{
  g_autofree char *title = _kq_article_view_format_comment_count (comments->len);

  _kq_article_view_clear_comments (self);

  gtk_label_set_text (self->comments_title, title);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_title), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_list), comments->len > 0);
  if (comments->len == 0 && kq_article_get_comments_open (self->article))
    _kq_article_view_set_label (self->comments_status_label, _("No comments yet"));

  self->comments = g_ptr_array_ref (comments);
  self->comments_next = 0;
  if (show_more_comments (self))
    self->comments_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), comments_tick_cb,
                                                           NULL, NULL);
}

static void
on_comments_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(KqArticleView) self = user_data;
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GError) error = NULL;

  comments = kq_library_list_comments_finish (KQ_LIBRARY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->comments_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_spinner), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->comments_button), TRUE);

  if (comments == NULL)
    {
      g_debug ("Comments: %s", error->message);
      gtk_label_set_text (self->comments_error_label, error->message);
      gtk_widget_set_visible (self->comments_error_box, TRUE);
      return;
    }

  self->comments_loaded = TRUE;
  show_comments (self, comments);
}

void
_kq_article_view_load_comments_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (widget);

  if (!_kq_article_view_source_matches (self))
    return;

  gtk_widget_set_visible (self->comments_error_box, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->comments_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_spinner), TRUE);
  gtk_spinner_start (self->comments_spinner);

  kq_library_list_comments_async (self->library, self->article, self->cancellable,
                                  on_comments_loaded_cb, g_object_ref (self));
}
