/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kq-application.h"
#include "kq-i18n.h"
#include "kq-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KqApplication) app = NULL;

  kq_i18n_init ();
  /* Before GTK makes a renderer: cairo rather than GL drawn in software. */
  kq_renderer_choose ();

  app = kq_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
