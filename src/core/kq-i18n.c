/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kq-i18n.h"

/**
 * kq_i18n_init:
 *
 * Sets the locale from the environment and binds the gettext domain. The
 * translations come from the installed LOCALEDIR, or from
 * `KIOSQUE_LOCALEDIR` when running from the build tree (build-aux/run and
 * the tests set it).
 */
void
kq_i18n_init (void)
{
  const char *localedir = g_getenv ("KIOSQUE_LOCALEDIR");

  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
