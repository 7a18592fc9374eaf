/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-store-private.h"

/*
 * The cache jobs: articles, categories, read state (search is in
 * kq-store-search.c, validators and retention in kq-store-cache.c). Worker
 * thread only; parameterised SQL only.
 */

KqArticle *
_kq_store_article_from_row (sqlite3_stmt *stmt)
{
  KqArticle *article = kq_article_new ();
  g_autoptr(GDateTime) date = _kq_store_db_column_date (stmt, 6);
  g_autoptr(GDateTime) modified = _kq_store_db_column_date (stmt, 7);
  g_auto(GStrv) names = _kq_store_db_split_strv ((const char *) sqlite3_column_text (stmt, 9));
  g_auto(GStrv) tags = _kq_store_db_split_strv ((const char *) sqlite3_column_text (stmt, 10));
  const char *category_ids = (const char *) sqlite3_column_text (stmt, 20);

  kq_article_set_source (article, (const char *) sqlite3_column_text (stmt, 0));
  kq_article_set_id (article, sqlite3_column_int64 (stmt, 1));
  kq_article_set_title (article, (const char *) sqlite3_column_text (stmt, 2));
  kq_article_set_excerpt (article, (const char *) sqlite3_column_text (stmt, 3));
  kq_article_set_body_html (article, (const char *) sqlite3_column_text (stmt, 4));
  kq_article_set_link (article, (const char *) sqlite3_column_text (stmt, 5));
  kq_article_set_date (article, date);
  kq_article_set_modified (article, modified);
  kq_article_set_author (article, (const char *) sqlite3_column_text (stmt, 8));
  kq_article_set_category_names (article, (const char * const *) names);
  kq_article_set_tags (article, (const char * const *) tags);
  kq_article_set_thumbnail (article, (const char *) sqlite3_column_text (stmt, 11),
                            sqlite3_column_int (stmt, 12), sqlite3_column_int (stmt, 13));
  kq_article_set_image (article, (const char *) sqlite3_column_text (stmt, 14),
                        sqlite3_column_int (stmt, 15), sqlite3_column_int (stmt, 16));
  kq_article_set_comment_count (article, sqlite3_column_int (stmt, 17));
  kq_article_set_comments_open (article, sqlite3_column_int (stmt, 18));
  /* After the body, which recomputes it. */
  kq_article_set_reading_minutes (article, sqlite3_column_int (stmt, 19));

  if (category_ids != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (category_ids, ",", -1);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint i = 0; parts[i] != NULL; i++)
        {
          gint64 id = g_ascii_strtoll (parts[i], NULL, 10);
          g_array_append_val (ids, id);
        }
      kq_article_set_category_ids (article, (const gint64 *) ids->data, ids->len);
    }

  kq_article_set_read (article, sqlite3_column_int (stmt, 21));
  if (sqlite3_column_type (stmt, 22) != SQLITE_NULL)
    {
      kq_article_set_bookmarked (article, TRUE);
      _kq_store_set_saved_date (article, sqlite3_column_int64 (stmt, 22));
    }
  return article;
}

/* Runs @stmt (bound) and collects its article rows. */
static GPtrArray *
collect_articles (KqStoreDb     *db,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  return _kq_store_db_collect (db, stmt, (gpointer (*) (sqlite3_stmt *)) _kq_store_article_from_row,
                               g_object_unref, error);
}

/* Steps @stmt once: *@article is the article of its row, built by @from_row, and stays NULL
 * when there is none. */
gboolean
_kq_store_step_article (KqStoreDb     *db,
                        sqlite3_stmt  *stmt,
                        KqArticle   *(*from_row) (sqlite3_stmt *stmt),
                        KqArticle    **article,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    *article = from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      return FALSE;
    }
  return TRUE;
}

void
_kq_store_fail_job (KqStoreDb *db,
                    GTask     *task,
                    GError    *error)
{
  _kq_store_db_rollback (db);
  _kq_store_return_error (task, error);
}

/* Returns @article (taking it), or that it is not available offline when NULL. */
static void
return_article (KqStoreDb *db,
                GTask     *task,
                KqArticle *article)
{
  if (article == NULL)
    _kq_store_fail_job (db, task,
                        g_error_new_literal (KQ_STORE_ERROR, KQ_STORE_ERROR_NOT_FOUND,
                                             _("This article is not available offline.")));
  else
    _kq_store_return_pointer (task, article, g_object_unref);
}

/* Upsert */

/* ?1 source id … ?20 reading minutes, as the statements below use them. */
static void
bind_article (sqlite3_stmt *stmt,
              gint64        source_id,
              KqArticle    *article)
{
  g_autofree char *names = _kq_store_db_join_strv (kq_article_get_category_names (article));
  g_autofree char *tags = _kq_store_db_join_strv (kq_article_get_tags (article));

  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_int64 (stmt, 2, kq_article_get_id (article));
  sqlite3_bind_text (stmt, 3, kq_article_get_title (article) ? kq_article_get_title (article) : "",
                     -1, SQLITE_TRANSIENT);
  _kq_store_db_bind_text (stmt, 4, kq_article_get_excerpt (article));
  /* Static: the article outlives the step. */
  if (kq_article_get_body_html (article) != NULL)
    sqlite3_bind_text (stmt, 5, kq_article_get_body_html (article), -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 5);
  _kq_store_db_bind_text (stmt, 6, kq_article_get_link (article));
  _kq_store_db_bind_date (stmt, 7, kq_article_get_date (article));
  _kq_store_db_bind_date (stmt, 8, kq_article_get_modified (article));
  _kq_store_db_bind_text (stmt, 9, kq_article_get_author (article));
  _kq_store_db_bind_text (stmt, 10, names);
  _kq_store_db_bind_text (stmt, 11, tags);
  _kq_store_db_bind_text (stmt, 12, kq_article_get_thumbnail_url (article));
  sqlite3_bind_int (stmt, 13, kq_article_get_thumbnail_width (article));
  sqlite3_bind_int (stmt, 14, kq_article_get_thumbnail_height (article));
  _kq_store_db_bind_text (stmt, 15, kq_article_get_image_url (article));
  sqlite3_bind_int (stmt, 16, kq_article_get_image_width (article));
  sqlite3_bind_int (stmt, 17, kq_article_get_image_height (article));
  sqlite3_bind_int (stmt, 18, kq_article_get_comment_count (article));
  sqlite3_bind_int (stmt, 19, kq_article_get_comments_open (article));
  sqlite3_bind_int (stmt, 20, kq_article_get_reading_minutes (article));
}

static const char select_existing_sql[] =
  "SELECT rid, (title IS ?3 AND excerpt IS ?4 AND (?5 IS NULL OR body_html IS ?5)"
  " AND link IS ?6 AND date IS ?7 AND modified IS ?8 AND author IS ?9"
  " AND category_names IS ?10 AND tags IS ?11 AND thumbnail_url IS ?12"
  " AND thumbnail_width = ?13 AND thumbnail_height = ?14 AND image_url IS ?15"
  " AND image_width = ?16 AND image_height = ?17 AND comment_count = ?18"
  " AND comments_open = ?19 AND (?5 IS NULL OR reading_minutes = ?20))"
  " FROM articles WHERE source_id = ?1 AND id = ?2";

static const char insert_article_sql[] =
  "INSERT INTO articles (source_id, id, title, excerpt, body_html, link, date, modified,"
  " author, category_names, tags, thumbnail_url, thumbnail_width, thumbnail_height,"
  " image_url, image_width, image_height, comment_count, comments_open, reading_minutes,"
  " body_text, fetched_at)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
  " ?18, ?19, ?20, ?21, ?22)";

/* A NULL body (a list fetched without content) keeps the body already cached. */
static const char update_article_sql[] =
  "UPDATE articles SET title = ?3, excerpt = ?4, body_html = COALESCE (?5, body_html),"
  " link = ?6, date = ?7, modified = ?8, author = ?9, category_names = ?10, tags = ?11,"
  " thumbnail_url = ?12, thumbnail_width = ?13, thumbnail_height = ?14, image_url = ?15,"
  " image_width = ?16, image_height = ?17, comment_count = ?18, comments_open = ?19,"
  " reading_minutes = CASE WHEN ?5 IS NULL THEN reading_minutes ELSE ?20 END,"
  " body_text = CASE WHEN ?5 IS NULL THEN body_text ELSE ?21 END, fetched_at = ?22"
  " WHERE rid = ?23";

static gboolean
link_categories (KqStoreDb  *db,
                 gint64      rid,
                 KqArticle  *article,
                 GError    **error)
{
  GArray *ids = kq_article_get_category_ids (article);
  sqlite3_stmt *stmt;

  /* No ids (a feed item): keep what an earlier, fuller copy said. */
  if (ids == NULL || ids->len == 0)
    return TRUE;

  if (!(stmt = _kq_store_db_prepare (db, "DELETE FROM article_categories WHERE article = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (!_kq_store_db_step_done (db, stmt, error))
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      if (!(stmt = _kq_store_db_prepare (db,
                                         "INSERT OR IGNORE INTO article_categories (article, category_id)"
                                         " VALUES (?1, ?2)", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      sqlite3_bind_int64 (stmt, 2, g_array_index (ids, gint64, i));
      if (!_kq_store_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Returns 0 unchanged, 1 new, 2 updated, -1 error. */
static int
upsert_article (KqStoreDb  *db,
                KqArticle  *article,
                gint64      now,
                GError    **error)
{
  g_autofree char *body_text = NULL;
  sqlite3_stmt *stmt;
  gint64 source_id, rid = 0;
  gboolean same = FALSE;
  int rc, result;

  source_id = _kq_store_db_source_id (db, kq_article_get_source (article), TRUE, error);
  if (source_id < 0)
    return -1;

  if (!(stmt = _kq_store_db_prepare (db, select_existing_sql, error)))
    return -1;
  bind_article (stmt, source_id, article);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      rid = sqlite3_column_int64 (stmt, 0);
      same = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      return -1;
    }
  if (rid != 0 && same)
    return 0;

  body_text = _kq_store_html_to_text (kq_article_get_body_html (article));
  if (!(stmt = _kq_store_db_prepare (db, rid == 0 ? insert_article_sql : update_article_sql, error)))
    return -1;
  bind_article (stmt, source_id, article);
  _kq_store_db_bind_text (stmt, 21, body_text);
  sqlite3_bind_int64 (stmt, 22, now);
  if (rid != 0)
    sqlite3_bind_int64 (stmt, 23, rid);
  if (!_kq_store_db_step_done (db, stmt, error))
    return -1;

  if (rid == 0)
    {
      rid = sqlite3_last_insert_rowid (db->db);
      result = 1;
    }
  else
    result = 2;

  return link_categories (db, rid, article, error) ? result : -1;
}

/*
 * History (kq_store_upsert_listed_async): an article the cache first meets
 * that is older than the newest it had of the source came from scrolling
 * into the site's past, or from a category or a search: it is no news, and
 * counting it unread would make the counts climb just from browsing.
 */

/* The date of the newest cached article of @article's source; 0: none; -1: error. */
static gint64
newest_date (KqStoreDb  *db,
             KqArticle  *article,
             GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 source_id, newest = 0;
  int rc;

  source_id = _kq_store_db_source_id (db, kq_article_get_source (article), FALSE, error);
  if (source_id <= 0)
    return source_id;
  if (!(stmt = _kq_store_db_prepare (db, "SELECT max (date) FROM articles WHERE source_id = ?1",
                                     error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, source_id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    newest = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      return -1;
    }
  return newest;
}

static gboolean
is_history (KqArticle *article,
            gint64     history_before)
{
  GDateTime *date = kq_article_get_date (article);

  return history_before > 0 && date != NULL && g_date_time_to_unix (date) < history_before;
}

static gboolean
keep_read (KqStoreDb  *db,
           KqArticle  *article,
           gint64      now,
           GError    **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _kq_store_db_prepare (db,
                                     "INSERT OR IGNORE INTO read_state (source, article_id, read_at)"
                                     " VALUES (?1, ?2, ?3)", error)))
    return FALSE;
  _kq_store_db_bind_text (stmt, 1, kq_article_get_source (article));
  sqlite3_bind_int64 (stmt, 2, kq_article_get_id (article));
  sqlite3_bind_int64 (stmt, 3, now);
  return _kq_store_db_step_done (db, stmt, error);
}

void
_kq_store_job_upsert_articles (KqStoreDb *db,
                               GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  KqStoreChanges *changes = g_new0 (KqStoreChanges, 1);
  GError *error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 history_before = 0;

  changes->new_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  changes->updated_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!_kq_store_db_begin (db, &error))
    goto fail;

  /* Before the page goes in: what is older than this is history. */
  if (data->flag && data->objects->len > 0 &&
      (history_before = newest_date (db, g_ptr_array_index (data->objects, 0), &error)) < 0)
    goto fail;

  for (guint i = 0; i < data->objects->len; i++)
    {
      KqArticle *article = g_ptr_array_index (data->objects, i);
      gint64 id = kq_article_get_id (article);

      switch (upsert_article (db, article, now, &error))
        {
        case 0:
          break;
        case 1:
          g_array_append_val (changes->new_ids, id);
          if (is_history (article, history_before) && !keep_read (db, article, now, &error))
            goto fail;
          break;
        case 2:
          g_array_append_val (changes->updated_ids, id);
          break;
        default:
          goto fail;
        }
    }

  if (!_kq_store_db_commit (db, &error))
    goto fail;

  _kq_store_return_pointer (task, changes, (GDestroyNotify) _kq_store_changes_free);
  return;

fail:
  _kq_store_changes_free (changes);
  _kq_store_fail_job (db, task, error);
}

/* Categories */

void
_kq_store_job_upsert_categories (KqStoreDb *db,
                                 GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  GError *error = NULL;
  sqlite3_stmt *stmt;
  gint64 source_id;

  if (!_kq_store_db_begin (db, &error))
    goto fail;
  if ((source_id = _kq_store_db_source_id (db, data->source, TRUE, &error)) < 0)
    goto fail;

  if (!(stmt = _kq_store_db_prepare (db, "DELETE FROM categories WHERE source_id = ?1", &error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, source_id);
  if (!_kq_store_db_step_done (db, stmt, &error))
    goto fail;

  for (guint i = 0; i < data->objects->len; i++)
    {
      KqCategory *category = g_ptr_array_index (data->objects, i);

      if (!(stmt = _kq_store_db_prepare (db,
                                         "INSERT OR REPLACE INTO categories (source_id, id, name, slug,"
                                         " count, parent, link, position)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, kq_category_get_id (category));
      sqlite3_bind_text (stmt, 3, kq_category_get_name (category) ? kq_category_get_name (category) : "",
                         -1, SQLITE_TRANSIENT);
      _kq_store_db_bind_text (stmt, 4, kq_category_get_slug (category));
      sqlite3_bind_int (stmt, 5, kq_category_get_count (category));
      sqlite3_bind_int64 (stmt, 6, kq_category_get_parent (category));
      _kq_store_db_bind_text (stmt, 7, kq_category_get_link (category));
      sqlite3_bind_int (stmt, 8, i);
      if (!_kq_store_db_step_done (db, stmt, &error))
        goto fail;
    }

  if (!_kq_store_db_commit (db, &error))
    goto fail;
  _kq_store_return_boolean (task, TRUE);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

static gpointer
category_from_row (sqlite3_stmt *stmt)
{
  KqCategory *category = kq_category_new ();

  kq_category_set_id (category, sqlite3_column_int64 (stmt, 0));
  kq_category_set_name (category, (const char *) sqlite3_column_text (stmt, 1));
  kq_category_set_slug (category, (const char *) sqlite3_column_text (stmt, 2));
  kq_category_set_count (category, sqlite3_column_int (stmt, 3));
  kq_category_set_parent (category, sqlite3_column_int64 (stmt, 4));
  kq_category_set_link (category, (const char *) sqlite3_column_text (stmt, 5));
  kq_category_set_position (category, sqlite3_column_int (stmt, 6));
  kq_category_set_unread_count (category, sqlite3_column_int (stmt, 7));
  return category;
}

void
_kq_store_job_list_categories (KqStoreDb *db,
                               GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) categories = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = _kq_store_db_prepare (db,
                                     "SELECT c.id, c.name, c.slug, c.count, c.parent, c.link, c.position,"
                                     " (SELECT count (*) FROM article_categories ac"
                                     "  JOIN articles a ON a.rid = ac.article"
                                     "  WHERE ac.category_id = c.id AND a.source_id = c.source_id"
                                     "  AND NOT EXISTS (SELECT 1 FROM read_state r"
                                     "   WHERE r.source = ?1 AND r.article_id = a.id))"
                                     " FROM categories c JOIN sources s ON s.id = c.source_id"
                                     " WHERE s.url = ?1 ORDER BY c.position, c.id", &error)))
    goto fail;
  _kq_store_db_bind_text (stmt, 1, data->source);
  if (!(categories = _kq_store_db_collect (db, stmt, category_from_row, g_object_unref, &error)))
    goto fail;
  for (guint i = 0; i < categories->len; i++)
    kq_category_set_source (g_ptr_array_index (categories, i), data->source);

  _kq_store_return_pointer (task, g_steal_pointer (&categories), (GDestroyNotify) g_ptr_array_unref);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

/* Articles */

void
_kq_store_job_list_articles (KqStoreDb *db,
                             GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  GPtrArray *articles;
  GError *error = NULL;
  sqlite3_stmt *stmt;
  const char *sql;
  gint64 source_id = 0;

  if (data->source != NULL)
    {
      if ((source_id = _kq_store_db_source_id (db, data->source, FALSE, &error)) < 0)
        goto fail;
      if (source_id == 0)
        {
          _kq_store_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                                 (GDestroyNotify) g_ptr_array_unref);
          return;
        }
    }

  /* The page's rows first, then their columns: the sort never carries bodies. */
  if (data->id != 0)
    sql = KQ_STORE_SELECT_ARTICLES (data->light,
                                    " FROM articles a JOIN sources s ON s.id = a.source_id"
                                    " WHERE a.rid IN (SELECT ac.article FROM article_categories ac"
                                    "  JOIN articles b ON b.rid = ac.article"
                                    "  WHERE ac.category_id = ?2 AND (?1 = 0 OR b.source_id = ?1)"
                                    "  ORDER BY b.date DESC, b.id DESC LIMIT ?3 OFFSET ?4)"
                                    " ORDER BY a.date DESC, a.id DESC");
  else if (source_id != 0)
    sql = KQ_STORE_SELECT_ARTICLES (data->light,
                                    " FROM articles a JOIN sources s ON s.id = a.source_id"
                                    " WHERE a.source_id = ?1 AND ?2 = 0"
                                    " ORDER BY a.date DESC, a.id DESC LIMIT ?3 OFFSET ?4");
  else
    sql = KQ_STORE_SELECT_ARTICLES (data->light,
                                    " FROM articles a JOIN sources s ON s.id = a.source_id"
                                    " ORDER BY a.date DESC, a.id DESC LIMIT ?3 OFFSET ?4");

  if (!(stmt = _kq_store_db_prepare (db, sql, &error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_int64 (stmt, 2, data->id);
  sqlite3_bind_int64 (stmt, 3, data->limit > 0 ? (gint64) data->limit : -1);
  sqlite3_bind_int64 (stmt, 4, data->offset);

  if (!(articles = collect_articles (db, stmt, &error)))
    goto fail;
  _kq_store_return_pointer (task, articles, (GDestroyNotify) g_ptr_array_unref);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

static const char get_article_sql[] =
  "SELECT " KQ_STORE_ARTICLE_COLUMNS
  " FROM articles a JOIN sources s ON s.id = a.source_id"
  " WHERE s.url = ?1 AND a.id = ?2";
static const char get_light_article_sql[] =
  "SELECT " KQ_STORE_LIGHT_ARTICLE_COLUMNS
  " FROM articles a JOIN sources s ON s.id = a.source_id"
  " WHERE s.url = ?1 AND a.id = ?2";

void
_kq_store_job_get_article (KqStoreDb *db,
                           GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  KqArticle *article = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = _kq_store_db_prepare (db, get_article_sql, &error)))
    goto fail;
  _kq_store_db_bind_text (stmt, 1, data->source);
  sqlite3_bind_int64 (stmt, 2, data->id);
  if (!_kq_store_step_article (db, stmt, _kq_store_article_from_row, &article, &error))
    goto fail;

  if (article == NULL)
    {
      /* Pruned from the cache, or gone from the site: the bookmark keeps a copy. */
      if (!(stmt = _kq_store_db_prepare (db,
                                         "SELECT " KQ_STORE_BOOKMARK_COLUMNS " FROM bookmarks b"
                                         " WHERE b.source = ?1 AND b.article_id = ?2", &error)))
        goto fail;
      _kq_store_db_bind_text (stmt, 1, data->source);
      sqlite3_bind_int64 (stmt, 2, data->id);
      if (!_kq_store_step_article (db, stmt, _kq_store_bookmark_from_row, &article, &error))
        goto fail;
    }

  return_article (db, task, article);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

/* The forms a permalink takes: with and without the trailing slash, over
 * http and https, never with a fragment. */
static GPtrArray *
link_variants (const char *link)
{
  GPtrArray *variants = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = g_strndup (link, strcspn (link, "#"));
  gsize len = strlen (base);
  const char *rest = NULL;

  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';

  if (g_str_has_prefix (base, "https://"))
    rest = base + strlen ("https://");
  else if (g_str_has_prefix (base, "http://"))
    rest = base + strlen ("http://");

  if (rest != NULL)
    {
      g_ptr_array_add (variants, g_strconcat ("https://", rest, NULL));
      g_ptr_array_add (variants, g_strconcat ("https://", rest, "/", NULL));
      g_ptr_array_add (variants, g_strconcat ("http://", rest, NULL));
      g_ptr_array_add (variants, g_strconcat ("http://", rest, "/", NULL));
    }
  else
    {
      g_ptr_array_add (variants, g_strdup (base));
      g_ptr_array_add (variants, g_strconcat (base, "/", NULL));
      g_ptr_array_add (variants, g_strdup (base));
      g_ptr_array_add (variants, g_strconcat (base, "/", NULL));
    }

  return variants;
}

void
_kq_store_job_get_article_by_link (KqStoreDb *db,
                                   GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) variants = link_variants (data->text);
  KqArticle *article = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;

  /* The newest if the site ever reused a permalink. */
  if (!(stmt = _kq_store_db_prepare (db,
                                     "SELECT " KQ_STORE_ARTICLE_COLUMNS
                                     " FROM articles a JOIN sources s ON s.id = a.source_id"
                                     " WHERE s.url = ?1 AND a.link IN (?2, ?3, ?4, ?5)"
                                     " ORDER BY a.date DESC LIMIT 1", &error)))
    goto fail;
  _kq_store_db_bind_text (stmt, 1, data->source);
  for (guint i = 0; i < 4; i++)
    _kq_store_db_bind_text (stmt, 2 + i, g_ptr_array_index (variants, i));
  if (!_kq_store_step_article (db, stmt, _kq_store_article_from_row, &article, &error))
    goto fail;

  if (article == NULL)
    {
      /* Pruned from the cache: a bookmark keeps its copy. */
      if (!(stmt = _kq_store_db_prepare (db,
                                         "SELECT " KQ_STORE_BOOKMARK_COLUMNS " FROM bookmarks b"
                                         " WHERE b.source = ?1 AND b.link IN (?2, ?3, ?4, ?5)"
                                         " ORDER BY b.date DESC LIMIT 1", &error)))
        goto fail;
      _kq_store_db_bind_text (stmt, 1, data->source);
      for (guint i = 0; i < 4; i++)
        _kq_store_db_bind_text (stmt, 2 + i, g_ptr_array_index (variants, i));
      if (!_kq_store_step_article (db, stmt, _kq_store_bookmark_from_row, &article, &error))
        goto fail;
    }

  return_article (db, task, article);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

void
_kq_store_job_get_articles_by_ids (KqStoreDb *db,
                                   GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) articles = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;

  for (guint i = 0; i < data->ids->len; i++)
    {
      KqArticle *article = NULL;
      sqlite3_stmt *stmt;

      if (!(stmt = _kq_store_db_prepare (db, data->light ? get_light_article_sql : get_article_sql,
                                         &error)))
        goto fail;
      _kq_store_db_bind_text (stmt, 1, data->source);
      sqlite3_bind_int64 (stmt, 2, g_array_index (data->ids, gint64, i));
      if (!_kq_store_step_article (db, stmt, _kq_store_article_from_row, &article, &error))
        goto fail;
      if (article != NULL)
        g_ptr_array_add (articles, article);
    }

  _kq_store_return_pointer (task, g_steal_pointer (&articles), (GDestroyNotify) g_ptr_array_unref);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

/* Read state */

void
_kq_store_job_set_read (KqStoreDb *db,
                        GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  GError *error = NULL;
  sqlite3_stmt *stmt;

  if (data->flag)
    stmt = _kq_store_db_prepare (db,
                                 "INSERT OR IGNORE INTO read_state (source, article_id, read_at)"
                                 " VALUES (?1, ?2, ?3)", &error);
  else
    stmt = _kq_store_db_prepare (db,
                                 "DELETE FROM read_state WHERE source = ?1 AND article_id = ?2",
                                 &error);
  if (stmt == NULL)
    goto fail;
  _kq_store_db_bind_text (stmt, 1, data->source);
  sqlite3_bind_int64 (stmt, 2, data->id);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (!_kq_store_db_step_done (db, stmt, &error))
    goto fail;

  _kq_store_return_boolean (task, TRUE);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

void
_kq_store_job_mark_all_read (KqStoreDb *db,
                             GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  GError *error = NULL;
  sqlite3_stmt *stmt;
  gint64 source_id;

  if ((source_id = _kq_store_db_source_id (db, data->source, FALSE, &error)) < 0)
    goto fail;

  if (data->id == 0)
    stmt = _kq_store_db_prepare (db,
                                 "INSERT OR IGNORE INTO read_state (source, article_id, read_at)"
                                 " SELECT ?1, a.id, ?3 FROM articles a WHERE a.source_id = ?2 AND ?4 = 0",
                                 &error);
  else
    stmt = _kq_store_db_prepare (db,
                                 "INSERT OR IGNORE INTO read_state (source, article_id, read_at)"
                                 " SELECT ?1, a.id, ?3 FROM articles a"
                                 " JOIN article_categories ac ON ac.article = a.rid"
                                 " WHERE a.source_id = ?2 AND ac.category_id = ?4",
                                 &error);
  if (stmt == NULL)
    goto fail;
  _kq_store_db_bind_text (stmt, 1, data->source);
  sqlite3_bind_int64 (stmt, 2, source_id);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 4, data->id);
  if (!_kq_store_db_step_done (db, stmt, &error))
    goto fail;

  _kq_store_return_int (task, sqlite3_changes (db->db));
  return;

fail:
  _kq_store_fail_job (db, task, error);
}

void
_kq_store_job_count_unread (KqStoreDb *db,
                            GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  GError *error = NULL;
  sqlite3_stmt *stmt;
  gint64 source_id;
  gint64 count = 0;
  int rc;

  if ((source_id = _kq_store_db_source_id (db, data->source, FALSE, &error)) < 0)
    goto fail;
  if (source_id == 0)
    {
      _kq_store_return_int (task, 0);
      return;
    }

  if (data->id == 0)
    stmt = _kq_store_db_prepare (db,
                                 "SELECT count (*) FROM articles a"
                                 " WHERE a.source_id = ?2 AND ?3 = 0"
                                 " AND NOT EXISTS (SELECT 1 FROM read_state r"
                                 "  WHERE r.source = ?1 AND r.article_id = a.id)",
                                 &error);
  else
    stmt = _kq_store_db_prepare (db,
                                 "SELECT count (*) FROM article_categories ac"
                                 " JOIN articles a ON a.rid = ac.article"
                                 " WHERE ac.category_id = ?3 AND a.source_id = ?2"
                                 " AND NOT EXISTS (SELECT 1 FROM read_state r"
                                 "  WHERE r.source = ?1 AND r.article_id = a.id)",
                                 &error);
  if (stmt == NULL)
    goto fail;
  _kq_store_db_bind_text (stmt, 1, data->source);
  sqlite3_bind_int64 (stmt, 2, source_id);
  sqlite3_bind_int64 (stmt, 3, data->id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      error = _kq_store_db_error (db, rc);
      goto fail;
    }

  _kq_store_return_int (task, count);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}
