/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>

#include "kq-article-view.h"
#include "kq-source.h"
#include "kq-i18n.h"
#include "kq-image.h"
#include "kq-test-server.h"

/*
 * Renders an article of the test site in the article view and saves a PNG,
 * for data/screenshots/ (built, not run by the tests):
 *
 *   LANGUAGE=fr LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 KIOSQUE_LOCALEDIR=<build>/po \
 *   GSETTINGS_SCHEMA_DIR=<build>/data GSETTINGS_BACKEND=memory GSK_RENDERER=cairo \
 *   xvfb-run -a -s '-screen 0 1280x1400x24' <build>/tests/screenshot-article \
 *     --post 353425 [--dark] [--width 900] [--height 1100] article-light.png
 */

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
on_post_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  KqArticle **article = user_data;
  g_autoptr(GError) error = NULL;

  *article = kq_source_get_post_finish (KQ_SOURCE (object), result, &error);
  if (*article == NULL)
    g_error ("Could not get the post: %s", error->message);
}

static void
run_until (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!condition (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
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

static gboolean
is_ready (gpointer data)
{
  KqArticleView *view = data;
  g_autoptr(GPtrArray) images = g_ptr_array_new ();

  if (kq_article_view_get_rendering (view))
    return FALSE;

  collect_images (GTK_WIDGET (view), images);
  for (guint i = 0; i < images->len; i++)
    {
      KqImage *image = g_ptr_array_index (images, i);

      /* Deferred: far from the window's part of the article, not loading. */
      if (kq_image_get_url (image) != NULL && gtk_widget_get_mapped (GTK_WIDGET (image)) &&
          !kq_image_get_deferred (image) && !kq_image_get_blocked (image) &&
          kq_image_get_texture (image) == NULL && !kq_image_get_failed (image))
        return FALSE;
    }

  return TRUE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KqTestServer) server = NULL;
  g_autoptr(KqHttp) http = NULL;
  g_autoptr(KqSource) source = NULL;
  g_autoptr(KqImageLoader) loader = NULL;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GtkCssProvider) css = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GskRenderNode *node;
  GtkSnapshot *snapshot;
  GtkWidget *window, *box, *header, *view;
  gint64 post = 0;
  gboolean dark = FALSE;
  int width = 900, height = 1100;
  GOptionEntry entries[] = {
    { "post", 0, 0, G_OPTION_ARG_INT64, &post, "Post id of the test site", "ID" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Dark style", NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", "PX" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", "PX" },
    { NULL }
  };

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  kq_i18n_init ();

  options = g_option_context_new ("OUTPUT.png");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || argc != 2 || post == 0)
    {
      fprintf (stderr, "Usage: %s --post ID [--dark] OUTPUT.png\n", argv[0]);
      return EXIT_FAILURE;
    }

  gtk_init ();
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  /* What AdwApplication does for the app. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  server = kq_test_server_new (&error);
  g_assert_no_error (error);
  http = kq_http_new ();
  source = kq_source_new (http, kq_test_server_get_url (server));
  loader = kq_image_loader_new (http, NULL);

  kq_source_get_post_async (source, post, NULL, on_post_cb, &article);
  run_until (is_set, &article, 10000);
  g_assert_nonnull (article);

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Kiosque", NULL));
  view = kq_article_view_new ();
  gtk_widget_set_vexpand (view, TRUE);
  kq_article_view_set_image_loader (KQ_ARTICLE_VIEW (view), loader);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), view);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));

  kq_article_view_set_article (KQ_ARTICLE_VIEW (view), article);
  run_until (is_ready, view, 15000);
  /* No focus: the window would select the title, the first focusable label. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  gtk_label_select_region (GTK_LABEL (gtk_widget_get_template_child (view, KQ_TYPE_ARTICLE_VIEW, "title_label")), 0, 0);
  run_until (never, NULL, 300);

  /* The window's content as the renderer draws it. */
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  if (!gdk_texture_save_to_png (texture, argv[1]))
    {
      fprintf (stderr, "Could not write %s\n", argv[1]);
      return EXIT_FAILURE;
    }
  printf ("%s: %d×%d, post %" G_GINT64_FORMAT " (%s)\n", argv[1], width, height, post,
          kq_article_get_title (article));

  gtk_window_destroy (GTK_WINDOW (window));
  return EXIT_SUCCESS;
}
