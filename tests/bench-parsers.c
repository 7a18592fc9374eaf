/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libxml/parser.h>

#include "kq-feed-parser.h"
#include "kq-wp-parser.h"

/*
 * bench-parsers: parse time of a 100-post `_embed` WordPress page and of a
 * 2,000-item RSS feed (both generated here), next to the bare json-glib and
 * libxml2 parse of the same bytes, so the parsers' own overhead is visible.
 * Prints medians of several runs; asserts nothing about time.
 */

#define RUNS 9

static const char *paragraph =
  "<p>Le constructeur annonce une autonomie doublée et un écran plus lumineux&nbsp;; "
  "les premiers essais montrent pourtant une chauffe sensible lors des longues sessions "
  "de jeu, ce qui interroge sur la gestion thermique de l&#8217;ensemble.</p>\n";

static GBytes *
make_wp_page (guint n_posts)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < n_posts; i++)
    {
      GString *body = g_string_new (NULL);

      for (guint p = 0; p < 12; p++)
        g_string_append (body, paragraph);

      g_string_append_printf (s,
        "%s{\"id\":%u,\"date\":\"2024-03-06T09:15:00\",\"date_gmt\":\"2024-03-06T08:15:00\","
        "\"modified_gmt\":\"2024-03-06T10:02:41\",\"slug\":\"article-%u\",\"status\":\"publish\","
        "\"type\":\"post\",\"link\":\"https://exemple.fr/2024/03/06/article-%u/\","
        "\"title\":{\"rendered\":\"Article num&eacute;ro %u&nbsp;: l&#8217;essai complet\"},"
        "\"content\":{\"rendered\":\"%s\",\"protected\":false},"
        "\"excerpt\":{\"rendered\":\"<p>Le constructeur annonce une autonomie doublée [&hellip;]</p>\\n\"},"
        "\"author\":7,\"featured_media\":%u,\"comment_status\":\"open\",\"categories\":[12,4],"
        "\"tags\":[301,302],\"_embedded\":{\"author\":[{\"id\":7,\"name\":\"Margaux Lefebvre\"}],"
        "\"replies\":[[{\"id\":1,\"parent\":0},{\"id\":2,\"parent\":1}]],"
        "\"wp:featuredmedia\":[{\"id\":%u,\"source_url\":\"https://exemple.fr/u/%u.jpg\","
        "\"media_details\":{\"width\":2400,\"height\":1600,\"sizes\":{"
        "\"thumbnail\":{\"width\":150,\"height\":150,\"source_url\":\"https://exemple.fr/u/%u-150.jpg\"},"
        "\"medium\":{\"width\":300,\"height\":200,\"source_url\":\"https://exemple.fr/u/%u-300.jpg\"},"
        "\"medium_large\":{\"width\":768,\"height\":512,\"source_url\":\"https://exemple.fr/u/%u-768.jpg\"},"
        "\"large\":{\"width\":1024,\"height\":683,\"source_url\":\"https://exemple.fr/u/%u-1024.jpg\"}}}}],"
        "\"wp:term\":[[{\"id\":12,\"name\":\"Mat&eacute;riel\",\"taxonomy\":\"category\"},"
        "{\"id\":4,\"name\":\"Mobilit&eacute;\",\"taxonomy\":\"category\"}],"
        "[{\"id\":301,\"name\":\"audio\",\"taxonomy\":\"post_tag\"}]]}}",
        i ? "," : "", 1000 + i, i, i, i, body->str, 5000 + i, 5000 + i, i, i, i, i, i);
      g_string_free (body, TRUE);
    }
  g_string_append (s, "]");
  /* The body holds quotes inside attributes: none here, so the JSON stays valid. */
  return g_string_free_to_bytes (s);
}

static GBytes *
make_rss (guint n_items)
{
  GString *s = g_string_new (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
    "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:slash=\"http://purl.org/rss/1.0/modules/slash/\">\n<channel>\n"
    "<title>Banc d&#8217;essai</title><link>https://exemple.fr</link>\n");

  for (guint i = 0; i < n_items; i++)
    {
      g_string_append_printf (s,
        "<item><title>Article num&#233;ro %u&#160;: l&#8217;essai complet</title>"
        "<link>https://exemple.fr/2024/03/06/article-%u/</link>"
        "<dc:creator><![CDATA[Margaux Lefebvre]]></dc:creator>"
        "<pubDate>Wed, 06 Mar 2024 07:45:10 +0000</pubDate>"
        "<category><![CDATA[Matériel]]></category><category><![CDATA[Mobilité]]></category>"
        "<guid isPermaLink=\"false\">https://exemple.fr/?p=%u</guid>"
        "<description><![CDATA[<p>Le constructeur annonce une autonomie doublée [&#8230;]</p>]]></description>"
        "<content:encoded><![CDATA[<figure><img src=\"https://exemple.fr/u/%u-1024.jpg\" width=\"1024\" height=\"576\"></figure>",
        i, i, 1000 + i, i);
      for (guint p = 0; p < 6; p++)
        g_string_append (s, paragraph);
      g_string_append (s, "]]></content:encoded><slash:comments>3</slash:comments></item>\n");
    }
  g_string_append (s, "</channel>\n</rss>\n");
  return g_string_free_to_bytes (s);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef void (*BenchFunc) (GBytes *bytes);

static double
median_ms (BenchFunc func,
           GBytes   *bytes)
{
  double times[RUNS];

  func (bytes); /* warm-up */
  for (guint i = 0; i < RUNS; i++)
    {
      gint64 start = g_get_monotonic_time ();

      func (bytes);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (times, RUNS, sizeof (double), compare_doubles);
  return times[RUNS / 2];
}

static void
run_wp_parser (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) posts = kq_wp_parser_parse_posts (bytes, "https://exemple.fr", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, ==, 100);
}

static void
run_bare_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
}

static void
run_feed_parser (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KqFeed) feed = kq_feed_parser_parse (bytes, "https://exemple.fr",
                                                 "https://exemple.fr/feed/", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (kq_feed_get_items (feed)->len, ==, 2000);
}

static void
run_bare_xml (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  xmlDoc *doc = xmlReadMemory (data, (int) len, "https://exemple.fr/feed/", NULL,
                               XML_PARSE_NONET | XML_PARSE_NOCDATA);

  g_assert_nonnull (doc);
  xmlFreeDoc (doc);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) page = make_wp_page (100);
  g_autoptr(GBytes) feed = make_rss (2000);
  double wp, json, rss, xml;

  /* `bench-parsers --profile wp|rss|wp-bare|rss-bare|none [RUNS]`: one
   * parser, RUNS times (40), for `perf record` or `valgrind --tool=callgrind`
   * (instruction counts do not depend on the machine's load). */
  if (argc >= 3 && g_str_equal (argv[1], "--profile"))
    {
      guint runs = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 40;
      gboolean is_wp = g_str_has_prefix (argv[2], "wp");
      gboolean bare = g_str_has_suffix (argv[2], "-bare");
      BenchFunc func = is_wp ? (bare ? run_bare_json : run_wp_parser)
                             : (bare ? run_bare_xml : run_feed_parser);

      for (guint i = 0; i < runs && !g_str_equal (argv[2], "none"); i++)
        func (is_wp ? page : feed);
      return 0;
    }

  wp = median_ms (run_wp_parser, page);
  json = median_ms (run_bare_json, page);
  rss = median_ms (run_feed_parser, feed);
  xml = median_ms (run_bare_xml, feed);

  g_print ("%-34s %9s %9s %9s %8s\n", "payload", "size", "kiosque", "bare", "ratio");
  g_print ("%-34s %7.0f kB %6.2f ms %6.2f ms %7.2fx\n", "WP JSON, 100 posts with _embed",
           g_bytes_get_size (page) / 1024.0, wp, json, wp / json);
  g_print ("%-34s %7.0f kB %6.2f ms %6.2f ms %7.2fx\n", "RSS 2.0, 2,000 items",
           g_bytes_get_size (feed) / 1024.0, rss, xml, rss / xml);
  g_print ("(median of %d runs; bare = json_parser_load_from_data / xmlReadMemory)\n", RUNS);
  /* Machine-readable lines for build-aux/bench: BENCH name value unit */
  g_print ("BENCH parse.wp-json-100.kiosque %.3f ms\n", wp);
  g_print ("BENCH parse.wp-json-100.bare %.3f ms\n", json);
  g_print ("BENCH parse.wp-json-100.ratio %.3f x\n", wp / json);
  g_print ("BENCH parse.rss-2000.kiosque %.3f ms\n", rss);
  g_print ("BENCH parse.rss-2000.bare %.3f ms\n", xml);
  g_print ("BENCH parse.rss-2000.ratio %.3f x\n", rss / xml);
  return 0;
}
