/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-renderer"

#include "config.h"

#include <string.h>

#include "kq-renderer.h"

/* Kernel display drivers of devices without a 3D engine: a render node of
 * theirs means Mesa draws in software. (virtio-gpu and vmwgfx may have one,
 * through the host: GTK decides there.) */
static const char * const software_drivers[] = {
  "ast", "bochs", "bochs-drm", "cirrus", "cirrus-qemu", "efifb", "gm12u320", "hyperv_drm",
  "mgag200", "qxl", "simple-framebuffer", "simpledrm", "udl", "vboxvideo", "vkms", NULL
};

static KqRendererChoice chosen = KQ_RENDERER_GTK_CHOICE;
static char *chosen_env;

static gboolean
env_is_true (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' && g_strcmp0 (value, "0") != 0 &&
         g_ascii_strcasecmp (value, "false") != 0;
}

static gboolean
mesa_forced_to_software (void)
{
  const char *gallium = g_getenv ("GALLIUM_DRIVER");

  return env_is_true ("LIBGL_ALWAYS_SOFTWARE") ||
         g_strcmp0 (gallium, "llvmpipe") == 0 || g_strcmp0 (gallium, "softpipe") == 0 ||
         g_strcmp0 (gallium, "swrast") == 0;
}

/* Whether some render node's driver has a 3D engine. */
static gboolean
has_hardware_render_node (const char *sys_root)
{
  g_autofree char *class_dir = g_build_filename (sys_root ? sys_root : "/", "sys", "class", "drm",
                                                 NULL);
  g_autoptr(GDir) dir = g_dir_open (class_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = NULL;
      g_autofree char *target = NULL;
      g_autofree char *driver = NULL;

      if (!g_str_has_prefix (name, "renderD"))
        continue;
      link = g_build_filename (class_dir, name, "device", "driver", NULL);
      target = g_file_read_link (link, NULL);
      /* A render node whose driver cannot be told: count it as a GPU. */
      if (target == NULL)
        return TRUE;
      driver = g_path_get_basename (target);
      if (!g_strv_contains (software_drivers, driver))
        return TRUE;
    }

  return FALSE;
}

KqRendererChoice
kq_renderer_decide (const char *sys_root)
{
  const char *env = g_getenv ("GSK_RENDERER");

  if (env != NULL && *env != '\0')
    return KQ_RENDERER_ENVIRONMENT;
  if (mesa_forced_to_software () || !has_hardware_render_node (sys_root))
    return KQ_RENDERER_CAIRO_SOFTWARE;

  return KQ_RENDERER_GTK_CHOICE;
}

KqRendererChoice
kq_renderer_choose (void)
{
  chosen = kq_renderer_decide (NULL);
  g_clear_pointer (&chosen_env, g_free);
  if (chosen == KQ_RENDERER_ENVIRONMENT)
    chosen_env = g_strdup (g_getenv ("GSK_RENDERER"));
  else if (chosen == KQ_RENDERER_CAIRO_SOFTWARE)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_debug ("Renderer: %s", chosen == KQ_RENDERER_CAIRO_SOFTWARE ? "cairo (no GPU)" : "GTK's");

  return chosen;
}

char *
kq_renderer_describe (void)
{
  switch (chosen)
    {
    case KQ_RENDERER_CAIRO_SOFTWARE:
      return g_strdup ("cairo (no GPU found: GL would run in software)");
    case KQ_RENDERER_ENVIRONMENT:
      return g_strdup_printf ("%s (GSK_RENDERER)", chosen_env ? chosen_env : "");
    case KQ_RENDERER_GTK_CHOICE:
    default:
      return g_strdup ("GTK's default (a GPU was found)");
    }
}
