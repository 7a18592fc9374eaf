/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Starting Kiosque in the background at login (see kq-autostart.c). */

char     *kq_autostart_get_path   (void);
void      kq_autostart_set_async  (gboolean             enabled,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean  kq_autostart_set_finish (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
