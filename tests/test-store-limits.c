/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kq-store.h"
#include "kq-store-private.h"
#include "kq-test-wait.h"
#include "kq-text-private.h"

/*
 * Bounds that keep hostile articles and queries from holding the store:
 * images kept per bookmark, words of a search.
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

/* A 10 KB query: its first words, whole, make the FTS expression; the store
 * answers with what they find. */
static void
test_search_query_bounded (void)
{
  g_autoptr(KqStore) store = open_store ();
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fts = NULL;
  GAsyncResult *pending = NULL;
  guint quotes = 0;

  for (gint64 id = 1; id <= 3; id++)
    {
      KqArticle *article = kq_article_new ();
      g_autofree char *title = g_strdup_printf ("Matériel numéro %" G_GINT64_FORMAT, id);

      kq_article_set_source (article, SOURCE);
      kq_article_set_id (article, id);
      kq_article_set_title (article, title);
      kq_article_set_body_html (article, id == 2 ? "<p>Un écran géant.</p>" : "<p>Rien.</p>");
      g_ptr_array_add (page, article);
    }
  kq_store_upsert_articles_async (store, page, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 10000);
  g_assert_true (kq_store_upsert_articles_finish (store, result, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* The words that count first, then 10 KB no article holds. */
  g_string_append (query, "  materiel\tecran ");
  while (query->len < 10 * 1024)
    g_string_append (query, "zzqxwyklmnop ");

  fts = _kq_store_fts_query (query->str);
  for (const char *p = fts; *p != '\0'; p++)
    quotes += *p == '"';
  g_assert_cmpuint (quotes / 2, <=, KQ_TEXT_MAX_QUERY_WORDS);
  g_assert_cmpuint (strlen (fts), <=, KQ_TEXT_MAX_QUERY_BYTES + 3 * KQ_TEXT_MAX_QUERY_WORDS);
  g_assert_true (g_str_has_prefix (fts, "\"materiel\" \"ecran\" \"zzqxwyklmnop\""));

  /* Only the first words: the 14 of junk after them still find nothing. */
  kq_store_search_async (store, SOURCE, query->str, 20, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 10000);
  hits = kq_store_search_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  g_clear_object (&result);

  /* The same words again and again: what the first ones find. */
  g_string_truncate (query, 0);
  while (query->len < 10 * 1024)
    g_string_append (query, "materiel ecran ");
  kq_store_search_async (store, SOURCE, query->str, 20, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 10000);
  hits = kq_store_search_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (kq_article_get_id (((KqSearchResult *) hits->pdata[0])->article), ==, 2);
}

/* Whole words, UTF-8 safe. */
static void
test_bound_query (void)
{
  g_autoptr(GString) long_word = g_string_new (NULL);
  g_autofree char *cut = NULL;
  g_autofree char *many = NULL;
  g_autofree char *spaced = _kq_text_bound_query ("  un\t deux  trois ");
  g_autofree char *none = _kq_text_bound_query (NULL);
  g_autofree char *invalid = _kq_text_bound_query ("\xff");
  g_autoptr(GString) words = g_string_new (NULL);

  g_assert_cmpstr (spaced, ==, "un deux trois");
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (invalid, ==, "");

  for (guint i = 0; i < 200; i++)
    g_string_append (long_word, "é");
  cut = _kq_text_bound_query (long_word->str);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_cmpuint (strlen (cut), ==, KQ_TEXT_MAX_QUERY_BYTES);

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (words, "mot%u ", i);
  many = _kq_text_bound_query (words->str);
  g_assert_true (g_str_has_prefix (many, "mot0 mot1 "));
  g_assert_true (g_str_has_suffix (many, " mot15"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kq/store/limits/bookmark-images-bounded", test_bookmark_images_bounded);
  g_test_add_func ("/kq/store/limits/search-query-bounded", test_search_query_bounded);
  g_test_add_func ("/kq/store/limits/bound-query", test_bound_query);

  return g_test_run ();
}
