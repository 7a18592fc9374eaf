/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "kq-feed-date-private.h"
#include "kq-article.h"
#include "kq-feed-parser-private.h"
#include "kq-feed-parser.h"
#include "kq-i18n.h"
#include "kq-wp-parser.h"

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
test_dates (void)
{
  struct {
    const char *in;
    const char *utc; /* NULL: unreadable */
  } cases[] = {
    { "Tue, 05 Mar 2024 09:30:00 +0000", "2024-03-05T09:30:00Z" },
    { "Tue, 05 Mar 2024 09:30 CET", "2024-03-05T08:30:00Z" },
    { "5 Mar 24 04:30:00 EST", "2024-03-05T09:30:00Z" },
    { "Tue,05 Mar 2024 15:00:00 +0530", "2024-03-05T09:30:00Z" },
    { "mar., 02 avr. 2024 11:30:00 +0200", "2024-04-02T09:30:00Z" },
    { "Mar 5, 2024 09:30:00 GMT", "2024-03-05T09:30:00Z" },
    { "2024-03-05T10:30:00+01:00", "2024-03-05T09:30:00Z" },
    { "2024-03-05T09:30:00", "2024-03-05T09:30:00Z" },
    { "2024-03-05", "2024-03-05T00:00:00Z" },
    { "Tue, 05 Mar 2024 09:30:00 +2500", NULL },
    { "hier", NULL },
    { "", NULL },
    { "Feb 30 2024 10:00 GMT", NULL },
    /* The common form (read on a fast path): the same answers. */
    { "Wed, 06 Mar 2024 07:45:10 GMT", "2024-03-06T07:45:10Z" },
    { "wed, 6 MAR 2024 07:45:10 UT", "2024-03-06T07:45:10Z" },
    { "Sun, 31 Dec 2023 23:30:00 -0100", "2024-01-01T00:30:00Z" },
    { "Mon, 01 Jan 2024 00:15:00 +0530", "2023-12-31T18:45:00Z" },
    { "Wed, 06 Mar 2024 07:45:60 Z", "2024-03-06T07:45:59Z" },
    { " Thu, 29 Feb 2024 12:00:00 UTC ", "2024-02-29T12:00:00Z" },
    { "Fri, 30 Feb 2024 12:00:00 +0000", NULL },
    { "Wed, 06 Mar 2024 24:00:00 +0000", NULL },
    { "Wed, 06 Mar 2024 07:45:10 +1500", NULL },
    { "Sat, 01 Jan 0001 00:30:00 +0100", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date = _kq_feed_date_parse (cases[i].in);
      g_autofree char *text = date ? g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ") : NULL;

      g_test_message ("%s", cases[i].in);
      g_assert_cmpstr (text, ==, cases[i].utc);
    }
}

static void
test_looks_like_feed (void)
{
  struct {
    const char *in;
    gboolean    feed;
  } cases[] = {
    { "<?xml version=\"1.0\"?>\n<!-- c -->\n<rss version=\"2.0\">", TRUE },
    { "\xef\xbb\xbf<feed xmlns=\"http://www.w3.org/2005/Atom\">", TRUE },
    { "<!DOCTYPE rdf:RDF [ <!ENTITY a \"b\"> ]><rdf:RDF>", TRUE },
    { "<!DOCTYPE html><html><head>", FALSE },
    { "{\"id\": 1}", FALSE },
    { "<rsss>", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = bytes_from_string (cases[i].in);
      g_assert_cmpint (kq_feed_parser_looks_like_feed (bytes), ==, cases[i].feed);
    }
}

/* The fixture's external entities point at a real file next to it: with the
 * file's own URI as the base, a parser that loads them would leak it. */
static void
test_external_entity_not_loaded (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "feeds",
                                                 "external-entity.xml", NULL);
  g_autofree char *secret_path = g_test_build_filename (G_TEST_DIST, "data", "feeds",
                                                        "secret.txt", NULL);
  g_autofree char *base = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KqFeed) feed = NULL;
  gsize len;
  KqArticle *item;

  g_assert_true (g_file_get_contents (secret_path, &secret, NULL, NULL));
  g_assert_nonnull (strstr (secret, "KIOSQUE-SECRET"));
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);

  feed = kq_feed_parser_parse (bytes, "https://xxe.exemple.fr", base, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (kq_feed_get_title (feed), "SECRET"));
  g_assert_cmpuint (kq_feed_get_items (feed)->len, ==, 1);
  item = g_ptr_array_index (kq_feed_get_items (feed), 0);
  g_assert_cmpstr (kq_article_get_title (item), ==, "Avant après");
  g_assert_null (kq_article_get_body_html (item));
}

static void
test_too_large (void)
{
  gsize size = 20 * 1024 * 1024 + 1;
  char *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KqFeed) feed = NULL;
  g_autoptr(GPtrArray) posts = NULL;

  memset (data, ' ', size);
  memcpy (data, "<rss>", 5);
  bytes = g_bytes_new_take (data, size);

  feed = kq_feed_parser_parse (bytes, NULL, NULL, &error);
  g_assert_error (error, KQ_FEED_ERROR, KQ_FEED_ERROR_INVALID);
  g_assert_null (feed);
  g_clear_error (&error);

  posts = kq_wp_parser_parse_posts (bytes, NULL, &error);
  g_assert_error (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID);
  g_assert_null (posts);
}

/* A page longer than any site gives keeps its first KQ_WP_MAX_POSTS posts;
 * a feed its first KQ_FEED_MAX_ITEMS items (RSS 2.0, RSS 1.0, Atom). */
static void
test_items_bounded (void)
{
  const guint n = KQ_FEED_MAX_ITEMS + 500;
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;
  /* Each item: open, "T<n>", mid, "https://e.test/<n>", close. */
  static const struct {
    const char *head, *open, *mid, *close, *tail;
  } feeds[] = {
    { "<rss version=\"2.0\"><channel><title>F</title>",
      "<item><title>", "</title><link>", "</link></item>", "</channel></rss>" },
    { "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
      " xmlns=\"http://purl.org/rss/1.0/\"><channel><title>F</title></channel>",
      "<item><title>", "</title><link>", "</link></item>", "</rdf:RDF>" },
    { "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>F</title>",
      "<entry><title>", "</title><link href=\"", "\"/></entry>", "</feed>" },
  };

  for (guint f = 0; f < G_N_ELEMENTS (feeds); f++)
    {
      g_autoptr(GString) xml = g_string_new (feeds[f].head);
      g_autoptr(GBytes) feed_bytes = NULL;
      g_autoptr(KqFeed) feed = NULL;
      GPtrArray *items;

      for (guint i = 0; i < n; i++)
        {
          g_string_append_printf (xml, "%sT%u%shttps://e.test/%u", feeds[f].open, i + 1,
                                  feeds[f].mid, i + 1);
          g_string_append (xml, feeds[f].close);
        }
      g_string_append (xml, feeds[f].tail);
      feed_bytes = g_bytes_new (xml->str, xml->len);
      feed = kq_feed_parser_parse (feed_bytes, "https://e.test", "https://e.test/feed", &error);
      g_assert_no_error (error);
      items = kq_feed_get_items (feed);
      g_assert_cmpuint (items->len, ==, KQ_FEED_MAX_ITEMS);
      g_assert_cmpstr (kq_article_get_title (g_ptr_array_index (items, 0)), ==, "T1");
      g_assert_cmpstr (kq_article_get_link (g_ptr_array_index (items, items->len - 1)), ==,
                       "https://e.test/2000");
    }

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"id\":%u,\"link\":\"https://e.test/%u\"}",
                            i > 0 ? "," : "", i + 1, i + 1);
  g_string_append_c (json, ']');
  bytes = g_bytes_new (json->str, json->len);
  posts = kq_wp_parser_parse_posts (bytes, "https://e.test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, ==, KQ_WP_MAX_POSTS);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (posts, 0)), ==, 1);
  g_assert_cmpint (kq_article_get_id (g_ptr_array_index (posts, KQ_WP_MAX_POSTS - 1)), ==,
                   KQ_WP_MAX_POSTS);
}

/* libxml2 is quadratic in the attributes of one element: a feed's elements
 * keep their first KQ_HTML_MAX_ATTRIBUTES (what an element says past them
 * is not read), and 200,000 of them on an item cost no more than the rest. */
static void
test_attributes_bounded (void)
{
  g_autoptr(GString) xml = g_string_new ("<rss version=\"2.0\"><channel><title>F</title><item");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KqFeed) feed = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (xml, " a%u=\"%u\"", i, i);
  g_string_append (xml, "><title>Un</title><link>https://e.test/1</link>"
                        "<description><![CDATA[<p a=1 b=2>Texte</p>]]></description>"
                        "<enclosure url=\"https://e.test/1.jpg\" type=\"image/jpeg\"/></item>"
                        "<item><title>Deux</title><link>https://e.test/2</link><enclosure");
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (xml, " data-%u=\"%u\"", i, i);
  g_string_append (xml, " url=\"https://e.test/2.jpg\" type=\"image/jpeg\"/></item></channel></rss>");

  bytes = g_bytes_new (xml->str, xml->len);
  feed = kq_feed_parser_parse (bytes, "https://e.test", "https://e.test/feed", &error);
  g_assert_no_error (error);
  items = kq_feed_get_items (feed);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (kq_article_get_title (g_ptr_array_index (items, 0)), ==, "Un");
  g_assert_cmpstr (kq_article_get_image_url (g_ptr_array_index (items, 0)), ==,
                   "https://e.test/1.jpg");
  g_assert_cmpstr (kq_article_get_body_html (g_ptr_array_index (items, 0)), ==,
                   "<p a=1 b=2>Texte</p>");
  g_assert_cmpstr (kq_article_get_title (g_ptr_array_index (items, 1)), ==, "Deux");
  g_assert_null (kq_article_get_image_url (g_ptr_array_index (items, 1)));
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *posts;
  KqFeed    *feed;
  GError    *error;
  GThread   *callback_thread;
} AsyncData;

static void
posts_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncData *data = user_data;

  data->callback_thread = g_thread_self ();
  data->posts = kq_wp_parser_parse_posts_finish (result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
feed_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncData *data = user_data;

  data->callback_thread = g_thread_self ();
  data->feed = kq_feed_parser_parse_finish (result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
test_async (void)
{
  g_autoptr(GBytes) json = bytes_from_string (
    "[{\"id\": 7, \"title\": {\"rendered\": \"Un &amp; deux\"}}]");
  g_autoptr(GBytes) xml = bytes_from_string (
    "<rss><channel><title>T</title><item><title>Un</title><link>https://a.fr/1</link>"
    "</item></channel></rss>");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncData data = { g_main_loop_new (NULL, FALSE) };

  kq_wp_parser_parse_posts_async (json, "https://a.fr", NULL, posts_done_cb, &data);
  g_main_loop_run (data.loop);
  g_assert_no_error (data.error);
  g_assert_true (data.callback_thread == g_thread_self ());
  g_assert_cmpuint (data.posts->len, ==, 1);
  g_assert_cmpstr (kq_article_get_title (g_ptr_array_index (data.posts, 0)), ==, "Un & deux");
  g_assert_cmpstr (kq_article_get_source (g_ptr_array_index (data.posts, 0)), ==, "https://a.fr");
  g_clear_pointer (&data.posts, g_ptr_array_unref);

  kq_feed_parser_parse_async (xml, "https://a.fr", NULL, NULL, feed_done_cb, &data);
  g_main_loop_run (data.loop);
  g_assert_no_error (data.error);
  g_assert_cmpstr (kq_feed_get_title (data.feed), ==, "T");
  g_assert_cmpuint (kq_feed_get_items (data.feed)->len, ==, 1);
  g_clear_object (&data.feed);

  /* Cancelled before it runs: G_IO_ERROR_CANCELLED, nothing else. */
  g_cancellable_cancel (cancellable);
  kq_wp_parser_parse_posts_async (json, "https://a.fr", cancellable, posts_done_cb, &data);
  g_main_loop_run (data.loop);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (data.posts);
  g_clear_error (&data.error);

  kq_feed_parser_parse_async (xml, NULL, NULL, cancellable, feed_done_cb, &data);
  g_main_loop_run (data.loop);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (data.feed);
  g_clear_error (&data.error);

  g_main_loop_unref (data.loop);
}

/* Errors reach the user: they must be translated. */
static void
test_error_messages_translated (void)
{
  g_autoptr(GBytes) bytes = bytes_from_string ("");
  g_autoptr(GError) error = NULL;
  g_autoptr(KqFeed) feed = NULL;

  if (g_getenv ("KIOSQUE_LOCALEDIR") == NULL)
    {
      g_test_skip ("KIOSQUE_LOCALEDIR is not set");
      return;
    }
  g_setenv ("LANGUAGE", "fr", TRUE);
  g_setenv ("LC_ALL", "fr_FR.UTF-8", TRUE);
  kq_i18n_init ();
  if (g_strcmp0 (setlocale (LC_MESSAGES, NULL), "fr_FR.UTF-8") != 0)
    {
      g_test_skip ("No French locale");
      return;
    }
  feed = kq_feed_parser_parse (bytes, NULL, NULL, &error);
  g_assert_error (error, KQ_FEED_ERROR, KQ_FEED_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Le flux est vide.");

  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  setlocale (LC_ALL, "C");
}

/* libxml2 reports bytes that are not in the document's encoding through
 * its global handlers, that print to stderr: the parser keeps them quiet. */
static void
test_encoding_errors_quiet (void)
{
  if (g_test_subprocess ())
    {
      /* Undeclared and not UTF-8: read as Windows-1252, where 0x81 and 0x90
       * are undefined. */
      g_autoptr(GBytes) bytes = bytes_from_string ("<rss version=\"2.0\"><channel><title>Caf\xe9 \x90\x81"
                                                   "</title></channel></rss>");
      g_autoptr(GError) error = NULL;
      g_autoptr(KqFeed) feed = kq_feed_parser_parse (bytes, NULL, NULL, &error);

      g_assert_true ((feed != NULL) != (error != NULL));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*encoding error*");
  g_test_trap_assert_stderr_unmatched ("*I/O error*");
}

/* Browsers decode windows-1252 as the WHATWG Encoding Standard says: the
 * five bytes it leaves undefined become C1 code points, not an error that
 * costs the whole feed; the rest of the text stays intact. */
static void
test_windows_1252_undefined_bytes (void)
{
  static const char * const feeds[] = {
    /* Undeclared and not UTF-8. */
    "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
    "<title>March\xe9 \x81\x8d\x8f\x90\x9d aux puces</title>"
    "<item><title>Th\xe9i\xe8re \x80 12 \x96 l\x92\xe9t\xe9</title></item>"
    "</channel></rss>",
    /* Declared windows-1252, and ISO-8859-1 that browsers read the same way. */
    "<?xml version=\"1.0\" encoding=\"Windows-1252\"?>\n<rss version=\"2.0\"><channel>"
    "<title>March\xe9 \x81\x8d\x8f\x90\x9d aux puces</title>"
    "<item><title>Th\xe9i\xe8re \x80 12 \x96 l\x92\xe9t\xe9</title></item>"
    "</channel></rss>",
    "<?xml version='1.0' encoding='iso-8859-1'?>\n<rss version=\"2.0\"><channel>"
    "<title>March\xe9 \x81\x8d\x8f\x90\x9d aux puces</title>"
    "<item><title>Th\xe9i\xe8re \x80 12 \x96 l\x92\xe9t\xe9</title></item>"
    "</channel></rss>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (feeds); i++)
    {
      g_autoptr(GBytes) bytes = bytes_from_string (feeds[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(KqFeed) feed = kq_feed_parser_parse (bytes, NULL, NULL, &error);
      GPtrArray *items;

      g_test_message ("feed %u", i);
      g_assert_no_error (error);
      g_assert_nonnull (feed);
      /* The C1 controls are no text: gone from the plain title. */
      g_assert_cmpstr (kq_feed_get_title (feed), ==, "Marché aux puces");
      items = kq_feed_get_items (feed);
      g_assert_cmpuint (items->len, ==, 1);
      g_assert_cmpstr (kq_article_get_title (g_ptr_array_index (items, 0)), ==,
                       "Théière € 12 – l’été");
    }
}

static gboolean
declared (const char  *text,
          char       **label)
{
  return _kq_fp_has_declared_encoding (text, strlen (text), label);
}

static void
test_decode_windows_1252 (void)
{
  static const char all_c1[] = "\x80\x81\x82\x8d\x8f\x90\x9d\x9f\xa0\xe9\xff";
  g_autoptr(GString) decoded = NULL;
  g_autofree char *label = NULL;

  decoded = _kq_fp_decode_windows_1252 (all_c1, strlen (all_c1));
  g_assert_true (g_utf8_validate (decoded->str, decoded->len, NULL));
  g_assert_cmpstr (decoded->str, ==,
                   "\u20ac" "\xc2\x81" "\u201a" "\xc2\x8d" "\xc2\x8f" "\xc2\x90" "\xc2\x9d"
                   "\u0178\u00a0\u00e9\u00ff");
  g_string_free (g_steal_pointer (&decoded), TRUE);

  /* ASCII stays as it is, NUL included. */
  decoded = _kq_fp_decode_windows_1252 ("a\0b", 3);
  g_assert_cmpuint (decoded->len, ==, 3);
  g_assert_cmpmem (decoded->str, 3, "a\0b", 3);

  g_assert_true (declared ("<?xml version=\"1.0\" encoding = 'CP1252' ?><a/>", &label));
  g_assert_cmpstr (label, ==, "cp1252");
  g_assert_true (_kq_fp_is_windows_1252_label (label));
  g_clear_pointer (&label, g_free);
  g_assert_true (declared ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", &label));
  g_assert_cmpstr (label, ==, "utf-8");
  g_assert_false (_kq_fp_is_windows_1252_label (label));
  g_clear_pointer (&label, g_free);
  g_assert_false (declared ("<?xml version=\"1.0\"?><rss/>", &label));
  g_assert_null (label);
  /* A byte order mark declares without a label. */
  g_assert_true (declared ("\xef\xbb\xbf<rss/>", &label));
  g_assert_null (label);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kq/parsers/dates", test_dates);
  g_test_add_func ("/kq/parsers/looks-like-feed", test_looks_like_feed);
  g_test_add_func ("/kq/parsers/external-entity-not-loaded", test_external_entity_not_loaded);
  g_test_add_func ("/kq/parsers/too-large", test_too_large);
  g_test_add_func ("/kq/parsers/items-bounded", test_items_bounded);
  g_test_add_func ("/kq/parsers/attributes-bounded", test_attributes_bounded);
  g_test_add_func ("/kq/parsers/async", test_async);
  g_test_add_func ("/kq/parsers/error-messages-translated", test_error_messages_translated);
  g_test_add_func ("/kq/parsers/encoding-errors-quiet", test_encoding_errors_quiet);
  g_test_add_func ("/kq/parsers/windows-1252-undefined-bytes", test_windows_1252_undefined_bytes);
  g_test_add_func ("/kq/parsers/decode-windows-1252", test_decode_windows_1252);

  return g_test_run ();
}
