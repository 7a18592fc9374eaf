/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Helpers shared by the UI tests (tests/test-*.c under Xvfb). */

void        kq_test_ui_init          (int          *argc,
                                      char       ***argv);
gboolean    kq_test_ui_wait_for      (gboolean    (*condition) (gpointer data),
                                      gpointer      data,
                                      guint         timeout_ms);
void        kq_test_ui_iterate       (guint         ms);
GtkWindow  *kq_test_ui_find_toplevel (GType         type);
GtkWidget  *kq_test_ui_find_child    (GtkWidget    *root,
                                      GType         type);

G_END_DECLS
