/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "kq-store.h"
#include "kq-store-private.h"

#define SOURCE "https://kulturegeek.example"
#define OTHER_SOURCE "http://127.0.0.1:8080"

/* Sync wrappers: run the main context until the callback. */

static GAsyncResult *async_result;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_assert_null (async_result);
  async_result = g_object_ref (result);
}

static GAsyncResult *
wait_done (void)
{
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&async_result);
}

static gboolean
store_open (KqStore  *store,
            GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_store_open_async (store, NULL, on_done, NULL);
  result = wait_done ();
  return kq_store_open_finish (store, result, error);
}

static KqStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  KqStore *store = kq_store_new (path);

  g_assert_true (store_open (store, &error));
  g_assert_no_error (error);
  g_assert_false (kq_store_get_in_memory (store));
  return store;
}

static void
upsert (KqStore    *store,
        GPtrArray  *articles,
        GArray    **new_ids,
        GArray    **updated_ids)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_upsert_articles_async (store, articles, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_upsert_articles_finish (store, result, new_ids, updated_ids, &error));
  g_assert_no_error (error);
}

static GPtrArray *
list_articles (KqStore    *store,
               const char *source,
               gint64      category_id,
               guint       offset,
               guint       limit)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  kq_store_list_articles_async (store, source, category_id, offset, limit, NULL, on_done, NULL);
  result = wait_done ();
  articles = kq_store_list_articles_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (articles);
  return articles;
}

static KqArticle *
get_article (KqStore    *store,
             const char *source,
             gint64      id,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_store_get_article_async (store, source, id, NULL, on_done, NULL);
  result = wait_done ();
  return kq_store_get_article_finish (store, result, error);
}

static GPtrArray *
list_categories (KqStore    *store,
                 const char *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *categories;

  kq_store_list_categories_async (store, source, NULL, on_done, NULL);
  result = wait_done ();
  categories = kq_store_list_categories_finish (store, result, &error);
  g_assert_no_error (error);
  return categories;
}

static void
set_read (KqStore    *store,
          const char *source,
          gint64      id,
          gboolean    read)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_set_read_async (store, source, id, read, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_set_read_finish (store, result, &error));
  g_assert_no_error (error);
}

static void
add_bookmark (KqStore   *store,
              KqArticle *article)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_add_bookmark_async (store, article, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_add_bookmark_finish (store, result, &error));
  g_assert_no_error (error);
}

static void
remove_bookmark (KqStore    *store,
                 const char *source,
                 gint64      id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_remove_bookmark_async (store, source, id, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_remove_bookmark_finish (store, result, &error));
  g_assert_no_error (error);
}

static GPtrArray *
list_bookmarks (KqStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *bookmarks;

  kq_store_list_bookmarks_async (store, NULL, on_done, NULL);
  result = wait_done ();
  bookmarks = kq_store_list_bookmarks_finish (store, result, &error);
  g_assert_no_error (error);
  return bookmarks;
}

static gboolean
is_bookmarked (KqStore    *store,
               const char *source,
               gint64      id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ret;

  kq_store_is_bookmarked_async (store, source, id, NULL, on_done, NULL);
  result = wait_done ();
  ret = kq_store_is_bookmarked_finish (store, result, &error);
  g_assert_no_error (error);
  return ret;
}

static GPtrArray *
search (KqStore    *store,
        const char *query,
        GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_store_search_async (store, NULL, query, 20, NULL, on_done, NULL);
  result = wait_done ();
  return kq_store_search_finish (store, result, error);
}

static gint64
prune (KqStore *store,
       gint64   max_age,
       guint    max_count)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n;

  kq_store_prune_async (store, max_age, max_count, NULL, on_done, NULL);
  result = wait_done ();
  n = kq_store_prune_finish (store, result, &error);
  g_assert_no_error (error);
  return n;
}

static void
clear_cache (KqStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_clear_cache_async (store, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_clear_cache_finish (store, result, &error));
  g_assert_no_error (error);
}

static gint64
file_job (KqStore *store,
          GFile   *file,
          void   (*func) (KqStore *, GFile *, GCancellable *, GAsyncReadyCallback, gpointer),
          gint64 (*finish) (KqStore *, GAsyncResult *, GError **),
          GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  func (store, file, NULL, on_done, NULL);
  result = wait_done ();
  return finish (store, result, error);
}

/* Fixtures */

static KqArticle *
make_article (const char *source,
              gint64      id,
              const char *title,
              const char *body,
              gint64      days_ago,
              gint64      category)
{
  KqArticle *article = kq_article_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) date = g_date_time_add_seconds (now, -days_ago * 86400.0 - id);
  g_autofree char *link = g_strdup_printf ("%s/article-%" G_GINT64_FORMAT "/", source, id);
  g_autoptr(GDateTime) rounded = g_date_time_new_from_unix_utc (g_date_time_to_unix (date));

  kq_article_set_source (article, source);
  kq_article_set_id (article, id);
  kq_article_set_title (article, title);
  kq_article_set_excerpt (article, "Un résumé court de l’article.");
  kq_article_set_body_html (article, body);
  kq_article_set_link (article, link);
  kq_article_set_date (article, rounded);
  kq_article_set_author (article, "Camille Durand");
  if (category != 0)
    {
      gint64 ids[] = { category, 999 };
      const char * const names[] = { "Matériel", "Divers", NULL };

      kq_article_set_category_ids (article, ids, 2);
      kq_article_set_category_names (article, names);
    }
  return article;
}

static GPtrArray *
make_page (const char *source,
           guint       first,
           guint       n,
           gint64      category)
{
  GPtrArray *page = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Article numéro %u", i);
      g_autofree char *body = g_strdup_printf ("<p>Texte de l’article %u, avec <b>du gras</b>.</p>"
                                               "<figure><img src=\"https://img.example/%u.jpg\" alt=\"\"></figure>",
                                               i, i);

      g_ptr_array_add (page, make_article (source, i, title, body, i, category));
    }
  return page;
}

static char *
db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "kiosque", "kiosque.db", NULL);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
sql_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Inside the test's private XDG folders (ISOLATE_DIRS), never the shared /tmp. */
static const char *
tmp_dir (void)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  return g_get_user_cache_dir ();
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* Each test runs in its own XDG folders (ISOLATE_DIRS): @path is the
 * default database file there, @dir its folder (created); with the "open"
 * set-up, @store is a store opened on it. */
typedef struct
{
  KqStore *store;
  char    *path;
  char    *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->path = db_path ();
  f->dir = g_path_get_dirname (f->path);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
}

static void
fixture_setup_open (Fixture       *f,
                    gconstpointer  data)
{
  fixture_setup (f, data);
  f->store = open_store (NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->path);
  g_free (f->dir);
}

/* Tests */

static void
test_open_default (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KqStore) store = kq_store_new (NULL);
  const char *path = f->path;
  g_autofree char *journal = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (kq_store_get_path (store), ==, path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (store_open (store, &error));
  g_assert_no_error (error);
  g_assert_false (kq_store_get_recovered (store));
  g_assert_false (kq_store_get_in_memory (store));
  g_clear_object (&store);

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, KQ_STORE_SCHEMA_VERSION);
  journal = sql_text (path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
}

static void
assert_same_article (KqArticle *a,
                     KqArticle *b)
{
  g_assert_cmpint (kq_article_get_id (a), ==, kq_article_get_id (b));
  g_assert_cmpstr (kq_article_get_source (a), ==, kq_article_get_source (b));
  g_assert_cmpstr (kq_article_get_title (a), ==, kq_article_get_title (b));
  g_assert_cmpstr (kq_article_get_excerpt (a), ==, kq_article_get_excerpt (b));
  g_assert_cmpstr (kq_article_get_body_html (a), ==, kq_article_get_body_html (b));
  g_assert_cmpstr (kq_article_get_link (a), ==, kq_article_get_link (b));
  g_assert_cmpstr (kq_article_get_author (a), ==, kq_article_get_author (b));
  g_assert_true ((kq_article_get_date (a) == NULL) == (kq_article_get_date (b) == NULL));
  if (kq_article_get_date (a) != NULL)
    g_assert_true (g_date_time_equal (kq_article_get_date (a), kq_article_get_date (b)));
  g_assert_cmpstr (kq_article_get_thumbnail_url (a), ==, kq_article_get_thumbnail_url (b));
  g_assert_cmpuint (kq_article_get_thumbnail_width (a), ==, kq_article_get_thumbnail_width (b));
  g_assert_cmpstr (kq_article_get_image_url (a), ==, kq_article_get_image_url (b));
  g_assert_cmpuint (kq_article_get_comment_count (a), ==, kq_article_get_comment_count (b));
  g_assert_cmpuint (kq_article_get_reading_minutes (a), ==, kq_article_get_reading_minutes (b));
}

static void
test_upsert_list (Fixture       *f,
                  gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 5, 7);
  g_autoptr(GPtrArray) other = make_page (OTHER_SOURCE, 1, 2, 0);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GArray) new_ids = NULL;
  g_autoptr(GArray) updated_ids = NULL;
  KqArticle *first = g_ptr_array_index (page, 0);
  const char * const tags[] = { "Test", "Écran", NULL };
  g_autoptr(GDateTime) modified = g_date_time_new_utc (2024, 3, 1, 10, 0, 0);

  kq_article_set_thumbnail (first, "https://img.example/t1.jpg", 300, 200);
  kq_article_set_image (first, "https://img.example/i1.jpg", 1200, 800);
  kq_article_set_comment_count (first, 12);
  kq_article_set_comments_open (first, FALSE);
  kq_article_set_tags (first, tags);
  kq_article_set_modified (first, modified);

  upsert (store, page, &new_ids, &updated_ids);
  g_assert_cmpuint (new_ids->len, ==, 5);
  g_assert_cmpuint (updated_ids->len, ==, 0);
  g_assert_cmpint (g_array_index (new_ids, gint64, 0), ==, 1);
  g_clear_pointer (&new_ids, g_array_unref);
  g_clear_pointer (&updated_ids, g_array_unref);
  upsert (store, other, NULL, NULL);

  /* Same page again: nothing changed. */
  upsert (store, page, &new_ids, &updated_ids);
  g_assert_cmpuint (new_ids->len, ==, 0);
  g_assert_cmpuint (updated_ids->len, ==, 0);
  g_clear_pointer (&new_ids, g_array_unref);
  g_clear_pointer (&updated_ids, g_array_unref);

  /* One title changes, one new article. */
  kq_article_set_title (g_ptr_array_index (page, 2), "Titre corrigé");
  g_ptr_array_add (page, make_article (SOURCE, 100, "Tout nouveau", "<p>Neuf</p>", 0, 7));
  upsert (store, page, &new_ids, &updated_ids);
  g_assert_cmpuint (new_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (new_ids, gint64, 0), ==, 100);
  g_assert_cmpuint (updated_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (updated_ids, gint64, 0), ==, 3);

  /* Newest first, per source, fields intact. */
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 6);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 0)), ==, 100);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 1)), ==, 1);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 5)), ==, 5);
  assert_same_article (g_ptr_array_index (listed, 1), first);
  {
    KqArticle *back = g_ptr_array_index (listed, 1);
    GArray *ids = kq_article_get_category_ids (back);

    g_assert_cmpuint (ids->len, ==, 2);
    g_assert_true (kq_article_has_category (back, 7));
    g_assert_true (kq_article_has_category (back, 999));
    g_assert_cmpstrv (kq_article_get_tags (back), tags);
    g_assert_cmpstr (kq_article_get_category_names (back)[0], ==, "Matériel");
    g_assert_false (kq_article_get_comments_open (back));
    g_assert_true (g_date_time_equal (kq_article_get_modified (back), modified));
    g_assert_cmpuint (kq_article_get_image_height (back), ==, 800);
    g_assert_false (kq_article_get_read (back));
    g_assert_false (kq_article_get_bookmarked (back));
  }
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* Paging. */
  listed = list_articles (store, SOURCE, 0, 2, 2);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 0)), ==, 2);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 1)), ==, 3);
  g_assert_cmpstr (kq_article_get_title (g_ptr_array_index (listed, 1)), ==, "Titre corrigé");
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* By category, all sources, unknown source. */
  listed = list_articles (store, SOURCE, 7, 0, 3);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 0)), ==, 100);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = list_articles (store, SOURCE, 12345, 0, 0);
  g_assert_cmpuint (listed->len, ==, 0);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = list_articles (store, NULL, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 8);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = list_articles (store, "https://nowhere.example", 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 0);
}

static void
test_upsert_keeps_body (Fixture       *f,
                        gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 1, 0);
  g_autoptr(GPtrArray) light = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KqArticle) back = NULL;
  g_autoptr(GArray) updated_ids = NULL;
  KqArticle *copy;

  upsert (store, page, NULL, NULL);
  copy = kq_article_copy (g_ptr_array_index (page, 0));
  kq_article_set_body_html (copy, NULL);
  kq_article_set_comment_count (copy, 4);
  g_ptr_array_add (light, copy);
  upsert (store, light, NULL, &updated_ids);
  g_assert_cmpuint (updated_ids->len, ==, 1);

  back = get_article (store, SOURCE, 1, NULL);
  g_assert_cmpuint (kq_article_get_comment_count (back), ==, 4);
  g_assert_cmpstr (kq_article_get_body_html (back), ==,
                   kq_article_get_body_html (g_ptr_array_index (page, 0)));
}

static void
test_get_article (Fixture       *f,
                  gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 4, 0);
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GPtrArray) some = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 ids[] = { 3, 42, 1 };

  upsert (store, page, NULL, NULL);
  article = get_article (store, SOURCE, 2, &error);
  g_assert_no_error (error);
  assert_same_article (article, g_ptr_array_index (page, 1));
  g_clear_object (&article);

  article = get_article (store, SOURCE, 42, &error);
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_NOT_FOUND);
  g_assert_null (article);
  g_clear_error (&error);
  article = get_article (store, OTHER_SOURCE, 2, &error);
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  kq_store_get_articles_by_ids_async (store, SOURCE, ids, G_N_ELEMENTS (ids), NULL, on_done, NULL);
  result = wait_done ();
  some = kq_store_get_articles_by_ids_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (some->len, ==, 2);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (some, 0)), ==, 3);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (some, 1)), ==, 1);
}

/* Lists for the article list leave the bodies out; the article itself has its own. */
static void
test_list_without_bodies (Fixture       *f,
                          gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 3, 7);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) by_category = NULL;
  g_autoptr(GPtrArray) some = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GPtrArray) full = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[] = { 3, 1 };

  upsert (store, page, NULL, NULL);
  add_bookmark (store, g_ptr_array_index (page, 1));
  g_assert_true (kq_store_get_list_bodies (store));
  kq_store_set_list_bodies (store, FALSE);
  g_assert_false (kq_store_get_list_bodies (store));

  listed = list_articles (store, SOURCE, 0, 0, 0);
  by_category = list_articles (store, SOURCE, 7, 0, 0);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_cmpuint (by_category->len, ==, 3);
  for (guint i = 0; i < listed->len; i++)
    {
      g_assert_null (kq_article_get_body_html (g_ptr_array_index (listed, i)));
      g_assert_null (kq_article_get_body_html (g_ptr_array_index (by_category, i)));
      g_assert_nonnull (kq_article_get_title (g_ptr_array_index (listed, i)));
      g_assert_nonnull (kq_article_get_excerpt (g_ptr_array_index (listed, i)));
    }
  g_assert_true (kq_article_get_bookmarked (g_ptr_array_index (listed, 1)));

  kq_store_get_articles_by_ids_async (store, SOURCE, ids, G_N_ELEMENTS (ids), NULL, on_done, NULL);
  result = wait_done ();
  some = kq_store_get_articles_by_ids_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (some->len, ==, 2);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (some, 0)), ==, 3);
  g_assert_null (kq_article_get_body_html (g_ptr_array_index (some, 0)));
  g_assert_null (kq_article_get_body_html (g_ptr_array_index (some, 1)));

  results = search (store, "gras", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    g_assert_null (kq_article_get_body_html (((KqSearchResult *) g_ptr_array_index (results, i))->article));

  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 1);
  g_assert_null (kq_article_get_body_html (g_ptr_array_index (bookmarks, 0)));
  g_assert_cmpstr (kq_article_get_title (g_ptr_array_index (bookmarks, 0)), ==,
                   kq_article_get_title (g_ptr_array_index (page, 1)));

  /* The article opened: whole. */
  article = get_article (store, SOURCE, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kq_article_get_body_html (article), ==,
                   kq_article_get_body_html (g_ptr_array_index (page, 1)));

  /* Back to full lists. */
  kq_store_set_list_bodies (store, TRUE);
  full = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpstr (kq_article_get_body_html (g_ptr_array_index (full, 0)), ==,
                   kq_article_get_body_html (g_ptr_array_index (page, 0)));
}

static GPtrArray *
make_categories (const char * const *names)
{
  GPtrArray *categories = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; names[i] != NULL; i++)
    {
      KqCategory *category = kq_category_new ();

      kq_category_set_source (category, SOURCE);
      kq_category_set_id (category, 7 + i);
      kq_category_set_name (category, names[i]);
      kq_category_set_slug (category, names[i]);
      kq_category_set_count (category, 10 * i);
      kq_category_set_link (category, SOURCE "/category/x/");
      g_ptr_array_add (categories, category);
    }
  return categories;
}

static void
test_categories_read_state (Fixture       *f,
                            gconstpointer  data)
{
  const char * const names[] = { "Matériel", "Science", "Apple", NULL };
  const char * const fewer[] = { "Matériel", "Science", NULL };
  KqStore *store = f->store;
  g_autoptr(GPtrArray) categories = make_categories (names);
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 4, 7);
  g_autoptr(GPtrArray) science = make_page (SOURCE, 10, 2, 8);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_upsert_categories_async (store, SOURCE, categories, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_upsert_categories_finish (store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  upsert (store, page, NULL, NULL);
  upsert (store, science, NULL, NULL);

  listed = list_categories (store, SOURCE);
  g_assert_cmpuint (listed->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      KqCategory *category = g_ptr_array_index (listed, i);

      g_assert_cmpstr (kq_category_get_name (category), ==, names[i]);
      g_assert_cmpuint (kq_category_get_position (category), ==, i);
      g_assert_cmpstr (kq_category_get_source (category), ==, SOURCE);
    }
  g_assert_cmpuint (kq_category_get_unread_count (g_ptr_array_index (listed, 0)), ==, 4);
  g_assert_cmpuint (kq_category_get_unread_count (g_ptr_array_index (listed, 1)), ==, 2);
  g_assert_cmpuint (kq_category_get_unread_count (g_ptr_array_index (listed, 2)), ==, 0);
  g_assert_cmpuint (kq_category_get_count (g_ptr_array_index (listed, 1)), ==, 10);
  g_clear_pointer (&listed, g_ptr_array_unref);

  set_read (store, SOURCE, 2, TRUE);
  set_read (store, SOURCE, 2, TRUE);
  listed = list_categories (store, SOURCE);
  g_assert_cmpuint (kq_category_get_unread_count (g_ptr_array_index (listed, 0)), ==, 3);
  g_clear_pointer (&listed, g_ptr_array_unref);
  articles = list_articles (store, SOURCE, 7, 0, 0);
  g_assert_true (kq_article_get_read (g_ptr_array_index (articles, 1)));
  g_assert_false (kq_article_get_read (g_ptr_array_index (articles, 0)));
  g_clear_pointer (&articles, g_ptr_array_unref);

  set_read (store, SOURCE, 2, FALSE);
  listed = list_categories (store, SOURCE);
  g_assert_cmpuint (kq_category_get_unread_count (g_ptr_array_index (listed, 0)), ==, 4);
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* Mark a category read: only its articles. */
  kq_store_mark_all_read_async (store, SOURCE, 8, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_cmpint (kq_store_mark_all_read_finish (store, result, &error), ==, 2);
  g_assert_no_error (error);
  g_clear_object (&result);
  listed = list_categories (store, SOURCE);
  g_assert_cmpuint (kq_category_get_unread_count (g_ptr_array_index (listed, 0)), ==, 4);
  g_assert_cmpuint (kq_category_get_unread_count (g_ptr_array_index (listed, 1)), ==, 0);
  g_clear_pointer (&listed, g_ptr_array_unref);

  kq_store_mark_all_read_async (store, SOURCE, 0, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_cmpint (kq_store_mark_all_read_finish (store, result, &error), ==, 4);
  g_clear_object (&result);

  /* The site drops a category: it goes, in the new order. */
  g_clear_pointer (&categories, g_ptr_array_unref);
  categories = make_categories (fewer);
  g_ptr_array_remove_index (categories, 0);
  kq_store_upsert_categories_async (store, SOURCE, categories, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_upsert_categories_finish (store, result, &error));
  listed = list_categories (store, SOURCE);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (kq_category_get_name (g_ptr_array_index (listed, 0)), ==, "Science");
  g_assert_cmpuint (kq_category_get_position (g_ptr_array_index (listed, 0)), ==, 0);
  g_clear_pointer (&listed, g_ptr_array_unref);

  listed = list_categories (store, OTHER_SOURCE);
  g_assert_cmpuint (listed->len, ==, 0);
}

static gint64
count_unread (KqStore    *store,
              const char *source,
              gint64      category_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;

  kq_store_count_unread_async (store, source, category_id, NULL, on_done, NULL);
  result = wait_done ();
  count = kq_store_count_unread_finish (store, result, &error);
  g_assert_no_error (error);
  return count;
}

static void
test_count_unread (Fixture       *f,
                   gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 4, 7);
  g_autoptr(GPtrArray) science = make_page (SOURCE, 10, 2, 8);
  g_autoptr(GPtrArray) other = make_page (OTHER_SOURCE, 1, 3, 7);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (count_unread (store, SOURCE, 0), ==, 0);
  upsert (store, page, NULL, NULL);
  upsert (store, science, NULL, NULL);
  upsert (store, other, NULL, NULL);

  /* The whole source ("À la une"), one category, another source. */
  g_assert_cmpint (count_unread (store, SOURCE, 0), ==, 6);
  g_assert_cmpint (count_unread (store, SOURCE, 7), ==, 4);
  g_assert_cmpint (count_unread (store, SOURCE, 8), ==, 2);
  g_assert_cmpint (count_unread (store, OTHER_SOURCE, 0), ==, 3);
  g_assert_cmpint (count_unread (store, "https://unknown.example", 0), ==, 0);

  set_read (store, SOURCE, 2, TRUE);
  g_assert_cmpint (count_unread (store, SOURCE, 0), ==, 5);
  g_assert_cmpint (count_unread (store, SOURCE, 7), ==, 3);

  kq_store_mark_all_read_async (store, SOURCE, 0, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_cmpint (kq_store_mark_all_read_finish (store, result, &error), ==, 5);
  g_assert_no_error (error);
  g_assert_cmpint (count_unread (store, SOURCE, 0), ==, 0);
  g_assert_cmpint (count_unread (store, OTHER_SOURCE, 0), ==, 3);
}

static KqArticle *
article_by_link (KqStore     *store,
                 const char  *source,
                 const char  *link,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_store_get_article_by_link_async (store, source, link, NULL, on_done, NULL);
  result = wait_done ();
  return kq_store_get_article_by_link_finish (store, result, error);
}

static void
test_article_by_link (Fixture       *f,
                      gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 5, 7);
  g_autoptr(GPtrArray) other = make_page (OTHER_SOURCE, 1, 5, 7);
  const char * const forms[] = {
    SOURCE "/article-3/", SOURCE "/article-3", SOURCE "/article-3/#comments",
    "http://kulturegeek.example/article-3/", "http://kulturegeek.example/article-3",
  };

  upsert (store, page, NULL, NULL);
  upsert (store, other, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KqArticle) found = article_by_link (store, SOURCE, forms[i], &error);

      g_assert_no_error (error);
      g_assert_cmpint (kq_article_get_id (found), ==, 3);
      g_assert_cmpstr (kq_article_get_source (found), ==, SOURCE);
      g_assert_nonnull (kq_article_get_body_html (found));
    }

  /* Not cached, or another source's permalink. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KqArticle) found = article_by_link (store, SOURCE, SOURCE "/article-42/", &error);

    g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_NOT_FOUND);
    g_assert_null (found);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KqArticle) found = article_by_link (store, SOURCE, OTHER_SOURCE "/article-3/", &error);

    g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_NOT_FOUND);
    g_assert_null (found);
  }

  /* Gone from the cache: the bookmark's copy. */
  add_bookmark (store, g_ptr_array_index (page, 1));
  clear_cache (store);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KqArticle) found = article_by_link (store, SOURCE, SOURCE "/article-2", &error);
    g_autoptr(KqArticle) gone = article_by_link (store, SOURCE, SOURCE "/article-3/", NULL);

    g_assert_no_error (error);
    g_assert_cmpint (kq_article_get_id (found), ==, 2);
    g_assert_true (kq_article_get_bookmarked (found));
    g_assert_null (gone);
  }
}

static void
test_bookmarks (Fixture       *f,
                gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 3, 7);
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) saved_first = NULL;
  g_autofree char *backup = NULL;
  KqArticle *first = g_ptr_array_index (page, 0);
  JsonArray *entries;
  JsonObject *entry;

  kq_article_set_thumbnail (first, "https://img.example/thumb.jpg", 300, 200);
  upsert (store, page, NULL, NULL);
  g_assert_false (is_bookmarked (store, SOURCE, 1));

  add_bookmark (store, first);
  add_bookmark (store, g_ptr_array_index (page, 2));
  g_assert_true (is_bookmarked (store, SOURCE, 1));
  g_assert_false (is_bookmarked (store, SOURCE, 2));
  g_assert_false (is_bookmarked (store, OTHER_SOURCE, 1));

  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 2);
  /* Newest saved first. */
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (bookmarks, 0)), ==, 3);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (bookmarks, 1)), ==, 1);
  assert_same_article (g_ptr_array_index (bookmarks, 1), first);
  g_assert_true (kq_article_get_bookmarked (g_ptr_array_index (bookmarks, 1)));
  saved_first = g_date_time_ref (kq_store_article_get_saved_date (g_ptr_array_index (bookmarks, 1)));
  g_assert_nonnull (saved_first);
  g_clear_pointer (&bookmarks, g_ptr_array_unref);

  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_true (kq_article_get_bookmarked (g_ptr_array_index (listed, 0)));
  g_assert_false (kq_article_get_bookmarked (g_ptr_array_index (listed, 1)));
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* Adding again refreshes the copy, keeps the date and the order. */
  kq_article_set_title (first, "Titre mis à jour");
  add_bookmark (store, first);
  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 2);
  g_assert_cmpstr (kq_article_get_title (g_ptr_array_index (bookmarks, 1)), ==, "Titre mis à jour");
  g_assert_true (g_date_time_equal (saved_first,
                                    kq_store_article_get_saved_date (g_ptr_array_index (bookmarks, 1))));
  g_clear_pointer (&bookmarks, g_ptr_array_unref);

  /* The backup follows, with every image URL. */
  g_assert_true (g_file_get_contents (kq_store_get_backup_path (store), &backup, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, backup, -1, &error));
  g_assert_no_error (error);
  entries = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "bookmarks");
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  entry = json_array_get_object_element (entries, 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "title"), ==, "Titre mis à jour");
  {
    JsonArray *images = json_object_get_array_member (entry, "images");

    g_assert_cmpuint (json_array_get_length (images), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (images, 0), ==, "https://img.example/thumb.jpg");
    g_assert_cmpstr (json_array_get_string_element (images, 1), ==, "https://img.example/1.jpg");
  }

  /* The bookmark outlives the cache. */
  clear_cache (store);
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 0);
  article = get_article (store, SOURCE, 1, &error);
  g_assert_no_error (error);
  g_assert_true (kq_article_get_bookmarked (article));
  g_assert_cmpstr (kq_article_get_body_html (article), ==, kq_article_get_body_html (first));

  remove_bookmark (store, SOURCE, 1);
  g_assert_false (is_bookmarked (store, SOURCE, 1));
  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 1);
  g_free (backup);
  g_assert_true (g_file_get_contents (kq_store_get_backup_path (store), &backup, NULL, NULL));
  g_assert_null (strstr (backup, "Titre mis à jour"));
}

static void
test_clear_cache (Fixture       *f,
                  gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 3, 7);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;

  upsert (store, page, NULL, NULL);
  set_read (store, SOURCE, 2, TRUE);
  kq_store_set_validator_async (store, SOURCE "/wp-json/wp/v2/posts", "\"abc\"", NULL, NULL,
                                NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_set_validator_finish (store, result, &error));
  g_clear_object (&result);

  clear_cache (store);
  listed = list_articles (store, NULL, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 0);
  g_clear_pointer (&listed, g_ptr_array_unref);
  results = search (store, "numéro", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 0);
  g_clear_pointer (&results, g_ptr_array_unref);
  kq_store_get_validator_async (store, SOURCE "/wp-json/wp/v2/posts", NULL, on_done, NULL);
  result = wait_done ();
  g_assert_false (kq_store_get_validator_finish (store, result, &etag, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Read state survives; the index works again after a refill. */
  upsert (store, page, NULL, NULL);
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_true (kq_article_get_read (g_ptr_array_index (listed, 1)));
  g_assert_false (kq_article_get_read (g_ptr_array_index (listed, 0)));
  results = search (store, "numéro 2", &error);
  g_assert_cmpuint (results->len, ==, 1);
}

static KqArticle *
search_fixture (gint64      id,
                const char *title,
                const char *body)
{
  return make_article (SOURCE, id, title, body, id, 0);
}

static gboolean
results_have (GPtrArray *results,
              gint64     id)
{
  for (guint i = 0; i < results->len; i++)
    if (kq_article_get_id (((KqSearchResult *) g_ptr_array_index (results, i))->article) == id)
      return TRUE;
  return FALSE;
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const char * const hostile[] = {
    "c++", "\"", "\"\"", "\"non fermé", "AND", "OR", "NOT", "a OR", "OR b", "NEAR(", "NEAR(a b, 2)",
    "-", "-écran", "a - b", "title:écran", "body_text:x", "{title excerpt}: a", "(", ")", "((a)",
    "*", "a*b", "^écran", "'", "''", "\\", "écran\"+*", "", "   ", "\t\n", "+", "a AND OR b",
    "\xef\xbf\xbd", "日本語", "🙂", "x:y:z", "a NOT", "\"a\" \"b", "%", "_", ";DROP TABLE articles;--",
    NULL
  };
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *markup = NULL;
  KqSearchResult *hit;

  g_ptr_array_add (page, search_fixture (1, "Matériel : le nouveau PC portable",
                                         "<p>Un ordinateur pour le bureau.</p>"));
  g_ptr_array_add (page, search_fixture (2, "Test d’un moniteur",
                                         "<p>Son <em>écran</em> de 27 pouces est lumineux.</p>"));
  g_ptr_array_add (page, search_fixture (3, "Le smartphone pliable arrive",
                                         "<p>Un appareil étonnant.</p>"));
  g_ptr_array_add (page, search_fixture (4, "Une journée au salon",
                                         "<p>On y a vu un smartphone, une tablette et un drone.</p>"));
  g_ptr_array_add (page, search_fixture (5, "Rien à voir",
                                         "<script>var smartphone = 1;</script><p>Une recette de crêpes.</p>"));
  upsert (store, page, NULL, NULL);

  /* Accents and case. */
  results = search (store, "materiel", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpint (kq_article_get_id (((KqSearchResult *) results->pdata[0])->article), ==, 1);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = search (store, "MATÉRIEL", &error);
  g_assert_cmpuint (results->len, ==, 1);
  g_clear_pointer (&results, g_ptr_array_unref);

  results = search (store, "ecran", &error);
  g_assert_cmpuint (results->len, ==, 1);
  hit = results->pdata[0];
  g_assert_cmpint (kq_article_get_id (hit->article), ==, 2);
  /* The snippet is plain text with the match highlighted. */
  g_assert_nonnull (strstr (hit->snippet, KQ_STORE_HIGHLIGHT_START "écran" KQ_STORE_HIGHLIGHT_END));
  g_assert_null (strstr (hit->snippet, "<em>"));
  markup = kq_store_snippet_to_markup (hit->snippet);
  g_assert_nonnull (strstr (markup, "<b>écran</b>"));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Prefix as the user types; title matches rank above body matches; scripts are not text. */
  results = search (store, "smartph", &error);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpint (kq_article_get_id (((KqSearchResult *) results->pdata[0])->article), ==, 3);
  g_assert_cmpint (kq_article_get_id (((KqSearchResult *) results->pdata[1])->article), ==, 4);
  g_assert_cmpfloat (((KqSearchResult *) results->pdata[0])->rank, <=,
                     ((KqSearchResult *) results->pdata[1])->rank);
  g_assert_false (results_have (results, 5));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Several words: all must match. */
  results = search (store, "smartphone tabl", &error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_true (results_have (results, 4));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* An apostrophe splits words like the tokenizer does. */
  results = search (store, "d’un moniteur", &error);
  g_assert_cmpuint (results->len, ==, 1);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Words that look like operators are words. */
  results = search (store, "OR", &error);
  g_assert_no_error (error);
  g_assert_true (results_have (results, 1)); /* "ordinateur" */
  g_clear_pointer (&results, g_ptr_array_unref);

  for (guint i = 0; hostile[i] != NULL; i++)
    {
      results = search (store, hostile[i], &error);
      if (error != NULL)
        g_error ("Query “%s” failed: %s", hostile[i], error->message);
      g_assert_nonnull (results);
      g_clear_pointer (&results, g_ptr_array_unref);
    }

  /* Source filter. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    kq_store_search_async (store, OTHER_SOURCE, "smartphone", 10, NULL, on_done, NULL);
    result = wait_done ();
    results = kq_store_search_finish (store, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (results->len, ==, 0);
  }
}

static void
test_fts_query (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *q1 = _kq_store_fts_query ("c++ AND \"x");
  g_autofree char *q2 = _kq_store_fts_query (" - + ");
  g_autofree char *q3 = _kq_store_fts_query ("smartph");

  g_assert_cmpstr (q1, ==, "\"c++\" \"AND\" \"\"\"x\"*");
  g_assert_null (q2);
  g_assert_cmpstr (q3, ==, "\"smartph\"*");
}

static void
test_snippet_markup (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *a = kq_store_snippet_to_markup ("a < b " KQ_STORE_HIGHLIGHT_START "&" KQ_STORE_HIGHLIGHT_END " c");
  g_autofree char *b = kq_store_snippet_to_markup (KQ_STORE_HIGHLIGHT_START "coupé");
  g_autofree char *c = kq_store_snippet_to_markup ("");

  g_assert_cmpstr (a, ==, "a &lt; b <b>&amp;</b> c");
  g_assert_cmpstr (b, ==, "<b>coupé</b>");
  g_assert_cmpstr (c, ==, "");
}

static void
test_validators (Fixture       *f,
                 gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GBytes) body = g_bytes_new_static ("[{\"id\":1}]", 10);
  g_autoptr(GBytes) got_body = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;

  kq_store_set_validator_async (store, "https://a.example/feed", "W/\"1\"",
                                "Wed, 01 May 2024 10:00:00 GMT", body, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_set_validator_finish (store, result, &error));
  g_clear_object (&result);
  kq_store_set_validator_async (store, "https://b.example/feed", NULL,
                                "Thu, 02 May 2024 10:00:00 GMT", NULL, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_set_validator_finish (store, result, &error));
  g_clear_object (&result);

  kq_store_get_validator_async (store, "https://a.example/feed", NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_get_validator_finish (store, result, &etag, &last_modified, &got_body, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (etag, ==, "W/\"1\"");
  g_assert_cmpstr (last_modified, ==, "Wed, 01 May 2024 10:00:00 GMT");
  g_assert_true (g_bytes_equal (body, got_body));
  g_clear_object (&result);

  kq_store_get_validator_async (store, "https://unknown.example/", NULL, on_done, NULL);
  result = wait_done ();
  g_assert_false (kq_store_get_validator_finish (store, result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  kq_store_list_validators_async (store, NULL, on_done, NULL);
  result = wait_done ();
  all = kq_store_list_validators_finish (store, result, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_null (((KqStoreValidator *) all->pdata[1])->etag);
  g_assert_null (((KqStoreValidator *) all->pdata[1])->body);
  g_clear_pointer (&all, g_ptr_array_unref);
  g_clear_object (&result);

  /* No validator left: forgotten. */
  kq_store_set_validator_async (store, "https://a.example/feed", NULL, NULL, NULL, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_set_validator_finish (store, result, &error));
  g_clear_object (&result);
  kq_store_list_validators_async (store, NULL, on_done, NULL);
  result = wait_done ();
  all = kq_store_list_validators_finish (store, result, &error);
  g_assert_cmpuint (all->len, ==, 1);
}

static void
test_prune (Fixture       *f,
            gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 10, 7);  /* article i is i days old */
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  KqArticle *oldest = g_ptr_array_index (page, 9);

  upsert (store, page, NULL, NULL);
  add_bookmark (store, oldest);
  add_bookmark (store, g_ptr_array_index (page, 1));
  set_read (store, SOURCE, 9, TRUE);

  /* Nothing is old by fetch date yet: age alone prunes nothing just fetched. */
  g_assert_cmpint (prune (store, 3 * 86400, 0), ==, 0);

  /* By count: the newest 3 stay, and the bookmarked ones. */
  g_assert_cmpint (prune (store, 0, 3), ==, 6);
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 4);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 0)), ==, 1);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 2)), ==, 3);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 3)), ==, 10);
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* Everything at once: only bookmarks stay. */
  g_assert_cmpint (prune (store, 0, 1), ==, 1);
  g_assert_cmpint (prune (store, 0, 1), ==, 0);
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 3);
  g_clear_pointer (&listed, g_ptr_array_unref);

  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 2);
  assert_same_article (g_ptr_array_index (bookmarks, 1), oldest);

  /* Read state outlives pruning. */
  upsert (store, page, NULL, NULL);
  listed = list_articles (store, SOURCE, 0, 8, 1);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 0)), ==, 9);
  g_assert_true (kq_article_get_read (g_ptr_array_index (listed, 0)));
}

static void
test_prune_by_age (Fixture       *f,
                   gconstpointer  data)
{
  const char *path = f->path;
  g_autoptr(KqStore) store = open_store (NULL);
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 10, 7);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  sqlite3 *db;

  upsert (store, page, NULL, NULL);
  add_bookmark (store, g_ptr_array_index (page, 9));
  g_clear_object (&store);

  /* Pretend everything was fetched a month ago. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE articles SET fetched_at = fetched_at - 30 * 86400",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (NULL);
  /* Older than 5 days (articles 5…10 are 5+ days old), bookmark 10 kept. */
  g_assert_cmpint (prune (store, 5 * 86400, 0), ==, 5);
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 5);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 3)), ==, 4);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (listed, 4)), ==, 10);
  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 1);
}

static KqArticle *
tricky_article (gint64 id)
{
  KqArticle *article = make_article (SOURCE, id, "Guillemets « \"doubles\" » & <balises> — ok",
                                     "<p>Corps <img src='https://img.example/a&amp;b.png'></p>",
                                     id, 7);

  kq_article_set_thumbnail (article, "https://img.example/th.jpg", 150, 100);
  kq_article_set_link (article, "https://kulturegeek.example/?p=1&a=\"x\"");
  return article;
}

static void
test_export_import (Fixture       *f,
                    gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(KqStore) other = NULL;
  g_autoptr(GFile) file = g_file_new_build_filename (tmp_dir (), "export.json", NULL);
  g_autoptr(GFile) bad = g_file_new_build_filename (tmp_dir (), "bad.json", NULL);
  g_autoptr(GFile) newer = g_file_new_build_filename (tmp_dir (), "newer.json", NULL);
  g_autoptr(GFile) missing = g_file_new_build_filename (tmp_dir (), "missing.json", NULL);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = g_build_filename (tmp_dir (), "other", "kiosque.db", NULL);

  for (gint64 id = 1; id <= 3; id++)
    {
      g_autoptr(KqArticle) article = tricky_article (id);

      add_bookmark (store, article);
    }
  set_read (store, SOURCE, 2, TRUE);
  before = list_bookmarks (store);

  g_assert_cmpint (file_job (store, file, kq_store_export_bookmarks_async,
                             kq_store_export_bookmarks_finish, &error), ==, 3);
  g_assert_no_error (error);

  other = open_store (other_path);
  g_assert_cmpint (file_job (other, file, kq_store_import_bookmarks_async,
                             kq_store_import_bookmarks_finish, &error), ==, 3);
  g_assert_no_error (error);
  /* Twice: merged, no duplicates. Into the first store: nothing new either. */
  g_assert_cmpint (file_job (other, file, kq_store_import_bookmarks_async,
                             kq_store_import_bookmarks_finish, &error), ==, 0);
  g_assert_cmpint (file_job (store, file, kq_store_import_bookmarks_async,
                             kq_store_import_bookmarks_finish, &error), ==, 0);

  after = list_bookmarks (other);
  g_assert_cmpuint (after->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      KqArticle *a = g_ptr_array_index (before, i);
      KqArticle *b = g_ptr_array_index (after, i);

      kq_article_set_reading_minutes (b, kq_article_get_reading_minutes (a));
      assert_same_article (a, b);
      g_assert_cmpstrv (kq_article_get_category_names (a), kq_article_get_category_names (b));
      g_assert_true (g_date_time_equal (kq_store_article_get_saved_date (a),
                                        kq_store_article_get_saved_date (b)));
    }

  /* Not a bookmarks file; a newer format; no file. */
  g_assert_true (g_file_set_contents (g_file_peek_path (bad),
                                      "{\"format\": \"other\", \"version\": 1, \"bookmarks\": []}",
                                      -1, NULL));
  g_assert_cmpint (file_job (other, bad, kq_store_import_bookmarks_async,
                             kq_store_import_bookmarks_finish, &error), ==, -1);
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_INVALID_FILE);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (g_file_peek_path (bad), "garbage", -1, NULL));
  g_assert_cmpint (file_job (other, bad, kq_store_import_bookmarks_async,
                             kq_store_import_bookmarks_finish, &error), ==, -1);
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_INVALID_FILE);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (g_file_peek_path (newer),
                                      "{\"format\": \"kiosque-bookmarks\", \"version\": 2, \"bookmarks\": []}",
                                      -1, NULL));
  g_assert_cmpint (file_job (other, newer, kq_store_import_bookmarks_async,
                             kq_store_import_bookmarks_finish, &error), ==, -1);
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_INVALID_FILE);
  g_clear_error (&error);
  g_assert_cmpint (file_job (other, missing, kq_store_import_bookmarks_async,
                             kq_store_import_bookmarks_finish, &error), ==, -1);
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_FAILED);
}

static void
test_export_html (Fixture       *f,
                  gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GFile) file = g_file_new_build_filename (tmp_dir (), "bookmarks.html", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  htmlParserCtxtPtr ctxt;
  htmlDocPtr doc;
  xmlXPathContextPtr xpath;
  xmlXPathObjectPtr links;
  gsize length;

  for (gint64 id = 1; id <= 3; id++)
    {
      g_autoptr(KqArticle) article = tricky_article (id);

      add_bookmark (store, article);
    }

  g_assert_cmpint (file_job (store, file, kq_store_export_bookmarks_html_async,
                             kq_store_export_bookmarks_html_finish, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"));
  g_assert_true (g_utf8_validate (contents, length, NULL));
  g_assert_null (strstr (contents, "<balises>"));
  g_assert_nonnull (strstr (contents, "&lt;balises&gt;"));

  /* A browser's HTML parser reads it without an error and finds each link. */
  ctxt = htmlNewParserCtxt ();
  doc = htmlCtxtReadMemory (ctxt, contents, length, "bookmarks.html", "UTF-8",
                            HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  g_assert_nonnull (doc);
  g_assert_cmpint (ctxt->errNo, ==, 0);
  xpath = xmlXPathNewContext (doc);
  links = xmlXPathEvalExpression ((const xmlChar *) "//dl/dt/dl/dt/a[@href][@add_date]", xpath);
  if (links->nodesetval == NULL || links->nodesetval->nodeNr != 3)
    {
      xmlXPathFreeObject (links);
      links = xmlXPathEvalExpression ((const xmlChar *) "//a[@href][@add_date]", xpath);
    }
  g_assert_nonnull (links->nodesetval);
  g_assert_cmpint (links->nodesetval->nodeNr, ==, 3);
  {
    xmlNodePtr a = links->nodesetval->nodeTab[0];
    xmlChar *href = xmlGetProp (a, (const xmlChar *) "href");
    xmlChar *text = xmlNodeGetContent (a);

    g_assert_cmpstr ((const char *) href, ==, "https://kulturegeek.example/?p=1&a=\"x\"");
    g_assert_cmpstr ((const char *) text, ==, "Guillemets « \"doubles\" » & <balises> — ok");
    xmlFree (href);
    xmlFree (text);
  }
  xmlXPathFreeObject (links);
  xmlXPathFreeContext (xpath);
  xmlFreeDoc (doc);
  htmlFreeParserCtxt (ctxt);
}

static void
test_migrate_v1 (Fixture       *f,
                 gconstpointer  data)
{
  const char *path = f->path;
  g_autoptr(KqStore) store = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GFile) file = g_file_new_build_filename (tmp_dir (), "v1.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;
  sqlite3 *db;

  /* A version 1 database as Kiosque 0.1 wrote it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, _kq_store_schema_v1_sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO sources (id, url) VALUES (1, '" SOURCE "');"
                                 "INSERT INTO categories (source_id, id, name, position) VALUES (1, 7, 'Matériel', 0);"
                                 "INSERT INTO articles (rid, source_id, id, title, excerpt, body_html, date, fetched_at)"
                                 " VALUES (1, 1, 501, 'Un grand écran', 'Résumé',"
                                 " '<p>Le <b>téléviseur</b> <img src=\"https://img.example/tv.jpg\"></p>',"
                                 " 1700000000, 1700000000);"
                                 "INSERT INTO article_categories (article, category_id) VALUES (1, 7);"
                                 "INSERT INTO read_state (source, article_id, read_at) VALUES ('" SOURCE "', 501, 1);"
                                 "INSERT INTO bookmarks (source, article_id, title, body_html, link, saved_at)"
                                 " VALUES ('" SOURCE "', 501, 'Un grand écran',"
                                 " '<p><img src=\"https://img.example/tv.jpg\"></p>', 'https://x.example/501', 5);"
                                 "INSERT INTO validators (url, etag, updated_at) VALUES ('https://x.example/', 'e1', 1);"
                                 "PRAGMA user_version = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (NULL);
  g_assert_false (kq_store_get_recovered (store));

  results = search (store, "televiseur", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_true (kq_article_get_read (((KqSearchResult *) results->pdata[0])->article));
  listed = list_articles (store, SOURCE, 7, 0, 0);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_true (kq_article_get_bookmarked (g_ptr_array_index (listed, 0)));
  categories = list_categories (store, SOURCE);
  g_assert_cmpuint (kq_category_get_unread_count (g_ptr_array_index (categories, 0)), ==, 0);
  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 1);

  /* The bookmark's image URLs were filled by the migration. */
  g_assert_cmpint (file_job (store, file, kq_store_export_bookmarks_async,
                             kq_store_export_bookmarks_finish, &error), ==, 1);
  g_assert_true (g_file_load_contents (file, NULL, &exported, NULL, NULL, NULL));
  g_assert_nonnull (strstr (exported, "\"images\" : [\n    \"https://img.example/tv.jpg\""));
  g_clear_object (&store);

  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, KQ_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sql_int (path, "SELECT count (*) FROM validators WHERE etag = 'e1'"), ==, 1);
}

static GPtrArray *
list_validators (KqStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *validators;

  kq_store_list_validators_async (store, NULL, on_done, NULL);
  result = wait_done ();
  validators = kq_store_list_validators_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (validators);
  return validators;
}

/* Version 2 had validators without their response headers. */
static void
test_migrate_v2 (Fixture       *f,
                 gconstpointer  data)
{
  const char *path = f->path;
  g_autoptr(KqStore) store = NULL;
  g_autoptr(GPtrArray) validators = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("[]", 2);
  g_autoptr(GError) error = NULL;
  KqStoreValidator *validator;
  sqlite3 *db;

  /* A version 2 file: today's schema less the headers column and meta. */
  store = open_store (NULL);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TABLE meta;"
                                 "ALTER TABLE sources DROP COLUMN mode;"
                                 "ALTER TABLE sources DROP COLUMN api_root;"
                                 "ALTER TABLE sources DROP COLUMN feed_url;"
                                 "ALTER TABLE sources DROP COLUMN title;"
                                 "ALTER TABLE validators DROP COLUMN headers;"
                                 "INSERT INTO validators (url, etag, body, updated_at)"
                                 " VALUES ('https://x.example/posts', 'e2', x'5b5d', 2);"
                                 "PRAGMA user_version = 2;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (NULL);
  g_assert_false (kq_store_get_recovered (store));
  validators = list_validators (store);
  g_assert_cmpuint (validators->len, ==, 1);
  validator = g_ptr_array_index (validators, 0);
  g_assert_cmpstr (validator->etag, ==, "e2");
  g_assert_true (g_bytes_equal (validator->body, body));
  g_assert_null (validator->headers);
  g_clear_pointer (&validators, g_ptr_array_unref);

  /* The headers now go with the validator. */
  kq_store_set_validator_full_async (store, "https://x.example/posts", "e3", NULL, body,
                                     "X-WP-Total: 42\nX-WP-TotalPages: 5\n", NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_set_validator_finish (store, result, &error));
  g_assert_no_error (error);
  validators = list_validators (store);
  g_assert_cmpuint (validators->len, ==, 1);
  validator = g_ptr_array_index (validators, 0);
  g_assert_cmpstr (validator->etag, ==, "e3");
  g_assert_cmpstr (validator->headers, ==, "X-WP-Total: 42\nX-WP-TotalPages: 5\n");
  g_clear_object (&store);

  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, KQ_STORE_SCHEMA_VERSION);
}

static KqStoreDiscovery *
get_discovery (KqStore    *store,
               const char *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KqStoreDiscovery *discovery;

  kq_store_get_discovery_async (store, source, NULL, on_done, NULL);
  result = wait_done ();
  discovery = kq_store_get_discovery_finish (store, result, &error);
  g_assert_no_error (error);
  return discovery;
}

static void
set_discovery (KqStore    *store,
               const char *source,
               const char *mode,
               const char *api_root,
               const char *feed_url,
               const char *title)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_set_discovery_async (store, source, mode, api_root, feed_url, title, NULL, on_done,
                                NULL);
  result = wait_done ();
  g_assert_true (kq_store_set_discovery_finish (store, result, &error));
  g_assert_no_error (error);
}

/* Version 4 kept nothing of discovery: its sources and articles are carried
 * over, and discovery is kept from then on. */
static void
test_migrate_v4 (Fixture       *f,
                 gconstpointer  data)
{
  const char *path = f->path;
  g_autoptr(KqStore) store = NULL;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 3, 0);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(KqStoreDiscovery) none = NULL;
  g_autoptr(KqStoreDiscovery) kept = NULL;
  g_autoptr(KqStoreDiscovery) again = NULL;
  sqlite3 *db;

  /* A version 4 file: today's schema less the sources' discovery columns. */
  store = open_store (NULL);
  upsert (store, page, NULL, NULL);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "ALTER TABLE sources DROP COLUMN mode;"
                                 "ALTER TABLE sources DROP COLUMN api_root;"
                                 "ALTER TABLE sources DROP COLUMN feed_url;"
                                 "ALTER TABLE sources DROP COLUMN title;"
                                 "PRAGMA user_version = 4;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (NULL);
  g_assert_false (kq_store_get_recovered (store));
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 3);
  none = get_discovery (store, SOURCE);
  g_assert_null (none);

  set_discovery (store, SOURCE, "wp-rest", SOURCE "/?rest_route=/", SOURCE "/feed/", "Le Site");
  kept = get_discovery (store, SOURCE);
  g_assert_nonnull (kept);
  g_assert_cmpstr (kept->mode, ==, "wp-rest");
  g_assert_cmpstr (kept->api_root, ==, SOURCE "/?rest_route=/");
  g_assert_cmpstr (kept->feed_url, ==, SOURCE "/feed/");
  g_assert_cmpstr (kept->title, ==, "Le Site");
  g_clear_object (&store);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, KQ_STORE_SCHEMA_VERSION);

  /* Kept across a restart; a source never discovered has nothing. */
  store = open_store (NULL);
  again = get_discovery (store, SOURCE);
  g_assert_nonnull (again);
  g_assert_cmpstr (again->mode, ==, "wp-rest");
  g_assert_null (get_discovery (store, "https://autre.example"));
}

static void
test_migrate_v0 (Fixture       *f,
                 gconstpointer  data)
{
  const char *path = f->path;
  g_autoptr(KqStore) store = NULL;

  /* An empty file is an empty database (version 0). */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  store = open_store (NULL);
  g_assert_false (kq_store_get_recovered (store));
  g_clear_object (&store);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, KQ_STORE_SCHEMA_VERSION);
}

static void
test_future_schema (Fixture       *f,
                    gconstpointer  data)
{
  const char *path = f->path;
  const char *dir = f->dir;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *backup_before = NULL;
  g_autofree char *backup_after = NULL;
  g_autoptr(KqStore) store = NULL;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 3, 0);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) entries = NULL;
  g_autofree char *seed = g_build_filename (tmp_dir (), "seed", "kiosque.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "kiosque-bookmarks.json", NULL);
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('précieux');"
                                 "PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = file_checksum (path);

  /* A bookmarks backup written by that newer version. */
  store = open_store (seed);
  add_bookmark (store, g_ptr_array_index (page, 0));
  g_assert_true (g_file_get_contents (kq_store_get_backup_path (store), &backup_before, NULL, NULL));
  g_clear_object (&store);
  g_assert_true (g_file_set_contents (backup, backup_before, -1, NULL));

  store = kq_store_new (NULL);
  g_assert_false (store_open (store, &error));
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_FUTURE_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_true (kq_store_get_in_memory (store));
  g_assert_false (kq_store_get_recovered (store));

  /* The app keeps running from memory, bookmarks shown from the backup. */
  upsert (store, page, NULL, NULL);
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 3);
  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 1);
  add_bookmark (store, g_ptr_array_index (page, 1));
  g_clear_object (&store);

  /* Untouched: same bytes, no file moved aside, backup not rewritten. */
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, 99);
  g_assert_true (g_file_get_contents (backup, &backup_after, NULL, NULL));
  g_assert_cmpstr (backup_before, ==, backup_after);
  entries = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (entries)) != NULL;)
    g_assert_null (strstr (name, "corrupt"));
}

/* Fills a database with bookmarks (so the backup exists) and articles, then closes it. */
static void
fill_and_close (guint n_bookmarks)
{
  g_autoptr(KqStore) store = open_store (NULL);
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 200, 7);

  upsert (store, page, NULL, NULL);
  for (guint i = 0; i < n_bookmarks; i++)
    add_bookmark (store, g_ptr_array_index (page, i));
}

static void
assert_recovered (guint n_bookmarks)
{
  g_autofree char *path = db_path ();
  g_autoptr(KqStore) store = kq_store_new (NULL);
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 2, 7);
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;
  guint notified = 0;

  g_signal_connect (store, "notify::recovered", G_CALLBACK (count_notify_cb), &notified);
  g_assert_true (store_open (store, &error));
  g_assert_no_error (error);
  g_assert_true (kq_store_get_recovered (store));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_false (kq_store_get_in_memory (store));
  g_assert_nonnull (kq_store_get_corrupt_path (store));
  g_assert_true (g_str_has_prefix (kq_store_get_corrupt_path (store), path));
  g_assert_nonnull (strstr (kq_store_get_corrupt_path (store), ".corrupt-"));
  g_assert_true (g_file_test (kq_store_get_corrupt_path (store), G_FILE_TEST_EXISTS));

  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, n_bookmarks);
  g_assert_cmpstr (kq_article_get_body_html (g_ptr_array_index (bookmarks, 0)), !=, NULL);

  /* The new database works. */
  upsert (store, page, NULL, NULL);
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 2);
  g_clear_object (&store);

  check = sql_text (path, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
}

static void
test_corrupt_garbage (Fixture       *f,
                      gconstpointer  data)
{
  const char *path = f->path;
  g_autofree char *garbage = g_malloc (16384);

  fill_and_close (3);
  for (guint i = 0; i < 16384; i++)
    garbage[i] = g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (path, garbage, 16384, NULL));
  assert_recovered (3);
}

static void
test_corrupt_header (Fixture       *f,
                     gconstpointer  data)
{
  const char *path = f->path;
  g_autofree char *contents = NULL;
  gsize length;

  /* A valid header followed by garbage pages. */
  fill_and_close (2);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8192);
  for (gsize i = 4096; i < length; i++)
    contents[i] = (char) (i * 7);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  assert_recovered (2);
}

static void
test_corrupt_truncated (Fixture       *f,
                        gconstpointer  data)
{
  const char *path = f->path;
  g_autofree char *contents = NULL;
  gsize length;

  fill_and_close (4);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 65536);
  g_assert_true (g_file_set_contents (path, contents, length / 3, NULL));
  assert_recovered (4);
}

static void
test_corrupt_tiny (Fixture       *f,
                   gconstpointer  data)
{
  const char *path = f->path;
  g_autofree char *contents = NULL;
  gsize length;

  fill_and_close (1);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (path, contents, 100, NULL));
  assert_recovered (1);
}

/* Overwrites everything past the first page in place: same size, same inode. */
static void
corrupt_in_place (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  FILE *file;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8192);
  for (gsize i = 4096; i < length; i++)
    contents[i] = (char) (i * 13);
  file = fopen (path, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpint (fseek (file, 4096, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (contents + 4096, 1, length - 4096, file), ==, length - 4096);
  g_assert_cmpint (fclose (file), ==, 0);
}

static void
test_clean_shutdown_skips_check (Fixture       *f,
                                 gconstpointer  data)
{
  const char *path = f->path;
  g_autofree char *marker = g_strconcat (path, ".clean", NULL);
  g_autoptr(KqStore) store = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  guint checks;

  /* A clean close leaves the marker: the next open trusts the file. */
  fill_and_close (1);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  checks = _kq_store_db_get_n_checks ();
  store = open_store (NULL);
  g_assert_cmpuint (_kq_store_db_get_n_checks (), ==, checks);
  g_assert_false (kq_store_get_recovered (store));
  /* In use: a crash from now on leaves no marker. */
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 200);
  g_clear_object (&store);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* After a crash (no marker): the full check. */
  g_assert_cmpint (g_unlink (marker), ==, 0);
  store = open_store (NULL);
  g_assert_cmpuint (_kq_store_db_get_n_checks (), ==, checks + 1);
  g_clear_object (&store);

  /* A marker that does not match the file (changed since): the full check. */
  g_assert_true (g_file_set_contents (marker, "1 2 3", -1, NULL));
  store = open_store (NULL);
  g_assert_cmpuint (_kq_store_db_get_n_checks (), ==, checks + 2);
  g_assert_false (kq_store_get_recovered (store));
}

/* The session before was killed (no marker), and the file was damaged
 * without changing its size: the check at open finds it. */
static void
test_corrupt_after_unclean_shutdown (Fixture       *f,
                                     gconstpointer  data)
{
  const char *path = f->path;
  g_autofree char *marker = g_strconcat (path, ".clean", NULL);

  fill_and_close (3);
  g_assert_cmpint (g_unlink (marker), ==, 0);
  corrupt_in_place (path);
  assert_recovered (3);
}

/* Closed cleanly, then written behind Kiosque's back (same size): the
 * marker no longer matches, so the check runs and finds the damage. */
static void
test_corrupt_after_clean_shutdown (Fixture       *f,
                                   gconstpointer  data)
{
  const char *path = f->path;
  g_autofree char *marker = g_strconcat (path, ".clean", NULL);

  fill_and_close (2);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  /* File times have a coarse clock: let it tick. */
  g_usleep (30 * G_TIME_SPAN_MILLISECOND);
  corrupt_in_place (path);
  assert_recovered (2);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (tmp_dir (), "locked", NULL);
  g_autofree char *path = NULL;
  g_autoptr(KqStore) store = NULL;
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 3, 0);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      /* Permissions do not stop root: a regular file where the folder should be does. */
      g_assert_true (g_file_set_contents (dir, "not a folder", -1, NULL));
      path = g_build_filename (dir, "kiosque", "kiosque.db", NULL);
    }
  else
    {
          g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
      path = g_build_filename (dir, "kiosque.db", NULL);
    }

  store = kq_store_new (path);
  g_assert_false (store_open (store, &error));
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "Nothing will be saved"));
  g_assert_true (kq_store_get_in_memory (store));

  upsert (store, page, NULL, NULL);
  add_bookmark (store, g_ptr_array_index (page, 0));
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_true (kq_article_get_bookmarked (g_ptr_array_index (listed, 0)));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  if (geteuid () != 0)
    g_chmod (dir, 0700);
}

static void
test_read_only_file (Fixture       *f,
                     gconstpointer  data)
{
  const char *path = f->path;
  g_autoptr(KqStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("File permissions do not apply to root");
      return;
    }

  fill_and_close (1);
  before = file_checksum (path);
  g_assert_cmpint (g_chmod (path, 0400), ==, 0);
  store = kq_store_new (NULL);
  g_assert_false (store_open (store, &error));
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_READ_ONLY);
  g_assert_true (kq_store_get_in_memory (store));
  g_assert_false (kq_store_get_recovered (store));
  g_clear_object (&store);
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  g_chmod (path, 0600);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  KqStore *store = f->store;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 3, 0);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  kq_store_upsert_articles_async (store, page, cancellable, on_done, NULL);
  result = wait_done ();
  g_assert_false (kq_store_upsert_articles_finish (store, result, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  listed = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (listed->len, ==, 0);
}

static void
test_implicit_open_and_order (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(KqStore) store = kq_store_new (NULL);
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 50, 0);
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;

  /* No open call; two jobs queued back to back run in order. */
  kq_store_upsert_articles_async (store, page, NULL, on_done, NULL);
  r1 = wait_done ();
  kq_store_list_articles_async (store, SOURCE, 0, 0, 10, NULL, on_done, NULL);
  r2 = wait_done ();
  g_assert_true (kq_store_upsert_articles_finish (store, r1, NULL, NULL, &error));
  listed = kq_store_list_articles_finish (store, r2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 10);
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KqStore) store = open_store (NULL);
  g_autoptr(GPtrArray) page = make_page (SOURCE, 1, 20, 7);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;

  upsert (store, page, NULL, NULL);
  add_bookmark (store, g_ptr_array_index (page, 4));
  set_read (store, SOURCE, 3, TRUE);
  before = list_articles (store, SOURCE, 0, 0, 0);
  g_clear_object (&store);

  store = open_store (NULL);
  after = list_articles (store, SOURCE, 0, 0, 0);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    {
      KqArticle *a = g_ptr_array_index (before, i);
      KqArticle *b = g_ptr_array_index (after, i);

      assert_same_article (a, b);
      g_assert_cmpint (kq_article_get_read (a), ==, kq_article_get_read (b));
      g_assert_cmpint (kq_article_get_bookmarked (a), ==, kq_article_get_bookmarked (b));
    }
  g_assert_true (kq_article_get_read (g_ptr_array_index (after, 2)));
  g_assert_true (kq_article_get_bookmarked (g_ptr_array_index (after, 4)));
  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 1);
}

static void
test_lost_database_restores_bookmarks (Fixture       *f,
                                       gconstpointer  data)
{
  const char *path = f->path;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(KqStore) store = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;

  fill_and_close (5);
  /* Someone deletes the database but not the backup. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_unlink (wal);
  g_unlink (shm);

  store = open_store (NULL);
  g_assert_false (kq_store_get_recovered (store));
  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 5);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (bookmarks, 0)), ==, 5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kq/store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_OPEN(path, func) \
  g_test_add ("/kq/store/" path, Fixture, NULL, fixture_setup_open, func, fixture_teardown)

  ADD ("open-default", test_open_default);
  ADD_OPEN ("upsert-list", test_upsert_list);
  ADD_OPEN ("upsert-keeps-body", test_upsert_keeps_body);
  ADD_OPEN ("get-article", test_get_article);
  ADD_OPEN ("list-without-bodies", test_list_without_bodies);
  ADD_OPEN ("categories-read-state", test_categories_read_state);
  ADD_OPEN ("count-unread", test_count_unread);
  ADD_OPEN ("article-by-link", test_article_by_link);
  ADD_OPEN ("bookmarks", test_bookmarks);
  ADD_OPEN ("clear-cache", test_clear_cache);
  ADD_OPEN ("search", test_search);
  ADD ("fts-query", test_fts_query);
  ADD ("snippet-markup", test_snippet_markup);
  ADD_OPEN ("validators", test_validators);
  ADD_OPEN ("prune", test_prune);
  ADD ("prune-by-age", test_prune_by_age);
  ADD_OPEN ("export-import", test_export_import);
  ADD_OPEN ("export-html", test_export_html);
  ADD ("migrate-v0", test_migrate_v0);
  ADD ("migrate-v1", test_migrate_v1);
  ADD ("migrate-v2", test_migrate_v2);
  ADD ("migrate-v4", test_migrate_v4);
  ADD ("future-schema", test_future_schema);
  ADD ("corrupt-garbage", test_corrupt_garbage);
  ADD ("corrupt-header", test_corrupt_header);
  ADD ("corrupt-truncated", test_corrupt_truncated);
  ADD ("corrupt-tiny", test_corrupt_tiny);
  ADD ("clean-shutdown-skips-check", test_clean_shutdown_skips_check);
  ADD ("corrupt-after-unclean-shutdown", test_corrupt_after_unclean_shutdown);
  ADD ("corrupt-after-clean-shutdown", test_corrupt_after_clean_shutdown);
  ADD ("read-only-folder", test_read_only);
  ADD ("read-only-file", test_read_only_file);
  ADD_OPEN ("cancel", test_cancel);
  ADD ("implicit-open", test_implicit_open_and_order);
  ADD ("restart", test_restart);
  ADD ("lost-database", test_lost_database_restores_bookmarks);

#undef ADD
#undef ADD_OPEN

  return g_test_run ();
}
