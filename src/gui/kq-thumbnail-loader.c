/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-thumbnail-loader"

#include "config.h"

#include "kq-thumbnail-loader.h"

static GObject *backend;

/**
 * kq_thumbnail_loader_set_backend:
 * @image_loader: (nullable): the app's image loader
 */
void
kq_thumbnail_loader_set_backend (GObject *image_loader)
{
  g_set_object (&backend, image_loader);
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

  /* No image loader yet: no texture, the placeholder stays. */
  g_task_return_pointer (task, NULL, NULL);
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
