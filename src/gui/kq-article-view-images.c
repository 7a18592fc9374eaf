/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-view"

#include "config.h"

#include "kq-article-view-private.h"

/*
 * The body's images load as they come near what the reader sees (issue 12:
 * a hostile body naming thousands of images made thousands of requests the
 * moment it was opened). The renderer makes them deferred (kq-image.h: they
 * show at once only if the memory cache has them) and bounds how many one
 * article may fetch; the view lets those within a screen's height above or
 * below the visible part load, checked at the next frame whenever the
 * scroll position or the body's height changes.
 */

/* How far from the visible part an image starts loading, in page heights. */
#define NEAR_PAGES 1.0

static gboolean
is_near (KqArticleView *self,
         GtkWidget     *image,
         double         top,
         double         bottom)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (image, self->clamp, &bounds))
    return FALSE;

  return bounds.origin.y + bounds.size.height >= top && bounds.origin.y <= bottom;
}

/* Lets the images near the visible part load. TRUE while some are not
 * laid out yet (so that it is worth looking again at the next frame). */
static gboolean
release_near_images (KqArticleView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  gboolean unallocated = FALSE;
  double top, bottom;

  if (page <= 0)
    page = gtk_widget_get_height (GTK_WIDGET (self->scrolled_window));
  top = value - NEAR_PAGES * page;
  bottom = value + (1 + NEAR_PAGES) * page;

  for (guint i = 0; i < self->deferred_images->len;)
    {
      GtkWidget *image = g_ptr_array_index (self->deferred_images, i);

      /* Not laid out yet: where it is shown is not known. */
      if (!gtk_widget_get_mapped (image) || gtk_widget_get_width (image) <= 0)
        {
          unallocated = TRUE;
          i++;
        }
      else if (is_near (self, image, top, bottom))
        {
          kq_image_set_deferred (KQ_IMAGE (image), FALSE);
          g_ptr_array_remove_index (self->deferred_images, i);
        }
      else
        {
          i++;
        }
    }

  return unallocated;
}

static gboolean
images_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  KqArticleView *self = user_data;

  /* Hidden: looked at again once shown ("map"), not at every frame meanwhile. */
  if (gtk_widget_get_mapped (widget) && self->deferred_images->len > 0 &&
      release_near_images (self))
    return G_SOURCE_CONTINUE;

  self->images_tick_id = 0;
  return G_SOURCE_REMOVE;
}

/* At the next frame, once laid out: which deferred images may load. */
static void
queue_check (KqArticleView *self)
{
  if (self->images_tick_id != 0 || self->deferred_images == NULL ||
      self->deferred_images->len == 0)
    return;

  self->images_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->scrolled_window),
                                                       images_tick_cb, self, NULL);
}

void
_kq_article_view_add_deferred_images (KqArticleView *self,
                                      GPtrArray     *images)
{
  if (images->len == 0)
    return;

  g_ptr_array_extend_and_steal (self->deferred_images, g_ptr_array_ref (images));
  queue_check (self);
}

void
_kq_article_view_clear_images (KqArticleView *self)
{
  if (self->images_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->scrolled_window), self->images_tick_id);
      self->images_tick_id = 0;
    }
  if (self->deferred_images != NULL)
    g_ptr_array_set_size (self->deferred_images, 0);
}

void
_kq_article_view_init_images (KqArticleView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

  self->deferred_images = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (queue_check), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed",
                           G_CALLBACK (queue_check), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scrolled_window, "map",
                           G_CALLBACK (queue_check), self, G_CONNECT_SWAPPED);
}

void
_kq_article_view_dispose_images (KqArticleView *self)
{
  _kq_article_view_clear_images (self);
  g_clear_pointer (&self->deferred_images, g_ptr_array_unref);
}
