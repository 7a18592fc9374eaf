/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-view"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-article-view-private.h"

/*
 * The article pane's history, as in a browser: following a link to another
 * article of the site remembers the article left and where it was read
 * (kq_article_view_push_history()); Back (the header's button, Alt+Left, the
 * mouse's back button) returns there, Forward (Alt+Right) undoes it. The
 * view asks its owner to open the article ("open-history-article"), so that
 * the window marks it read and selects its row; then puts the reader back at
 * the scroll position once the body is laid out.
 */

/* Steps kept each way. */
#define MAX_STEPS 50
/* Frames to wait for the body to grow tall enough for the saved position. */
#define MAX_RESTORE_FRAMES 120

typedef struct
{
  KqArticle *article;
  double     scroll;
} HistoryStep;

static void
history_step_free (gpointer data)
{
  HistoryStep *step = data;

  g_clear_object (&step->article);
  g_free (step);
}

static double
current_scroll (KqArticleView *self)
{
  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window));
}

static void
push_step (GPtrArray *steps,
           KqArticle *article,
           double     scroll)
{
  HistoryStep *step = g_new0 (HistoryStep, 1);

  step->article = g_object_ref (article);
  step->scroll = scroll;
  if (steps->len >= MAX_STEPS)
    g_ptr_array_remove_index (steps, 0);
  g_ptr_array_add (steps, step);
}

static gboolean
same_article (KqArticle *a,
              KqArticle *b)
{
  return a != NULL && b != NULL && kq_article_get_id (a) == kq_article_get_id (b) &&
         g_strcmp0 (kq_article_get_source (a), kq_article_get_source (b)) == 0;
}

static void
stop_restore (KqArticleView *self)
{
  if (self->restore_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->scrolled_window), self->restore_tick_id);
      self->restore_tick_id = 0;
    }
}

static void
clear_restore (KqArticleView *self)
{
  stop_restore (self);
  g_clear_object (&self->restore_article);
  self->restore_scroll = 0;
}

void
_kq_article_view_update_history (KqArticleView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean back = kq_article_view_can_go_back (self);
  gboolean forward = kq_article_view_can_go_forward (self);

  gtk_widget_action_set_enabled (widget, "article.go-back", back);
  gtk_widget_action_set_enabled (widget, "article.go-forward", forward);
  gtk_widget_set_visible (GTK_WIDGET (self->history_box), back || forward);
  gtk_widget_set_visible (GTK_WIDGET (self->forward_button), forward);

  if (back)
    {
      HistoryStep *step = g_ptr_array_index (self->history_back, self->history_back->len - 1);
      /* Translators: the tooltip of the Back button, with the previous article's title. */
      g_autofree char *tooltip = g_strdup_printf (_("Back to “%s” (Alt+Left)"),
                                                  kq_article_get_title (step->article));

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->back_button), tooltip);
    }
  if (forward)
    {
      HistoryStep *step = g_ptr_array_index (self->history_forward, self->history_forward->len - 1);
      /* Translators: the tooltip of the Forward button, with the next article's title. */
      g_autofree char *tooltip = g_strdup_printf (_("Forward to “%s” (Alt+Right)"),
                                                  kq_article_get_title (step->article));

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->forward_button), tooltip);
    }
}

static gboolean
restore_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  KqArticleView *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double reachable = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* Images still loading may make the body taller: wait a little for it. */
  if (reachable + 0.5 < self->restore_scroll && ++self->restore_frames < MAX_RESTORE_FRAMES)
    return G_SOURCE_CONTINUE;

  gtk_adjustment_set_value (adjustment, MIN (self->restore_scroll, MAX (reachable, 0)));
  self->restore_tick_id = 0;
  g_clear_object (&self->restore_article);
  return G_SOURCE_REMOVE;
}

/* The body is rendered: back at the position saved, if it was this article's. */
void
_kq_article_view_history_rendered (KqArticleView *self)
{
  if (!same_article (self->restore_article, self->article) ||
      kq_article_get_body_html (self->article) == NULL)
    return;

  stop_restore (self);
  self->restore_frames = 0;
  self->restore_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->scrolled_window),
                                                        restore_tick_cb, self, NULL);
}

/* A new article is shown: a position saved for another one is forgotten. */
void
_kq_article_view_history_article_changed (KqArticleView *self)
{
  if (self->article != NULL && !same_article (self->restore_article, self->article))
    clear_restore (self);
  else
    stop_restore (self);
}

static gboolean
navigate (KqArticleView *self,
          GPtrArray     *from,
          GPtrArray     *to)
{
  g_autoptr(KqArticle) article = NULL;
  HistoryStep *step;
  gboolean handled = FALSE;

  if (from == NULL || from->len == 0)
    return FALSE;

  step = g_ptr_array_steal_index (from, from->len - 1);
  article = g_steal_pointer (&step->article);
  if (self->article != NULL)
    push_step (to, self->article, current_scroll (self));

  clear_restore (self);
  self->restore_article = g_object_ref (article);
  self->restore_scroll = step->scroll;
  history_step_free (step);

  _kq_article_view_update_history (self);
  g_signal_emit_by_name (self, "open-history-article", article, &handled);
  if (!handled)
    kq_article_view_set_article (self, article);

  /* Shown already (its body too): no rendering to wait for. */
  if (self->article != NULL && same_article (self->article, article) &&
      !kq_article_view_get_rendering (self))
    _kq_article_view_history_rendered (self);

  return TRUE;
}

void
_kq_article_view_history_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (widget);

  if (g_str_equal (action_name, "article.go-back"))
    kq_article_view_go_back (self);
  else
    kq_article_view_go_forward (self);
}

static void
on_mouse_button_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    KqArticleView   *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  /* The mouse's side buttons, as browsers use them; any other click is
   * left to whoever wants it. */
  if ((button == 8 && kq_article_view_go_back (self)) ||
      (button == 9 && kq_article_view_go_forward (self)))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  else
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

void
_kq_article_view_init_history (KqArticleView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->history_back = g_ptr_array_new_with_free_func (history_step_free);
  self->history_forward = g_ptr_array_new_with_free_func (history_step_free);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (on_mouse_button_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  _kq_article_view_update_history (self);
}

void
_kq_article_view_dispose_history (KqArticleView *self)
{
  clear_restore (self);
  g_clear_pointer (&self->history_back, g_ptr_array_unref);
  g_clear_pointer (&self->history_forward, g_ptr_array_unref);
}

/* Public API */

/**
 * kq_article_view_push_history:
 *
 * Remembers the article shown and its scroll position as the step Back
 * returns to; what Forward had is forgotten. Call it before showing an
 * article reached from this one (a link followed).
 */
void
kq_article_view_push_history (KqArticleView *self)
{
  g_return_if_fail (KQ_IS_ARTICLE_VIEW (self));

  /* Disposed already, or no article. */
  if (self->history_back == NULL || self->article == NULL)
    return;

  push_step (self->history_back, self->article, current_scroll (self));
  g_ptr_array_set_size (self->history_forward, 0);
  _kq_article_view_update_history (self);
}

/**
 * kq_article_view_clear_history:
 *
 * Forgets every step: the article shown next starts a new history (an
 * article chosen in the list).
 */
void
kq_article_view_clear_history (KqArticleView *self)
{
  g_return_if_fail (KQ_IS_ARTICLE_VIEW (self));

  if (self->history_back == NULL ||
      (self->history_back->len == 0 && self->history_forward->len == 0))
    return;

  g_ptr_array_set_size (self->history_back, 0);
  g_ptr_array_set_size (self->history_forward, 0);
  _kq_article_view_update_history (self);
}

gboolean
kq_article_view_can_go_back (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  return self->history_back != NULL && self->history_back->len > 0;
}

gboolean
kq_article_view_can_go_forward (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  return self->history_forward != NULL && self->history_forward->len > 0;
}

/**
 * kq_article_view_go_back:
 *
 * Returns to the previous article, at the position it was read. Returns
 * FALSE when there is none.
 */
gboolean
kq_article_view_go_back (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  return navigate (self, self->history_back, self->history_forward);
}

gboolean
kq_article_view_go_forward (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  return navigate (self, self->history_forward, self->history_back);
}

/* Reading on with the space bar */

/* Keeps this much of the page read in view, as browsers do. */
#define SCROLL_PAGE_OVERLAP 0.1

gboolean
kq_article_view_scroll_page (KqArticleView *self)
{
  GtkAdjustment *adjustment;
  double value, page, end;

  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  if (self->article == NULL)
    return FALSE;

  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  end = gtk_adjustment_get_upper (adjustment) - page;
  /* At the end (within a pixel: fractional layouts). */
  if (value >= end - 1)
    return FALSE;

  gtk_adjustment_set_value (adjustment, MIN (value + page * (1 - SCROLL_PAGE_OVERLAP), end));
  return TRUE;
}
