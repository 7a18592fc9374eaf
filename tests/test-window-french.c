/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "kq-application.h"
#include "kq-test-ui.h"
#include "kq-window.h"

/* Run with LANGUAGE=fr LANG=fr_FR.UTF-8 (see tests/meson.build). */
static void
test_french_labels (void)
{
  g_autoptr(KqApplication) app = kq_application_new ();
  KqWindow *window;
  AdwStatusPage *empty;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  kq_application_set_offline (app, TRUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  window = kq_window_new (app);
  empty = ADW_STATUS_PAGE (kq_test_ui_find_child (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), KQ_TYPE_WINDOW, "article_stack")),
                                                  ADW_TYPE_STATUS_PAGE));
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "Aucun article sélectionné");
  g_assert_cmpstr (_("No Articles"), ==, "Aucun article");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  kq_test_ui_init (&argc, &argv);

  g_test_add_func ("/kq/window/french-labels", test_french_labels);

  return g_test_run ();
}
