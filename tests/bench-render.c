/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-render"

#include "config.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>

#include "kq-html.h"

/*
 * bench-render: HTML → blocks for a generated 5,000-word block-editor
 * article with 20 images (figures with srcset and captions), headings,
 * lists, quotes and links; median of several runs, next to bare libxml2
 * (htmlReadMemory + xmlFreeDoc) on the same bytes. Prints figures, asserts
 * nothing. Usage: bench-render [RUNS]
 */

static const char *words[] = {
  "le", "la", "les", "un", "une", "des", "écran", "processeur", "batterie", "réseau",
  "logiciel", "mise", "à", "jour", "nouveau", "rapide", "serveur", "données", "application",
  "téléphone", "tablette", "constructeur", "annonce", "prix", "version", "système",
  "sécurité", "utilisateurs", "performances", "autonomie", "caméra", "capteur", "puce",
  "mémoire", "stockage", "pouces", "ports", "clavier", "navigateur", "développeurs",
  "est", "sont", "propose", "améliore", "arrive", "coûte", "reste", "devient", "et", "mais",
  "avec", "pour", "dans", "sur", "sans", "plus", "moins", "très", "encore", "déjà",
};

static void
append_words (GString *out,
              guint    n,
              guint   *seed,
              guint   *count)
{
  for (guint i = 0; i < n; i++)
    {
      const char *word;

      *seed = *seed * 1103515245u + 12345u;
      word = words[(*seed >> 16) % G_N_ELEMENTS (words)];
      if (i > 0)
        g_string_append_c (out, ' ');
      if (i % 23 == 7)
        g_string_append_printf (out, "<strong>%s</strong>", word);
      else if (i % 31 == 11)
        g_string_append_printf (out, "<a href=\"/2024/03/article-%u/\">%s</a>", *seed % 1000, word);
      else if (i % 37 == 5)
        g_string_append_printf (out, "<em>%s</em>", word);
      else
        g_string_append (out, word);
      (*count)++;
    }
}

static GString *
generate_article (guint *n_words)
{
  GString *html = g_string_new (NULL);
  guint seed = 42;
  guint images = 0;

  *n_words = 0;
  for (guint section = 0; *n_words < 5000; section++)
    {
      g_string_append_printf (html, "<h2 class=\"wp-block-heading\">Partie %u : ", section + 1);
      append_words (html, 5, &seed, n_words);
      g_string_append (html, "</h2>\n");

      for (guint p = 0; p < 3 && *n_words < 5000; p++)
        {
          g_string_append (html, "<p>");
          append_words (html, 70, &seed, n_words);
          g_string_append (html, " ?</p>\n");
        }

      if (images < 20)
        {
          images++;
          g_string_append_printf (html,
            "<figure class=\"wp-block-image size-large\"><img decoding=\"async\" width=\"1024\" "
            "height=\"683\" src=\"https://exemple.fr/wp-content/uploads/2024/03/image-%u-1024x683.jpg\" "
            "srcset=\"https://exemple.fr/wp-content/uploads/2024/03/image-%u-1024x683.jpg 1024w, "
            "https://exemple.fr/wp-content/uploads/2024/03/image-%u-300x200.jpg 300w, "
            "https://exemple.fr/wp-content/uploads/2024/03/image-%u-768x512.jpg 768w\" "
            "sizes=\"(max-width: 1024px) 100vw, 1024px\" alt=\"Illustration %u\" "
            "class=\"wp-image-%u\"/><figcaption class=\"wp-element-caption\">",
            images, images, images, images, images, 1000 + images);
          append_words (html, 8, &seed, n_words);
          g_string_append (html, "</figcaption></figure>\n");
        }

      if (section % 3 == 1)
        {
          g_string_append (html, "<ul class=\"wp-block-list\">");
          for (guint li = 0; li < 4; li++)
            {
              g_string_append (html, "<li>");
              append_words (html, 9, &seed, n_words);
              g_string_append (html, " ;</li>");
            }
          g_string_append (html, "</ul>\n");
        }
      if (section % 4 == 2)
        {
          g_string_append (html, "<blockquote class=\"wp-block-quote\"><p>« ");
          append_words (html, 25, &seed, n_words);
          g_string_append (html, " »</p><cite>Un responsable</cite></blockquote>\n");
        }
    }

  /* The remaining images, if the text ran out first. */
  while (images < 20)
    {
      images++;
      g_string_append_printf (html,
        "<figure class=\"wp-block-image\"><img width=\"800\" height=\"600\" "
        "src=\"/wp-content/uploads/extra-%u.jpg\" alt=\"\"/></figure>\n", images);
    }

  return html;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int   argc,
      char *argv[])
{
  guint runs = argc > 1 ? (guint) CLAMP (atoi (argv[1]), 1, 1000) : 21;
  g_autoptr(GString) html = NULL;
  g_autofree double *ours = g_new0 (double, runs);
  g_autofree double *bare = g_new0 (double, runs);
  g_autofree double *json_times = g_new0 (double, runs);
  guint n_words = 0;
  guint n_blocks = 0;
  guint n_images = 0;
  double m_ours, m_bare;

  html = generate_article (&n_words);

  for (guint i = 0; i < runs; i++)
    {
      gint64 t0, t1, t2, t3;
      KqHtmlDocument *doc;
      htmlDocPtr xml;
      char *json;

      t0 = g_get_monotonic_time ();
      xml = htmlReadMemory (html->str, (int) html->len, NULL, "UTF-8",
                            HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                            HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
      xmlFreeDoc (xml);
      t1 = g_get_monotonic_time ();

      doc = kq_html_parse (html->str, html->len, "https://exemple.fr/2024/03/article/", NULL);
      t2 = g_get_monotonic_time ();
      json = kq_html_document_to_json (doc);
      t3 = g_get_monotonic_time ();

      bare[i] = (t1 - t0) / 1000.0;
      ours[i] = (t2 - t1) / 1000.0;
      json_times[i] = (t3 - t2) / 1000.0;

      if (i == 0)
        {
          GPtrArray *blocks = kq_html_document_get_blocks (doc);

          n_blocks = kq_html_document_get_n_blocks (doc);
          for (guint b = 0; b < blocks->len; b++)
            if (kq_block_get_kind (blocks->pdata[b]) == KQ_BLOCK_IMAGE)
              n_images++;
        }

      g_free (json);
      kq_html_document_unref (doc);
    }

  m_ours = median (ours, runs);
  m_bare = median (bare, runs);

  g_print ("bench-render: HTML → blocks\n");
  g_print ("  article: %u words, %u images, %.1f KiB of HTML; %u blocks\n",
           n_words, n_images, html->len / 1024.0, n_blocks);
  g_print ("  runs: %u (medians below)\n", runs);
  g_print ("  bare htmlReadMemory + xmlFreeDoc: %7.2f ms\n", m_bare);
  g_print ("  kq_html_parse (parse, walk, typography): %7.2f ms (%.2f× bare libxml2)\n",
           m_ours, m_bare > 0 ? m_ours / m_bare : 0.0);
  g_print ("  kq_html_document_to_json: %7.2f ms\n", median (json_times, runs));
  /* Machine-readable lines for build-aux/bench: BENCH name value unit */
  g_print ("BENCH render.html-to-blocks.kiosque %.3f ms\n", m_ours);
  g_print ("BENCH render.html-to-blocks.bare %.3f ms\n", m_bare);
  g_print ("BENCH render.html-to-blocks.ratio %.3f x\n", m_bare > 0 ? m_ours / m_bare : 0.0);
  g_print ("BENCH render.blocks-to-json %.3f ms\n", median (json_times, runs));

  return 0;
}
