/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-inspect"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kq-html.h"
#include "kq-inspect.h"

/*
 * kiosque-inspect html FILE [--base URL] [--width N] [--no-typography]
 *
 * Parses an article body (FILE, or "-" for standard input) into the block
 * document and prints it as JSON (kq_html_document_to_json(): the same
 * format as the golden files in tests/data/html/).
 */
int
kq_inspect_html (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KqHtmlDocument) doc = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *json = NULL;
  gboolean no_typography = FALSE;
  int width = 0;
  gsize length = 0;
  KqHtmlOptions opts = { 0, };
  GOptionEntry entries[] = {
    { "base", 0, 0, G_OPTION_ARG_STRING, &base_url,
      N_("Article URL that relative links and images are resolved against"), N_("URL") },
    { "width", 0, 0, G_OPTION_ARG_INT, &width,
      N_("Width images are shown at, to choose among their sizes"), N_("PIXELS") },
    { "no-typography", 0, 0, G_OPTION_ARG_NONE, &no_typography,
      N_("Keep spaces as they are (no French typography)"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_set_summary (context, _("Print an article body as a block document."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return kq_inspect_fail (error->message);
  if (argc != 2)
    return kq_inspect_fail (_("Expected exactly one file."));
  if (width < 0 || width > 100000)
    return kq_inspect_fail (_("The width must be between 0 and 100000 pixels."));

  if (g_strcmp0 (argv[1], "-") == 0)
    {
      GString *in = g_string_new (NULL);
      char buffer[8192];
      size_t n;

      while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        g_string_append_len (in, buffer, n);
      if (ferror (stdin))
        {
          g_string_free (in, TRUE);
          return kq_inspect_fail (_("Could not read the standard input."));
        }
      length = in->len;
      contents = g_string_free (in, FALSE);
    }
  else if (!g_file_get_contents (argv[1], &contents, &length, &error))
    return kq_inspect_fail (error->message);

  opts.target_image_width = (guint) width;
  opts.no_typography = no_typography;
  doc = kq_html_parse (contents, length, base_url, &opts);
  json = kq_html_document_to_json (doc);

  return kq_inspect_print (json);
}
