/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kq-article-view.h"
#include "kq-article-view-private.h"
#include "kq-source.h"
#include "kq-block-renderer.h"
#include "kq-html.h"
#include "kq-image.h"
#include "kq-test-server.h"
#include "kq-test-ui.h"

/* Runs in French (LANGUAGE=fr, see tests/meson.build): the header's words
 * and dates are checked as a French reader sees them. */

static KqTestServer  *server;
static KqHttp        *http;
static KqSource      *source;
static KqLibrary     *library;   /* the comments' */
static KqImageLoader *loader;

/* Widget helpers */

static void
collect (GtkWidget  *root,
         GType       type,
         const char *css_class,
         GPtrArray  *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (css_class == NULL || gtk_widget_has_css_class (child, css_class)))
        g_ptr_array_add (out, child);
      collect (child, type, css_class, out);
    }
}

static GPtrArray *
find_all (GtkWidget  *root,
          GType       type,
          const char *css_class)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (root, type, css_class, out);
  return out;
}

static gpointer
child (KqArticleView *view,
       const char    *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (view), KQ_TYPE_ARTICLE_VIEW, name);

  g_assert_nonnull (object);
  return object;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
has_texture (gpointer data)
{
  return kq_image_get_texture (KQ_IMAGE (data)) != NULL || kq_image_get_failed (KQ_IMAGE (data));
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

static gboolean
is_rendered (gpointer data)
{
  return !kq_article_view_get_rendering (KQ_ARTICLE_VIEW (data));
}

static void
set_article_and_wait (KqArticleView *view,
                      KqArticle     *article)
{
  kq_article_view_set_article (view, article);
  g_assert_true (kq_test_ui_wait_for (is_rendered, view, 10000));
}

static double
font_size (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);

  return pango_font_description_get_size (pango_context_get_font_description (context));
}

/* Launcher that records instead of opening a browser. */

typedef struct
{
  guint  count;
  char  *last;
} Launches;

static gboolean
fake_launcher (KqArticleView *view,
               const char    *uri,
               gpointer       user_data)
{
  Launches *launches = user_data;

  launches->count++;
  g_free (launches->last);
  launches->last = g_strdup (uri);
  return TRUE;
}

/* The test site */

/* A post of the fixture site with an image and its caption, a heading, a
 * link to the site itself and threaded comments. */
static gint64
find_rich_post (guint *n_comments)
{
  g_autofree char *path = g_build_filename (kq_test_server_get_site_dir (server), "site.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *site;
  JsonArray *posts, *comments;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  site = json_node_get_object (json_parser_get_root (parser));
  posts = json_object_get_array_member (site, "posts");
  comments = json_object_get_array_member (site, "comments");

  for (guint i = 0; i < json_array_get_length (posts); i++)
    {
      JsonObject *post = json_array_get_object_element (posts, i);
      gint64 id = json_object_get_int_member (post, "id");
      const char *html = json_object_get_string_member (json_object_get_object_member (post, "content"), "rendered");
      gboolean reply = FALSE;
      guint count = 0;

      if (strstr (html, "wp-block-image") == NULL || strstr (html, "<figcaption") == NULL ||
          strstr (html, "<h2") == NULL || strstr (html, "href=\"{{SITE}}/") == NULL ||
          g_strcmp0 (json_object_get_string_member (post, "comment_status"), "open") != 0)
        continue;

      for (guint j = 0; j < json_array_get_length (comments); j++)
        {
          JsonObject *comment = json_array_get_object_element (comments, j);

          if (json_object_get_int_member (comment, "post") != id)
            continue;
          count++;
          reply |= json_object_get_int_member (comment, "parent") != 0;
        }

      if (reply)
        {
          *n_comments = count;
          return id;
        }
    }

  g_assert_not_reached ();
}

static void
on_post_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  KqArticle **article = user_data;
  g_autoptr(GError) error = NULL;

  *article = kq_source_get_post_finish (KQ_SOURCE (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static KqArticle *
fetch_post (gint64 id)
{
  KqArticle *article = NULL;

  kq_source_get_post_async (source, id, NULL, on_post_cb, &article);
  g_assert_true (kq_test_ui_wait_for (is_set, &article, 10000));

  return article;
}

static KqArticleView *
open_view (GtkWindow **window)
{
  KqArticleView *view = KQ_ARTICLE_VIEW (kq_article_view_new ());

  kq_article_view_set_image_loader (view, loader);
  kq_article_view_set_library (view, library);

  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (*window, 900, 1000);
  gtk_window_set_child (*window, GTK_WIDGET (view));
  gtk_window_present (*window);
  g_assert_true (kq_test_ui_wait_for (is_mapped, view, 5000));

  return view;
}

static KqArticle *
make_article (const char *body_html)
{
  KqArticle *article = kq_article_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2021, 7, 19, 16, 38, 0);
  g_autoptr(GDateTime) modified = g_date_time_add_hours (date, 2);
  const char *categories[] = { "Matériel", NULL };

  kq_article_set_id (article, 1);
  kq_article_set_source (article, kq_test_server_get_url (server));
  kq_article_set_title (article, "Un titre d’essai");
  kq_article_set_author (article, "Camille Rousseau");
  kq_article_set_link (article, "https://kulturegeek.fr/2021/07/19/un-titre-d-essai/");
  kq_article_set_date (article, date);
  kq_article_set_modified (article, modified);
  kq_article_set_category_names (article, categories);
  kq_article_set_body_html (article, body_html);
  kq_article_set_reading_minutes (article, 2);
  kq_article_set_comment_count (article, 3);
  kq_article_set_comments_open (article, TRUE);

  return article;
}

/* Tests */

static void
test_empty_state (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(KqArticle) article = make_article ("<p>Bonjour.</p>");
  Launches launches = { 0 };

  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (view, "stack")), ==, "empty");
  kq_article_view_set_uri_launcher (view, fake_launcher, &launches, NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "article.open-in-browser", NULL);
  g_assert_cmpuint (launches.count, ==, 0);

  kq_article_view_set_article (view, article);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (view, "stack")), ==, "article");
  kq_article_view_set_article (view, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (view, "stack")), ==, "empty");
  g_assert_null (kq_article_view_get_article (view));

  gtk_window_destroy (window);
}

static void
test_header_in_french (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(KqArticle) article = make_article ("<p>Bonjour.</p>");
  g_autoptr(GDateTime) date = NULL;
  GtkLabel *meta;

  kq_article_view_set_article (view, article);

  g_assert_cmpstr (gtk_label_get_text (child (view, "category_label")), ==, "Matériel");
  g_assert_cmpstr (gtk_label_get_text (child (view, "title_label")), ==, "Un titre d’essai");
  g_assert_cmpstr (gtk_label_get_text (child (view, "byline_label")), ==, "Par Camille Rousseau");
  meta = child (view, "meta_label");
  g_assert_cmpstr (gtk_label_get_text (meta), ==,
                   "19 juil. 2021 • 16:38 · 2 min de lecture · 3 commentaires");
  g_assert_true (gtk_widget_get_visible (child (view, "updated_label")));
  g_assert_cmpstr (gtk_label_get_text (child (view, "updated_label")), ==,
                   "Mis à jour le 19 juil. 2021 • 18:38");
  g_assert_cmpstr (gtk_button_get_label (child (view, "comments_button")), ==, "3 commentaires");

  /* A correction within the hour is not an update; one comment is singular. */
  date = g_date_time_add_minutes (kq_article_get_date (article), 40);
  kq_article_set_modified (article, date);
  kq_article_set_comment_count (article, 1);
  kq_article_set_reading_minutes (article, 1);
  kq_article_view_set_article (view, NULL);
  kq_article_view_set_article (view, article);
  g_assert_false (gtk_widget_get_visible (child (view, "updated_label")));
  g_assert_cmpstr (gtk_label_get_text (meta), ==,
                   "19 juil. 2021 • 16:38 · 1 min de lecture · 1 commentaire");

  /* No featured image: no placeholder either. */
  g_assert_false (gtk_widget_get_visible (child (view, "featured_image")));

  gtk_window_destroy (window);
}

static void
test_site_article (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  guint n_comments = 0;
  gint64 id = find_rich_post (&n_comments);
  g_autoptr(KqArticle) article = fetch_post (id);
  g_autoptr(KqHtmlDocument) document = NULL;
  g_autoptr(GPtrArray) expected_headings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) captions = NULL;
  g_autofree char *expected_caption = NULL;
  g_autofree char *site_link = NULL;
  g_autofree char *image_path = NULL;
  GtkWidget *body = GTK_WIDGET (child (view, "body_container"));
  GPtrArray *blocks;
  KqImage *image = NULL;
  gboolean found_link = FALSE;

  set_article_and_wait (view, article);
  g_assert_cmpstr (gtk_label_get_text (child (view, "title_label")), ==, kq_article_get_title (article));

  /* What the body should hold, from the same block document. */
  document = kq_html_parse (kq_article_get_body_html (article), -1, kq_article_get_link (article), NULL);
  blocks = kq_html_document_get_blocks (document);
  for (guint i = 0; i < blocks->len; i++)
    {
      KqBlock *block = g_ptr_array_index (blocks, i);

      if (kq_block_get_kind (block) == KQ_BLOCK_HEADING)
        g_ptr_array_add (expected_headings, kq_block_runs_to_text (kq_block_get_runs (block)));
      else if (kq_block_get_kind (block) == KQ_BLOCK_IMAGE && expected_caption == NULL &&
               kq_block_get_caption (block)->len > 0)
        {
          g_autoptr(GUri) uri = g_uri_parse (kq_block_get_url (block), G_URI_FLAGS_NONE, NULL);

          expected_caption = kq_block_runs_to_text (kq_block_get_caption (block));
          image_path = g_strdup (g_uri_get_path (uri));
        }
      else if (kq_block_get_kind (block) == KQ_BLOCK_PARAGRAPH && site_link == NULL)
        {
          GPtrArray *runs = kq_block_get_runs (block);

          for (guint r = 0; r < runs->len; r++)
            {
              KqRun *run = g_ptr_array_index (runs, r);

              if (run->href != NULL && g_str_has_prefix (run->href, kq_test_server_get_url (server)))
                site_link = g_strdup (run->href);
            }
        }
    }
  g_assert_cmpuint (expected_headings->len, >, 0);
  g_assert_nonnull (expected_caption);
  g_assert_nonnull (site_link);

  /* Headings, in order, with their title classes. */
  labels = find_all (body, GTK_TYPE_LABEL, "kq-heading");
  g_assert_cmpuint (labels->len, ==, expected_headings->len);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, g_ptr_array_index (expected_headings, i));
      g_assert_true (gtk_widget_has_css_class (label, "title-1") || gtk_widget_has_css_class (label, "title-2") ||
                     gtk_widget_has_css_class (label, "title-3") || gtk_widget_has_css_class (label, "title-4"));
    }

  /* The caption under its image. */
  captions = find_all (body, GTK_TYPE_LABEL, "kq-caption");
  g_assert_cmpuint (captions->len, >, 0);
  g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (captions, 0)), ==, expected_caption);

  /* The image, loaded from the test server into a texture. */
  images = find_all (body, KQ_TYPE_IMAGE, NULL);
  for (guint i = 0; i < images->len && image == NULL; i++)
    if (g_str_has_suffix (kq_image_get_url (g_ptr_array_index (images, i)), image_path))
      image = g_ptr_array_index (images, i);
  g_assert_nonnull (image);
  g_assert_true (kq_test_ui_wait_for (has_texture, image, 10000));
  g_assert_false (kq_image_get_failed (image));
  g_assert_nonnull (kq_image_get_texture (image));
  g_assert_cmpint (gdk_texture_get_width (kq_image_get_texture (image)), <=, 720);
  g_assert_cmpuint (kq_test_server_get_request_count (server, image_path), >=, 1);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (image)), >, 50);

  /* The featured image too. */
  g_assert_true (gtk_widget_get_visible (child (view, "featured_image")));
  g_assert_true (kq_test_ui_wait_for (has_texture, child (view, "featured_image"), 10000));
  g_assert_nonnull (kq_image_get_texture (child (view, "featured_image")));

  /* A link to the site, clickable in the paragraph's markup. */
  g_clear_pointer (&labels, g_ptr_array_unref);
  labels = find_all (body, GTK_TYPE_LABEL, "kq-paragraph");
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      g_autofree char *anchor = g_strdup_printf ("<a href=\"%s\"", site_link);

      g_assert_true (gtk_label_get_selectable (label));
      g_assert_true (gtk_label_get_wrap (label));
      if (strstr (gtk_label_get_label (label), anchor) != NULL)
        {
          /* Parsed as markup: the reader sees the link text, not the tag. */
          g_assert_true (gtk_label_get_use_markup (label));
          g_assert_null (strstr (gtk_label_get_text (label), "<a "));
          found_link = TRUE;
        }
    }
  g_assert_true (found_link);

  /* Text clamped for reading. */
  g_assert_cmpint (gtk_widget_get_width (child (view, "content_box")), <=, 720);

  /* The comment count from the site, in French. */
  {
    g_autofree char *count = g_strdup_printf ("%u commentaires", kq_article_get_comment_count (article));

    g_assert_cmpuint (kq_article_get_comment_count (article), ==, n_comments);
    g_assert_cmpstr (gtk_button_get_label (child (view, "comments_button")), ==, count);
  }

  gtk_window_destroy (window);
}

static void
test_text_scale (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(KqArticle) article = make_article ("<h2>Un intertitre</h2><p>Un paragraphe assez long pour "
                                              "être mesuré correctement.</p>");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_autoptr(GPtrArray) headings = NULL;
  GtkWidget *paragraph, *heading;
  double base, heading_base;

  kq_article_view_set_article (view, article);
  kq_test_ui_iterate (50);
  paragraphs = find_all (GTK_WIDGET (view), GTK_TYPE_LABEL, "kq-paragraph");
  headings = find_all (GTK_WIDGET (view), GTK_TYPE_LABEL, "kq-heading");
  g_assert_cmpuint (paragraphs->len, ==, 1);
  g_assert_cmpuint (headings->len, ==, 1);
  paragraph = g_ptr_array_index (paragraphs, 0);
  heading = g_ptr_array_index (headings, 0);
  base = font_size (paragraph);
  heading_base = font_size (heading);
  g_assert_cmpfloat (heading_base, >, base);
  g_assert_cmpfloat (kq_article_view_get_text_scale (view), ==, 1.0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.zoom-in", NULL));
  kq_test_ui_iterate (50);
  g_assert_cmpfloat_with_epsilon (kq_article_view_get_text_scale (view), 1.1, 0.001);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "text-scale"), 1.1, 0.001);
  g_assert_cmpfloat_with_epsilon (font_size (paragraph) / base, 1.1, 0.02);
  /* Headings grow with the text. */
  g_assert_cmpfloat_with_epsilon (font_size (heading) / heading_base, 1.1, 0.02);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.zoom-reset", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.zoom-out", NULL));
  kq_test_ui_iterate (50);
  g_assert_cmpfloat_with_epsilon (kq_article_view_get_text_scale (view), 0.9, 0.001);
  g_assert_cmpfloat (font_size (paragraph), <, base);

  /* The smallest step, then no further. */
  for (guint i = 0; i < 10; i++)
    gtk_widget_activate_action (GTK_WIDGET (view), "article.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (kq_article_view_get_text_scale (view), 0.7, 0.001);

  /* Persisted: the setting drives a new view too. */
  g_settings_set_double (settings, "text-scale", 1.5);
  g_assert_cmpfloat_with_epsilon (kq_article_view_get_text_scale (view), 1.5, 0.001);
  gtk_window_destroy (window);
  view = open_view (&window);
  g_assert_cmpfloat_with_epsilon (kq_article_view_get_text_scale (view), 1.5, 0.001);
  g_settings_reset (settings, "text-scale");
  g_assert_cmpfloat_with_epsilon (kq_article_view_get_text_scale (view), 1.0, 0.001);

  gtk_window_destroy (window);
}

static gboolean
on_open_article_link_cb (KqArticleView *view,
                         const char    *uri,
                         char         **out)
{
  g_free (*out);
  *out = g_strdup (uri);
  return TRUE;
}

static void
test_links_and_browser (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(KqArticle) article = make_article ("<p>Bonjour.</p>");
  g_autoptr(KqArticle) hostile = make_article ("<p>Bonjour.</p>");
  g_autofree char *internal = NULL;
  g_autofree char *category = NULL;
  g_autofree char *upload = NULL;
  g_autofree char *opened = NULL;
  Launches launches = { 0 };
  const char *refused[] = {
    "javascript:alert(1)", "JavaScript:alert(document.cookie)", "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>", "ftp://example.org/", "mailto:a@b.fr", "",
  };

  kq_article_view_set_uri_launcher (view, fake_launcher, &launches, NULL);
  g_signal_connect (view, "open-article-link", G_CALLBACK (on_open_article_link_cb), &opened);

  /* An article whose link is javascript: is never opened. */
  kq_article_set_link (hostile, "javascript:alert(1)");
  kq_article_view_set_article (view, hostile);
  gtk_widget_activate_action (GTK_WIDGET (view), "article.open-in-browser", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "article.copy-link", NULL);
  g_assert_cmpuint (launches.count, ==, 0);

  kq_article_view_set_article (view, article);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (kq_article_view_open_uri (view, refused[i]));
      gtk_widget_activate_action (GTK_WIDGET (view), "article.open-link", "s", refused[i]);
    }
  g_assert_cmpuint (launches.count, ==, 0);
  g_assert_null (opened);

  /* The article itself, in the browser. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.open-in-browser", NULL));
  g_assert_cmpuint (launches.count, ==, 1);
  g_assert_cmpstr (launches.last, ==, kq_article_get_link (article));

  /* Another site: the browser. */
  gtk_widget_activate_action (GTK_WIDGET (view), "article.open-link", "s", "https://www.example.org/page");
  g_assert_cmpuint (launches.count, ==, 2);
  g_assert_cmpstr (launches.last, ==, "https://www.example.org/page");

  /* Another article of the same site: inside Kiosque. */
  internal = g_strconcat (kq_test_server_get_url (server), "/2024/12/06/un-autre-article/", NULL);
  g_assert_true (kq_article_view_is_article_link (view, internal));
  gtk_widget_activate_action (GTK_WIDGET (view), "article.open-link", "s", internal);
  g_assert_cmpstr (opened, ==, internal);
  g_assert_cmpuint (launches.count, ==, 2);

  /* The site's category pages and files are not articles. */
  category = g_strconcat (kq_test_server_get_url (server), "/category/materiel/", NULL);
  upload = g_strconcat (kq_test_server_get_url (server), "/wp-content/uploads/2024/12/a.png", NULL);
  g_assert_false (kq_article_view_is_article_link (view, category));
  g_assert_false (kq_article_view_is_article_link (view, upload));
  g_assert_false (kq_article_view_is_article_link (view, kq_test_server_get_url (server)));

  /* Copy link. */
  gtk_widget_activate_action (GTK_WIDGET (view), "article.copy-link", NULL);
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (view));
    const GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
    GValue value = G_VALUE_INIT;

    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value ((GdkContentProvider *) content, &value, NULL));
    g_assert_cmpstr (g_value_get_string (&value), ==, kq_article_get_link (article));
    g_value_unset (&value);
  }

  kq_article_view_set_uri_launcher (view, NULL, NULL, NULL);
  g_free (launches.last);
  gtk_window_destroy (window);
}

static void
on_bookmark_toggled_cb (KqArticleView *view,
                        KqArticle     *article,
                        gboolean       bookmarked,
                        int           *state)
{
  *state = bookmarked;
}

static void
test_bookmark (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(KqArticle) article = make_article ("<p>Bonjour.</p>");
  int state = -1;

  g_signal_connect (view, "bookmark-toggled", G_CALLBACK (on_bookmark_toggled_cb), &state);
  kq_article_view_set_article (view, article);
  g_assert_false (kq_article_view_get_bookmarked (view));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.toggle-bookmark", NULL));
  g_assert_cmpint (state, ==, TRUE);
  g_assert_true (kq_article_get_bookmarked (article));
  g_assert_true (kq_article_view_get_bookmarked (view));
  g_assert_cmpstr (gtk_button_get_icon_name (child (view, "bookmark_button")), ==, "starred-symbolic");

  /* The store may change it too: the view follows the article. */
  kq_article_set_bookmarked (article, FALSE);
  g_assert_false (kq_article_view_get_bookmarked (view));
  g_assert_cmpstr (gtk_button_get_icon_name (child (view, "bookmark_button")), ==, "non-starred-symbolic");

  gtk_window_destroy (window);
}

static gboolean
list_filled (gpointer data)
{
  KqArticleView *view = data;

  return gtk_widget_get_visible (child (view, "comments_list")) ||
         gtk_widget_get_visible (child (view, "comments_error_box"));
}

static gboolean
comments_all_shown (gpointer data)
{
  gboolean more = TRUE;

  _kq_article_view_get_n_comments_shown (data, &more);
  return !more;
}

static void
test_comments (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  guint n_comments = 0;
  gint64 id = find_rich_post (&n_comments);
  g_autoptr(KqArticle) article = fetch_post (id);
  g_autoptr(KqArticle) closed = make_article ("<p>Bonjour.</p>");
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GPtrArray) authors = NULL;
  g_autofree char *title = NULL;
  gboolean indented = FALSE;

  kq_article_view_set_article (view, article);
  g_assert_true (gtk_widget_get_visible (child (view, "comments_button")));
  g_assert_false (gtk_widget_get_visible (child (view, "comments_list")));

  /* An error first, shown inline with Retry. */
  kq_test_server_add_fault (server, "/wp-json/wp/v2/comments", KQ_TEST_FAULT_NOT_FOUND, 0, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.load-comments", NULL));
  g_assert_true (kq_test_ui_wait_for (list_filled, view, 10000));
  g_assert_true (gtk_widget_get_visible (child (view, "comments_error_box")));
  g_assert_cmpstr (gtk_label_get_text (child (view, "comments_error_label")), !=, "");
  g_assert_false (gtk_widget_get_visible (child (view, "comments_list")));

  /* Retry: the threaded comments, read-only, with authors and dates. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.load-comments", NULL));
  g_assert_false (gtk_widget_get_visible (child (view, "comments_error_box")));
  g_assert_true (kq_test_ui_wait_for (is_visible, child (view, "comments_list"), 10000));
  g_assert_true (kq_test_ui_wait_for (comments_all_shown, view, 10000));

  comments = find_all (child (view, "comments_list"), GTK_TYPE_BOX, "kq-comment");
  g_assert_cmpuint (comments->len, ==, n_comments);
  for (guint i = 0; i < comments->len; i++)
    {
      GtkWidget *comment = g_ptr_array_index (comments, i);

      if (gtk_widget_has_css_class (comment, "kq-reply"))
        {
          g_assert_cmpint (gtk_widget_get_margin_start (comment), >=, 24);
          indented = TRUE;
        }
      else
        {
          g_assert_cmpint (gtk_widget_get_margin_start (comment), ==, 0);
        }
    }
  g_assert_true (indented);
  /* The first comment opens a thread. */
  g_assert_false (gtk_widget_has_css_class (g_ptr_array_index (comments, 0), "kq-reply"));
  authors = find_all (child (view, "comments_list"), GTK_TYPE_LABEL, "kq-comment-author");
  g_assert_cmpuint (authors->len, ==, n_comments);
  title = g_strdup_printf ("%u commentaires", n_comments);
  g_assert_cmpstr (gtk_label_get_text (child (view, "comments_title")), ==, title);
  g_assert_false (gtk_widget_get_visible (child (view, "comments_button")));

  /* Another article: the section starts over. */
  kq_article_set_comment_count (closed, 0);
  kq_article_set_comments_open (closed, FALSE);
  kq_article_view_set_article (view, closed);
  g_assert_false (gtk_widget_get_visible (child (view, "comments_list")));
  g_assert_false (gtk_widget_get_visible (child (view, "comments_button")));
  g_assert_true (gtk_widget_get_visible (child (view, "comments_status_label")));
  g_assert_cmpstr (gtk_label_get_text (child (view, "comments_status_label")), ==,
                   "Les commentaires sont fermés");

  /* An article of another site (a bookmark): not asked of this source. */
  {
    g_autoptr(KqArticle) elsewhere = make_article ("<p>Bonjour.</p>");

    kq_article_set_source (elsewhere, "https://ailleurs.example");
    kq_article_view_set_article (view, elsewhere);
    kq_test_server_reset_request_counts (server);
    gtk_widget_activate_action (GTK_WIDGET (view), "article.load-comments", NULL);
    kq_test_ui_iterate (100);
    g_assert_false (gtk_widget_get_visible (child (view, "comments_spinner")));
    g_assert_cmpuint (kq_test_server_get_request_count (server, "/wp-json/wp/v2/comments"), ==, 0);
  }

  gtk_window_destroy (window);
}

static void
test_comments_cancelled (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  guint n_comments = 0;
  gint64 id = find_rich_post (&n_comments);
  g_autoptr(KqArticle) article = fetch_post (id);
  g_autoptr(KqArticle) other = make_article ("<p>Bonjour.</p>");

  /* Changing the article while comments load drops them. */
  kq_test_server_add_fault (server, "/wp-json/wp/v2/comments", KQ_TEST_FAULT_DELAY, 300, 1);
  kq_article_view_set_article (view, article);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.load-comments", NULL));
  kq_article_view_set_article (view, other);
  kq_test_ui_iterate (600);
  g_assert_false (gtk_widget_get_visible (child (view, "comments_list")));
  g_assert_false (gtk_widget_get_visible (child (view, "comments_error_box")));
  g_assert_false (gtk_widget_get_visible (child (view, "comments_spinner")));

  /* Disposing the view with work in flight is quiet too. */
  kq_test_server_add_fault (server, "/wp-json/wp/v2/comments", KQ_TEST_FAULT_DELAY, 300, 1);
  kq_article_view_set_article (view, article);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.load-comments", NULL));
  gtk_window_destroy (window);
  kq_test_ui_iterate (600);
}

static gboolean
is_short (gpointer data)
{
  return gtk_widget_get_height (GTK_WIDGET (data)) < 100;
}

/* A feed's article has no featured image: its image is the body's first
 * one, shown above the body; the body does not show it a second time. */
static void
test_featured_image_once (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  const char *site = kq_test_server_get_url (server);
  g_autofree char *image = g_strdup_printf ("%s/wp-content/uploads/photo-1024x683.jpg", site);
  g_autofree char *html = g_strdup_printf (
    "<figure class=\"wp-block-image size-large\"><img src=\"%s\" width=\"1024\" height=\"683\" "
    "srcset=\"%s/wp-content/uploads/photo-300x200.jpg 300w, %s 1024w\"></figure>\n"
    "<p>Le texte de l’article.</p>\n"
    "<figure class=\"wp-block-image\"><img src=\"%s/wp-content/uploads/autre.jpg\"></figure>",
    image, site, image, site);
  g_autoptr(KqArticle) article = make_article (html);
  g_autoptr(KqArticle) other = make_article (html);
  g_autoptr(GPtrArray) images = NULL;

  kq_article_set_image (article, image, 1024, 683);
  set_article_and_wait (view, article);
  g_assert_true (gtk_widget_get_visible (child (view, "featured_image")));
  images = find_all (child (view, "body_container"), KQ_TYPE_IMAGE, NULL);
  g_assert_cmpuint (images->len, ==, 1);
  g_assert_true (g_str_has_suffix (kq_image_get_url (g_ptr_array_index (images, 0)), "/autre.jpg"));
  g_clear_pointer (&images, g_ptr_array_unref);

  /* Another picture above the body: the body keeps all of its own. */
  kq_article_set_id (other, 2);
  kq_article_set_image (other, "https://ailleurs.exemple.fr/une.jpg", 1200, 800);
  set_article_and_wait (view, other);
  images = find_all (child (view, "body_container"), KQ_TYPE_IMAGE, NULL);
  g_assert_cmpuint (images->len, ==, 2);

  gtk_window_destroy (window);
}

static void
test_hostile_body (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(GString) html = g_string_new (NULL);
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) images = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "<p>Tout au fond.</p>");
  for (guint i = 0; i < 300; i++)
    g_string_append (html, "<blockquote><ul><li>");
  g_string_append (html, "Très imbriqué");
  g_string_append (html, "<script>alert('piège')</script><style>body{display:none}</style>"
                         "<p onclick=\"alert(1)\">Un <a href=\"javascript:alert(1)\">lien piégé</a> "
                         "et <a href=\"data:text/html,x\">un autre</a>.</p>"
                         "<img src=\"data:image/png;base64,AAAA\"><img src=\"javascript:x\">"
                         "<p>Du <b>gras <i>non fermé<p>&lt;b&gt; pas du markup &amp; &#xfffe; \xff\xfe</p>"
                         "<table><tr><td>a<td>b<tr><td colspan=99999>c</table>"
                         "<iframe src=\"https://evil.example/\"></iframe>");

  article = make_article (html->str);
  set_article_and_wait (view, article);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (view, "stack")), ==, "article");
  labels = find_all (child (view, "body_container"), GTK_TYPE_LABEL, NULL);
  g_assert_cmpuint (labels->len, >, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *markup = gtk_label_get_label (g_ptr_array_index (labels, i));

      g_assert_null (strstr (markup, "piège"));
      g_assert_null (strstr (markup, "javascript:"));
      g_assert_null (strstr (markup, "data:"));
      g_assert_null (strstr (markup, "display:none"));
    }
  images = find_all (child (view, "body_container"), KQ_TYPE_IMAGE, NULL);
  g_assert_cmpuint (images->len, ==, 0);

  /* A failing image shows the small placeholder, the rest stays. */
  {
    g_autoptr(KqArticle) broken = NULL;
    g_autofree char *body = g_strdup_printf ("<figure class=\"wp-block-image\"><img src=\"%s/wp-content/uploads/nope.png\" "
                                             "width=\"800\" height=\"450\"><figcaption>Absente</figcaption></figure>"
                                             "<p>Après l’image.</p>", kq_test_server_get_url (server));
    KqImage *image;

    broken = make_article (body);
    set_article_and_wait (view, broken);
    g_clear_pointer (&images, g_ptr_array_unref);
    images = find_all (child (view, "body_container"), KQ_TYPE_IMAGE, NULL);
    g_assert_cmpuint (images->len, ==, 1);
    image = g_ptr_array_index (images, 0);
    g_assert_true (kq_test_ui_wait_for (has_texture, image, 10000));
    g_assert_true (kq_image_get_failed (image));
    g_assert_null (kq_image_get_texture (image));
    /* The placeholder shrinks at the next layout, not at once. */
    g_assert_true (kq_test_ui_wait_for (is_short, image, 5000));
    g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (image)), <, 100);
  }

  gtk_window_destroy (window);
}

static void
test_long_article_in_steps (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(GString) html = g_string_new (NULL);
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) all = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (html, "<p>Paragraphe numéro %u, assez court.</p>", i);
  article = make_article (html->str);

  /* A screenful at once, the rest between frames, in order. */
  kq_article_view_set_article (view, article);
  g_assert_true (kq_article_view_get_rendering (view));
  first = find_all (child (view, "body_container"), GTK_TYPE_LABEL, "kq-paragraph");
  g_assert_cmpuint (first->len, >, 0);
  g_assert_cmpuint (first->len, <, 200);
  g_assert_true (kq_test_ui_wait_for (is_rendered, view, 10000));
  all = find_all (child (view, "body_container"), GTK_TYPE_LABEL, "kq-paragraph");
  g_assert_cmpuint (all->len, ==, 200);
  g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (all, 199)), ==, "Paragraphe numéro 199, assez court.");

  /* Switching article half-way stops the old one. */
  kq_article_view_set_article (view, NULL);
  kq_article_view_set_article (view, article);
  kq_article_view_set_article (view, NULL);
  g_assert_false (kq_article_view_get_rendering (view));
  kq_test_ui_iterate (100);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = find_all (child (view, "body_container"), GTK_TYPE_LABEL, NULL);
  g_assert_cmpuint (all->len, ==, 0);

  gtk_window_destroy (window);
}

/* Issue 12: a body naming 480 images (core keeps 500 of an article). Each
 * loads once it comes within a screen of the visible part, never all at
 * once; and one article fetches KQ_BLOCK_RENDERER_DEFAULT_MAX_IMAGES at
 * most, the rest show their placeholder. */

#define MANY_IMAGES 480
#define IMAGE_PATH  "/wp-content/uploads/2024/12/l-abonnement-game-pass-arrive-aux-etats-1024x576.png"

typedef struct
{
  GPtrArray  *images;  /* KqImage, in document order */
  const char *prefix;  /* of the requests for them */
  guint       more_than;
} ManyImages;

static KqArticle *
make_many_images_article (const char *tag,
                          guint       width,
                          guint       height)
{
  g_autoptr(GString) html = g_string_new ("<p>Une galerie sans fin.</p>");

  for (guint i = 0; i < MANY_IMAGES; i++)
    g_string_append_printf (html, "<figure class=\"wp-block-image\"><img width=\"%u\" height=\"%u\" "
                            "src=\"%s" IMAGE_PATH "?%s=%u\"/></figure>",
                            width, height, kq_test_server_get_url (server), tag, i);
  return make_article (html->str);
}

/* Every image asked of the server has been shown (or has failed), and more
 * than many->more_than were: the view has stopped asking for the moment. While loads
 * are in flight, the server has always seen more requests than the view
 * has images. */
static gboolean
requests_settled (gpointer data)
{
  ManyImages *many = data;
  guint requests = kq_test_server_get_request_count (server, many->prefix);
  guint shown = 0;

  for (guint i = 0; i < many->images->len; i++)
    shown += has_texture (g_ptr_array_index (many->images, i));

  return requests > many->more_than && shown == requests;
}

static void
scroll_to (KqArticleView *view,
           double         value)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (child (view, "scrolled_window"));

  gtk_adjustment_set_value (adjustment, value);
}

static void
test_images_load_near_view (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(KqArticle) article = make_many_images_article ("proche", 1024, 576);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (child (view, "scrolled_window"));
  ManyImages many = { NULL, IMAGE_PATH "?proche=", 0 };
  guint first, second;

  set_article_and_wait (view, article);
  many.images = find_all (child (view, "body_container"), KQ_TYPE_IMAGE, NULL);
  g_assert_cmpuint (many.images->len, ==, MANY_IMAGES);

  /* The top: the images of the first screens (each about 400 px high in a
   * 1,000 px window), not the hundreds. */
  g_assert_true (kq_test_ui_wait_for (requests_settled, &many, 20000));
  first = kq_test_server_get_request_count (server, many.prefix);
  g_assert_cmpuint (first, >=, 2);
  g_assert_cmpuint (first, <=, 12);
  g_assert_nonnull (kq_image_get_texture (g_ptr_array_index (many.images, 0)));
  g_assert_null (kq_image_get_texture (g_ptr_array_index (many.images, MANY_IMAGES / 2)));

  /* Further down: the images there, a few more. */
  scroll_to (view, gtk_adjustment_get_upper (adjustment) / 2);
  many.more_than = first;
  g_assert_true (kq_test_ui_wait_for (requests_settled, &many, 20000));
  second = kq_test_server_get_request_count (server, many.prefix);
  g_assert_cmpuint (second, >, first);
  g_assert_cmpuint (second, <=, first + 12);
  g_assert_null (kq_image_get_texture (g_ptr_array_index (many.images, 10)));

  gtk_window_destroy (window);
  g_ptr_array_unref (many.images);
}

static void
test_images_bounded (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  /* Small images: the whole body is some 30 screens. */
  g_autoptr(KqArticle) article = make_many_images_article ("borne", 64, 36);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (child (view, "scrolled_window"));
  ManyImages many = { NULL, IMAGE_PATH "?borne=", 0 };
  guint n_blocked = 0;

  set_article_and_wait (view, article);
  many.images = find_all (child (view, "body_container"), KQ_TYPE_IMAGE, NULL);
  g_assert_cmpuint (many.images->len, ==, MANY_IMAGES);

  /* Read down to the end, a screen at a time. */
  g_assert_true (kq_test_ui_wait_for (requests_settled, &many, 20000));
  while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) <
         gtk_adjustment_get_upper (adjustment) - 1)
    {
      guint before = kq_test_server_get_request_count (server, many.prefix);

      scroll_to (view, gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment));
      many.more_than = before;
      /* Past the bound, nothing more is asked: nothing to wait for. */
      if (before < KQ_BLOCK_RENDERER_DEFAULT_MAX_IMAGES)
        g_assert_true (kq_test_ui_wait_for (requests_settled, &many, 20000));
    }

  g_assert_cmpuint (kq_test_server_get_request_count (server, many.prefix), ==,
                    KQ_BLOCK_RENDERER_DEFAULT_MAX_IMAGES);
  for (guint i = 0; i < many.images->len; i++)
    {
      KqImage *image = g_ptr_array_index (many.images, i);

      if (kq_image_get_blocked (image))
        {
          g_assert_cmpuint (i, >=, KQ_BLOCK_RENDERER_DEFAULT_MAX_IMAGES);
          g_assert_null (kq_image_get_texture (image));
          n_blocked++;
        }
    }
  g_assert_cmpuint (n_blocked, ==, MANY_IMAGES - KQ_BLOCK_RENDERER_DEFAULT_MAX_IMAGES);
  g_assert_true (kq_image_get_blocked (g_ptr_array_index (many.images, MANY_IMAGES - 1)));

  gtk_window_destroy (window);
  g_ptr_array_unref (many.images);
}

/* A deferred image fetches nothing until it is let, but shows at once what
 * the memory cache holds. */

static void
on_preloaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GdkPixbuf **pixbuf = user_data;
  g_autoptr(GError) error = NULL;

  *pixbuf = kq_image_loader_load_finish (KQ_IMAGE_LOADER (object), result, &error);
  g_assert_no_error (error);
}

static void
test_deferred_image (void)
{
  g_autofree char *cached_url = g_strdup_printf ("%s" IMAGE_PATH "?memoire=1", kq_test_server_get_url (server));
  g_autofree char *other_url = g_strdup_printf ("%s" IMAGE_PATH "?memoire=2", kq_test_server_get_url (server));
  g_autoptr(GdkPixbuf) preloaded = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *images[2];
  const char *urls[2] = { cached_url, other_url };

  kq_image_loader_load_async (loader, cached_url, 64, 0, NULL, on_preloaded_cb, &preloaded);
  g_assert_true (kq_test_ui_wait_for (is_set, &preloaded, 10000));
  g_assert_cmpuint (kq_test_server_get_request_count (server, IMAGE_PATH "?memoire="), ==, 1);

  for (guint i = 0; i < 2; i++)
    {
      images[i] = kq_image_new (loader);
      kq_image_set_display_width (KQ_IMAGE (images[i]), 64);
      kq_image_set_intrinsic_size (KQ_IMAGE (images[i]), 64, 36);
      kq_image_set_deferred (KQ_IMAGE (images[i]), TRUE);
      kq_image_set_url (KQ_IMAGE (images[i]), urls[i]);
      gtk_box_append (GTK_BOX (box), images[i]);
    }
  gtk_window_set_child (window, box);
  gtk_window_present (window);

  /* In memory: shown, deferred or not; the other waits, nothing fetched. */
  g_assert_true (kq_test_ui_wait_for (has_texture, images[0], 10000));
  g_assert_nonnull (kq_image_get_texture (KQ_IMAGE (images[0])));
  g_assert_true (gtk_widget_get_mapped (images[1]));
  g_assert_null (kq_image_get_texture (KQ_IMAGE (images[1])));
  g_assert_cmpuint (kq_test_server_get_request_count (server, IMAGE_PATH "?memoire="), ==, 1);

  /* Let: it loads. */
  kq_image_set_deferred (KQ_IMAGE (images[1]), FALSE);
  g_assert_true (kq_test_ui_wait_for (has_texture, images[1], 10000));
  g_assert_nonnull (kq_image_get_texture (KQ_IMAGE (images[1])));
  g_assert_cmpuint (kq_test_server_get_request_count (server, IMAGE_PATH "?memoire=2"), ==, 1);

  gtk_window_destroy (window);
}

/* Issue 12: a body of 20,000 blocks (here one list of 20,000 items, which
 * used to be made in one go, however big; the parser keeps as many as its
 * block limit lets it) shows its first blocks at once
 * and the rest a part per frame, the main loop running in between; the
 * list's items are kept in boxes of a few dozen, so that adding one does
 * not lay out 20,000 again. Showing another article stops it. */

#define HUGE_LIST 20000

static guint
count_rows (KqArticleView *view)
{
  g_autoptr(GPtrArray) bullets = find_all (child (view, "body_container"), GTK_TYPE_LABEL, "kq-bullet");

  return bullets->len;
}

static gboolean
has_rows (gpointer data)
{
  return count_rows (data) > 0;
}

typedef struct
{
  KqArticleView *view;
  guint          rows;
} Growth;

/* More rows than last time, while still rendering. */
static gboolean
has_more_rows (gpointer data)
{
  Growth *growth = data;

  return count_rows (growth->view) > growth->rows;
}

static gboolean
count_ticks_cb (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_huge_body_in_steps (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(GString) html = g_string_new ("<p>Une liste sans fin :</p><ul>");
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(KqArticle) other = make_article ("<p>Un autre article.</p>");
  g_autoptr(GPtrArray) lists = NULL;
  Growth growth = { view, 0 };
  g_autofree char *last = NULL;
  guint ticks = 0;
  guint tick_id;
  guint n_boxes;
  guint n_items;

  for (guint i = 0; i < HUGE_LIST; i++)
    g_string_append_printf (html, "<li>Élément %u</li>", i);
  g_string_append (html, "</ul>");
  article = make_article (html->str);
  {
    g_autoptr(KqHtmlDocument) document = kq_html_parse (html->str, -1, NULL, NULL);

    n_items = kq_block_get_children (g_ptr_array_index (kq_html_document_get_blocks (document), 1))->len;
    g_assert_cmpuint (n_items, >=, 4000);
    last = g_strdup_printf ("Élément %u", n_items - 1);
  }
  kq_article_set_id (other, 2);

  /* The first rows at once (after the parse, on a worker thread for a body
   * this big), far from all of them. */
  kq_article_view_set_article (view, article);
  g_assert_true (kq_test_ui_wait_for (has_rows, view, 20000));
  growth.rows = count_rows (view);
  g_assert_true (kq_article_view_get_rendering (view));
  g_assert_cmpuint (growth.rows, <, n_items / 10);

  /* More at each frame, with the main loop turning in between. */
  tick_id = g_timeout_add (1, count_ticks_cb, &ticks);
  g_assert_true (kq_test_ui_wait_for (has_more_rows, &growth, 20000));
  g_assert_true (kq_article_view_get_rendering (view));
  g_assert_cmpuint (count_rows (view), <, n_items);
  g_assert_cmpuint (ticks, >, 0);

  /* All of them in the end, in order, in boxes of a few dozen. */
  g_assert_true (kq_test_ui_wait_for (is_rendered, view, 120000));
  g_source_remove (tick_id);
  g_assert_cmpuint (count_rows (view), ==, n_items);
  lists = find_all (child (view, "body_container"), GTK_TYPE_BOX, "kq-list");
  g_assert_cmpuint (lists->len, ==, 1);
  n_boxes = 0;
  for (GtkWidget *w = gtk_widget_get_first_child (lists->pdata[0]); w != NULL; w = gtk_widget_get_next_sibling (w))
    n_boxes++;
  g_assert_cmpuint (n_boxes, <, n_items / 10);
  {
    g_autoptr(GPtrArray) items = find_all (lists->pdata[0], GTK_TYPE_LABEL, "kq-paragraph");

    g_assert_cmpuint (items->len, ==, n_items);
    g_assert_cmpstr (gtk_label_get_text (items->pdata[0]), ==, "Élément 0");
    g_assert_cmpstr (gtk_label_get_text (items->pdata[n_items - 1]), ==, last);
  }

  /* Another article half-way: the rest of the list is never made. */
  kq_article_view_set_article (view, other);
  kq_article_view_set_article (view, article);
  g_assert_true (kq_test_ui_wait_for (has_rows, view, 20000));
  g_assert_true (kq_article_view_get_rendering (view));
  set_article_and_wait (view, other);
  g_assert_false (kq_article_view_get_rendering (view));
  g_assert_cmpuint (count_rows (view), ==, 0);

  gtk_window_destroy (window);
}

static void
test_placeholder_ratio (void)
{
  GtkWidget *image = kq_image_new (NULL);
  int minimum, natural;

  /* Before anything loads, the declared size reserves its space. */
  kq_image_set_intrinsic_size (KQ_IMAGE (image), 1600, 900);
  kq_image_set_display_width (KQ_IMAGE (image), 720);
  g_object_ref_sink (image);

  gtk_widget_measure (image, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 720);
  gtk_widget_measure (image, GTK_ORIENTATION_VERTICAL, 720, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 405);
  gtk_widget_measure (image, GTK_ORIENTATION_VERTICAL, 360, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 203);
  g_assert_true (gtk_widget_has_css_class (image, "loading"));

  /* Smaller than the column: never enlarged. */
  kq_image_set_intrinsic_size (KQ_IMAGE (image), 300, 200);
  gtk_widget_measure (image, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 300);
  gtk_widget_measure (image, GTK_ORIENTATION_VERTICAL, 720, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 200);

  g_object_unref (image);
}

/* An image is decoded for the width it is shown at, and again, wider, once
 * a widened window has settled: not blurry, and not decoded on every step. */

/* The URL of an upload of the test site at its full size (not a -WxH copy). */
static char *
find_full_size_upload (void)
{
  g_autofree char *path = g_build_filename (kq_test_server_get_site_dir (server), "site.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GRegex) sized = g_regex_new ("-\\d+x\\d+\\.png$", 0, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *uploads;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  uploads = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "uploads");
  members = json_object_get_members (uploads);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_has_prefix (l->data, "avatars/") && g_str_has_suffix (l->data, ".png") &&
        !g_regex_match (sized, l->data, 0, NULL))
      return g_strdup_printf ("%s/wp-content/uploads/%s", kq_test_server_get_url (server),
                              (char *) l->data);

  g_assert_not_reached ();
}

typedef struct
{
  KqImage *image;
  int      min_width;
} TextureWait;

static gboolean
has_texture_of_width (gpointer data)
{
  TextureWait *wait = data;
  GdkTexture *texture = kq_image_get_texture (wait->image);

  return texture != NULL && gdk_texture_get_width (texture) >= wait->min_width;
}

static gboolean
is_allocated_wider (gpointer data)
{
  TextureWait *wait = data;

  return gtk_widget_get_width (GTK_WIDGET (wait->image)) >= wait->min_width;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true_cb, &done);
  g_assert_true (kq_test_ui_wait_for (is_true, &done, ms + 5000));
}

static void
test_image_redecode_on_widen (void)
{
  g_autofree char *url = find_full_size_upload ();
  g_autoptr(KqImageLoader) own_loader = kq_image_loader_new (http, NULL);
  GtkWidget *image = kq_image_new (own_loader);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TextureWait wait = { KQ_IMAGE (image), 1 };
  int scale;
  int narrow;

  /* 1200 × 675 at most 720 wide, in a column 300 wide. */
  kq_image_set_intrinsic_size (KQ_IMAGE (image), 1200, 675);
  kq_image_set_display_width (KQ_IMAGE (image), 720);
  kq_image_set_url (KQ_IMAGE (image), url);
  gtk_widget_set_size_request (box, 300, -1);
  gtk_widget_set_hexpand (box, FALSE);
  gtk_widget_set_halign (box, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), image);
  gtk_window_set_child (window, box);
  gtk_window_set_default_size (window, 300, 400);
  gtk_window_present (window);
  g_assert_true (kq_test_ui_wait_for (has_texture_of_width, &wait, 5000));

  scale = gtk_widget_get_scale_factor (image);
  narrow = gdk_texture_get_width (kq_image_get_texture (KQ_IMAGE (image)));
  g_assert_cmpint (narrow, <=, 300 * scale);
  g_assert_cmpint (narrow, >=, gtk_widget_get_width (image) * scale);

  /* Wider: the image shows at 600, and is decoded again for that. */
  gtk_widget_set_size_request (box, 600, -1);
  wait.min_width = 600;
  g_assert_true (kq_test_ui_wait_for (is_allocated_wider, &wait, 5000));
  wait.min_width = 600 * scale;
  g_assert_true (kq_test_ui_wait_for (has_texture_of_width, &wait, 5000));
  g_assert_cmpint (gdk_texture_get_width (kq_image_get_texture (KQ_IMAGE (image))), <=, 720 * scale);

  /* Narrower again: the sharper texture stays. */
  gtk_widget_set_size_request (box, 200, -1);
  gtk_window_set_default_size (window, 200, 400);
  wait_ms (600);
  g_assert_cmpint (gdk_texture_get_width (kq_image_get_texture (KQ_IMAGE (image))), >=, 600 * scale);

  gtk_window_destroy (window);
}

/* The view's history on its own (no window): Back and Forward show the
 * articles themselves when nobody handles open-history-article, from the
 * actions, Alt+Left / Alt+Right and the header's buttons. */

static gboolean
has_shortcut (GtkWidget  *widget,
              const char *trigger,
              const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *triggers = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *named = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_NAMED_ACTION (named) && strstr (triggers, trigger) != NULL &&
              g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (named)), action))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
has_capture_history_keys (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      GtkEventController *event_controller = GTK_EVENT_CONTROLLER (controller);
      guint found = 0;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (event_controller) != GTK_PHASE_CAPTURE ||
          gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)) !=
            GTK_SHORTCUT_SCOPE_LOCAL)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *triggers =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (strstr (triggers, "<Alt>Left") != NULL || strstr (triggers, "<Alt>Right") != NULL)
            found++;
        }
      if (found == 2)
        return TRUE;
    }
  return FALSE;
}

static void
test_history_alone (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  g_autoptr(KqArticle) first = make_article ("<p>Premier article.</p>");
  g_autoptr(KqArticle) second = make_article ("<p>Second article.</p>");
  GtkWidget *history_box = child (view, "history_box");
  GtkWidget *forward_button = child (view, "forward_button");

  g_assert_true (has_shortcut (GTK_WIDGET (view), "<Alt>Left", "article.go-back"));
  g_assert_true (has_shortcut (GTK_WIDGET (view), "<Alt>Right", "article.go-forward"));
  /* A folded window's leaflet takes Alt+Left on its way up from the
   * article: the history has its keys in the capture phase too. */
  g_assert_true (has_capture_history_keys (GTK_WIDGET (view)));

  kq_article_set_id (second, 2);
  kq_article_set_title (second, "Le second");
  set_article_and_wait (view, first);
  g_assert_false (kq_article_view_go_back (view));
  g_assert_false (gtk_widget_get_visible (history_box));

  kq_article_view_push_history (view);
  set_article_and_wait (view, second);
  g_assert_true (gtk_widget_get_visible (history_box));
  g_assert_false (gtk_widget_get_visible (forward_button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (child (view, "back_button")), ==,
                   "Revenir à «\u00a0Un titre d’essai\u00a0» (Alt+Gauche)");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.go-back", NULL));
  g_assert_true (kq_article_view_get_article (view) == first);
  g_assert_false (kq_article_view_can_go_back (view));
  g_assert_true (gtk_widget_get_visible (forward_button));

  g_assert_true (kq_article_view_go_forward (view));
  g_assert_true (kq_article_view_get_article (view) == second);
  g_assert_true (kq_article_view_can_go_back (view));

  kq_article_view_clear_history (view);
  g_assert_false (kq_article_view_can_go_back (view));
  g_assert_false (gtk_widget_get_visible (history_box));

  gtk_window_destroy (window);
}

/* Images in table cells and in headings are kept (they used to be dropped):
 * a cell shows its image above its text, a heading is followed by its
 * image. */
static void
test_images_in_tables_and_headings (void)
{
  g_autoptr(KqBlockRenderer) renderer = kq_block_renderer_new (loader);
  g_autoptr(KqHtmlDocument) document = NULL;
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GPtrArray) cell_images = NULL;
  g_autoptr(GPtrArray) all_images = NULL;
  g_autoptr(GPtrArray) cell_labels = NULL;
  GtkWidget *body;
  GtkWidget *heading = NULL;
  GtkWidget *after_heading;

  document = kq_html_parse ("<table><tr><td><img src=\"/photo.jpg\" alt=\"Une photo\" "
                            "width=\"200\" height=\"100\"> Légende</td><td>Texte</td></tr>"
                            "</table><h2><img src=\"/logo.png\" alt=\"Logo\">Le titre</h2>"
                            "<p>Suite.</p>",
                            -1, "https://exemple.fr/article/", NULL);
  kq_block_renderer_set_load_images (renderer, FALSE);
  kq_block_renderer_set_display_width (renderer, 600);
  body = g_object_ref_sink (kq_block_renderer_render (renderer, document));

  grids = find_all (body, GTK_TYPE_GRID, "kq-table");
  g_assert_cmpuint (grids->len, ==, 1);
  cell_images = find_all (grids->pdata[0], KQ_TYPE_IMAGE, NULL);
  g_assert_cmpuint (cell_images->len, ==, 1);
  g_assert_cmpstr (kq_image_get_url (cell_images->pdata[0]), ==, "https://exemple.fr/photo.jpg");
  /* Two columns: half the width each. */
  g_assert_cmpuint (kq_image_get_display_width (cell_images->pdata[0]), ==, 300);
  cell_labels = find_all (grids->pdata[0], GTK_TYPE_LABEL, "kq-table-cell");
  g_assert_cmpuint (cell_labels->len, ==, 2);
  g_assert_cmpstr (gtk_label_get_text (cell_labels->pdata[0]), ==, "Légende");

  all_images = find_all (body, KQ_TYPE_IMAGE, NULL);
  g_assert_cmpuint (all_images->len, ==, 2);
  g_assert_cmpstr (kq_image_get_url (all_images->pdata[1]), ==, "https://exemple.fr/logo.png");

  for (GtkWidget *w = gtk_widget_get_first_child (body); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (gtk_widget_has_css_class (w, "kq-heading"))
      heading = w;
  g_assert_nonnull (heading);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (heading)), ==, "Le titre");
  after_heading = gtk_widget_get_next_sibling (heading);
  g_assert_true (gtk_widget_has_css_class (after_heading, "kq-figure"));
  g_assert_true (gtk_widget_is_ancestor (all_images->pdata[1], after_heading));

  g_object_unref (body);
}

/* Issue 12: a long table is laid out in grids of 200 rows, a big gallery
 * in flow boxes of 60 images, so that adding a cell or an image does not
 * lay out thousands again; every row and image is there, in order. */
static void
test_long_table_and_gallery_in_parts (void)
{
  g_autoptr(KqBlockRenderer) renderer = kq_block_renderer_new (loader);
  g_autoptr(GString) html = g_string_new ("<table>");
  g_autoptr(KqHtmlDocument) document = NULL;
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GPtrArray) galleries = NULL;
  g_autoptr(GPtrArray) flows = NULL;
  g_autoptr(GPtrArray) images = NULL;
  GtkWidget *body;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (html, "<tr><td>Ligne %u</td><td>Valeur</td></tr>", i);
  g_string_append (html, "</table><figure class=\"wp-block-gallery\">");
  for (guint i = 0; i < 150; i++)
    g_string_append_printf (html, "<figure class=\"wp-block-image\"><img src=\"/galerie-%u.jpg\" "
                            "alt=\"Photo %u\"></figure>", i, i);
  g_string_append (html, "</figure>");
  document = kq_html_parse (html->str, -1, "https://exemple.fr/article/", NULL);
  kq_block_renderer_set_load_images (renderer, FALSE);
  body = g_object_ref_sink (kq_block_renderer_render (renderer, document));

  grids = find_all (body, GTK_TYPE_GRID, "kq-table");
  g_assert_cmpuint (grids->len, ==, 3);
  cells = find_all (body, GTK_TYPE_LABEL, "kq-table-cell");
  g_assert_cmpuint (cells->len, ==, 1000);
  g_assert_cmpstr (gtk_label_get_text (cells->pdata[0]), ==, "Ligne 0");
  g_assert_cmpstr (gtk_label_get_text (cells->pdata[400]), ==, "Ligne 200");
  g_assert_cmpstr (gtk_label_get_text (cells->pdata[998]), ==, "Ligne 499");
  g_assert_true (gtk_widget_is_ancestor (cells->pdata[400], grids->pdata[1]));

  galleries = find_all (body, GTK_TYPE_WIDGET, "kq-gallery");
  g_assert_cmpuint (galleries->len, ==, 1);
  flows = find_all (galleries->pdata[0], GTK_TYPE_FLOW_BOX, NULL);
  g_assert_cmpuint (flows->len, ==, 3);
  images = find_all (galleries->pdata[0], KQ_TYPE_IMAGE, NULL);
  g_assert_cmpuint (images->len, ==, 150);
  g_assert_cmpstr (kq_image_get_url (images->pdata[149]), ==, "https://exemple.fr/galerie-149.jpg");
  g_assert_true (gtk_widget_is_ancestor (images->pdata[149], flows->pdata[2]));

  g_object_unref (body);
}

/* Issue 12: a thousand comments (ten pages of a hundred) are shown a
 * frame's worth at a time, the first ones at once, never all in one go;
 * showing another article stops the rest. */
static void
test_many_comments (void)
{
  GtkWindow *window;
  KqArticleView *view = open_view (&window);
  guint n_comments = 0;
  g_autoptr(KqArticle) article = fetch_post (find_rich_post (&n_comments));
  g_autoptr(KqArticle) other = make_article ("<p>Bonjour.</p>");
  guint n_first;
  gboolean more = FALSE;

  kq_test_server_add_fault (server, "/wp-json/wp/v2/comments", KQ_TEST_FAULT_MANY_COMMENTS, 1000, 0);
  kq_article_view_set_article (view, article);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.load-comments", NULL));
  g_assert_true (kq_test_ui_wait_for (is_visible, child (view, "comments_list"), 20000));

  /* The first ones, not all. */
  n_first = _kq_article_view_get_n_comments_shown (view, &more);
  g_test_message ("%u comments shown first", n_first);
  g_assert_cmpuint (n_first, >, 0);
  g_assert_cmpuint (n_first, <, 100);
  g_assert_true (more);
  g_assert_cmpstr (gtk_label_get_text (child (view, "comments_title")), ==, "1000 commentaires");

  /* Then all, in order. */
  g_assert_true (kq_test_ui_wait_for (comments_all_shown, view, 30000));
  g_assert_cmpuint (_kq_article_view_get_n_comments_shown (view, NULL), ==, 1000);
  {
    g_autoptr(GPtrArray) authors = find_all (child (view, "comments_list"), GTK_TYPE_LABEL,
                                             "kq-comment-author");

    g_assert_cmpuint (authors->len, ==, 1000);
    g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (authors, 0)), ==, "Lecteur 1");
    g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (authors, 999)), ==, "Lecteur 1000");
  }

  /* Again, and another article meanwhile: nothing more comes. */
  kq_article_view_set_article (view, other);
  kq_article_view_set_article (view, article);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "article.load-comments", NULL));
  g_assert_true (kq_test_ui_wait_for (is_visible, child (view, "comments_list"), 20000));
  kq_article_view_set_article (view, other);
  g_assert_cmpuint (_kq_article_view_get_n_comments_shown (view, &more), ==, 0);
  g_assert_false (more);

  kq_test_server_clear_faults (server);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  kq_test_ui_init (&argc, &argv);

  /* What AdwApplication does for the app: load its style.css. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PATH "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  server = kq_test_server_new (&error);
  g_assert_no_error (error);
  http = kq_http_new ();
  source = kq_source_new (http, kq_test_server_get_url (server));
  library = kq_library_new (kq_test_server_get_url (server), NULL, FALSE);
  loader = kq_image_loader_new (http, NULL);

  g_test_add_func ("/kq/article-view/empty-state", test_empty_state);
  g_test_add_func ("/kq/article-view/header-in-french", test_header_in_french);
  g_test_add_func ("/kq/article-view/site-article", test_site_article);
  g_test_add_func ("/kq/article-view/text-scale", test_text_scale);
  g_test_add_func ("/kq/article-view/links-and-browser", test_links_and_browser);
  g_test_add_func ("/kq/article-view/bookmark", test_bookmark);
  g_test_add_func ("/kq/article-view/comments", test_comments);
  g_test_add_func ("/kq/article-view/many-comments", test_many_comments);
  g_test_add_func ("/kq/article-view/comments-cancelled", test_comments_cancelled);
  g_test_add_func ("/kq/article-view/featured-image-once", test_featured_image_once);
  g_test_add_func ("/kq/article-view/hostile-body", test_hostile_body);
  g_test_add_func ("/kq/article-view/long-article-in-steps", test_long_article_in_steps);
  g_test_add_func ("/kq/article-view/placeholder-ratio", test_placeholder_ratio);
  g_test_add_func ("/kq/article-view/images-load-near-view", test_images_load_near_view);
  g_test_add_func ("/kq/article-view/images-bounded", test_images_bounded);
  g_test_add_func ("/kq/article-view/deferred-image", test_deferred_image);
  g_test_add_func ("/kq/article-view/huge-body-in-steps", test_huge_body_in_steps);
  g_test_add_func ("/kq/article-view/long-table-and-gallery-in-parts",
                   test_long_table_and_gallery_in_parts);
  g_test_add_func ("/kq/article-view/images-in-tables-and-headings",
                   test_images_in_tables_and_headings);
  g_test_add_func ("/kq/article-view/image-redecode-on-widen", test_image_redecode_on_widen);
  g_test_add_func ("/kq/article-view/history-alone", test_history_alone);

  ret = g_test_run ();

  g_clear_object (&loader);
  g_clear_object (&library);
  g_clear_object (&source);
  g_clear_object (&http);
  g_clear_object (&server);

  return ret;
}
