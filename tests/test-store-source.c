/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kq-http.h"
#include "kq-source.h"
#include "kq-store.h"
#include "kq-test-server.h"

/*
 * The store is ready for the UI: fill it through the Core's KqSource from
 * the test server (categories, pages of posts, one full post), mark read and
 * bookmark, then restart (a new KqStore on the same files) and read back the
 * same articles, categories, bookmarks, read state and HTTP validators.
 */

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
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
drain (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct {
  GPtrArray *articles;
  GPtrArray *categories;
  GPtrArray *bookmarks;
  GPtrArray *validators;
} Snapshot;

static void
snapshot_clear (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->articles, g_ptr_array_unref);
  g_clear_pointer (&snapshot->categories, g_ptr_array_unref);
  g_clear_pointer (&snapshot->bookmarks, g_ptr_array_unref);
  g_clear_pointer (&snapshot->validators, g_ptr_array_unref);
}

static void
take_snapshot (KqStore    *store,
               const char *source,
               Snapshot   *snapshot)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_list_articles_async (store, source, 0, 0, 0, NULL, on_done, NULL);
  result = wait_done ();
  snapshot->articles = kq_store_list_articles_finish (store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  kq_store_list_categories_async (store, source, NULL, on_done, NULL);
  result = wait_done ();
  snapshot->categories = kq_store_list_categories_finish (store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  kq_store_list_bookmarks_async (store, NULL, on_done, NULL);
  result = wait_done ();
  snapshot->bookmarks = kq_store_list_bookmarks_finish (store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  kq_store_list_validators_async (store, NULL, on_done, NULL);
  result = wait_done ();
  snapshot->validators = kq_store_list_validators_finish (store, result, &error);
  g_assert_no_error (error);
}

static void
assert_same_article (KqArticle *a,
                     KqArticle *b)
{
  GArray *ca = kq_article_get_category_ids (a);
  GArray *cb = kq_article_get_category_ids (b);

  g_assert_cmpint (kq_article_get_id (a), ==, kq_article_get_id (b));
  g_assert_cmpstr (kq_article_get_source (a), ==, kq_article_get_source (b));
  g_assert_cmpstr (kq_article_get_title (a), ==, kq_article_get_title (b));
  g_assert_cmpstr (kq_article_get_excerpt (a), ==, kq_article_get_excerpt (b));
  g_assert_cmpstr (kq_article_get_body_html (a), ==, kq_article_get_body_html (b));
  g_assert_cmpstr (kq_article_get_link (a), ==, kq_article_get_link (b));
  g_assert_cmpstr (kq_article_get_author (a), ==, kq_article_get_author (b));
  g_assert_true (g_date_time_equal (kq_article_get_date (a), kq_article_get_date (b)));
  g_assert_cmpstr (kq_article_get_thumbnail_url (a), ==, kq_article_get_thumbnail_url (b));
  g_assert_cmpstr (kq_article_get_image_url (a), ==, kq_article_get_image_url (b));
  g_assert_cmpuint (kq_article_get_comment_count (a), ==, kq_article_get_comment_count (b));
  g_assert_cmpuint (kq_article_get_reading_minutes (a), ==, kq_article_get_reading_minutes (b));
  g_assert_cmpint (kq_article_get_read (a), ==, kq_article_get_read (b));
  g_assert_cmpint (kq_article_get_bookmarked (a), ==, kq_article_get_bookmarked (b));
  g_assert_cmpuint (ca->len, ==, cb->len);
  for (guint i = 0; i < ca->len; i++)
    g_assert_true (kq_article_has_category (b, g_array_index (ca, gint64, i)));
}

static void
on_validator_changed (KqHttp     *http,
                      const char *url,
                      const char *etag,
                      const char *last_modified,
                      KqStore    *store)
{
  /* What the app does: persist each change (the worker keeps the order). */
  kq_store_set_validator_async (store, url, etag, last_modified, NULL, NULL, NULL, NULL);
}

static void
upsert_page (KqStore   *store,
             GPtrArray *posts)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_upsert_articles_async (store, posts, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_upsert_articles_finish (store, result, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_fill_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) server = kq_test_server_new (&error);
  g_autoptr(KqHttp) http = kq_http_new ();
  g_autoptr(KqSource) source = NULL;
  g_autoptr(KqStore) store = kq_store_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(KqArticle) full = NULL;
  Snapshot before = { 0 }, after = { 0 };
  const char *url;
  gint64 category_id;
  guint total_pages = 0, n_posts = 0;
  gulong handler;

  g_assert_no_error (error);
  source = kq_source_new (http, kq_test_server_get_url (server));

  kq_store_open_async (store, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_open_finish (store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  handler = g_signal_connect (http, "validator-changed", G_CALLBACK (on_validator_changed), store);

  /* Categories, in the site's order. */
  kq_source_list_categories_async (source, NULL, on_done, NULL);
  result = wait_done ();
  categories = kq_source_list_categories_finish (source, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (categories->len, >=, 10);
  g_clear_object (&result);
  url = kq_source_get_url (source);
  kq_store_upsert_categories_async (store, url, categories, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_upsert_categories_finish (store, result, &error));
  g_clear_object (&result);

  /* Two pages of the latest posts, and the first page of one category. */
  for (guint page = 1; page <= 2; page++)
    {
      g_autoptr(GPtrArray) posts = NULL;

      kq_source_list_posts_async (source, 0, page, NULL, on_done, NULL);
      result = wait_done ();
      posts = kq_source_list_posts_finish (source, result, &total_pages, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (posts->len, >, 0);
      n_posts += posts->len;
      g_clear_object (&result);
      upsert_page (store, posts);
    }
  category_id = kq_category_get_id (g_ptr_array_index (categories, 3));
  {
    g_autoptr(GPtrArray) posts = NULL;

    kq_source_list_posts_async (source, category_id, 1, NULL, on_done, NULL);
    result = wait_done ();
    posts = kq_source_list_posts_finish (source, result, NULL, &error);
    g_assert_no_error (error);
    g_clear_object (&result);
    upsert_page (store, posts);
  }

  /* Read state and bookmarks, one of them from a full post. */
  kq_store_mark_all_read_async (store, url, category_id, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_cmpint (kq_store_mark_all_read_finish (store, result, &error), >, 0);
  g_clear_object (&result);

  take_snapshot (store, url, &before);
  g_assert_cmpuint (before.articles->len, >=, n_posts);
  kq_store_set_read_async (store, url, kq_article_get_id (before.articles->pdata[0]), TRUE,
                           NULL, NULL, NULL);
  kq_store_get_article_async (store, url, kq_article_get_id (before.articles->pdata[1]), NULL,
                              on_done, NULL);
  result = wait_done ();
  full = kq_store_get_article_finish (store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  kq_store_add_bookmark_async (store, full, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_add_bookmark_finish (store, result, &error));
  g_clear_object (&result);
  kq_store_add_bookmark_async (store, before.articles->pdata[5], NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_add_bookmark_finish (store, result, &error));
  g_clear_object (&result);
  snapshot_clear (&before);
  take_snapshot (store, url, &before);

  /* Restart: a new store object on the same files. */
  g_signal_handler_disconnect (http, handler);
  g_clear_object (&store);
  store = kq_store_new (NULL);
  kq_store_open_async (store, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_open_finish (store, result, &error));
  g_assert_false (kq_store_get_recovered (store));
  g_clear_object (&result);
  take_snapshot (store, url, &after);

  g_assert_cmpuint (after.articles->len, ==, before.articles->len);
  for (guint i = 0; i < after.articles->len; i++)
    assert_same_article (before.articles->pdata[i], after.articles->pdata[i]);
  g_assert_true (kq_article_get_read (after.articles->pdata[0]));
  g_assert_true (kq_article_get_bookmarked (after.articles->pdata[1]));
  g_assert_true (kq_article_get_bookmarked (after.articles->pdata[5]));

  g_assert_cmpuint (after.categories->len, ==, categories->len);
  for (guint i = 0; i < after.categories->len; i++)
    {
      KqCategory *a = before.categories->pdata[i];
      KqCategory *b = after.categories->pdata[i];

      g_assert_cmpint (kq_category_get_id (b), ==, kq_category_get_id (categories->pdata[i]));
      g_assert_cmpstr (kq_category_get_name (b), ==, kq_category_get_name (a));
      g_assert_cmpuint (kq_category_get_unread_count (b), ==, kq_category_get_unread_count (a));
      if (kq_category_get_id (b) == category_id)
        g_assert_cmpuint (kq_category_get_unread_count (b), ==, 0);
    }

  g_assert_cmpuint (after.bookmarks->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      KqArticle *a = before.bookmarks->pdata[i];
      KqArticle *b = after.bookmarks->pdata[i];

      g_assert_cmpint (kq_article_get_id (a), ==, kq_article_get_id (b));
      g_assert_cmpstr (kq_article_get_title (a), ==, kq_article_get_title (b));
      g_assert_cmpstr (kq_article_get_body_html (a), ==, kq_article_get_body_html (b));
      g_assert_true (g_date_time_equal (kq_store_article_get_saved_date (a),
                                        kq_store_article_get_saved_date (b)));
    }
  g_assert_cmpint (kq_article_get_id (after.bookmarks->pdata[0]), ==,
                   kq_article_get_id (after.articles->pdata[5]));
  g_assert_nonnull (kq_article_get_body_html (after.bookmarks->pdata[1]));

  g_assert_cmpuint (after.validators->len, ==, before.validators->len);
  for (guint i = 0; i < after.validators->len; i++)
    {
      KqStoreValidator *a = before.validators->pdata[i];
      KqStoreValidator *b = after.validators->pdata[i];

      g_assert_cmpstr (a->url, ==, b->url);
      g_assert_cmpstr (a->etag, ==, b->etag);
      g_assert_cmpstr (a->last_modified, ==, b->last_modified);
    }
  g_test_message ("%u articles, %u categories, %u validators read back",
                  after.articles->len, after.categories->len, after.validators->len);

  snapshot_clear (&before);
  snapshot_clear (&after);

  /* Let the server see its connections close, then let it go. */
  g_clear_object (&source);
  g_clear_object (&http);
  drain (100);
  g_clear_object (&server);
  drain (100);
}

/* What the app does: persist the validators with the body and the headers
 * a 304 needs again. */
static void
on_validator_changed_full (KqHttp     *http,
                           const char *url,
                           const char *etag,
                           const char *last_modified,
                           KqStore    *store)
{
  g_autoptr(GBytes) body = kq_http_get_validator_body (http, url);
  g_autofree char *headers = kq_http_get_validator_headers (http, url);

  kq_store_set_validator_full_async (store, url, etag, last_modified, body, headers,
                                     NULL, NULL, NULL);
}

/* A new KqHttp preloaded from the store, as at start; @with_headers FALSE
 * preloads as before the headers were kept. Returns the URL of page 1 of
 * the posts through @posts_url. */
static KqHttp *
preloaded_http (KqStore   *store,
                gboolean   with_headers,
                char     **posts_url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) validators = NULL;
  g_autoptr(GError) error = NULL;
  KqHttp *http = kq_http_new ();

  kq_store_list_validators_async (store, NULL, on_done, NULL);
  result = wait_done ();
  validators = kq_store_list_validators_finish (store, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < validators->len; i++)
    {
      KqStoreValidator *validator = g_ptr_array_index (validators, i);

      g_assert_nonnull (validator->body);
      if (strstr (validator->url, "/wp/v2/posts") != NULL)
        {
          g_assert_null (*posts_url);
          *posts_url = g_strdup (validator->url);
          g_assert_nonnull (validator->headers);
          g_assert_nonnull (strstr (validator->headers, "X-WP-TotalPages: "));
          g_assert_nonnull (strstr (validator->headers, "X-WP-Total: "));
          g_assert_nonnull (strstr (validator->headers, "Content-Type: application/json"));
        }
      kq_http_set_validator_full (http, validator->url, validator->etag,
                                  validator->last_modified, validator->body,
                                  with_headers ? validator->headers : NULL);
    }
  g_assert_nonnull (*posts_url);
  return http;
}

static guint
first_page_total (KqHttp     *http,
                  const char *url)
{
  g_autoptr(KqSource) source = kq_source_new (http, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;
  guint total_pages = 0;

  kq_source_list_posts_async (source, 0, 1, NULL, on_done, NULL);
  result = wait_done ();
  posts = kq_source_list_posts_finish (source, result, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, >, 0);
  return total_pages;
}

/* After a restart, page 1 of the posts comes back as a 304 on the body
 * kept in the store: the page count is WordPress' own, not a guess. */
static void
test_validator_headers_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) server = kq_test_server_new (&error);
  g_autoptr(KqHttp) http = kq_http_new ();
  g_autoptr(KqStore) store = kq_store_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KqHttpResponse) response = NULL;
  g_autofree char *posts_url = NULL;
  g_autofree char *total_text = NULL;
  const char *url;
  guint total_pages, requests;
  gulong handler;

  g_assert_no_error (error);
  url = kq_test_server_get_url (server);
  /* Like most caches in front of WordPress: 304s without its headers. */
  kq_test_server_add_fault (server, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_BARE_NOT_MODIFIED, 0, 0);
  kq_store_open_async (store, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_open_finish (store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  handler = g_signal_connect (http, "validator-changed", G_CALLBACK (on_validator_changed_full),
                              store);
  total_pages = first_page_total (http, url);
  g_signal_handler_disconnect (http, handler);
  /* Enough pages that a guess (this page or the next) would be wrong. */
  g_assert_cmpuint (total_pages, >=, 3);
  total_text = g_strdup_printf ("%u", total_pages);

  /* Restart with the headers: the 304 answers with them. */
  g_clear_object (&http);
  http = preloaded_http (store, TRUE, &posts_url);
  requests = kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts");
  kq_http_get_async (http, posts_url, KQ_HTTP_FLAGS_CONDITIONAL, NULL, on_done, NULL);
  result = wait_done ();
  response = kq_http_get_finish (http, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (kq_http_response_get_not_modified (response));
  g_assert_cmpuint (kq_http_response_get_status (response), ==, 200);
  g_assert_cmpstr (kq_http_response_get_header (response, "X-WP-TotalPages"), ==, total_text);
  g_assert_nonnull (kq_http_response_get_header (response, "X-WP-Total"));
  g_assert_cmpstr (kq_http_response_get_content_type (response), ==, "application/json");
  g_clear_object (&response);

  g_assert_cmpuint (first_page_total (http, url), ==, total_pages);
  /* Both answered by the site (with 304s), not from memory. */
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts"), ==,
                    requests + 2);

  /* Without them (as before they were kept), the count is only a guess. */
  g_clear_object (&http);
  g_clear_pointer (&posts_url, g_free);
  http = preloaded_http (store, FALSE, &posts_url);
  g_assert_cmpuint (first_page_total (http, url), <, total_pages);

  g_clear_object (&http);
  drain (100);
  g_clear_object (&server);
  drain (100);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/kq/store-source/fill-restart", test_fill_restart);
  g_test_add_func ("/kq/store-source/validator-headers-restart", test_validator_headers_restart);
  return g_test_run ();
}
