/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-thumbnail-loader"

#include "config.h"

#include "kq-image-loader.h"
#include "kq-thumbnail-loader.h"

/*
 * One texture per thumbnail and size, shared by every row that shows it and
 * kept in a small LRU (KQ_THUMBNAIL_LOADER_MEMORY_LIMIT bytes of pixels). A
 * texture made with gdk_texture_new_for_pixbuf () wraps the pixbuf's pixels,
 * so the decoded pixbuf is not kept a second time: the fetcher is an image
 * loader of its own (same HTTP session and disk cache as the app's) whose
 * memory cache is off, with a lower pixel cap (KQ_IMAGE_LOADER_THUMBNAIL_MAX_PIXELS)
 * and the same decode budget. Rows drop their texture when unbound and ask
 * again when bound, from this cache at once when it still holds it.
 */

typedef struct
{
  char       *key;
  GdkTexture *texture;
  gsize       bytes;
} Entry;

static KqImageLoader *backend;
static KqImageLoader *fetcher;
static GHashTable    *textures;   /* key → GList link in lru */
static GQueue         lru = G_QUEUE_INIT;   /* Entry, most recent first */
static gsize          memory_usage;

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_object_unref (entry->texture);
  g_free (entry);
}

static void
evict_to (gsize limit)
{
  while (memory_usage > limit && lru.tail != NULL)
    {
      Entry *entry = g_queue_pop_tail (&lru);

      g_hash_table_remove (textures, entry->key);
      memory_usage -= entry->bytes;
      entry_free (entry);
    }
}

static char *
make_key (const char *url,
          int         width,
          int         height)
{
  return g_strdup_printf ("%dx%d %s", width, height, url);
}

static GdkTexture *
lookup (const char *key)
{
  GList *link = textures ? g_hash_table_lookup (textures, key) : NULL;

  if (link == NULL)
    return NULL;

  g_queue_unlink (&lru, link);
  g_queue_push_head_link (&lru, link);

  return g_object_ref (((Entry *) link->data)->texture);
}

static void
insert (const char *key,
        GdkPixbuf  *pixbuf,
        GdkTexture *texture)
{
  gsize bytes = gdk_pixbuf_get_byte_length (pixbuf);
  Entry *entry;

  if (bytes > KQ_THUMBNAIL_LOADER_MEMORY_LIMIT || g_hash_table_contains (textures, key))
    return;

  evict_to (KQ_THUMBNAIL_LOADER_MEMORY_LIMIT - bytes);
  entry = g_new0 (Entry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  entry->bytes = bytes;
  g_queue_push_head (&lru, entry);
  g_hash_table_insert (textures, entry->key, lru.head);
  memory_usage += bytes;
}

/**
 * kq_thumbnail_loader_set_backend:
 * @image_loader: (nullable): the app's image loader
 */
void
kq_thumbnail_loader_set_backend (GObject *image_loader)
{
  g_return_if_fail (image_loader == NULL || KQ_IS_IMAGE_LOADER (image_loader));

  if ((GObject *) backend == image_loader)
    return;

  g_set_object (&backend, (KqImageLoader *) image_loader);
  g_clear_object (&fetcher);
  kq_thumbnail_loader_clear ();
  if (backend == NULL)
    return;

  fetcher = kq_image_loader_new (kq_image_loader_get_http (backend),
                                 kq_image_loader_get_cache_dir (backend));
  /* The textures below are the only copy of the pixels. */
  kq_image_loader_set_memory_limit (fetcher, 0);
  /* Shown at 88 × 66 (or twice that): a larger source is not worth its
   * decode, and a bomb declaring just under the article cap is refused by
   * its header. */
  kq_image_loader_set_max_pixels (fetcher, KQ_IMAGE_LOADER_THUMBNAIL_MAX_PIXELS);
  if (textures == NULL)
    textures = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * kq_thumbnail_loader_clear:
 *
 * Lets go of every cached texture (rows still showing one keep it).
 */
void
kq_thumbnail_loader_clear (void)
{
  evict_to (0);
}

gsize
kq_thumbnail_loader_get_memory_usage (void)
{
  return memory_usage;
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  const char *key = g_task_get_task_data (task);
  GError *error = NULL;

  pixbuf = kq_image_loader_load_finish (KQ_IMAGE_LOADER (object), result, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Another row may have asked for the same one meanwhile. */
  if ((GObject *) object == (GObject *) fetcher)
    texture = lookup (key);
  if (texture == NULL)
    {
      texture = gdk_texture_new_for_pixbuf (pixbuf);
      if ((GObject *) object == (GObject *) fetcher)
        insert (key, pixbuf, texture);
    }

  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
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
  g_autoptr(GdkTexture) cached = NULL;
  char *key;

  g_return_if_fail (url != NULL);

  g_task_set_source_tag (task, kq_thumbnail_loader_load_async);

  /* No image loader: no texture, the placeholder stays. */
  if (fetcher == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  key = make_key (url, width, height);
  g_task_set_task_data (task, key, g_free);
  cached = lookup (key);
  if (cached != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&cached), g_object_unref);
      return;
    }

  /* Offline as the app's loader is (it changes with the network). */
  kq_image_loader_set_offline (fetcher, kq_image_loader_get_offline (backend));
  kq_image_loader_load_async (fetcher, url, width, height, cancellable, on_loaded_cb,
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
