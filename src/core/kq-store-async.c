/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-store-private.h"

/*
 * The public async calls of KqStore (kq-store.h) past opening: each fills a
 * KqStoreJobData and queues a job for the worker thread; the jobs are in
 * kq-store-articles.c, kq-store-search.c, kq-store-cache.c and
 * kq-store-bookmarks.c; the GObject itself is in kq-store.c.
 */

void
kq_store_upsert_articles_async (KqStore             *self,
                                GPtrArray           *articles,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (articles != NULL);

  data = _kq_store_job_data_new (NULL);
  data->objects = g_ptr_array_ref (articles);
  _kq_store_queue_job (self, _kq_store_job_upsert_articles, data, kq_store_upsert_articles_async,
                       cancellable, callback, user_data);
}

/* Like upsert_articles (finished with kq_store_upsert_articles_finish()), for
 * a page of a list: the articles the cache never had that are older than the
 * newest it had of their source are history, and kept read. */
void
kq_store_upsert_listed_async (KqStore             *self,
                              GPtrArray           *articles,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (articles != NULL);

  data = _kq_store_job_data_new (NULL);
  data->objects = g_ptr_array_ref (articles);
  data->flag = TRUE;
  _kq_store_queue_job (self, _kq_store_job_upsert_articles, data, kq_store_upsert_articles_async,
                       cancellable, callback, user_data);
}

gboolean
kq_store_upsert_articles_finish (KqStore       *self,
                                 GAsyncResult  *result,
                                 GArray       **new_ids,
                                 GArray       **updated_ids,
                                 GError       **error)
{
  KqStoreChanges *changes;

  g_return_val_if_fail (_kq_store_is_own_result (self, result, kq_store_upsert_articles_async),
                        FALSE);

  changes = g_task_propagate_pointer (G_TASK (result), error);
  if (changes == NULL)
    return FALSE;
  if (new_ids != NULL)
    *new_ids = g_steal_pointer (&changes->new_ids);
  if (updated_ids != NULL)
    *updated_ids = g_steal_pointer (&changes->updated_ids);
  _kq_store_changes_free (changes);
  return TRUE;
}

void
kq_store_upsert_categories_async (KqStore             *self,
                                  const char          *source,
                                  GPtrArray           *categories,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);
  g_return_if_fail (categories != NULL);

  data = _kq_store_job_data_new (source);
  data->objects = g_ptr_array_ref (categories);
  _kq_store_queue_job (self, _kq_store_job_upsert_categories, data,
                       kq_store_upsert_categories_async, cancellable, callback, user_data);
}

gboolean
kq_store_upsert_categories_finish (KqStore       *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _kq_store_finish_boolean (self, result, kq_store_upsert_categories_async, error);
}

void
kq_store_list_categories_async (KqStore             *self,
                                const char          *source,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);

  _kq_store_queue_job (self, _kq_store_job_list_categories, _kq_store_job_data_new (source),
                       kq_store_list_categories_async, cancellable, callback, user_data);
}

GPtrArray *
kq_store_list_categories_finish (KqStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _kq_store_finish_pointer (self, result, kq_store_list_categories_async, error);
}

void
kq_store_list_articles_async (KqStore             *self,
                              const char          *source,
                              gint64               category_id,
                              guint                offset,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));

  data = _kq_store_job_data_new (source);
  data->id = category_id;
  data->offset = offset;
  data->limit = limit;
  _kq_store_queue_job (self, _kq_store_job_list_articles, data, kq_store_list_articles_async,
                       cancellable, callback, user_data);
}

GPtrArray *
kq_store_list_articles_finish (KqStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _kq_store_finish_pointer (self, result, kq_store_list_articles_async, error);
}

void
kq_store_get_article_async (KqStore             *self,
                            const char          *source,
                            gint64               id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);

  _kq_store_queue_job (self, _kq_store_job_get_article, _kq_store_job_data_new_for_id (source, id),
                       kq_store_get_article_async, cancellable, callback, user_data);
}

KqArticle *
kq_store_get_article_finish (KqStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _kq_store_finish_pointer (self, result, kq_store_get_article_async, error);
}

void
kq_store_get_article_by_link_async (KqStore             *self,
                                    const char          *source,
                                    const char          *link,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);
  g_return_if_fail (link != NULL);

  data = _kq_store_job_data_new (source);
  data->text = g_strdup (link);
  _kq_store_queue_job (self, _kq_store_job_get_article_by_link, data,
                       kq_store_get_article_by_link_async, cancellable, callback, user_data);
}

KqArticle *
kq_store_get_article_by_link_finish (KqStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _kq_store_finish_pointer (self, result, kq_store_get_article_by_link_async, error);
}

void
kq_store_get_articles_by_ids_async (KqStore             *self,
                                    const char          *source,
                                    const gint64        *ids,
                                    guint                n_ids,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);
  g_return_if_fail (ids != NULL || n_ids == 0);

  data = _kq_store_job_data_new (source);
  data->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (data->ids, ids, n_ids);
  _kq_store_queue_job (self, _kq_store_job_get_articles_by_ids, data,
                       kq_store_get_articles_by_ids_async, cancellable, callback, user_data);
}

GPtrArray *
kq_store_get_articles_by_ids_finish (KqStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _kq_store_finish_pointer (self, result, kq_store_get_articles_by_ids_async, error);
}

void
kq_store_set_read_async (KqStore             *self,
                         const char          *source,
                         gint64               article_id,
                         gboolean             read,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);

  data = _kq_store_job_data_new (source);
  data->id = article_id;
  data->flag = !!read;
  _kq_store_queue_job (self, _kq_store_job_set_read, data, kq_store_set_read_async,
                       cancellable, callback, user_data);
}

gboolean
kq_store_set_read_finish (KqStore       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return _kq_store_finish_boolean (self, result, kq_store_set_read_async, error);
}

void
kq_store_mark_all_read_async (KqStore             *self,
                              const char          *source,
                              gint64               category_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);

  _kq_store_queue_job (self, _kq_store_job_mark_all_read,
                       _kq_store_job_data_new_for_id (source, category_id),
                       kq_store_mark_all_read_async, cancellable, callback, user_data);
}

gint64
kq_store_mark_all_read_finish (KqStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _kq_store_finish_int (self, result, kq_store_mark_all_read_async, error);
}

void
kq_store_count_unread_async (KqStore             *self,
                             const char          *source,
                             gint64               category_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);

  _kq_store_queue_job (self, _kq_store_job_count_unread,
                       _kq_store_job_data_new_for_id (source, category_id),
                       kq_store_count_unread_async, cancellable, callback, user_data);
}

gint64
kq_store_count_unread_finish (KqStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _kq_store_finish_int (self, result, kq_store_count_unread_async, error);
}

void
kq_store_add_bookmark_async (KqStore             *self,
                             KqArticle           *article,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (KQ_IS_ARTICLE (article));

  data = _kq_store_job_data_new (NULL);
  /* A private copy: the caller's object stays free to change on its thread. */
  data->article = kq_article_copy (article);
  _kq_store_queue_job (self, _kq_store_job_add_bookmark, data, kq_store_add_bookmark_async,
                       cancellable, callback, user_data);
}

gboolean
kq_store_add_bookmark_finish (KqStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _kq_store_finish_boolean (self, result, kq_store_add_bookmark_async, error);
}

void
kq_store_remove_bookmark_async (KqStore             *self,
                                const char          *source,
                                gint64               article_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);

  _kq_store_queue_job (self, _kq_store_job_remove_bookmark,
                       _kq_store_job_data_new_for_id (source, article_id),
                       kq_store_remove_bookmark_async, cancellable, callback, user_data);
}

gboolean
kq_store_remove_bookmark_finish (KqStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _kq_store_finish_boolean (self, result, kq_store_remove_bookmark_async, error);
}

void
kq_store_list_bookmarks_async (KqStore             *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));

  _kq_store_queue_job (self, _kq_store_job_list_bookmarks, _kq_store_job_data_new (NULL),
                       kq_store_list_bookmarks_async, cancellable, callback, user_data);
}

GPtrArray *
kq_store_list_bookmarks_finish (KqStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _kq_store_finish_pointer (self, result, kq_store_list_bookmarks_async, error);
}

void
kq_store_is_bookmarked_async (KqStore             *self,
                              const char          *source,
                              gint64               article_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);

  _kq_store_queue_job (self, _kq_store_job_is_bookmarked,
                       _kq_store_job_data_new_for_id (source, article_id),
                       kq_store_is_bookmarked_async, cancellable, callback, user_data);
}

gboolean
kq_store_is_bookmarked_finish (KqStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _kq_store_finish_boolean (self, result, kq_store_is_bookmarked_async, error);
}

void
kq_store_search_async (KqStore             *self,
                       const char          *source,
                       const char          *query,
                       guint                limit,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (query != NULL);

  data = _kq_store_job_data_new (source);
  data->text = g_strdup (query);
  data->limit = limit;
  _kq_store_queue_job (self, _kq_store_job_search, data, kq_store_search_async,
                       cancellable, callback, user_data);
}

GPtrArray *
kq_store_search_finish (KqStore       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return _kq_store_finish_pointer (self, result, kq_store_search_async, error);
}

void
kq_store_set_validator_async (KqStore             *self,
                              const char          *url,
                              const char          *etag,
                              const char          *last_modified,
                              GBytes              *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  kq_store_set_validator_full_async (self, url, etag, last_modified, body, NULL,
                                     cancellable, callback, user_data);
}

void
kq_store_set_validator_full_async (KqStore             *self,
                                   const char          *url,
                                   const char          *etag,
                                   const char          *last_modified,
                                   GBytes              *body,
                                   const char          *headers,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (url != NULL);

  data = _kq_store_job_data_new (NULL);
  data->text = g_strdup (url);
  data->text2 = g_strdup (etag);
  data->text3 = g_strdup (last_modified);
  data->bytes = body != NULL ? g_bytes_ref (body) : NULL;
  data->text4 = g_strdup (headers);
  _kq_store_queue_job (self, _kq_store_job_set_validator, data, kq_store_set_validator_async,
                       cancellable, callback, user_data);
}

gboolean
kq_store_set_validator_finish (KqStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _kq_store_finish_boolean (self, result, kq_store_set_validator_async, error);
}

void
kq_store_get_validator_async (KqStore             *self,
                              const char          *url,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (url != NULL);

  data = _kq_store_job_data_new (NULL);
  data->text = g_strdup (url);
  _kq_store_queue_job (self, _kq_store_job_get_validator, data, kq_store_get_validator_async,
                       cancellable, callback, user_data);
}

gboolean
kq_store_get_validator_finish (KqStore       *self,
                               GAsyncResult  *result,
                               char         **etag,
                               char         **last_modified,
                               GBytes       **body,
                               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  KqStoreValidator *validator;

  g_return_val_if_fail (_kq_store_is_own_result (self, result, kq_store_get_validator_async),
                        FALSE);

  if (etag != NULL)
    *etag = NULL;
  if (last_modified != NULL)
    *last_modified = NULL;
  if (body != NULL)
    *body = NULL;

  validator = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (validator == NULL)
    return FALSE;

  if (etag != NULL)
    *etag = g_steal_pointer (&validator->etag);
  if (last_modified != NULL)
    *last_modified = g_steal_pointer (&validator->last_modified);
  if (body != NULL)
    *body = g_steal_pointer (&validator->body);
  kq_store_validator_free (validator);
  return TRUE;
}

void
kq_store_set_discovery_async (KqStore             *self,
                              const char          *source,
                              const char          *mode,
                              const char          *api_root,
                              const char          *feed_url,
                              const char          *title,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);
  g_return_if_fail (mode != NULL);

  data = _kq_store_job_data_new (source);
  data->discovery = g_new0 (KqStoreDiscovery, 1);
  data->discovery->mode = g_strdup (mode);
  data->discovery->api_root = g_strdup (api_root);
  data->discovery->feed_url = g_strdup (feed_url);
  data->discovery->title = g_strdup (title);
  _kq_store_queue_job (self, _kq_store_job_set_discovery, data, kq_store_set_discovery_async,
                       cancellable, callback, user_data);
}

gboolean
kq_store_set_discovery_finish (KqStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _kq_store_finish_boolean (self, result, kq_store_set_discovery_async, error);
}

void
kq_store_get_discovery_async (KqStore             *self,
                              const char          *source,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (source != NULL);

  _kq_store_queue_job (self, _kq_store_job_get_discovery, _kq_store_job_data_new (source),
                       kq_store_get_discovery_async, cancellable, callback, user_data);
}

KqStoreDiscovery *
kq_store_get_discovery_finish (KqStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _kq_store_finish_pointer (self, result, kq_store_get_discovery_async, error);
}

void
kq_store_list_validators_async (KqStore             *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));

  _kq_store_queue_job (self, _kq_store_job_list_validators, _kq_store_job_data_new (NULL),
                       kq_store_list_validators_async, cancellable, callback, user_data);
}

GPtrArray *
kq_store_list_validators_finish (KqStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _kq_store_finish_pointer (self, result, kq_store_list_validators_async, error);
}

void
kq_store_prune_async (KqStore             *self,
                      gint64               max_age_seconds,
                      guint                max_count,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  KqStoreJobData *data;

  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (max_age_seconds >= 0);

  data = _kq_store_job_data_new (NULL);
  data->number = max_age_seconds;
  data->limit = max_count;
  _kq_store_queue_job (self, _kq_store_job_prune, data, kq_store_prune_async,
                       cancellable, callback, user_data);
}

gint64
kq_store_prune_finish (KqStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return _kq_store_finish_int (self, result, kq_store_prune_async, error);
}

void
kq_store_clear_cache_async (KqStore             *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));

  _kq_store_queue_job (self, _kq_store_job_clear_cache, _kq_store_job_data_new (NULL),
                       kq_store_clear_cache_async, cancellable, callback, user_data);
}

gboolean
kq_store_clear_cache_finish (KqStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _kq_store_finish_boolean (self, result, kq_store_clear_cache_async, error);
}

static void
queue_file_job (KqStore             *self,
                KqStoreJobFunc       func,
                GFile               *file,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  KqStoreJobData *data = _kq_store_job_data_new (NULL);

  data->file = g_object_ref (file);
  _kq_store_queue_job (self, func, data, source_tag, cancellable, callback, user_data);
}

void
kq_store_export_bookmarks_async (KqStore             *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  queue_file_job (self, _kq_store_job_export_bookmarks, file, kq_store_export_bookmarks_async,
                  cancellable, callback, user_data);
}

gint64
kq_store_export_bookmarks_finish (KqStore       *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _kq_store_finish_int (self, result, kq_store_export_bookmarks_async, error);
}

void
kq_store_import_bookmarks_async (KqStore             *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  queue_file_job (self, _kq_store_job_import_bookmarks, file, kq_store_import_bookmarks_async,
                  cancellable, callback, user_data);
}

gint64
kq_store_import_bookmarks_finish (KqStore       *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _kq_store_finish_int (self, result, kq_store_import_bookmarks_async, error);
}

void
kq_store_export_bookmarks_html_async (KqStore             *self,
                                      GFile               *file,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  queue_file_job (self, _kq_store_job_export_html, file, kq_store_export_bookmarks_html_async,
                  cancellable, callback, user_data);
}

gint64
kq_store_export_bookmarks_html_finish (KqStore       *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _kq_store_finish_int (self, result, kq_store_export_bookmarks_html_async, error);
}

static void
job_flush (KqStoreDb *db,
           GTask     *task)
{
  _kq_store_return_boolean (task, TRUE);
}

void
kq_store_flush_async (KqStore             *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (KQ_IS_STORE (self));

  _kq_store_queue_job (self, job_flush, _kq_store_job_data_new (NULL), kq_store_flush_async,
                       NULL, callback, user_data);
}

gboolean
kq_store_flush_finish (KqStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return _kq_store_finish_boolean (self, result, kq_store_flush_async, error);
}
