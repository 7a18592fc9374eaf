/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "kq-http.h"
#include "kq-image-loader.h"
#include "kq-image-loader-private.h"
#include "kq-test-png.h"
#include "kq-test-server.h"

/* Images of the fixture site (tests/site): 1200×675 PNGs. */
#define IMAGE_A "/wp-content/uploads/2024/12/l-abonnement-game-pass-arrive-aux-etats.png"
#define IMAGE_B "/wp-content/uploads/2024/12/l-abonnement-game-pass-arrive-aux-etats-1024x576.png"
#define IMAGE_C "/wp-content/uploads/2024/12/l-abonnement-game-pass-arrive-aux-etats-768x432.png"

typedef struct
{
  KqTestServer  *server;
  KqHttp        *http;
  KqImageLoader *loader;
  char          *cache_dir;
} Fixture;

static char *
url_for (Fixture    *fixture,
         const char *path)
{
  return g_strconcat (kq_test_server_get_url (fixture->server), path, NULL);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = kq_test_server_new (&error);
  g_assert_no_error (error);
  fixture->http = kq_http_new ();
  fixture->cache_dir = g_build_filename (g_get_user_cache_dir (), "kiosque", "images", NULL);
  fixture->loader = kq_image_loader_new (fixture->http, NULL);
  g_assert_cmpstr (kq_image_loader_get_cache_dir (fixture->loader), ==, fixture->cache_dir);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->loader);
  g_clear_object (&fixture->http);
  g_clear_object (&fixture->server);
  g_free (fixture->cache_dir);
}

/* Loading helpers */

typedef struct
{
  GdkPixbuf *pixbuf;
  GError    *error;
  gboolean   done;
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->pixbuf);
  g_clear_error (&result->error);
  result->done = FALSE;
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  Result *result = user_data;

  result->pixbuf = kq_image_loader_load_finish (KQ_IMAGE_LOADER (object), res, &result->error);
  g_assert_true ((result->pixbuf == NULL) != (result->error == NULL));
  result->done = TRUE;
}

static gboolean
on_timeout_cb (gpointer data)
{
  g_error ("Timed out");
  return G_SOURCE_REMOVE;
}

static void
wait_all (Result *results,
          guint   n)
{
  guint id = g_timeout_add_seconds (10, on_timeout_cb, NULL);

  for (guint i = 0; i < n; i++)
    while (!results[i].done)
      g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
}

static void
load (KqImageLoader *loader,
      const char    *url,
      int            width,
      int            height,
      Result        *result)
{
  result_clear (result);
  kq_image_loader_load_async (loader, url, width, height, NULL, on_loaded_cb, result);
  wait_all (result, 1);
}

static gboolean
wait_for_file (const char *path)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static glong
max_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* Tests */

static void
test_load_and_scale (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, IMAGE_A);
  Result result = { 0 };
  g_autofree char *path = kq_image_loader_get_cache_path (fixture->loader, url);

  /* Natural size. */
  load (fixture->loader, url, 0, 0, &result);
  g_assert_no_error (result.error);
  g_assert_true (wait_for_file (path));
  g_assert_cmpint (gdk_pixbuf_get_width (result.pixbuf), ==, 1200);
  g_assert_cmpint (gdk_pixbuf_get_height (result.pixbuf), ==, 675);

  /* Into a 300 px wide box, aspect ratio kept. */
  load (fixture->loader, url, 300, 0, &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_pixbuf_get_width (result.pixbuf), ==, 300);
  g_assert_cmpint (gdk_pixbuf_get_height (result.pixbuf), ==, 169);

  /* A box limited by its height. */
  load (fixture->loader, url, 1000, 100, &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_pixbuf_get_height (result.pixbuf), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_width (result.pixbuf), ==, 178);

  /* Never enlarged. */
  load (fixture->loader, url, 4000, 0, &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_pixbuf_get_width (result.pixbuf), ==, 1200);

  /* Downloaded once: the other sizes came from the disk cache. */
  g_assert_cmpuint (kq_test_server_get_request_count (fixture->server, IMAGE_A), ==, 1);
  g_assert_cmpuint (kq_image_loader_get_n_cached (fixture->loader), ==, 4);

  /* The memory cache answers at once, with the same pixbuf. */
  {
    g_autoptr(GdkPixbuf) again = kq_image_loader_lookup (fixture->loader, url, 4000, 0);

    g_assert_true (again == result.pixbuf);
  }

  result_clear (&result);
}

static void
test_coalesce (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, IMAGE_A);
  Result results[4] = { 0 };

  /* Slow enough that all four requests are in flight together. */
  kq_test_server_add_fault (fixture->server, IMAGE_A, KQ_TEST_FAULT_DELAY, 200, 0);
  for (guint i = 0; i < 3; i++)
    kq_image_loader_load_async (fixture->loader, url, 200, 0, NULL, on_loaded_cb, &results[i]);
  kq_image_loader_load_async (fixture->loader, url, 100, 0, NULL, on_loaded_cb, &results[3]);
  wait_all (results, 4);

  for (guint i = 0; i < 4; i++)
    g_assert_no_error (results[i].error);
  g_assert_true (results[0].pixbuf == results[1].pixbuf);
  g_assert_true (results[0].pixbuf == results[2].pixbuf);
  g_assert_cmpint (gdk_pixbuf_get_width (results[0].pixbuf), ==, 200);
  g_assert_cmpint (gdk_pixbuf_get_width (results[3].pixbuf), ==, 100);
  g_assert_cmpuint (kq_test_server_get_request_count (fixture->server, IMAGE_A), ==, 1);

  for (guint i = 0; i < 4; i++)
    result_clear (&results[i]);
}

static void
test_lru (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *a = url_for (fixture, IMAGE_A);
  g_autofree char *b = url_for (fixture, IMAGE_B);
  g_autofree char *c = url_for (fixture, IMAGE_C);
  g_autoptr(GdkPixbuf) hit = NULL;
  Result result = { 0 };
  gsize one;

  load (fixture->loader, a, 300, 0, &result);
  g_assert_no_error (result.error);
  one = gdk_pixbuf_get_byte_length (result.pixbuf);
  g_assert_cmpuint (kq_image_loader_get_memory_usage (fixture->loader), ==, one);

  /* Room for two 300 px images, not three. */
  kq_image_loader_set_memory_limit (fixture->loader, 2 * one + one / 2);

  load (fixture->loader, b, 300, 0, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (kq_image_loader_get_n_cached (fixture->loader), ==, 2);

  /* Touch A: B becomes the least recently used. */
  hit = kq_image_loader_lookup (fixture->loader, a, 300, 0);
  g_assert_nonnull (hit);
  g_clear_object (&hit);

  load (fixture->loader, c, 300, 0, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (kq_image_loader_get_n_cached (fixture->loader), ==, 2);
  g_assert_cmpuint (kq_image_loader_get_memory_usage (fixture->loader), <=,
                    kq_image_loader_get_memory_limit (fixture->loader));

  hit = kq_image_loader_lookup (fixture->loader, b, 300, 0);
  g_assert_null (hit);
  hit = kq_image_loader_lookup (fixture->loader, a, 300, 0);
  g_assert_nonnull (hit);
  g_clear_object (&hit);
  hit = kq_image_loader_lookup (fixture->loader, c, 300, 0);
  g_assert_nonnull (hit);
  g_clear_object (&hit);

  /* An image bigger than the whole cache is returned but not kept. */
  load (fixture->loader, a, 0, 0, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (kq_image_loader_get_n_cached (fixture->loader), ==, 2);
  hit = kq_image_loader_lookup (fixture->loader, a, 0, 0);
  g_assert_null (hit);

  /* Lowering the limit evicts at once. */
  kq_image_loader_set_memory_limit (fixture->loader, one);
  g_assert_cmpuint (kq_image_loader_get_n_cached (fixture->loader), ==, 1);
  kq_image_loader_clear_memory (fixture->loader);
  g_assert_cmpuint (kq_image_loader_get_n_cached (fixture->loader), ==, 0);
  g_assert_cmpuint (kq_image_loader_get_memory_usage (fixture->loader), ==, 0);

  result_clear (&result);
}

static void
test_disk_cache_offline (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, IMAGE_B);
  g_autofree char *never = url_for (fixture, IMAGE_C);
  g_autofree char *path = kq_image_loader_get_cache_path (fixture->loader, url);
  g_autofree char *expected_name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr(KqHttp) http = NULL;
  g_autoptr(KqImageLoader) offline = NULL;
  g_autofree char *contents = NULL;
  Result result = { 0 };
  gsize len;

  g_assert_cmpstr (basename, ==, expected_name);
  g_assert_true (g_str_has_prefix (path, fixture->cache_dir));

  load (fixture->loader, url, 320, 0, &result);
  g_assert_no_error (result.error);
  g_assert_true (wait_for_file (path));
  /* The original bytes, not the decoded image. */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);

  /* The site goes away; a new loader (as after a restart) still shows it. */
  g_clear_object (&fixture->server);
  http = kq_http_new ();
  kq_http_set_timeouts (http, 1000, 2000);
  offline = kq_image_loader_new (http, NULL);

  load (offline, url, 320, 0, &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_pixbuf_get_width (result.pixbuf), ==, 320);
  g_assert_cmpint (gdk_pixbuf_get_height (result.pixbuf), ==, 180);

  /* An image never downloaded fails with the network's error. */
  load (offline, never, 320, 0, &result);
  g_assert_error (result.error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_UNREACHABLE);

  result_clear (&result);
}

static void
test_not_an_image (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *home = g_strconcat (kq_test_server_get_url (fixture->server), "/", NULL);
  g_autofree char *json = url_for (fixture, "/wp-json/wp/v2/posts");
  g_autofree char *path = kq_image_loader_get_cache_path (fixture->loader, home);
  g_autoptr(GBytes) text = g_bytes_new_static ("<!DOCTYPE html><html><body>Bonjour</body></html>", 48);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  Result result = { 0 };

  /* An HTML page (text/html) and JSON. */
  load (fixture->loader, home, 300, 0, &result);
  g_assert_error (result.error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_NOT_IMAGE);
  g_assert_cmpstr (result.error->message, ==, "The address does not point to an image");
  load (fixture->loader, json, 300, 0, &result);
  g_assert_error (result.error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_NOT_IMAGE);
  /* Nothing of it in the disk cache. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* By content too, whatever the headers said. */
  pixbuf = kq_image_loader_decode (text, 0, 0, KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_NOT_IMAGE);
  g_clear_error (&error);
  pixbuf = kq_image_loader_decode (empty, 0, 0, KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_NOT_IMAGE);

  /* A missing image: the HTTP error as is. */
  {
    g_autofree char *missing = url_for (fixture, "/wp-content/uploads/2024/12/absente.png");

    load (fixture->loader, missing, 300, 0, &result);
    g_assert_error (result.error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND);
  }

  result_clear (&result);
}

static void
test_truncated_image (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *real = NULL;
  g_autofree char *site_image = NULL;
  g_autoptr(GBytes) half = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  gsize len;

  site_image = g_build_filename (kq_test_server_get_site_dir (fixture->server),
                                 "images", "visuel-00-300x169.png", NULL);
  g_assert_true (g_file_get_contents (site_image, &real, &len, NULL));
  half = g_bytes_new (real, 60);

  pixbuf = kq_image_loader_decode (half, 0, 0, KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_INVALID);
}

static void
test_decompression_bomb (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) bomb = kq_test_png_new_empty (100000, 100000);
  g_autoptr(GBytes) large = kq_test_png_new_empty (8000, 8000);
  g_autoptr(GBytes) small = kq_test_png_new_empty (64, 64);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *url = g_strdup ("http://127.0.0.1:9/wp-content/uploads/bombe.png");
  g_autofree char *path = kq_image_loader_get_cache_path (fixture->loader, url);
  glong rss_before = max_rss_kib ();
  Result result = { 0 };

  /* 10^10 pixels declared: refused at the header, before any allocation. */
  pixbuf = kq_image_loader_decode (bomb, 800, 0, KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* 64 Mpx (256 MiB of RGBA) is over the 40 Mpx cap too, and nothing that
   * size was ever allocated. */
  pixbuf = kq_image_loader_decode (large, 800, 0, KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_cmpint (max_rss_kib () - rss_before, <, 64 * 1024);

  /* The same header under the cap gets past the check (libpng makes a
   * blank image of the missing rows). */
  pixbuf = kq_image_loader_decode (small, 0, 0, KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
  g_clear_object (&pixbuf);

  /* Through the loader: a bomb found in the disk cache is refused too. */
  g_assert_cmpint (g_mkdir_with_parents (fixture->cache_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bomb, NULL),
                                      g_bytes_get_size (bomb), NULL));
  load (fixture->loader, url, 800, 0, &result);
  g_assert_error (result.error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE);
  g_assert_cmpstr (result.error->message, ==, "The image is too large to be shown");

  /* A lower cap applies to real images as well. */
  {
    g_autofree char *real = url_for (fixture, IMAGE_A);

    kq_image_loader_set_max_pixels (fixture->loader, 1000 * 500);
    load (fixture->loader, real, 300, 0, &result);
    g_assert_error (result.error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE);
  }

  result_clear (&result);
}

/* Writes @bytes where the loader's disk cache keeps @url. */
static void
put_in_cache (KqImageLoader *loader,
              const char    *url,
              GBytes        *bytes)
{
  g_autofree char *path = kq_image_loader_get_cache_path (loader, url);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
}

static void
test_header_size (Fixture       *fixture,
                  gconstpointer  data)
{
  static const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a', 0x40, 0x06, 0x10, 0x04 };
  static const guint8 jpeg[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 'J', 'F',                 /* SOI, APP0 */
    0xff, 0xc4, 0x00, 0x03, 0x00,                                 /* DHT: not a frame */
    0xff, 0xc2, 0x00, 0x0b, 0x08, 0x18, 0x9c, 0x18, 0x9c, 0x01,   /* SOF2 6300 × 6300 */
  };
  static const guint8 webp[] = {
    'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X',
    10, 0, 0, 0, 0, 0, 0, 0, 0x9b, 0x18, 0x00, 0x9b, 0x18, 0x00,   /* 6300 × 6300 */
  };
  static const guint8 bmp[] = {
    'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0,
    0x9c, 0x18, 0, 0, 0x64, 0xe7, 0xff, 0xff,                      /* 6300 × -6300 */
  };
  g_autoptr(GBytes) png = kq_test_png_new_blank (6300, 6300);
  const guint8 *png_data = g_bytes_get_data (png, NULL);
  guint32 width = 0, height = 0;

  g_assert_true (_kq_image_header_read_size (png_data, g_bytes_get_size (png), &width, &height));
  g_assert_cmpuint (width, ==, 6300);
  g_assert_cmpuint (height, ==, 6300);
  /* The first 24 bytes are enough; fewer are not. */
  g_assert_true (_kq_image_header_read_size (png_data, 24, &width, &height));
  g_assert_false (_kq_image_header_read_size (png_data, 23, &width, &height));

  g_assert_true (_kq_image_header_read_size (gif, sizeof gif, &width, &height));
  g_assert_cmpuint (width, ==, 1600);
  g_assert_cmpuint (height, ==, 1040);
  g_assert_true (_kq_image_header_read_size (jpeg, sizeof jpeg, &width, &height));
  g_assert_cmpuint (width, ==, 6300);
  g_assert_cmpuint (height, ==, 6300);
  g_assert_false (_kq_image_header_read_size (jpeg, sizeof jpeg - 3, &width, &height));
  g_assert_true (_kq_image_header_read_size (webp, sizeof webp, &width, &height));
  g_assert_cmpuint (width, ==, 6300);
  g_assert_cmpuint (height, ==, 6300);
  g_assert_true (_kq_image_header_read_size (bmp, sizeof bmp, &width, &height));
  g_assert_cmpuint (width, ==, 6300);
  g_assert_cmpuint (height, ==, 6300);

  /* SVG has no size up front. */
  g_assert_false (_kq_image_header_read_size ((const guint8 *) "<svg width='9'/>", 16,
                                              &width, &height));
}

/* A bomb just under the article cap: 6300 × 6300 (39.7 Mpx, 119 MB of RGB
 * once decoded) in 5 KB. Thumbnails refuse it by its header: no decode
 * starts, so none of the budget is taken. */
static void
test_thumbnail_cap (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) bomb = kq_test_png_new_blank (6300, 6300);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *url = g_strdup ("http://127.0.0.1:9/wp-content/uploads/bombe-6300.png");
  Result result = { 0 };

  g_assert_cmpuint (g_bytes_get_size (bomb), <, 8 * 1024);
  g_assert_cmpuint (KQ_IMAGE_LOADER_THUMBNAIL_MAX_PIXELS, <, 6300 * 6300);
  g_assert_cmpuint (6300 * 6300, <, KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS);

  pixbuf = kq_image_loader_decode (bomb, 176, 132, KQ_IMAGE_LOADER_THUMBNAIL_MAX_PIXELS, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE);

  kq_image_loader_set_max_pixels (fixture->loader, KQ_IMAGE_LOADER_THUMBNAIL_MAX_PIXELS);
  kq_image_loader_set_decode_budget (fixture->loader, KQ_IMAGE_LOADER_DEFAULT_DECODE_BUDGET);
  put_in_cache (fixture->loader, url, bomb);
  load (fixture->loader, url, 176, 132, &result);
  g_assert_error (result.error, KQ_IMAGE_LOADER_ERROR, KQ_IMAGE_LOADER_ERROR_TOO_LARGE);
  g_assert_cmpuint (kq_image_loader_get_decode_peak (fixture->loader), ==, 0);

  result_clear (&result);
}

/* Eight decodes of a 1200 × 675 image asked at once: each reserves its
 * bytes (3.2 MB at full size, plus the result) and only as many as the
 * budget holds run together; one larger than the whole budget runs alone. */
static void
test_decode_budget (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, IMAGE_A);
  gsize full = 1200 * 675 * 4;
  Result results[8] = { 0 };

  kq_image_loader_set_memory_limit (fixture->loader, 0);
  kq_image_loader_set_decode_budget (fixture->loader, 3 * full);
  g_assert_cmpuint (kq_image_loader_get_decode_budget (fixture->loader), ==, 3 * full);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    kq_image_loader_load_async (fixture->loader, url, 100 * (i + 1), 0, NULL, on_loaded_cb,
                                &results[i]);
  wait_all (results, G_N_ELEMENTS (results));

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_assert_no_error (results[i].error);
      g_assert_cmpint (gdk_pixbuf_get_width (results[i].pixbuf), ==, 100 * (i + 1));
      result_clear (&results[i]);
    }
  g_assert_cmpuint (kq_image_loader_get_decode_peak (fixture->loader), >, full);
  g_assert_cmpuint (kq_image_loader_get_decode_peak (fixture->loader), <=, 3 * full);

  /* A budget smaller than any decode: one at a time, and all end. */
  kq_image_loader_set_decode_budget (fixture->loader, full / 2);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    kq_image_loader_load_async (fixture->loader, url, 100 * (i + 1), 0, NULL, on_loaded_cb,
                                &results[i]);
  wait_all (results, G_N_ELEMENTS (results));
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_assert_no_error (results[i].error);
      result_clear (&results[i]);
    }
  g_assert_cmpuint (kq_image_loader_get_decode_peak (fixture->loader), >, full);
  g_assert_cmpuint (kq_image_loader_get_decode_peak (fixture->loader), <, 2 * full);
}

/* Decodes waiting for the budget are dropped when their caller cancels,
 * and the line moves on. The four sizes share one download, so all four
 * ask the budget together: the first decodes, the others wait. When the
 * first is done, the second has just been granted (not told yet) and the
 * third still waits: both are cancelled there. */
static void
on_loaded_then_cancel_cb (GObject      *object,
                          GAsyncResult *res,
                          gpointer      user_data)
{
  on_loaded_cb (object, res, user_data);
  g_cancellable_cancel (g_object_get_data (object, "cancel-after-first"));
}

static void
test_decode_budget_cancel (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, IMAGE_A);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result results[4] = { 0 };

  kq_image_loader_set_decode_budget (fixture->loader, 1);
  g_object_set_data (G_OBJECT (fixture->loader), "cancel-after-first", cancellable);
  kq_image_loader_load_async (fixture->loader, url, 100, 0, NULL, on_loaded_then_cancel_cb,
                              &results[0]);
  kq_image_loader_load_async (fixture->loader, url, 200, 0, cancellable, on_loaded_cb, &results[1]);
  kq_image_loader_load_async (fixture->loader, url, 300, 0, cancellable, on_loaded_cb, &results[2]);
  kq_image_loader_load_async (fixture->loader, url, 400, 0, NULL, on_loaded_cb, &results[3]);
  wait_all (results, 4);

  g_assert_no_error (results[0].error);
  g_assert_error (results[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (results[2].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (results[3].error);
  g_assert_cmpint (gdk_pixbuf_get_width (results[3].pixbuf), ==, 400);
  /* Nobody decoded the cancelled sizes. */
  g_assert_null (kq_image_loader_lookup (fixture->loader, url, 200, 0));
  g_assert_null (kq_image_loader_lookup (fixture->loader, url, 300, 0));

  g_object_set_data (G_OBJECT (fixture->loader), "cancel-after-first", NULL);
  for (guint i = 0; i < 4; i++)
    result_clear (&results[i]);
}

#if defined(__SANITIZE_ADDRESS__)
# define KQ_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define KQ_TEST_ASAN 1
# endif
#endif
#ifndef KQ_TEST_ASAN
# define KQ_TEST_ASAN 0
#endif

static glong
vm_hwm_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);

  return strtol (line + strlen ("VmHWM:"), NULL, 10);
}

/* Twelve bombs of 6300 × 6300 (39.7 Mpx, just under the article cap; 5 KB
 * each, 119 MB of RGB once decoded), asked at once: the budget lets one
 * decode at a time, so the process peaks near one decoded bomb instead of
 * a dozen (1.4 GB before). In a child process, for a VmHWM of its own. */
static void
test_bomb_peak_memory (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) bomb = NULL;
  Result results[12] = { 0 };
  char *urls[G_N_ELEMENTS (results)];
  glong before;

#if KQ_TEST_ASAN
  g_test_skip ("AddressSanitizer keeps freed memory in quarantine");
  return;
#endif

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  bomb = kq_test_png_new_blank (6300, 6300);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      urls[i] = g_strdup_printf ("http://127.0.0.1:9/wp-content/uploads/bombe-%u.png", i);
      put_in_cache (fixture->loader, urls[i], bomb);
    }
  kq_image_loader_set_memory_limit (fixture->loader, 0);

  before = vm_hwm_kib ();
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    kq_image_loader_load_async (fixture->loader, urls[i], 720, 0, NULL, on_loaded_cb, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      guint id = g_timeout_add_seconds (50, on_timeout_cb, NULL);

      while (!results[i].done)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (id);
    }

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_assert_no_error (results[i].error);
      g_assert_cmpint (gdk_pixbuf_get_width (results[i].pixbuf), ==, 720);
      result_clear (&results[i]);
      g_free (urls[i]);
    }
  /* One bomb decoded (119 MB) and its result, not twelve (1.4 GB). */
  g_assert_cmpint (vm_hwm_kib () - before, <, 200 * 1024);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, IMAGE_C);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  Result results[3] = { 0 };
  gint64 start;

  kq_test_server_add_fault (fixture->server, IMAGE_C, KQ_TEST_FAULT_DELAY, 1500, 1);

  /* Two callers; one gives up, the other still gets the image. */
  start = g_get_monotonic_time ();
  kq_image_loader_load_async (fixture->loader, url, 200, 0, cancellable, on_loaded_cb, &results[0]);
  kq_image_loader_load_async (fixture->loader, url, 200, 0, NULL, on_loaded_cb, &results[1]);
  g_timeout_add (50, cancel_cb, cancellable);
  wait_all (results, 1);
  g_assert_error (results[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_false (results[1].done);
  wait_all (results + 1, 1);
  g_assert_no_error (results[1].error);

  /* Already cancelled: fails without a request. */
  g_cancellable_cancel (already);
  kq_test_server_reset_request_counts (fixture->server);
  kq_image_loader_clear_memory (fixture->loader);
  kq_image_loader_load_async (fixture->loader, url, 50, 0, already, on_loaded_cb, &results[2]);
  wait_all (results + 2, 1);
  g_assert_error (results[2].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (kq_test_server_get_request_count (fixture->server, IMAGE_C), ==, 0);

  for (guint i = 0; i < 3; i++)
    result_clear (&results[i]);
}

static void
test_cancel_stops_download (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, IMAGE_B);
  g_autofree char *path = kq_image_loader_get_cache_path (fixture->loader, url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result result = { 0 };

  /* Nobody waits any more: the download is dropped, nothing is cached. */
  kq_test_server_add_fault (fixture->server, IMAGE_B, KQ_TEST_FAULT_SLOW_DRIP, 20, 0);
  kq_image_loader_load_async (fixture->loader, url, 200, 0, cancellable, on_loaded_cb, &result);
  g_timeout_add (100, cancel_cb, cancellable);
  wait_all (&result, 1);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* Give a finished download the time to be written, had it gone on. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* A new request starts afresh and succeeds. */
  kq_test_server_clear_faults (fixture->server);
  load (fixture->loader, url, 200, 0, &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_pixbuf_get_width (result.pixbuf), ==, 200);

  result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kq/image-loader/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("load-and-scale", test_load_and_scale);
  ADD ("coalesce", test_coalesce);
  ADD ("lru", test_lru);
  ADD ("disk-cache-offline", test_disk_cache_offline);
  ADD ("not-an-image", test_not_an_image);
  ADD ("truncated-image", test_truncated_image);
  ADD ("decompression-bomb", test_decompression_bomb);
  ADD ("header-size", test_header_size);
  ADD ("thumbnail-cap", test_thumbnail_cap);
  ADD ("decode-budget", test_decode_budget);
  ADD ("decode-budget-cancel", test_decode_budget_cancel);
  ADD ("bomb-peak-memory", test_bomb_peak_memory);
  ADD ("cancel", test_cancel);
  ADD ("cancel-stops-download", test_cancel_stops_download);

#undef ADD

  return g_test_run ();
}
