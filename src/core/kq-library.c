/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-library"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-http.h"
#include "kq-library-private.h"

/*
 * The library: the services and their lifetime (this file), the source's
 * categories and unread counts, the HTTP validators kept between starts and
 * the feeds alive. The refresh (cycles, timer, network monitor,
 * kq_library_refresh()) is in kq-library-refresh.c; what is done to
 * articles (open, bookmark, read, export, comments) in
 * kq-library-articles.c.
 */


G_DEFINE_FINAL_TYPE (KqLibrary, kq_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOURCE_URL,
  PROP_STORE_PATH,
  PROP_OFFLINE,
  PROP_NETWORK_MONITOR,
  PROP_NETWORK_AVAILABLE,
  PROP_REFRESH_INTERVAL,
  PROP_CACHE_MAX_ARTICLES,
  PROP_UNREAD_COUNT,
  PROP_BOOKMARK_COUNT,
  PROP_REFRESHING,
  PROP_YOUTUBE_POSTERS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  NEW_ARTICLES,
  MESSAGE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* HTTP validators: kept with their body, so that the first requests of the
 * next start are conditional and a 304 reuses that body. */
#define VALIDATOR_MAX_BODY      (2 * 1024 * 1024)
#define PRELOAD_MAX_VALIDATORS  64
#define PRELOAD_MAX_BYTES       (16 * 1024 * 1024)

/* Unread counts are read again this long after the last change: opening
 * articles in a row, or pages arriving together, cost one count. */
#define COUNTS_DELAY_MS 400

static gboolean
is_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A call made for the source read at the time: dropped if it changed since. */

KqSourceCall *
_kq_source_call_new (KqLibrary      *self,
                     KqRefreshCycle *cycle)
{
  KqSourceCall *call = g_new0 (KqSourceCall, 1);

  call->self = g_object_ref (self);
  call->source = g_object_ref (self->source);
  call->cycle = cycle != NULL ? _kq_refresh_cycle_ref (cycle) : NULL;

  return call;
}

void
_kq_source_call_free (KqSourceCall *call)
{
  g_clear_object (&call->self);
  g_clear_object (&call->source);
  g_clear_pointer (&call->cycle, _kq_refresh_cycle_unref);
  g_free (call);
}

gboolean
_kq_source_call_is_current (KqSourceCall *call)
{
  return call->self->source == call->source;
}


/* Categories and unread counts */

static void
on_store_categories_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KqSourceCall) call = user_data;
  KqLibrary *self = call->self;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;

  categories = kq_store_list_categories_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        g_warning ("Could not read the categories: %s", error->message);
      return;
    }
  if (!_kq_source_call_is_current (call))
    return;

  g_list_store_splice (self->categories, 0, g_list_model_get_n_items (G_LIST_MODEL (self->categories)),
                       categories->pdata, categories->len);
}

static void
on_unread_counted_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KqSourceCall) call = user_data;
  KqLibrary *self = call->self;
  g_autoptr(GError) error = NULL;
  gint64 count;

  count = kq_store_count_unread_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        g_warning ("Could not count the unread articles: %s", error->message);
      return;
    }
  if (!_kq_source_call_is_current (call) || self->unread_count == (int) MIN (count, G_MAXINT))
    return;

  self->unread_count = (int) MIN (count, G_MAXINT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}

/* The categories with their unread counts, and the whole source's count. */
static void
read_categories (KqLibrary *self)
{
  kq_store_list_categories_async (self->store, kq_source_get_url (self->source),
                                  self->cancellable, on_store_categories_cb,
                                  _kq_source_call_new (self, NULL));
  kq_store_count_unread_async (self->store, kq_source_get_url (self->source), 0,
                               self->cancellable, on_unread_counted_cb,
                               _kq_source_call_new (self, NULL));
}

static void
on_categories_saved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KqSourceCall) call = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_upsert_categories_finish (KQ_STORE (object), result, &error))
    {
      if (!is_cancelled (error))
        g_warning ("Could not save the categories: %s", error->message);
      return;
    }

  if (_kq_source_call_is_current (call))
    read_categories (call->self);
}

static void
on_site_categories_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(KqSourceCall) call = user_data;
  KqLibrary *self = call->self;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;
  const char *source_url;

  categories = kq_source_list_categories_finish (KQ_SOURCE (object), result, &error);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        g_debug ("Could not list the categories: %s", error->message);
      return;
    }
  if (!_kq_source_call_is_current (call))
    return;

  /* Shown at once the first time; the store's (with unread counts) follow. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->categories)) == 0)
    g_list_store_splice (self->categories, 0, 0, categories->pdata, categories->len);
  source_url = kq_source_get_url (call->source);
  kq_store_upsert_categories_async (self->store, source_url, categories, self->cancellable,
                                    on_categories_saved_cb, g_steal_pointer (&call));
}

void
_kq_library_load_categories (KqLibrary      *self,
                             KqRefreshCycle *cycle)
{
  if (kq_library_get_offline (self))
    return;

  kq_source_list_categories_async (self->source, self->cancellable, on_site_categories_cb,
                                   _kq_source_call_new (self, cycle));
}

void
_kq_library_reload_categories (KqLibrary *self)
{
  /* The site's, saved then read back with their counts; the cache's offline. */
  if (kq_library_get_offline (self))
    read_categories (self);
  else
    _kq_library_load_categories (self, NULL);
}

static gboolean
update_counts_cb (gpointer data)
{
  KqLibrary *self = data;

  self->counts_timeout_id = 0;
  read_categories (self);

  return G_SOURCE_REMOVE;
}

void
_kq_library_queue_counts (KqLibrary *self)
{
  if (self->counts_timeout_id == 0)
    self->counts_timeout_id = g_timeout_add (COUNTS_DELAY_MS, update_counts_cb, self);
}

/* Bookmarks count */

static void
on_bookmarks_counted_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(KqLibrary) self = user_data;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GError) error = NULL;

  bookmarks = kq_store_list_bookmarks_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        g_warning ("Could not count the bookmarks: %s", error->message);
      return;
    }

  _kq_library_set_bookmark_count (self, bookmarks->len);
}

void
_kq_library_count_bookmarks (KqLibrary *self)
{
  kq_store_list_bookmarks_async (self->store, self->cancellable, on_bookmarks_counted_cb,
                                 g_object_ref (self));
}

void
_kq_library_set_bookmark_count (KqLibrary *self,
                                guint      count)
{
  if (self->bookmark_count == count)
    return;

  self->bookmark_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOKMARK_COUNT]);
}

/* Feeds alive */

static void
on_feed_finalized_cb (gpointer  data,
                      GObject  *where_the_feed_was)
{
  KqLibrary *self = data;

  g_ptr_array_remove_fast (self->feeds, where_the_feed_was);
}

static KqArticleFeed *
add_feed (KqLibrary     *self,
          KqArticleFeed *feed)
{
  g_ptr_array_add (self->feeds, feed);
  g_object_weak_ref (G_OBJECT (feed), on_feed_finalized_cb, self);

  return feed;
}

/* The feeds alive right now, each with a reference (calls may drop others). */
GPtrArray *
_kq_library_dup_feeds (KqLibrary *self)
{
  GPtrArray *feeds = g_ptr_array_new_full (self->feeds->len, g_object_unref);

  for (guint i = 0; i < self->feeds->len; i++)
    g_ptr_array_add (feeds, g_object_ref (g_ptr_array_index (self->feeds, i)));

  return feeds;
}

/* Validators */

/* A list's later pages (REST `page=N`, feed `paged=N`) and searches are not
 * what the next start asks for first, and each kept body is about 240 kB of
 * JSON: scrolling 2,000 rows wrote 24 MB of them into the cache, all read
 * back at the next start before the cached rows. */
static gboolean
is_worth_keeping (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *keys[] = { "page", "paged" };

  if (uri == NULL || g_uri_get_query (uri) == NULL)
    return TRUE;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return TRUE;
  if (g_hash_table_contains (params, "search") || g_hash_table_contains (params, "s"))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *page = g_hash_table_lookup (params, keys[i]);

      if (page != NULL && g_ascii_strtoull (page, NULL, 10) > 1)
        return FALSE;
    }
  return TRUE;
}

static void
on_validator_changed_cb (KqLibrary  *self,
                         const char *url,
                         const char *etag,
                         const char *last_modified,
                         KqHttp     *http)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *headers = NULL;

  if (!is_worth_keeping (url))
    return;

  body = kq_http_get_validator_body (http, url);
  /* The page count a 304 must give again after a restart. */
  headers = kq_http_get_validator_headers (http, url);

  /* A validator without its body cannot answer a 304: not worth keeping. */
  if (body == NULL || g_bytes_get_size (body) > VALIDATOR_MAX_BODY)
    etag = last_modified = NULL;

  kq_store_set_validator_full_async (self->store, url, etag, last_modified,
                                     etag || last_modified ? body : NULL,
                                     etag || last_modified ? headers : NULL,
                                     self->cancellable, NULL, NULL);
}

/* One of the reads a first request waits for is in: the feeds waiting for
 * them ask the site once all are (see _kq_library_get_started()). */
static void
start_read_done (KqLibrary *self)
{
  g_autoptr(GPtrArray) feeds = NULL;

  g_assert (self->n_start_reads > 0);
  if (--self->n_start_reads > 0)
    return;

  feeds = _kq_library_dup_feeds (self);
  for (guint i = 0; i < feeds->len; i++)
    _kq_article_feed_library_started (g_ptr_array_index (feeds, i));
}

static void
on_validators_listed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(KqLibrary) self = user_data;
  g_autoptr(GPtrArray) validators = NULL;
  g_autoptr(GError) error = NULL;
  gsize bytes = 0;
  guint n = 0;

  validators = kq_store_list_validators_finish (KQ_STORE (object), result, &error);
  if (is_cancelled (error))
    return;
  if (error != NULL)
    g_warning ("Could not read the HTTP validators: %s", error->message);

  for (guint i = 0; validators != NULL && i < validators->len; i++)
    {
      KqStoreValidator *validator = g_ptr_array_index (validators, i);
      gsize size = validator->body != NULL ? g_bytes_get_size (validator->body) : 0;

      if (size == 0 || n >= PRELOAD_MAX_VALIDATORS || bytes + size > PRELOAD_MAX_BYTES)
        continue;
      kq_http_set_validator_full (self->http, validator->url, validator->etag,
                                  validator->last_modified, validator->body,
                                  validator->headers);
      bytes += size;
      n++;
    }
  g_debug ("%u HTTP validators preloaded (%" G_GSIZE_FORMAT " bytes)", n, bytes);
  start_read_done (self);

  /* Now the first requests can be conditional. */
  _kq_library_load_categories (self, NULL);
}

/* Start */

/* After open: what the bookmarks backup gave back, if anything. */
static void
say_what_was_restored (KqLibrary *self)
{
  gint64 not_restored = 0;
  gint64 restored = kq_store_get_restored (self->store, &not_restored);

  if (kq_store_get_recovered (self->store) && not_restored == 0)
    g_signal_emit (self, signals[MESSAGE], 0,
                   _("The cache was damaged and has been rebuilt; bookmarks were kept"));
  else if (restored > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%d bookmark missing from the cache was restored from its backup",
                                      "%d bookmarks missing from the cache were restored from their backup",
                                      (gulong) restored),
                         (int) restored);

      g_signal_emit (self, signals[MESSAGE], 0, text);
    }
  if (not_restored > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%d bookmark of the backup could not be read",
                                      "%d bookmarks of the backup could not be read",
                                      (gulong) not_restored),
                         (int) not_restored);

      g_signal_emit (self, signals[MESSAGE], 0, text);
    }
}

static void
on_store_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KqLibrary) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_open_finish (KQ_STORE (object), result, &error))
    {
      if (is_cancelled (error))
        return;
      g_warning ("Could not open the cache: %s", error->message);
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
    }
  else
    say_what_was_restored (self);

  /* Keep the cache within its size (never the bookmarks). */
  kq_store_prune_async (self->store, 0, self->cache_max_articles, self->cancellable, NULL, NULL);
}

/* What discovery found, kept between starts: the next start reads the
 * site at once, in the mode found (see kq_source_restore_discovery()). */

static void
on_source_mode_cb (KqLibrary  *self,
                   GParamSpec *pspec,
                   KqSource   *source)
{
  KqSourceMode mode = kq_source_get_mode (source);

  if (self->store == NULL || mode == KQ_SOURCE_MODE_UNKNOWN)
    return;
  kq_store_set_discovery_async (self->store, kq_source_get_url (source),
                                kq_source_mode_to_string (mode),
                                kq_source_get_api_root (source), kq_source_get_feed_url (source),
                                kq_source_get_title (source), self->cancellable, NULL, NULL);
}

static void
restore_mode (KqSource         *source,
              KqStoreDiscovery *discovery)
{
  g_autoptr(GEnumClass) modes = NULL;
  GEnumValue *mode;

  modes = g_type_class_ref (KQ_TYPE_SOURCE_MODE);
  mode = g_enum_get_value_by_nick (modes, discovery->mode);
  if (mode == NULL)
    return;
  g_debug ("%s: kept mode %s", kq_source_get_url (source), discovery->mode);
  kq_source_restore_discovery (source, mode->value, discovery->api_root,
                               discovery->feed_url, discovery->title);
}

static void
on_discovery_read_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KqSourceCall) call = user_data;
  g_autoptr(KqStoreDiscovery) discovery = NULL;
  g_autoptr(GError) error = NULL;

  discovery = kq_store_get_discovery_finish (KQ_STORE (object), result, &error);
  if (is_cancelled (error))
    return;
  if (error != NULL)
    g_debug ("Could not read what discovery found: %s", error->message);
  if (discovery != NULL && _kq_source_call_is_current (call))
    restore_mode (call->source, discovery);
  start_read_done (call->self);
}

/* Queued on the store before anything that loads from the site. */
static void
restore_discovery (KqLibrary *self)
{
  self->n_start_reads++;
  kq_store_get_discovery_async (self->store, kq_source_get_url (self->source), self->cancellable,
                                on_discovery_read_cb, _kq_source_call_new (self, NULL));
}

static void
set_source (KqLibrary  *self,
            const char *url)
{
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, on_source_mode_cb, self);
  g_clear_object (&self->source);
  self->source = kq_source_new (self->http, url);
  g_signal_connect_object (self->source, "notify::mode", G_CALLBACK (on_source_mode_cb), self,
                           G_CONNECT_SWAPPED);
  g_debug ("Source %s", kq_source_get_url (self->source));
}

static void
kq_library_constructed (GObject *object)
{
  KqLibrary *self = KQ_LIBRARY (object);

  G_OBJECT_CLASS (kq_library_parent_class)->constructed (object);

  if (self->monitor == NULL)
    self->monitor = g_object_ref (g_network_monitor_get_default ());
  else
    self->trust_monitor = TRUE;
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (_kq_library_network_changed_cb),
                           self, G_CONNECT_SWAPPED);
  if (self->trust_monitor)
    self->network_available = g_network_monitor_get_network_available (self->monitor);

  if (self->source == NULL)
    set_source (self, DEFAULT_SOURCE_URL);
  self->store = kq_store_new (self->store_path);
  /* The rows never show bodies: the article opened is read whole. */
  kq_store_set_list_bodies (self->store, FALSE);
  /* Images on an HTTP session of their own: a site slow to serve them
   * (more than its connections per host) never holds a list back. */
  self->image_loader = kq_image_loader_new (NULL, NULL);
  kq_image_loader_set_offline (self->image_loader, kq_library_get_offline (self));
  g_signal_connect_object (self->http, "validator-changed",
                           G_CALLBACK (on_validator_changed_cb), self, G_CONNECT_SWAPPED);

  /* Jobs run in order on the store's thread: these see the opened database. */
  kq_store_open_async (self->store, self->cancellable, on_store_opened_cb, g_object_ref (self));
  restore_discovery (self);
  self->n_start_reads++;
  kq_store_list_validators_async (self->store, self->cancellable, on_validators_listed_cb,
                                  g_object_ref (self));
  read_categories (self);
  _kq_library_count_bookmarks (self);
  _kq_library_update_refresh_timer (self);
}

static void
kq_library_dispose (GObject *object)
{
  KqLibrary *self = KQ_LIBRARY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_timer_id, g_source_remove);
  g_clear_handle_id (&self->counts_timeout_id, g_source_remove);
  while (self->feeds->len > 0)
    {
      KqArticleFeed *feed = g_ptr_array_steal_index_fast (self->feeds, self->feeds->len - 1);

      g_object_weak_unref (G_OBJECT (feed), on_feed_finalized_cb, self);
      _kq_article_feed_detach (feed);
    }
  self->cycle = NULL;
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);

  g_clear_object (&self->image_loader);
  g_clear_object (&self->source);
  g_clear_object (&self->store);
  g_clear_object (&self->http);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (kq_library_parent_class)->dispose (object);
}

static void
kq_library_finalize (GObject *object)
{
  KqLibrary *self = KQ_LIBRARY (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->categories);
  g_clear_pointer (&self->feeds, g_ptr_array_unref);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->youtube_posters, g_free);

  G_OBJECT_CLASS (kq_library_parent_class)->finalize (object);
}

static void
kq_library_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KqLibrary *self = KQ_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URL:
      g_value_set_string (value, kq_library_get_source_url (self));
      break;
    case PROP_STORE_PATH:
      g_value_set_string (value, self->store_path);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, kq_library_get_offline (self));
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->network_available);
      break;
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    case PROP_CACHE_MAX_ARTICLES:
      g_value_set_uint (value, self->cache_max_articles);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_int (value, self->unread_count);
      break;
    case PROP_BOOKMARK_COUNT:
      g_value_set_uint (value, self->bookmark_count);
      break;
    case PROP_REFRESHING:
      g_value_set_boolean (value, self->cycle != NULL);
      break;
    case PROP_YOUTUBE_POSTERS:
      g_value_set_string (value, self->youtube_posters);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_library_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KqLibrary *self = KQ_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URL:
      if (self->source == NULL)
        {
          if (g_value_get_string (value) != NULL)
            set_source (self, g_value_get_string (value));
        }
      else
        kq_library_set_source_url (self, g_value_get_string (value));
      break;
    case PROP_STORE_PATH:
      self->store_path = g_value_dup_string (value);
      break;
    case PROP_OFFLINE:
      self->forced_offline = g_value_get_boolean (value);
      break;
    case PROP_NETWORK_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;
    case PROP_REFRESH_INTERVAL:
      kq_library_set_refresh_interval (self, g_value_get_uint (value));
      break;
    case PROP_CACHE_MAX_ARTICLES:
      kq_library_set_cache_max_articles (self, g_value_get_uint (value));
      break;
    case PROP_YOUTUBE_POSTERS:
      kq_library_set_youtube_posters (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_library_class_init (KqLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kq_library_constructed;
  object_class->dispose = kq_library_dispose;
  object_class->finalize = kq_library_finalize;
  object_class->get_property = kq_library_get_property;
  object_class->set_property = kq_library_set_property;

  properties[PROP_SOURCE_URL] =
    g_param_spec_string ("source-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE_PATH] =
    g_param_spec_string ("store-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK_AVAILABLE] =
    g_param_spec_boolean ("network-available", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL, 0, G_MAXUINT / 1000, 30 * 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CACHE_MAX_ARTICLES] =
    g_param_spec_uint ("cache-max-articles", NULL, NULL, 0, G_MAXUINT, 2000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNREAD_COUNT] =
    g_param_spec_int ("unread-count", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BOOKMARK_COUNT] =
    g_param_spec_uint ("bookmark-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Where articles' YouTube posters are fetched (KqHtmlOptions.youtube_posters);
   * NULL: YouTube's own. Tests point it at their server. */
  properties[PROP_YOUTUBE_POSTERS] =
    g_param_spec_string ("youtube-posters", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NEW_ARTICLES] =
    g_signal_new ("new-articles", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_PTR_ARRAY);
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kq_library_init (KqLibrary *self)
{
  self->http = kq_http_new ();
  self->cancellable = g_cancellable_new ();
  self->categories = g_list_store_new (KQ_TYPE_CATEGORY);
  self->feeds = g_ptr_array_new ();
  self->unread_count = -1;
  self->network_available = TRUE;
  self->refresh_interval = 30 * 60;
  self->cache_max_articles = 2000;
}

/* Private API (the feeds' and the other kq-library-*.c files') */

gboolean
_kq_library_get_started (KqLibrary *self)
{
  return self->n_start_reads == 0;
}

void
_kq_library_notify_refreshing (KqLibrary *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
}

void
_kq_library_notify_network (KqLibrary *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_AVAILABLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

void
_kq_library_emit_new_articles (KqLibrary  *self,
                               const char *source_title,
                               GPtrArray  *articles)
{
  g_signal_emit (self, signals[NEW_ARTICLES], 0, source_title, articles);
}

KqStore *
_kq_library_get_store (KqLibrary *self)
{
  return self->store;
}

KqSource *
_kq_library_get_source (KqLibrary *self)
{
  return self->source;
}

KqHttp *
_kq_library_get_http (KqLibrary *self)
{
  return self->http;
}

GCancellable *
_kq_library_get_cancellable (KqLibrary *self)
{
  return self->cancellable;
}

/* Public API */

/**
 * kq_library_new:
 * @source_url: (nullable): the site to read (NULL: KultureGeek)
 * @store_path: (nullable): the database (NULL: in the user's data folder)
 * @offline: the cache only, never the network
 */
KqLibrary *
kq_library_new (const char *source_url,
                const char *store_path,
                gboolean    offline)
{
  return g_object_new (KQ_TYPE_LIBRARY,
                       "source-url", source_url,
                       "store-path", store_path,
                       "offline", offline,
                       NULL);
}

const char *
kq_library_get_source_url (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), NULL);

  return self->source != NULL ? kq_source_get_url (self->source) : NULL;
}

void
kq_library_set_source_url (KqLibrary  *self,
                           const char *url)
{
  g_return_if_fail (KQ_IS_LIBRARY (self));

  if (url == NULL || *url == '\0')
    url = DEFAULT_SOURCE_URL;
  if (self->source != NULL && g_strcmp0 (url, kq_source_get_url (self->source)) == 0)
    return;

  set_source (self, url);
  restore_discovery (self);
  if (self->cycle != NULL)
    {
      self->cycle = NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
    }
  g_list_store_remove_all (self->categories);
  if (self->unread_count != -1)
    {
      self->unread_count = -1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
    }
  read_categories (self);
  _kq_library_load_categories (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE_URL]);
}

char *
kq_library_dup_source_title (KqLibrary *self)
{
  g_autoptr(GUri) uri = NULL;
  const char *title;

  g_return_val_if_fail (KQ_IS_LIBRARY (self), NULL);

  title = kq_source_get_title (self->source);
  if (title != NULL && *title != '\0')
    return g_strdup (title);

  uri = g_uri_parse (kq_source_get_url (self->source), G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      const char *host = g_uri_get_host (uri);

      return g_strdup (g_str_has_prefix (host, "www.") ? host + 4 : host);
    }

  return g_strdup (kq_source_get_url (self->source));
}

gboolean
kq_library_is_from_source (KqLibrary *self,
                           KqArticle *article)
{
  const char *article_source;
  const char *source_url;
  gsize a, b;

  g_return_val_if_fail (KQ_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (KQ_IS_ARTICLE (article), FALSE);

  article_source = kq_article_get_source (article);
  source_url = kq_source_get_url (self->source);
  if (article_source == NULL || source_url == NULL)
    return TRUE;

  a = strlen (article_source);
  b = strlen (source_url);
  while (a > 0 && article_source[a - 1] == '/')
    a--;
  while (b > 0 && source_url[b - 1] == '/')
    b--;

  return a == b && g_ascii_strncasecmp (article_source, source_url, a) == 0;
}

gboolean
kq_library_get_offline (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), TRUE);

  return self->forced_offline || !self->network_available;
}

gboolean
kq_library_get_network_available (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), FALSE);

  return self->network_available;
}

/* Seconds. */
guint
kq_library_get_refresh_interval (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), 0);

  return self->refresh_interval;
}

/**
 * kq_library_set_refresh_interval:
 * @seconds: between refreshes; 0: none
 */
void
kq_library_set_refresh_interval (KqLibrary *self,
                                 guint      seconds)
{
  g_return_if_fail (KQ_IS_LIBRARY (self));

  if (self->refresh_interval == seconds)
    return;

  self->refresh_interval = seconds;
  if (self->store != NULL)
    _kq_library_update_refresh_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

guint
kq_library_get_cache_max_articles (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), 0);

  return self->cache_max_articles;
}

void
kq_library_set_cache_max_articles (KqLibrary *self,
                                   guint      max_articles)
{
  g_return_if_fail (KQ_IS_LIBRARY (self));

  if (self->cache_max_articles == max_articles)
    return;

  self->cache_max_articles = max_articles;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE_MAX_ARTICLES]);
}

const char *
kq_library_get_youtube_posters (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), NULL);

  return self->youtube_posters;
}

/* Where YouTube posters of articles opened from now on are fetched:
 * @base + ID + "/hqdefault.jpg"; NULL: YouTube's own (i.ytimg.com). */
void
kq_library_set_youtube_posters (KqLibrary  *self,
                                const char *base)
{
  g_return_if_fail (KQ_IS_LIBRARY (self));

  if (g_strcmp0 (self->youtube_posters, base) == 0)
    return;

  g_free (self->youtube_posters);
  self->youtube_posters = g_strdup (base);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_YOUTUBE_POSTERS]);
}

int
kq_library_get_unread_count (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), -1);

  return self->unread_count;
}


guint
kq_library_get_bookmark_count (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), 0);

  return self->bookmark_count;
}

/**
 * kq_library_get_categories:
 *
 * Returns: (transfer none): a GListModel of KqCategory
 */
GListModel *
kq_library_get_categories (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), NULL);

  return G_LIST_MODEL (self->categories);
}

/**
 * kq_library_get_image_loader:
 *
 * Returns: (transfer none): the loader for thumbnails and article images
 */
KqImageLoader *
kq_library_get_image_loader (KqLibrary *self)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), NULL);

  return self->image_loader;
}

/**
 * kq_library_get_feed:
 *
 * Returns: (transfer full): a new feed, filling itself
 */
KqArticleFeed *
kq_library_get_feed (KqLibrary         *self,
                     KqArticleFeedKind  kind,
                     gint64             category_id)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (kind != KQ_ARTICLE_FEED_SEARCH, NULL);

  return add_feed (self, _kq_article_feed_new (self, kind, category_id, NULL));
}

/**
 * kq_library_search:
 *
 * Returns: (transfer full): a new search feed, filling itself
 */
KqArticleFeed *
kq_library_search (KqLibrary  *self,
                   const char *text)
{
  g_return_val_if_fail (KQ_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  return add_feed (self, _kq_article_feed_new (self, KQ_ARTICLE_FEED_SEARCH, 0, text));
}


static void
on_flushed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  kq_store_flush_finish (KQ_STORE (object), result, NULL);
  g_task_return_boolean (task, TRUE);
}

void
kq_library_close_async (KqLibrary           *self,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KQ_IS_LIBRARY (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, kq_library_close_async);

  g_cancellable_cancel (self->cancellable);
  self->forced_offline = TRUE;
  g_clear_handle_id (&self->refresh_timer_id, g_source_remove);
  g_clear_handle_id (&self->counts_timeout_id, g_source_remove);
  kq_store_flush_async (self->store, on_flushed_cb, task);
}

gboolean
kq_library_close_finish (KqLibrary     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
