/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A standalone driver for the fuzz targets when they are not built with
 * libFuzzer: runs LLVMFuzzerTestOneInput over every file of the given files
 * and directories (the committed seed corpus and the crash regressions), so
 * the plain and sanitizer test suites replay them on every run.
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static guint n_inputs;

static void
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s: %s\n", path, error->message);
      exit (1);
    }
  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
  n_inputs++;
}

static void
run_path (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < names->len; i++)
        run_path (g_ptr_array_index (names, i));
    }
  else
    {
      run_file (path);
    }
}

int
main (int   argc,
      char *argv[])
{
  for (int i = 1; i < argc; i++)
    run_path (argv[i]);

  if (n_inputs == 0)
    {
      g_printerr ("no input given\n");
      return 1;
    }

  /* TAP: one line per run so meson reports it. */
  printf ("1..1\nok 1 - %u inputs replayed\n", n_inputs);
  return 0;
}
