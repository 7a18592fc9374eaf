/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A stand-in for the desktop's notification server on the tests' private
 * session bus (org.freedesktop.Notifications, what GLib uses outside a
 * sandbox): it records what it is asked to show, and can say that the user
 * clicked a notification.
 */
typedef struct
{
  guint  n_shown;
  char  *summary;   /* of the last notification */
  char  *body;
  char **actions;
  guint  object_id;
  guint  name_id;
} KqTestDesktop;

KqTestDesktop *kq_test_desktop_new         (void);
void           kq_test_desktop_free        (KqTestDesktop *desktop);
/* For kq_test_ui_wait_for(): a notification was shown. */
gboolean       kq_test_desktop_has_shown   (gpointer       desktop);
/* The user clicks the last notification (its default action). */
void           kq_test_desktop_click_last  (KqTestDesktop *desktop);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqTestDesktop, kq_test_desktop_free)

G_END_DECLS
