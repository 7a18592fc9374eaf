/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kq-renderer.h"

/*
 * The renderer chosen before GTK starts: cairo where GL would run in
 * software (no render node, or only display drivers without a 3D engine,
 * or Mesa told to), GTK's choice on a GPU, GSK_RENDERER whatever else.
 * Each case builds its own /sys/class/drm in a temporary root.
 */

static char *root;

static void
add_node (const char *node,
          const char *driver)
{
  g_autofree char *device = g_build_filename (root, "sys", "devices", node, NULL);
  g_autofree char *drivers = g_build_filename (root, "sys", "bus", "pci", "drivers", driver, NULL);
  g_autofree char *class_dir = g_build_filename (root, "sys", "class", "drm", NULL);
  g_autofree char *class_node = g_build_filename (class_dir, node, NULL);
  g_autofree char *driver_link = g_build_filename (device, "driver", NULL);
  g_autofree char *device_link = g_build_filename (class_node, "device", NULL);

  g_assert_cmpint (g_mkdir_with_parents (device, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (drivers, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (class_node, 0700), ==, 0);
  g_assert_cmpint (symlink (drivers, driver_link), ==, 0);
  g_assert_cmpint (symlink (device, device_link), ==, 0);
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;

  root = g_dir_make_tmp ("kq-renderer-XXXXXX", &error);
  g_assert_no_error (error);
  g_unsetenv ("GSK_RENDERER");
  g_unsetenv ("LIBGL_ALWAYS_SOFTWARE");
  g_unsetenv ("GALLIUM_DRIVER");
}

static void
teardown (void)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", root);

  g_assert_cmpint (system (command), ==, 0);
  g_clear_pointer (&root, g_free);
}

static void
test_no_gpu (void)
{
  setup ();

  /* No /sys/class/drm at all (a container, Xvfb on a server). */
  g_assert_cmpint (kq_renderer_decide (root), ==, KQ_RENDERER_CAIRO_SOFTWARE);

  /* Display devices without a 3D engine: a VM's, a server's BMC. */
  add_node ("card0", "bochs-drm");
  add_node ("renderD128", "qxl");
  add_node ("renderD129", "simpledrm");
  g_assert_cmpint (kq_renderer_decide (root), ==, KQ_RENDERER_CAIRO_SOFTWARE);

  teardown ();
}

static void
test_gpu (void)
{
  setup ();

  add_node ("renderD128", "simpledrm");
  add_node ("renderD129", "i915");
  g_assert_cmpint (kq_renderer_decide (root), ==, KQ_RENDERER_GTK_CHOICE);

  /* Mesa told to draw in software: cairo all the same. */
  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "1", TRUE);
  g_assert_cmpint (kq_renderer_decide (root), ==, KQ_RENDERER_CAIRO_SOFTWARE);
  g_unsetenv ("LIBGL_ALWAYS_SOFTWARE");
  g_setenv ("GALLIUM_DRIVER", "llvmpipe", TRUE);
  g_assert_cmpint (kq_renderer_decide (root), ==, KQ_RENDERER_CAIRO_SOFTWARE);
  g_unsetenv ("GALLIUM_DRIVER");

  teardown ();
}

static void
test_environment_wins (void)
{
  g_autofree char *description = NULL;

  setup ();

  g_setenv ("GSK_RENDERER", "ngl", TRUE);
  g_assert_cmpint (kq_renderer_decide (root), ==, KQ_RENDERER_ENVIRONMENT);
  g_assert_cmpint (kq_renderer_choose (), ==, KQ_RENDERER_ENVIRONMENT);
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "ngl");
  description = kq_renderer_describe ();
  g_assert_nonnull (strstr (description, "ngl"));

  teardown ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kq/renderer/no-gpu", test_no_gpu);
  g_test_add_func ("/kq/renderer/gpu", test_gpu);
  g_test_add_func ("/kq/renderer/environment-wins", test_environment_wins);

  return g_test_run ();
}
