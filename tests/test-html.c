/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-html"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kq-html.h"

/*
 * Golden tests: every tests/data/html/NAME.html is parsed with the base URL
 * below and its JSON dump compared with NAME.expected.json. Run with
 * KQ_UPDATE_GOLDEN=1 to rewrite the expected files (then review them).
 * Hostile inputs too big to commit are generated here.
 */

#define BASE_URL "https://exemple.fr/2024/03/un-article/"

static char *
fixture_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "html", NULL);
}

static void
test_golden (gconstpointer data)
{
  const char *name = data;
  g_autofree char *dir = fixture_dir ();
  g_autofree char *html_name = g_strconcat (name, ".html", NULL);
  g_autofree char *json_name = g_strconcat (name, ".expected.json", NULL);
  g_autofree char *html_path = g_build_filename (dir, html_name, NULL);
  g_autofree char *json_path = g_build_filename (dir, json_name, NULL);
  g_autofree char *html = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(KqHtmlDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_file_get_contents (html_path, &html, &len, &error);
  g_assert_no_error (error);

  doc = kq_html_parse (html, len, BASE_URL, NULL);
  actual = kq_html_document_to_json (doc);

  /* The dump must always be valid JSON. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    json_parser_load_from_data (parser, actual, -1, &error);
    g_assert_no_error (error);
  }

  if (g_strcmp0 (g_getenv ("KQ_UPDATE_GOLDEN"), "1") == 0)
    {
      g_file_set_contents (json_path, actual, -1, &error);
      g_assert_no_error (error);
      g_test_message ("updated %s", json_path);
      return;
    }

  g_file_get_contents (json_path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actual, ==, expected);
}

/* Generated hostile input */

static void
test_deep_nesting (void)
{
  const guint n = 100000;
  g_autoptr(GString) html = g_string_new ("<p>Avant la pile.</p>");
  g_autoptr(KqHtmlDocument) doc = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "Tout au fond de la pile<b>, en gras</b>");
  for (guint i = 0; i < n; i++)
    g_string_append (html, "</div>");
  g_string_append (html, "<p>Après la pile.</p>");

  doc = kq_html_parse (html->str, html->len, BASE_URL, NULL);
  text = kq_html_document_to_text (doc);

  /* Beyond the depth limit the content is flattened to text, and what
   * follows the pile is still there. */
  g_assert_true (kq_html_document_get_truncated (doc));
  g_assert_nonnull (strstr (text, "Avant la pile."));
  g_assert_nonnull (strstr (text, "Tout au fond de la pile, en gras"));
  g_assert_nonnull (strstr (text, "Après la pile."));
  g_assert_cmpuint (kq_html_document_get_n_blocks (doc), ==, 3);
}

static void
test_deep_nesting_flattened (void)
{
  /* Within libxml2's limit but beyond ours: flattened to text. */
  KqHtmlOptions opts = { .max_depth = 20 };
  g_autoptr(GString) html = g_string_new (NULL);
  g_autoptr(KqHtmlDocument) doc = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 60; i++)
    g_string_append (html, "<blockquote><ul><li>");
  g_string_append (html, "Au fond<script>alert(1)</script> du puits");
  for (guint i = 0; i < 60; i++)
    g_string_append (html, "</li></ul></blockquote>");

  doc = kq_html_parse (html->str, html->len, BASE_URL, &opts);
  text = kq_html_document_to_text (doc);

  g_assert_true (kq_html_document_get_truncated (doc));
  g_assert_nonnull (strstr (text, "Au fond du puits"));
  g_assert_null (strstr (text, "alert"));
}

static void
test_huge_body (void)
{
  g_autoptr(GString) html = g_string_sized_new (11 * 1024 * 1024);
  g_autoptr(KqHtmlDocument) doc = NULL;
  GPtrArray *blocks;
  guint i = 0;
  gint64 start;

  while (html->len < 10 * 1024 * 1024)
    g_string_append_printf (html,
                            "<p>Paragraphe numéro %u : une phrase assez longue pour remplir "
                            "la page, avec <b>du gras</b> et <a href=\"/page/%u\">un lien</a>.</p>\n",
                            i, i), i++;

  start = g_get_monotonic_time ();
  doc = kq_html_parse (html->str, html->len, BASE_URL, NULL);
  g_test_message ("10 MB body: %.0f ms", (g_get_monotonic_time () - start) / 1000.0);

  blocks = kq_html_document_get_blocks (doc);
  g_assert_true (kq_html_document_get_truncated (doc));
  g_assert_cmpuint (blocks->len, >, 1000);
  g_assert_cmpuint (kq_html_document_get_n_blocks (doc), <=, KQ_HTML_DEFAULT_MAX_BLOCKS);
  g_assert_cmpint (kq_block_get_kind (g_ptr_array_index (blocks, 0)), ==, KQ_BLOCK_PARAGRAPH);
}

static void
test_input_cap_utf8 (void)
{
  /* Cut inside a multi-byte character: no U+FFFD, no invalid UTF-8. */
  KqHtmlOptions opts = { .max_input_bytes = 12 };
  const char *html = "<p>ééééééééé</p>";
  g_autoptr(KqHtmlDocument) doc = kq_html_parse (html, -1, NULL, &opts);
  g_autofree char *text = kq_html_document_to_text (doc);

  g_assert_true (kq_html_document_get_truncated (doc));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpstr (text, ==, "éééé");
}

static void
test_block_cap (void)
{
  KqHtmlOptions opts = { .max_blocks = 50 };
  g_autoptr(GString) html = g_string_new (NULL);
  g_autoptr(KqHtmlDocument) doc = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (html, "<p>Bloc %u</p><ul><li>Élément</li></ul>", i);

  doc = kq_html_parse (html->str, html->len, NULL, &opts);
  g_assert_true (kq_html_document_get_truncated (doc));
  g_assert_cmpuint (kq_html_document_get_n_blocks (doc), <=, 50 + 2);
  g_assert_cmpuint (kq_html_document_get_blocks (doc)->len, >=, 10);
}

static void
test_empty_and_null (void)
{
  g_autoptr(KqHtmlDocument) empty = kq_html_parse ("", 0, NULL, NULL);
  g_autoptr(KqHtmlDocument) null = kq_html_parse (NULL, -1, NULL, NULL);
  g_autoptr(KqHtmlDocument) blank = kq_html_parse ("<p> &nbsp; </p><p><br></p><div>\n</div>", -1, NULL, NULL);
  g_autoptr(KqHtmlDocument) nul = kq_html_parse ("<p>a\0b</p>", 10, NULL, NULL);
  g_autofree char *nul_text = kq_html_document_to_text (nul);

  g_assert_cmpuint (kq_html_document_get_blocks (empty)->len, ==, 0);
  g_assert_cmpuint (kq_html_document_get_blocks (null)->len, ==, 0);
  g_assert_cmpuint (kq_html_document_get_blocks (blank)->len, ==, 0);
  g_assert_cmpstr (nul_text, ==, "ab");
}

static void
test_srcset_target_width (void)
{
  const char *html =
    "<img src=\"/a.jpg\" width=\"1600\" height=\"900\" "
    "srcset=\"/a-400.jpg 400w, /a-800.jpg 800w, /a-1600.jpg 1600w\">";
  KqHtmlOptions small = { .target_image_width = 300 };
  KqHtmlOptions mid = { .target_image_width = 700 };
  KqHtmlOptions big = { .target_image_width = 3000 };
  g_autoptr(KqHtmlDocument) d1 = kq_html_parse (html, -1, BASE_URL, &small);
  g_autoptr(KqHtmlDocument) d2 = kq_html_parse (html, -1, BASE_URL, &mid);
  g_autoptr(KqHtmlDocument) d3 = kq_html_parse (html, -1, BASE_URL, &big);

  g_assert_cmpstr (kq_block_get_url (kq_html_document_get_blocks (d1)->pdata[0]), ==,
                   "https://exemple.fr/a-400.jpg");
  g_assert_cmpstr (kq_block_get_url (kq_html_document_get_blocks (d2)->pdata[0]), ==,
                   "https://exemple.fr/a-800.jpg");
  g_assert_cmpstr (kq_block_get_url (kq_html_document_get_blocks (d3)->pdata[0]), ==,
                   "https://exemple.fr/a-1600.jpg");
  g_assert_cmpuint (kq_block_get_width (kq_html_document_get_blocks (d3)->pdata[0]), ==, 1600);
}

static void
test_no_typography_option (void)
{
  KqHtmlOptions opts = { .no_typography = TRUE };
  g_autoptr(KqHtmlDocument) plain = kq_html_parse ("<p>Vraiment ?</p>", -1, NULL, &opts);
  g_autoptr(KqHtmlDocument) fr = kq_html_parse ("<p>Vraiment ?</p>", -1, NULL, NULL);
  g_autofree char *t1 = kq_html_document_to_text (plain);
  g_autofree char *t2 = kq_html_document_to_text (fr);

  g_assert_cmpstr (t1, ==, "Vraiment ?");
  g_assert_cmpstr (t2, ==, "Vraiment\u202f?");
}

/* Pango markup */

static void
test_markup (void)
{
  const char *html =
    "<p>A &lt;b&gt; &amp; <b>gras <i>italique</i></b> <a href=\"/x?a=1&amp;b=&quot;2&quot;\">"
    "lien <code>code</code></a><br><s>barré</s><sup>2</sup><sub>n</sub><u>souligné</u></p>";
  KqHtmlOptions opts = { .no_typography = TRUE };
  g_autoptr(KqHtmlDocument) doc = kq_html_parse (html, -1, "https://exemple.fr/", &opts);
  KqBlock *para = kq_html_document_get_blocks (doc)->pdata[0];
  g_autofree char *markup = kq_block_runs_to_markup (kq_block_get_runs (para));
  g_autofree char *text = kq_block_runs_to_text (kq_block_get_runs (para));
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (markup, ==,
                   "A &lt;b&gt; &amp; <b>gras </b><b><i>italique</i></b> "
                   "<a href=\"https://exemple.fr/x?a=1&amp;b=%222%22\">lien <tt>code</tt></a>\n"
                   "<s>barré</s><sup>2</sup><sub>n</sub><u>souligné</u>");
  g_assert_cmpstr (text, ==, "A <b> & gras italique lien code\nbarré2nsouligné");

  /* Must be markup GLib accepts (GtkLabel/Pango use the same parser rules). */
  {
    g_autofree char *wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);
    GMarkupParser parser = { 0, };
    g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new (&parser, 0, NULL, NULL);

    g_markup_parse_context_parse (ctx, wrapped, -1, &error);
    g_assert_no_error (error);
  }
}

static void
test_markup_empty (void)
{
  g_autofree char *markup = kq_block_runs_to_markup (NULL);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *markup2 = kq_block_runs_to_markup (none);

  g_assert_cmpstr (markup, ==, "");
  g_assert_cmpstr (markup2, ==, "");
}

static void
test_accessors (void)
{
  const char *html =
    "<h3 class=\"has-text-align-center\">Titre</h3>"
    "<ol start=\"4\"><li>quatre</li></ol>"
    "<figure class=\"wp-block-embed is-provider-youtube\"><div class=\"wp-block-embed__wrapper\">"
    "<iframe src=\"https://www.youtube-nocookie.com/embed/AbC_123-xyz\" title=\"Essai\"></iframe>"
    "</div><figcaption>Sous-titre</figcaption></figure>"
    "<figure class=\"wp-block-audio\"><audio controls src=\"/son.mp3\"></audio></figure>";
  g_autoptr(KqHtmlDocument) doc = kq_html_parse (html, -1, BASE_URL, NULL);
  GPtrArray *blocks = kq_html_document_get_blocks (doc);
  KqBlock *heading, *list, *embed, *media;

  g_assert_cmpuint (blocks->len, ==, 4);
  heading = blocks->pdata[0];
  list = blocks->pdata[1];
  embed = blocks->pdata[2];
  media = blocks->pdata[3];

  g_assert_cmpint (kq_block_get_kind (heading), ==, KQ_BLOCK_HEADING);
  g_assert_cmpuint (kq_block_get_level (heading), ==, 3);
  g_assert_cmpint (kq_block_get_align (heading), ==, KQ_ALIGN_CENTER);
  g_assert_cmpuint (kq_block_get_children (heading)->len, ==, 0);
  g_assert_null (kq_block_get_url (heading));

  g_assert_true (kq_block_get_ordered (list));
  g_assert_cmpint (kq_block_get_start (list), ==, 4);
  g_assert_cmpint (kq_block_get_kind (kq_block_get_children (list)->pdata[0]), ==, KQ_BLOCK_LIST_ITEM);

  g_assert_cmpint (kq_block_get_provider (embed), ==, KQ_EMBED_PROVIDER_YOUTUBE);
  g_assert_cmpstr (kq_block_get_video_id (embed), ==, "AbC_123-xyz");
  g_assert_cmpstr (kq_block_get_url (embed), ==, "https://www.youtube.com/watch?v=AbC_123-xyz");
  g_assert_cmpstr (kq_block_get_thumbnail_url (embed), ==, "https://i.ytimg.com/vi/AbC_123-xyz/hqdefault.jpg");
  g_assert_cmpstr (kq_block_get_title (embed), ==, "Essai");
  g_assert_cmpuint (kq_block_get_caption (embed)->len, ==, 1);

  g_assert_cmpint (kq_block_get_kind (media), ==, KQ_BLOCK_MEDIA);
  g_assert_cmpint (kq_block_get_media_kind (media), ==, KQ_MEDIA_AUDIO);
  g_assert_cmpstr (kq_block_get_url (media), ==, "https://exemple.fr/son.mp3");

  /* Boxed types: copy is a ref. */
  {
    KqHtmlDocument *copy = g_boxed_copy (KQ_TYPE_HTML_DOCUMENT, doc);
    KqBlock *block = g_boxed_copy (KQ_TYPE_BLOCK, heading);

    g_assert_true (copy == doc);
    g_assert_true (block == heading);
    g_boxed_free (KQ_TYPE_BLOCK, block);
    g_boxed_free (KQ_TYPE_HTML_DOCUMENT, copy);
  }
}

/* Async */

static void
parse_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KqHtmlDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  char html[] = "<p>Parsé ailleurs !</p>";

  kq_html_parse_async (html, -1, BASE_URL, NULL, NULL, parse_cb, &result);
  /* The input is copied: scribbling over it must not matter. */
  memset (html, 'x', sizeof html - 1);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  doc = kq_html_parse_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kq_html_document_get_blocks (doc)->len, ==, 1);
}

static void
test_async_cancelled (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KqHtmlDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  kq_html_parse_async ("<p>Trop tard</p>", -1, NULL, NULL, cancellable, parse_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  doc = kq_html_parse_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (doc);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The body's first image goes when it is the article's image, shown above
 * the body: the same file whatever the size WordPress made of it. */
static void
test_drop_image (void)
{
  struct {
    const char *html;
    const char *image;
    gboolean    dropped;
  } cases[] = {
    { "<figure><img src=\"https://s.fr/up/a-1024x683.jpg\"></figure><p>Texte</p>",
      "https://s.fr/up/a-1024x683.jpg", TRUE },
    { "<figure><img src=\"https://s.fr/up/a-300x200.jpg\"></figure><p>Texte</p>",
      "http://s.fr/up/a.jpg?resize=800", TRUE },
    { "<p>Chapeau</p><figure><a href=\"https://s.fr/up/a-scaled.jpg\"><img src=\"https://s.fr/up/b.jpg\"></a></figure>",
      "https://s.fr/up/a.jpg", TRUE },
    { "<figure><img src=\"https://s.fr/up/b.jpg\"></figure><figure><img src=\"https://s.fr/up/a.jpg\"></figure>",
      "https://s.fr/up/a.jpg", FALSE },
    { "<blockquote><img src=\"https://s.fr/up/b.jpg\"></blockquote><figure><img src=\"https://s.fr/up/a.jpg\"></figure>",
      "https://s.fr/up/a.jpg", FALSE },
    { "<figure><img src=\"https://autre.fr/up/a.jpg\"></figure>", "https://s.fr/up/a.jpg", FALSE },
    { "<figure><img src=\"https://s.fr/up/a.jpg\"></figure>", NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KqHtmlDocument) doc = kq_html_parse (cases[i].html, -1, NULL, NULL);
      guint before = kq_html_document_get_blocks (doc)->len;
      guint n_before = kq_html_document_get_n_blocks (doc);

      g_test_message ("%s", cases[i].html);
      g_assert_cmpint (kq_html_document_drop_image (doc, cases[i].image), ==, cases[i].dropped);
      g_assert_cmpuint (kq_html_document_get_blocks (doc)->len, ==, before - cases[i].dropped);
      g_assert_cmpuint (kq_html_document_get_n_blocks (doc), ==, n_before - cases[i].dropped);
    }
}

/* Tests fetch YouTube's posters from their own server: the option moves them
 * there, in the synchronous and the threaded parse alike. */
static void
test_youtube_posters (void)
{
  const char *html = "<p><iframe src=\"https://www.youtube.com/embed/AbC_123-xyz\"></iframe></p>";
  char *posters = g_strdup ("http://127.0.0.1:8080/vi/");
  KqHtmlOptions opts = { .youtube_posters = posters };
  g_autoptr(KqHtmlDocument) doc = kq_html_parse (html, -1, BASE_URL, &opts);
  g_autoptr(KqHtmlDocument) threaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  KqBlock *embed;

  embed = kq_html_document_get_blocks (doc)->pdata[0];
  g_assert_cmpint (kq_block_get_provider (embed), ==, KQ_EMBED_PROVIDER_YOUTUBE);
  g_assert_cmpstr (kq_block_get_thumbnail_url (embed), ==,
                   "http://127.0.0.1:8080/vi/AbC_123-xyz/hqdefault.jpg");

  /* The threaded parse keeps its own copy of the string. */
  kq_html_parse_async (html, -1, BASE_URL, &opts, NULL, parse_cb, &result);
  g_free (posters);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  threaded = kq_html_parse_finish (result, NULL);
  embed = kq_html_document_get_blocks (threaded)->pdata[0];
  g_assert_cmpstr (kq_block_get_thumbnail_url (embed), ==,
                   "http://127.0.0.1:8080/vi/AbC_123-xyz/hqdefault.jpg");
}

/* "Smart quotes" written in Windows-1252 in a body said to be UTF-8 (or
 * sent as &#146;, or as the C1 code points themselves) are the characters
 * they stand for, as in excerpts and browsers: don’t, not dont. */
static void
test_windows_1252_in_bodies (void)
{
  struct {
    const char *html;
    const char *text;
  } cases[] = {
    { "<p>don\x92t, caf\xe9 cr\xe8" "me</p>", "don’t, café crème" },
    { "<p>it&#146;s &#147;fine&#148; &#150; &#133;</p>", "it’s “fine” – …" },
    { "<p>l\xc2\x92" "ami \xc2\x93" "cit\xc3\xa9\xc2\x94</p>", "l’ami “cité”" },
    { "<p>d\xc3\xa9j\xc3\xa0 valide</p>", "déjà valide" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KqHtmlDocument) doc = kq_html_parse (cases[i].html, -1, BASE_URL,
                                                     &(KqHtmlOptions) { .no_typography = TRUE });
      g_autofree char *text = kq_html_document_to_text (doc);

      g_assert_cmpstr (g_strstrip (text), ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) gdir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  dir = fixture_dir ();
  gdir = g_dir_open (dir, 0, NULL);
  if (gdir != NULL)
    {
      const char *entry;

      while ((entry = g_dir_read_name (gdir)) != NULL)
        if (g_str_has_suffix (entry, ".html"))
          g_ptr_array_add (names, g_strndup (entry, strlen (entry) - strlen (".html")));
    }
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >=, 30);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_strconcat ("/kq/html/golden/", (char *) names->pdata[i], NULL);

      g_test_add_data_func (path, names->pdata[i], test_golden);
    }

  g_test_add_func ("/kq/html/drop-image", test_drop_image);
  g_test_add_func ("/kq/html/windows-1252-in-bodies", test_windows_1252_in_bodies);
  g_test_add_func ("/kq/html/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/kq/html/hostile/deep-nesting-flattened", test_deep_nesting_flattened);
  g_test_add_func ("/kq/html/hostile/huge-body", test_huge_body);
  g_test_add_func ("/kq/html/hostile/input-cap-utf8", test_input_cap_utf8);
  g_test_add_func ("/kq/html/hostile/block-cap", test_block_cap);
  g_test_add_func ("/kq/html/empty", test_empty_and_null);
  g_test_add_func ("/kq/html/srcset-target-width", test_srcset_target_width);
  g_test_add_func ("/kq/html/no-typography", test_no_typography_option);
  g_test_add_func ("/kq/html/markup", test_markup);
  g_test_add_func ("/kq/html/markup-empty", test_markup_empty);
  g_test_add_func ("/kq/html/accessors", test_accessors);
  g_test_add_func ("/kq/html/youtube-posters", test_youtube_posters);
  g_test_add_func ("/kq/html/async", test_async);
  g_test_add_func ("/kq/html/async-cancelled", test_async_cancelled);

  return g_test_run ();
}
