/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <utime.h>

#include "kq-store.h"
#include "kq-test-wait.h"

/*
 * The bookmarks backup (kiosque-bookmarks.json) and the database agree at
 * every open, whatever happened between: a kill after the schema of a new
 * database but before its restore, a database that lost its last changes
 * (a damaged or missing -wal, a copy without it), damaged bytes in the
 * backup or in the database, temporary files left by a kill during a
 * rewrite. Each case has its own data folder (G_TEST_OPTION_ISOLATE_DIRS).
 */

#define SOURCE "https://kulturegeek.fr"

static char *
db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "kiosque", "kiosque.db", NULL);
}

static char *
backup_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "kiosque", "kiosque-bookmarks.json", NULL);
}

static KqStore *
open_store (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  KqStore *store = kq_store_new (NULL);

  kq_store_open_async (store, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 10000);
  g_assert_true (kq_store_open_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_false (kq_store_get_in_memory (store));

  return store;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Lets go of @store and waits until it is finalized: its database closed
 * (WAL checkpointed and removed), as when Kiosque quits. */
static void
close_store (KqStore **store)
{
  KqStore *weak = *store;

  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  g_clear_object (store);
  g_assert_true (kq_test_wait_for (is_null, &weak, 5000));
}

static void
add_bookmark (KqStore *store,
              gint64   id)
{
  g_autoptr(KqArticle) article = kq_article_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strdup_printf ("Favori numéro %" G_GINT64_FORMAT, id);
  GAsyncResult *pending = NULL;

  kq_article_set_source (article, SOURCE);
  kq_article_set_id (article, id);
  kq_article_set_title (article, title);
  kq_article_set_body_html (article, "<p>Un article gardé pour plus tard, hors ligne aussi.</p>");
  kq_store_add_bookmark_async (store, article, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 5000);
  g_assert_true (kq_store_add_bookmark_finish (store, result, &error));
  g_assert_no_error (error);
}

static GPtrArray *
list_bookmarks (KqStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  GPtrArray *bookmarks;

  kq_store_list_bookmarks_async (store, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 5000);
  bookmarks = kq_store_list_bookmarks_finish (store, result, &error);
  g_assert_no_error (error);

  return bookmarks;
}

static guint
n_bookmarks (KqStore *store)
{
  g_autoptr(GPtrArray) bookmarks = list_bookmarks (store);

  return bookmarks->len;
}

/* Renames @path (and its -wal, -shm) to @path@suffix, or back. */
static void
move_files (const char *from,
            const char *to)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *a = g_strconcat (from, suffixes[i], NULL);
      g_autofree char *b = g_strconcat (to, suffixes[i], NULL);

      g_unlink (b);
      if (g_file_test (a, G_FILE_TEST_EXISTS))
        g_assert_cmpint (g_rename (a, b), ==, 0);
    }
}

/* 1. A new database committed its schema, then was killed before taking
 * the backup in: the next start must still take it in. */
static void
test_restore_after_kill_before_restore (void)
{
  g_autofree char *path = db_path ();
  g_autofree char *backup = backup_path ();
  g_autofree char *aside = g_strconcat (backup, ".aside", NULL);
  g_autofree char *lost = g_strconcat (path, ".lost", NULL);
  g_autoptr(KqStore) store = open_store ();
  gint64 not_restored = -1;

  for (gint64 id = 1; id <= 5; id++)
    add_bookmark (store, id);
  close_store (&store);
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));

  /* The database is lost; a new one gets its schema but not the backup's
   * bookmarks (the backup is out of reach for that start). */
  move_files (path, lost);
  g_assert_cmpint (g_rename (backup, aside), ==, 0);
  store = open_store ();
  g_assert_cmpuint (n_bookmarks (store), ==, 0);
  close_store (&store);
  g_assert_cmpint (g_rename (aside, backup), ==, 0);

  /* The next start takes them in, and says so. */
  store = open_store ();
  g_assert_cmpuint (n_bookmarks (store), ==, 5);
  g_assert_cmpint (kq_store_get_restored (store, &not_restored), ==, 5);
  g_assert_cmpint (not_restored, ==, 0);
  close_store (&store);

  /* Absorbed: the start after that has nothing to take in. */
  store = open_store ();
  g_assert_cmpint (kq_store_get_restored (store, NULL), ==, 0);
  g_assert_cmpuint (n_bookmarks (store), ==, 5);
}

/* 2. A database that lost its last changes (here: last week's copy, as a
 * damaged -wal or a copy without it leaves it) gets them back from the
 * backup, and the backup never shrinks to what the database had. */
static void
test_restore_lost_changes (void)
{
  g_autofree char *path = db_path ();
  g_autofree char *copy = g_strconcat (path, ".copy", NULL);
  g_autofree char *newer = g_strconcat (path, ".newer", NULL);
  gsize length = 0;
  g_autofree char *backup = backup_path ();
  g_autoptr(KqStore) store = open_store ();
  g_autofree char *contents = NULL;

  for (gint64 id = 1; id <= 3; id++)
    add_bookmark (store, id);
  close_store (&store);

  /* The database as it was with three bookmarks. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  g_clear_pointer (&contents, g_free);

  store = open_store ();
  for (gint64 id = 4; id <= 6; id++)
    add_bookmark (store, id);
  close_store (&store);

  /* Its last changes lost. */
  move_files (path, newer);
  g_assert_cmpint (g_rename (copy, path), ==, 0);

  store = open_store ();
  g_assert_cmpuint (n_bookmarks (store), ==, 6);
  g_assert_cmpint (kq_store_get_restored (store, NULL), ==, 3);

  /* The next change rewrites the backup with all of them. */
  add_bookmark (store, 7);
  close_store (&store);
  g_assert_true (g_file_get_contents (backup, &contents, NULL, NULL));
  for (gint64 id = 1; id <= 7; id++)
    {
      g_autofree char *entry = g_strdup_printf ("\"id\" : %" G_GINT64_FORMAT ",", id);

      g_assert_nonnull (strstr (contents, entry));
    }
}

/* 3. Damaged bytes in one entry of the backup cost that entry's text, not
 * the whole file; an entry that cannot be used is counted, not hidden. */
static void
test_restore_damaged_backup (void)
{
  g_autofree char *backup = backup_path ();
  g_autofree char *folder = g_path_get_dirname (backup);
  g_autoptr(KqStore) store = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  gint64 not_restored = -1;
  gboolean damaged_seen = FALSE;

  g_string_append (json, "{ \"format\" : \"kiosque-bookmarks\", \"version\" : 1, \"bookmarks\" : [");
  g_string_append (json, "{ \"source\" : \"" SOURCE "\", \"id\" : 1, \"title\" : \"Intact\","
                         " \"saved\" : \"2026-11-01T10:00:00Z\" },");
  /* A title with bytes that are no UTF-8 (0xff 0xfe): damage on the disk. */
  g_string_append (json, "{ \"source\" : \"" SOURCE "\", \"id\" : 2, \"title\" : \"Ab\xff\xfeme\","
                         " \"saved\" : \"2026-11-02T10:00:00Z\" },");
  g_string_append (json, "{ \"source\" : \"" SOURCE "\", \"title\" : \"Sans identifiant\" },");
  g_string_append (json, "{ \"source\" : \"" SOURCE "\", \"id\" : 4, \"title\" : \"Intact aussi\","
                         " \"saved\" : \"2026-11-03T10:00:00Z\" } ] }");
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (backup, json->str, json->len, NULL));

  store = open_store ();
  bookmarks = list_bookmarks (store);
  g_assert_cmpuint (bookmarks->len, ==, 3);
  g_assert_cmpint (kq_store_get_restored (store, &not_restored), ==, 3);
  g_assert_cmpint (not_restored, ==, 1);
  for (guint i = 0; i < bookmarks->len; i++)
    {
      const char *title = kq_article_get_title (g_ptr_array_index (bookmarks, i));

      g_assert_true (g_utf8_validate (title, -1, NULL));
      if (strstr (title, "\xef\xbf\xbd") != NULL)
        damaged_seen = TRUE;
    }
  g_assert_true (damaged_seen);
}

/* 4. Damage inside the database never makes the backup unreadable. */
static void
test_backup_written_valid (void)
{
  g_autofree char *path = db_path ();
  g_autofree char *backup = backup_path ();
  g_autofree char *lost = g_strconcat (path, ".lost", NULL);
  g_autoptr(KqStore) store = open_store ();
  g_autofree char *contents = NULL;
  sqlite3 *db;

  add_bookmark (store, 1);
  close_store (&store);

  /* Bytes that are no UTF-8 in a stored title. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE bookmarks SET title = CAST (x'41ff42' AS TEXT)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store ();
  add_bookmark (store, 2);
  close_store (&store);

  g_assert_true (g_file_get_contents (backup, &contents, NULL, NULL));
  g_assert_true (g_utf8_validate (contents, -1, NULL));

  /* And it restores whole. */
  move_files (path, lost);
  store = open_store ();
  g_assert_cmpuint (n_bookmarks (store), ==, 2);
}

/* Sets the modification time of @path @seconds back. */
static void
age (const char *path,
     gint64      seconds)
{
  struct utimbuf times;

  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - seconds);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

/* 5. Temporary files a kill left during a rewrite of the backup go (not one
 * being written right now). */
static void
test_stale_temporaries_removed (void)
{
  g_autofree char *backup = backup_path ();
  g_autofree char *folder = g_path_get_dirname (backup);
  g_autofree char *stale1 = g_strconcat (backup, ".Ab3dE9", NULL);
  g_autofree char *stale2 = g_strconcat (backup, ".x7Yq0Z", NULL);
  g_autofree char *other = g_strconcat (backup, ".keep", NULL);
  g_autofree char *young = g_strconcat (backup, ".Zz9yY8", NULL);
  g_autoptr(KqStore) store = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (stale1, "{ \"format\" : \"kiosque-bookm", -1, NULL));
  g_assert_true (g_file_set_contents (stale2, "", -1, NULL));
  g_assert_true (g_file_set_contents (other, "not ours", -1, NULL));
  g_assert_true (g_file_set_contents (young, "{ \"format\" :", -1, NULL));
  /* Left by kills an hour ago; the young one may be another store's, being written. */
  age (stale1, 3600);
  age (stale2, 3600);
  age (other, 3600);

  store = open_store ();
  g_assert_false (g_file_test (stale1, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale2, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young, G_FILE_TEST_EXISTS));
}

static void
add_bookmark_later (KqStore *store,
                    gint64   id)
{
  g_autoptr(KqArticle) article = kq_article_new ();

  kq_article_set_source (article, SOURCE);
  kq_article_set_id (article, id);
  kq_article_set_title (article, "Un favori de plus");
  kq_store_add_bookmark_async (store, article, NULL, NULL, NULL);
}

/* 6. A store opened while the previous one on the same file is still
 * closing (a library let go, the next one made at once) waits for it
 * instead of running from memory, where nothing would be kept. */
static void
test_open_while_previous_closes (void)
{
  for (guint round = 0; round < 30; round++)
    {
      KqStore *previous = open_store ();
      g_autoptr(KqStore) next = NULL;

      add_bookmark (previous, round + 1);
      /* Still busy when let go: it closes the file (a WAL checkpoint) once
       * that job is answered, while the next one opens. */
      add_bookmark_later (previous, 1000 + round);
      g_object_add_weak_pointer (G_OBJECT (previous), (gpointer *) &previous);
      g_object_unref (previous);
      next = open_store ();
      g_assert_false (kq_store_get_in_memory (next));
      /* Once the previous one is gone, everything it wrote is there. */
      g_assert_true (kq_test_wait_for (is_null, &previous, 5000));
      g_assert_cmpuint (n_bookmarks (next), ==, 2 * (round + 1));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kq/store-backup/restore-after-kill-before-restore",
                   test_restore_after_kill_before_restore);
  g_test_add_func ("/kq/store-backup/restore-lost-changes", test_restore_lost_changes);
  g_test_add_func ("/kq/store-backup/restore-damaged-backup", test_restore_damaged_backup);
  g_test_add_func ("/kq/store-backup/backup-written-valid", test_backup_written_valid);
  g_test_add_func ("/kq/store-backup/stale-temporaries-removed", test_stale_temporaries_removed);
  g_test_add_func ("/kq/store-backup/open-while-previous-closes", test_open_while_previous_closes);

  return g_test_run ();
}
