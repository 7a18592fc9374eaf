/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "kq-store.h"

G_BEGIN_DECLS

/*
 * Internal API of KqStore. Everything here runs on the store's worker thread
 * only: a KqStoreDb (and its sqlite3 connection) is never touched by any
 * other thread.
 */

typedef struct {
  char         *path;
  char         *backup_path;
  sqlite3      *db;
  GHashTable   *statements;   /* SQL text (static) → sqlite3_stmt, persistent */
  GHashTable   *source_ids;   /* source URL → gint64 row id */
  GCancellable *cancellable;  /* the running job's, for the progress handler */
  GError       *open_error;   /* why the file is not in use (in_memory) */
  char         *corrupt_path;
  guint         opened : 1;
  guint         in_memory : 1;
  guint         recovered : 1;
  int           last_rc;      /* of the last error made into a GError */
  gint64        restored;     /* bookmarks taken back from the backup at open */
  gint64        not_restored; /* its entries that could not be read */
} KqStoreDb;

/*
 * A job runs on the worker thread and ends with one _kq_store_return_*()
 * call: the result is kept in the task data and handed to the GTask on the
 * caller's main context, so every reference to the task (and through it to
 * the store) is dropped there, never on the worker.
 */
typedef void (*KqStoreJobFunc) (KqStoreDb *db,
                                GTask     *task);

void          _kq_store_return_pointer        (GTask          *task,
                                               gpointer        result,
                                               GDestroyNotify  destroy);
void          _kq_store_return_boolean        (GTask          *task,
                                               gboolean        value);
void          _kq_store_return_int            (GTask          *task,
                                               gssize          value);
void          _kq_store_return_error          (GTask          *task,
                                               GError         *error);

/* kq-store-worker.c */
GThread      *_kq_store_worker_start          (GAsyncQueue    *queue,
                                               const char     *path);
void          _kq_store_worker_push           (GAsyncQueue    *queue,
                                               KqStoreJobFunc  func,
                                               GTask          *task);
void          _kq_store_worker_stop           (GAsyncQueue    *queue,
                                               GThread        *thread);
/* Runs @func on @context's thread, always later, never right here. */
void          _kq_store_run_on_context        (GMainContext   *context,
                                               GSourceFunc     func,
                                               gpointer        data,
                                               GDestroyNotify  notify);

/* kq-store.c */
void          _kq_store_opened                (KqStoreDb      *db,
                                               GTask          *task);

/* kq-store-db.c */
KqStoreDb    *_kq_store_db_new                (const char    *path);
void          _kq_store_db_free               (KqStoreDb     *db);
/* How many PRAGMA quick_check ran in this process (tests). */
guint         _kq_store_db_get_n_checks       (void);
void          _kq_store_db_open               (KqStoreDb     *db);
GError       *_kq_store_db_error              (KqStoreDb     *db,
                                               int            rc);
sqlite3_stmt *_kq_store_db_prepare            (KqStoreDb     *db,
                                               const char    *sql,
                                               GError       **error);
gboolean      _kq_store_db_exec               (KqStoreDb     *db,
                                               const char    *sql,
                                               GError       **error);
gboolean      _kq_store_db_step_done          (KqStoreDb     *db,
                                               sqlite3_stmt  *stmt,
                                               GError       **error);
GPtrArray    *_kq_store_db_collect            (KqStoreDb     *db,
                                               sqlite3_stmt  *stmt,
                                               gpointer     (*from_row) (sqlite3_stmt *stmt),
                                               GDestroyNotify free_func,
                                               GError       **error);
gboolean      _kq_store_db_begin              (KqStoreDb     *db,
                                               GError       **error);
gboolean      _kq_store_db_commit             (KqStoreDb     *db,
                                               GError       **error);
void          _kq_store_db_rollback           (KqStoreDb     *db);
gint64        _kq_store_db_source_id          (KqStoreDb     *db,
                                               const char    *source,
                                               gboolean       create,
                                               GError       **error);
void          _kq_store_db_bind_text          (sqlite3_stmt  *stmt,
                                               int            index,
                                               const char    *text);
void          _kq_store_db_bind_date          (sqlite3_stmt  *stmt,
                                               int            index,
                                               GDateTime     *date);
GDateTime    *_kq_store_db_column_date        (sqlite3_stmt  *stmt,
                                               int            index);
char         *_kq_store_db_join_strv          (const char * const *strv);
char        **_kq_store_db_split_strv         (const char    *joined);
char         *_kq_store_html_to_text          (const char    *html);
/* kq-store-images.c */
/* Images kept per bookmark: no article shows more. */
#define KQ_STORE_MAX_IMAGES 500
char         *_kq_store_image_urls_json       (const char    *body_html,
                                               const char    *thumbnail_url,
                                               const char    *image_url);
char         *_kq_store_image_urls_from_list  (JsonArray     *list);
/* kq-store-schema.c */
/* The SQL that takes a database from version @from to @from + 1 (0: create
 * version 1). */
const char   *_kq_store_schema_migration_sql  (gint64         from);
/* The SQL of schema version 1 (tests build v1 files with it). */
extern const char * const _kq_store_schema_v1_sql;
/* The FTS delete trigger (clear_cache drops and recreates it). */
extern const char * const _kq_store_fts_delete_trigger_sql;

/* kq-store-articles.c */
void          _kq_store_job_upsert_articles   (KqStoreDb *db, GTask *task);
void          _kq_store_job_upsert_categories (KqStoreDb *db, GTask *task);
void          _kq_store_job_list_categories   (KqStoreDb *db, GTask *task);
void          _kq_store_job_list_articles     (KqStoreDb *db, GTask *task);
void          _kq_store_job_get_article       (KqStoreDb *db, GTask *task);
void          _kq_store_job_get_articles_by_ids (KqStoreDb *db, GTask *task);
void          _kq_store_job_set_read          (KqStoreDb *db, GTask *task);
void          _kq_store_job_mark_all_read     (KqStoreDb *db, GTask *task);
void          _kq_store_job_count_unread      (KqStoreDb *db, GTask *task);
void          _kq_store_job_get_article_by_link (KqStoreDb *db, GTask *task);

/* kq-store-search.c */
void          _kq_store_job_search            (KqStoreDb *db, GTask *task);
char         *_kq_store_fts_query             (const char *query);

/* kq-store-cache.c */
void          _kq_store_job_set_validator     (KqStoreDb *db, GTask *task);
void          _kq_store_job_get_validator     (KqStoreDb *db, GTask *task);
void          _kq_store_job_list_validators   (KqStoreDb *db, GTask *task);
void          _kq_store_job_set_discovery     (KqStoreDb *db, GTask *task);
void          _kq_store_job_get_discovery     (KqStoreDb *db, GTask *task);
void          _kq_store_job_prune             (KqStoreDb *db, GTask *task);
void          _kq_store_job_clear_cache       (KqStoreDb *db, GTask *task);

/* kq-store-bookmarks.c */
void          _kq_store_job_add_bookmark      (KqStoreDb *db, GTask *task);
void          _kq_store_job_remove_bookmark   (KqStoreDb *db, GTask *task);
void          _kq_store_job_list_bookmarks    (KqStoreDb *db, GTask *task);
void          _kq_store_job_is_bookmarked     (KqStoreDb *db, GTask *task);
void          _kq_store_job_export_bookmarks  (KqStoreDb *db, GTask *task);
void          _kq_store_job_import_bookmarks  (KqStoreDb *db, GTask *task);
void          _kq_store_job_export_html       (KqStoreDb *db, GTask *task);
/* Takes in what the JSON backup has that the database lacks (at every open,
 * unless this very file was absorbed or written already); @skipped: entries
 * that could not be read. */
gint64        _kq_store_restore_backup        (KqStoreDb *db,
                                               gint64    *skipped,
                                               GError   **error);
void          _kq_store_set_saved_date        (KqArticle *article,
                                               gint64     saved_usec);
/* Bookmark rows: BOOKMARK_COLUMNS selected from "bookmarks b". */
#define KQ_STORE_BOOKMARK_COLUMNS_WITH_BODY(body) \
  "b.source, b.article_id, b.title, b.excerpt, " body ", b.link, b.date, b.author, " \
  "b.category_names, b.thumbnail_url, b.thumbnail_width, b.thumbnail_height, b.image_url, " \
  "b.image_width, b.image_height, b.saved_at, " \
  "EXISTS (SELECT 1 FROM read_state r WHERE r.source = b.source AND r.article_id = b.article_id)"
#define KQ_STORE_BOOKMARK_COLUMNS KQ_STORE_BOOKMARK_COLUMNS_WITH_BODY ("b.body_html")
/* Without the body, for lists (kq_store_set_list_bodies ()). */
#define KQ_STORE_BOOKMARK_LIGHT_COLUMNS KQ_STORE_BOOKMARK_COLUMNS_WITH_BODY ("NULL")
KqArticle    *_kq_store_bookmark_from_row     (sqlite3_stmt *stmt);

/* Task data of the jobs (kq-store.c fills them, the jobs read them). */
typedef struct {
  char      *source;
  char      *text;        /* query, URL */
  char      *text2;
  char      *text3;
  char      *text4;
  gint64     id;
  gint64     number;
  guint      offset;
  guint      limit;
  gboolean   flag;
  gboolean   light;       /* lists without body_html (kq_store_set_list_bodies) */
  GArray    *ids;         /* gint64 */
  GPtrArray *objects;     /* KqArticle, KqCategory */
  KqArticle *article;
  GBytes    *bytes;
  GFile     *file;
  KqStoreDiscovery *discovery;

  /* The result, set on the worker, returned on the caller's context. */
  int             result_type;
  gpointer        result;
  GDestroyNotify  result_destroy;
  gssize          result_int;
  GError         *error;
} KqStoreJobData;

void          _kq_store_job_data_free         (KqStoreJobData *data);

/* upsert_articles' result */
typedef struct {
  GArray *new_ids;
  GArray *updated_ids;
} KqStoreChanges;

void          _kq_store_changes_free          (KqStoreChanges *changes);

/* kq-store.c: how the public async calls (kq-store-async.c) queue their jobs */
void            _kq_store_queue_job           (KqStore             *self,
                                               KqStoreJobFunc       func,
                                               KqStoreJobData      *data,
                                               gpointer             source_tag,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KqStoreJobData *_kq_store_job_data_new        (const char          *source);
/* A job about one article or one category of @source. */
KqStoreJobData *_kq_store_job_data_new_for_id (const char          *source,
                                               gint64               id);
/* What every _finish() checks: @result is this store's task from @source_tag. */
gboolean        _kq_store_is_own_result       (KqStore             *self,
                                               GAsyncResult        *result,
                                               gpointer             source_tag);
gpointer        _kq_store_finish_pointer      (KqStore             *self,
                                               GAsyncResult        *result,
                                               gpointer             source_tag,
                                               GError             **error);
gboolean        _kq_store_finish_boolean      (KqStore             *self,
                                               GAsyncResult        *result,
                                               gpointer             source_tag,
                                               GError             **error);
gint64          _kq_store_finish_int          (KqStore             *self,
                                               GAsyncResult        *result,
                                               gpointer             source_tag,
                                               GError             **error);

/* kq-store-articles.c: what the search and cache jobs share with it.
 * Article rows: KQ_STORE_ARTICLE_COLUMNS selected from "articles a JOIN sources s". */
#define KQ_STORE_ARTICLE_COLUMNS_WITH_BODY(body) \
  "s.url, a.id, a.title, a.excerpt, " body ", a.link, a.date, a.modified, a.author, " \
  "a.category_names, a.tags, a.thumbnail_url, a.thumbnail_width, a.thumbnail_height, " \
  "a.image_url, a.image_width, a.image_height, a.comment_count, a.comments_open, " \
  "a.reading_minutes, " \
  "(SELECT group_concat (category_id) FROM article_categories WHERE article = a.rid), " \
  "EXISTS (SELECT 1 FROM read_state r WHERE r.source = s.url AND r.article_id = a.id), " \
  "(SELECT saved_at FROM bookmarks b WHERE b.source = s.url AND b.article_id = a.id)"
#define KQ_STORE_ARTICLE_COLUMNS KQ_STORE_ARTICLE_COLUMNS_WITH_BODY ("a.body_html")
/* For lists (kq_store_set_list_bodies ()): no body_html, the view asks for it. */
#define KQ_STORE_LIGHT_ARTICLE_COLUMNS KQ_STORE_ARTICLE_COLUMNS_WITH_BODY ("NULL")
/* The full or the light SELECT with the same @rest. */
#define KQ_STORE_SELECT_ARTICLES(light, rest) \
  ((light) ? "SELECT " KQ_STORE_LIGHT_ARTICLE_COLUMNS rest : \
             "SELECT " KQ_STORE_ARTICLE_COLUMNS rest)
#define KQ_STORE_N_ARTICLE_COLUMNS 23
KqArticle    *_kq_store_article_from_row      (sqlite3_stmt  *stmt);
/* Steps @stmt once: *@article is the article of its row, built by @from_row, and stays NULL
 * when there is none. */
gboolean      _kq_store_step_article          (KqStoreDb     *db,
                                               sqlite3_stmt  *stmt,
                                               KqArticle   *(*from_row) (sqlite3_stmt *stmt),
                                               KqArticle    **article,
                                               GError       **error);
/* Rolls back the open transaction, if any, and ends the job with @error. */
void          _kq_store_fail_job              (KqStoreDb     *db,
                                               GTask         *task,
                                               GError        *error);

G_END_DECLS
