/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: importing a bookmarks file. Drives the real store (its
 * worker thread, SQL and backup writing) on a database in a scratch
 * directory; every input is imported, then the bookmarks are listed back.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "kq-article.h"
#include "kq-store.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static KqStore *store;
static char *input_path;

typedef struct
{
  gboolean  done;
  gint64    added;
  GPtrArray *bookmarks;
} Result;

static void
on_imported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Result *r = user_data;
  g_autoptr(GError) error = NULL;

  r->added = kq_store_import_bookmarks_finish (KQ_STORE (object), result, &error);
  /* Refused files say why; accepted ones add zero or more bookmarks. */
  g_assert ((r->added < 0) == (error != NULL));
  if (error != NULL)
    g_assert (error->message != NULL && error->message[0] != '\0' &&
              g_utf8_validate (error->message, -1, NULL));
  r->done = TRUE;
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Result *r = user_data;

  r->bookmarks = kq_store_list_bookmarks_finish (KQ_STORE (object), result, NULL);
  r->done = TRUE;
}

static char *scratch_dir;

static void
tear_down (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&store);
  if (scratch_dir == NULL || (dir = g_dir_open (scratch_dir, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch_dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (scratch_dir);
}

static void
set_up (void)
{
  g_autofree char *db = NULL;

  scratch_dir = g_dir_make_tmp ("kiosque-fuzz-XXXXXX", NULL);
  g_assert (scratch_dir != NULL);
  db = g_build_filename (scratch_dir, "kiosque.db", NULL);
  input_path = g_build_filename (scratch_dir, "input.json", NULL);
  store = kq_store_new (db);
  atexit (tear_down);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GFile) file = NULL;
  Result r = { FALSE, 0, NULL };

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  if (store == NULL)
    set_up ();

  g_assert (g_file_set_contents (input_path, (const char *) data, size, NULL));
  file = g_file_new_for_path (input_path);

  kq_store_import_bookmarks_async (store, file, NULL, on_imported_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);

  if (r.added > 0)
    {
      r.done = FALSE;
      kq_store_list_bookmarks_async (store, NULL, on_listed_cb, &r);
      while (!r.done)
        g_main_context_iteration (NULL, TRUE);
      g_assert (r.bookmarks != NULL && r.bookmarks->len >= (guint) r.added);
      fuzz_assert_array_utf8 (r.bookmarks);
      g_ptr_array_unref (r.bookmarks);
    }

  return 0;
}
