/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-test-server"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "kq-test-server.h"

/*
 * kq-test-server [--port N] [--port-file FILE] [--delay-ms N] [--many-posts N]:
 * serves the fixture site on 127.0.0.1, prints its URL on stdout (and writes
 * it to FILE) and runs until SIGTERM or SIGINT. --delay-ms holds every answer
 * N ms (the startup benchmark measures cache-first that way); --many-posts
 * answers the list of posts with one page of N small posts (a hostile page:
 * the benchmark measures how long the window freezes on it). Used by `build-aux/run
 * --demo`, tests/bench/bench-startup and by hand.
 */

static gboolean
on_signal_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *port_file = NULL;
  g_autofree char *line = NULL;
  gboolean no_rest = FALSE;
  int port = 0;
  int delay_ms = 0;
  int many_posts = 0;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default: random)", "N" },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file, "Write the URL to FILE once listening", "FILE" },
    { "no-rest", 0, 0, G_OPTION_ARG_NONE, &no_rest, "Disable the REST API (RSS only)", NULL },
    { "delay-ms", 0, 0, G_OPTION_ARG_INT, &delay_ms, "Hold every answer N ms", "N" },
    { "many-posts", 0, 0, G_OPTION_ARG_INT, &many_posts, "Answer the list of posts with N posts", "N" },
    { NULL }
  };

  context = g_option_context_new ("— serve Kiosque's fixture WordPress site");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("kq-test-server: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("kq-test-server: invalid port %d\n", port);
      return 2;
    }
  if (delay_ms < 0 || many_posts < 0)
    {
      g_printerr ("kq-test-server: invalid delay or post count\n");
      return 2;
    }

  server = kq_test_server_new_for_port ((guint) port, &error);
  if (server == NULL)
    {
      g_printerr ("kq-test-server: %s\n", error->message);
      return 1;
    }
  kq_test_server_set_rest_enabled (server, !no_rest);
  if (delay_ms > 0)
    kq_test_server_add_fault (server, "/", KQ_TEST_FAULT_DELAY, (guint) delay_ms, 0);
  if (many_posts > 0)
    kq_test_server_add_fault (server, "/wp-json/wp/v2/posts?", KQ_TEST_FAULT_MANY_POSTS,
                              (guint) many_posts, 0);

  line = g_strdup_printf ("%s\n", kq_test_server_get_url (server));
  fputs (line, stdout);
  fflush (stdout);
  if (port_file != NULL)
    {
      /* Written to a temporary name then renamed: readers never see half a URL. */
      g_autofree char *tmp = g_strconcat (port_file, ".tmp", NULL);

      if (!g_file_set_contents (tmp, kq_test_server_get_url (server), -1, &error) ||
          g_rename (tmp, port_file) != 0)
        {
          g_printerr ("kq-test-server: cannot write %s: %s\n", port_file,
                      error ? error->message : g_strerror (errno));
          return 1;
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
