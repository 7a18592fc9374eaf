/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kq-store.h"
#include "kq-store-private.h"
#include "kq-test-wait.h"

/*
 * Bounds that keep hostile articles and queries from holding the store:
 * images kept per bookmark.
 */

#define SOURCE "https://kulturegeek.fr"

static KqStore *
open_store (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  KqStore *store = kq_store_new (NULL);

  kq_store_open_async (store, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 10000);
  g_assert_true (kq_store_open_finish (store, result, &error));
  g_assert_no_error (error);

  return store;
}

typedef gint64 (*FileFinish) (KqStore *, GAsyncResult *, GError **);

static gint64
file_job (KqStore    *store,
          GFile      *file,
          void      (*start) (KqStore *, GFile *, GCancellable *, GAsyncReadyCallback, gpointer),
          FileFinish  finish)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  gint64 count;

  start (store, file, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 30000);
  count = finish (store, result, &error);
  g_assert_no_error (error);
  return count;
}

/* The "images" of each bookmark in an export of @store. */
static GPtrArray *
exported_images (KqStore *store)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "export.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_array_unref);
  JsonArray *bookmarks;

  file_job (store, file, kq_store_export_bookmarks_async, kq_store_export_bookmarks_finish);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  bookmarks = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "bookmarks");
  for (guint i = 0; i < json_array_get_length (bookmarks); i++)
    g_ptr_array_add (all, json_array_ref (json_object_get_array_member (
                            json_array_get_object_element (bookmarks, i), "images")));
  return all;
}

static void
assert_unique_strings (JsonArray *images)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (images); i++)
    g_assert_true (g_hash_table_add (seen, (gpointer) json_array_get_string_element (images, i)));
}

/* An article with 100,000 images (1,000 of them different) as a bookmark:
 * it keeps KQ_STORE_MAX_IMAGES image URLs, each once, the thumbnail first;
 * so does one imported with 100,000 of them. */
static void
test_bookmark_images_bounded (void)
{
  g_autoptr(KqStore) store = open_store ();
  g_autoptr(KqArticle) article = kq_article_new ();
  g_autoptr(GString) body = g_string_new ("<p>Une galerie sans fin.</p>");
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  JsonArray *kept;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (body, "<figure><img src=\"https://img.exemple/%u.jpg\" alt=\"\">"
                                  "</figure>", i % 1000);
  kq_article_set_source (article, SOURCE);
  kq_article_set_id (article, 1);
  kq_article_set_title (article, "Galerie");
  kq_article_set_body_html (article, body->str);
  kq_article_set_thumbnail (article, "https://img.exemple/vignette.jpg", 150, 100);
  kq_store_add_bookmark_async (store, article, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 30000);
  g_assert_true (kq_store_add_bookmark_finish (store, result, &error));
  g_assert_no_error (error);

  images = exported_images (store);
  g_assert_cmpuint (images->len, ==, 1);
  kept = g_ptr_array_index (images, 0);
  g_assert_cmpuint (json_array_get_length (kept), ==, KQ_STORE_MAX_IMAGES);
  g_assert_cmpstr (json_array_get_string_element (kept, 0), ==, "https://img.exemple/vignette.jpg");
  g_assert_cmpstr (json_array_get_string_element (kept, 1), ==, "https://img.exemple/0.jpg");
  assert_unique_strings (kept);

  /* Imported: the file's list, bounded the same way. */
  {
    g_autofree char *path = g_build_filename (g_get_user_data_dir (), "import.json", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GString) json = g_string_new ("{\"format\": \"kiosque-bookmarks\", \"version\": 1,"
                                            " \"bookmarks\": [{\"source\": \"" SOURCE "\","
                                            " \"id\": 2, \"title\": \"Importé\", \"images\": [");
    g_autoptr(GPtrArray) imported = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_printf (json, "%s\"https://img.exemple/%u.png\"", i > 0 ? ", " : "",
                              i % 2000);
    g_string_append (json, "]}]}");
    g_assert_true (g_file_set_contents (path, json->str, json->len, NULL));

    g_assert_cmpint (file_job (store, file, kq_store_import_bookmarks_async,
                               kq_store_import_bookmarks_finish), ==, 1);
    imported = exported_images (store);
    g_assert_cmpuint (imported->len, ==, 2);
    for (guint i = 0; i < imported->len; i++)
      {
        kept = g_ptr_array_index (imported, i);
        g_assert_cmpuint (json_array_get_length (kept), ==, KQ_STORE_MAX_IMAGES);
        assert_unique_strings (kept);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kq/store/limits/bookmark-images-bounded", test_bookmark_images_bounded);

  return g_test_run ();
}
