/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kq-article-model.h"

typedef struct
{
  guint changes;
  guint position, removed, added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->changes++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static KqArticle *
make_article (gint64      id,
              const char *title,
              int         day)
{
  KqArticle *article = kq_article_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 3, day, 12, 0, 0);

  kq_article_set_id (article, id);
  kq_article_set_source (article, "http://example.test");
  kq_article_set_title (article, title);
  kq_article_set_date (article, date);

  return article;
}

static GPtrArray *
page (KqArticle *first, ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, first);
  for (KqArticle *a = first; a != NULL; a = va_arg (args, KqArticle *))
    g_ptr_array_add (array, a);
  va_end (args);

  return array;
}

static gint64
id_at (KqArticleModel *model,
       guint           position)
{
  g_autoptr(KqArticle) article = g_list_model_get_item (G_LIST_MODEL (model), position);

  return article ? kq_article_get_id (article) : -1;
}

static void
test_merge_sorted (void)
{
  g_autoptr(KqArticleModel) model = kq_article_model_new (TRUE);
  g_autoptr(GPtrArray) first = page (make_article (1, "Un", 1), make_article (3, "Trois", 3), NULL);
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(KqArticle) kept = NULL;
  Changes changes = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_cmpuint (kq_article_model_merge (model, first), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  g_assert_cmpint (id_at (model, 0), ==, 3);
  g_assert_cmpint (id_at (model, 1), ==, 1);
  g_assert_cmpuint (g_list_model_get_item_type (G_LIST_MODEL (model)), ==, KQ_TYPE_ARTICLE);

  kept = g_list_model_get_item (G_LIST_MODEL (model), 0);
  kq_article_set_read (kept, TRUE);

  /* A refresh: article 3 changed its title, 2 is new and goes between. */
  second = page (make_article (3, "Trois (mis à jour)", 3), make_article (2, "Deux", 2), NULL);
  changes.changes = 0;
  g_assert_cmpuint (kq_article_model_merge (model, second), ==, 1);
  g_assert_cmpuint (changes.changes, ==, 1);
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpint (id_at (model, 0), ==, 3);
  g_assert_cmpint (id_at (model, 1), ==, 2);
  g_assert_cmpint (id_at (model, 2), ==, 1);

  /* Same object, updated in place; the reader's state kept. */
  {
    g_autoptr(KqArticle) again = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (again == kept);
    g_assert_cmpstr (kq_article_get_title (again), ==, "Trois (mis à jour)");
    g_assert_true (kq_article_get_read (again));
  }

  g_assert_true (kq_article_model_lookup (model, "http://example.test", 2) != NULL);
  g_assert_null (kq_article_model_lookup (model, "http://other.test", 2));

  g_assert_true (kq_article_model_remove (model, "http://example.test", 2));
  g_assert_false (kq_article_model_remove (model, "http://example.test", 2));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);

  kq_article_model_clear (model);
  g_assert_cmpuint (changes.removed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
}

static void
test_merge_unsorted (void)
{
  g_autoptr(KqArticleModel) model = kq_article_model_new (FALSE);
  g_autoptr(GPtrArray) first = page (make_article (1, "Un", 1), make_article (3, "Trois", 3), NULL);
  g_autoptr(GPtrArray) second = page (make_article (2, "Deux", 2), make_article (1, "Un", 1), NULL);
  guint position = 0;

  kq_article_model_merge (model, first);
  g_assert_cmpuint (kq_article_model_merge (model, second), ==, 1);
  g_assert_cmpint (id_at (model, 0), ==, 1);
  g_assert_cmpint (id_at (model, 1), ==, 3);
  g_assert_cmpint (id_at (model, 2), ==, 2);
  g_assert_true (kq_article_model_find (model, "http://example.test", 2, &position));
  g_assert_cmpuint (position, ==, 2);
}

static void
test_date_change_moves (void)
{
  g_autoptr(KqArticleModel) model = kq_article_model_new (TRUE);
  g_autoptr(GPtrArray) first = page (make_article (1, "Un", 1), make_article (2, "Deux", 2),
                                     make_article (3, "Trois", 3), NULL);
  g_autoptr(GPtrArray) second = page (make_article (1, "Un", 9), NULL);

  kq_article_model_merge (model, first);
  g_assert_cmpuint (kq_article_model_merge (model, second), ==, 0);
  g_assert_cmpint (id_at (model, 0), ==, 1);
  g_assert_cmpint (id_at (model, 1), ==, 3);
  g_assert_cmpint (id_at (model, 2), ==, 2);
}

static void
assert_sorted (KqArticleModel *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(KqArticle) a = g_list_model_get_item (G_LIST_MODEL (model), i - 1);
      g_autoptr(KqArticle) b = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpint (g_date_time_compare (kq_article_get_date (a), kq_article_get_date (b)),
                       >=, 0);
    }
}

static KqArticle *
make_article_at (gint64 id,
                 gint64 minutes)
{
  KqArticle *article = kq_article_new ();
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (1700000000 + minutes * 60);

  kq_article_set_id (article, id);
  kq_article_set_source (article, "http://example.test");
  kq_article_set_date (article, date);

  return article;
}

/* A huge page, oldest first (each row used to go in at the top, with an
 * items-changed of its own: quadratic in a shown list), then a page whose
 * rows fall between those listed: one items-changed each, rows sorted. */
static void
test_big_page_one_change (void)
{
  g_autoptr(KqArticleModel) model = kq_article_model_new (TRUE);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func (g_object_unref);
  Changes changes = { 0 };
  const guint n = 20000;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (first, make_article_at (2 * i + 1, 2 * i));
  /* Between each pair, plus a copy of a row already listed and the same new
   * row twice (counted once). */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (second, make_article_at (2 * i + 2, 2 * i + 1));
  g_ptr_array_add (second, make_article_at (1, 0));
  g_ptr_array_add (second, make_article_at (2, 1));

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_cmpuint (kq_article_model_merge (model, first), ==, n);
  g_assert_cmpuint (changes.changes, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, n);
  g_assert_cmpint (id_at (model, 0), ==, 2 * n - 1);
  g_assert_cmpint (id_at (model, n - 1), ==, 1);

  changes.changes = 0;
  g_assert_cmpuint (kq_article_model_merge (model, second), ==, n);
  g_assert_cmpuint (changes.changes, ==, 1);
  /* The newest new row goes first, the oldest listed row stays last. */
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, n - 1);
  g_assert_cmpuint (changes.added, ==, 2 * n - 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2 * n);
  for (guint i = 0; i < 2 * n; i++)
    g_assert_cmpint (id_at (model, i), ==, 2 * n - i);
  assert_sorted (model);
}

/* Rows whose date changed move with the new ones, in the same change. */
static void
test_moves_and_additions (void)
{
  g_autoptr(KqArticleModel) model = kq_article_model_new (TRUE);
  g_autoptr(GPtrArray) first = page (make_article (1, "Un", 1), make_article (2, "Deux", 2),
                                     make_article (3, "Trois", 3), make_article (4, "Quatre", 4),
                                     NULL);
  g_autoptr(GPtrArray) second = page (make_article (1, "Un", 9), make_article (5, "Cinq", 5),
                                      make_article (1, "Un", 9), NULL);
  g_autoptr(KqArticle) one = NULL;
  Changes changes = { 0 };

  kq_article_model_merge (model, first);
  one = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_cmpuint (kq_article_model_merge (model, second), ==, 1);
  g_assert_cmpuint (changes.changes, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 4);
  g_assert_cmpuint (changes.added, ==, 5);
  g_assert_cmpint (id_at (model, 0), ==, 1);
  g_assert_cmpint (id_at (model, 1), ==, 5);
  g_assert_cmpint (id_at (model, 2), ==, 4);
  g_assert_cmpint (id_at (model, 4), ==, 2);
  {
    g_autoptr(KqArticle) moved = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (moved == one);
  }

  /* Nothing new, nothing moved: no change at all. */
  changes.changes = 0;
  g_assert_cmpuint (kq_article_model_merge (model, second), ==, 0);
  g_assert_cmpuint (changes.changes, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kq/article-model/merge-sorted", test_merge_sorted);
  g_test_add_func ("/kq/article-model/merge-unsorted", test_merge_unsorted);
  g_test_add_func ("/kq/article-model/date-change-moves", test_date_change_moves);
  g_test_add_func ("/kq/article-model/big-page-one-change", test_big_page_one_change);
  g_test_add_func ("/kq/article-model/moves-and-additions", test_moves_and_additions);

  return g_test_run ();
}
