/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-inspect"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-inspect.h"
#include "kq-inspect-json.h"

/* `kiosque-inspect feed|wp-posts|wp-post|wp-categories|wp-comments FILE`:
 * parses a saved answer and prints its models. */
static int
run_file_command (int            argc,
                  char         **argv,
                  KqInspectKind  kind)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *source = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *json = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source,
      N_("Site URL recorded as the models’ source"), N_("URL") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      N_("URL that relative links are resolved against (feeds)"), N_("URL") },
    { NULL }
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return kq_inspect_fail (error->message);
  if (argc != 2)
    return kq_inspect_fail (_("Expected exactly one file."));

  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    return kq_inspect_fail (error->message);
  data = g_bytes_new_take (g_steal_pointer (&contents), length);

  json = kq_inspect_parse (kind, data, source, base_url, &error);
  if (json == NULL)
    return kq_inspect_fail (error->message);
  return kq_inspect_print (json);
}

int
kq_inspect_feed (int    argc,
                 char **argv)
{
  return run_file_command (argc, argv, KQ_INSPECT_KIND_FEED);
}

int
kq_inspect_wp_posts (int    argc,
                     char **argv)
{
  return run_file_command (argc, argv, KQ_INSPECT_KIND_WP_POSTS);
}

int
kq_inspect_wp_post (int    argc,
                    char **argv)
{
  return run_file_command (argc, argv, KQ_INSPECT_KIND_WP_POST);
}

int
kq_inspect_wp_categories (int    argc,
                          char **argv)
{
  return run_file_command (argc, argv, KQ_INSPECT_KIND_WP_CATEGORIES);
}

int
kq_inspect_wp_comments (int    argc,
                        char **argv)
{
  return run_file_command (argc, argv, KQ_INSPECT_KIND_WP_COMMENTS);
}
