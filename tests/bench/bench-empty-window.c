/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>

/*
 * bench-empty-window: the baseline of the startup and memory benchmark. An
 * AdwApplication that shows one empty AdwApplicationWindow (a header bar and
 * nothing else) at Kiosque's default size, and prints, like Kiosque with
 * KIOSQUE_BENCHMARK=1:
 *
 *   kiosque-bench first-frame USEC_SINCE_MAIN CLOCK_MONOTONIC_USEC
 *
 * once its first frame is painted. It then stays up until killed, so that
 * tests/bench/bench-startup reads its memory the same way as Kiosque's.
 * Links GTK and libadwaita only: nothing of Kiosque's code or resources.
 */

static gint64 start_us;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, user_data);
  printf ("kiosque-bench first-frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
          now - start_us, now);
  fflush (stdout);
}

static void
on_realize_cb (GtkWidget *window,
               gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint_cb), NULL);
}

static void
on_activate_cb (GApplication *app,
                gpointer      user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Empty");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_signal_connect_after (window, "realize", G_CALLBACK (on_realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  start_us = g_get_monotonic_time ();
  app = adw_application_new ("io.github.kiosque.BenchEmptyWindow", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
