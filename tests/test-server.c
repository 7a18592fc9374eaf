/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "kq-test-server.h"

static void
test_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqTestServer) server = kq_test_server_new (&error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (kq_test_server_get_url (server), "http://127.0.0.1:"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/kq/test-server/start", test_start);
  return g_test_run ();
}
