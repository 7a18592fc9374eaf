/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "kq-article-feed.h"
#include "kq-comment.h"
#include "kq-html.h"
#include "kq-http.h"
#include "kq-library.h"
#include "kq-library-private.h"
#include "kq-store.h"
#include "kq-test-server.h"
#include "kq-test-wait.h"

/*
 * The reading path without a window: KqLibrary and its feeds against the
 * test site. Each case has its own data folders (G_TEST_OPTION_ISOLATE_DIRS):
 * a "restart" is a new library on the same database.
 */

static KqTestServer *server;

/* A network monitor the test turns on and off. */

#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

static void test_monitor_iface_init (GNetworkMonitorInterface *iface);
static void test_monitor_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      test_monitor_iface_init))

enum { MONITOR_PROP_0, MONITOR_PROP_AVAILABLE, MONITOR_PROP_METERED, MONITOR_PROP_CONNECTIVITY };

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  switch (prop_id)
    {
    case MONITOR_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MONITOR_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static gboolean
test_monitor_init_initable (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_init (GInitableIface *iface)
{
  iface->init = test_monitor_init_initable;
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
test_monitor_set_available (TestMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* Helpers */

static KqLibrary *
new_library (gboolean offline)
{
  KqLibrary *library = kq_library_new (kq_test_server_get_url (server), NULL, offline);

  kq_library_set_refresh_interval (library, 0);
  return library;
}

/* Ends @library as the application does when it quits: its last writes done. */
static void
close_library (KqLibrary *library)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;

  kq_library_close_async (library, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 5000);
  g_assert_true (kq_library_close_finish (library, result, NULL));
  g_object_unref (library);
}

static gboolean
is_loaded_idle (gpointer data)
{
  KqArticleFeed *feed = data;

  return kq_article_feed_get_loaded (feed) && !kq_article_feed_get_loading (feed);
}

static gboolean
has_items (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) > 0;
}

static KqArticleFeed *
loaded_feed (KqLibrary         *library,
             KqArticleFeedKind  kind,
             gint64             category_id)
{
  KqArticleFeed *feed = kq_library_get_feed (library, kind, category_id);

  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 10000));
  return feed;
}

static KqArticle *
item_at (KqArticleFeed *feed,
         guint          position)
{
  g_autoptr(KqArticle) article = g_list_model_get_item (G_LIST_MODEL (feed), position);

  return article;   /* the feed keeps its own reference */
}

/* The site's posts (site.json), newest first, published or not. */
static JsonArray *
site_posts (void)
{
  g_autofree char *path = g_build_filename (kq_test_server_get_site_dir (server), "site.json",
                                            NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_mapped_file (parser, path, NULL));
  return json_array_ref (json_object_get_array_member (
    json_node_get_object (json_parser_get_root (parser)), "posts"));
}

static guint
n_site_posts (void)
{
  g_autoptr(JsonArray) posts = site_posts ();

  return json_array_get_length (posts);
}

/* Paging */

static void
test_paging_to_last_page (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  guint n_posts = n_site_posts ();
  guint pages = 1;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 20);
  g_assert_true (kq_article_feed_get_has_more (feed));

  while (kq_article_feed_get_has_more (feed))
    {
      kq_article_feed_load_more (feed);
      g_assert_true (kq_article_feed_get_loading_more (feed));
      g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 10000));
      g_assert_null (kq_article_feed_get_error (feed));
      g_assert_cmpuint (++pages, <=, n_posts / 20 + 1);
    }

  /* Every post once, newest first, and never a page past the last. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, n_posts);
  g_assert_cmpuint (pages, ==, (n_posts + 19) / 20);
  for (guint i = 1; i < n_posts; i++)
    g_assert_cmpint (g_date_time_compare (kq_article_get_date (item_at (feed, i - 1)),
                                          kq_article_get_date (item_at (feed, i))), >=, 0);
  g_assert_false (kq_article_feed_get_loading_more (feed));

  kq_article_feed_load_more (feed);
  g_assert_false (kq_article_feed_get_loading (feed));

  close_library (library);
}

/* Cached first, then the site merged in place */

typedef struct
{
  guint n_changes;
  guint n_removed;
} Changes;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Changes    *changes)
{
  changes->n_changes++;
  changes->n_removed += removed;
}

static gboolean
has_twenty_items (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) >= 20;
}

static void
test_cache_first_then_merge (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) first = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autoptr(KqArticleFeed) feed = NULL;
  g_autoptr(KqArticle) kept = NULL;
  Changes changes = { 0, 0 };
  guint n;

  g_clear_object (&first);
  close_library (library);

  /* The next start: the site takes its time, the cache does not. */
  kq_test_server_add_fault (server, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_DELAY, 1500, 1);
  kq_test_server_reset_request_counts (server);
  library = new_library (FALSE);
  feed = kq_library_get_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_signal_connect (feed, "items-changed", G_CALLBACK (on_items_changed_cb), &changes);
  g_assert_true (kq_test_wait_for (has_items, feed, 5000));
  g_assert_true (kq_article_feed_get_loading (feed));
  g_assert_false (kq_article_feed_get_loaded (feed));
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts"), <=, 1);

  /* The whole cached page (its first rows at once, the rest right after). */
  n = 20;
  g_assert_true (kq_test_wait_for (has_twenty_items, feed, 5000));
  g_assert_true (kq_article_feed_get_loading (feed));
  kept = g_object_ref (item_at (feed, 5));
  changes.n_changes = 0;

  /* The site's page merged: same rows, same objects, no reset. */
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, n);
  g_assert_true (item_at (feed, 5) == kept);
  g_assert_cmpuint (changes.n_removed, ==, 0);
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts"), >=, 1);

  g_signal_handlers_disconnect_by_data (feed, &changes);
  g_clear_object (&feed);
  close_library (library);
}

/* The site's first page is asked beside the cache's, not after its answer:
 * a store busy with a long write (as a window's first frame can keep the
 * cache's answer waiting) does not hold the request back. */

static gboolean
has_posts_request_or (gpointer data)
{
  return *(gboolean *) data ||
         kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts") > 0;
}

static void
on_busy_write_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_assert_true (kq_store_upsert_articles_finish (KQ_STORE (object), result, NULL, NULL, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
test_site_asked_beside_cache (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(GPtrArray) busy = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(KqArticleFeed) feed = NULL;
  gboolean written = FALSE;

  /* The library has started (kept discovery and validators read; the
   * categories are listed once discovery is done). */
  g_assert_true (kq_test_wait_for (has_items, kq_library_get_categories (library), 10000));

  for (guint i = 0; i < 200; i++)
    g_string_append (body, "<p>Un paragraphe assez long pour occuper la base un moment.</p>");
  for (guint i = 0; i < 3000; i++)
    {
      KqArticle *article = kq_article_new ();
      g_autofree char *title = g_strdup_printf ("Article occupé %u", i);

      kq_article_set_id (article, 900000 + i);
      kq_article_set_source (article, "https://busy.example");
      kq_article_set_title (article, title);
      kq_article_set_body_html (article, body->str);
      g_ptr_array_add (busy, article);
    }
  kq_store_upsert_articles_async (_kq_library_get_store (library), busy, NULL, on_busy_write_cb,
                                  &written);

  kq_test_server_reset_request_counts (server);
  feed = kq_library_get_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_assert_true (kq_test_wait_for (has_posts_request_or, &written, 30000));
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts"), ==, 1);
  g_assert_false (written);

  /* Then the page is listed as ever. */
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 30000));
  g_assert_true (written);
  g_assert_null (kq_article_feed_get_error (feed));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 20);

  g_clear_object (&feed);
  close_library (library);
}

/* Offline: the cache alone, paged */

static void
test_offline_from_cache (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  guint cached;

  /* Three pages seen online: 60 articles cached. */
  for (guint i = 0; i < 2; i++)
    {
      kq_article_feed_load_more (feed);
      g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 10000));
    }
  cached = g_list_model_get_n_items (G_LIST_MODEL (feed));
  g_assert_cmpuint (cached, ==, 60);
  g_clear_object (&feed);
  close_library (library);

  kq_test_server_reset_request_counts (server);
  library = new_library (TRUE);
  g_assert_true (kq_library_get_offline (library));
  feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);

  /* A cache page (50), then the rest of what was cached. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 50);
  g_assert_true (kq_article_feed_get_has_more (feed));
  kq_article_feed_load_more (feed);
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, cached);
  g_assert_false (kq_article_feed_get_has_more (feed));

  /* Refreshing does nothing; the site was never asked. */
  g_assert_false (kq_library_refresh (library, FALSE));
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/"), ==, 0);

  g_clear_object (&feed);
  close_library (library);
}

static gboolean
has_categories (gpointer data)
{
  return g_list_model_get_n_items (kq_library_get_categories (data)) > 0;
}

static KqCategory *
category_named (KqLibrary  *library,
                const char *name)
{
  GListModel *categories = kq_library_get_categories (library);

  for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(KqCategory) category = g_list_model_get_item (categories, i);

      if (g_strcmp0 (kq_category_get_name (category), name) == 0)
        return category;  /* the list keeps its own reference */
    }
  return NULL;
}

static gboolean
science_is_counted (gpointer data)
{
  KqCategory *science = category_named (data, "Science");

  return science != NULL && kq_category_get_unread_count (science) > 0;
}

static gboolean
article_has_category_name (KqArticle  *article,
                           const char *name)
{
  const char * const *names = kq_article_get_category_names (article);

  return names != NULL && g_strv_contains (names, name);
}

/* A WordPress site without REST, read once online: offline, a category
 * lists the cached articles of its <category> and counts their unread ones. */
static void
test_feed_mode_offline_categories (void)
{
  KqLibrary *library;
  g_autoptr(KqArticleFeed) feed = NULL;
  KqCategory *science;
  gint64 science_id;
  guint in_science = 0;

  kq_test_server_set_rest_enabled (server, FALSE);
  library = new_library (FALSE);
  feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_assert_true (kq_test_wait_for (has_categories, library, 10000));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (feed)); i++)
    in_science += article_has_category_name (item_at (feed, i), "Science");
  g_assert_cmpuint (in_science, >, 0);
  science = category_named (library, "Science");
  g_assert_nonnull (science);
  science_id = kq_category_get_id (science);
  /* Saved: the site's list shows at once, the store's (counted) after. */
  g_assert_true (kq_test_wait_for (science_is_counted, library, 10000));
  g_clear_object (&feed);
  close_library (library);

  library = new_library (TRUE);
  g_assert_true (kq_test_wait_for (has_categories, library, 10000));
  science = category_named (library, "Science");
  g_assert_nonnull (science);
  g_assert_cmpuint (kq_category_get_unread_count (science), ==, in_science);
  feed = loaded_feed (library, KQ_ARTICLE_FEED_CATEGORY, science_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, in_science);
  for (guint i = 0; i < in_science; i++)
    g_assert_true (article_has_category_name (item_at (feed, i), "Science"));

  g_clear_object (&feed);
  close_library (library);
  kq_test_server_set_rest_enabled (server, TRUE);
}

/* What discovery found is kept: the next start asks neither the homepage
 * nor the API's index, and reads the site at once. A kept mode the site no
 * longer has is found out, and discovery runs again. */
static void
test_discovery_survives_restart (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);

  g_assert_cmpuint (kq_test_server_get_request_count_exact (server, "/"), >=, 1);
  g_clear_object (&feed);
  close_library (library);

  kq_test_server_reset_request_counts (server);
  library = new_library (FALSE);
  feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_assert_null (kq_article_feed_get_error (feed));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 20);
  g_assert_cmpuint (kq_test_server_get_request_count_exact (server, "/"), ==, 0);
  g_assert_cmpuint (kq_test_server_get_request_count_exact (server, "/wp-json/wp/v2/"), ==, 0);
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts"), >=, 1);
  g_clear_object (&feed);
  close_library (library);

  /* The site turned its REST API off since. */
  kq_test_server_set_rest_enabled (server, FALSE);
  kq_test_server_reset_request_counts (server);
  library = new_library (FALSE);
  feed = kq_library_get_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 10000));
  g_assert_null (kq_article_feed_get_error (feed));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), >, 0);
  g_assert_cmpuint (kq_test_server_get_request_count_exact (server, "/"), ==, 1);
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/feed/"), >=, 1);
  g_clear_object (&feed);
  close_library (library);
  kq_test_server_set_rest_enabled (server, TRUE);
}

/* HTTP validators and their headers across a restart */

static void
test_validators_survive_restart (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);

  g_assert_true (kq_article_feed_get_has_more (feed));
  g_clear_object (&feed);
  close_library (library);

  /* The next start asks again with its validators: 304, nothing downloaded,
   * and the page count still known (it came back with the kept headers). */
  kq_test_server_reset_request_counts (server);
  library = new_library (FALSE);
  feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_assert_cmpuint (kq_test_server_get_not_modified_count (server, "/wp-json/wp/v2/posts"), >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 20);
  g_assert_true (kq_article_feed_get_has_more (feed));
  g_assert_null (kq_article_feed_get_error (feed));

  g_clear_object (&feed);
  close_library (library);
}

/* A category of exactly one full page (20 articles in "Matériel") behind a
 * cache whose 304s carry no X-WP-TotalPages: after a restart the feed must
 * still know it holds the last page, from the headers kept with the
 * validator, not guess that a next one may exist (a full page would). */
static void
test_validators_keep_page_count (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = NULL;
  guint not_modified;

  kq_test_server_add_fault (server, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_BARE_NOT_MODIFIED, 0, 0);
  feed = loaded_feed (library, KQ_ARTICLE_FEED_CATEGORY, 14);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 20);
  g_assert_false (kq_article_feed_get_has_more (feed));
  g_clear_object (&feed);
  close_library (library);

  not_modified = kq_test_server_get_not_modified_count (server, "/wp-json/wp/v2/posts");
  library = new_library (FALSE);
  feed = loaded_feed (library, KQ_ARTICLE_FEED_CATEGORY, 14);
  g_assert_cmpuint (kq_test_server_get_not_modified_count (server, "/wp-json/wp/v2/posts"), ==,
                    not_modified + 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 20);
  g_assert_false (kq_article_feed_get_has_more (feed));
  kq_test_server_clear_faults (server);

  g_clear_object (&feed);
  close_library (library);
}

/* Only a list's first page keeps its validator and body in the cache: the
 * later pages are not what the next start asks for first. */

static gboolean
has_stored_validator (KqStore    *store,
                      const char *path)
{
  g_autofree char *url = g_strconcat (kq_test_server_get_url (server), path, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;
  gboolean found;

  kq_store_get_validator_async (store, url, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 5000);
  found = kq_store_get_validator_finish (store, result, &etag, &last_modified, &body, &error);
  g_assert_no_error (error);

  return found && body != NULL;
}

static void
test_validators_first_page_only (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autoptr(KqStore) store = NULL;

  kq_article_feed_load_more (feed);
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 40);
  g_clear_object (&feed);
  close_library (library);

  /* What the next start finds in the cache. */
  store = kq_store_new (NULL);
  g_assert_true (has_stored_validator (store, "/wp-json/wp/v2/posts?_embed=1&per_page=20&page=1"));
  g_assert_false (has_stored_validator (store, "/wp-json/wp/v2/posts?_embed=1&per_page=20&page=2"));
}

/* A list left while the site answers slowly never gets that answer */

static gboolean
has_posts_request (gpointer data)
{
  return kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts") > 0;
}

static void
test_stale_answer_dropped (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) slow = NULL;
  g_autoptr(KqArticleFeed) other = NULL;
  Changes changes = { 0, 0 };

  /* Science answers in 1.5 s; the reader goes to Apple before that. */
  kq_test_server_add_fault (server, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_DELAY, 1500, 2);
  kq_test_server_reset_request_counts (server);
  slow = kq_library_get_feed (library, KQ_ARTICLE_FEED_CATEGORY, 17);
  g_assert_true (kq_article_feed_get_loading (slow));
  g_assert_true (kq_test_wait_for (has_posts_request, NULL, 5000));
  kq_article_feed_cancel (slow);
  g_assert_false (kq_article_feed_get_loading (slow));
  g_signal_connect (slow, "items-changed", G_CALLBACK (on_items_changed_cb), &changes);

  other = loaded_feed (library, KQ_ARTICLE_FEED_CATEGORY, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (other)); i++)
    g_assert_true (kq_article_has_category (item_at (other, i), 3));

  /* Science asked again, just as slow: once its answer is in, the one of
   * the list left would have been too; it never reached that list. */
  {
    g_autoptr(KqArticleFeed) again = loaded_feed (library, KQ_ARTICLE_FEED_CATEGORY, 17);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), >, 0);
    g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts?"), >=, 3);
  }
  kq_test_server_clear_faults (server);
  g_assert_cmpuint (changes.n_changes, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slow)), ==, 0);

  g_signal_handlers_disconnect_by_data (slow, &changes);
  g_clear_object (&slow);
  g_clear_object (&other);
  close_library (library);
}

/* Opening an article: its body from the cache, else from the site */

static gboolean
open_article (KqLibrary *library,
              KqArticle *article,
              GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;

  kq_library_open_article_async (library, article, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 5000);
  return kq_library_open_article_finish (library, result, error);
}

static void
test_open_article_cache_else_site (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  g_autoptr(KqArticle) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *one_post = NULL;
  g_autoptr(JsonArray) posts = NULL;
  KqArticle *article = item_at (feed, 0);
  gint64 old_id;

  /* Listed rows carry no body; the cache has it: no request. */
  g_assert_null (kq_article_get_body_html (article));
  g_assert_false (kq_article_get_read (article));
  kq_test_server_reset_request_counts (server);
  g_assert_true (open_article (library, article, &error));
  g_assert_no_error (error);
  g_assert_nonnull (kq_article_get_body_html (article));
  g_assert_true (kq_article_get_read (article));
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/"), ==, 0);

  /* An article the cache never had (the site's oldest): from the site, then kept. */
  posts = site_posts ();
  old_id = json_object_get_int_member (json_array_get_object_element (
    posts, json_array_get_length (posts) - 1), "id");
  g_assert_null (kq_article_feed_lookup (feed, kq_library_get_source_url (library), old_id));
  kq_library_find_article_async (library, old_id, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 5000);
  found = kq_library_find_article_finish (library, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kq_article_get_id (found), ==, old_id);
  g_assert_nonnull (kq_article_get_body_html (found));
  one_post = g_strdup_printf ("/wp-json/wp/v2/posts/%" G_GINT64_FORMAT, old_id);
  g_assert_cmpuint (kq_test_server_get_request_count (server, one_post), ==, 1);

  /* Asked again: now from the cache. */
  g_clear_object (&result);
  g_clear_object (&found);
  kq_library_find_article_async (library, old_id, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 5000);
  found = kq_library_find_article_finish (library, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kq_article_get_body_html (found));
  g_assert_cmpuint (kq_test_server_get_request_count (server, one_post), ==, 1);

  g_clear_object (&feed);
  close_library (library);
}

/* Refresh: new articles, once, and never while the site says wait */

typedef struct
{
  guint      n;
  char      *title;
  GPtrArray *articles;
} NewArticles;

static void
on_new_articles_cb (KqLibrary   *library,
                    const char  *title,
                    GPtrArray   *articles,
                    NewArticles *found)
{
  found->n++;
  g_free (found->title);
  found->title = g_strdup (title);
  g_clear_pointer (&found->articles, g_ptr_array_unref);
  found->articles = g_ptr_array_ref (articles);
}

static gboolean
has_new (gpointer data)
{
  return ((NewArticles *) data)->n > 0;
}

static void
new_articles_clear (NewArticles *found)
{
  g_clear_pointer (&found->title, g_free);
  g_clear_pointer (&found->articles, g_ptr_array_unref);
  found->n = 0;
}

static void
on_feed_new_articles_cb (KqArticleFeed *feed,
                         GPtrArray     *articles,
                         gboolean       background,
                         guint         *n)
{
  *n += articles->len;
}

static gboolean
is_not_refreshing (gpointer data)
{
  return !kq_library_get_refreshing (data);
}

static void
test_refresh_finds_new_articles (void)
{
  KqLibrary *library = NULL;
  g_autoptr(KqArticleFeed) feed = NULL;
  NewArticles found = { 0, NULL, NULL };
  guint n_listed = 0;
  guint n_before;

  /* The site's three newest are not published yet. */
  kq_test_server_set_unpublished (server, 3);
  library = new_library (FALSE);
  feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  n_before = g_list_model_get_n_items (G_LIST_MODEL (feed));
  g_signal_connect (library, "new-articles", G_CALLBACK (on_new_articles_cb), &found);
  g_signal_connect (feed, "new-articles", G_CALLBACK (on_feed_new_articles_cb), &n_listed);

  /* Nothing new: no signal. */
  g_assert_true (kq_library_refresh (library, TRUE));
  g_assert_true (kq_library_get_refreshing (library));
  g_assert_true (kq_test_wait_for (is_not_refreshing, library, 5000));
  g_assert_cmpuint (found.n, ==, 0);

  /* Published: one refresh tells them, newest first, with the site's name. */
  kq_test_server_set_unpublished (server, 0);
  g_assert_true (kq_library_refresh (library, TRUE));
  g_assert_true (kq_test_wait_for (has_new, &found, 5000));
  g_assert_cmpuint (found.n, ==, 1);
  g_assert_cmpuint (found.articles->len, ==, 3);
  g_assert_cmpuint (n_listed, ==, 3);
  g_assert_nonnull (found.title);
  g_assert_cmpstr (found.title, ==, "Kiosque Tech");
  for (guint i = 1; i < found.articles->len; i++)
    g_assert_cmpint (g_date_time_compare (
      kq_article_get_date (g_ptr_array_index (found.articles, i - 1)),
      kq_article_get_date (g_ptr_array_index (found.articles, i))), >=, 0);
  g_assert_true (kq_article_get_id (g_ptr_array_index (found.articles, 0)) ==
                 kq_article_get_id (item_at (feed, 0)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, n_before + 3);
  g_assert_true (kq_test_wait_for (is_not_refreshing, library, 5000));

  /* Again: nothing new any more. */
  new_articles_clear (&found);
  g_assert_true (kq_library_refresh (library, TRUE));
  g_assert_true (kq_test_wait_for (is_not_refreshing, library, 5000));
  g_assert_cmpuint (found.n, ==, 0);

  g_signal_handlers_disconnect_by_data (library, &found);
  g_signal_handlers_disconnect_by_data (feed, &n_listed);
  new_articles_clear (&found);
  g_clear_object (&feed);
  close_library (library);
}

/* With no list shown at all (the window closed): the timer still finds them. */
static void
test_refresh_timer_without_feeds (void)
{
  KqLibrary *library = NULL;
  g_autoptr(KqArticleFeed) feed = NULL;
  NewArticles found = { 0, NULL, NULL };

  kq_test_server_set_unpublished (server, 2);
  library = new_library (FALSE);
  feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_clear_object (&feed);
  g_signal_connect (library, "new-articles", G_CALLBACK (on_new_articles_cb), &found);

  kq_test_server_set_unpublished (server, 0);
  kq_test_server_reset_request_counts (server);
  kq_library_set_refresh_interval (library, 1);
  g_assert_true (kq_test_wait_for (has_new, &found, 8000));
  g_assert_cmpuint (found.articles->len, ==, 2);
  kq_library_set_refresh_interval (library, 0);
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts?"), ==, 1);

  g_signal_handlers_disconnect_by_data (library, &found);
  new_articles_clear (&found);
  close_library (library);
}

static void
test_refresh_one_at_a_time (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);

  /* Three asks while the first is running, the reader's among them: one
   * request for page 1. */
  kq_test_server_add_fault (server, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_DELAY, 500, 1);
  kq_test_server_reset_request_counts (server);
  for (guint i = 0; i < 3; i++)
    g_assert_true (kq_library_refresh (library, TRUE));
  g_assert_true (kq_library_refresh (library, FALSE));
  g_assert_true (kq_article_feed_get_loading (feed));
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 5000));
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts?"), ==, 1);

  g_clear_object (&feed);
  close_library (library);
}

static void
test_refresh_waits_for_retry_after (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  guint n;

  /* "Come back in an hour": not asked again by the timer before that. */
  kq_test_server_add_fault (server, "/wp-json/wp/v2/posts", KQ_TEST_FAULT_RATE_LIMIT, 3600, 0);
  g_assert_true (kq_library_refresh (library, TRUE));
  g_assert_true (kq_test_wait_for (is_not_refreshing, library, 5000));
  n = kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts");
  g_assert_cmpuint (n, >=, 1);

  g_assert_true (kq_library_refresh (library, TRUE));
  g_assert_false (kq_library_get_refreshing (library));
  g_assert_false (kq_article_feed_get_loading (feed));
  kq_test_server_clear_faults (server);
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts"), ==, n);

  g_clear_object (&feed);
  close_library (library);
}

/* The network goes and comes back */

static gboolean
is_loading (gpointer data)
{
  return kq_article_feed_get_loading (data);
}

static void
test_network_lost_and_back (void)
{
  g_autoptr(TestMonitor) monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  KqLibrary *library = g_object_new (KQ_TYPE_LIBRARY,
                                     "source-url", kq_test_server_get_url (server),
                                     "network-monitor", monitor,
                                     "refresh-interval", 0,
                                     NULL);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);

  g_assert_false (kq_library_get_offline (library));

  /* Gone: offline, and nothing is asked. */
  kq_test_server_reset_request_counts (server);
  test_monitor_set_available (monitor, FALSE);
  g_assert_true (kq_library_get_offline (library));
  g_assert_false (kq_library_get_network_available (library));
  g_assert_false (kq_library_refresh (library, TRUE));
  kq_article_feed_refresh (feed, FALSE);
  g_assert_false (kq_article_feed_get_loading (feed));
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/"), ==, 0);

  /* Back: one refresh, by itself. */
  test_monitor_set_available (monitor, TRUE);
  g_assert_false (kq_library_get_offline (library));
  g_assert_true (kq_test_wait_for (is_loading, feed, 1000));
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 5000));
  g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/posts?"), ==, 1);

  /* Saying it again is no new change: no second refresh. */
  test_monitor_set_available (monitor, TRUE);
  g_assert_false (kq_article_feed_get_loading (feed));

  g_clear_object (&feed);
  close_library (library);
}

/* Bookmarks: listed at once, counted, kept across a restart */

static gboolean
has_one_bookmark (gpointer data)
{
  return kq_library_get_bookmark_count (data) == 1;
}

static gboolean
has_no_bookmark (gpointer data)
{
  return kq_library_get_bookmark_count (data) == 0;
}

static void
test_bookmarks (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autoptr(KqArticleFeed) bookmarks = loaded_feed (library, KQ_ARTICLE_FEED_BOOKMARKS, 0);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  KqArticle *article = item_at (feed, 2);
  gint64 id = kq_article_get_id (article);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 0);
  kq_library_set_bookmarked_async (library, article, TRUE, kq_test_wait_keep_result, &pending);
  /* At once, before the store has written it. */
  g_assert_true (kq_article_get_bookmarked (article));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 1);
  g_assert_cmpuint (kq_library_get_bookmark_count (library), ==, 1);
  /* Then for good, and closing right away loses nothing. */
  close_library (g_object_ref (library));
  result = kq_test_wait_result (&pending, 5000);
  g_assert_true (kq_library_set_bookmarked_finish (library, result, NULL));
  g_clear_object (&feed);
  g_clear_object (&bookmarks);
  g_object_unref (library);

  library = new_library (TRUE);
  g_assert_true (kq_test_wait_for (has_one_bookmark, library, 5000));
  bookmarks = loaded_feed (library, KQ_ARTICLE_FEED_BOOKMARKS, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 1);
  g_assert_cmpint (kq_article_get_id (item_at (bookmarks, 0)), ==, id);
  g_assert_true (kq_article_get_bookmarked (item_at (bookmarks, 0)));

  g_clear_object (&bookmarks);
  close_library (library);
}

/* A save that fails (here the database is locked by another writer for
 * longer than the store waits) shows the star as it really is again. */

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
test_bookmark_failure_undone (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autoptr(KqArticleFeed) bookmarks = loaded_feed (library, KQ_ARTICLE_FEED_BOOKMARKS, 0);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "kiosque", "kiosque.db", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  KqArticle *article = item_at (feed, 0);
  sqlite3 *other;

  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  kq_library_set_bookmarked_async (library, article, TRUE, kq_test_wait_keep_result, &pending);
  g_assert_true (kq_article_get_bookmarked (article));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 1);
  g_assert_true (kq_test_wait_for (has_result, &pending, 15000));
  result = g_steal_pointer (&pending);
  g_assert_false (kq_library_set_bookmarked_finish (library, result, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);

  /* Not saved, and nothing says it is. */
  g_assert_false (kq_article_get_bookmarked (article));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 0);
  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);
  g_assert_true (kq_test_wait_for (has_no_bookmark, library, 5000));

  g_clear_object (&bookmarks);
  g_clear_object (&feed);
  close_library (library);
}

/* Images never hold the reader's lists back: a site slow to serve its
 * images (more of them than libsoup's connections per host) does not delay a
 * refresh of the list. */

typedef struct
{
  guint n_images_done;
  guint n_images_when_refreshed;
  gboolean refreshed;
} SlowImages;

static void
on_image_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SlowImages *slow = user_data;
  G_GNUC_UNUSED g_autoptr(GdkPixbuf) pixbuf = kq_image_loader_load_finish (KQ_IMAGE_LOADER (object), result,
                                                             NULL);

  slow->n_images_done++;
}

static gboolean
is_refreshed (gpointer data)
{
  return ((SlowImages *) data)->refreshed;
}

static gboolean
all_images_done (gpointer data)
{
  return ((SlowImages *) data)->n_images_done == 8;
}

static void
on_refreshing_cb (KqLibrary  *library,
                  GParamSpec *pspec,
                  SlowImages *slow)
{
  if (kq_library_get_refreshing (library))
    return;
  slow->refreshed = TRUE;
  slow->n_images_when_refreshed = slow->n_images_done;
}

static gboolean
has_image_requests (gpointer data)
{
  return kq_test_server_get_request_count (server, "/wp-content/uploads/") >= 6;
}

static void
test_images_do_not_delay_lists (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  KqImageLoader *images = kq_library_get_image_loader (library);
  SlowImages slow = { 0, 0, FALSE };
  guint n = 0;

  /* Eight images, each served in 2 s: every connection to the site busy. */
  kq_test_server_add_fault (server, "/wp-content/uploads/", KQ_TEST_FAULT_DELAY, 2000, 0);
  for (guint i = 0; n < 8 && i < g_list_model_get_n_items (G_LIST_MODEL (feed)); i++)
    {
      const char *url = kq_article_get_thumbnail_url (item_at (feed, i));

      if (url == NULL)
        continue;
      kq_image_loader_load_async (images, url, 0, 0, NULL, on_image_cb, &slow);
      n++;
    }
  g_assert_cmpuint (n, ==, 8);
  g_assert_true (kq_test_wait_for (has_image_requests, NULL, 5000));

  /* The reader refreshes: the list is asked and answered meanwhile. */
  g_signal_connect (library, "notify::refreshing", G_CALLBACK (on_refreshing_cb), &slow);
  g_assert_true (kq_library_refresh (library, FALSE));
  g_assert_true (kq_test_wait_for (is_refreshed, &slow, 10000));
  g_assert_cmpuint (slow.n_images_when_refreshed, ==, 0);

  g_assert_true (kq_test_wait_for (all_images_done, &slow, 10000));
  kq_test_server_clear_faults (server);
  g_signal_handlers_disconnect_by_data (library, &slow);
  g_clear_object (&feed);
  close_library (library);
}

/* Search: the cache's matches first, the site's below, none twice */

static void
test_search_cache_then_site (void)
{
  KqLibrary *library = new_library (FALSE);
  /* Only Apple's latest are cached; the site has every category. */
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_CATEGORY, 3);
  g_autoptr(KqArticleFeed) search = NULL;
  GListModel *site;

  /* A word of nearly every text: the cache's matches, then the site's. */
  search = kq_library_search (library, "de");
  g_assert_true (kq_test_wait_for (is_loaded_idle, search, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (search)), >, 0);
  for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (search)); j++)
    g_assert_true (kq_article_has_category (item_at (search, j), 3));
  site = kq_article_feed_get_site_results (search);
  g_assert_nonnull (site);
  g_assert_cmpuint (g_list_model_get_n_items (site), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (site); i++)
    {
      g_autoptr(KqArticle) result = g_list_model_get_item (site, i);

      /* Not listed twice. */
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (search)); j++)
        g_assert_cmpint (kq_article_get_id (item_at (search, j)), !=, kq_article_get_id (result));
      /* The site's results let their bodies go once kept. */
      g_assert_null (kq_article_get_body_html (result));
    }
  g_assert_null (kq_article_feed_get_site_results (feed));

  g_clear_object (&search);
  g_clear_object (&feed);
  close_library (library);
}

/* A category's first visit lists its few cached articles (seen in « À la
 * une »), then the site's page: those fill the list, they are no news. */
static void
test_first_visit_no_new_articles (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autoptr(KqArticleFeed) category = NULL;
  KqCategory *science;
  guint in_science = 0;
  guint n_new = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (feed)); i++)
    in_science += article_has_category_name (item_at (feed, i), "Science");
  g_assert_cmpuint (in_science, >, 0);
  g_assert_true (kq_test_wait_for (has_categories, library, 10000));
  science = category_named (library, "Science");
  g_assert_nonnull (science);

  category = kq_library_get_feed (library, KQ_ARTICLE_FEED_CATEGORY,
                                  kq_category_get_id (science));
  g_signal_connect (category, "new-articles", G_CALLBACK (on_feed_new_articles_cb), &n_new);
  g_assert_true (kq_test_wait_for (is_loaded_idle, category, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (category)), >, in_science);
  g_assert_cmpuint (n_new, ==, 0);

  g_signal_handlers_disconnect_by_data (category, &n_new);
  g_clear_object (&category);
  g_clear_object (&feed);
  close_library (library);
}

/* Read state: browsing is no news */

static gboolean
has_unread_count (gpointer data)
{
  KqLibrary *library = data;

  return kq_library_get_unread_count (library) ==
         GPOINTER_TO_INT (g_object_get_data (G_OBJECT (library), "expected-unread"));
}

static void
wait_for_unread_count (KqLibrary *library,
                       int        expected)
{
  g_object_set_data (G_OBJECT (library), "expected-unread", GINT_TO_POINTER (expected));
  if (!kq_test_wait_for (has_unread_count, library, 5000))
    g_error ("%d unread, %d expected", kq_library_get_unread_count (library), expected);
}

/* « À la une » counts what came as news (its first page): scrolling into
 * older pages and visiting a category add history, kept read, and the count
 * does not climb. */
static void
test_browsing_keeps_unread_count (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autoptr(KqArticleFeed) category = NULL;
  KqCategory *science;
  guint n_first = g_list_model_get_n_items (G_LIST_MODEL (feed));

  g_assert_cmpuint (n_first, ==, 20);
  wait_for_unread_count (library, 20);

  /* Page 2, older than anything cached: listed, read. */
  kq_article_feed_load_more (feed);
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 40);
  for (guint i = n_first; i < 40; i++)
    g_assert_true (kq_article_get_read (item_at (feed, i)));
  for (guint i = 0; i < n_first; i++)
    g_assert_false (kq_article_get_read (item_at (feed, i)));

  /* A category's first visit: its older articles too. */
  g_assert_true (kq_test_wait_for (has_categories, library, 10000));
  science = category_named (library, "Science");
  g_assert_nonnull (science);
  category = loaded_feed (library, KQ_ARTICLE_FEED_CATEGORY, kq_category_get_id (science));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (category)), >, 0);

  /* One opened: the count follows, and is what the first page left. */
  kq_library_set_read (library, item_at (feed, 0), TRUE);
  wait_for_unread_count (library, 19);

  g_clear_object (&category);
  g_clear_object (&feed);
  close_library (library);
}

/* A search's hits from the site that the cache never had are older than
 * the newest it had: listed read, not counted. */
static void
test_search_keeps_unread_count (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autoptr(KqArticleFeed) search = NULL;
  GListModel *site;

  wait_for_unread_count (library, 20);
  /* The site's first page of hits is the cache's; its second is older. */
  search = kq_library_search (library, "de");
  g_assert_true (kq_test_wait_for (is_loaded_idle, search, 5000));
  g_assert_true (kq_article_feed_get_has_more (search));
  kq_article_feed_load_more (search);
  g_assert_true (kq_test_wait_for (is_loaded_idle, search, 5000));
  site = kq_article_feed_get_site_results (search);
  g_assert_cmpuint (g_list_model_get_n_items (site), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (site); i++)
    {
      g_autoptr(KqArticle) result = g_list_model_get_item (site, i);

      g_assert_true (kq_article_get_read (result));
    }

  kq_library_set_read (library, item_at (feed, 0), TRUE);
  wait_for_unread_count (library, 19);

  g_clear_object (&search);
  g_clear_object (&feed);
  close_library (library);
}

/* « Non lus seulement »: the feed lists its unread articles; one read while
 * listed stays (the selection does not jump) until the list starts over. */

static void
on_counted_changes_cb (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       int        *n)
{
  g_assert_cmpint (*n, >=, (int) (position + removed));
  *n += (int) added - (int) removed;
}

static void
test_unread_only (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autoptr(KqArticle) first_unread = NULL;
  int n_seen = (int) g_list_model_get_n_items (G_LIST_MODEL (feed));

  g_assert_cmpint (n_seen, ==, 20);
  g_signal_connect (feed, "items-changed", G_CALLBACK (on_counted_changes_cb), &n_seen);
  for (guint i = 0; i < 5; i++)
    kq_library_set_read (library, item_at (feed, i * 2), TRUE);

  kq_article_feed_set_unread_only (feed, TRUE);
  g_assert_true (kq_article_feed_get_unread_only (feed));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 15);
  g_assert_cmpint (n_seen, ==, 15);
  for (guint i = 0; i < 15; i++)
    g_assert_false (kq_article_get_read (item_at (feed, i)));

  /* Read while listed: it stays, where it was. */
  first_unread = g_object_ref (item_at (feed, 0));
  kq_library_set_read (library, first_unread, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 15);
  g_assert_true (item_at (feed, 0) == first_unread);

  /* A refresh merges page 1 again: still there. */
  kq_article_feed_refresh (feed, FALSE);
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 15);
  g_assert_cmpint (n_seen, ==, 15);

  /* Reloaded: gone. */
  kq_article_feed_reload (feed);
  g_assert_true (kq_test_wait_for (is_loaded_idle, feed, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 14);
  g_assert_cmpint (n_seen, ==, 14);
  for (guint i = 0; i < 14; i++)
    g_assert_false (kq_article_get_read (item_at (feed, i)));

  /* Off: everything. */
  kq_article_feed_set_unread_only (feed, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (feed)), ==, 20);
  g_assert_cmpint (n_seen, ==, 20);

  g_signal_handlers_disconnect_by_data (feed, &n_seen);
  g_clear_object (&feed);
  close_library (library);
}

/* Comments come with their contents in blocks, parsed on a worker thread
 * by the library, with the options it gives article bodies. */
static void
test_comments_parsed (void)
{
  KqLibrary *library = new_library (FALSE);
  g_autoptr(KqArticleFeed) feed = loaded_feed (library, KQ_ARTICLE_FEED_LATEST, 0);
  g_autofree char *posters = g_strdup_printf ("%s/vi/", kq_test_server_get_url (server));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  kq_library_set_youtube_posters (library, posters);
  kq_test_server_add_fault (server, "/wp-json/wp/v2/comments", KQ_TEST_FAULT_MANY_COMMENTS, 150, 0);
  kq_library_list_comments_async (library, item_at (feed, 0), NULL, kq_test_wait_keep_result,
                                  &pending);
  result = kq_test_wait_result (&pending, 10000);
  comments = kq_library_list_comments_finish (library, result, &error);
  kq_test_server_clear_faults (server);
  g_assert_no_error (error);
  g_assert_cmpuint (comments->len, ==, 150);
  for (guint i = 0; i < comments->len; i++)
    {
      KqHtmlDocument *document = kq_comment_get_document (g_ptr_array_index (comments, i));

      g_assert_nonnull (document);
      g_assert_cmpuint (kq_html_document_get_n_blocks (document), ==, 1);
    }

  g_clear_object (&feed);
  close_library (library);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = kq_test_server_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/kq/library/paging-to-last-page", test_paging_to_last_page);
  g_test_add_func ("/kq/library/cache-first-then-merge", test_cache_first_then_merge);
  g_test_add_func ("/kq/library/site-asked-beside-cache", test_site_asked_beside_cache);
  g_test_add_func ("/kq/library/offline-from-cache", test_offline_from_cache);
  g_test_add_func ("/kq/library/feed-mode-offline-categories", test_feed_mode_offline_categories);
  g_test_add_func ("/kq/library/validators-survive-restart", test_validators_survive_restart);
  g_test_add_func ("/kq/library/discovery-survives-restart", test_discovery_survives_restart);
  g_test_add_func ("/kq/library/validators-keep-page-count", test_validators_keep_page_count);
  g_test_add_func ("/kq/library/validators-first-page-only", test_validators_first_page_only);
  g_test_add_func ("/kq/library/stale-answer-dropped", test_stale_answer_dropped);
  g_test_add_func ("/kq/library/open-article-cache-else-site", test_open_article_cache_else_site);
  g_test_add_func ("/kq/library/refresh-finds-new-articles", test_refresh_finds_new_articles);
  g_test_add_func ("/kq/library/refresh-timer-without-feeds", test_refresh_timer_without_feeds);
  g_test_add_func ("/kq/library/refresh-one-at-a-time", test_refresh_one_at_a_time);
  g_test_add_func ("/kq/library/refresh-waits-for-retry-after", test_refresh_waits_for_retry_after);
  g_test_add_func ("/kq/library/network-lost-and-back", test_network_lost_and_back);
  g_test_add_func ("/kq/library/bookmarks", test_bookmarks);
  g_test_add_func ("/kq/library/bookmark-failure-undone", test_bookmark_failure_undone);
  g_test_add_func ("/kq/library/search-cache-then-site", test_search_cache_then_site);
  g_test_add_func ("/kq/library/images-do-not-delay-lists", test_images_do_not_delay_lists);
  g_test_add_func ("/kq/library/comments-parsed", test_comments_parsed);
  g_test_add_func ("/kq/library/browsing-keeps-unread-count", test_browsing_keeps_unread_count);
  g_test_add_func ("/kq/library/first-visit-no-new-articles", test_first_visit_no_new_articles);
  g_test_add_func ("/kq/library/unread-only", test_unread_only);
  g_test_add_func ("/kq/library/search-keeps-unread-count", test_search_keeps_unread_count);

  status = g_test_run ();
  kq_test_server_clear_faults (server);
  g_clear_object (&server);

  return status;
}
