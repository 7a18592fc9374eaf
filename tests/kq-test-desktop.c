/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kq-test-desktop.h"

static const char notifications_xml[] =
  "<node>"
  " <interface name='org.freedesktop.Notifications'>"
  "  <method name='Notify'>"
  "   <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "   <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "   <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "   <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "   <arg type='u' direction='out'/>"
  "  </method>"
  "  <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "  <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "  <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  " </interface>"
  "</node>";

static void
method_cb (GDBusConnection       *connection,
           const char            *sender,
           const char            *path,
           const char            *interface,
           const char            *method,
           GVariant              *parameters,
           GDBusMethodInvocation *invocation,
           gpointer               user_data)
{
  KqTestDesktop *desktop = user_data;

  if (g_str_equal (method, "Notify"))
    {
      g_free (desktop->summary);
      g_free (desktop->body);
      g_strfreev (desktop->actions);
      g_variant_get (parameters, "(&su&sss^as@a{sv}i)", NULL, NULL, NULL,
                     &desktop->summary, &desktop->body, &desktop->actions, NULL, NULL);
      desktop->n_shown++;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", desktop->n_shown));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_name_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

KqTestDesktop *
kq_test_desktop_new (void)
{
  static const GDBusInterfaceVTable vtable = { method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  KqTestDesktop *desktop = g_new0 (KqTestDesktop, 1);
  gboolean acquired = FALSE;
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_assert_nonnull (bus);
  desktop->object_id = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                          info->interfaces[0], &vtable, desktop,
                                                          NULL, NULL);
  g_assert_cmpuint (desktop->object_id, >, 0);
  desktop->name_id = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                                   G_BUS_NAME_OWNER_FLAGS_NONE,
                                                   on_name_acquired_cb, NULL, &acquired, NULL);

  /* Serving before anyone asks. */
  timeout_id = g_timeout_add_seconds (5, set_true_cb, &timed_out);
  while (!acquired && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (acquired);
  g_source_remove (timeout_id);

  return desktop;
}

void
kq_test_desktop_free (KqTestDesktop *desktop)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_bus_unown_name (desktop->name_id);
  g_dbus_connection_unregister_object (bus, desktop->object_id);
  g_free (desktop->summary);
  g_free (desktop->body);
  g_strfreev (desktop->actions);
  g_free (desktop);
}

gboolean
kq_test_desktop_has_shown (gpointer desktop)
{
  return ((KqTestDesktop *) desktop)->n_shown > 0;
}

void
kq_test_desktop_click_last (KqTestDesktop *desktop)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_assert_true (g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications",
                                                "org.freedesktop.Notifications", "ActionInvoked",
                                                g_variant_new ("(us)", desktop->n_shown, "default"),
                                                NULL));
}
