/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-store-private.h"

/*
 * KqStore: the GObject, opening, and how calls queue jobs for the worker
 * thread (kq-store-worker.c), which owns the one sqlite3 connection. The
 * other public async calls are in kq-store-async.c; the jobs themselves in
 * kq-store-articles.c and kq-store-bookmarks.c. Queued jobs hold a reference
 * on the store (their GTask's source object).
 */

struct _KqStore
{
  GObject      parent_instance;

  char        *path;
  char        *backup_path;
  char        *corrupt_path;
  GAsyncQueue *queue;
  GThread     *thread;
  guint        recovered : 1;
  guint        in_memory : 1;
  guint        no_list_bodies : 1;
  gint64       restored;
  gint64       not_restored;
};

G_DEFINE_FINAL_TYPE (KqStore, kq_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (kq-store-error-quark, kq_store_error)

G_DEFINE_BOXED_TYPE (KqSearchResult, kq_search_result, kq_search_result_copy, kq_search_result_free)

enum {
  PROP_0,
  PROP_PATH,
  PROP_RECOVERED,
  PROP_IN_MEMORY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* What the worker learnt while opening, applied to the properties on the main context. */
typedef struct {
  KqStore  *store;
  char     *corrupt_path;
  gboolean  recovered;
  gboolean  in_memory;
  gint64    restored;
  gint64    not_restored;
  GError   *error;
} OpenState;

static void
open_state_free (OpenState *state)
{
  g_clear_object (&state->store);
  g_free (state->corrupt_path);
  g_clear_error (&state->error);
  g_free (state);
}

static OpenState *
open_state_new (KqStoreDb *db,
                KqStore   *store)
{
  OpenState *state = g_new0 (OpenState, 1);

  state->store = store != NULL ? g_object_ref (store) : NULL;
  state->corrupt_path = g_strdup (db->corrupt_path);
  state->recovered = db->recovered;
  state->in_memory = db->in_memory;
  state->restored = db->restored;
  state->not_restored = db->not_restored;
  state->error = db->open_error != NULL ? g_error_copy (db->open_error) : NULL;
  return state;
}

static void
apply_open_state (KqStore   *self,
                  OpenState *state)
{
  g_object_freeze_notify (G_OBJECT (self));
  self->restored = state->restored;
  self->not_restored = state->not_restored;
  if (g_strcmp0 (self->corrupt_path, state->corrupt_path) != 0)
    {
      g_free (self->corrupt_path);
      self->corrupt_path = g_strdup (state->corrupt_path);
    }
  if (self->recovered != state->recovered)
    {
      self->recovered = state->recovered;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECOVERED]);
    }
  if (self->in_memory != state->in_memory)
    {
      self->in_memory = state->in_memory;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_MEMORY]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
apply_open_state_cb (gpointer user_data)
{
  OpenState *state = user_data;

  apply_open_state (state->store, state);
  return G_SOURCE_REMOVE;
}

/* On the worker, once the database is open: tells the store (on its
 * context) even if this job is not the open call. */
void
_kq_store_opened (KqStoreDb *db,
                  GTask     *task)
{
  _kq_store_run_on_context (g_task_get_context (task), apply_open_state_cb,
                            open_state_new (db, g_task_get_source_object (task)),
                            (GDestroyNotify) open_state_free);
}

void
_kq_store_queue_job (KqStore             *self,
                     KqStoreJobFunc       func,
                     KqStoreJobData      *data,
                     gpointer             source_tag,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (data != NULL)
    data->light = self->no_list_bodies;
  g_task_set_task_data (task, data, (GDestroyNotify) _kq_store_job_data_free);
  _kq_store_worker_push (self->queue, func, task);
}

KqStoreJobData *
_kq_store_job_data_new (const char *source)
{
  KqStoreJobData *data = g_new0 (KqStoreJobData, 1);

  data->source = g_strdup (source);
  return data;
}

/* A job about one article or one category of @source. */
KqStoreJobData *
_kq_store_job_data_new_for_id (const char *source,
                               gint64      id)
{
  KqStoreJobData *data = _kq_store_job_data_new (source);

  data->id = id;
  return data;
}

/* What every _finish() checks: @result is this store's task from @source_tag. */
gboolean
_kq_store_is_own_result (KqStore      *self,
                         GAsyncResult *result,
                         gpointer      source_tag)
{
  return KQ_IS_STORE (self) && g_task_is_valid (result, self) &&
         g_task_get_source_tag (G_TASK (result)) == source_tag;
}

gpointer
_kq_store_finish_pointer (KqStore       *self,
                          GAsyncResult  *result,
                          gpointer       source_tag,
                          GError       **error)
{
  g_return_val_if_fail (_kq_store_is_own_result (self, result, source_tag), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_kq_store_finish_boolean (KqStore       *self,
                          GAsyncResult  *result,
                          gpointer       source_tag,
                          GError       **error)
{
  g_return_val_if_fail (_kq_store_is_own_result (self, result, source_tag), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gint64
_kq_store_finish_int (KqStore       *self,
                      GAsyncResult  *result,
                      gpointer       source_tag,
                      GError       **error)
{
  g_return_val_if_fail (_kq_store_is_own_result (self, result, source_tag), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

void
_kq_store_job_data_free (KqStoreJobData *data)
{
  g_free (data->source);
  g_free (data->text);
  g_free (data->text2);
  g_free (data->text3);
  g_free (data->text4);
  g_clear_pointer (&data->ids, g_array_unref);
  g_clear_pointer (&data->objects, g_ptr_array_unref);
  g_clear_object (&data->article);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_clear_object (&data->file);
  g_clear_pointer (&data->discovery, kq_store_discovery_free);
  if (data->result != NULL && data->result_destroy != NULL)
    data->result_destroy (data->result);
  g_clear_error (&data->error);
  g_free (data);
}

void
_kq_store_changes_free (KqStoreChanges *changes)
{
  g_clear_pointer (&changes->new_ids, g_array_unref);
  g_clear_pointer (&changes->updated_ids, g_array_unref);
  g_free (changes);
}

static void
kq_store_finalize (GObject *object)
{
  KqStore *self = (KqStore *) object;

  /*
   * Queued jobs hold a reference, so the queue is empty: the NULL job stops
   * the worker, which closes the database; wait for it. The worker never
   * drops a reference to the store (results go back through the caller's
   * context), so this never runs on the worker itself.
   */
  g_assert (g_thread_self () != self->thread);
  _kq_store_worker_stop (self->queue, self->thread);
  g_async_queue_unref (self->queue);

  g_free (self->path);
  g_free (self->backup_path);
  g_free (self->corrupt_path);

  G_OBJECT_CLASS (kq_store_parent_class)->finalize (object);
}

static void
kq_store_constructed (GObject *object)
{
  KqStore *self = (KqStore *) object;
  g_autofree char *dir = NULL;

  G_OBJECT_CLASS (kq_store_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = g_build_filename (g_get_user_data_dir (), "kiosque", "kiosque.db", NULL);
  dir = g_path_get_dirname (self->path);
  self->backup_path = g_build_filename (dir, "kiosque-bookmarks.json", NULL);

  self->thread = _kq_store_worker_start (self->queue, self->path);
}

static void
kq_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  KqStore *self = KQ_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_RECOVERED:
      g_value_set_boolean (value, self->recovered);
      break;
    case PROP_IN_MEMORY:
      g_value_set_boolean (value, self->in_memory);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_store_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  KqStore *self = KQ_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_store_class_init (KqStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kq_store_constructed;
  object_class->finalize = kq_store_finalize;
  object_class->get_property = kq_store_get_property;
  object_class->set_property = kq_store_set_property;

  properties [PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_RECOVERED] =
    g_param_spec_boolean ("recovered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_IN_MEMORY] =
    g_param_spec_boolean ("in-memory", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kq_store_init (KqStore *self)
{
  self->queue = g_async_queue_new ();
}

/* Boxed types and helpers */

KqSearchResult *
kq_search_result_copy (const KqSearchResult *result)
{
  KqSearchResult *copy = g_new0 (KqSearchResult, 1);

  copy->article = result->article != NULL ? g_object_ref (result->article) : NULL;
  copy->snippet = g_strdup (result->snippet);
  copy->rank = result->rank;
  return copy;
}

void
kq_search_result_free (KqSearchResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->article);
  g_free (result->snippet);
  g_free (result);
}

void
kq_store_discovery_free (KqStoreDiscovery *discovery)
{
  if (discovery == NULL)
    return;
  g_free (discovery->mode);
  g_free (discovery->api_root);
  g_free (discovery->feed_url);
  g_free (discovery->title);
  g_free (discovery);
}

void
kq_store_validator_free (KqStoreValidator *validator)
{
  if (validator == NULL)
    return;
  g_free (validator->url);
  g_free (validator->etag);
  g_free (validator->last_modified);
  g_clear_pointer (&validator->body, g_bytes_unref);
  g_free (validator->headers);
  g_free (validator);
}

/**
 * kq_store_snippet_to_markup:
 * @snippet: a search snippet with highlight markers
 *
 * Returns: Pango markup: @snippet escaped, the highlighted words in bold.
 */
char *
kq_store_snippet_to_markup (const char *snippet)
{
  GString *markup = g_string_new (NULL);
  const char *p = snippet;

  if (snippet == NULL)
    return g_string_free (markup, FALSE);

  while (*p != '\0')
    {
      const char *start = strstr (p, KQ_STORE_HIGHLIGHT_START);
      const char *end = strstr (p, KQ_STORE_HIGHLIGHT_END);
      const char *next = start;
      g_autofree char *escaped = NULL;

      if (next == NULL || (end != NULL && end < next))
        next = end;
      if (next == NULL)
        next = p + strlen (p);

      escaped = g_markup_escape_text (p, next - p);
      g_string_append (markup, escaped);
      if (*next == '\0')
        break;
      g_string_append (markup, next == start ? "<b>" : "</b>");
      p = next + strlen (KQ_STORE_HIGHLIGHT_START);
    }

  /* An unbalanced marker (a cut snippet) must not break the markup. */
  {
    guint opened = 0;

    for (const char *q = markup->str; (q = strchr (q, '<')) != NULL; q++)
      {
        if (g_str_has_prefix (q, "<b>"))
          opened++;
        else if (g_str_has_prefix (q, "</b>") && opened > 0)
          opened--;
      }
    while (opened-- > 0)
      g_string_append (markup, "</b>");
  }

  return g_string_free (markup, FALSE);
}

/* Public API */

/**
 * kq_store_new:
 * @path: (nullable): the database file, or NULL for
 *   `$XDG_DATA_HOME/kiosque/kiosque.db`
 *
 * Returns: (transfer full): a new store. Nothing touches the disk until
 *   kq_store_open_async() or the first call.
 */
KqStore *
kq_store_new (const char *path)
{
  return g_object_new (KQ_TYPE_STORE, "path", path, NULL);
}

const char *
kq_store_get_path (KqStore *self)
{
  g_return_val_if_fail (KQ_IS_STORE (self), NULL);
  return self->path;
}

const char *
kq_store_get_backup_path (KqStore *self)
{
  g_return_val_if_fail (KQ_IS_STORE (self), NULL);
  return self->backup_path;
}

gboolean
kq_store_get_recovered (KqStore *self)
{
  g_return_val_if_fail (KQ_IS_STORE (self), FALSE);
  return self->recovered;
}

/**
 * kq_store_get_restored:
 * @not_restored: (out) (optional): entries of the backup that could not be read
 *
 * Returns: how many bookmarks open took back from the backup
 */
gint64
kq_store_get_restored (KqStore *self,
                       gint64  *not_restored)
{
  g_return_val_if_fail (KQ_IS_STORE (self), 0);

  if (not_restored != NULL)
    *not_restored = self->not_restored;
  return self->restored;
}

const char *
kq_store_get_corrupt_path (KqStore *self)
{
  g_return_val_if_fail (KQ_IS_STORE (self), NULL);
  return self->corrupt_path;
}

gboolean
kq_store_get_in_memory (KqStore *self)
{
  g_return_val_if_fail (KQ_IS_STORE (self), FALSE);
  return self->in_memory;
}

/**
 * kq_store_set_list_bodies:
 * @list_bodies: %FALSE for lists without bodies
 *
 * Whether the articles of kq_store_list_articles_async (),
 * kq_store_get_articles_by_ids_async (), kq_store_search_async () and
 * kq_store_list_bookmarks_async () carry their body_html (the default) or
 * leave it %NULL, for lists that never show it: kq_store_get_article_async ()
 * and kq_store_get_article_by_link_async () always give the whole article.
 * Applies to the calls made after it.
 */
void
kq_store_set_list_bodies (KqStore  *self,
                          gboolean  list_bodies)
{
  g_return_if_fail (KQ_IS_STORE (self));
  self->no_list_bodies = !list_bodies;
}

gboolean
kq_store_get_list_bodies (KqStore *self)
{
  g_return_val_if_fail (KQ_IS_STORE (self), TRUE);
  return !self->no_list_bodies;
}

static void
job_open (KqStoreDb *db,
          GTask     *task)
{
  /* The worker opened the database before running this job. */
  _kq_store_return_pointer (task, open_state_new (db, NULL), (GDestroyNotify) open_state_free);
}

void
kq_store_open_async (KqStore             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  /* Opening is not cancellable: a half-opened database helps nobody. */
  _kq_store_queue_job (self, job_open, _kq_store_job_data_new (NULL), kq_store_open_async,
                       NULL, callback, user_data);
}

gboolean
kq_store_open_finish (KqStore       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  OpenState *state;

  g_return_val_if_fail (KQ_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  state = g_task_propagate_pointer (G_TASK (result), error);
  if (state == NULL)
    return FALSE;

  apply_open_state (self, state);
  if (state->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&state->error));
      open_state_free (state);
      return FALSE;
    }
  open_state_free (state);
  return TRUE;
}
