/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kq-store.h"

/*
 * Crash test: a child process (this executable with --child) upserts pages
 * of articles and adds bookmarks in a loop, printing each bookmark id once
 * its add has completed. The parent kills it with SIGKILL at random moments,
 * many times; after each kill the database must open, pass
 * PRAGMA integrity_check, and hold every bookmark whose add had completed.
 */

#define SOURCE "https://crash.example"
#define N_KILLS 25

/* Under AddressSanitizer everything runs several times slower: let the
 * child live longer before the kill so that it still gets work done. */
#if defined(__SANITIZE_ADDRESS__)
# define TIME_FACTOR 5
#else
# define TIME_FACTOR 1
#endif
#define PAGE 20

static GAsyncResult *async_result;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  async_result = g_object_ref (result);
}

static GAsyncResult *
wait_done (void)
{
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&async_result);
}

static KqArticle *
make_article (gint64 id)
{
  KqArticle *article = kq_article_new ();
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (1700000000 + id * 60);
  g_autofree char *title = g_strdup_printf ("Article %" G_GINT64_FORMAT " : essai de robustesse", id);
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; i < 12; i++)
    g_string_append_printf (body,
                            "<p>Paragraphe %u de l’article %" G_GINT64_FORMAT ", assez long pour "
                            "remplir quelques pages de la base : processeur, écran, batterie, "
                            "réseau, logiciel, mise à jour.</p>", i, id);
  g_string_append_printf (body, "<img src=\"https://img.example/%" G_GINT64_FORMAT ".jpg\">", id);

  kq_article_set_source (article, SOURCE);
  kq_article_set_id (article, id);
  kq_article_set_title (article, title);
  kq_article_set_excerpt (article, "Un résumé.");
  kq_article_set_body_html (article, body->str);
  kq_article_set_date (article, date);
  return article;
}

static int
run_child (const char *path,
           gint64      start)
{
  g_autoptr(KqStore) store = kq_store_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_open_async (store, NULL, on_done, NULL);
  result = wait_done ();
  if (!kq_store_open_finish (store, result, &error))
    {
      g_printerr ("child: open failed: %s\n", error->message);
      return 1;
    }
  g_clear_object (&result);

  for (gint64 base = start;; base += PAGE)
    {
      g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);

      for (gint64 id = base; id < base + PAGE; id++)
        g_ptr_array_add (page, make_article (id));

      kq_store_upsert_articles_async (store, page, NULL, on_done, NULL);
      result = wait_done ();
      if (!kq_store_upsert_articles_finish (store, result, NULL, NULL, &error))
        {
          g_printerr ("child: upsert failed: %s\n", error->message);
          return 1;
        }
      g_clear_object (&result);

      kq_store_add_bookmark_async (store, g_ptr_array_index (page, base % 7), NULL, on_done, NULL);
      result = wait_done ();
      if (!kq_store_add_bookmark_finish (store, result, &error))
        {
          g_printerr ("child: bookmark failed: %s\n", error->message);
          return 1;
        }
      g_clear_object (&result);

      /* Completed: tell the parent. */
      printf ("%" G_GINT64_FORMAT "\n", base + base % 7);
      fflush (stdout);
    }
  return 0;
}

static char *
read_all (int fd)
{
  GString *out = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (out, buffer, n);
  return g_string_free (out, FALSE);
}

static void
check_database (const char *path,
                GArray     *completed)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  /* Killed before the schema was committed: a valid, empty database, and
   * then no bookmark can have been reported saved. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE name = 'bookmarks'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      g_assert_cmpuint (completed->len, ==, 0);
      return;
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT length (body_html) FROM bookmarks"
                                       " WHERE source = ?1 AND article_id = ?2",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < completed->len; i++)
    {
      gint64 id = g_array_index (completed, gint64, i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, SOURCE, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        g_error ("Bookmark %" G_GINT64_FORMAT " was reported saved but is gone", id);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), >, 1000);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
check_store_opens (const char *path,
                   guint       n_completed)
{
  g_autoptr(KqStore) store = kq_store_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GError) error = NULL;

  kq_store_open_async (store, NULL, on_done, NULL);
  result = wait_done ();
  g_assert_true (kq_store_open_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_false (kq_store_get_recovered (store));
  g_assert_false (kq_store_get_in_memory (store));
  g_clear_object (&result);

  kq_store_list_bookmarks_async (store, NULL, on_done, NULL);
  result = wait_done ();
  bookmarks = kq_store_list_bookmarks_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bookmarks->len, >=, n_completed);
}

static void
test_sigkill (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "kiosque", "kiosque.db", NULL);
  g_autoptr(GArray) completed = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start_time = g_get_monotonic_time ();
  guint kills_after_progress = 0;

  g_assert_nonnull (self);

  for (guint round = 0; round < N_KILLS; round++)
    {
      g_autofree char *start = g_strdup_printf ("%u", (round + 1) * 100000);
      const char *argv[] = { self, "--child", path, start, NULL };
      g_autoptr(GError) error = NULL;
      g_autofree char *output = NULL;
      g_auto(GStrv) lines = NULL;
      GPid pid;
      int out_fd, status;
      guint before = completed->len;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                               G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                               NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);

      /* From right after the start (mid-open) to well into the loop. */
      g_usleep (g_test_rand_int_range (2, 400) * 1000 * TIME_FACTOR);
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));

      output = read_all (out_fd);
      close (out_fd);
      lines = g_strsplit (output, "\n", -1);
      /* Only complete lines: the last piece may have been cut by the kill. */
      for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
        {
          gint64 id = g_ascii_strtoll (lines[i], NULL, 10);

          g_assert_cmpint (id, >, 0);
          g_array_append_val (completed, id);
        }
      if (completed->len > before)
        kills_after_progress++;

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          check_database (path, completed);
          check_store_opens (path, completed->len);
        }
      else
        g_assert_cmpuint (completed->len, ==, 0);
    }

  g_test_message ("%u kills, %u bookmarks reported saved and found, %.1f s",
                  N_KILLS, completed->len,
                  (g_get_monotonic_time () - start_time) / (double) G_USEC_PER_SEC);
  /* The test must have exercised something. */
  g_assert_cmpuint (completed->len, >=, 10);
  g_assert_cmpuint (kills_after_progress, >=, N_KILLS / 3);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], g_ascii_strtoll (argv[3], NULL, 10));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/kq/store-crash/sigkill", test_sigkill);
  return g_test_run ();
}
