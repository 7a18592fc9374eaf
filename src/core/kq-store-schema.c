/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include "kq-store-private.h"

/*
 * The database schema, as SQL: version 1 as first created, then one
 * migration per later version. Schema history (PRAGMA user_version):
 *   0  empty file
 *   1  sources, categories, articles, article_categories, read_state,
 *      bookmarks, validators
 *   2  + articles.body_text and the FTS5 index over title, excerpt, body_text
 *      (external content, kept in sync by triggers), bookmarks.image_urls,
 *      validators.body
 *   3  + validators.headers (the response headers a 304 needs again)
 *   4  + meta (key, value): what the database knows of its bookmarks backup
 *      ("backup_stamp": the file it last absorbed or wrote)
 *   5  + sources.mode, sources.api_root, sources.feed_url, sources.title:
 *      what discovery found, kept between starts (NULL until a source is
 *      discovered)
 * A new version adds a migration to the switch below (run in a transaction,
 * tested from every earlier version in tests/test-store.c).
 */

const char * const _kq_store_schema_v1_sql =
  "CREATE TABLE sources ("
  "  id INTEGER PRIMARY KEY,"
  "  url TEXT NOT NULL UNIQUE);"
  "CREATE TABLE categories ("
  "  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,"
  "  id INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  slug TEXT,"
  "  count INTEGER NOT NULL DEFAULT 0,"
  "  parent INTEGER NOT NULL DEFAULT 0,"
  "  link TEXT,"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (source_id, id));"
  "CREATE TABLE articles ("
  "  rid INTEGER PRIMARY KEY,"
  "  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,"
  "  id INTEGER NOT NULL,"
  "  title TEXT NOT NULL DEFAULT '',"
  "  excerpt TEXT,"
  "  link TEXT,"
  "  date INTEGER,"
  "  modified INTEGER,"
  "  author TEXT,"
  "  category_names TEXT,"
  "  tags TEXT,"
  "  thumbnail_url TEXT,"
  "  thumbnail_width INTEGER NOT NULL DEFAULT 0,"
  "  thumbnail_height INTEGER NOT NULL DEFAULT 0,"
  "  image_url TEXT,"
  "  image_width INTEGER NOT NULL DEFAULT 0,"
  "  image_height INTEGER NOT NULL DEFAULT 0,"
  "  comment_count INTEGER NOT NULL DEFAULT 0,"
  "  comments_open INTEGER NOT NULL DEFAULT 1,"
  "  reading_minutes INTEGER NOT NULL DEFAULT 0,"
  "  fetched_at INTEGER NOT NULL,"
  /* Big columns last: reading the small ones never walks a body's overflow pages. */
  "  body_html TEXT,"
  "  UNIQUE (source_id, id));"
  "CREATE INDEX articles_by_date ON articles (source_id, date DESC, id DESC);"
  "CREATE INDEX articles_by_date_all ON articles (date DESC, id DESC);"
  "CREATE TABLE article_categories ("
  "  article INTEGER NOT NULL REFERENCES articles (rid) ON DELETE CASCADE,"
  "  category_id INTEGER NOT NULL,"
  "  PRIMARY KEY (article, category_id)) WITHOUT ROWID;"
  "CREATE INDEX article_categories_by_category ON article_categories (category_id, article);"
  "CREATE TABLE read_state ("
  "  source TEXT NOT NULL,"
  "  article_id INTEGER NOT NULL,"
  "  read_at INTEGER NOT NULL,"
  "  PRIMARY KEY (source, article_id)) WITHOUT ROWID;"
  "CREATE TABLE bookmarks ("
  "  source TEXT NOT NULL,"
  "  article_id INTEGER NOT NULL,"
  "  title TEXT NOT NULL DEFAULT '',"
  "  excerpt TEXT,"
  "  link TEXT,"
  "  date INTEGER,"
  "  author TEXT,"
  "  category_names TEXT,"
  "  thumbnail_url TEXT,"
  "  thumbnail_width INTEGER NOT NULL DEFAULT 0,"
  "  thumbnail_height INTEGER NOT NULL DEFAULT 0,"
  "  image_url TEXT,"
  "  image_width INTEGER NOT NULL DEFAULT 0,"
  "  image_height INTEGER NOT NULL DEFAULT 0,"
  "  saved_at INTEGER NOT NULL,"
  "  body_html TEXT,"
  "  PRIMARY KEY (source, article_id));"
  "CREATE INDEX bookmarks_by_saved ON bookmarks (saved_at DESC);"
  "CREATE TABLE validators ("
  "  url TEXT PRIMARY KEY,"
  "  etag TEXT,"
  "  last_modified TEXT,"
  "  updated_at INTEGER NOT NULL) WITHOUT ROWID;";

#define KQ_STORE_FTS_DELETE_TRIGGER \
  "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN" \
  "  INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)" \
  "    VALUES ('delete', old.rid, old.title, old.excerpt, old.body_text);" \
  "END;"

const char * const _kq_store_fts_delete_trigger_sql = KQ_STORE_FTS_DELETE_TRIGGER;

static const char migration_v2_sql[] =
  "ALTER TABLE articles ADD COLUMN body_text TEXT;"
  "ALTER TABLE bookmarks ADD COLUMN image_urls TEXT;"
  "ALTER TABLE validators ADD COLUMN body BLOB;"
  "UPDATE articles SET body_text = kq_html_to_text (body_html);"
  "UPDATE bookmarks SET image_urls = kq_image_urls (body_html, thumbnail_url, image_url);"
  "CREATE VIRTUAL TABLE articles_fts USING fts5 ("
  "  title, excerpt, body_text,"
  "  content = 'articles', content_rowid = 'rid',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');"
  "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');"
  "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
  "  INSERT INTO articles_fts (rowid, title, excerpt, body_text)"
  "    VALUES (new.rid, new.title, new.excerpt, new.body_text);"
  "END;"
  KQ_STORE_FTS_DELETE_TRIGGER
  "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, excerpt, body_text ON articles BEGIN"
  "  INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body_text)"
  "    VALUES ('delete', old.rid, old.title, old.excerpt, old.body_text);"
  "  INSERT INTO articles_fts (rowid, title, excerpt, body_text)"
  "    VALUES (new.rid, new.title, new.excerpt, new.body_text);"
  "END;";

static const char migration_v3_sql[] =
  "ALTER TABLE validators ADD COLUMN headers TEXT;";

static const char migration_v4_sql[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;";

static const char migration_v5_sql[] =
  "ALTER TABLE sources ADD COLUMN mode TEXT;"
  "ALTER TABLE sources ADD COLUMN api_root TEXT;"
  "ALTER TABLE sources ADD COLUMN feed_url TEXT;"
  "ALTER TABLE sources ADD COLUMN title TEXT;";

const char *
_kq_store_schema_migration_sql (gint64 from)
{
  G_STATIC_ASSERT (KQ_STORE_SCHEMA_VERSION == 5);

  switch (from)
    {
    case 0:
      return _kq_store_schema_v1_sql;
    case 1:
      return migration_v2_sql;
    case 2:
      return migration_v3_sql;
    case 3:
      return migration_v4_sql;
    case 4:
      return migration_v5_sql;
    default:
      g_assert_not_reached ();
    }
}
