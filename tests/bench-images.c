/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "kq-image-loader.h"
#include "kq-test-png.h"
#include "kq-thumbnail-loader.h"

/*
 * bench-images: peak memory of decoding decompression bombs, 30 PNGs of
 * about 5 KB that declare 6300 x 6300 pixels (119 MB of RGB each once
 * decoded), all asked for at once as a list of 30 rows does:
 *   images.thumbnail-bomb  through the article list's thumbnail loader (176 x 132);
 *   images.article-bomb    through the image loader at an article's width (720 px).
 * The bombs sit in the disk cache (no network). Peak memory is VmHWM (reset
 * through /proc/self/clear_refs before each scenario) over the VmRSS before.
 * Prints figures; asserts nothing.
 */

#define N_IMAGES 30
#define SIDE     6300

static glong
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;

  return strtol (line + strlen (field) + 1, NULL, 10);
}

static void
reset_peak (void)
{
  /* "5" resets VmHWM to the current RSS (Linux 4.0 and later). */
  FILE *file = fopen ("/proc/self/clear_refs", "w");
  gboolean ok = file != NULL && fputs ("5", file) >= 0;

  if (file != NULL && fclose (file) != 0)
    ok = FALSE;
  if (!ok)
    g_printerr ("bench-images: cannot reset VmHWM; the peaks include what came before\n");
}

typedef struct
{
  guint n_done;
  guint n_refused;
} Counts;

static void
count (Counts   *counts,
       gboolean  shown,
       GError   *error)
{
  counts->n_done++;
  if (!shown)
    counts->n_refused++;
  if (error != NULL && counts->n_refused == 1)
    g_print ("# first refusal: %s\n", error->message);
}

static void
on_thumbnail_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = kq_thumbnail_loader_load_finish (result, &error);
  count (user_data, texture != NULL, error);
}

static void
on_image_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = kq_image_loader_load_finish (KQ_IMAGE_LOADER (object), result, &error);
  count (user_data, pixbuf != NULL, error);
}

static void
report (const char *name,
        Counts     *counts,
        glong       rss_before,
        gint64      start)
{
  double ms = (g_get_monotonic_time () - start) / 1000.0;
  glong peak = status_kib ("VmHWM:") - rss_before;

  g_print ("# %s: %u of %u refused, %.0f ms\n", name, counts->n_refused, counts->n_done, ms);
  g_print ("BENCH images.%s %.1f MiB\n", name, peak / 1024.0);
  g_print ("BENCH images.%s-time %.1f ms\n", name, ms);
}

static void
wait_for (Counts *counts)
{
  while (counts->n_done < N_IMAGES)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("kiosque-bench-images-XXXXXX", NULL);
  g_autofree char *cache_dir = g_build_filename (home, "images", NULL);
  g_autoptr(KqImageLoader) loader = NULL;
  g_autoptr(GBytes) bomb = kq_test_png_new_blank (SIDE, SIDE);
  char *urls[N_IMAGES];
  Counts counts;
  glong rss_before;
  gint64 start;

  loader = kq_image_loader_new (NULL, cache_dir);
  g_assert_cmpint (g_mkdir_with_parents (cache_dir, 0700), ==, 0);
  g_print ("# %u PNGs of %" G_GSIZE_FORMAT " bytes declaring %u x %u pixels\n",
           N_IMAGES, g_bytes_get_size (bomb), SIDE, SIDE);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *path = NULL;

      urls[i] = g_strdup_printf ("http://127.0.0.1:9/wp-content/uploads/bombe-%02u.png", i);
      path = kq_image_loader_get_cache_path (loader, urls[i]);
      g_assert_true (g_file_set_contents (path, g_bytes_get_data (bomb, NULL),
                                          g_bytes_get_size (bomb), NULL));
    }

  /* The article list: one thumbnail per row, all bound at once. */
  kq_thumbnail_loader_set_backend (G_OBJECT (loader));
  memset (&counts, 0, sizeof counts);
  reset_peak ();
  rss_before = status_kib ("VmRSS:");
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_IMAGES; i++)
    kq_thumbnail_loader_load_async (urls[i], 176, 132, NULL, on_thumbnail_cb, &counts);
  wait_for (&counts);
  report ("thumbnail-bomb", &counts, rss_before, start);
  kq_thumbnail_loader_set_backend (NULL);

  /* An article with 30 such images. */
  kq_image_loader_set_memory_limit (loader, 0);
  memset (&counts, 0, sizeof counts);
  reset_peak ();
  rss_before = status_kib ("VmRSS:");
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_IMAGES; i++)
    kq_image_loader_load_async (loader, urls[i], 720, 0, NULL, on_image_cb, &counts);
  wait_for (&counts);
  report ("article-bomb", &counts, rss_before, start);

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *path = kq_image_loader_get_cache_path (loader, urls[i]);

      g_unlink (path);
      g_free (urls[i]);
    }
  g_rmdir (cache_dir);
  g_rmdir (home);

  return 0;
}
