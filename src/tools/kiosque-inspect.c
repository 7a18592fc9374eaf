/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-inspect"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "kq-i18n.h"
#include "kq-inspect.h"

/*
 * kiosque-inspect: parses files (or sites) with Kiosque's core and prints
 * the models as stable, pretty JSON. Errors go to stderr, exit status 1.
 *
 * To add a subcommand (3 lines): list its file in src/tools/meson.build,
 * declare its function in kq-inspect.h, add a row to this table.
 */
typedef struct
{
  const char *name;
  const char *args;
  const char *summary;
  int       (*run) (int argc, char **argv);
} Command;

static const Command commands[] = {
  { "feed",          N_("FILE|URL"), N_("Parse an RSS, Atom or RDF feed"), kq_inspect_feed_or_url },
  { "wp-posts",      N_("FILE"), N_("Parse a WordPress post list (JSON)"), kq_inspect_wp_posts },
  { "wp-post",       N_("FILE"), N_("Parse one WordPress post (JSON)"), kq_inspect_wp_post },
  { "wp-categories", N_("FILE"), N_("Parse a WordPress category list (JSON)"),
    kq_inspect_wp_categories },
  { "wp-comments",   N_("FILE"), N_("Parse a WordPress comment list (JSON)"),
    kq_inspect_wp_comments },
  { "site",          N_("URL"), N_("Show a site’s mode, categories and first page of posts"),
    kq_inspect_site },
  { "html",          N_("FILE"), N_("Print an article body (HTML) as a block document"),
    kq_inspect_html },
};

int
kq_inspect_fail (const char *message)
{
  g_printerr ("kiosque-inspect: %s\n", message);
  return 1;
}

int
kq_inspect_print (const char *json_text)
{
  fputs (json_text, stdout);
  return fflush (stdout) == 0 ? 0 : 1;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n", _("Usage: kiosque-inspect COMMAND [OPTION…] ARGUMENT"),
           _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *left = g_strdup_printf ("%s %s", commands[i].name, _(commands[i].args));
      fprintf (stream, "  %-24s %s\n", left, _(commands[i].summary));
    }
  fprintf (stream, "\n%s\n", _("Run “kiosque-inspect COMMAND --help” for a command’s options."));
}

int
main (int   argc,
      char *argv[])
{
  kq_i18n_init ();

  if (argc < 2)
    {
      print_usage (stderr);
      return 1;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("kiosque-inspect %s", commands[i].name);

        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  {
    g_autofree char *message = g_strdup_printf (_("Unknown command “%s”."), argv[1]);

    kq_inspect_fail (message);
    print_usage (stderr);
    return 1;
  }
}
