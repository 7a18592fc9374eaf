/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-store-private.h"

/*
 * HTTP validator and retention jobs: conditional GET validators, pruning
 * and clearing the cache. Worker thread only; parameterised SQL only.
 */

/* HTTP validators */

void
_kq_store_job_set_validator (KqStoreDb *db,
                             GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  GError *error = NULL;
  sqlite3_stmt *stmt;

  if (data->text2 == NULL && data->text3 == NULL)
    {
      if (!(stmt = _kq_store_db_prepare (db, "DELETE FROM validators WHERE url = ?1", &error)))
        goto fail;
    }
  else if (!(stmt = _kq_store_db_prepare (db,
                                          "INSERT OR REPLACE INTO validators"
                                          " (url, etag, last_modified, body, updated_at, headers)"
                                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &error)))
    goto fail;

  _kq_store_db_bind_text (stmt, 1, data->text);
  _kq_store_db_bind_text (stmt, 2, data->text2);
  _kq_store_db_bind_text (stmt, 3, data->text3);
  if (data->bytes != NULL)
    {
      gsize size;
      gconstpointer bytes = g_bytes_get_data (data->bytes, &size);

      sqlite3_bind_blob64 (stmt, 4, bytes != NULL ? bytes : "", size, SQLITE_STATIC);
    }
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (data->text2 != NULL || data->text3 != NULL)
    _kq_store_db_bind_text (stmt, 6, data->text4);
  if (!_kq_store_db_step_done (db, stmt, &error))
    goto fail;

  /* Every URL asked conditionally leaves a row (searches too), bodies
   * included: keep the most recent ones only. */
  if (data->text2 != NULL || data->text3 != NULL)
    {
      if (!(stmt = _kq_store_db_prepare (db,
                                         "DELETE FROM validators WHERE url NOT IN"
                                         " (SELECT url FROM validators"
                                         "  ORDER BY updated_at DESC, url LIMIT ?1)", &error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, KQ_STORE_MAX_VALIDATORS);
      if (!_kq_store_db_step_done (db, stmt, &error))
        goto fail;
    }

  _kq_store_return_boolean (task, TRUE);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

/* Discovery kept per source (columns of sources, schema 5) */

void
_kq_store_job_set_discovery (KqStoreDb *db,
                             GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  GError *error = NULL;
  sqlite3_stmt *stmt;
  gint64 source_id = _kq_store_db_source_id (db, data->source, TRUE, &error);

  if (source_id < 0)
    goto fail;
  if (!(stmt = _kq_store_db_prepare (db,
                                     "UPDATE sources SET mode = ?2, api_root = ?3, feed_url = ?4,"
                                     " title = ?5 WHERE id = ?1", &error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, source_id);
  _kq_store_db_bind_text (stmt, 2, data->discovery->mode);
  _kq_store_db_bind_text (stmt, 3, data->discovery->api_root);
  _kq_store_db_bind_text (stmt, 4, data->discovery->feed_url);
  _kq_store_db_bind_text (stmt, 5, data->discovery->title);
  if (!_kq_store_db_step_done (db, stmt, &error))
    goto fail;

  _kq_store_return_boolean (task, TRUE);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

void
_kq_store_job_get_discovery (KqStoreDb *db,
                             GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  KqStoreDiscovery *discovery = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _kq_store_db_prepare (db,
                                     "SELECT mode, api_root, feed_url, title FROM sources"
                                     " WHERE url = ?1 AND mode IS NOT NULL", &error)))
    goto fail;
  _kq_store_db_bind_text (stmt, 1, data->source);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      discovery = g_new0 (KqStoreDiscovery, 1);
      discovery->mode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      discovery->api_root = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      discovery->feed_url = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      discovery->title = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      error = _kq_store_db_error (db, rc);
      goto fail;
    }

  _kq_store_return_pointer (task, discovery, (GDestroyNotify) kq_store_discovery_free);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

static KqStoreValidator *
validator_from_row (sqlite3_stmt *stmt)
{
  KqStoreValidator *validator = g_new0 (KqStoreValidator, 1);

  validator->url = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  validator->etag = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  validator->last_modified = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
    validator->body = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
  validator->headers = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  return validator;
}

void
_kq_store_job_get_validator (KqStoreDb *db,
                             GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  KqStoreValidator *validator = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _kq_store_db_prepare (db,
                                     "SELECT url, etag, last_modified, body, headers"
                                     " FROM validators WHERE url = ?1", &error)))
    goto fail;
  _kq_store_db_bind_text (stmt, 1, data->text);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    validator = validator_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      error = _kq_store_db_error (db, rc);
      goto fail;
    }

  _kq_store_return_pointer (task, validator, (GDestroyNotify) kq_store_validator_free);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

void
_kq_store_job_list_validators (KqStoreDb *db,
                               GTask     *task)
{
  g_autoptr(GPtrArray) validators = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = _kq_store_db_prepare (db,
                                     "SELECT url, etag, last_modified, body, headers"
                                     " FROM validators ORDER BY url", &error)) ||
      !(validators = _kq_store_db_collect (db, stmt,
                                           (gpointer (*) (sqlite3_stmt *)) validator_from_row,
                                           (GDestroyNotify) kq_store_validator_free, &error)))
    goto fail;

  _kq_store_return_pointer (task, g_steal_pointer (&validators), (GDestroyNotify) g_ptr_array_unref);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

/* Retention */

void
_kq_store_job_prune (KqStoreDb *db,
                     GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 cutoff = data->number > 0 ? now - data->number : G_MININT64;
  GError *error = NULL;
  sqlite3_stmt *stmt;
  gint64 deleted;

  if (!_kq_store_db_begin (db, &error))
    goto fail;

  /*
   * Too old: published and last fetched before the cutoff. Too many: beyond
   * the newest max_count. Bookmarked articles are never candidates.
   */
  if (!(stmt = _kq_store_db_prepare (db,
                                     "DELETE FROM articles WHERE rid IN ("
                                     " SELECT a.rid FROM articles a JOIN sources s ON s.id = a.source_id"
                                     " WHERE NOT EXISTS (SELECT 1 FROM bookmarks b"
                                     "   WHERE b.source = s.url AND b.article_id = a.id)"
                                     " AND ((?1 > 0 AND COALESCE (a.date, 0) < ?2 AND a.fetched_at < ?2)"
                                     "  OR (?3 > 0 AND a.rid NOT IN (SELECT rid FROM articles"
                                     "   ORDER BY date DESC, id DESC LIMIT ?3))))", &error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, data->number);
  sqlite3_bind_int64 (stmt, 2, cutoff);
  sqlite3_bind_int64 (stmt, 3, data->limit);
  if (!_kq_store_db_step_done (db, stmt, &error))
    goto fail;
  deleted = sqlite3_changes (db->db);

  if (data->number > 0)
    {
      /* Old HTTP validators (and their kept bodies) go with the old articles. */
      if (!(stmt = _kq_store_db_prepare (db, "DELETE FROM validators WHERE updated_at < ?1", &error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, cutoff);
      if (!_kq_store_db_step_done (db, stmt, &error))
        goto fail;
    }

  if (!_kq_store_db_commit (db, &error))
    goto fail;

  g_debug ("Pruned %" G_GINT64_FORMAT " articles", deleted);
  _kq_store_return_int (task, deleted);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

void
_kq_store_job_clear_cache (KqStoreDb *db,
                           GTask     *task)
{
  GError *error = NULL;

  if (!_kq_store_db_begin (db, &error))
    goto fail;
  /* Emptying the index at once beats deleting it row by row through the trigger. */
  if (!_kq_store_db_exec (db,
                          "DROP TRIGGER articles_fts_ad;"
                          "DELETE FROM article_categories;"
                          "DELETE FROM articles;"
                          "INSERT INTO articles_fts (articles_fts) VALUES ('delete-all');"
                          "DELETE FROM categories;"
                          "DELETE FROM validators;", &error) ||
      !_kq_store_db_exec (db, _kq_store_fts_delete_trigger_sql, &error) ||
      !_kq_store_db_commit (db, &error))
    goto fail;

  /* Give the space back; a failure here loses nothing. */
  if (!db->in_memory)
    sqlite3_exec (db->db, "VACUUM", NULL, NULL, NULL);

  _kq_store_return_boolean (task, TRUE);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}
