/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "kq-store.h"
#include "kq-test-wait.h"

/*
 * A full disk, as SQLite's own file layer reports it (a short write with
 * ENOSPC is SQLITE_FULL; a WAL index that cannot grow, an I/O error with
 * errno ENOSPC): a VFS registered as the default in front of the real one
 * refuses every write while `disk_full` is set. Kiosque must say
 * that the disk is full, not "disk I/O error"; keep what it has (a full
 * disk is not damage: nothing moved aside); and say plainly that nothing
 * will be saved. Each case has its own data folder (G_TEST_OPTION_ISOLATE_DIRS).
 */

#define SOURCE "https://kulturegeek.fr"

static int disk_full;  /* atomic: read on the store's thread */
static sqlite3_vfs *real_vfs;
static sqlite3_vfs full_vfs;
static sqlite3_io_methods full_methods;

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;  /* right after this struct */
} FullFile;

#define REAL(file) (((FullFile *) (file))->real)

static int
full_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

static int
full_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buffer, amount, offset);
}

static int
full_write (sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
  if (g_atomic_int_get (&disk_full))
    return SQLITE_FULL;
  return REAL (file)->pMethods->xWrite (REAL (file), buffer, amount, offset);
}

static int
full_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
full_sync (sqlite3_file *file, int flags)
{
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
full_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
full_lock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xLock (REAL (file), lock);
}

static int
full_unlock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), lock);
}

static int
full_check_reserved_lock (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
full_file_control (sqlite3_file *file, int op, void *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
full_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
full_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

/* Growing the WAL index on a full disk: an I/O error, errno ENOSPC. */
static int
full_shm_map (sqlite3_file *file, int region, int size, int extend, void volatile **out)
{
  if (extend && g_atomic_int_get (&disk_full))
    {
      *out = NULL;
      errno = ENOSPC;
      return SQLITE_IOERR_SHMSIZE;
    }
  return REAL (file)->pMethods->xShmMap (REAL (file), region, size, extend, out);
}

static int
full_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
full_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
full_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

/* No memory mapping: every write goes through full_write (). */
static int
full_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
  *out = NULL;
  return SQLITE_OK;
}

static int
full_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *page)
{
  return SQLITE_OK;
}

static int
full_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  FullFile *full = (FullFile *) file;
  int rc;

  full->real = (sqlite3_file *) (full + 1);
  rc = real_vfs->xOpen (real_vfs, name, full->real, flags, out_flags);
  file->pMethods = full->real->pMethods != NULL ? &full_methods : NULL;

  return rc;
}

static int
full_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
full_access (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  return real_vfs->xAccess (real_vfs, name, flags, out);
}

static int
full_full_pathname (sqlite3_vfs *vfs, const char *name, int n, char *out)
{
  return real_vfs->xFullPathname (real_vfs, name, n, out);
}

static void
register_full_vfs (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);

  full_methods = (sqlite3_io_methods) {
    .iVersion = 3,
    .xClose = full_close,
    .xRead = full_read,
    .xWrite = full_write,
    .xTruncate = full_truncate,
    .xSync = full_sync,
    .xFileSize = full_file_size,
    .xLock = full_lock,
    .xUnlock = full_unlock,
    .xCheckReservedLock = full_check_reserved_lock,
    .xFileControl = full_file_control,
    .xSectorSize = full_sector_size,
    .xDeviceCharacteristics = full_device_characteristics,
    .xShmMap = full_shm_map,
    .xShmLock = full_shm_lock,
    .xShmBarrier = full_shm_barrier,
    .xShmUnmap = full_shm_unmap,
    .xFetch = full_fetch,
    .xUnfetch = full_unfetch,
  };

  /* Everything else as the real one does it. */
  full_vfs = *real_vfs;
  full_vfs.zName = "kiosque-test-full";
  full_vfs.szOsFile = sizeof (FullFile) + real_vfs->szOsFile;
  full_vfs.pAppData = NULL;
  full_vfs.xOpen = full_open;
  full_vfs.xDelete = full_delete;
  full_vfs.xAccess = full_access;
  full_vfs.xFullPathname = full_full_pathname;
  g_assert_cmpint (sqlite3_vfs_register (&full_vfs, 1), ==, SQLITE_OK);
}

/* The store */

static char *
db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "kiosque", "kiosque.db", NULL);
}

static KqStore *
open_store (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  KqStore *store = kq_store_new (NULL);

  kq_store_open_async (store, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 15000);
  kq_store_open_finish (store, result, error);

  return store;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
close_store (KqStore **store)
{
  KqStore *weak = *store;

  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  g_clear_object (store);
  g_assert_true (kq_test_wait_for (is_null, &weak, 5000));
}

static gboolean
add_bookmark (KqStore *store,
              gint64   id,
              GError **error)
{
  g_autoptr(KqArticle) article = kq_article_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *title = g_strdup_printf ("Favori numéro %" G_GINT64_FORMAT, id);
  GAsyncResult *pending = NULL;

  kq_article_set_source (article, SOURCE);
  kq_article_set_id (article, id);
  kq_article_set_title (article, title);
  kq_article_set_body_html (article, "<p>Gardé pour le train, où le réseau manque.</p>");
  kq_store_add_bookmark_async (store, article, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 15000);

  return kq_store_add_bookmark_finish (store, result, error);
}

static guint
n_bookmarks (KqStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  GAsyncResult *pending = NULL;

  kq_store_list_bookmarks_async (store, NULL, kq_test_wait_keep_result, &pending);
  result = kq_test_wait_result (&pending, 5000);
  bookmarks = kq_store_list_bookmarks_finish (store, result, &error);
  g_assert_no_error (error);

  return bookmarks->len;
}

/* A bookmark saved on a full disk fails with "the disk is full", is not
 * there afterwards, and the store goes on (the next one, space freed, is kept). */
static void
test_save_on_full_disk (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqStore) store = open_store (&error);

  g_assert_no_error (error);
  g_assert_false (kq_store_get_in_memory (store));
  g_assert_true (add_bookmark (store, 1, &error));
  g_assert_no_error (error);

  g_atomic_int_set (&disk_full, TRUE);
  g_assert_false (add_bookmark (store, 2, &error));
  g_atomic_int_set (&disk_full, FALSE);
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_DISK_FULL);
  g_test_message ("%s", error->message);
  g_assert_null (strstr (error->message, "I/O"));
  g_clear_error (&error);
  g_assert_cmpuint (n_bookmarks (store), ==, 1);

  g_assert_true (add_bookmark (store, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_bookmarks (store), ==, 2);
  close_store (&store);

  /* Nothing was damaged: the next start has both. */
  store = open_store (&error);
  g_assert_no_error (error);
  g_assert_false (kq_store_get_recovered (store));
  g_assert_cmpuint (n_bookmarks (store), ==, 2);
  close_store (&store);
}

/* A start on a full disk with bookmarks saved: they are shown, nothing is
 * moved aside as damaged, and the error says that nothing will be saved. */
static void
test_start_on_full_disk (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqStore) store = open_store (&error);
  g_autofree char *path = db_path ();

  g_assert_no_error (error);
  for (gint64 id = 1; id <= 3; id++)
    {
      g_assert_true (add_bookmark (store, id, &error));
      g_assert_no_error (error);
    }
  close_store (&store);

  g_atomic_int_set (&disk_full, TRUE);
  store = open_store (&error);
  g_atomic_int_set (&disk_full, FALSE);

  /* Opening the closed database needs its WAL index, which cannot grow. */
  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_DISK_FULL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Nothing will be saved"));
  g_assert_true (kq_store_get_in_memory (store));
  g_clear_error (&error);
  g_assert_false (kq_store_get_recovered (store));
  g_assert_cmpuint (n_bookmarks (store), ==, 3);
  close_store (&store);

  /* Space freed: the file is as it was. */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  store = open_store (&error);
  g_assert_no_error (error);
  g_assert_false (kq_store_get_in_memory (store));
  g_assert_false (kq_store_get_recovered (store));
  g_assert_cmpuint (n_bookmarks (store), ==, 3);
  close_store (&store);
}

/* A first start on a full disk: no database can be made. The store works
 * from memory and says so, in words about space. */
static void
test_first_start_on_full_disk (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqStore) store = NULL;

  g_atomic_int_set (&disk_full, TRUE);
  store = open_store (&error);
  g_atomic_int_set (&disk_full, FALSE);

  g_assert_error (error, KQ_STORE_ERROR, KQ_STORE_ERROR_DISK_FULL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Nothing will be saved"));
  g_assert_true (kq_store_get_in_memory (store));
  g_clear_error (&error);

  /* It still works, from memory. */
  g_assert_true (add_bookmark (store, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_bookmarks (store), ==, 1);
  close_store (&store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  register_full_vfs ();

  g_test_add_func ("/kq/store-full/save-on-full-disk", test_save_on_full_disk);
  g_test_add_func ("/kq/store-full/start-on-full-disk", test_start_on_full_disk);
  g_test_add_func ("/kq/store-full/first-start-on-full-disk", test_first_start_on_full_disk);

  return g_test_run ();
}
