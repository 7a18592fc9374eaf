/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "kq-store-private.h"
#include "kq-text-private.h"

/*
 * The database: opening, pragmas, schema versions (the SQL is in
 * kq-store-schema.c), damage recovery, statement cache and small helpers.
 * Worker thread only.
 */

/* Helpers */

char *
_kq_store_html_to_text (const char *html)
{
  if (html == NULL || *html == '\0')
    return NULL;
  return _kq_text_from_html (html);
}

char *
_kq_store_db_join_strv (const char * const *strv)
{
  if (strv == NULL || strv[0] == NULL)
    return NULL;
  /* U+001F (unit separator) never occurs in names or tags. */
  return g_strjoinv ("\x1f", (char **) strv);
}

char **
_kq_store_db_split_strv (const char *joined)
{
  if (joined == NULL || *joined == '\0')
    return NULL;
  return g_strsplit (joined, "\x1f", -1);
}

static void
sql_html_to_text (sqlite3_context *ctx,
                  int              argc,
                  sqlite3_value  **argv)
{
  char *text = _kq_store_html_to_text ((const char *) sqlite3_value_text (argv[0]));

  if (text == NULL)
    sqlite3_result_null (ctx);
  else
    sqlite3_result_text (ctx, text, -1, g_free);
}

static void
sql_image_urls (sqlite3_context *ctx,
                int              argc,
                sqlite3_value  **argv)
{
  char *json = _kq_store_image_urls_json ((const char *) sqlite3_value_text (argv[0]),
                                          (const char *) sqlite3_value_text (argv[1]),
                                          (const char *) sqlite3_value_text (argv[2]));
  sqlite3_result_text (ctx, json, -1, g_free);
}

void
_kq_store_db_bind_text (sqlite3_stmt *stmt,
                        int           index,
                        const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
_kq_store_db_bind_date (sqlite3_stmt *stmt,
                        int           index,
                        GDateTime    *date)
{
  if (date == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (date));
}

GDateTime *
_kq_store_db_column_date (sqlite3_stmt *stmt,
                          int           index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NULL;
  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, index));
}

/* Errors */

/* An I/O error for want of space: the system said ENOSPC, or the WAL index
 * could not grow (SQLite's only cause for that is space), or the folder's
 * file system has no block left for us. */
static gboolean
is_out_of_space (KqStoreDb *db,
                 int        rc)
{
  g_autofree char *dir = NULL;
  struct statvfs info;

  if (rc == SQLITE_IOERR_SHMSIZE ||
      (db->db != NULL && sqlite3_extended_errcode (db->db) == SQLITE_IOERR_SHMSIZE))
    return TRUE;
  if (db->db != NULL && sqlite3_system_errno (db->db) == ENOSPC)
    return TRUE;

  dir = g_path_get_dirname (db->path);
  return statvfs (dir, &info) == 0 && info.f_bavail == 0;
}

GError *
_kq_store_db_error (KqStoreDb *db,
                    int        rc)
{
  const char *detail = db->db != NULL ? sqlite3_errmsg (db->db) : sqlite3_errstr (rc);

  db->last_rc = rc;
  switch (rc & 0xff)
    {
    case SQLITE_INTERRUPT:
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    case SQLITE_IOERR:
      /* A write the disk refused for want of space: a full disk, not damage. */
      if (!is_out_of_space (db, rc))
        return g_error_new (KQ_STORE_ERROR, KQ_STORE_ERROR_FAILED, _("Database error: %s"), detail);
      G_GNUC_FALLTHROUGH;
    case SQLITE_FULL:
      return g_error_new_literal (KQ_STORE_ERROR, KQ_STORE_ERROR_DISK_FULL,
                                  _("The disk is full: Kiosque could not save its data."));
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return g_error_new (KQ_STORE_ERROR, KQ_STORE_ERROR_READ_ONLY,
                          _("Kiosque cannot write its data to “%s”."), db->path);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return g_error_new_literal (KQ_STORE_ERROR, KQ_STORE_ERROR_CORRUPT,
                                  _("The offline database is damaged."));
    default:
      return g_error_new (KQ_STORE_ERROR, KQ_STORE_ERROR_FAILED,
                          _("Database error: %s"), detail);
    }
}

static int
progress_cb (void *user_data)
{
  KqStoreDb *db = user_data;

  return db->cancellable != NULL && g_cancellable_is_cancelled (db->cancellable);
}

sqlite3_stmt *
_kq_store_db_prepare (KqStoreDb   *db,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (db->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
_kq_store_db_exec (KqStoreDb   *db,
                   const char  *sql,
                   GError     **error)
{
  int rc = sqlite3_exec (db->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      return FALSE;
    }
  return TRUE;
}

gboolean
_kq_store_db_step_done (KqStoreDb     *db,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Runs @stmt (bound) to the end: one element a row, made by @from_row. */
GPtrArray *
_kq_store_db_collect (KqStoreDb       *db,
                      sqlite3_stmt    *stmt,
                      gpointer       (*from_row) (sqlite3_stmt *stmt),
                      GDestroyNotify   free_func,
                      GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
_kq_store_db_begin (KqStoreDb  *db,
                    GError    **error)
{
  return _kq_store_db_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
_kq_store_db_commit (KqStoreDb  *db,
                     GError    **error)
{
  if (!_kq_store_db_exec (db, "COMMIT", error))
    {
      _kq_store_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

void
_kq_store_db_rollback (KqStoreDb *db)
{
  if (!sqlite3_get_autocommit (db->db))
    sqlite3_exec (db->db, "ROLLBACK", NULL, NULL, NULL);
  /* Sources inserted by the rolled-back transaction are gone. */
  g_hash_table_remove_all (db->source_ids);
}

gint64
_kq_store_db_source_id (KqStoreDb   *db,
                        const char  *source,
                        gboolean     create,
                        GError     **error)
{
  gint64 *cached;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (source == NULL)
    source = "";

  if ((cached = g_hash_table_lookup (db->source_ids, source)) != NULL)
    return *cached;

  if (!(stmt = _kq_store_db_prepare (db, "SELECT id FROM sources WHERE url = ?1", error)))
    return -1;
  sqlite3_bind_text (stmt, 1, source, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      return -1;
    }

  if (id == 0 && create)
    {
      if (!(stmt = _kq_store_db_prepare (db, "INSERT INTO sources (url) VALUES (?1)", error)))
        return -1;
      sqlite3_bind_text (stmt, 1, source, -1, SQLITE_STATIC);
      if (!_kq_store_db_step_done (db, stmt, error))
        return -1;
      id = sqlite3_last_insert_rowid (db->db);
    }

  if (id != 0)
    g_hash_table_insert (db->source_ids, g_strdup (source), g_memdup2 (&id, sizeof id));
  return id;
}

/* Opening */

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

KqStoreDb *
_kq_store_db_new (const char *path)
{
  KqStoreDb *db = g_new0 (KqStoreDb, 1);
  g_autofree char *dir = g_path_get_dirname (path);

  db->path = g_strdup (path);
  db->backup_path = g_build_filename (dir, "kiosque-bookmarks.json", NULL);
  db->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  db->source_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return db;
}

static void
close_db (KqStoreDb *db)
{
  g_hash_table_remove_all (db->statements);
  g_hash_table_remove_all (db->source_ids);
  if (db->db != NULL)
    {
      sqlite3_close_v2 (db->db);
      db->db = NULL;
    }
}

/*
 * The clean-shutdown marker, "<database>.clean": written when the store
 * closes the file normally, removed as soon as it opens it again. It holds
 * the file's size, modification time and inode at close; when it is there
 * and the file still matches, the previous session ended cleanly and nothing
 * touched the file since, so the open skips PRAGMA quick_check (which reads
 * the whole database: ~90 ms at 10,000 articles). A crash, a kill, a power
 * cut (no marker) or a file changed behind our back (no match) gets the full
 * check.
 */
static gint n_checks;

static char *
marker_path (KqStoreDb *db)
{
  return g_strconcat (db->path, ".clean", NULL);
}

/* "size mtime-usec inode" of the database file, or NULL. */
static char *
file_stamp (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC ","
                            G_FILE_ATTRIBUTE_UNIX_INODE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (info == NULL)
    return NULL;

  return g_strdup_printf ("%" G_GOFFSET_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                          g_file_info_get_size (info),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) *
                          G_USEC_PER_SEC +
                          g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_UNIX_INODE));
}

/* At open: TRUE if the last close was clean and the file is as it left it.
 * The marker goes in any case: from now on the file is in use. */
static gboolean
take_clean_marker (KqStoreDb *db)
{
  g_autofree char *path = marker_path (db);
  g_autofree char *kept = NULL;
  g_autofree char *stamp = NULL;
  gboolean clean;

  if (!g_file_get_contents (path, &kept, NULL, NULL))
    return FALSE;
  g_unlink (path);

  stamp = file_stamp (db->path);
  clean = stamp != NULL && g_strcmp0 (g_strstrip (kept), stamp) == 0;
  g_debug ("%s: %s", db->path, clean ? "closed cleanly last time" : "changed since its clean close");

  return clean;
}

/* At the end: close the connection (SQLite checkpoints and removes the WAL),
 * then leave the marker if the file is whole on its own. */
static void
put_clean_marker (KqStoreDb *db)
{
  g_autofree char *wal = g_strconcat (db->path, "-wal", NULL);
  g_autofree char *path = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(GError) error = NULL;

  if (!db->opened || db->in_memory || db->db != NULL || g_file_test (wal, G_FILE_TEST_EXISTS))
    return;
  if ((stamp = file_stamp (db->path)) == NULL)
    return;

  path = marker_path (db);
  if (!g_file_set_contents_full (path, stamp, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_debug ("No clean-shutdown marker: %s", error->message);
}

guint
_kq_store_db_get_n_checks (void)
{
  return (guint) g_atomic_int_get (&n_checks);
}

void
_kq_store_db_free (KqStoreDb *db)
{
  gboolean had_file = db->db != NULL && !db->in_memory;

  close_db (db);
  if (had_file)
    put_clean_marker (db);
  g_hash_table_unref (db->statements);
  g_hash_table_unref (db->source_ids);
  g_clear_error (&db->open_error);
  g_free (db->corrupt_path);
  g_free (db->backup_path);
  g_free (db->path);
  g_free (db);
}

typedef enum {
  PROBE_OK,
  PROBE_MISSING,
  PROBE_CORRUPT,
  PROBE_FUTURE,
  PROBE_UNUSABLE,
} Probe;

static gboolean
is_corrupt_rc (int rc)
{
  return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

static gint64
query_int (sqlite3 *conn,
           const char *sql,
           int     *rc_out)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;
  int rc;

  rc = sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  *rc_out = rc;
  return value;
}

/*
 * Looks at an existing file through a read-only connection, so that a file
 * we must refuse (from the future) is left exactly as it was.
 */
/* How long an open waits for another connection to the file to finish (the
 * previous library of this process still closing its store, a second
 * Kiosque): beyond that the store runs from memory and says so. */
#define OPEN_BUSY_WAIT_MS 5000

static Probe
probe_file_once (KqStoreDb  *db,
                 GError    **error)
{
  sqlite3 *conn = NULL;
  gint64 version;
  int rc;

  if (!g_file_test (db->path, G_FILE_TEST_EXISTS))
    return PROBE_MISSING;

  rc = sqlite3_open_v2 (db->path, &conn, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (conn, OPEN_BUSY_WAIT_MS);
      /* Which I/O error: a WAL index that cannot grow is a full disk. */
      sqlite3_extended_result_codes (conn, TRUE);
    }
  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      sqlite3_close_v2 (conn);
      return is_corrupt_rc (rc) ? PROBE_CORRUPT : PROBE_UNUSABLE;
    }
  version = query_int (conn, "PRAGMA user_version", &rc);
  sqlite3_close_v2 (conn);

  if (is_corrupt_rc (rc))
    return PROBE_CORRUPT;
  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      return PROBE_UNUSABLE;
    }
  if (version > KQ_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_FUTURE_SCHEMA,
                   _("The offline database “%s” was made by a newer version of Kiosque. "
                     "It was left untouched; nothing will be saved until Kiosque is updated."),
                   db->path);
      return PROBE_FUTURE;
    }
  return PROBE_OK;
}

/*
 * After an attempt to open that failed with *@error: TRUE, once the error is
 * cleared and a moment has passed, when the file was only busy and there is
 * time left before @deadline. A connection closing meanwhile (checkpointing
 * its WAL: the previous library of this process, a second Kiosque) can make
 * even a read answer "busy" at once, without SQLite's busy handler. On the
 * store's own thread: sleeping blocks no one.
 */
static gboolean
retry_if_busy (KqStoreDb  *db,
               gint64      deadline,
               GError    **error)
{
  if (*error == NULL || (db->last_rc & 0xff) != SQLITE_BUSY ||
      g_get_monotonic_time () >= deadline)
    return FALSE;

  g_debug ("%s is busy: %s; trying again", db->path, (*error)->message);
  g_clear_error (error);
  db->last_rc = SQLITE_OK;
  g_usleep (50 * 1000);
  return TRUE;
}

static Probe
probe_file (KqStoreDb  *db,
            GError    **error)
{
  gint64 deadline = g_get_monotonic_time () + OPEN_BUSY_WAIT_MS * 1000;
  Probe probe;

  db->last_rc = SQLITE_OK;
  do
    probe = probe_file_once (db, error);
  while (probe == PROBE_UNUSABLE && retry_if_busy (db, deadline, error));

  return probe;
}

static gboolean
migrate (KqStoreDb  *db,
         gboolean   *created,
         GError    **error)
{
  int rc;
  gint64 version = query_int (db->db, "PRAGMA user_version", &rc);

  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      return FALSE;
    }
  if (version > KQ_STORE_SCHEMA_VERSION)
    {
      /* Checked by the probe already; a race with a newer Kiosque lands here. */
      g_set_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_FUTURE_SCHEMA,
                   _("The offline database “%s” was made by a newer version of Kiosque. "
                     "It was left untouched; nothing will be saved until Kiosque is updated."),
                   db->path);
      return FALSE;
    }

  *created = version == 0;
  for (; version < KQ_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", (int) version + 1);

      g_debug ("Migrating %s from schema version %d", db->path, (int) version);
      if (!_kq_store_db_begin (db, error))
        return FALSE;
      if (!_kq_store_db_exec (db, _kq_store_schema_migration_sql (version), error) ||
          !_kq_store_db_exec (db, set_version, error) ||
          !_kq_store_db_commit (db, error))
        {
          _kq_store_db_rollback (db);
          return FALSE;
        }
    }
  return TRUE;
}

static int
open_connection (KqStoreDb  *db,
                 const char *path,
                 GError    **error)
{
  int rc = sqlite3_open_v2 (path, &db->db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            NULL);

  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      close_db (db);
      return rc;
    }
  sqlite3_extended_result_codes (db->db, TRUE);
  sqlite3_busy_timeout (db->db, 5000);
  sqlite3_progress_handler (db->db, 1000, progress_cb, db);
  sqlite3_create_function (db->db, "kq_html_to_text", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                           NULL, sql_html_to_text, NULL, NULL);
  sqlite3_create_function (db->db, "kq_image_urls", 3,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                           NULL, sql_image_urls, NULL, NULL);
  return SQLITE_OK;
}

/* Opens @db->path read-write: pragmas, integrity (if @full_check), migrations. */
static int
open_file (KqStoreDb  *db,
           gboolean    full_check,
           gboolean   *created,
           GError    **error)
{
  g_autofree char *check = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if ((rc = open_connection (db, db->path, error)) != SQLITE_OK)
    return rc;

  /* SQLite silently opens a file it cannot write read-only. */
  if (sqlite3_db_readonly (db->db, "main") == 1)
    {
      rc = SQLITE_READONLY;
      goto fail;
    }

  /* Anything wrong with the file shows up here, before WAL or a write. */
  if (!full_check)
    goto checked;
  g_atomic_int_inc (&n_checks);
  rc = sqlite3_prepare_v2 (db->db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          check = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_OK && g_strcmp0 (check, "ok") != 0)
    {
      g_debug ("quick_check on %s: %s", db->path, check);
      rc = SQLITE_CORRUPT;
    }
  if (rc != SQLITE_OK)
    goto fail;

checked:
  {
    int mode_rc;
    gint64 unused G_GNUC_UNUSED;
    sqlite3_stmt *mode = NULL;

    mode_rc = sqlite3_prepare_v2 (db->db, "PRAGMA journal_mode = WAL", -1, &mode, NULL);
    if (mode_rc == SQLITE_OK)
      {
        mode_rc = sqlite3_step (mode);
        if (mode_rc == SQLITE_ROW)
          {
            if (g_ascii_strcasecmp ((const char *) sqlite3_column_text (mode, 0), "wal") != 0)
              g_debug ("WAL journal not available for %s", db->path);
            mode_rc = SQLITE_OK;
          }
      }
    sqlite3_finalize (mode);
    if ((rc = mode_rc) != SQLITE_OK)
      goto fail;
  }

  if ((rc = sqlite3_exec (db->db,
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA temp_store = MEMORY;"
                          /* Reads through mmap (no copy per page); the page cache
                           * then mostly holds the pages a write changes: 2 MiB. */
                          "PRAGMA mmap_size = 268435456;"
                          "PRAGMA cache_size = -2048;",
                          NULL, NULL, NULL)) != SQLITE_OK)
    goto fail;

  /* Writability: the schema write (or a no-op write) fails here on a read-only file. */
  if (!migrate (db, created, error))
    {
      close_db (db);
      return SQLITE_ERROR;
    }
  if ((rc = sqlite3_exec (db->db, "BEGIN IMMEDIATE; COMMIT;", NULL, NULL, NULL)) != SQLITE_OK)
    goto fail;

  return SQLITE_OK;

fail:
  g_propagate_error (error, _kq_store_db_error (db, rc));
  close_db (db);
  return rc;
}

/* open_file(), again while the file is busy (retry_if_busy ()). */
static int
open_file_waiting (KqStoreDb  *db,
                   gboolean    full_check,
                   gboolean   *created,
                   GError    **error)
{
  gint64 deadline = g_get_monotonic_time () + OPEN_BUSY_WAIT_MS * 1000;
  int rc;

  db->last_rc = SQLITE_OK;
  do
    rc = open_file (db, full_check, created, error);
  while (rc != SQLITE_OK && retry_if_busy (db, deadline, error));

  return rc;
}

static gboolean
move_aside (KqStoreDb  *db,
            GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", db->path, stamp);
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  /* Two recoveries within a second: do not overwrite the first. */
  for (guint n = 2; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", db->path, stamp, n);
    }

  if (g_rename (db->path, target) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_CORRUPT,
                   _("The offline database “%s” is damaged and could not be moved aside: %s"),
                   db->path, g_strerror (saved_errno));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (db->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  g_message ("The database %s was damaged; moved to %s", db->path, target);
  g_free (db->corrupt_path);
  db->corrupt_path = g_steal_pointer (&target);
  return TRUE;
}

static void
open_in_memory (KqStoreDb *db)
{
  g_autoptr(GError) error = NULL;
  gboolean created;

  db->in_memory = TRUE;
  if (open_connection (db, ":memory:", &error) != SQLITE_OK ||
      !_kq_store_db_exec (db, "PRAGMA foreign_keys = ON", &error) ||
      !migrate (db, &created, &error))
    {
      g_critical ("Cannot create an in-memory database: %s", error->message);
      return;
    }
  /* Show the bookmarks we know of; the backup itself is never written from memory. */
  if (_kq_store_restore_backup (db, NULL, &error) < 0)
    g_debug ("No bookmarks restored in memory: %s", error->message);
}

/* The file cannot be used: say why in words a reader understands, run from memory. */
static void
fall_back_to_memory (KqStoreDb *db,
                     GError    *error)
{
  if (error->domain == KQ_STORE_ERROR && error->code == KQ_STORE_ERROR_READ_ONLY)
    {
      g_clear_error (&error);
      g_set_error (&error, KQ_STORE_ERROR, KQ_STORE_ERROR_READ_ONLY,
                   _("Kiosque cannot write its data to “%s”. "
                     "Nothing will be saved until this is fixed."),
                   db->path);
    }
  else if (error->domain == KQ_STORE_ERROR && error->code == KQ_STORE_ERROR_DISK_FULL)
    {
      g_clear_error (&error);
      g_set_error_literal (&error, KQ_STORE_ERROR, KQ_STORE_ERROR_DISK_FULL,
                           _("The disk is full: Kiosque cannot save its data. "
                             "Nothing will be saved until space is freed."));
    }
  g_message ("Running from memory: %s", error->message);
  g_clear_error (&db->open_error);
  db->open_error = error;
  open_in_memory (db);
}

static void
reconcile_backup (KqStoreDb *db)
{
  g_autoptr(GError) error = NULL;
  gint64 skipped = 0;
  gint64 n = _kq_store_restore_backup (db, &skipped, &error);

  if (n < 0)
    g_warning ("Could not restore bookmarks from %s: %s", db->backup_path, error->message);
  else if (n > 0 || skipped > 0)
    g_message ("Restored %" G_GINT64_FORMAT " bookmarks from %s (%" G_GINT64_FORMAT
               " entries unreadable)", n, db->backup_path, skipped);
  db->restored = MAX (n, 0);
  db->not_restored = skipped;
}

/*
 * Opens the database once: probe (read-only), open and check, move a damaged
 * file aside and start anew (bookmarks from the backup), or fall back to
 * memory with @db->open_error set.
 */
void
_kq_store_db_open (KqStoreDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  gboolean created = FALSE;
  Probe probe;
  int rc;

  if (db->opened)
    return;
  db->opened = TRUE;

  dir = g_path_get_dirname (db->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_debug ("Cannot create %s: %s", dir, g_strerror (saved_errno));
      fall_back_to_memory (db, g_error_new_literal (KQ_STORE_ERROR,
                                                    saved_errno == ENOSPC ?
                                                    KQ_STORE_ERROR_DISK_FULL :
                                                    KQ_STORE_ERROR_READ_ONLY, ""));
      return;
    }

  probe = probe_file (db, &error);
  if (probe == PROBE_FUTURE || probe == PROBE_UNUSABLE)
    {
      fall_back_to_memory (db, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);

  if (probe != PROBE_CORRUPT)
    rc = open_file_waiting (db, !take_clean_marker (db), &created, &error);
  else
    rc = SQLITE_CORRUPT;

  if (is_corrupt_rc (rc))
    {
      g_clear_error (&error);
      if (!move_aside (db, &error))
        {
          fall_back_to_memory (db, g_steal_pointer (&error));
          return;
        }
      db->recovered = TRUE;
      rc = open_file (db, TRUE, &created, &error);
    }

  if (rc != SQLITE_OK)
    {
      fall_back_to_memory (db, g_steal_pointer (&error));
      return;
    }

  /* Not only a new or rebuilt database: one killed before its restore was
   * committed, or that lost its last changes, lacks bookmarks too. */
  reconcile_backup (db);
}
