/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hostile input through every parser and through the fetch path. Each case
 * runs in a child process (g_test_trap_subprocess) so that a crash is a test
 * failure rather than the end of the run, and so that the child's peak memory
 * growth (VmHWM − VmRSS at its start) can be checked against a stated cap.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kq-article.h"
#include "kq-feed-parser.h"
#include "kq-feed.h"
#include "kq-html.h"
#include "kq-http.h"
#include "kq-i18n.h"
#include "kq-test-server.h"
#include "kq-wp-parser.h"

/* Peak memory growth allowed for one hostile input, in MiB. AddressSanitizer
 * keeps freed memory in quarantine and adds redzones: allow it four times. */
#if defined(__SANITIZE_ADDRESS__)
# define MEMORY_FACTOR 4
/* …and it is slow: fewer items there, the plain suite runs the full count. */
# define N_ITEMS 20000
#else
# define MEMORY_FACTOR 1
# define N_ITEMS 100000
#endif
#define SMALL_INPUT_CAP_MB  (64 * MEMORY_FACTOR)
#define LARGE_INPUT_CAP_MB  (160 * MEMORY_FACTOR)
#define FETCH_CAP_MB        (48 * MEMORY_FACTOR)

static gsize
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10);
}

static gsize baseline_kb;

static void
memory_start (void)
{
  baseline_kb = read_status_kb ("VmRSS:");
}

static void
memory_check (guint cap_mb)
{
  gsize peak_kb = read_status_kb ("VmHWM:");
  gsize growth_mb = peak_kb > baseline_kb ? (peak_kb - baseline_kb) / 1024 : 0;

  g_test_message ("peak memory growth: %" G_GSIZE_FORMAT " MiB (cap %u MiB)", growth_mb, cap_mb);
  g_assert_cmpuint (growth_mb, <, cap_mb);
}

/* Nothing a hostile document smuggles may come out of a parser. */
static void
assert_clean_text (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strstr (text, "root:x:0"));
  g_assert_null (g_strstr_len (text, -1, "javascript:"));
  g_assert_null (g_strstr_len (text, -1, "file:///"));
}

static void
assert_clean_article (KqArticle *article)
{
  assert_clean_text (kq_article_get_title (article));
  assert_clean_text (kq_article_get_excerpt (article));
  assert_clean_text (kq_article_get_author (article));
  g_assert_true (kq_article_get_body_html (article) == NULL ||
                 strstr (kq_article_get_body_html (article), "root:x:0") == NULL);
  if (kq_article_get_link (article) != NULL)
    g_assert_false (g_str_has_prefix (kq_article_get_link (article), "javascript:"));
}

static void
check_urls (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *value = json_object_get_member (object, name);
          g_autofree char *lower = g_ascii_strdown (name, -1);

          if (JSON_NODE_HOLDS_VALUE (value) &&
              json_node_get_value_type (value) == G_TYPE_STRING &&
              (g_str_has_suffix (lower, "href") || g_str_has_suffix (lower, "src") ||
               g_str_has_suffix (lower, "url")))
            {
              const char *url = json_node_get_string (value);

              if (url != NULL && *url != '\0')
                g_assert_true (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"));
            }
          check_urls (value);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        check_urls (json_array_get_element (array, i));
    }
}

/* Every link, image and embed target the block document keeps is http(s). */
static void
assert_only_http_urls (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  check_urls (json_parser_get_root (parser));
}

static void
parse_everything (GBytes *bytes)
{
  g_autoptr(KqFeed) feed = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(KqHtmlDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  feed = kq_feed_parser_parse (bytes, "https://exemple.fr", "https://exemple.fr/feed/", &error);
  if (feed != NULL)
    {
      GPtrArray *items = kq_feed_get_items (feed);

      assert_clean_text (kq_feed_get_title (feed));
      for (guint i = 0; i < items->len; i++)
        assert_clean_article (g_ptr_array_index (items, i));
    }
  else
    {
      /* A clear message, never an empty one. */
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, !=, "");
    }
  g_clear_error (&error);

  posts = kq_wp_parser_parse_posts (bytes, "https://exemple.fr", &error);
  if (posts != NULL)
    for (guint i = 0; i < posts->len; i++)
      assert_clean_article (g_ptr_array_index (posts, i));
  else
    g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);
  categories = kq_wp_parser_parse_categories (bytes, "https://exemple.fr", NULL);
  comments = kq_wp_parser_parse_comments (bytes, NULL);

  doc = kq_html_parse (data, size, "https://exemple.fr/2026/11/article/", NULL);
  g_assert_nonnull (doc);
  json = kq_html_document_to_json (doc);
  g_assert_true (g_utf8_validate (json, -1, NULL));
  assert_only_http_urls (json);
  g_assert_null (strstr (json, "root:x:0"));

  /* Scripts and event handlers never become text in an HTML document. */
  if (g_str_has_prefix (data, "<p") || g_str_has_prefix (data, "<!DOCTYPE html"))
    g_assert_null (strstr (json, "alert("));
}

/* Committed files */

static void
test_file_child (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "hostile", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMappedFile) file = NULL;

  file = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (file);

  memory_start ();
  parse_everything (bytes);
  memory_check (SMALL_INPUT_CAP_MB);
}

/* Generated inputs too large to commit */

static GBytes *
repeat (const char *head,
        const char *unit,
        guint       count,
        const char *tail)
{
  GString *s = g_string_new (head);

  for (guint i = 0; i < count; i++)
    g_string_append (s, unit);
  g_string_append (s, tail);
  return g_string_free_to_bytes (s);
}

static void
test_deep_nesting (gconstpointer data)
{
  g_autoptr(GBytes) html = repeat ("", "<div><span>", 100000, "fond");
  g_autoptr(GBytes) json = repeat ("", "[", 200000, "");
  g_autoptr(GBytes) xml = repeat ("<rss version=\"2.0\"><channel><item><description>", "<x>", 100000, "");
  g_autoptr(GBytes) objects = repeat ("", "{\"a\":", 100000, "1");

  memory_start ();
  parse_everything (html);
  parse_everything (json);
  parse_everything (xml);
  parse_everything (objects);
  memory_check (LARGE_INPUT_CAP_MB);
}

static void
test_overlong_attributes (gconstpointer data)
{
  g_autofree char *long_a = g_strnfill (2 * 1024 * 1024, 'a');
  g_autofree char *html = g_strdup_printf ("<p><a href=\"https://exemple.fr/%s\">lien</a>"
                                           "<img src=\"https://exemple.fr/i.png\" alt=\"%s\"></p>",
                                           long_a, long_a);
  g_autofree char *xml = g_strdup_printf ("<rss version=\"2.0\"><channel><title>t</title><item>"
                                          "<title>%s</title><link>https://exemple.fr/%s</link>"
                                          "<enclosure url=\"https://exemple.fr/%s.png\" type=\"image/png\"/>"
                                          "</item></channel></rss>", long_a, long_a, long_a);
  g_autoptr(GBytes) b1 = g_bytes_new_static (html, strlen (html));
  g_autoptr(GBytes) b2 = g_bytes_new_static (xml, strlen (xml));

  memory_start ();
  parse_everything (b1);
  parse_everything (b2);
  memory_check (LARGE_INPUT_CAP_MB);
}

static void
test_many_items (gconstpointer data)
{
  g_autoptr(GBytes) feed = NULL;
  g_autoptr(KqFeed) parsed = NULL;
  g_autoptr(GError) error = NULL;
  GString *s = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
                             "<title>Cent mille brèves</title><link>https://exemple.fr/</link>");

  for (guint i = 0; i < N_ITEMS; i++)
    g_string_append_printf (s, "<item><title>Brève n°%u</title><link>https://exemple.fr/?p=%u</link>"
                               "<pubDate>Sat, 28 Nov 2026 10:00:00 +0100</pubDate></item>", i, i + 1);
  g_string_append (s, "</channel></rss>");
  feed = g_string_free_to_bytes (s);

  memory_start ();
  parsed = kq_feed_parser_parse (feed, "https://exemple.fr", "https://exemple.fr/feed/", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kq_feed_get_items (parsed)->len, >, 0);
  g_test_message ("%u-item feed: %u items kept", N_ITEMS, kq_feed_get_items (parsed)->len);
  memory_check (LARGE_INPUT_CAP_MB * 2);
}

static void
test_fifty_megabytes (gconstpointer test_data)
{
  gsize size = 50 * 1024 * 1024;
  char *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KqFeed) feed = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(KqHtmlDocument) doc = NULL;

  /* A plausible start, then 50 MB of paragraphs. */
  for (gsize i = 0; i < size; i++)
    data[i] = "<p>Un texte sans fin. </p>"[i % 26];
  bytes = g_bytes_new_take (data, size);

  memory_start ();
  feed = kq_feed_parser_parse (bytes, "https://exemple.fr", NULL, &error);
  g_assert_null (feed);
  g_assert_error (error, KQ_FEED_ERROR, KQ_FEED_ERROR_INVALID);
  g_clear_error (&error);

  posts = kq_wp_parser_parse_posts (bytes, "https://exemple.fr", &error);
  g_assert_null (posts);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* The HTML converter truncates gracefully and says so. */
  doc = kq_html_parse (data, size, "https://exemple.fr/", NULL);
  g_assert_nonnull (doc);
  g_assert_true (kq_html_document_get_truncated (doc));
  /* libxml2's tree of the first 4 MB is what costs here, not the 50 MB. */
  memory_check (LARGE_INPUT_CAP_MB);
}

/* The fetch path: KqHttp against the test server */

typedef struct
{
  GError   *error;
  gboolean  done;
} FetchResult;

static void
on_fetched_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FetchResult *fetch = user_data;
  G_GNUC_UNUSED g_autoptr(GObject) response = (GObject *) kq_http_get_finish (KQ_HTTP (object), result, &fetch->error);

  fetch->done = TRUE;
}

static void
fetch_with_fault (KqTestFault fault,
                  guint       param,
                  int         expected_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) server = kq_test_server_new (&error);
  g_autoptr(KqHttp) http = kq_http_new ();
  g_autofree char *url = NULL;
  FetchResult fetch = { NULL, FALSE };

  g_assert_no_error (error);
  kq_test_server_add_fault (server, "/wp-json/wp/v2/posts", fault, param, 0);
  url = g_strconcat (kq_test_server_get_url (server), "/wp-json/wp/v2/posts", NULL);

  memory_start ();
  kq_http_get_async (http, url, KQ_HTTP_FLAGS_NO_RETRY, NULL, on_fetched_cb, &fetch);
  while (!fetch.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (fetch.error, KQ_HTTP_ERROR, expected_code);
  g_assert_cmpstr (fetch.error->message, !=, "");
  g_test_message ("%s", fetch.error->message);
  g_clear_error (&fetch.error);
  memory_check (FETCH_CAP_MB);
}

static void
test_fetch_huge_body (gconstpointer data)
{
  fetch_with_fault (KQ_TEST_FAULT_HUGE_BODY, 50, KQ_HTTP_ERROR_TOO_LARGE);
}

static void
test_fetch_gzip_bomb (gconstpointer data)
{
  fetch_with_fault (KQ_TEST_FAULT_GZIP_BOMB, 0, KQ_HTTP_ERROR_TOO_LARGE);
}

static void
test_fetch_truncated (gconstpointer data)
{
  fetch_with_fault (KQ_TEST_FAULT_TRUNCATED, 0, KQ_HTTP_ERROR_TRUNCATED);
}

/* Runs @func in a child process; the child does the work and the checks. */
static void
run_in_child (gconstpointer data)
{
  g_test_trap_subprocess (NULL, 150 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
add_child_test (const char     *path,
                GTestDataFunc   func,
                gconstpointer   data)
{
  if (g_test_subprocess ())
    g_test_add_data_func (path, data, func);
  else
    g_test_add_data_func (path, data, run_in_child);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) files = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  kq_i18n_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  dir = g_test_build_filename (G_TEST_DIST, "data", "hostile", NULL);
  files = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (files);
  while ((name = g_dir_read_name (files)) != NULL)
    if (!g_str_has_suffix (name, ".md"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (names->len, >=, 10);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_strconcat ("/kq/hostile/file/", file, NULL);

      add_child_test (path, test_file_child, file);
    }

  add_child_test ("/kq/hostile/deep-nesting", test_deep_nesting, NULL);
  add_child_test ("/kq/hostile/overlong-attributes", test_overlong_attributes, NULL);
  add_child_test ("/kq/hostile/many-items", test_many_items, NULL);
  add_child_test ("/kq/hostile/fifty-megabytes", test_fifty_megabytes, NULL);
  add_child_test ("/kq/hostile/fetch/huge-body", test_fetch_huge_body, NULL);
  add_child_test ("/kq/hostile/fetch/gzip-bomb", test_fetch_gzip_bomb, NULL);
  add_child_test ("/kq/hostile/fetch/truncated", test_fetch_truncated, NULL);

  return g_test_run ();
}
