/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "kq-feed-parser.h"
#include "kq-http.h"
#include "kq-i18n.h"
#include "kq-source.h"
#include "kq-test-server.h"
#include "kq-wp-parser.h"

#define WATCHDOG_SECONDS 20
#define PER_PAGE         10

typedef struct
{
  KqTestServer *server;
  KqHttp       *http;
  KqSource     *source;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = kq_test_server_new (&error);
  g_assert_no_error (error);
  f->http = kq_http_new ();
  kq_http_set_timeouts (f->http, 5000, 10000);
  f->source = kq_source_new (f->http, kq_test_server_get_url (f->server));
  kq_source_set_per_page (f->source, PER_PAGE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->source);
  g_clear_object (&f->http);
  g_clear_object (&f->server);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  g_error ("watchdog: the test did not finish within %d s", WATCHDOG_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  guint watchdog = g_timeout_add_seconds (WATCHDOG_SECONDS, watchdog_cb, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);

  return *slot;
}

/* Synchronous wrappers, each one bounded by the watchdog. */

static GPtrArray *
list_categories (KqSource  *source,
                 GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_source_list_categories_async (source, NULL, got_result_cb, &result);
  return kq_source_list_categories_finish (source, wait_for (&result), error);
}

static GPtrArray *
list_posts (KqSource  *source,
            gint64     category_id,
            guint      page,
            guint     *total_pages,
            GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_source_list_posts_async (source, category_id, page, NULL, got_result_cb, &result);
  return kq_source_list_posts_finish (source, wait_for (&result), total_pages, error);
}

static GPtrArray *
search (KqSource    *source,
        const char  *query,
        guint        page,
        guint       *total_pages,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_source_search_async (source, query, page, NULL, got_result_cb, &result);
  return kq_source_search_finish (source, wait_for (&result), total_pages, error);
}

static KqArticle *
get_post (KqSource  *source,
          gint64     id,
          GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_source_get_post_async (source, id, NULL, got_result_cb, &result);
  return kq_source_get_post_finish (source, wait_for (&result), error);
}

static GPtrArray *
list_comments (KqSource  *source,
               gint64     post_id,
               GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_source_list_comments_async (source, post_id, NULL, got_result_cb, &result);
  return kq_source_list_comments_finish (source, wait_for (&result), error);
}

/* The expectations come from the server's raw answers, read here with
 * json-glib, not through the code under test. */
static JsonNode *
raw_json (Fixture     *f,
          const char  *path_and_query,
          guint       *total,
          guint       *total_pages)
{
  g_autoptr(KqHttp) http = kq_http_new ();
  g_autofree char *url = g_strconcat (kq_test_server_get_url (f->server), path_and_query, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GBytes *body;

  kq_http_get_async (http, url, KQ_HTTP_FLAGS_NONE, NULL, got_result_cb, &result);
  response = kq_http_get_finish (http, wait_for (&result), &error);
  g_assert_no_error (error);
  body = kq_http_response_get_body (response);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);

  if (total != NULL)
    *total = (guint)g_ascii_strtoull (kq_http_response_get_header (response, "X-WP-Total"), NULL, 10);
  if (total_pages != NULL)
    *total_pages = (guint)g_ascii_strtoull (kq_http_response_get_header (response, "X-WP-TotalPages"),
                                            NULL, 10);

  return json_node_ref (json_parser_get_root (parser));
}

static GArray *
raw_ids (JsonNode *node)
{
  JsonArray *array = json_node_get_array (node);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (array, i), "id");
      g_array_append_val (ids, id);
    }

  return ids;
}

static void
assert_same_ids (GPtrArray *articles,
                 GArray    *ids)
{
  g_assert_cmpuint (articles->len, ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (kq_article_get_id (g_ptr_array_index (articles, i)), ==,
                     g_array_index (ids, gint64, i));
}

static void
assert_articles_sane (Fixture   *f,
                      GPtrArray *articles)
{
  for (guint i = 0; i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);

      g_assert_cmpstr (kq_article_get_source (article), ==, kq_test_server_get_url (f->server));
      g_assert_cmpint (kq_article_get_id (article), >, 0);
      g_assert_nonnull (kq_article_get_title (article));
      g_assert_cmpuint (strlen (kq_article_get_title (article)), >, 0);
      /* Decoded: no entities left in plain text. */
      g_assert_null (strstr (kq_article_get_title (article), "&#"));
      g_assert_null (strstr (kq_article_get_title (article), "&amp;"));
      g_assert_nonnull (kq_article_get_date (article));
      g_assert_nonnull (kq_article_get_link (article));
    }
}

static KqCategory *
find_category_by_name (GPtrArray  *categories,
                       const char *name)
{
  for (guint i = 0; i < categories->len; i++)
    if (g_strcmp0 (kq_category_get_name (g_ptr_array_index (categories, i)), name) == 0)
      return g_ptr_array_index (categories, i);

  return NULL;
}

static gboolean
has_category_name (KqArticle  *article,
                   const char *name)
{
  const char * const *names = kq_article_get_category_names (article);

  return names != NULL && g_strv_contains (names, name);
}

static void
assert_readable (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), >, 15);
  g_assert_true (g_unichar_isupper (g_utf8_get_char (error->message)));
}

/* A word of a post's title long enough to be a useful search. */
static char *
pick_search_word (const char *title)
{
  g_auto(GStrv) words = g_strsplit_set (title, " ’'«»:,.!?", -1);
  const char *best = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    if (g_utf8_strlen (words[i], -1) >= 6 && (best == NULL || strlen (words[i]) > strlen (best)))
      best = words[i];

  g_assert_nonnull (best);
  return g_strdup (best);
}

/* ---------------------------------------------------------------------- */
/* REST                                                                   */

static void
on_mode_notify (KqSource   *source,
                GParamSpec *pspec,
                guint      *count)
{
  (*count)++;
}

static void
test_discover_rest (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_assert_cmpstr (kq_source_get_url (f->source), ==, kq_test_server_get_url (f->server));
  g_assert_cmpint (kq_source_get_mode (f->source), ==, KQ_SOURCE_MODE_UNKNOWN);
  g_signal_connect (f->source, "notify::mode", G_CALLBACK (on_mode_notify), &notified);
  kq_test_server_reset_request_counts (f->server);

  /* Two callers at once share one discovery. */
  kq_source_discover_async (f->source, NULL, got_result_cb, &result);
  kq_source_discover_async (f->source, NULL, got_result_cb, &second);
  g_assert_true (kq_source_discover_finish (f->source, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_true (kq_source_discover_finish (f->source, wait_for (&second), &error));
  g_assert_no_error (error);

  g_assert_cmpint (kq_source_get_mode (f->source), ==, KQ_SOURCE_MODE_WP_REST);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/wp-json/"), ==, 1);
  g_assert_cmpstr (kq_source_mode_to_string (KQ_SOURCE_MODE_WP_REST), ==, "wp-rest");

  /* A trailing slash is not part of the source's identity. */
  {
    g_autofree char *with_slash = g_strconcat (kq_test_server_get_url (f->server), "/", NULL);
    g_autoptr(KqSource) other = kq_source_new (f->http, with_slash);

    g_assert_cmpstr (kq_source_get_url (other), ==, kq_test_server_get_url (f->server));
  }
}

static void
test_categories (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) raw = raw_json (f, "/wp-json/wp/v2/categories?per_page=100", NULL, NULL);
  JsonArray *raw_array = json_node_get_array (raw);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;

  kq_test_server_reset_request_counts (f->server);
  categories = list_categories (f->source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_source_get_mode (f->source), ==, KQ_SOURCE_MODE_WP_REST);
  g_assert_cmpuint (categories->len, >=, 10);
  /* One page of 100 holds them all: X-WP-TotalPages says so. */
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/wp-json/wp/v2/categories"), ==, 1);
  g_assert_cmpuint (categories->len, ==, json_array_get_length (raw_array));

  /* The site's order, ids from the site (never hard-coded). */
  for (guint i = 0; i < categories->len; i++)
    {
      KqCategory *category = g_ptr_array_index (categories, i);
      JsonObject *raw_category = json_array_get_object_element (raw_array, i);

      g_assert_cmpint (kq_category_get_id (category), ==,
                       json_object_get_int_member (raw_category, "id"));
      g_assert_cmpuint (kq_category_get_position (category), ==, i);
      g_assert_cmpstr (kq_category_get_source (category), ==, kq_test_server_get_url (f->server));
      g_assert_null (strstr (kq_category_get_name (category), "&amp;"));
      g_assert_nonnull (kq_category_get_link (category));
    }

  /* Names decoded. */
  g_assert_nonnull (find_category_by_name (categories, "Jeux vidéo"));
  g_assert_nonnull (find_category_by_name (categories, "Tests & Dossiers"));
}

static void
test_posts_pages (Fixture       *f,
                  gconstpointer  data)
{
  guint raw_total = 0, raw_pages = 0;
  g_autoptr(JsonNode) raw_first = raw_json (f, "/wp-json/wp/v2/posts?per_page=10&page=1",
                                            &raw_total, &raw_pages);
  g_autoptr(GArray) first_ids = raw_ids (raw_first);
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GPtrArray) past = NULL;
  g_autoptr(GError) error = NULL;
  guint total_pages = 0;

  g_assert_cmpuint (raw_total, >=, 150);
  g_assert_cmpuint (raw_pages, ==, (raw_total + PER_PAGE - 1) / PER_PAGE);

  page1 = list_posts (f->source, 0, 1, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total_pages, ==, raw_pages);
  assert_same_ids (page1, first_ids);
  assert_articles_sane (f, page1);

  /* Embedded data: thumbnails and comment counts come through. */
  {
    guint with_thumbnail = 0;

    for (guint i = 0; i < page1->len; i++)
      if (kq_article_get_thumbnail_url (g_ptr_array_index (page1, i)) != NULL)
        with_thumbnail++;
    g_assert_cmpuint (with_thumbnail, >, 0);
  }

  /* Page N: the last one, partial. */
  {
    g_autofree char *path = g_strdup_printf ("/wp-json/wp/v2/posts?per_page=10&page=%u", raw_pages);
    g_autoptr(JsonNode) raw_last = raw_json (f, path, NULL, NULL);
    g_autoptr(GArray) last_ids = raw_ids (raw_last);

    last = list_posts (f->source, 0, raw_pages, &total_pages, &error);
    g_assert_no_error (error);
    assert_same_ids (last, last_ids);
    g_assert_cmpuint (last->len, ==, raw_total - (raw_pages - 1) * PER_PAGE);
  }

  /* Past the end: empty, not an error. */
  past = list_posts (f->source, 0, raw_pages + 1, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_nonnull (past);
  g_assert_cmpuint (past->len, ==, 0);
  g_assert_cmpuint (total_pages, ==, raw_pages);
}

static void
test_posts_conditional (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  guint total_pages = 0, total_again = 0;

  first = list_posts (f->source, 0, 1, &total_pages, &error);
  g_assert_no_error (error);
  /* The second time the server answers 304: same list, same page count. */
  again = list_posts (f->source, 0, 1, &total_again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, first->len);
  g_assert_cmpuint (total_again, ==, total_pages);
  for (guint i = 0; i < first->len; i++)
    g_assert_cmpint (kq_article_get_id (g_ptr_array_index (first, i)), ==,
                     kq_article_get_id (g_ptr_array_index (again, i)));
}

static void
test_category_filter (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;
  KqCategory *science;
  guint total_pages = 0;

  categories = list_categories (f->source, &error);
  g_assert_no_error (error);
  science = find_category_by_name (categories, "Science");
  g_assert_nonnull (science);

  posts = list_posts (f->source, kq_category_get_id (science), 1, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, >, 0);
  g_assert_cmpuint (total_pages, ==, (kq_category_get_count (science) + PER_PAGE - 1) / PER_PAGE);
  assert_articles_sane (f, posts);
  for (guint i = 0; i < posts->len; i++)
    g_assert_true (kq_article_has_category (g_ptr_array_index (posts, i),
                                            kq_category_get_id (science)));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) raw_first = raw_json (f, "/wp-json/wp/v2/posts?per_page=10&page=2", NULL, NULL);
  JsonObject *target = json_array_get_object_element (json_node_get_array (raw_first), 3);
  gint64 target_id = json_object_get_int_member (target, "id");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) nothing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *word = NULL;
  guint total_pages = 0;
  gboolean found = FALSE;

  /* A word of the target's title (plain text through the source itself). */
  {
    g_autoptr(KqArticle) article = get_post (f->source, target_id, &error);

    g_assert_no_error (error);
    word = pick_search_word (kq_article_get_title (article));
  }

  kq_source_set_per_page (f->source, 100);
  results = search (f->source, word, 1, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, >, 0);
  g_assert_cmpuint (total_pages, >=, 1);
  assert_articles_sane (f, results);
  for (guint i = 0; i < results->len; i++)
    if (kq_article_get_id (g_ptr_array_index (results, i)) == target_id)
      found = TRUE;
  g_assert_true (found);

  nothing = search (f->source, "zzqxwyklmnop", 1, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nothing->len, ==, 0);
}

/* A 10 KB query: the site gets its first words (the ones that find the
 * post), not the junk after them. */
static void
test_search_long_query (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) raw_first = raw_json (f, "/wp-json/wp/v2/posts?per_page=10&page=1", NULL, NULL);
  JsonObject *target = json_array_get_object_element (json_node_get_array (raw_first), 2);
  gint64 target_id = json_object_get_int_member (target, "id");
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *word = NULL;
  guint total_pages = 0;
  gboolean found = FALSE;

  {
    g_autoptr(KqArticle) article = get_post (f->source, target_id, &error);

    g_assert_no_error (error);
    word = pick_search_word (kq_article_get_title (article));
  }

  for (guint i = 0; i < 16; i++)
    g_string_append_printf (query, "%s ", word);
  while (query->len < 10 * 1024)
    g_string_append (query, "zzqxwyklmnop ");

  kq_source_set_per_page (f->source, 100);
  results = search (f->source, query->str, 1, &total_pages, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < results->len; i++)
    if (kq_article_get_id (g_ptr_array_index (results, i)) == target_id)
      found = TRUE;
  g_assert_true (found);
}

static void
test_one_post (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(KqArticle) missing = NULL;
  g_autoptr(GError) error = NULL;
  KqArticle *listed;

  page1 = list_posts (f->source, 0, 1, NULL, &error);
  g_assert_no_error (error);
  listed = g_ptr_array_index (page1, 2);

  article = get_post (f->source, kq_article_get_id (listed), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_article_get_id (article), ==, kq_article_get_id (listed));
  g_assert_cmpstr (kq_article_get_title (article), ==, kq_article_get_title (listed));
  g_assert_nonnull (kq_article_get_body_html (article));
  g_assert_cmpuint (strlen (kq_article_get_body_html (article)), >, 100);

  missing = get_post (f->source, 999999999, &error);
  g_assert_null (missing);
  g_assert_error (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND);
  assert_readable (error);
}

static void
test_comments (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonNode) raw = raw_json (f, "/wp-json/wp/v2/comments?per_page=100", NULL, NULL);
  JsonArray *raw_array = json_node_get_array (raw);
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  gint64 post_id = 0;
  guint expected = 0;
  guint replies = 0;

  /* A post with at least one reply to another comment. */
  for (guint i = 0; i < json_array_get_length (raw_array) && post_id == 0; i++)
    {
      JsonObject *comment = json_array_get_object_element (raw_array, i);

      if (json_object_get_int_member (comment, "parent") != 0)
        post_id = json_object_get_int_member (comment, "post");
    }
  g_assert_cmpint (post_id, >, 0);

  {
    g_autofree char *path = g_strdup_printf ("/wp-json/wp/v2/comments?post=%" G_GINT64_FORMAT
                                             "&per_page=100", post_id);
    G_GNUC_UNUSED g_autoptr(JsonNode) raw_post = raw_json (f, path, &expected, NULL);
  }

  comments = list_comments (f->source, post_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (comments->len, ==, expected);

  /* Threaded: a reply comes after its parent, one level deeper. */
  for (guint i = 0; i < comments->len; i++)
    {
      KqComment *comment = g_ptr_array_index (comments, i);
      gint64 *key = g_new (gint64, 1);

      g_assert_cmpint (kq_comment_get_post_id (comment), ==, post_id);
      g_assert_nonnull (kq_comment_get_author (comment));
      if (kq_comment_get_parent (comment) != 0)
        {
          KqComment *parent = g_hash_table_lookup (seen, &(gint64) { kq_comment_get_parent (comment) });

          g_assert_nonnull (parent);
          g_assert_cmpuint (kq_comment_get_depth (comment), ==, kq_comment_get_depth (parent) + 1);
          replies++;
        }
      else
        g_assert_cmpuint (kq_comment_get_depth (comment), ==, 0);

      *key = kq_comment_get_id (comment);
      g_hash_table_insert (seen, key, comment);
    }
  g_assert_cmpuint (replies, >, 0);
}

/* Ten pages of comments at most (their contents are parsed into blocks
 * by the library: test-library's comments-parsed). */
static void
test_comments_bounded (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GError) error = NULL;

  kq_test_server_add_fault (f->server, "/wp-json/wp/v2/comments", KQ_TEST_FAULT_MANY_COMMENTS,
                            1500, 0);
  comments = list_comments (f->source, 42, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (comments->len, ==, 1000);
}

static void
test_invalid_answers (Fixture       *f,
                      gconstpointer  data)
{
  KqTestFault faults[] = { KQ_TEST_FAULT_INVALID_JSON, KQ_TEST_FAULT_HTML_INSTEAD };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GPtrArray) posts = NULL;
      g_autoptr(GError) error = NULL;

      kq_test_server_clear_faults (f->server);
      kq_test_server_add_fault (f->server, "/wp-json/wp/v2/posts", faults[i], 0, 0);
      posts = list_posts (f->source, 0, 1, NULL, &error);
      g_assert_null (posts);
      g_assert_error (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID);
      assert_readable (error);
      g_assert_nonnull (strstr (error->message, "127.0.0.1"));
    }

  /* The source recovers when the site does. */
  {
    g_autoptr(GPtrArray) posts = NULL;
    g_autoptr(GError) error = NULL;

    kq_test_server_clear_faults (f->server);
    posts = list_posts (f->source, 0, 1, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (posts->len, ==, PER_PAGE);
  }
}

static void
test_network_errors (Fixture       *f,
                     gconstpointer  data)
{
  /* A server error on the post list: the HTTP error as is. */
  {
    g_autoptr(GPtrArray) posts = NULL;
    g_autoptr(GError) error = NULL;

    kq_test_server_add_fault (f->server, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_SERVER_ERROR, 0, 0);
    posts = list_posts (f->source, 0, 1, NULL, &error);
    g_assert_null (posts);
    g_assert_error (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_SERVER);
    assert_readable (error);
  }

  /* Nobody there: discovery fails, and is tried again on the next call. */
  {
    g_autoptr(KqSource) nowhere = kq_source_new (f->http, "http://127.0.0.1:9");
    g_autoptr(GPtrArray) categories = NULL;
    g_autoptr(GError) error = NULL;

    categories = list_categories (nowhere, &error);
    g_assert_null (categories);
    g_assert_error (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_UNREACHABLE);
    assert_readable (error);
    g_assert_cmpint (kq_source_get_mode (nowhere), ==, KQ_SOURCE_MODE_UNKNOWN);
  }
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* Discover first, then cancel a slow post list. */
  {
    g_autoptr(GAsyncResult) discovered = NULL;

    kq_source_discover_async (f->source, NULL, got_result_cb, &discovered);
    g_assert_true (kq_source_discover_finish (f->source, wait_for (&discovered), NULL));
  }

  kq_test_server_add_fault (f->server, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_DELAY, 3000, 0);
  start = g_get_monotonic_time ();
  g_timeout_add (100, cancel_cb, cancellable);
  kq_source_list_posts_async (f->source, 0, 1, cancellable, got_result_cb, &result);
  posts = kq_source_list_posts_finish (f->source, wait_for (&result), NULL, &error);
  g_assert_null (posts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

/* ---------------------------------------------------------------------- */
/* RSS fallback                                                           */

static KqArticle *
get_post_by_link (KqSource    *source,
                  const char  *link,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kq_source_get_post_by_link_async (source, link, NULL, got_result_cb, &result);
  return kq_source_get_post_by_link_finish (source, wait_for (&result), error);
}

/* A permalink found by its slug (REST), or in the feed's items (no REST). */
static void
test_post_by_link (Fixture       *f,
                   gconstpointer  data)
{
  gboolean rest = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(KqArticle) again = NULL;
  g_autoptr(KqArticle) by_id = NULL;
  g_autoptr(KqArticle) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *no_slash = NULL;
  g_autofree char *short_link = NULL;
  g_autofree char *unknown = NULL;
  KqArticle *listed;

  kq_test_server_set_rest_enabled (f->server, rest);
  page1 = list_posts (f->source, 0, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_source_get_mode (f->source), ==,
                   rest ? KQ_SOURCE_MODE_WP_REST : KQ_SOURCE_MODE_WP_FEED);
  listed = g_ptr_array_index (page1, 3);

  /* A fresh source knows nothing of it: asked from the site. */
  g_clear_object (&f->source);
  f->source = kq_source_new (f->http, kq_test_server_get_url (f->server));
  kq_test_server_reset_request_counts (f->server);
  article = get_post_by_link (f->source, kq_article_get_link (listed), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_article_get_id (article), ==, kq_article_get_id (listed));
  g_assert_cmpstr (kq_article_get_title (article), ==, kq_article_get_title (listed));
  g_assert_nonnull (kq_article_get_body_html (article));
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/wp-json/wp/v2/posts?slug="),
                    ==, rest ? 1 : 0);

  /* The trailing slash and a fragment do not matter. */
  no_slash = g_strndup (kq_article_get_link (listed), strlen (kq_article_get_link (listed)) - 1);
  g_assert_true (g_str_has_suffix (kq_article_get_link (listed), "/"));
  {
    g_autofree char *with_fragment = g_strconcat (no_slash, "#commentaires", NULL);

    again = get_post_by_link (f->source, with_fragment, &error);
    g_assert_no_error (error);
    g_assert_cmpint (kq_article_get_id (again), ==, kq_article_get_id (listed));
  }

  /* "?p=ID" names the post. */
  short_link = g_strdup_printf ("%s/?p=%" G_GINT64_FORMAT, kq_test_server_get_url (f->server),
                                kq_article_get_id (listed));
  by_id = get_post_by_link (f->source, short_link, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_article_get_id (by_id), ==, kq_article_get_id (listed));

  /* No such article. */
  unknown = g_strdup_printf ("%s/2031/01/01/un-article-qui-n-existe-pas/",
                             kq_test_server_get_url (f->server));
  missing = get_post_by_link (f->source, unknown, &error);
  g_assert_null (missing);
  g_assert_error (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND);
}

static void
test_feed_fallback (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) raw_first = raw_json (f, "/wp-json/wp/v2/posts?per_page=10&page=1", NULL, NULL);
  g_autoptr(GArray) first_ids = raw_ids (raw_first);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GPtrArray) in_science = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *word = NULL;
  KqCategory *science;
  guint total_pages = 0;

  kq_test_server_set_rest_enabled (f->server, FALSE);
  kq_test_server_reset_request_counts (f->server);

  /* Categories: the REST API is blocked, so they come from the feed. */
  categories = list_categories (f->source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_source_get_mode (f->source), ==, KQ_SOURCE_MODE_WP_FEED);
  g_assert_cmpuint (categories->len, >, 0);
  for (guint i = 0; i < categories->len; i++)
    {
      KqCategory *category = g_ptr_array_index (categories, i);

      g_assert_cmpuint (kq_category_get_position (category), ==, i);
      g_assert_cmpstr (kq_category_get_source (category), ==, kq_test_server_get_url (f->server));
      g_assert_null (strstr (kq_category_get_name (category), "&amp;"));
    }
  science = find_category_by_name (categories, "Science");
  g_assert_nonnull (science);

  /* Page 1 is the main feed: the newest posts, as in REST. */
  page1 = list_posts (f->source, 0, 1, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page1->len, >=, first_ids->len);
  for (guint i = 0; i < first_ids->len; i++)
    g_assert_cmpint (kq_article_get_id (g_ptr_array_index (page1, i)), ==,
                     g_array_index (first_ids, gint64, i));
  assert_articles_sane (f, page1);
  g_assert_cmpuint (total_pages, ==, 2);

  /* Page 2 follows page 1. */
  page2 = list_posts (f->source, 0, 2, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page2->len, >, 0);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (page2, 0)), !=,
                   kq_article_get_id (g_ptr_array_index (page1, 0)));
  g_assert_nonnull (kq_article_get_date (g_ptr_array_index (page2, 0)));
  g_assert_cmpint (g_date_time_compare (kq_article_get_date (g_ptr_array_index (page2, 0)),
                                        kq_article_get_date (g_ptr_array_index (page1, page1->len - 1))),
                   <=, 0);

  /* Far past the end: empty. */
  {
    g_autoptr(GPtrArray) past = list_posts (f->source, 0, 999, &total_pages, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (past->len, ==, 0);
  }

  /* A category: its link + feed/. */
  in_science = list_posts (f->source, kq_category_get_id (science), 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in_science->len, >, 0);
  for (guint i = 0; i < in_science->len; i++)
    g_assert_true (has_category_name (g_ptr_array_index (in_science, i), "Science"));

  /* Search: ?s=WORD&feed=rss2. */
  word = pick_search_word (kq_article_get_title (g_ptr_array_index (page1, 4)));
  found = search (f->source, word, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 0);
  {
    gboolean target = FALSE;

    for (guint i = 0; i < found->len; i++)
      if (kq_article_get_id (g_ptr_array_index (found, i)) ==
          kq_article_get_id (g_ptr_array_index (page1, 4)))
        target = TRUE;
    g_assert_true (target);
  }

  /* One post: from what the feeds gave. */
  article = get_post (f->source, kq_article_get_id (g_ptr_array_index (page1, 1)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kq_article_get_title (article), ==,
                   kq_article_get_title (g_ptr_array_index (page1, 1)));

  /* Comments: a best effort through comment feeds; this site has none. */
  comments = list_comments (f->source, kq_article_get_id (article), &error);
  g_assert_no_error (error);
  g_assert_nonnull (comments);

  /* Nothing asked the blocked API for posts. */
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/wp-json/wp/v2/posts"), ==, 0);
}

static gboolean
has_category_id (KqArticle *article,
                 gint64     id)
{
  GArray *ids = kq_article_get_category_ids (article);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

/* Without REST, feed items are linked to their categories by the names of
 * their <category> elements (the store counts and lists a category's
 * articles by id), and a category's feed links its items to it. */
static void
test_feed_articles_linked (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) in_science = NULL;
  g_autoptr(GError) error = NULL;
  KqCategory *science;
  guint linked = 0;

  kq_test_server_set_rest_enabled (f->server, FALSE);

  /* The main feed first, as at start: no category list asked for yet. */
  page1 = list_posts (f->source, 0, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_source_get_mode (f->source), ==, KQ_SOURCE_MODE_WP_FEED);
  categories = list_categories (f->source, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < page1->len; i++)
    {
      KqArticle *article = g_ptr_array_index (page1, i);
      const char * const *names = kq_article_get_category_names (article);

      g_assert_nonnull (names);
      g_assert_nonnull (names[0]);
      for (guint j = 0; names[j] != NULL; j++)
        {
          KqCategory *category = find_category_by_name (categories, names[j]);

          g_assert_nonnull (category);
          g_assert_true (has_category_id (article, kq_category_get_id (category)));
          linked++;
        }
    }
  g_assert_cmpuint (linked, >, page1->len);

  science = find_category_by_name (categories, "Science");
  g_assert_nonnull (science);
  in_science = list_posts (f->source, kq_category_get_id (science), 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in_science->len, >, 0);
  for (guint i = 0; i < in_science->len; i++)
    g_assert_true (has_category_id (g_ptr_array_index (in_science, i),
                                    kq_category_get_id (science)));
}

/* Without REST, a category's feed is asked for in the query form, which
 * WordPress answers whatever its category base: here "/category/…" 404s as
 * on a site whose base is another. */
static void
test_feed_category_query_form (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) in_science = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GError) error = NULL;
  KqCategory *science;
  guint total_pages = 0;

  kq_test_server_set_rest_enabled (f->server, FALSE);
  kq_test_server_add_fault (f->server, "/category/", KQ_TEST_FAULT_NOT_FOUND, 0, 0);

  categories = list_categories (f->source, &error);
  g_assert_no_error (error);
  science = find_category_by_name (categories, "Science");
  g_assert_nonnull (science);
  g_assert_cmpint (kq_category_get_id (science), <, 0);
  g_assert_null (strstr (kq_category_get_link (science), "/category/"));

  in_science = list_posts (f->source, kq_category_get_id (science), 1, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in_science->len, >, 0);
  for (guint i = 0; i < in_science->len; i++)
    g_assert_true (has_category_name (g_ptr_array_index (in_science, i), "Science"));
  g_assert_cmpuint (kq_test_server_get_request_count (f->server,
                                                      "/?category_name=science&feed=rss2"),
                    ==, 1);

  /* Its next page, in the same form. */
  page2 = list_posts (f->source, kq_category_get_id (science), 2, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kq_test_server_get_request_count (f->server,
                                                      "/?category_name=science&feed=rss2&paged=2"),
                    ==, 1);
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/category/"), ==, 0);
}

static GError *
discover_error (KqSource *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;

  kq_source_discover_async (source, NULL, got_result_cb, &result);
  g_assert_false (kq_source_discover_finish (source, wait_for (&result), &error));
  return error;
}

/* A page that is neither WordPress nor a feed, and has none: what is true
 * is that there is nothing to read there (and no page is "missing"). */
static void
test_discover_nothing_to_read (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *url = g_strconcat (kq_test_server_get_url (f->server), "/pas-wp", NULL);
  g_autofree char *missing_url = g_strconcat (kq_test_server_get_url (f->server), "/absent", NULL);
  g_autoptr(KqSource) source = kq_source_new (f->http, url);
  g_autoptr(KqSource) missing = kq_source_new (f->http, missing_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) missing_error = NULL;

  /* Its page answers (a plain HTML page); its API and its feed do not. */
  kq_test_server_add_fault (f->server, "/pas-wp", KQ_TEST_FAULT_HTML_INSTEAD, 0, 1);
  kq_test_server_add_fault (f->server, "/pas-wp", KQ_TEST_FAULT_NOT_FOUND, 0, 0);
  error = discover_error (source);
  g_assert_error (error, KQ_SOURCE_ERROR, KQ_SOURCE_ERROR_NOTHING_TO_READ);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/pas-wp/feed/"), ==, 1);

  /* A page that is itself missing says so. */
  kq_test_server_add_fault (f->server, "/absent", KQ_TEST_FAULT_NOT_FOUND, 0, 0);
  missing_error = discover_error (missing);
  g_assert_error (missing_error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND);
}

/* wp/v2's own index fails (a security plugin, a cache) while the API root's
 * index lists "wp/v2": REST, not the feeds. */
static void
test_discover_rest_by_index (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(GError) error = NULL;

  kq_test_server_add_fault (f->server, "/wp-json/wp/v2/", KQ_TEST_FAULT_NOT_FOUND, 0, 1);
  page1 = list_posts (f->source, 0, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_source_get_mode (f->source), ==, KQ_SOURCE_MODE_WP_REST);
  g_assert_cmpuint (page1->len, ==, PER_PAGE);
  g_assert_nonnull (kq_article_get_thumbnail_url (g_ptr_array_index (page1, 0)));
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/feed"), ==, 0);
}

static void
test_plain_feed (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *feed_url = g_strconcat (kq_test_server_get_url (f->server), "/feed/", NULL);
  g_autoptr(KqSource) source = kq_source_new (f->http, feed_url);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *word = NULL;
  guint total_pages = 0;

  g_autofree char *normalised = g_strndup (feed_url, strlen (feed_url) - 1);

  g_assert_cmpstr (kq_source_get_url (source), ==, normalised);

  categories = list_categories (source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_source_get_mode (source), ==, KQ_SOURCE_MODE_FEED);
  g_assert_cmpuint (categories->len, ==, 0);

  posts = list_posts (source, 0, 1, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, >, 0);
  g_assert_cmpuint (total_pages, ==, 1);
  g_assert_nonnull (kq_source_get_title (source));
  for (guint i = 0; i < posts->len; i++)
    {
      KqArticle *item = g_ptr_array_index (posts, i);

      g_assert_cmpstr (kq_article_get_source (item), ==, kq_source_get_url (source));
      g_assert_nonnull (kq_article_get_title (item));
    }

  page2 = list_posts (source, 0, 2, &total_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page2->len, ==, 0);

  /* Searching a plain feed filters its items here. */
  word = pick_search_word (kq_article_get_title (g_ptr_array_index (posts, 0)));
  found = search (source, word, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >=, 1);
  g_assert_cmpuint (found->len, <=, posts->len);

  article = get_post (source, kq_article_get_id (g_ptr_array_index (posts, 0)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kq_article_get_title (article), ==,
                   kq_article_get_title (g_ptr_array_index (posts, 0)));

  comments = list_comments (source, kq_article_get_id (article), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (comments->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  kq_i18n_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kq/source/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("discover-rest", test_discover_rest);
  ADD ("discover-rest-by-index", test_discover_rest_by_index);
  ADD ("categories", test_categories);
  ADD ("posts-pages", test_posts_pages);
  ADD ("posts-conditional", test_posts_conditional);
  ADD ("category-filter", test_category_filter);
  ADD ("search", test_search);
  ADD ("search-long-query", test_search_long_query);
  ADD ("one-post", test_one_post);
  ADD ("comments", test_comments);
  ADD ("comments-bounded", test_comments_bounded);
  ADD ("invalid-answers", test_invalid_answers);
  ADD ("network-errors", test_network_errors);
  ADD ("cancel", test_cancel);
  ADD ("feed-fallback", test_feed_fallback);
  ADD ("plain-feed", test_plain_feed);
  ADD ("feed-articles-linked", test_feed_articles_linked);
  ADD ("discover-nothing-to-read", test_discover_nothing_to_read);
  ADD ("feed-category-query-form", test_feed_category_query_form);
  g_test_add ("/kq/source/post-by-link-rest", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_post_by_link, fixture_teardown);
  g_test_add ("/kq/source/post-by-link-feed", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_post_by_link, fixture_teardown);

#undef ADD

  return g_test_run ();
}
