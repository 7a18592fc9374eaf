/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kq-article.h"
#include "kq-category.h"
#include "kq-comment.h"
#include "kq-text-private.h"

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_article_properties (void)
{
  g_autoptr(KqArticle) article = kq_article_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 3, 5, 9, 30, 0);
  g_autoptr(GDateTime) paris = g_date_time_new_from_iso8601 ("2024-03-05T10:30:00+01:00", NULL);
  const char * const names[] = { "Apple", "Matériel", NULL };
  const gint64 ids[] = { 4, 12 };
  g_autoptr(GArray) got_ids = NULL;
  g_auto(GStrv) got_names = NULL;
  guint title_notifies = 0;
  guint date_notifies = 0;
  guint ids_notifies = 0;

  g_signal_connect (article, "notify::title", G_CALLBACK (count_notify_cb), &title_notifies);
  g_signal_connect (article, "notify::date", G_CALLBACK (count_notify_cb), &date_notifies);
  g_signal_connect (article, "notify::category-ids", G_CALLBACK (count_notify_cb), &ids_notifies);

  kq_article_set_title (article, "Le retour du clavier mécanique");
  kq_article_set_title (article, "Le retour du clavier mécanique");
  g_assert_cmpuint (title_notifies, ==, 1);
  g_assert_cmpstr (kq_article_get_title (article), ==, "Le retour du clavier mécanique");

  kq_article_set_date (article, date);
  /* Same instant in another zone: no change, stored in UTC. */
  kq_article_set_date (article, paris);
  g_assert_cmpuint (date_notifies, ==, 1);
  g_assert_cmpint (g_date_time_get_utc_offset (kq_article_get_date (article)), ==, 0);

  kq_article_set_category_ids (article, ids, G_N_ELEMENTS (ids));
  kq_article_set_category_ids (article, ids, G_N_ELEMENTS (ids));
  g_assert_cmpuint (ids_notifies, ==, 1);
  g_assert_true (kq_article_has_category (article, 12));
  g_assert_false (kq_article_has_category (article, 7));

  kq_article_set_category_names (article, names);
  kq_article_set_thumbnail (article, "https://exemple.fr/a-300x200.jpg", 300, 200);
  kq_article_set_comment_count (article, 7);
  kq_article_set_comments_open (article, TRUE);
  kq_article_set_id (article, 123);

  g_object_get (article, "category-ids", &got_ids, "category-names", &got_names, NULL);
  g_assert_cmpuint (got_ids->len, ==, 2);
  g_assert_cmpint (g_array_index (got_ids, gint64, 1), ==, 12);
  g_assert_cmpstrv (got_names, names);
  g_assert_cmpuint (kq_article_get_thumbnail_width (article), ==, 300);
  g_assert_cmpstr (kq_article_get_thumbnail_url (article), ==, "https://exemple.fr/a-300x200.jpg");

  /* Through g_object_set, with notification. */
  g_object_set (article, "title", "Autre titre", "read", TRUE, NULL);
  g_assert_cmpuint (title_notifies, ==, 2);
  g_assert_true (kq_article_get_read (article));

  /* Empty list and NULL are the same. */
  {
    const char * const empty[] = { NULL };
    guint tag_notifies = 0;

    g_signal_connect (article, "notify::tags", G_CALLBACK (count_notify_cb), &tag_notifies);
    kq_article_set_tags (article, empty);
    g_assert_cmpuint (tag_notifies, ==, 0);
    g_assert_null (kq_article_get_tags (article));
  }

  /* Flags: any non-zero value is TRUE, notified once per change. */
  {
    guint bookmarked_notifies = 0;

    g_signal_connect (article, "notify::bookmarked", G_CALLBACK (count_notify_cb),
                      &bookmarked_notifies);
    kq_article_set_bookmarked (article, 2);
    kq_article_set_bookmarked (article, TRUE);
    g_assert_cmpuint (bookmarked_notifies, ==, 1);
    g_assert_true (kq_article_get_bookmarked (article) == TRUE);
    kq_article_set_bookmarked (article, FALSE);
    g_assert_cmpuint (bookmarked_notifies, ==, 2);
    g_assert_false (kq_article_get_bookmarked (article));
  }
}

static void
test_article_copy (void)
{
  g_autoptr(KqArticle) article = kq_article_new ();
  g_autoptr(KqArticle) copy = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_utc (2023, 11, 2, 18, 0, 0);
  const char * const tags[] = { "écran", "OLED", NULL };
  const gint64 ids[] = { 3 };

  kq_article_set_id (article, 42);
  kq_article_set_source (article, "https://exemple.fr");
  kq_article_set_title (article, "Titre");
  kq_article_set_body_html (article, "<p>Un deux trois</p>");
  kq_article_set_reading_minutes (article, 9);
  kq_article_set_date (article, date);
  kq_article_set_tags (article, tags);
  kq_article_set_category_ids (article, ids, 1);
  kq_article_set_image (article, "https://exemple.fr/i.jpg", 1024, 576);
  kq_article_set_bookmarked (article, TRUE);

  copy = kq_article_copy (article);
  g_assert_true (copy != article);
  g_assert_cmpint (kq_article_get_id (copy), ==, 42);
  g_assert_cmpstr (kq_article_get_source (copy), ==, "https://exemple.fr");
  g_assert_cmpstr (kq_article_get_body_html (copy), ==, "<p>Un deux trois</p>");
  g_assert_cmpuint (kq_article_get_reading_minutes (copy), ==, 9);
  g_assert_true (g_date_time_equal (kq_article_get_date (copy), date));
  g_assert_cmpstrv (kq_article_get_tags (copy), tags);
  g_assert_true (kq_article_has_category (copy, 3));
  g_assert_cmpuint (kq_article_get_image_height (copy), ==, 576);
  g_assert_true (kq_article_get_bookmarked (copy));

  /* Independent storage. */
  kq_article_set_title (article, "Changé");
  g_assert_cmpstr (kq_article_get_title (copy), ==, "Titre");
}

static void
test_article_reading_minutes (void)
{
  g_autoptr(KqArticle) article = kq_article_new ();
  g_autoptr(GString) body = g_string_new ("<p>");
  guint notifies = 0;

  /* 200 words a minute, rounded up, at least 1 (as the site's plugins). */
  g_assert_cmpuint (kq_article_estimate_reading_minutes (NULL), ==, 1);
  g_assert_cmpuint (kq_article_estimate_reading_minutes (""), ==, 1);
  for (guint i = 0; i < 690; i++)
    g_string_append (body, i % 10 == 0 ? "mot</p>\n<p>" : "mot ");
  g_string_append (body, "</p><script>var a = 1; var b = 2;</script><!-- un commentaire -->");
  g_assert_cmpuint (_kq_text_count_words (body->str), ==, 690);
  g_assert_cmpuint (kq_article_estimate_reading_minutes (body->str), ==, 4);
  for (guint words = 1; words <= 401; words += 200)
    {
      g_autoptr(GString) short_body = g_string_new (NULL);

      for (guint i = 0; i < words + 199; i++)
        g_string_append (short_body, "mot ");
      /* 200 → 1, 201 → 2, 400 → 2, 401 → 3, 600 → 3 */
      g_assert_cmpuint (kq_article_estimate_reading_minutes (short_body->str), ==, words / 200 + 1);
      g_string_truncate (short_body, 0);
      for (guint i = 0; i < words + 200; i++)
        g_string_append (short_body, "mot ");
      g_assert_cmpuint (kq_article_estimate_reading_minutes (short_body->str), ==, words / 200 + 2);
    }

  /* Tags separate words, inline tags do not; punctuation alone is no word. */
  g_assert_cmpuint (_kq_text_count_words ("<p>un</p><p>deux</p> — <em>tr</em>ois&nbsp;quatre"),
                    ==, 4);

  g_signal_connect (article, "notify::reading-minutes", G_CALLBACK (count_notify_cb), &notifies);
  kq_article_set_body_html (article, body->str);
  g_assert_cmpuint (kq_article_get_reading_minutes (article), ==, 4);
  g_assert_cmpuint (notifies, ==, 1);
  kq_article_set_reading_minutes (article, 5);
  g_assert_cmpuint (kq_article_get_reading_minutes (article), ==, 5);
  kq_article_set_body_html (article, NULL);
  g_assert_cmpuint (kq_article_get_reading_minutes (article), ==, 0);
}

static void
test_text_entities (void)
{
  struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "Apple &amp; Google", "Apple & Google" },
    { "L&#8217;iPhone &hellip;", "L\u2019iPhone \u2026" },
    { "&#x2019;&#X2019;", "\u2019\u2019" },
    { "caf&eacute; &apos;&quot;", "café '\"" },
    { "&unknown; & &amp", "&unknown; & &amp" },
    { "&#0;&#55296;&#99999999999999;", "\uFFFD\uFFFD\uFFFD" },
    { "&#150;", "\u2013" },
    { "&#38;amp;", "&amp;" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = _kq_text_decode_entities (cases[i].in, -1);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_text_from_html (void)
{
  struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "<p>Bonjour <b>le</b>\n\n monde</p>", "Bonjour le monde" },
    { "&nbsp;Titre&nbsp;: suite&nbsp;", "Titre\u00a0: suite" },
    { "a < b et c > d", "a < b et c > d" },
    { "<a title=\"x > y\" href='z'>lien</a>", "lien" },
    { "<style>p { color: red }</style>texte<script>alert(1)</script>", "texte" },
    { "&lt;script&gt;", "<script>" },
    { "<p>non fermé", "non fermé" },
    { "<!-- rien", "" },
    { "\xff\xfe ok", "ok" },
    { "a\x01" "b\x7f c\xc2\x96", "ab c\u2013" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = _kq_text_from_html (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (_kq_text_from_html (NULL));
}

static void
test_text_hash (void)
{
  gint64 a = _kq_text_hash63 ("https://exemple.fr/a");
  gint64 b = _kq_text_hash63 ("https://exemple.fr/b");

  g_assert_cmpint (a, >, 0);
  g_assert_cmpint (b, >, 0);
  g_assert_cmpint (a, !=, b);
  /* Stable across runs and platforms (FNV-1a 64 of "a", top bit cleared). */
  g_assert_cmpint (_kq_text_hash63 ("a"), ==,
                   (gint64) (G_GUINT64_CONSTANT (0xaf63dc4c8601ec8c) & G_MAXINT64));
}

static void
test_category (void)
{
  g_autoptr(KqCategory) category = kq_category_new ();
  guint notifies = 0;

  g_signal_connect (category, "notify", G_CALLBACK (count_notify_cb), &notifies);
  kq_category_set_id (category, 8);
  kq_category_set_name (category, "Cinéma & séries");
  kq_category_set_slug (category, "cinema-series");
  kq_category_set_count (category, 57);
  kq_category_set_parent (category, 2);
  kq_category_set_link (category, "https://exemple.fr/cinema-series/");
  kq_category_set_position (category, 3);
  kq_category_set_unread_count (category, 4);
  kq_category_set_source (category, "https://exemple.fr");
  g_assert_cmpuint (notifies, ==, 9);

  /* No change, no notification. */
  kq_category_set_name (category, "Cinéma & séries");
  kq_category_set_count (category, 57);
  g_assert_cmpuint (notifies, ==, 9);

  g_assert_cmpint (kq_category_get_id (category), ==, 8);
  g_assert_cmpstr (kq_category_get_name (category), ==, "Cinéma & séries");
  g_assert_cmpint (kq_category_get_parent (category), ==, 2);
  g_assert_cmpuint (kq_category_get_position (category), ==, 3);
  g_assert_cmpuint (kq_category_get_unread_count (category), ==, 4);
}

static KqComment *
make_comment (gint64 id,
              gint64 parent,
              int    minute)
{
  KqComment *comment = kq_comment_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 1, 1, 12, minute, 0);

  kq_comment_set_id (comment, id);
  kq_comment_set_parent (comment, parent);
  kq_comment_set_date (comment, date);
  return comment;
}

static void
assert_thread (GPtrArray    *threaded,
               const gint64 *ids,
               const guint  *depths,
               guint         n)
{
  g_assert_cmpuint (threaded->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      KqComment *comment = g_ptr_array_index (threaded, i);
      g_assert_cmpint (kq_comment_get_id (comment), ==, ids[i]);
      g_assert_cmpuint (kq_comment_get_depth (comment), ==, depths[i]);
    }
}

static void
test_comment_thread (void)
{
  g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) threaded = NULL;
  const gint64 ids[] = { 1, 3, 5, 4, 2, 6 };
  const guint depths[] = { 0, 1, 2, 1, 0, 0 };

  /* Newest first, like the REST API. 6's parent (99) is missing. */
  g_ptr_array_add (comments, make_comment (6, 99, 50));
  g_ptr_array_add (comments, make_comment (5, 3, 40));
  g_ptr_array_add (comments, make_comment (4, 1, 30));
  g_ptr_array_add (comments, make_comment (3, 1, 20));
  g_ptr_array_add (comments, make_comment (2, 0, 10));
  g_ptr_array_add (comments, make_comment (1, 0, 0));

  threaded = kq_comment_thread (comments);
  assert_thread (threaded, ids, depths, G_N_ELEMENTS (ids));
}

static void
test_comment_thread_hostile (void)
{
  g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) threaded = NULL;
  g_autoptr(GPtrArray) deep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) deep_threaded = NULL;
  const gint64 ids[] = { 10, 11, 12 };
  const guint depths[] = { 0, 1, 0 };

  /* A cycle (10 ↔ 11) and a self-parent (12). */
  g_ptr_array_add (comments, make_comment (11, 10, 5));
  g_ptr_array_add (comments, make_comment (10, 11, 1));
  g_ptr_array_add (comments, make_comment (12, 12, 9));
  threaded = kq_comment_thread (comments);
  assert_thread (threaded, ids, depths, G_N_ELEMENTS (ids));

  /* A 20,000-deep chain does not overflow the stack. */
  for (guint i = 1; i <= 20000; i++)
    g_ptr_array_add (deep, make_comment (i, i - 1, 0));
  deep_threaded = kq_comment_thread (deep);
  g_assert_cmpuint (deep_threaded->len, ==, 20000);
  g_assert_cmpuint (kq_comment_get_depth (g_ptr_array_index (deep_threaded, 19999)), ==, 19999);
}

/* The JSON pre-checks that keep json-glib 1.6 from leaking, overflowing
 * its stack or writing invalid UTF-8 (cases found by the fuzzers). */
static void
test_text_json_shape (void)
{
  struct {
    const char *json;
    KqJsonShape shape;
  } cases[] = {
    { "{\"a\": [1, {\"b\": \"]}\"}]}", KQ_JSON_SHAPE_OK },
    { "  [1, 2]\n\t ", KQ_JSON_SHAPE_OK },
    { "\xef\xbb\xbf[1]", KQ_JSON_SHAPE_OK },
    { "\"chaîne \\\" ]\"", KQ_JSON_SHAPE_OK },
    { "42", KQ_JSON_SHAPE_OK },
    { "", KQ_JSON_SHAPE_OK },
    { "[[[[]]]]", KQ_JSON_SHAPE_OK },
    { "[[[[[]]]]]", KQ_JSON_SHAPE_TOO_DEEP },
    { "{}{}", KQ_JSON_SHAPE_TRAILING },
    { "[1] [2]", KQ_JSON_SHAPE_TRAILING },
    { "\"a\"[1]", KQ_JSON_SHAPE_TRAILING },
    { "1 [2]", KQ_JSON_SHAPE_TRAILING },
    { "true{}", KQ_JSON_SHAPE_TRAILING },
    { "{}}", KQ_JSON_SHAPE_TRAILING },
    { "[\"\\u00e9 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"]", KQ_JSON_SHAPE_OK },
    { "[\"\\x\"]", KQ_JSON_SHAPE_BAD_ESCAPE },
    { "[\"\\u12\"]", KQ_JSON_SHAPE_BAD_ESCAPE },
    /* Found by fuzz-bookmarks-import: json-glib leaked the string. */
    { "{\"x\":1,\"w\\u:8t\\udd0#\\ud:3t\\f\"c\":1}", KQ_JSON_SHAPE_BAD_ESCAPE },
    /* Cut short: json-glib reports the unterminated string itself. */
    { "[\"\\u12", KQ_JSON_SHAPE_OK },
    /* Not JSON from the start: left to json-glib, which says where. */
    { "<!DOCTYPE html>\n<html lang=\"fr\"><p>[[[[[", KQ_JSON_SHAPE_OK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (_kq_text_json_shape (cases[i].json, strlen (cases[i].json), 4), ==,
                       cases[i].shape);
    }
}

static void
test_text_json_surrogates (void)
{
  struct {
    const char *json;
    const char *fixed; /* NULL: unchanged */
  } cases[] = {
    { "[\"sans échappement\"]", NULL },
    { "[\"\\u00e9 \\ud83d\\ude00\"]", NULL },
    { "[\"a\\ud800b\"]", "[\"a\\uFFFDb\"]" },
    { "[\"\\udc00\\ud800\"]", "[\"\\uFFFD\\uFFFD\"]" },
    { "[\"\\ud83d\\u0041\"]", "[\"\\uFFFD\\u0041\"]" },
    /* An escaped backslash, then plain text. */
    { "[\"\\\\ud800\"]", NULL },
    /* Outside strings, nothing is an escape. */
    { "{\"k\\ud800\": 1}", "{\"k\\uFFFD\": 1}" },
    { "[\"fin \\ud8", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = 0;
      g_autofree char *fixed = _kq_text_json_fix_surrogates (cases[i].json, strlen (cases[i].json),
                                                              &len);

      g_test_message ("%s", cases[i].json);
      g_assert_cmpstr (fixed, ==, cases[i].fixed);
      if (fixed != NULL)
        g_assert_cmpuint (len, ==, strlen (fixed));
    }

  /* Found by fuzz-wp-json: a NUL byte before the escape hid it. */
  {
    static const char with_nul[] = "[\"a\0b\", \"\\ud800\"]";
    static const char expected[] = "[\"a\0b\", \"\\uFFFD\"]";
    gsize len = 0;
    g_autofree char *fixed = _kq_text_json_fix_surrogates (with_nul, sizeof with_nul - 1, &len);

    g_assert_nonnull (fixed);
    g_assert_cmpmem (fixed, len, expected, sizeof expected - 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kq/models/article-properties", test_article_properties);
  g_test_add_func ("/kq/models/article-copy", test_article_copy);
  g_test_add_func ("/kq/models/article-reading-minutes", test_article_reading_minutes);
  g_test_add_func ("/kq/models/text-entities", test_text_entities);
  g_test_add_func ("/kq/models/text-from-html", test_text_from_html);
  g_test_add_func ("/kq/models/text-hash", test_text_hash);
  g_test_add_func ("/kq/models/text-json-shape", test_text_json_shape);
  g_test_add_func ("/kq/models/text-json-surrogates", test_text_json_surrogates);
  g_test_add_func ("/kq/models/category", test_category);
  g_test_add_func ("/kq/models/comment-thread", test_comment_thread);
  g_test_add_func ("/kq/models/comment-thread-hostile", test_comment_thread_hostile);

  return g_test_run ();
}
