/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-source"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kq-source-private.h"
#include "kq-text-private.h"
#include "kq-feed-parser.h"
#include "kq-wp-parser.h"

/*
 * KqSource: the object, its public API and what every mode shares (the
 * operation a call starts, errors, permalinks). Discovery is in
 * kq-source-discovery.c, the REST API in kq-source-rest.c, the feed modes in
 * kq-source-feed.c.
 */

#define DEFAULT_PER_PAGE     20
#define MAX_PER_PAGE         100

G_DEFINE_FINAL_TYPE (KqSource, kq_source, G_TYPE_OBJECT)

G_DEFINE_QUARK (kq-source-error-quark, kq_source_error)

G_DEFINE_ENUM_TYPE (KqSourceMode, kq_source_mode,
                    G_DEFINE_ENUM_VALUE (KQ_SOURCE_MODE_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (KQ_SOURCE_MODE_WP_REST, "wp-rest"),
                    G_DEFINE_ENUM_VALUE (KQ_SOURCE_MODE_WP_FEED, "wp-feed"),
                    G_DEFINE_ENUM_VALUE (KQ_SOURCE_MODE_FEED, "feed"))

enum {
  PROP_0,
  PROP_HTTP,
  PROP_URL,
  PROP_MODE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
op_free (gpointer data)
{
  KqSourceOp *op = data;

  g_free (op->query);
  g_free (op->feed_url);
  g_clear_pointer (&op->results, g_ptr_array_unref);
  g_clear_object (&op->response);
  g_free (op);
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

static char *
normalise_url (const char *url)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (url));
  g_autofree char *with_scheme = NULL;
  gsize len;

  if (strstr (trimmed, "://") == NULL && *trimmed != '\0')
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_steal_pointer (&trimmed);

  len = strlen (with_scheme);
  while (len > 0 && with_scheme[len - 1] == '/' &&
         (len < 3 || strncmp (with_scheme + len - 3, "://", 3) != 0))
    with_scheme[--len] = '\0';

  return g_steal_pointer (&with_scheme);
}

gboolean
_kq_source_looks_like_json (GBytes *body)
{
  gsize size;
  const guchar *data = g_bytes_get_data (body, &size);
  gsize i = 0;

  /* A UTF-8 byte order mark is allowed. */
  if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    i = 3;
  while (i < size && g_ascii_isspace (data[i]))
    i++;

  return i < size && (data[i] == '{' || data[i] == '[');
}

char *
_kq_source_site_name (KqSource *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL)
    return g_strdup (g_uri_get_host (uri));
  return g_strdup (self->url);
}

/* Parser errors carry technical details: keep those in the debug log and
 * give the reader a sentence. WordPress error objects already say what
 * happened and are kept. */
GError *
_kq_source_reader_error (KqSource *self,
                         GError   *error)
{
  g_autofree char *site = NULL;

  if (error->domain == KQ_HTTP_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KQ_WP_ERROR, KQ_WP_ERROR_API))
    return error;

  g_debug ("%s: %s", self->url, error->message);
  site = _kq_source_site_name (self);
  g_clear_error (&error);

  return g_error_new (KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                      _("The site %s sent data Kiosque cannot read. Try again later."), site);
}

/* A permalink's path without its trailing slashes, for comparisons that
 * ignore the scheme, the host's spelling and the fragment. */
char *
_kq_source_link_path (const char *link)
{
  g_autoptr(GUri) uri = link ? g_uri_parse (link, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autofree char *path = NULL;
  gsize len;

  if (uri == NULL)
    return NULL;
  path = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  if (path == NULL)
    return NULL;
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  return g_steal_pointer (&path);
}

gboolean
_kq_source_same_permalink (const char *a,
                           const char *b)
{
  g_autofree char *path_a = _kq_source_link_path (a);
  g_autofree char *path_b = _kq_source_link_path (b);

  return path_a != NULL && *path_a != '\0' && g_strcmp0 (path_a, path_b) == 0;
}

/* The post of @articles with the link the operation asks for, else 404. */
void
_kq_source_return_post_by_link (GTask     *task,
                                GPtrArray *articles)
{
  KqSourceOp *op = g_task_get_task_data (task);

  for (guint i = 0; articles != NULL && i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);

      if (_kq_source_same_permalink (kq_article_get_link (article), op->query))
        {
          g_task_return_pointer (task, g_object_ref (article), g_object_unref);
          return;
        }
    }

  g_task_return_error (task, kq_http_error_new_for_status (404, op->query));
}

/* "?p=ID" in a link: the post's id, or 0. */
static gint64
link_post_id (const char *link)
{
  g_autoptr(GUri) uri = g_uri_parse (link, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *p;
  guint64 id = 0;

  if (uri == NULL || g_uri_get_query (uri) == NULL)
    return 0;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL || (p = g_hash_table_lookup (params, "p")) == NULL ||
      !g_ascii_string_to_unsigned (p, 10, 1, G_MAXINT64, &id, NULL))
    return 0;

  return (gint64) id;
}

/* ---------------------------------------------------------------------- */
/* Operations                                                             */

void
_kq_source_set_mode (KqSource     *self,
                     KqSourceMode  mode)
{
  if (self->mode == mode)
    return;

  g_debug ("%s: mode %s", self->url, kq_source_mode_to_string (mode));
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODE]);
}

static GPtrArray *
empty_array (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

void
_kq_source_return_results (GTask *task)
{
  KqSourceOp *op = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&op->results),
                         (GDestroyNotify)g_ptr_array_unref);
}

/* Keeps the category list (feed modes need its links) and returns it. */
void
_kq_source_return_categories (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);

  g_clear_pointer (&self->categories, g_ptr_array_unref);
  self->categories = g_ptr_array_ref (op->results);
  _kq_source_return_results (task);
}

void
_kq_source_dispatch (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);

  if (g_task_return_error_if_cancelled (task))
    return;

  switch (self->mode)
    {
    case KQ_SOURCE_MODE_WP_REST:
      _kq_source_dispatch_rest (task);
      break;
    case KQ_SOURCE_MODE_WP_FEED:
    case KQ_SOURCE_MODE_FEED:
      _kq_source_dispatch_feed (task);
      break;
    case KQ_SOURCE_MODE_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
}

static void
discovered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_source_discover_finish (KQ_SOURCE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _kq_source_dispatch (task);
}

/* After a kept mode failed: whether the failure says the site changed
 * (REST gone or blocked, a feed moved, answers of another kind). */
static gboolean
says_site_changed (const GError *error)
{
  return g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND) ||
         g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_FORBIDDEN) ||
         g_error_matches (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID) ||
         error->domain == KQ_FEED_ERROR;
}

static GDestroyNotify
op_result_free_func (KqSourceOp *op)
{
  return op->kind == OP_POST || op->kind == OP_POST_BY_LINK ? g_object_unref
                                                             : (GDestroyNotify) g_ptr_array_unref;
}

/* An operation run in a restored mode: its result goes to the caller's
 * task (@user_data), unless it failed as if the site changed, then
 * discovery runs and the operation again. */
static void
restored_op_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = KQ_SOURCE (object);
  KqSourceOp *op = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;
  gpointer value = g_task_propagate_pointer (G_TASK (result), &error);

  if (value != NULL || error == NULL)
    {
      self->restored = FALSE;
      g_task_return_pointer (task, value, op_result_free_func (op));
      return;
    }
  /* Another operation may have found it out first: then this one waits for
   * that discovery, or runs again in the mode it found. */
  if (!says_site_changed (error) || (!self->restored && self->mode == op->restored_mode))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->restored)
    {
      g_debug ("%s: the kept mode %s failed (%s): discovering again", self->url,
               kq_source_mode_to_string (self->mode), error->message);
      self->restored = FALSE;
      g_clear_pointer (&self->categories, g_ptr_array_unref);
      _kq_source_set_mode (self, KQ_SOURCE_MODE_UNKNOWN);
    }
  g_error_free (error);

  g_clear_pointer (&op->results, g_ptr_array_unref);
  op->results = empty_array ();
  op->total_pages = 0;
  op->next_page = 0;
  op->categories_asked = FALSE;
  g_clear_pointer (&op->feed_url, g_free);
  g_clear_object (&op->response);
  cancellable = g_task_get_cancellable (task);
  kq_source_discover_async (self, cancellable, discovered_cb, g_steal_pointer (&task));
}

static void
op_start (KqSource            *self,
          KqSourceOp          *op,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  op->results = empty_array ();
  g_task_set_task_data (task, op, op_free);

  if (self->restored)
    {
      /* The same operation on a task of its own, whose result is checked. */
      GTask *attempt = g_task_new (self, cancellable, restored_op_cb, g_steal_pointer (&task));

      op->restored_mode = self->mode;
      g_task_set_source_tag (attempt, source_tag);
      g_task_set_task_data (attempt, op, NULL);
      _kq_source_dispatch (attempt);
      g_object_unref (attempt);
      return;
    }

  if (self->mode == KQ_SOURCE_MODE_UNKNOWN)
    kq_source_discover_async (self, cancellable, discovered_cb, g_steal_pointer (&task));
  else
    _kq_source_dispatch (task);
}

static GPtrArray *
op_finish (KqSource      *self,
           GAsyncResult  *result,
           gpointer       source_tag,
           guint         *total_pages,
           GError       **error)
{
  GPtrArray *array;

  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  array = g_task_propagate_pointer (G_TASK (result), error);
  if (total_pages != NULL)
    {
      KqSourceOp *op = g_task_get_task_data (G_TASK (result));
      *total_pages = array != NULL ? op->total_pages : 0;
    }

  return array;
}

static KqArticle *
op_finish_post (KqSource      *self,
                GAsyncResult  *result,
                GError       **error)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
kq_source_dispose (GObject *object)
{
  KqSource *self = (KqSource *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (kq_source_parent_class)->dispose (object);
}

static void
kq_source_finalize (GObject *object)
{
  KqSource *self = (KqSource *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->discover_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->first_links, g_hash_table_unref);
  g_free (self->url);
  g_free (self->api_root);
  g_free (self->feed_url);
  g_free (self->title);

  G_OBJECT_CLASS (kq_source_parent_class)->finalize (object);
}

static void
kq_source_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KqSource *self = KQ_SOURCE (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      g_value_set_object (value, self->http);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_source_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  KqSource *self = KQ_SOURCE (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      self->http = g_value_dup_object (value);
      break;
    case PROP_URL:
      self->url = normalise_url (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_source_class_init (KqSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kq_source_dispose;
  object_class->finalize = kq_source_finalize;
  object_class->get_property = kq_source_get_property;
  object_class->set_property = kq_source_set_property;

  properties [PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL, KQ_TYPE_HTTP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, KQ_TYPE_SOURCE_MODE, KQ_SOURCE_MODE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kq_source_init (KqSource *self)
{
  self->per_page = DEFAULT_PER_PAGE;
  self->cancellable = g_cancellable_new ();
  self->discover_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->first_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---------------------------------------------------------------------- */
/* Public API                                                             */

const char *
kq_source_mode_to_string (KqSourceMode mode)
{
  switch (mode)
    {
    case KQ_SOURCE_MODE_WP_REST:
      return "wp-rest";
    case KQ_SOURCE_MODE_WP_FEED:
      return "wp-feed";
    case KQ_SOURCE_MODE_FEED:
      return "feed";
    case KQ_SOURCE_MODE_UNKNOWN:
    default:
      return "unknown";
    }
}

KqSource *
kq_source_new (KqHttp     *http,
               const char *url)
{
  g_return_val_if_fail (KQ_IS_HTTP (http), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  return g_object_new (KQ_TYPE_SOURCE, "http", http, "url", url, NULL);
}

const char *
kq_source_get_url (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);

  return self->url;
}

KqSourceMode
kq_source_get_mode (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), KQ_SOURCE_MODE_UNKNOWN);

  return self->mode;
}

KqHttp *
kq_source_get_http (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);

  return self->http;
}

void
kq_source_set_per_page (KqSource *self,
                        guint     per_page)
{
  g_return_if_fail (KQ_IS_SOURCE (self));

  self->per_page = CLAMP (per_page, 1, MAX_PER_PAGE);
}

const char *
kq_source_get_title (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);

  return self->title;
}

void
kq_source_restore_discovery (KqSource     *self,
                             KqSourceMode  mode,
                             const char   *api_root,
                             const char   *feed_url,
                             const char   *title)
{
  g_return_if_fail (KQ_IS_SOURCE (self));

  if (self->mode != KQ_SOURCE_MODE_UNKNOWN || self->discover_waiters->len > 0 ||
      mode == KQ_SOURCE_MODE_UNKNOWN)
    return;
  /* Each mode needs its address. */
  if ((mode == KQ_SOURCE_MODE_WP_REST && api_root == NULL) ||
      (mode != KQ_SOURCE_MODE_WP_REST && feed_url == NULL))
    return;

  g_free (self->api_root);
  self->api_root = g_strdup (api_root);
  g_free (self->feed_url);
  self->feed_url = g_strdup (feed_url);
  if (self->title == NULL)
    self->title = g_strdup (title);
  self->restored = TRUE;
  _kq_source_set_mode (self, mode);
}

const char *
kq_source_get_api_root (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);

  return self->api_root;
}

const char *
kq_source_get_feed_url (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);

  return self->feed_url;
}

void
kq_source_discover_async (KqSource            *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KQ_IS_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_source_discover_async);

  if (self->mode != KQ_SOURCE_MODE_UNKNOWN)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Callers asking at the same time share one discovery; each one's
   * cancellation shows when it ends (GTask checks the cancellable). */
  g_ptr_array_add (self->discover_waiters, g_steal_pointer (&task));
  if (self->discover_waiters->len == 1)
    _kq_source_start_discovery (self);
}

gboolean
kq_source_discover_finish (KqSource      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kq_source_list_categories_async (KqSource            *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  KqSourceOp *op;

  g_return_if_fail (KQ_IS_SOURCE (self));

  op = g_new0 (KqSourceOp, 1);
  op->kind = OP_CATEGORIES;
  op_start (self, op, kq_source_list_categories_async, cancellable, callback, user_data);
}

GPtrArray *
kq_source_list_categories_finish (KqSource      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return op_finish (self, result, kq_source_list_categories_async, NULL, error);
}

void
kq_source_list_posts_async (KqSource            *self,
                            gint64               category_id,
                            guint                page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  KqSourceOp *op;

  g_return_if_fail (KQ_IS_SOURCE (self));

  op = g_new0 (KqSourceOp, 1);
  op->kind = OP_POSTS;
  op->id = category_id;
  op->page = MAX (page, 1);
  op_start (self, op, kq_source_list_posts_async, cancellable, callback, user_data);
}

GPtrArray *
kq_source_list_posts_finish (KqSource      *self,
                             GAsyncResult  *result,
                             guint         *total_pages,
                             GError       **error)
{
  return op_finish (self, result, kq_source_list_posts_async, total_pages, error);
}

void
kq_source_search_async (KqSource            *self,
                        const char          *query,
                        guint                page,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  KqSourceOp *op;

  g_return_if_fail (KQ_IS_SOURCE (self));
  g_return_if_fail (query != NULL);

  op = g_new0 (KqSourceOp, 1);
  op->kind = OP_SEARCH;
  /* The site gets the first words of a long query, as the index does. */
  op->query = _kq_text_bound_query (query);
  op->page = MAX (page, 1);
  op_start (self, op, kq_source_search_async, cancellable, callback, user_data);
}

GPtrArray *
kq_source_search_finish (KqSource      *self,
                         GAsyncResult  *result,
                         guint         *total_pages,
                         GError       **error)
{
  return op_finish (self, result, kq_source_search_async, total_pages, error);
}

void
kq_source_get_post_async (KqSource            *self,
                          gint64               id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  KqSourceOp *op;

  g_return_if_fail (KQ_IS_SOURCE (self));

  op = g_new0 (KqSourceOp, 1);
  op->kind = OP_POST;
  op->id = id;
  op_start (self, op, kq_source_get_post_async, cancellable, callback, user_data);
}

KqArticle *
kq_source_get_post_finish (KqSource      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return op_finish_post (self, result, error);
}

void
kq_source_get_post_by_link_async (KqSource            *self,
                                  const char          *link,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  KqSourceOp *op;

  g_return_if_fail (KQ_IS_SOURCE (self));
  g_return_if_fail (link != NULL);

  op = g_new0 (KqSourceOp, 1);
  op->kind = OP_POST_BY_LINK;
  op->query = g_strdup (link);
  /* A short link ("?p=123") names the post itself. */
  if ((op->id = link_post_id (link)) > 0)
    op->kind = OP_POST;
  op_start (self, op, kq_source_get_post_by_link_async, cancellable, callback, user_data);
}

KqArticle *
kq_source_get_post_by_link_finish (KqSource      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return op_finish_post (self, result, error);
}

void
kq_source_list_comments_async (KqSource            *self,
                               gint64               post_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  KqSourceOp *op;

  g_return_if_fail (KQ_IS_SOURCE (self));

  op = g_new0 (KqSourceOp, 1);
  op->kind = OP_COMMENTS;
  op->id = post_id;
  op_start (self, op, kq_source_list_comments_async, cancellable, callback, user_data);
}

GPtrArray *
kq_source_list_comments_finish (KqSource      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return op_finish (self, result, kq_source_list_comments_async, NULL, error);
}
