/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kq-store-private.h"
#include "kq-text-private.h"

/* A bookmarks file nests four levels deep; deeper files are refused
 * before json-glib recurses through them. */
#define IMPORT_MAX_DEPTH 64

/*
 * Bookmarks: their own table with their own copy of the article, written
 * with synchronous=FULL (a bookmark that was reported saved survives a power
 * cut, not only a crash), then the JSON backup rewritten atomically
 * (temporary file, fsync, rename: g_file_set_contents_full with
 * CONSISTENT | DURABLE) beside the database. Worker thread only.
 *
 * Bookmarks file format (export, import, and the rolling backup
 * "kiosque-bookmarks.json"), UTF-8 JSON, stable:
 *
 *   {
 *     "format": "kiosque-bookmarks",     required, exactly this
 *     "version": 1,                      required; files with a higher version are refused
 *     "exported": "2024-05-01T12:00:00Z",
 *     "bookmarks": [                     newest saved first
 *       {
 *         "source": "https://kulturegeek.fr",   required: site URL, no trailing slash
 *         "id": 123456,                          required: the article's id on that site
 *         "title": "…",                          required (may be "")
 *         "excerpt": "…",                        plain text, optional
 *         "link": "https://…",                   optional
 *         "date": "2024-04-30T08:00:00Z",        publication date, ISO 8601, optional
 *         "author": "…",                         optional
 *         "categories": ["Apple", "Mobilité"],   optional
 *         "thumbnail": { "url": "…", "width": 300, "height": 200 },   optional
 *         "image": { "url": "…", "width": 1200, "height": 800 },      optional
 *         "images": ["https://…", …],            every image URL of the article, optional
 *         "saved": "2024-05-01T11:59:58.123456Z",   when it was bookmarked, optional
 *         "body_html": "<p>…</p>"                the article's HTML, optional
 *       }
 *     ]
 *   }
 *
 * Readers ignore members they do not know; (source, id) identifies a
 * bookmark, so importing the same file twice adds nothing the second time.
 */

#define BOOKMARKS_FORMAT "kiosque-bookmarks"
#define BOOKMARKS_VERSION 1

void
_kq_store_set_saved_date (KqArticle *article,
                          gint64     saved_usec)
{
  GDateTime *saved = g_date_time_new_from_unix_utc (saved_usec / G_USEC_PER_SEC);
  GDateTime *precise = g_date_time_add (saved, saved_usec % G_USEC_PER_SEC);

  g_date_time_unref (saved);
  g_object_set_data_full (G_OBJECT (article), "kq-store-saved", precise,
                          (GDestroyNotify) g_date_time_unref);
}

/**
 * kq_store_article_get_saved_date:
 * @article: an article from list_bookmarks or get_article
 *
 * Returns: (nullable) (transfer none): when it was bookmarked.
 */
GDateTime *
kq_store_article_get_saved_date (KqArticle *article)
{
  g_return_val_if_fail (KQ_IS_ARTICLE (article), NULL);
  return g_object_get_data (G_OBJECT (article), "kq-store-saved");
}

KqArticle *
_kq_store_bookmark_from_row (sqlite3_stmt *stmt)
{
  KqArticle *article = kq_article_new ();
  g_autoptr(GDateTime) date = _kq_store_db_column_date (stmt, 6);
  g_auto(GStrv) names = _kq_store_db_split_strv ((const char *) sqlite3_column_text (stmt, 8));

  kq_article_set_source (article, (const char *) sqlite3_column_text (stmt, 0));
  kq_article_set_id (article, sqlite3_column_int64 (stmt, 1));
  kq_article_set_title (article, (const char *) sqlite3_column_text (stmt, 2));
  kq_article_set_excerpt (article, (const char *) sqlite3_column_text (stmt, 3));
  kq_article_set_body_html (article, (const char *) sqlite3_column_text (stmt, 4));
  kq_article_set_link (article, (const char *) sqlite3_column_text (stmt, 5));
  kq_article_set_date (article, date);
  kq_article_set_author (article, (const char *) sqlite3_column_text (stmt, 7));
  kq_article_set_category_names (article, (const char * const *) names);
  kq_article_set_thumbnail (article, (const char *) sqlite3_column_text (stmt, 9),
                            sqlite3_column_int (stmt, 10), sqlite3_column_int (stmt, 11));
  kq_article_set_image (article, (const char *) sqlite3_column_text (stmt, 12),
                        sqlite3_column_int (stmt, 13), sqlite3_column_int (stmt, 14));
  kq_article_set_bookmarked (article, TRUE);
  _kq_store_set_saved_date (article, sqlite3_column_int64 (stmt, 15));
  kq_article_set_read (article, sqlite3_column_int (stmt, 16));
  return article;
}

/* JSON */

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  /* Damage inside the database must not make the backup unreadable. */
  if (g_utf8_validate (value, -1, NULL))
    json_builder_add_string_value (builder, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_builder_add_string_value (builder, valid);
    }
}

static void
add_date_member (JsonBuilder *builder,
                 const char  *name,
                 gint64       usec)
{
  g_autoptr(GDateTime) base = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) date = g_date_time_add (base, usec % G_USEC_PER_SEC);
  g_autofree char *text = g_date_time_format_iso8601 (date);

  add_string_member (builder, name, text);
}

static void
add_image_member (JsonBuilder  *builder,
                  const char   *name,
                  sqlite3_stmt *stmt,
                  int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  add_string_member (builder, "url", (const char *) sqlite3_column_text (stmt, column));
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, sqlite3_column_int (stmt, column + 1));
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, sqlite3_column_int (stmt, column + 2));
  json_builder_end_object (builder);
}

/* All bookmarks in the documented format; NULL on error. */
static char *
bookmarks_to_json (KqStoreDb  *db,
                   gint64     *count,
                   GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  sqlite3_stmt *stmt;
  gint64 n = 0;
  int rc;

  if (!(stmt = _kq_store_db_prepare (db,
                                     "SELECT " KQ_STORE_BOOKMARK_COLUMNS ", b.image_urls"
                                     " FROM bookmarks b ORDER BY b.saved_at DESC, b.rowid DESC",
                                     error)))
    return NULL;

  json_builder_begin_object (builder);
  add_string_member (builder, "format", BOOKMARKS_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, BOOKMARKS_VERSION);
  add_date_member (builder, "exported", g_get_real_time ());
  json_builder_set_member_name (builder, "bookmarks");
  json_builder_begin_array (builder);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(GStrv) names = _kq_store_db_split_strv ((const char *) sqlite3_column_text (stmt, 8));
      const char *images = (const char *) sqlite3_column_text (stmt, 17);

      json_builder_begin_object (builder);
      add_string_member (builder, "source", (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 1));
      add_string_member (builder, "title", (const char *) sqlite3_column_text (stmt, 2));
      add_string_member (builder, "excerpt", (const char *) sqlite3_column_text (stmt, 3));
      add_string_member (builder, "link", (const char *) sqlite3_column_text (stmt, 5));
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        add_date_member (builder, "date", sqlite3_column_int64 (stmt, 6) * G_USEC_PER_SEC);
      add_string_member (builder, "author", (const char *) sqlite3_column_text (stmt, 7));
      if (names != NULL)
        {
          json_builder_set_member_name (builder, "categories");
          json_builder_begin_array (builder);
          for (guint i = 0; names[i] != NULL; i++)
            {
              g_autofree char *valid = g_utf8_make_valid (names[i], -1);

              json_builder_add_string_value (builder, valid);
            }
          json_builder_end_array (builder);
        }
      add_image_member (builder, "thumbnail", stmt, 9);
      add_image_member (builder, "image", stmt, 12);
      if (images != NULL)
        {
          g_autoptr(JsonNode) node = json_from_string (images, NULL);

          if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
            {
              json_builder_set_member_name (builder, "images");
              json_builder_add_value (builder, g_steal_pointer (&node));
            }
        }
      add_date_member (builder, "saved", sqlite3_column_int64 (stmt, 15));
      add_string_member (builder, "body_html", (const char *) sqlite3_column_text (stmt, 4));
      json_builder_end_object (builder);
      n++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, _kq_store_db_error (db, rc));
      return NULL;
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 1);
  json_generator_set_root (generator, root);
  if (count != NULL)
    *count = n;
  return json_generator_to_data (generator, NULL);
}

static GError *
invalid_file_error (void)
{
  return g_error_new_literal (KQ_STORE_ERROR, KQ_STORE_ERROR_INVALID_FILE,
                              _("This file is not a Kiosque bookmarks file."));
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *name,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static void
bind_image (sqlite3_stmt *stmt,
            int           column,
            JsonObject   *entry,
            const char   *name)
{
  JsonNode *node = json_object_get_member (entry, name);
  JsonObject *image;
  gint64 width = 0, height = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      sqlite3_bind_null (stmt, column);
      sqlite3_bind_int (stmt, column + 1, 0);
      sqlite3_bind_int (stmt, column + 2, 0);
      return;
    }
  image = json_node_get_object (node);
  get_int (image, "width", &width);
  get_int (image, "height", &height);
  _kq_store_db_bind_text (stmt, column, get_string (image, "url"));
  sqlite3_bind_int (stmt, column + 1, CLAMP (width, 0, G_MAXINT));
  sqlite3_bind_int (stmt, column + 2, CLAMP (height, 0, G_MAXINT));
}

static gint64
parse_date_usec (const char *text)
{
  g_autoptr(GDateTime) date = NULL;

  if (text == NULL || (date = g_date_time_new_from_iso8601 (text, NULL)) == NULL)
    return G_MININT64;
  return g_date_time_to_unix (date) * G_USEC_PER_SEC + g_date_time_get_microsecond (date);
}

static gboolean set_stamp (KqStoreDb   *db,
                           const char  *stamp,
                           GError     **error);

/*
 * Adds the bookmarks of a JSON document that are not there yet, in one
 * transaction. Returns the number added, -1 on error.
 */
static gint64
import_json (KqStoreDb   *db,
             const char  *contents,
             gsize        length,
             const char  *stamp,
             gint64      *skipped,
             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *fixed = NULL;
  gsize fixed_length = 0;
  JsonObject *root;
  JsonArray *entries;
  JsonNode *node;
  gint64 version = 0, added = 0;
  gint64 now = g_get_real_time ();

  if (skipped != NULL)
    *skipped = 0;
  fixed = _kq_text_json_fix_surrogates (contents, length, &fixed_length);
  if (fixed != NULL)
    {
      contents = fixed;
      length = fixed_length;
    }
  /* Damaged bytes in one entry must not cost the others (json-glib refuses
   * the whole document): they become U+FFFD. */
  if (!g_utf8_validate_len (contents, length, NULL))
    {
      char *valid = g_utf8_make_valid (contents, length);

      g_free (fixed);
      fixed = valid;
      contents = fixed;
      length = strlen (fixed);
    }
  /* Deep or concatenated documents are refused before json-glib sees them;
   * an empty or blank file parses into no root at all. */
  if (_kq_text_json_shape (contents, length, IMPORT_MAX_DEPTH) != KQ_JSON_SHAPE_OK ||
      !json_parser_load_from_data (parser, contents, length, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_propagate_error (error, invalid_file_error ());
      return -1;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (root, "bookmarks");
  if (g_strcmp0 (get_string (root, "format"), BOOKMARKS_FORMAT) != 0 ||
      !get_int (root, "version", &version) ||
      node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_propagate_error (error, invalid_file_error ());
      return -1;
    }
  if (version > BOOKMARKS_VERSION)
    {
      g_set_error_literal (error, KQ_STORE_ERROR, KQ_STORE_ERROR_INVALID_FILE,
                           _("This bookmarks file was made by a newer version of Kiosque."));
      return -1;
    }
  entries = json_node_get_array (node);

  if (!_kq_store_db_begin (db, error))
    return -1;

  /* Oldest first, so that equal saved dates keep the file's order. */
  for (guint i = json_array_get_length (entries); i-- > 0;)
    {
      JsonNode *entry_node = json_array_get_element (entries, i);
      JsonObject *entry;
      JsonNode *list;
      g_autofree char *names = NULL;
      g_autofree char *images = NULL;
      const char *source, *title;
      sqlite3_stmt *stmt;
      gint64 id, date, saved;

      if (!JSON_NODE_HOLDS_OBJECT (entry_node))
        {
          if (skipped != NULL)
            (*skipped)++;
          continue;
        }
      entry = json_node_get_object (entry_node);
      source = get_string (entry, "source");
      title = get_string (entry, "title");
      if (source == NULL || !get_int (entry, "id", &id))
        {
          g_debug ("Skipping a bookmark without source or id");
          if (skipped != NULL)
            (*skipped)++;
          continue;
        }

      list = json_object_get_member (entry, "categories");
      if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
        {
          JsonArray *array = json_node_get_array (list);
          g_autoptr(GPtrArray) strv = g_ptr_array_new ();

          for (guint j = 0; j < json_array_get_length (array); j++)
            {
              JsonNode *item = json_array_get_element (array, j);

              if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
                g_ptr_array_add (strv, (gpointer) json_node_get_string (item));
            }
          g_ptr_array_add (strv, NULL);
          names = _kq_store_db_join_strv ((const char * const *) strv->pdata);
        }

      list = json_object_get_member (entry, "images");
      if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
        images = _kq_store_image_urls_from_list (json_node_get_array (list));
      else
        images = _kq_store_image_urls_json (get_string (entry, "body_html"), NULL, NULL);

      if (!(stmt = _kq_store_db_prepare (db,
                                         "INSERT OR IGNORE INTO bookmarks (source, article_id, title,"
                                         " excerpt, body_html, link, date, author, category_names,"
                                         " thumbnail_url, thumbnail_width, thumbnail_height, image_url,"
                                         " image_width, image_height, saved_at, image_urls)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                                         " ?13, ?14, ?15, ?16, ?17)", error)))
        goto fail;
      sqlite3_bind_text (stmt, 1, source, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      sqlite3_bind_text (stmt, 3, title != NULL ? title : "", -1, SQLITE_STATIC);
      _kq_store_db_bind_text (stmt, 4, get_string (entry, "excerpt"));
      _kq_store_db_bind_text (stmt, 5, get_string (entry, "body_html"));
      _kq_store_db_bind_text (stmt, 6, get_string (entry, "link"));
      date = parse_date_usec (get_string (entry, "date"));
      if (date != G_MININT64)
        sqlite3_bind_int64 (stmt, 7, date / G_USEC_PER_SEC);
      else
        sqlite3_bind_null (stmt, 7);
      _kq_store_db_bind_text (stmt, 8, get_string (entry, "author"));
      _kq_store_db_bind_text (stmt, 9, names);
      bind_image (stmt, 10, entry, "thumbnail");
      bind_image (stmt, 13, entry, "image");
      saved = parse_date_usec (get_string (entry, "saved"));
      sqlite3_bind_int64 (stmt, 16, saved != G_MININT64 ? saved : now);
      _kq_store_db_bind_text (stmt, 17, images);
      if (!_kq_store_db_step_done (db, stmt, error))
        goto fail;
      added += sqlite3_changes (db->db);
    }

  /* In the same transaction: the backup counts as absorbed only if its
   * bookmarks are. */
  if (stamp != NULL && !set_stamp (db, stamp, error))
    goto fail;
  if (!_kq_store_db_commit (db, error))
    return -1;
  return added;

fail:
  _kq_store_db_rollback (db);
  return -1;
}

/* The backup file as it is now (size, time, inode: a rewrite is a new file),
 * or NULL when there is none. */
static char *
backup_stamp (KqStoreDb *db)
{
  GStatBuf buf;

  if (g_stat (db->backup_path, &buf) != 0)
    return NULL;

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ".%09ld:%" G_GUINT64_FORMAT,
                          (gint64) buf.st_size, (gint64) buf.st_mtim.tv_sec,
                          (long) buf.st_mtim.tv_nsec, (guint64) buf.st_ino);
}

static char *
stored_stamp (KqStoreDb *db)
{
  sqlite3_stmt *stmt = _kq_store_db_prepare (db, "SELECT value FROM meta WHERE key = 'backup_stamp'",
                                             NULL);
  char *stamp = NULL;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    stamp = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return stamp;
}

static gboolean
set_stamp (KqStoreDb   *db,
           const char  *stamp,
           GError     **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _kq_store_db_prepare (db,
                                     "INSERT OR REPLACE INTO meta (key, value)"
                                     " VALUES ('backup_stamp', ?1)", error)))
    return FALSE;
  _kq_store_db_bind_text (stmt, 1, stamp);
  return _kq_store_db_step_done (db, stmt, error);
}

/* A temporary this old was not being written by anyone (a rewrite takes
 * milliseconds): a store closing in this process, or another Kiosque, may be
 * writing a younger one right now. */
#define STALE_TEMPORARY_AGE_S 600

/* g_file_set_contents_full() writes beside the backup, then renames: a kill
 * in between leaves "kiosque-bookmarks.json.XXXXXX" behind. */
static void
remove_stale_temporaries (KqStoreDb *db)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *dir_path = g_path_get_dirname (db->backup_path);
  g_autofree char *base = g_path_get_basename (db->backup_path);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  gsize base_length = strlen (base);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (strncmp (name, base, base_length) == 0 && name[base_length] == '.' &&
          strlen (name + base_length + 1) == 6)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          GStatBuf buf;

          if (g_stat (path, &buf) != 0 || (gint64) buf.st_mtime > now - STALE_TEMPORARY_AGE_S)
            continue;
          g_debug ("Removing %s, left by an interrupted backup", path);
          g_unlink (path);
        }
    }
}

/*
 * At open: takes in every bookmark the backup has that the database lacks,
 * unless the database already absorbed (or wrote) this very file. That covers
 * a new or rebuilt database, a kill between its schema and the restore, and
 * a database that lost its last changes (a damaged or missing -wal): the
 * backup, always rewritten after them, still has them. Returns how many were
 * added (@skipped: entries that could not be read), -1 with @error.
 */
gint64
_kq_store_restore_backup (KqStoreDb  *db,
                          gint64     *skipped,
                          GError    **error)
{
  g_autofree char *stamp = NULL;
  g_autofree char *known = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  gint64 added;

  if (skipped != NULL)
    *skipped = 0;
  if (!db->in_memory)
    remove_stale_temporaries (db);
  if ((stamp = backup_stamp (db)) == NULL)
    return 0;
  if (!db->in_memory && (known = stored_stamp (db)) != NULL && g_str_equal (known, stamp))
    return 0;

  g_debug ("Reading the bookmarks backup %s", db->backup_path);
  if (!g_file_get_contents (db->backup_path, &contents, &length, error))
    return -1;
  /* Durable: restored bookmarks must not depend on the backup any more. */
  sqlite3_exec (db->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  added = import_json (db, contents, length, db->in_memory ? NULL : stamp, skipped, error);
  sqlite3_exec (db->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  return added;
}

/* Rewrites the rolling backup; a failure is logged, the database stays the reference. */
static void
write_backup (KqStoreDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  /* From memory the file is not ours to write (read-only, or a newer version's). */
  if (db->in_memory)
    return;

  if (!(json = bookmarks_to_json (db, NULL, &error)) ||
      !g_file_set_contents_full (db->backup_path, json, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    {
      g_warning ("Could not write the bookmarks backup %s: %s", db->backup_path, error->message);
      return;
    }

  /* Written from the database: nothing in it for the next start to take in. */
  {
    g_autofree char *stamp = backup_stamp (db);

    if (stamp != NULL && !set_stamp (db, stamp, &error))
      g_warning ("Could not note the bookmarks backup: %s", error->message);
  }
}

/* Jobs */

static gboolean
begin_durable (KqStoreDb  *db,
               GError    **error)
{
  if (!_kq_store_db_exec (db, "PRAGMA synchronous = FULL", error))
    return FALSE;
  return _kq_store_db_begin (db, error);
}

static void
end_durable (KqStoreDb *db)
{
  _kq_store_db_rollback (db);
  sqlite3_exec (db->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
}

void
_kq_store_job_add_bookmark (KqStoreDb *db,
                            GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  KqArticle *article = data->article;
  g_autofree char *names = _kq_store_db_join_strv (kq_article_get_category_names (article));
  g_autofree char *images = NULL;
  const char *body = kq_article_get_body_html (article);
  GError *error = NULL;
  sqlite3_stmt *stmt;

  if (!begin_durable (db, &error))
    goto fail;

  /* An article from a list without its body: take the cached one. */
  if (body == NULL)
    {
      if (!(stmt = _kq_store_db_prepare (db,
                                         "SELECT a.body_html FROM articles a"
                                         " JOIN sources s ON s.id = a.source_id"
                                         " WHERE s.url = ?1 AND a.id = ?2", &error)))
        goto fail;
      _kq_store_db_bind_text (stmt, 1, kq_article_get_source (article));
      sqlite3_bind_int64 (stmt, 2, kq_article_get_id (article));
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
        kq_article_set_body_html (article, (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      body = kq_article_get_body_html (article);
    }
  images = _kq_store_image_urls_json (body, kq_article_get_thumbnail_url (article),
                                      kq_article_get_image_url (article));

  /* Adding again refreshes the copy and keeps the date saved (and an older body if none now). */
  if (!(stmt = _kq_store_db_prepare (db,
                                     "INSERT INTO bookmarks (source, article_id, title, excerpt,"
                                     " body_html, link, date, author, category_names, thumbnail_url,"
                                     " thumbnail_width, thumbnail_height, image_url, image_width,"
                                     " image_height, saved_at, image_urls)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                                     " ?13, ?14, ?15, ?16, ?17)"
                                     " ON CONFLICT (source, article_id) DO UPDATE SET"
                                     " title = excluded.title, excerpt = excluded.excerpt,"
                                     " body_html = COALESCE (excluded.body_html, body_html),"
                                     " link = excluded.link, date = excluded.date,"
                                     " author = excluded.author,"
                                     " category_names = excluded.category_names,"
                                     " thumbnail_url = excluded.thumbnail_url,"
                                     " thumbnail_width = excluded.thumbnail_width,"
                                     " thumbnail_height = excluded.thumbnail_height,"
                                     " image_url = excluded.image_url,"
                                     " image_width = excluded.image_width,"
                                     " image_height = excluded.image_height,"
                                     " image_urls = excluded.image_urls", &error)))
    goto fail;
  _kq_store_db_bind_text (stmt, 1, kq_article_get_source (article) ? kq_article_get_source (article) : "");
  sqlite3_bind_int64 (stmt, 2, kq_article_get_id (article));
  sqlite3_bind_text (stmt, 3, kq_article_get_title (article) ? kq_article_get_title (article) : "",
                     -1, SQLITE_TRANSIENT);
  _kq_store_db_bind_text (stmt, 4, kq_article_get_excerpt (article));
  _kq_store_db_bind_text (stmt, 5, body);
  _kq_store_db_bind_text (stmt, 6, kq_article_get_link (article));
  _kq_store_db_bind_date (stmt, 7, kq_article_get_date (article));
  _kq_store_db_bind_text (stmt, 8, kq_article_get_author (article));
  _kq_store_db_bind_text (stmt, 9, names);
  _kq_store_db_bind_text (stmt, 10, kq_article_get_thumbnail_url (article));
  sqlite3_bind_int (stmt, 11, kq_article_get_thumbnail_width (article));
  sqlite3_bind_int (stmt, 12, kq_article_get_thumbnail_height (article));
  _kq_store_db_bind_text (stmt, 13, kq_article_get_image_url (article));
  sqlite3_bind_int (stmt, 14, kq_article_get_image_width (article));
  sqlite3_bind_int (stmt, 15, kq_article_get_image_height (article));
  sqlite3_bind_int64 (stmt, 16, g_get_real_time ());
  _kq_store_db_bind_text (stmt, 17, images);
  if (!_kq_store_db_step_done (db, stmt, &error) ||
      !_kq_store_db_commit (db, &error))
    goto fail;
  end_durable (db);

  write_backup (db);
  _kq_store_return_boolean (task, TRUE);
  return;

fail:
  end_durable (db);
  _kq_store_return_error (task, error);
}

void
_kq_store_job_remove_bookmark (KqStoreDb *db,
                               GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  GError *error = NULL;
  sqlite3_stmt *stmt;

  if (!begin_durable (db, &error))
    goto fail;
  if (!(stmt = _kq_store_db_prepare (db,
                                     "DELETE FROM bookmarks WHERE source = ?1 AND article_id = ?2",
                                     &error)))
    goto fail;
  _kq_store_db_bind_text (stmt, 1, data->source);
  sqlite3_bind_int64 (stmt, 2, data->id);
  if (!_kq_store_db_step_done (db, stmt, &error) ||
      !_kq_store_db_commit (db, &error))
    goto fail;
  end_durable (db);

  write_backup (db);
  _kq_store_return_boolean (task, TRUE);
  return;

fail:
  end_durable (db);
  _kq_store_return_error (task, error);
}

void
_kq_store_job_list_bookmarks (KqStoreDb *db,
                              GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) articles = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = _kq_store_db_prepare (db,
                                     data->light
                                     ? "SELECT " KQ_STORE_BOOKMARK_LIGHT_COLUMNS
                                       " FROM bookmarks b ORDER BY b.saved_at DESC, b.rowid DESC"
                                     : "SELECT " KQ_STORE_BOOKMARK_COLUMNS
                                       " FROM bookmarks b ORDER BY b.saved_at DESC, b.rowid DESC",
                                     &error)) ||
      !(articles = _kq_store_db_collect (db, stmt,
                                         (gpointer (*) (sqlite3_stmt *)) _kq_store_bookmark_from_row,
                                         g_object_unref, &error)))
    goto fail;

  _kq_store_return_pointer (task, g_steal_pointer (&articles), (GDestroyNotify) g_ptr_array_unref);
  return;

fail:
  _kq_store_return_error (task, error);
}

void
_kq_store_job_is_bookmarked (KqStoreDb *db,
                             GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  GError *error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _kq_store_db_prepare (db,
                                     "SELECT 1 FROM bookmarks WHERE source = ?1 AND article_id = ?2",
                                     &error)))
    {
      _kq_store_return_error (task, error);
      return;
    }
  _kq_store_db_bind_text (stmt, 1, data->source);
  sqlite3_bind_int64 (stmt, 2, data->id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    _kq_store_return_boolean (task, TRUE);
  else if (rc == SQLITE_DONE)
    _kq_store_return_boolean (task, FALSE);
  else
    _kq_store_return_error (task, _kq_store_db_error (db, rc));
}

static gboolean
replace_file (GFile         *file,
              const char    *contents,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_replace_contents (file, contents, strlen (contents), NULL, FALSE,
                                G_FILE_CREATE_NONE, NULL, cancellable, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, KQ_STORE_ERROR,
                     g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ?
                     KQ_STORE_ERROR_DISK_FULL : KQ_STORE_ERROR_FAILED,
                     _("Could not write “%s”: %s"), name, local_error->message);
      return FALSE;
    }
  return TRUE;
}

void
_kq_store_job_export_bookmarks (KqStoreDb *db,
                                GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  g_autofree char *json = NULL;
  GError *error = NULL;
  gint64 count = 0;

  if (!(json = bookmarks_to_json (db, &count, &error)) ||
      !replace_file (data->file, json, g_task_get_cancellable (task), &error))
    {
      _kq_store_return_error (task, error);
      return;
    }
  _kq_store_return_int (task, count);
}

void
_kq_store_job_import_bookmarks (KqStoreDb *db,
                                GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  g_autoptr(GError) load_error = NULL;
  g_autofree char *contents = NULL;
  GError *error = NULL;
  gsize length;
  gint64 added;

  if (!g_file_load_contents (data->file, g_task_get_cancellable (task), &contents, &length,
                             NULL, &load_error))
    {
      g_autofree char *name = g_file_get_parse_name (data->file);

      if (g_error_matches (load_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _kq_store_return_error (task, g_steal_pointer (&load_error));
      else
        _kq_store_return_error (task, g_error_new (KQ_STORE_ERROR, KQ_STORE_ERROR_FAILED,
                                                   _("Could not read “%s”: %s"),
                                                   name, load_error->message));
      return;
    }

  if (!_kq_store_db_exec (db, "PRAGMA synchronous = FULL", &error))
    {
      _kq_store_return_error (task, error);
      return;
    }
  added = import_json (db, contents, length, NULL, NULL, &error);
  end_durable (db);
  if (added < 0)
    {
      _kq_store_return_error (task, error);
      return;
    }
  if (added > 0)
    write_backup (db);
  _kq_store_return_int (task, added);
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

void
_kq_store_job_export_html (KqStoreDb *db,
                           GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  g_autoptr(GString) html = g_string_new (NULL);
  GError *error = NULL;
  sqlite3_stmt *stmt;
  gint64 count = 0;
  int rc;

  if (!(stmt = _kq_store_db_prepare (db,
                                     "SELECT " KQ_STORE_BOOKMARK_COLUMNS
                                     " FROM bookmarks b ORDER BY b.saved_at DESC, b.rowid DESC",
                                     &error)))
    goto fail;

  /* The Netscape bookmark file that Firefox, Chromium and Epiphany import. */
  g_string_append (html,
                   "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
                   "<!-- This is an automatically generated file.\n"
                   "     It will be read and overwritten.\n"
                   "     DO NOT EDIT! -->\n"
                   "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n"
                   "<TITLE>Bookmarks</TITLE>\n"
                   "<H1>Bookmarks</H1>\n"
                   "<DL><p>\n"
                   "    <DT><H3>");
  /* Translators: the folder that holds the exported bookmarks in a browser. */
  append_escaped (html, _("Kiosque bookmarks"));
  g_string_append (html, "</H3>\n    <DL><p>\n");

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *link = (const char *) sqlite3_column_text (stmt, 5);
      const char *excerpt = (const char *) sqlite3_column_text (stmt, 3);

      if (link == NULL || *link == '\0')
        continue;
      g_string_append (html, "        <DT><A HREF=\"");
      append_escaped (html, link);
      g_string_append_printf (html, "\" ADD_DATE=\"%" G_GINT64_FORMAT "\">",
                              (gint64) (sqlite3_column_int64 (stmt, 15) / G_USEC_PER_SEC));
      append_escaped (html, (const char *) sqlite3_column_text (stmt, 2));
      g_string_append (html, "</A>\n");
      if (excerpt != NULL && *excerpt != '\0')
        {
          g_string_append (html, "        <DD>");
          append_escaped (html, excerpt);
          g_string_append_c (html, '\n');
        }
      count++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      error = _kq_store_db_error (db, rc);
      goto fail;
    }
  g_string_append (html, "    </DL><p>\n</DL><p>\n");

  if (!replace_file (data->file, html->str, g_task_get_cancellable (task), &error))
    goto fail;
  _kq_store_return_int (task, count);
  return;

fail:
  _kq_store_return_error (task, error);
}
