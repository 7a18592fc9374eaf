/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-thumbnail-loader"

#include "config.h"

#include "kq-image-loader.h"
#include "kq-thumbnail-loader.h"

static KqImageLoader *backend;

/**
 * kq_thumbnail_loader_set_backend:
 * @image_loader: (nullable): the app's image loader
 */
void
kq_thumbnail_loader_set_backend (GObject *image_loader)
{
  g_return_if_fail (image_loader == NULL || KQ_IS_IMAGE_LOADER (image_loader));

  g_set_object (&backend, (KqImageLoader *) image_loader);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  pixbuf = kq_image_loader_load_finish (KQ_IMAGE_LOADER (object), result, &error);
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

void
kq_thumbnail_loader_load_async (const char          *url,
                                int                  width,
                                int                  height,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, kq_thumbnail_loader_load_async);

  /* No image loader: no texture, the placeholder stays. */
  if (backend == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  {
    g_autoptr(GdkPixbuf) cached = kq_image_loader_lookup (backend, url, width, height);

    if (cached != NULL)
      {
        g_task_return_pointer (task, gdk_texture_new_for_pixbuf (cached), g_object_unref);
        return;
      }
  }

  kq_image_loader_load_async (backend, url, width, height, cancellable, on_loaded_cb,
                              g_steal_pointer (&task));
}

/**
 * kq_thumbnail_loader_load_finish:
 *
 * Returns: (transfer full) (nullable): the texture, or %NULL without error
 *   when there is nothing to show
 */
GdkTexture *
kq_thumbnail_loader_load_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
