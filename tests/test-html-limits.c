/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Limits of the HTML → blocks conversion that keep hostile bodies cheap. */

#include "config.h"

#include <string.h>

#include "kq-html-private.h"

#define BASE_URL "https://exemple.fr/article/"

/* Attributes in the start tags of @html (outside quotes). */
static guint
count_attributes (const char *html,
                  const char *tag)
{
  const char *p = strstr (html, tag);
  guint count = 0;
  char quote = 0;

  g_assert_nonnull (p);
  for (p += strlen (tag); *p != '\0' && (quote != 0 || *p != '>'); p++)
    {
      if (quote != 0)
        quote = *p == quote ? 0 : quote;
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '=')
        count++;
    }
  return count;
}

/* One element with 200,000 attributes: libxml2 compares each attribute with
 * all the ones before it (minutes of a core); the markup it gets keeps
 * KQ_HTML_MAX_ATTRIBUTES of them, and the rest of the markup as it was. */
static void
test_attributes_bounded (void)
{
  const guint n = 200000;
  g_autoptr(GString) html = g_string_new ("<!-- <p a=1 b=2 c=3> --><p id=\"x\"");
  g_autofree char *bounded = NULL;
  gsize len;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (html, i % 3 == 0 ? " a%u=\"v>%u\"" : i % 3 == 1 ? " a%u='%u'" : " a%u=%u",
                            i, i);
  g_string_append (html, " checked>Bonjour <b title=\"x>y\">à</b> tous"
                         "<script>var s = '<p a=1 b=2 c=3>';</script></p>");

  len = html->len;
  bounded = _kq_html_bound_attributes (html->str, &len, KQ_HTML_MAX_ATTRIBUTES);
  g_assert_nonnull (bounded);
  g_assert_cmpuint (len, ==, strlen (bounded));
  g_assert_true (g_str_has_prefix (bounded, "<!-- <p a=1 b=2 c=3> --><p id=\"x\" a0=\"v>0\" a1='1'"));
  g_assert_cmpuint (count_attributes (bounded, "--><p"), ==, KQ_HTML_MAX_ATTRIBUTES);
  g_assert_true (g_str_has_suffix (bounded, ">Bonjour <b title=\"x>y\">à</b> tous"
                                            "<script>var s = '<p a=1 b=2 c=3>';</script></p>"));

  /* Below the bound: nothing to copy. */
  len = 3;
  g_assert_null (_kq_html_bound_attributes ("<p>", &len, 2));
  len = 23;
  g_assert_null (_kq_html_bound_attributes ("<p a=1 b c = '3'>x</p>", &len, 3));

  /* The document still reads the paragraph. */
  {
    g_autoptr(KqHtmlDocument) doc = kq_html_parse (html->str, html->len, BASE_URL, NULL);
    g_autofree char *text = kq_html_document_to_text (doc);

    g_assert_true (g_str_has_prefix (text, "Bonjour à tous"));
  }
}

/* What an element says past its first KQ_HTML_MAX_ATTRIBUTES attributes is
 * not read. */
static void
test_attributes_past_bound_dropped (void)
{
  g_autoptr(GString) html = g_string_new ("<p");
  g_autoptr(KqHtmlDocument) doc = NULL;
  GPtrArray *blocks;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (html, " data-n%u=\"%u\"", i, i);
  g_string_append (html, " class=\"has-text-align-center\">Centré ?</p>"
                         "<p class=\"has-text-align-center\">Centré</p>");

  doc = kq_html_parse (html->str, html->len, BASE_URL, NULL);
  blocks = kq_html_document_get_blocks (doc);
  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_cmpint (kq_block_get_align (blocks->pdata[0]), ==, KQ_ALIGN_NONE);
  g_assert_cmpint (kq_block_get_align (blocks->pdata[1]), ==, KQ_ALIGN_CENTER);
}

/* The text of a paragraph block's runs, and checks on each run. */
static char *
paragraph_text (KqBlock *block)
{
  GPtrArray *runs = kq_block_get_runs (block);
  GString *text = g_string_new (NULL);

  g_assert_cmpint (kq_block_get_kind (block), ==, KQ_BLOCK_PARAGRAPH);
  for (guint i = 0; i < runs->len; i++)
    {
      const KqRun *run = g_ptr_array_index (runs, i);

      g_assert_true (g_utf8_validate (run->text, -1, NULL));
      if (run->flags & KQ_RUN_LINK)
        {
          /* Links and bold phrases are never cut. */
          g_assert_cmpstr (run->text, ==, "un lien");
          g_assert_cmpstr (run->href, ==, "https://exemple.fr/lien");
        }
      if (run->flags & KQ_RUN_BOLD)
        g_assert_cmpstr (run->text, ==, "en gras");
      g_string_append (text, run->text);
    }
  return g_string_free (text, FALSE);
}

/* A 1 MB paragraph (a dump, a page without markup) is laid out by one label
 * at once: it becomes paragraphs of at most KQ_HTML_MAX_PARAGRAPH bytes, cut
 * after a sentence, that hold the same text. */
static void
test_long_paragraph_split (void)
{
  g_autoptr(GString) html = g_string_new ("<p class=\"has-text-align-center\">");
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(KqHtmlDocument) doc = NULL;
  GPtrArray *blocks;

  for (guint i = 0; html->len < 1024 * 1024; i++)
    {
      g_string_append_printf (html, "Phrase numéro %u, avec <a href=\"/lien\">un lien</a> et "
                                    "<b>en gras</b> au milieu. ", i);
      g_string_append_printf (expected, "%sPhrase numéro %u, avec un lien et en gras au milieu.",
                              i > 0 ? " " : "", i);
    }
  g_string_append (html, "</p><p>Fin.</p>");

  doc = kq_html_parse (html->str, html->len, BASE_URL, NULL);
  blocks = kq_html_document_get_blocks (doc);
  g_assert_cmpuint (blocks->len, >, expected->len / KQ_HTML_MAX_PARAGRAPH);
  for (guint i = 0; i + 1 < blocks->len; i++)
    {
      g_autofree char *text = paragraph_text (blocks->pdata[i]);

      g_assert_cmpuint (strlen (text), <=, KQ_HTML_MAX_PARAGRAPH);
      g_assert_cmpuint (strlen (text), >=, KQ_HTML_MAX_PARAGRAPH / 2);
      /* Cut after a sentence. */
      g_assert_true (g_str_has_prefix (text, "Phrase"));
      g_assert_true (g_str_has_suffix (text, "milieu."));
      g_assert_cmpint (kq_block_get_align (blocks->pdata[i]), ==, KQ_ALIGN_CENTER);
      g_string_append_printf (joined, "%s%s", i > 0 ? " " : "", text);
    }
  g_assert_cmpstr (joined->str, ==, expected->str);
  {
    g_autofree char *last = paragraph_text (blocks->pdata[blocks->len - 1]);

    g_assert_cmpstr (last, ==, "Fin.");
  }
}

/* A heading, a caption and a table cell of a megabyte each: one block
 * each still (a heading in two would be two headings), ending with "…" at
 * KQ_HTML_MAX_PARAGRAPH bytes, between two characters. */
static void
test_long_inline_texts_truncated (void)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GString) html = g_string_new (NULL);
  g_autoptr(KqHtmlDocument) doc = NULL;
  GPtrArray *blocks;
  guint n_checked = 0;

  while (long_text->len < 1024 * 1024)
    g_string_append (long_text, "Très long titre sans fin, ");
  g_string_append_printf (html, "<h2>%s</h2>", long_text->str);
  g_string_append_printf (html, "<figure><img src=\"/a.png\" width=\"10\" height=\"10\"/>"
                                "<figcaption>%s</figcaption></figure>", long_text->str);
  g_string_append_printf (html, "<table><tr><td>%s</td></tr></table>", long_text->str);

  doc = kq_html_parse (html->str, html->len, BASE_URL, NULL);
  blocks = kq_html_document_get_blocks (doc);
  for (guint i = 0; i < blocks->len; i++)
    {
      KqBlock *block = g_ptr_array_index (blocks, i);
      GPtrArray *runs = NULL;

      switch (kq_block_get_kind (block))
        {
        case KQ_BLOCK_HEADING:
          runs = kq_block_get_runs (block);
          break;
        case KQ_BLOCK_IMAGE:
          runs = kq_block_get_caption (block);
          break;
        case KQ_BLOCK_TABLE:
          runs = kq_block_get_runs (g_ptr_array_index (kq_block_get_children (
                   g_ptr_array_index (kq_block_get_children (block), 0)), 0));
          break;
        default:
          continue;
        }
      {
        g_autofree char *text = kq_block_runs_to_text (runs);

        g_assert_true (g_utf8_validate (text, -1, NULL));
        g_assert_cmpuint (strlen (text), <=, KQ_HTML_MAX_PARAGRAPH + strlen ("…"));
        g_assert_cmpuint (strlen (text), >=, KQ_HTML_MAX_PARAGRAPH - 4);
        g_assert_true (g_str_has_suffix (text, "…"));
        g_assert_true (g_str_has_prefix (text, "Très long titre"));
        n_checked++;
      }
    }
  g_assert_cmpuint (n_checked, ==, 3);
}

/* One word of 40,000 bytes: cut between characters, none lost. */
static void
test_long_word_split (void)
{
  g_autoptr(GString) html = g_string_new ("<p>");
  g_autoptr(KqHtmlDocument) doc = NULL;
  GPtrArray *blocks;
  gsize total = 0;

  for (guint i = 0; i < 10000; i++)
    g_string_append (html, "é\xe2\x82\xac");  /* é€: 2 + 3 bytes */
  g_string_append (html, "</p>");

  doc = kq_html_parse (html->str, html->len, BASE_URL, NULL);
  blocks = kq_html_document_get_blocks (doc);
  g_assert_cmpuint (blocks->len, >=, 50000 / KQ_HTML_MAX_PARAGRAPH);
  for (guint i = 0; i < blocks->len; i++)
    {
      g_autofree char *text = paragraph_text (blocks->pdata[i]);

      g_assert_cmpuint (strlen (text), <=, KQ_HTML_MAX_PARAGRAPH);
      total += strlen (text);
    }
  g_assert_cmpuint (total, ==, 50000);
}

static guint
count_images (GPtrArray *blocks)
{
  guint n = 0;

  for (guint i = 0; i < blocks->len; i++)
    {
      KqBlock *block = g_ptr_array_index (blocks, i);

      n += kq_block_get_kind (block) == KQ_BLOCK_IMAGE;
      n += count_images (kq_block_get_children (block));
    }
  return n;
}

/* An article of 60,000 images (each a widget and a download) shows its
 * first KQ_HTML_MAX_IMAGES, and the text after them. */
static void
test_images_bounded (void)
{
  g_autoptr(GString) html = g_string_new ("<p>Début.</p>");
  g_autoptr(KqHtmlDocument) doc = NULL;
  g_autofree char *text = NULL;
  GPtrArray *blocks;

  for (guint i = 0; i < 60000; i++)
    g_string_append_printf (html, i % 2 ? "<figure><img src=\"/i/%u.jpg\"></figure>"
                                        : "<p><img src=\"/i/%u.png\" width=\"20\" height=\"20\"></p>", i);
  g_string_append (html, "<p>Fin.</p>");

  doc = kq_html_parse (html->str, html->len, BASE_URL, NULL);
  blocks = kq_html_document_get_blocks (doc);
  g_assert_cmpuint (count_images (blocks), ==, KQ_HTML_MAX_IMAGES);
  g_assert_true (kq_html_document_get_truncated (doc));
  g_assert_cmpstr (kq_block_get_url (blocks->pdata[1]), ==, "https://exemple.fr/i/0.png");
  text = kq_html_document_to_text (doc);
  g_assert_true (g_str_has_suffix (text, "Fin."));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kq/html/limits/attributes-bounded", test_attributes_bounded);
  g_test_add_func ("/kq/html/limits/attributes-past-bound-dropped",
                   test_attributes_past_bound_dropped);
  g_test_add_func ("/kq/html/limits/long-paragraph-split", test_long_paragraph_split);
  g_test_add_func ("/kq/html/limits/long-inline-texts-truncated", test_long_inline_texts_truncated);
  g_test_add_func ("/kq/html/limits/long-word-split", test_long_word_split);
  g_test_add_func ("/kq/html/limits/images-bounded", test_images_bounded);

  return g_test_run ();
}
