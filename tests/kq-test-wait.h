/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Helpers shared by the core tests: wait for an event, never for a time. */

/* Iterates the thread-default main context until @condition (data) is TRUE
 * or @timeout_ms have passed; returns the condition's last answer. */
gboolean      kq_test_wait_for        (gboolean    (*condition) (gpointer data),
                                       gpointer      data,
                                       guint         timeout_ms);

/* A GAsyncReadyCallback that keeps the result in *user_data (GAsyncResult **). */
void          kq_test_wait_keep_result (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data);
/* Waits (at most @timeout_ms) until *result is set; returns it (transfer full). */
GAsyncResult *kq_test_wait_result     (GAsyncResult **result,
                                       guint          timeout_ms);

G_END_DECLS
