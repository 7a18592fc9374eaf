/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-view"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-article-view-private.h"
#include "kq-comment.h"
#include "kq-html.h"

/* The comments section: the count, the button that loads them, the threaded list. */

#define MAX_COMMENT_INDENT 5

/* Comments come from the article's own site: a bookmark of another site
 * cannot ask the current source for them. */
gboolean
_kq_article_view_source_matches (KqArticleView *self)
{
  return self->article != NULL && self->library != NULL &&
         kq_library_is_from_source (self->library, self->article);
}

void
_kq_article_view_clear_comments (KqArticleView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->comments_list))) != NULL)
    gtk_box_remove (self->comments_list, child);
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

static void
show_comments (KqArticleView *self,
               GPtrArray     *comments)
{
  const char *base = kq_article_get_link (self->article);
  g_autofree char *title = _kq_article_view_format_comment_count (comments->len);

  _kq_article_view_clear_comments (self);

  for (guint i = 0; i < comments->len; i++)
    {
      KqComment *comment = g_ptr_array_index (comments, i);
      guint depth = kq_comment_get_depth (comment);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      const char *author = kq_comment_get_author (comment);
      g_autofree char *date = _kq_article_view_format_date (kq_comment_get_date (comment));
      g_autoptr(KqHtmlDocument) document = NULL;
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

      document = kq_html_parse (kq_comment_get_content_html (comment), -1, base, NULL);
      kq_block_renderer_render_blocks (_kq_article_view_ensure_renderer (self), GTK_BOX (box),
                                       kq_html_document_get_blocks (document));

      gtk_box_append (self->comments_list, box);
    }

  gtk_label_set_text (self->comments_title, title);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_title), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->comments_list), comments->len > 0);
  if (comments->len == 0 && kq_article_get_comments_open (self->article))
    _kq_article_view_set_label (self->comments_status_label, _("No comments yet"));
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
