/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "kq-i18n.h"
#include "kq-test-ui.h"
#include "kq-test-wait.h"

static GTestDBus *test_bus;

static void
stop_test_bus (void)
{
  /* Stop the daemon without waiting for GTK to drop its connection. */
  if (test_bus != NULL)
    g_test_dbus_stop (test_bus);
}

static char *home_root;

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) && info != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
remove_homes (void)
{
  if (home_root != NULL)
    remove_tree (home_root);
  g_clear_pointer (&home_root, g_free);
}

static void
isolate_homes (void)
{
  const struct { const char *var, *dir; } homes[] = {
    { "XDG_DATA_HOME", "data" }, { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" }, { "HOME", "home" },
  };
  g_autoptr(GError) error = NULL;

  home_root = g_dir_make_tmp ("kiosque-test-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (homes); i++)
    {
      g_autofree char *path = g_build_filename (home_root, homes[i].dir, NULL);

      g_mkdir_with_parents (path, 0700);
      g_setenv (homes[i].var, path, TRUE);
    }
  atexit (remove_homes);
}

/* i18n, isolated XDG dirs, a private session bus (GtkApplication wants
 * one), GTK and libadwaita. */
void
kq_test_ui_init (int    *argc,
                 char ***argv)
{
  g_autofree char *display = NULL;

  kq_i18n_init ();
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it also hides XDG_DATA_DIRS, and with
   * it the MIME database and icon themes GTK needs. Private homes instead. */
  g_test_init (argc, argv, NULL);
  isolate_homes ();

  /* g_test_dbus_up() unsets DISPLAY; keep Xvfb's. */
  display = g_strdup (g_getenv ("DISPLAY"));
  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  atexit (stop_test_bus);

  gtk_init ();
  adw_init ();
}

static gboolean
on_timeout_cb (gpointer data)
{
  gboolean *done = data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds or @timeout_ms passes (the
 * core tests' kq_test_wait_for(), kq-test-wait.c). */
gboolean
kq_test_ui_wait_for (gboolean (*condition) (gpointer data),
                     gpointer   data,
                     guint      timeout_ms)
{
  return kq_test_wait_for (condition, data, timeout_ms);
}

void
kq_test_ui_iterate (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Returns the first toplevel of @type, or NULL. */
GtkWindow *
kq_test_ui_find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = NULL;
  guint n;

  toplevels = g_object_ref (gtk_window_get_toplevels ());
  n = g_list_model_get_n_items (toplevels);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

/* Depth-first search for the first descendant of @root of @type. */
GtkWidget *
kq_test_ui_find_child (GtkWidget *root,
                       GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = kq_test_ui_find_child (child, type)))
        return found;
    }

  return NULL;
}
