/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-image-loader"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "kq-image-loader.h"
#include "kq-image-loader-private.h"

/*
 * Work in flight, all on the main context of the thread that created the
 * loader:
 *   Fetch  one per URL: the original bytes, from the disk cache or KqHttp;
 *   Load   one per URL and size: a decode on a worker thread, once the
 *          decode budget has room for it;
 *   waiter one GTask per caller, in its Load's list.
 * A waiter whose cancellable fires is answered at once; a Fetch nobody waits
 * for any more is cancelled and forgotten.
 */

typedef struct _Fetch Fetch;

typedef struct
{
  Fetch              *fetch;
  char               *key;
  int                 width;
  int                 height;
  gboolean            decoding;
  KqImageReservation *reservation;   /* of the decode budget: waiting or decoding */
  GPtrArray          *waiters;       /* GTask */
} Load;

struct _Fetch
{
  grefcount      ref_count;
  KqImageLoader *self;         /* unowned; the tasks keep it alive */
  char          *url;
  GBytes        *bytes;        /* once fetched */
  gboolean       from_network;
  gboolean       written;
  gboolean       orphaned;     /* no longer in self->fetches */
  GCancellable  *cancellable;
  GPtrArray     *loads;        /* Load */
};

typedef struct
{
  Load    *load;               /* unowned; the load lives while it has waiters */
  GSource *cancel_source;
} Waiter;

typedef struct
{
  char      *key;
  GdkPixbuf *pixbuf;
  gsize      bytes;
} CacheEntry;

struct _KqImageLoader
{
  GObject       parent_instance;

  KqHttp       *http;
  char         *cache_dir;
  GMainContext *context;

  GHashTable   *fetches;       /* url → Fetch */
  GHashTable   *memory;        /* key → GList link in lru */
  GQueue        lru;           /* CacheEntry, most recent first */
  gsize         memory_usage;
  gsize         memory_limit;
  guint64       max_pixels;
  KqImageBudget *budget;       /* shared by default */
  gboolean      offline;       /* the disk cache only */
};

G_DEFINE_FINAL_TYPE (KqImageLoader, kq_image_loader, G_TYPE_OBJECT)

G_DEFINE_QUARK (kq-image-loader-error-quark, kq_image_loader_error)

/* Sniffing and decoding (any thread) */

static const char *
sniff_format (const guint8 *data,
              gsize         len)
{
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "jpeg";
  if (len >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "webp";
  if (len >= 14 && data[0] == 'B' && data[1] == 'M')
    return "bmp";

  /* SVG: XML whose root is <svg>, never an HTML page. */
  {
    gsize n = MIN (len, 4096);
    g_autofree char *head = g_ascii_strdown ((const char *) data, n);
    const char *p = head;

    while (p < head + n && g_ascii_isspace (*p))
      p++;
    if (*p == '<' && strstr (head, "<svg") != NULL && strstr (head, "<html") == NULL)
      return "svg";
  }

  return NULL;
}

static gboolean
has_bytes (const guint8 *haystack,
           gsize         len,
           const char   *needle,
           gsize         needle_len)
{
  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (haystack + i, needle, needle_len) == 0)
      return TRUE;

  return FALSE;
}

/* A truncated file decodes into a partly blank image without any error:
 * check that the format's end marker is there. */
static gboolean
looks_complete (const char   *format,
                const guint8 *data,
                gsize         len)
{
  if (g_str_equal (format, "png"))
    {
      gsize tail = MIN (len, 64);

      return has_bytes (data + len - tail, tail, "IEND", 4);
    }
  if (g_str_equal (format, "jpeg"))
    {
      gsize tail = MIN (len, 4096);

      return has_bytes (data + len - tail, tail, "\xff\xd9", 2);
    }
  if (g_str_equal (format, "gif"))
    {
      gsize tail = MIN (len, 16);

      return memchr (data + len - tail, 0x3b, tail) != NULL;
    }

  return TRUE;
}

static void
fit_size (int  width,
          int  height,
          int  box_width,
          int  box_height,
          int *out_width,
          int *out_height)
{
  double scale = 1.0;

  if (box_width > 0 && width > box_width)
    scale = MIN (scale, (double) box_width / width);
  if (box_height > 0 && height > box_height)
    scale = MIN (scale, (double) box_height / height);

  *out_width = MAX (1, (int) round (width * scale));
  *out_height = MAX (1, (int) round (height * scale));
}

/* What the header says, without decoding: TRUE when it declares more than
 * @max_pixels. @width and @height (optional) get the size, 0 when unknown. */
static gboolean
too_large_by_header (const guint8 *data,
                     gsize         len,
                     guint64       max_pixels,
                     guint32      *width,
                     guint32      *height)
{
  guint32 w = 0, h = 0;

  if (!_kq_image_header_read_size (data, len, &w, &h))
    w = h = 0;
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;

  return (guint64) w * (guint64) h > max_pixels;
}

/* Below this, an image whose size is not in its header (SVG) is drawn at
 * its natural size, capped by max_pixels in on_size_prepared_cb(). */
#define UNKNOWN_SIZE_COST (4 * 1024 * 1024)

/* The bytes of pixels a decode holds at most: gdk-pixbuf decodes the whole
 * image (4 bytes a pixel at most), then scales it into the box. (JPEG is
 * decoded at a smaller scale: counted whole anyway.) */
static gsize
decode_cost (guint32 width,
             guint32 height,
             int     box_width,
             int     box_height)
{
  int out_width, out_height;

  if (width == 0 || height == 0)
    return MAX ((gsize) box_width * (gsize) box_height * 4, UNKNOWN_SIZE_COST);

  fit_size (MIN (width, G_MAXINT), MIN (height, G_MAXINT), box_width, box_height,
            &out_width, &out_height);

  return ((gsize) width * height + (gsize) out_width * out_height) * 4;
}

typedef struct
{
  int      box_width;
  int      box_height;
  guint64  max_pixels;
  gboolean too_large;
} DecodeState;

static void
on_size_prepared_cb (GdkPixbufLoader *loader,
                     int              width,
                     int              height,
                     gpointer         user_data)
{
  DecodeState *state = user_data;
  int scaled_width, scaled_height;

  /* Before any pixel buffer exists: a size of 0 makes the loader give up. */
  if (width <= 0 || height <= 0 || (guint64) width * (guint64) height > state->max_pixels)
    {
      state->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  fit_size (width, height, state->box_width, state->box_height, &scaled_width, &scaled_height);
  if (scaled_width != width || scaled_height != height)
    gdk_pixbuf_loader_set_size (loader, scaled_width, scaled_height);
}

GdkPixbuf *
kq_image_loader_decode (GBytes   *bytes,
                        int       width,
                        int       height,
                        guint64   max_pixels,
                        GError  **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  DecodeState state = { MAX (width, 0), MAX (height, 0), max_pixels, FALSE };
  const guint8 *data;
  const char *format;
  GdkPixbuf *pixbuf;
  gsize len;
  gboolean ok;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  format = data != NULL ? sniff_format (data, len) : NULL;
  if (format == NULL)
    {
      g_set_error_literal (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_NOT_IMAGE,
                           _("The address does not point to an image"));
      return NULL;
    }

  if (too_large_by_header (data, len, max_pixels, NULL, NULL))
    {
      g_set_error_literal (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE,
                           _("The image is too large to be shown"));
      return NULL;
    }

  loader = gdk_pixbuf_loader_new_with_type (format, &local_error);
  if (loader == NULL)
    {
      g_debug ("No loader for %s: %s", format, local_error->message);
      g_set_error_literal (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_NOT_IMAGE,
                           _("This image format is not supported"));
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared_cb), &state);

  ok = gdk_pixbuf_loader_write_bytes (loader, bytes, &local_error);
  /* Always close, even after an error, or the loader complains when freed. */
  if (ok)
    ok = gdk_pixbuf_loader_close (loader, &local_error);
  else
    gdk_pixbuf_loader_close (loader, NULL);

  if (state.too_large)
    {
      g_set_error_literal (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE,
                           _("The image is too large to be shown"));
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (!ok || pixbuf == NULL || !looks_complete (format, data, len))
    {
      g_debug ("Decoding failed: %s", local_error ? local_error->message : "no image");
      g_set_error_literal (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_INVALID,
                           _("The image is damaged or incomplete"));
      return NULL;
    }

  /* A loader that did not ask before allocating: still refuse the result. */
  if ((guint64) gdk_pixbuf_get_width (pixbuf) * (guint64) gdk_pixbuf_get_height (pixbuf) > max_pixels)
    {
      g_set_error_literal (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE,
                           _("The image is too large to be shown"));
      return NULL;
    }

  return g_object_ref (pixbuf);
}

/* Memory cache (main context) */

static char *
make_key (const char *url,
          int         width,
          int         height)
{
  return g_strdup_printf ("%dx%d %s", MAX (width, 0), MAX (height, 0), url);
}

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->key);
  g_object_unref (entry->pixbuf);
  g_free (entry);
}

static void
evict_to (KqImageLoader *self,
          gsize          limit)
{
  while (self->memory_usage > limit && self->lru.tail != NULL)
    {
      CacheEntry *entry = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->memory, entry->key);
      self->memory_usage -= entry->bytes;
      cache_entry_free (entry);
    }
}

static GdkPixbuf *
cache_lookup (KqImageLoader *self,
              const char    *key)
{
  GList *link = g_hash_table_lookup (self->memory, key);
  CacheEntry *entry;

  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  entry = link->data;

  return g_object_ref (entry->pixbuf);
}

static void
cache_insert (KqImageLoader *self,
              const char    *key,
              GdkPixbuf     *pixbuf)
{
  gsize bytes = gdk_pixbuf_get_byte_length (pixbuf);
  GList *old = g_hash_table_lookup (self->memory, key);
  CacheEntry *entry;

  if (old != NULL)
    {
      entry = old->data;
      g_queue_unlink (&self->lru, old);
      g_hash_table_remove (self->memory, key);
      self->memory_usage -= entry->bytes;
      cache_entry_free (entry);
      g_list_free_1 (old);
    }

  /* Bigger than the whole cache: not kept. */
  if (bytes > self->memory_limit)
    return;

  evict_to (self, self->memory_limit - bytes);

  entry = g_new0 (CacheEntry, 1);
  entry->key = g_strdup (key);
  entry->pixbuf = g_object_ref (pixbuf);
  entry->bytes = bytes;
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->memory, entry->key, self->lru.head);
  self->memory_usage += bytes;
}

/* Fetches and loads (main context) */

static Fetch *
fetch_ref (Fetch *fetch)
{
  g_ref_count_inc (&fetch->ref_count);
  return fetch;
}

static void
fetch_unref (Fetch *fetch)
{
  if (!g_ref_count_dec (&fetch->ref_count))
    return;

  g_assert (fetch->loads->len == 0);
  g_free (fetch->url);
  g_clear_pointer (&fetch->bytes, g_bytes_unref);
  g_clear_object (&fetch->cancellable);
  g_ptr_array_unref (fetch->loads);
  g_free (fetch);
}

/* Takes @fetch out of the table so that new requests start afresh. */
static void
fetch_orphan (Fetch *fetch)
{
  if (fetch->orphaned)
    return;

  fetch->orphaned = TRUE;
  g_hash_table_remove (fetch->self->fetches, fetch->url);
}

static void
load_free (Load *load)
{
  g_assert (load->waiters->len == 0);
  /* Still waiting for the budget: leave the line. */
  g_clear_pointer (&load->reservation, _kq_image_reservation_release);
  g_free (load->key);
  g_ptr_array_unref (load->waiters);
  g_free (load);
}

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_free (waiter);
}

/* Drops @load from its fetch once nobody waits and no decode runs. */
static void
load_maybe_finish (Load *load)
{
  Fetch *fetch = load->fetch;

  if (load->waiters->len > 0 || load->decoding)
    return;

  g_ptr_array_remove (fetch->loads, load);
  load_free (load);

  if (fetch->loads->len == 0)
    {
      /* Still downloading for nobody: stop. */
      if (fetch->bytes == NULL)
        g_cancellable_cancel (fetch->cancellable);
      fetch_orphan (fetch);
    }
}

static void
return_to_waiters (Load      *load,
                   GdkPixbuf *pixbuf,
                   GError    *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&load->waiters);

  load->waiters = g_ptr_array_new ();

  for (guint i = 0; i < waiters->len; i++)
    {
      g_autoptr(GTask) task = g_ptr_array_index (waiters, i);
      Waiter *waiter = g_task_get_task_data (task);

      waiter->load = NULL;
      if (pixbuf != NULL)
        g_task_return_pointer (task, g_object_ref (pixbuf), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

static void fetch_start_decodes (Fetch *fetch);

static void
fail_fetch (Fetch  *fetch,
            GError *error)
{
  g_autoptr(GPtrArray) loads = g_ptr_array_copy (fetch->loads, NULL, NULL);

  fetch_orphan (fetch);
  for (guint i = 0; i < loads->len; i++)
    {
      Load *load = g_ptr_array_index (loads, i);

      return_to_waiters (load, NULL, error);
      load_maybe_finish (load);
    }
}

static void
write_cache_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  GBytes *bytes = task_data;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  gconstpointer data;
  gsize len;

  data = g_bytes_get_data (bytes, &len);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not write %s: %s", path, error ? error->message : g_strerror (errno));

  g_task_return_boolean (task, TRUE);
}

static void
write_to_disk (Fetch *fetch)
{
  KqImageLoader *self = fetch->self;
  g_autoptr(GTask) task = NULL;

  if (!fetch->from_network || fetch->written)
    return;
  fetch->written = TRUE;

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (task, write_to_disk);
  g_task_set_task_data (task, g_bytes_ref (fetch->bytes), (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (task), "path",
                          kq_image_loader_get_cache_path (self, fetch->url), g_free);
  g_task_run_in_thread (task, write_cache_thread);
}

typedef struct
{
  GBytes *bytes;
  int     width;
  int     height;
  guint64 max_pixels;
} DecodeJob;

static void
decode_job_free (DecodeJob *job)
{
  g_bytes_unref (job->bytes);
  g_free (job);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeJob *job = task_data;
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = kq_image_loader_decode (job->bytes, job->width, job->height, job->max_pixels, &error);
  if (pixbuf != NULL)
    g_task_return_pointer (task, pixbuf, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
on_decoded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  KqImageLoader *self = KQ_IMAGE_LOADER (object);
  Load *load = user_data;
  Fetch *fetch = load->fetch;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  load->decoding = FALSE;
  g_clear_pointer (&load->reservation, _kq_image_reservation_release);

  if (pixbuf != NULL)
    {
      cache_insert (self, load->key, pixbuf);
      /* Only bytes that decode as an image go to the disk cache. */
      write_to_disk (fetch);
    }
  else
    {
      g_debug ("%s: %s", fetch->url, error->message);
    }

  fetch_ref (fetch);
  return_to_waiters (load, pixbuf, error);
  load_maybe_finish (load);
  fetch_unref (fetch);
}

static void
load_run_decode (Load *load)
{
  Fetch *fetch = load->fetch;
  KqImageLoader *self = fetch->self;
  g_autoptr(GTask) task = NULL;
  DecodeJob *job;

  job = g_new0 (DecodeJob, 1);
  job->bytes = g_bytes_ref (fetch->bytes);
  job->width = load->width;
  job->height = load->height;
  job->max_pixels = self->max_pixels;

  load->decoding = TRUE;
  task = g_task_new (self, NULL, on_decoded_cb, load);
  g_task_set_source_tag (task, load_run_decode);
  g_task_set_task_data (task, job, (GDestroyNotify) decode_job_free);
  g_task_run_in_thread (task, decode_thread);
}

static gboolean
on_budget_ready_cb (gpointer user_data)
{
  load_run_decode (user_data);

  return G_SOURCE_REMOVE;
}

/* Refuses a bomb by its header at once; otherwise decodes when the budget
 * has room. */
static void
load_start_decode (Load *load)
{
  Fetch *fetch = load->fetch;
  KqImageLoader *self = fetch->self;
  const guint8 *data;
  guint32 width, height;
  gboolean granted;
  gsize len;

  if (load->decoding || load->reservation != NULL || fetch->bytes == NULL)
    return;

  data = g_bytes_get_data (fetch->bytes, &len);
  if (too_large_by_header (data, len, self->max_pixels, &width, &height))
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE,
                                   _("The image is too large to be shown"));
      g_debug ("%s: %u × %u pixels declared, above %" G_GUINT64_FORMAT, fetch->url,
               width, height, self->max_pixels);
      return_to_waiters (load, NULL, error);
      load_maybe_finish (load);
      return;
    }

  load->reservation = _kq_image_budget_reserve (self->budget,
                                                decode_cost (width, height,
                                                             load->width, load->height),
                                                self->context, on_budget_ready_cb, load,
                                                &granted);
  if (granted)
    load_run_decode (load);
}

static void
fetch_start_decodes (Fetch *fetch)
{
  /* A load refused by its header leaves the array. */
  g_autoptr(GPtrArray) loads = g_ptr_array_copy (fetch->loads, NULL, NULL);

  fetch_ref (fetch);
  for (guint i = 0; i < loads->len; i++)
    load_start_decode (g_ptr_array_index (loads, i));
  fetch_unref (fetch);
}

static void
on_http_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);

  if (fetch->loads->len == 0)
    {
      /* Everybody left; the error (if any) is our own cancellation. */
    }
  else if (response == NULL)
    {
      g_debug ("%s: %s", fetch->url, error->message);
      fail_fetch (fetch, error);
    }
  else if ((content_type = kq_http_response_get_content_type (response)) != NULL &&
           (g_str_has_prefix (content_type, "text/") ||
            g_str_has_prefix (content_type, "application/json") ||
            g_str_has_prefix (content_type, "application/xhtml")))
    {
      g_autoptr(GError) not_image = NULL;

      not_image = g_error_new_literal (KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_NOT_IMAGE,
                                       _("The address does not point to an image"));
      g_debug ("%s: %s is not an image", fetch->url, content_type);
      fail_fetch (fetch, not_image);
    }
  else
    {
      fetch->bytes = g_bytes_ref (kq_http_response_get_body (response));
      fetch->from_network = TRUE;
      fetch_start_decodes (fetch);
    }

  fetch_unref (fetch);
}

static void
read_cache_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  char *contents = NULL;
  gsize len = 0;

  if (g_file_get_contents (path, &contents, &len, NULL))
    g_task_return_pointer (task, g_bytes_new_take (contents, len), (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
on_cache_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KqImageLoader *self = KQ_IMAGE_LOADER (object);
  Fetch *fetch = user_data;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), NULL);

  if (fetch->loads->len == 0)
    {
      /* Everybody left. */
    }
  else if (bytes != NULL)
    {
      g_debug ("%s: from the disk cache", fetch->url);
      fetch->bytes = g_steal_pointer (&bytes);
      fetch_start_decodes (fetch);
    }
  else if (self->offline)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE,
                                                     _("This image was not saved for offline reading"));

      g_debug ("%s: offline and not in the disk cache", fetch->url);
      fail_fetch (fetch, error);
    }
  else
    {
      kq_http_get_async (self->http, fetch->url, KQ_HTTP_FLAGS_NONE, fetch->cancellable,
                         on_http_done_cb, fetch_ref (fetch));
    }

  fetch_unref (fetch);
}

static Fetch *
fetch_new (KqImageLoader *self,
           const char    *url)
{
  Fetch *fetch = g_new0 (Fetch, 1);
  g_autoptr(GTask) task = NULL;

  g_ref_count_init (&fetch->ref_count);
  fetch->self = self;
  fetch->url = g_strdup (url);
  fetch->cancellable = g_cancellable_new ();
  fetch->loads = g_ptr_array_new ();
  /* The table's reference. */
  g_hash_table_insert (self->fetches, fetch->url, fetch);

  task = g_task_new (self, fetch->cancellable, on_cache_read_cb, fetch_ref (fetch));
  g_task_set_source_tag (task, fetch_new);
  g_task_set_task_data (task, kq_image_loader_get_cache_path (self, url), g_free);
  g_task_run_in_thread (task, read_cache_thread);

  return fetch;
}

static gboolean
on_waiter_cancelled_cb (GCancellable *cancellable,
                        gpointer      user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  Load *load = waiter->load;

  if (load == NULL)
    return G_SOURCE_REMOVE;

  waiter->load = NULL;
  /* The array's reference moves here. */
  g_ptr_array_remove_fast (load->waiters, task);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  load_maybe_finish (load);

  return G_SOURCE_REMOVE;
}

/* GObject */

static void
kq_image_loader_finalize (GObject *object)
{
  KqImageLoader *self = KQ_IMAGE_LOADER (object);

  /* Every task keeps the loader alive: nothing can be in flight now. */
  g_assert (g_hash_table_size (self->fetches) == 0);
  g_hash_table_unref (self->fetches);
  g_hash_table_unref (self->memory);
  g_queue_clear_full (&self->lru, (GDestroyNotify) cache_entry_free);
  g_clear_object (&self->http);
  g_clear_pointer (&self->budget, _kq_image_budget_unref);
  g_free (self->cache_dir);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (kq_image_loader_parent_class)->finalize (object);
}

static void
kq_image_loader_class_init (KqImageLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kq_image_loader_finalize;
}

static void
kq_image_loader_init (KqImageLoader *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->fetches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) fetch_unref);
  self->memory = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->lru);
  self->memory_limit = KQ_IMAGE_LOADER_DEFAULT_MEMORY_LIMIT;
  self->max_pixels = KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS;
  self->budget = _kq_image_budget_ref (_kq_image_budget_get_default ());
}

/* Public API */

KqImageLoader *
kq_image_loader_new (KqHttp     *http,
                     const char *cache_dir)
{
  KqImageLoader *self;

  g_return_val_if_fail (http == NULL || KQ_IS_HTTP (http), NULL);

  self = g_object_new (KQ_TYPE_IMAGE_LOADER, NULL);
  self->http = http != NULL ? g_object_ref (http) : kq_http_new ();
  if (cache_dir != NULL)
    self->cache_dir = g_strdup (cache_dir);
  else
    self->cache_dir = g_build_filename (g_get_user_cache_dir (), "kiosque", "images", NULL);

  return self;
}

KqHttp *
kq_image_loader_get_http (KqImageLoader *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), NULL);

  return self->http;
}

const char *
kq_image_loader_get_cache_dir (KqImageLoader *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), NULL);

  return self->cache_dir;
}

char *
kq_image_loader_get_cache_path (KqImageLoader *self,
                                const char    *url)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
  return g_build_filename (self->cache_dir, name, NULL);
}

void
kq_image_loader_load_async (KqImageLoader       *self,
                            const char          *url,
                            int                  width,
                            int                  height,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GdkPixbuf) cached = NULL;
  g_autofree char *key = NULL;
  Waiter *waiter;
  Fetch *fetch;
  Load *load = NULL;

  g_return_if_fail (KQ_IS_IMAGE_LOADER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  width = MAX (width, 0);
  height = MAX (height, 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_image_loader_load_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  key = make_key (url, width, height);
  if ((cached = cache_lookup (self, key)) != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&cached), g_object_unref);
      return;
    }

  fetch = g_hash_table_lookup (self->fetches, url);
  if (fetch == NULL)
    fetch = fetch_new (self, url);

  for (guint i = 0; i < fetch->loads->len && load == NULL; i++)
    {
      Load *candidate = g_ptr_array_index (fetch->loads, i);

      if (g_str_equal (candidate->key, key))
        load = candidate;
    }

  if (load == NULL)
    {
      load = g_new0 (Load, 1);
      load->fetch = fetch;
      load->key = g_steal_pointer (&key);
      load->width = width;
      load->height = height;
      load->waiters = g_ptr_array_new ();
      g_ptr_array_add (fetch->loads, load);
    }

  waiter = g_new0 (Waiter, 1);
  waiter->load = load;
  g_task_set_task_data (task, waiter, (GDestroyNotify) waiter_free);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (on_waiter_cancelled_cb),
                             task, NULL);
      g_source_set_static_name (waiter->cancel_source, "[kq] image load cancelled");
      g_source_attach (waiter->cancel_source, self->context);
    }
  g_ptr_array_add (load->waiters, g_steal_pointer (&task));

  /* The bytes are already here (another size of the same image). */
  load_start_decode (load);
}

GdkPixbuf *
kq_image_loader_load_finish (KqImageLoader  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GdkPixbuf *
kq_image_loader_lookup (KqImageLoader *self,
                        const char    *url,
                        int            width,
                        int            height)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  key = make_key (url, width, height);
  return cache_lookup (self, key);
}

void
kq_image_loader_set_memory_limit (KqImageLoader *self,
                                  gsize          max_bytes)
{
  g_return_if_fail (KQ_IS_IMAGE_LOADER (self));

  self->memory_limit = max_bytes;
  evict_to (self, max_bytes);
}

gsize
kq_image_loader_get_memory_limit (KqImageLoader *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), 0);

  return self->memory_limit;
}

gsize
kq_image_loader_get_memory_usage (KqImageLoader *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), 0);

  return self->memory_usage;
}

guint
kq_image_loader_get_n_cached (KqImageLoader *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), 0);

  return self->lru.length;
}

void
kq_image_loader_clear_memory (KqImageLoader *self)
{
  g_return_if_fail (KQ_IS_IMAGE_LOADER (self));

  evict_to (self, 0);
}

void
kq_image_loader_set_max_pixels (KqImageLoader *self,
                                guint64        max_pixels)
{
  g_return_if_fail (KQ_IS_IMAGE_LOADER (self));

  self->max_pixels = max_pixels;
}

guint64
kq_image_loader_get_max_pixels (KqImageLoader *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), 0);

  return self->max_pixels;
}

void
kq_image_loader_set_decode_budget (KqImageLoader *self,
                                   gsize          max_bytes)
{
  g_return_if_fail (KQ_IS_IMAGE_LOADER (self));

  /* Decodes waiting or running keep the budget they reserved from. */
  _kq_image_budget_unref (self->budget);
  self->budget = _kq_image_budget_new (max_bytes);
}

gsize
kq_image_loader_get_decode_budget (KqImageLoader *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), 0);

  return _kq_image_budget_get_limit (self->budget);
}

gsize
kq_image_loader_get_decode_peak (KqImageLoader *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), 0);

  return _kq_image_budget_get_peak (self->budget);
}

/**
 * kq_image_loader_set_offline:
 * @offline: read the disk cache only, never the network
 *
 * An image not in the disk cache then fails with G_IO_ERROR_NETWORK_UNREACHABLE.
 */
void
kq_image_loader_set_offline (KqImageLoader *self,
                             gboolean       offline)
{
  g_return_if_fail (KQ_IS_IMAGE_LOADER (self));

  self->offline = !!offline;
}

gboolean
kq_image_loader_get_offline (KqImageLoader *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE_LOADER (self), FALSE);

  return self->offline;
}
