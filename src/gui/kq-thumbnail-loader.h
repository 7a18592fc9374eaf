/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * Thumbnails for the article list: a thin GDK layer over the app's image
 * loader (src/core), sharing one texture per thumbnail in a cache of at most
 * KQ_THUMBNAIL_LOADER_MEMORY_LIMIT bytes of pixels. Until a loader is set,
 * every load ends with no texture and the rows keep their placeholder.
 */

#define KQ_THUMBNAIL_LOADER_MEMORY_LIMIT (4 * 1024 * 1024)

void        kq_thumbnail_loader_set_backend  (GObject             *image_loader);
void        kq_thumbnail_loader_clear        (void);
gsize       kq_thumbnail_loader_get_memory_usage (void);
void        kq_thumbnail_loader_load_async   (const char          *url,
                                              int                  width,
                                              int                  height,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GdkTexture *kq_thumbnail_loader_load_finish  (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
