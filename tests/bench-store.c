/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kq-store.h"

/*
 * bench-store: KqStore figures on generated articles (realistic French-like
 * bodies with paragraphs, headings, figures and links, ~5 KB each). Prints a
 * table; asserts nothing. Timings include the round trip through the worker
 * thread and the main loop, as the app sees them.
 *
 *   bench-store [N_ARTICLES]     (default 10000; KQ_BENCH_KEEP=1 keeps the database)
 */

#define SOURCE "https://bench.example"
#define N_CATEGORIES 12

static const char * const words[] = {
  "écran", "processeur", "batterie", "smartphone", "tablette", "ordinateur", "portable",
  "réseau", "fibre", "antenne", "logiciel", "application", "système", "mise", "jour",
  "sécurité", "faille", "correctif", "navigateur", "moteur", "recherche", "données",
  "confidentialité", "stockage", "mémoire", "graphique", "console", "manette", "jeu",
  "studio", "sortie", "prix", "euros", "lancement", "modèle", "gamme", "constructeur",
  "marché", "ventes", "trimestre", "croissance", "entreprise", "startup", "levée", "fonds",
  "satellite", "fusée", "télescope", "planète", "climat", "énergie", "solaire", "voiture",
  "électrique", "autonomie", "recharge", "borne", "vélo", "trottinette", "série", "film",
  "saison", "épisode", "plateforme", "abonnement", "musique", "casque", "enceinte", "audio",
  "photo", "capteur", "objectif", "vidéo", "format", "résolution", "couleur", "luminosité",
  "montre", "connectée", "santé", "sommeil", "capteur", "cardiaque", "intelligence",
  "artificielle", "modèle", "langage", "assistant", "vocal", "maison", "domotique",
  "ampoule", "serrure", "caméra", "surveillance", "le", "la", "les", "un", "une", "des",
  "avec", "pour", "dans", "sur", "nouveau", "nouvelle", "premier", "dernière", "grand",
  "petit", "rapide", "puissant", "léger", "fin", "solide", "annoncé", "disponible",
  "attendu", "testé", "comparé", "amélioré", "réduit", "doublé", "bientôt", "enfin",
};

static char *
sentence (GRand *rand,
          guint  n_words)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

      if (i > 0)
        g_string_append_c (out, ' ');
      if (i == 0)
        {
          gunichar first = g_unichar_toupper (g_utf8_get_char (word));
          char buf[8];

          g_string_append_len (out, buf, g_unichar_to_utf8 (first, buf));
          g_string_append (out, g_utf8_next_char (word));
        }
      else
        g_string_append (out, word);
    }
  g_string_append_c (out, '.');
  return g_string_free (out, FALSE);
}

static KqArticle *
make_article (GRand  *rand,
              gint64  id)
{
  KqArticle *article = kq_article_new ();
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = sentence (rand, g_rand_int_range (rand, 6, 12));
  g_autofree char *excerpt = sentence (rand, 30);
  g_autofree char *link = g_strdup_printf (SOURCE "/%" G_GINT64_FORMAT "/article/", id);
  g_autofree char *thumb = g_strdup_printf (SOURCE "/wp-content/uploads/%" G_GINT64_FORMAT "-300x200.jpg", id);
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (1700000000 + id * 600);
  gint64 categories[2] = { 1 + id % N_CATEGORIES, 1 + (id / 7) % N_CATEGORIES };
  guint paragraphs = g_rand_int_range (rand, 6, 14);

  for (guint p = 0; p < paragraphs; p++)
    {
      if (p == 3)
        g_string_append_printf (body,
                                "<figure class=\"wp-block-image\"><img src=\"" SOURCE
                                "/wp-content/uploads/%" G_GINT64_FORMAT "-%u.jpg\" alt=\"\" "
                                "width=\"1200\" height=\"800\"><figcaption>Illustration</figcaption>"
                                "</figure>\n", id, p);
      if (p == 5)
        {
          g_autofree char *heading = sentence (rand, 5);
          g_string_append_printf (body, "<h2>%s</h2>\n", heading);
        }
      g_string_append (body, "<p>");
      for (guint s = 0, n = g_rand_int_range (rand, 3, 7); s < n; s++)
        {
          g_autofree char *text = sentence (rand, g_rand_int_range (rand, 8, 20));

          if (s == 1)
            g_string_append_printf (body, "<a href=\"%s\">%s</a> ", link, text);
          else
            g_string_append_printf (body, "%s ", text);
        }
      g_string_append (body, "</p>\n");
    }

  kq_article_set_source (article, SOURCE);
  kq_article_set_id (article, id);
  kq_article_set_title (article, title);
  kq_article_set_excerpt (article, excerpt);
  kq_article_set_body_html (article, body->str);
  kq_article_set_link (article, link);
  kq_article_set_date (article, date);
  kq_article_set_author (article, "Rédaction");
  kq_article_set_category_ids (article, categories, 2);
  kq_article_set_thumbnail (article, thumb, 300, 200);
  kq_article_set_comment_count (article, id % 40);
  return article;
}

static GAsyncResult *async_result;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  async_result = g_object_ref (result);
}

static GAsyncResult *
wait_done (void)
{
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&async_result);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *samples,
            double  p)
{
  guint index;

  g_array_sort (samples, compare_double);
  index = MIN (samples->len - 1, (guint) (p * samples->len));
  return g_array_index (samples, double, index);
}

static void
row (const char *what,
     const char *value)
{
  printf ("| %-52s | %20s |\n", what, value);
}

static double
open_store (KqStore **out,
            const char *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  double start = now_ms ();
  KqStore *store = kq_store_new (path);

  kq_store_open_async (store, NULL, on_done, NULL);
  result = wait_done ();
  if (!kq_store_open_finish (store, result, &error))
    g_error ("open: %s", error->message);
  *out = store;
  return now_ms () - start;
}

static double
upsert (KqStore   *store,
        GPtrArray *page)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  double start = now_ms ();

  kq_store_upsert_articles_async (store, page, NULL, on_done, NULL);
  result = wait_done ();
  if (!kq_store_upsert_articles_finish (store, result, NULL, NULL, &error))
    g_error ("upsert: %s", error->message);
  return now_ms () - start;
}

static GArray *
time_lists (KqStore *store,
            guint    runs,
            gboolean by_category)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) articles = NULL;
      double start = now_ms (), elapsed;

      kq_store_list_articles_async (store, SOURCE, by_category ? 1 + i % N_CATEGORIES : 0,
                                    0, 50, NULL, on_done, NULL);
      result = wait_done ();
      articles = kq_store_list_articles_finish (store, result, NULL);
      elapsed = now_ms () - start;
      g_assert (articles != NULL && articles->len == 50);
      g_array_append_val (samples, elapsed);
    }
  return samples;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240501);
  g_autoptr(GPtrArray) articles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) lists = NULL;
  g_autoptr(GArray) category_lists = NULL;
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bookmarks = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = g_dir_make_tmp ("bench-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kiosque.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *backup = g_build_filename (dir, "kiosque-bookmarks.json", NULL);
  g_autofree char *value = NULL;
  KqStore *store = NULL;
  double t, create_ms, upsert_ms = 0, reupsert_ms = 0, one_page_max = 0, cold_ms, gen_ms;
  gsize body_bytes = 0;
  guint hits = 0;
  GStatBuf st;

  t = now_ms ();
  for (guint i = 0; i < n; i++)
    {
      KqArticle *article = make_article (rand, i + 1);

      body_bytes += strlen (kq_article_get_body_html (article));
      g_ptr_array_add (articles, article);
    }
  gen_ms = now_ms () - t;

  create_ms = open_store (&store, path);

  /* Pages of 50, as the app upserts what a WordPress page brings. */
  for (guint i = 0; i < n; i += 50)
    {
      g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
      double elapsed;

      for (guint j = i; j < MIN (n, i + 50); j++)
        g_ptr_array_add (page, g_object_ref (g_ptr_array_index (articles, j)));
      elapsed = upsert (store, page);
      upsert_ms += elapsed;
      one_page_max = MAX (one_page_max, elapsed);
    }
  /* The same again: change detection only. */
  reupsert_ms = upsert (store, articles);

  lists = time_lists (store, 100, FALSE);
  category_lists = time_lists (store, 100, TRUE);

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) results = NULL;
      g_autofree char *query = NULL;
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
      double start, elapsed;

      switch (i % 3)
        {
        case 0:  /* a whole word */
          query = g_strdup (word);
          break;
        case 1:  /* as the user types: a prefix, accents left out */
          {
            g_autofree char *prefix =
              g_strndup (word, g_utf8_offset_to_pointer (word, MIN (g_utf8_strlen (word, -1), 4)) - word);

            query = g_str_to_ascii (prefix, "C");
          }
          break;
        default: /* two words */
          query = g_strdup_printf ("%s %s", word, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
        }
      start = now_ms ();
      kq_store_search_async (store, NULL, query, 50, NULL, on_done, NULL);
      result = wait_done ();
      results = kq_store_search_finish (store, result, NULL);
      elapsed = now_ms () - start;
      g_assert (results != NULL);
      hits += results->len;
      g_array_append_val (searches, elapsed);
    }

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      double start = now_ms (), elapsed;

      kq_store_add_bookmark_async (store, g_ptr_array_index (articles, i * 7), NULL, on_done, NULL);
      result = wait_done ();
      if (!kq_store_add_bookmark_finish (store, result, NULL))
        g_error ("bookmark failed");
      elapsed = now_ms () - start;
      g_array_append_val (bookmarks, elapsed);
    }

  g_clear_object (&store);
  g_stat (path, &st);

  /* Cold open of the full database: open, quick_check, migrations check. */
  cold_ms = open_store (&store, path);
  g_clear_object (&store);

  printf ("\nKqStore, %u articles (%.1f KB of HTML each on average), SQLite %s\n\n",
          n, body_bytes / 1024.0 / n, sqlite3_libversion ());
  printf ("| %-52s | %20s |\n", "measure", "value");
  printf ("|%s|%s|\n", "------------------------------------------------------", "----------------------");
#define ROW(label, ...) G_STMT_START { value = g_strdup_printf (__VA_ARGS__); row (label, value); g_free (value); value = NULL; } G_STMT_END
  ROW ("generate articles (not the store)", "%.0f ms", gen_ms);
  ROW ("create + open a new database", "%.1f ms", create_ms);
  ROW ("upsert all, in pages of 50 (total)", "%.0f ms", upsert_ms);
  ROW ("upsert: articles per second", "%.0f", n / (upsert_ms / 1000.0));
  ROW ("upsert: one page of 50 (worst)", "%.1f ms", one_page_max);
  ROW ("upsert all again, unchanged (one call)", "%.0f ms", reupsert_ms);
  ROW ("latest 50, all categories: p50 / p99", "%.2f / %.2f ms", percentile (lists, 0.5), percentile (lists, 0.99));
  ROW ("latest 50, one category: p50 / p99", "%.2f / %.2f ms", percentile (category_lists, 0.5),
       percentile (category_lists, 0.99));
  ROW ("FTS search (100 queries, <= 50 hits): p50 / p99", "%.2f / %.2f ms", percentile (searches, 0.5),
       percentile (searches, 0.99));
  ROW ("FTS search: hits per query (mean)", "%.1f", hits / 100.0);
  ROW ("add bookmark (FULL sync + JSON backup): p50 / p99", "%.2f / %.2f ms", percentile (bookmarks, 0.5),
       percentile (bookmarks, 0.99));
  ROW ("database file size", "%.1f MB", st.st_size / 1048576.0);
  ROW ("cold open of the full database (quick_check)", "%.1f ms", cold_ms);
#undef ROW
  printf ("\n");

  /* Machine-readable lines for build-aux/bench: BENCH name value unit */
  printf ("BENCH store.upsert-%u.total %.1f ms\n", n, upsert_ms);
  printf ("BENCH store.upsert.rate %.0f articles/s\n", n / (upsert_ms / 1000.0));
  printf ("BENCH store.upsert.page-of-50-worst %.2f ms\n", one_page_max);
  printf ("BENCH store.upsert-unchanged-%u %.1f ms\n", n, reupsert_ms);
  printf ("BENCH store.list-latest-50.p50 %.3f ms\n", percentile (lists, 0.5));
  printf ("BENCH store.list-latest-50.p99 %.3f ms\n", percentile (lists, 0.99));
  printf ("BENCH store.list-category-50.p50 %.3f ms\n", percentile (category_lists, 0.5));
  printf ("BENCH store.fts-search.p50 %.3f ms\n", percentile (searches, 0.5));
  printf ("BENCH store.fts-search.p99 %.3f ms\n", percentile (searches, 0.99));
  printf ("BENCH store.add-bookmark.p50 %.3f ms\n", percentile (bookmarks, 0.5));
  printf ("BENCH store.database-size %.1f MB\n", st.st_size / 1048576.0);
  printf ("BENCH store.cold-open %.1f ms\n", cold_ms);

  if (g_getenv ("KQ_BENCH_KEEP") != NULL)
    {
      printf ("Kept %s\n", path);
      return 0;
    }
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (backup);
  g_rmdir (dir);
  return 0;
}
