/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kq-autostart.h"

/*
 * Starting Kiosque at login, in the background (`--gapplication-service`).
 * Outside a sandbox: an XDG autostart entry written and removed here
 * ($XDG_CONFIG_HOME/autostart/APP_ID.desktop). In a sandbox (Flatpak), where
 * that folder is not the host's: the Background portal's RequestBackground,
 * which asks the user and writes the entry itself.
 */

static gboolean
in_sandbox (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/**
 * kq_autostart_get_path:
 *
 * Returns: (transfer full): where the autostart entry is written
 */
char *
kq_autostart_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

/* The running binary, so that a development build starts itself. */
static char *
command_line (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *quoted = g_shell_quote (exe != NULL ? exe : "kiosque");

  return g_strdup_printf ("%s --gapplication-service", quoted);
}

/* On a worker thread: small files, but disk I/O all the same. */
static void
write_entry_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *contents = task_data;
  g_autofree char *path = kq_autostart_get_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  GError *error = NULL;

  if (contents == NULL)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   "%s: %s", path, g_strerror (saved_errno));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s: %s", folder, g_strerror (saved_errno));
      return;
    }
  if (!g_file_set_contents (path, contents, -1, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_portal_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  /* The portal answers with a request handle; the user's choice follows on
   * it, and the portal keeps the entry itself. */
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
request_from_portal (GTask    *task,
                     gboolean  enabled)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  const char *command[] = { "kiosque", "--gapplication-service", NULL };
  GVariantBuilder options;

  if (bus == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The session bus cannot be reached"));
      return;
    }

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Refresh and notify new articles")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (enabled));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (command, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, g_task_get_cancellable (task), on_portal_cb,
                          g_object_ref (task));
}

/**
 * kq_autostart_set_async:
 * @enabled: start at login, or no longer
 *
 * Writes or removes the autostart entry (asks the Background portal in a
 * sandbox). Disk and D-Bus only, never blocking.
 */
void
kq_autostart_set_async (gboolean             enabled,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, kq_autostart_set_async);
  g_debug ("Start at login: %s", enabled ? "yes" : "no");

  if (in_sandbox ())
    {
      request_from_portal (task, enabled);
      return;
    }

  if (enabled)
    {
      g_autofree char *exec = command_line ();

      g_task_set_task_data (task, g_strdup_printf ("[Desktop Entry]\n"
                                                   "Type=Application\n"
                                                   "Name=Kiosque\n"
                                                   "Icon=" APP_ID "\n"
                                                   "Exec=%s\n"
                                                   "NoDisplay=true\n"
                                                   "X-GNOME-Autostart-enabled=true\n",
                                                   exec),
                            g_free);
    }
  g_task_run_in_thread (task, write_entry_thread);
}

gboolean
kq_autostart_set_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
