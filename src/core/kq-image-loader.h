/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "kq-http.h"

G_BEGIN_DECLS

#define KQ_IMAGE_LOADER_ERROR (kq_image_loader_error_quark ())

typedef enum {
  KQ_IMAGE_LOADER_ERROR_NOT_IMAGE,   /* the body is not an image gdk-pixbuf knows */
  KQ_IMAGE_LOADER_ERROR_TOO_LARGE,   /* declared pixel count above the cap */
  KQ_IMAGE_LOADER_ERROR_INVALID,     /* an image, but corrupt or truncated */
} KqImageLoaderError;

#define KQ_TYPE_IMAGE_LOADER (kq_image_loader_get_type ())

G_DECLARE_FINAL_TYPE (KqImageLoader, kq_image_loader, KQ, IMAGE_LOADER, GObject)

/*
 * Loads remote images for display: fetch through KqHttp (on the main
 * context), decode with gdk-pixbuf on a worker thread at the size asked
 * for (aspect ratio kept, never enlarged), refusing non-image bodies and
 * images whose header declares more pixels than the cap before any decoder
 * is created.
 *
 * Decode budget: a decode reserves the bytes of pixels it will hold (the
 * image at its full size, as gdk-pixbuf decodes most formats whole before
 * scaling, plus the result) before it starts; those that do not fit in what
 * the running decodes left of the budget wait in line. Every loader shares
 * one budget of KQ_IMAGE_LOADER_DEFAULT_DECODE_BUDGET bytes unless given
 * one of its own.
 *
 * Caches: an in-memory LRU of decoded pixbufs keyed by URL and size, capped
 * in bytes; a disk cache of the original bytes (file name: SHA-256 of the
 * URL) under $XDG_CACHE_HOME/kiosque/images, read and written on worker
 * threads, so that images show offline. Requests for the same URL in flight
 * share one download; requests for the same URL and size share one decode.
 * Cancelling a request ends it with G_IO_ERROR_CANCELLED; the download is
 * cancelled when nobody waits for it any more.
 *
 * Size: @width and @height are the box to fit the image in, in pixels;
 * 0 (or less) leaves that dimension free; both 0 decodes at the natural size.
 */

#define KQ_IMAGE_LOADER_DEFAULT_MEMORY_LIMIT (64 * 1024 * 1024)
#define KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS   (40 * 1000 * 1000)
/* For list thumbnails (shown at about 100 to 200 px): a photo from a
 * 16-megapixel camera still passes, a 6300 × 6300 bomb does not. */
#define KQ_IMAGE_LOADER_THUMBNAIL_MAX_PIXELS (16 * 1000 * 1000)
#define KQ_IMAGE_LOADER_DEFAULT_DECODE_BUDGET (128 * 1024 * 1024)

GQuark         kq_image_loader_error_quark      (void);

/* @http: NULL for a session of its own; @cache_dir: NULL for $XDG_CACHE_HOME/kiosque/images. */
KqImageLoader *kq_image_loader_new              (KqHttp              *http,
                                                 const char          *cache_dir);

/* Offline: the disk cache only (G_IO_ERROR_NETWORK_UNREACHABLE for the rest). */
void           kq_image_loader_set_offline      (KqImageLoader       *self,
                                                 gboolean             offline);
gboolean       kq_image_loader_get_offline      (KqImageLoader       *self);
KqHttp        *kq_image_loader_get_http         (KqImageLoader       *self);
const char    *kq_image_loader_get_cache_dir    (KqImageLoader       *self);

void           kq_image_loader_load_async       (KqImageLoader       *self,
                                                 const char          *url,
                                                 int                  width,
                                                 int                  height,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GdkPixbuf     *kq_image_loader_load_finish      (KqImageLoader       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* The memory cache only, at once: a new reference or NULL. */
GdkPixbuf     *kq_image_loader_lookup           (KqImageLoader       *self,
                                                 const char          *url,
                                                 int                  width,
                                                 int                  height);

void           kq_image_loader_set_memory_limit (KqImageLoader       *self,
                                                 gsize                max_bytes);
gsize          kq_image_loader_get_memory_limit (KqImageLoader       *self);
/* Bytes of pixel data held by the memory cache. */
gsize          kq_image_loader_get_memory_usage (KqImageLoader       *self);
guint          kq_image_loader_get_n_cached     (KqImageLoader       *self);
void           kq_image_loader_clear_memory     (KqImageLoader       *self);

void           kq_image_loader_set_max_pixels   (KqImageLoader       *self,
                                                 guint64              max_pixels);
guint64        kq_image_loader_get_max_pixels   (KqImageLoader       *self);

/* A decode budget of @max_bytes for this loader alone (see above). */
void           kq_image_loader_set_decode_budget (KqImageLoader      *self,
                                                  gsize               max_bytes);
gsize          kq_image_loader_get_decode_budget (KqImageLoader      *self);
/* The most bytes the loader's budget had reserved at once so far. */
gsize          kq_image_loader_get_decode_peak   (KqImageLoader      *self);

/* The disk cache file for @url (it may not exist). */
char          *kq_image_loader_get_cache_path   (KqImageLoader       *self,
                                                 const char          *url);

/* Synchronous decode of @bytes into the box (see above), with the pixel cap;
 * thread-safe. For the loader's workers, tests and benchmarks. */
GdkPixbuf     *kq_image_loader_decode           (GBytes              *bytes,
                                                 int                  width,
                                                 int                  height,
                                                 guint64              max_pixels,
                                                 GError             **error);

G_END_DECLS
