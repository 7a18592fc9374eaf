/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kq-inspect-json.h"

/*
 * Golden tests: every fixture under tests/data/feeds and tests/data/wp goes
 * through the same code as kiosque-inspect (kq_inspect_parse) and must print
 * exactly its NAME.expected.json, or fail with exactly NAME.expected-error.txt
 * ("ERROR_NAME: message"). Equivalent command line:
 *
 *   kiosque-inspect feed --source https://exemple.fr --base-url https://exemple.fr/feed/ FILE
 *   kiosque-inspect wp-posts --source https://exemple.fr FILE      (and so on)
 *
 * KQ_UPDATE_GOLDEN=1 rewrites the expected files from the current output:
 * review every change by eye before committing it.
 */

#define SOURCE      "https://exemple.fr"
#define FEED_BASE   "https://exemple.fr/feed/"
/* The contents of tests/data/feeds/secret.txt: no output may ever hold it. */
#define SECRET      "KIOSQUE-SECRET"

typedef struct
{
  const char    *directory;
  const char    *prefix;     /* file name prefix, "" for any */
  const char    *suffix;
  KqInspectKind  kind;
} FixtureKind;

static const FixtureKind kinds[] = {
  { "feeds", "",              ".xml",  KQ_INSPECT_KIND_FEED },
  { "wp",    "posts-",        ".json", KQ_INSPECT_KIND_WP_POSTS },
  { "wp",    "post-",         ".json", KQ_INSPECT_KIND_WP_POST },
  { "wp",    "categories-",   ".json", KQ_INSPECT_KIND_WP_CATEGORIES },
  { "wp",    "comments-",     ".json", KQ_INSPECT_KIND_WP_COMMENTS },
};

typedef struct
{
  char          *path;
  KqInspectKind  kind;
} Fixture;

static void
fixture_free (gpointer data)
{
  Fixture *fixture = data;

  g_free (fixture->path);
  g_free (fixture);
}

static char *
strip_suffix (const char *path,
              const char *suffix)
{
  return g_strndup (path, strlen (path) - strlen (suffix));
}

static void
compare_or_update (const char *expected_path,
                   const char *actual,
                   const char *other_path)
{
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("KQ_UPDATE_GOLDEN"), "1") == 0)
    {
      g_file_set_contents (expected_path, actual, -1, &error);
      g_assert_no_error (error);
      /* A fixture has one expectation: drop the other kind. */
      g_remove (other_path);
      return;
    }

  if (!g_file_get_contents (expected_path, &expected, NULL, &error))
    g_error ("Missing %s (run with KQ_UPDATE_GOLDEN=1, then review it): %s\nActual output:\n%s",
             expected_path, error->message, actual);
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_fixture (gconstpointer data)
{
  const Fixture *fixture = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *error_path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;
  gint64 start;

  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, &error));
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

  base = strip_suffix (fixture->path, fixture->kind == KQ_INSPECT_KIND_FEED ? ".xml" : ".json");
  json_path = g_strconcat (base, ".expected.json", NULL);
  error_path = g_strconcat (base, ".expected-error.txt", NULL);

  start = g_get_monotonic_time ();
  json = kq_inspect_parse (fixture->kind, bytes, SOURCE,
                           fixture->kind == KQ_INSPECT_KIND_FEED ? FEED_BASE : NULL, &error);
  /* Hostile inputs must not make the parsers slow either. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  if (json != NULL)
    {
      g_assert_no_error (error);
      g_assert_null (strstr (json, SECRET));
      g_assert_true (g_utf8_validate (json, -1, NULL));
      compare_or_update (json_path, json, error_path);
    }
  else
    {
      g_autofree char *name = NULL;
      g_autofree char *text = NULL;

      g_assert_nonnull (error);
      g_assert_null (strstr (error->message, SECRET));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      name = kq_inspect_error_name (error);
      text = g_strdup_printf ("%s: %s\n", name, error->message);
      compare_or_update (error_path, text, json_path);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
is_fixture_name (const char *name)
{
  return !g_str_has_suffix (name, ".expected.json") &&
         !g_str_has_suffix (name, ".expected-error.txt");
}

static GPtrArray *
collect_fixtures (void)
{
  GPtrArray *fixtures = g_ptr_array_new_with_free_func (fixture_free);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", kinds[k].directory,
                                                         NULL);
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      const char *name;

      dir = g_dir_open (dir_path, 0, &error);
      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, kinds[k].prefix) && g_str_has_suffix (name, kinds[k].suffix) &&
            is_fixture_name (name))
          {
            /* "post-" must not take "posts-" files. */
            if (kinds[k].kind == KQ_INSPECT_KIND_WP_POST && g_str_has_prefix (name, "posts-"))
              continue;
            g_ptr_array_add (names, g_strdup (name));
          }
      g_ptr_array_sort (names, compare_names);

      for (guint i = 0; i < names->len; i++)
        {
          Fixture *fixture = g_new0 (Fixture, 1);

          fixture->path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
          fixture->kind = kinds[k].kind;
          g_ptr_array_add (fixtures, fixture);
        }
    }

  return fixtures;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) fixtures = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  fixtures = collect_fixtures ();
  for (guint i = 0; i < fixtures->len; i++)
    {
      Fixture *fixture = g_ptr_array_index (fixtures, i);
      g_autofree char *dir_path = g_path_get_dirname (fixture->path);
      g_autofree char *dir = g_path_get_basename (dir_path);
      g_autofree char *name = g_path_get_basename (fixture->path);
      g_autofree char *test_path = g_strdup_printf ("/kq/golden/%s/%s", dir, name);

      g_test_add_data_func (test_path, fixture, test_fixture);
    }

  /* The acceptance bar for this suite. */
  g_assert_cmpuint (fixtures->len, >=, 40);

  return g_test_run ();
}
