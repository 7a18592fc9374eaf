/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "kq-article-view.h"
#include "kq-block-renderer.h"
#include "kq-html.h"
#include "kq-image.h"
#include "kq-test-server.h"
#include "kq-test-ui.h"

/*
 * Benchmark of the article view (prints figures, asserts nothing). Needs a
 * display: xvfb-run -a build/tests/bench-article-view
 *
 *  - HTML → blocks, blocks → widgets, and widgets → first layout at 720 px,
 *    for a 5,000-word article with 20 images;
 *  - image decode (PNG and JPEG, 1200×675) at natural size and at 720 px;
 *  - set_article → first frame painted, and → the images in view shown
 *    (the others load as they come near), in a window, with the images
 *    served by the test server;
 *  - hostile bodies (20,000 paragraphs; one list of 20,000 items; 1,000
 *    images; a gallery of 3,000 images; a table of 3,000 rows): the longest main-loop stall while the view opens and lays
 *    them out, and the image requests the site received (DESIGN.md: no
 *    stall over 100 ms on any input).
 * Each figure is the median of several runs.
 */

#define N_WORDS  5000
#define N_IMAGES 20

static const char * const words[] = {
  "le", "nouveau", "processeur", "gagne", "en", "efficacité", "tandis", "que", "la", "batterie",
  "tient", "une", "journée", "entière", "selon", "nos", "mesures", "faites", "au", "laboratoire",
  "avec", "un", "écran", "plus", "lumineux", "et", "des", "haut-parleurs", "mieux", "réglés",
  "mais", "prix", "reste", "élevé", "pour", "ce", "segment", "où", "concurrence", "s’intensifie",
};

static char *
make_article_html (const char *site)
{
  GString *html = g_string_new (NULL);
  guint word = 0;
  guint image = 0;
  guint paragraph = 0;

  while (word < N_WORDS)
    {
      if (paragraph % 6 == 0)
        g_string_append_printf (html, "<h2 class=\"wp-block-heading\">Partie %u : ce qu’il faut savoir</h2>\n",
                                paragraph / 6 + 1);

      g_string_append (html, "<p>");
      for (guint i = 0; i < 80 && word < N_WORDS; i++, word++)
        {
          const char *w = words[(word * 7 + paragraph) % G_N_ELEMENTS (words)];

          if (i == 10)
            g_string_append_printf (html, "<a href=\"%s/2024/12/06/article-%u/\">%s</a> ", site, word, w);
          else if (i == 30)
            g_string_append_printf (html, "<strong>%s</strong> ", w);
          else if (i == 50)
            g_string_append_printf (html, "<em>%s</em> ", w);
          else
            g_string_append_printf (html, "%s ", w);
        }
      g_string_append (html, "!</p>\n");

      if (paragraph % 3 == 1 && image < N_IMAGES)
        {
          g_string_append_printf (html,
                                  "<figure class=\"wp-block-image size-large\"><img decoding=\"async\" "
                                  "width=\"1024\" height=\"576\" src=\"%s/wp-content/uploads/2024/12/"
                                  "l-abonnement-game-pass-arrive-aux-etats-1024x576.png?v=%u\" alt=\"Visuel %u\"/>"
                                  "<figcaption class=\"wp-element-caption\">Illustration numéro %u de l’essai.</figcaption>"
                                  "</figure>\n", site, image, image, image);
          image++;
        }
      if (paragraph % 10 == 5)
        g_string_append (html, "<ul><li>Poids : 187 grammes</li><li>Prix : 899 euros</li>"
                               "<li>Mémoire : 12 Go<ul><li>extensible</li></ul></li></ul>\n"
                               "<blockquote class=\"wp-block-quote\"><p>Une citation assez courte.</p>"
                               "<cite>Un analyste</cite></blockquote>\n");
      paragraph++;
    }

  while (image < N_IMAGES)
    g_string_append_printf (html, "<figure class=\"wp-block-image\"><img width=\"1024\" height=\"576\" "
                            "src=\"%s/wp-content/uploads/2024/12/l-abonnement-game-pass-arrive-aux-etats-1024x576.png?v=%u\"/>"
                            "</figure>\n", site, image), image++;

  return g_string_free (html, FALSE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
bench_render (const char      *html,
              const char      *base,
              KqImageLoader   *loader)
{
  g_autoptr(GArray) parse = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) render = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) layout = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(KqBlockRenderer) renderer = kq_block_renderer_new (loader);
  guint n_blocks = 0;

  for (guint run = 0; run < 7; run++)
    {
      g_autoptr(KqHtmlDocument) document = NULL;
      GtkWidget *body;
      double t0, t1, t2, t3;
      int minimum, natural;

      t0 = now_ms ();
      document = kq_html_parse (html, -1, base, NULL);
      t1 = now_ms ();
      body = g_object_ref_sink (kq_block_renderer_render (renderer, document));
      t2 = now_ms ();
      gtk_widget_measure (body, GTK_ORIENTATION_VERTICAL, 720, &minimum, &natural, NULL, NULL);
      t3 = now_ms ();

      n_blocks = kq_html_document_get_n_blocks (document);
      g_array_append_vals (parse, &(double) { t1 - t0 }, 1);
      g_array_append_vals (render, &(double) { t2 - t1 }, 1);
      g_array_append_vals (layout, &(double) { t3 - t2 }, 1);
      g_object_unref (body);
    }

  printf ("article: %u words, %u images, %zu bytes of HTML, %u blocks\n",
          N_WORDS, N_IMAGES, strlen (html), n_blocks);
  printf ("  HTML → blocks:              %8.2f ms (median of %u)\n", median (parse), parse->len);
  printf ("  blocks → widgets:           %8.2f ms\n", median (render));
  printf ("  widgets → layout at 720 px: %8.2f ms\n", median (layout));
}

static void
bench_decode (const char *site_dir)
{
  g_autofree char *path = g_build_filename (site_dir, "images", "visuel-00.png", NULL);
  g_autoptr(GdkPixbuf) original = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  struct { const char *name; GBytes **bytes; int width; } cases[] = {
    { "PNG 1200×675, natural", &png, 0 },
    { "PNG 1200×675 → 720 px", &png, 720 },
    { "JPEG 1200×675, natural", &jpeg, 0 },
    { "JPEG 1200×675 → 720 px", &jpeg, 720 },
  };
  char *data;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      printf ("  (no site image: %s)\n", error->message);
      return;
    }
  png = g_bytes_new_take (data, len);
  original = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  gdk_pixbuf_save_to_buffer (original, &data, &len, "jpeg", &error, "quality", "85", NULL);
  g_assert_no_error (error);
  jpeg = g_bytes_new_take (data, len);

  printf ("image decode (PNG %zu bytes, JPEG %zu bytes):\n", g_bytes_get_size (png), g_bytes_get_size (jpeg));
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint run = 0; run < 15; run++)
        {
          g_autoptr(GdkPixbuf) pixbuf = NULL;
          double t0 = now_ms ();

          pixbuf = kq_image_loader_decode (*cases[c].bytes, cases[c].width, 0,
                                           KQ_IMAGE_LOADER_DEFAULT_MAX_PIXELS, &error);
          g_assert_no_error (error);
          g_array_append_vals (samples, &(double) { now_ms () - t0 }, 1);
        }
      printf ("  %-26s %8.2f ms (median of %u)\n", cases[c].name, median (samples), samples->len);
    }
}

static gboolean painted;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  painted = TRUE;
}

static gboolean
is_painted (gpointer data)
{
  return painted;
}

/* The images near the visible part (the others are deferred) are shown; at
 * least one, the article having one near its top. */
static gboolean
all_images_shown (gpointer data)
{
  GPtrArray *images = data;
  guint n_near = 0;

  for (guint i = 0; i < images->len; i++)
    {
      KqImage *image = g_ptr_array_index (images, i);

      if (kq_image_get_url (image) == NULL || kq_image_get_deferred (image) ||
          kq_image_get_blocked (image))
        continue;
      n_near++;
      if (kq_image_get_texture (image) == NULL && !kq_image_get_failed (image))
        return FALSE;
    }

  return n_near > 0;
}

static gboolean
is_rendered (gpointer data)
{
  return !kq_article_view_get_rendering (KQ_ARTICLE_VIEW (data));
}

static void
collect_images (GtkWidget *root,
                GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      if (KQ_IS_IMAGE (child))
        g_ptr_array_add (out, child);
      collect_images (child, out);
    }
}

static void
bench_view (const char    *html,
            KqTestServer  *server,
            KqImageLoader *loader)
{
  g_autoptr(GArray) visible = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) complete = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) images_cold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) images_warm = g_array_new (FALSE, FALSE, sizeof (double));
  KqArticleView *view = KQ_ARTICLE_VIEW (kq_article_view_new ());
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GdkFrameClock *clock;

  kq_article_view_set_image_loader (view, loader);
  gtk_window_set_default_size (window, 1000, 800);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  kq_test_ui_iterate (300);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);

  for (guint run = 0; run < 6; run++)
    {
      g_autoptr(KqArticle) article = kq_article_new ();
      g_autoptr(GPtrArray) images = g_ptr_array_new ();
      g_autofree char *link = g_strdup_printf ("%s/2024/12/06/essai-%u/", kq_test_server_get_url (server), run);
      double t0, t1, t2, t3;

      kq_article_set_id (article, run + 1);
      kq_article_set_source (article, kq_test_server_get_url (server));
      kq_article_set_title (article, "Un long article d’essai");
      kq_article_set_link (article, link);
      kq_article_set_body_html (article, html);

      /* Odd runs find the images in memory; even runs start cold. */
      if (run % 2 == 0)
        kq_image_loader_clear_memory (loader);

      painted = FALSE;
      t0 = now_ms ();
      kq_article_view_set_article (view, article);
      gtk_widget_queue_draw (GTK_WIDGET (view));
      kq_test_ui_wait_for (is_painted, NULL, 5000);
      t1 = now_ms ();
      kq_test_ui_wait_for (is_rendered, view, 20000);
      t2 = now_ms ();
      collect_images (GTK_WIDGET (view), images);
      kq_test_ui_wait_for (all_images_shown, images, 20000);
      t3 = now_ms ();

      g_array_append_vals (visible, &(double) { t1 - t0 }, 1);
      g_array_append_vals (complete, &(double) { t2 - t0 }, 1);
      g_array_append_vals (run % 2 == 0 ? images_cold : images_warm, &(double) { t3 - t0 }, 1);
    }

  printf ("article view in a 1000×800 window (cairo renderer):\n");
  printf ("  set_article → first frame:   %8.2f ms (median of %u)\n", median (visible), visible->len);
  printf ("  → whole body rendered:        %8.2f ms\n", median (complete));
  printf ("  → images in view shown, cold: %8.2f ms (disk cache, decode)\n", median (images_cold));
  printf ("  → images in view shown, warm: %8.2f ms (memory cache)\n", median (images_warm));

  gtk_window_destroy (window);
}

/* The longest gap between two runs of a 1 ms timeout: how long the main
 * loop went without turning (a frame's layout, an idle's work). */
typedef struct
{
  gint64 last;
  gint64 longest;
} Stall;

static gboolean
stall_tick_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

static void
on_rendering_cb (KqArticleView *view,
                 GParamSpec    *pspec,
                 gboolean      *started)
{
  *started |= kq_article_view_get_rendering (view);
}

/* Parsed (on a worker thread, for big bodies), then rendered. */
static gboolean
is_rendered_after (gpointer data)
{
  KqArticleView *view = data;
  gboolean *started = g_object_get_data (G_OBJECT (view), "started");

  return *started && !kq_article_view_get_rendering (view);
}

static void
bench_hostile (const char    *name,
               const char    *html,
               KqTestServer  *server,
               KqImageLoader *loader)
{
  KqArticleView *view = KQ_ARTICLE_VIEW (kq_article_view_new ());
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  g_autoptr(KqArticle) article = kq_article_new ();
  Stall stall = { 0, 0 };
  gboolean started = FALSE;
  guint tick_id;
  double t0, t1;

  kq_article_view_set_image_loader (view, loader);
  gtk_window_set_default_size (window, 1000, 800);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  kq_test_ui_iterate (300);

  kq_article_set_id (article, 1000);
  kq_article_set_source (article, kq_test_server_get_url (server));
  kq_article_set_title (article, "Un corps hostile");
  kq_article_set_body_html (article, html);
  kq_image_loader_clear_memory (loader);
  kq_test_server_reset_request_counts (server);
  g_object_set_data (G_OBJECT (view), "started", &started);
  g_signal_connect (view, "notify::rendering", G_CALLBACK (on_rendering_cb), &started);

  tick_id = g_timeout_add (1, stall_tick_cb, &stall);
  t0 = now_ms ();
  kq_article_view_set_article (view, article);
  kq_test_ui_wait_for (is_rendered_after, view, 120000);
  t1 = now_ms ();
  /* The layout of the last blocks, and the images' answers. */
  kq_test_ui_iterate (1000);
  g_source_remove (tick_id);

  printf ("  %-28s longest main-loop stall: %8.2f ms; whole body in %.0f ms; "
          "%u image requests\n", name, stall.longest / 1000.0, t1 - t0,
          kq_test_server_get_request_count (server, "/wp-content/uploads/"));

  gtk_window_destroy (window);
}

static void
bench_hostile_bodies (KqTestServer  *server,
                      KqImageLoader *loader)
{
  g_autoptr(GString) paragraphs = g_string_new (NULL);
  g_autoptr(GString) list = g_string_new ("<ul>");
  g_autoptr(GString) images = g_string_new (NULL);
  g_autoptr(GString) gallery = g_string_new ("<figure class=\"wp-block-gallery\">");
  g_autoptr(GString) table = g_string_new ("<table>");

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (paragraphs, "<p>Paragraphe %u d’un corps démesuré, assez court "
                            "pour tenir sur une ligne ou deux.</p>\n", i);
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (list, "<li>Élément %u d’une liste sans fin</li>", i);
  g_string_append (list, "</ul>");
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (images, "<figure class=\"wp-block-image\"><img width=\"1024\" "
                            "height=\"576\" src=\"%s/wp-content/uploads/2024/12/"
                            "l-abonnement-game-pass-arrive-aux-etats-1024x576.png?hostile=%u\"/>"
                            "</figure>\n", kq_test_server_get_url (server), i);

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (gallery, "<figure class=\"wp-block-image\"><img width=\"1024\" "
                            "height=\"576\" src=\"%s/wp-content/uploads/2024/12/"
                            "l-abonnement-game-pass-arrive-aux-etats-1024x576.png?galerie=%u\"/>"
                            "</figure>", kq_test_server_get_url (server), i);
  g_string_append (gallery, "</figure>");
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (table, "<tr><td>Ligne %u</td><td>Valeur</td><td>Remarque</td></tr>", i);
  g_string_append (table, "</table>");

  printf ("hostile bodies in a 1000×800 window:\n");
  bench_hostile ("20,000 paragraphs:", paragraphs->str, server, loader);
  bench_hostile ("a list of 20,000 items:", list->str, server, loader);
  bench_hostile ("1,000 images:", images->str, server, loader);
  bench_hostile ("a gallery of 3,000 images:", gallery->str, server, loader);
  bench_hostile ("a table of 3,000 rows:", table->str, server, loader);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KqTestServer) server = NULL;
  g_autoptr(KqHttp) http = NULL;
  g_autoptr(KqImageLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *base = NULL;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  kq_test_ui_init (&argc, &argv);

  server = kq_test_server_new (&error);
  g_assert_no_error (error);
  http = kq_http_new ();
  loader = kq_image_loader_new (http, NULL);
  html = make_article_html (kq_test_server_get_url (server));
  base = g_strdup_printf ("%s/2024/12/06/essai/", kq_test_server_get_url (server));

  bench_render (html, base, loader);
  bench_decode (kq_test_server_get_site_dir (server));
  bench_view (html, server, loader);
  bench_hostile_bodies (server, loader);

  return EXIT_SUCCESS;
}
