/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-model"

#include "config.h"

#include "kq-article-model.h"

struct _KqArticleModel
{
  GObject     parent_instance;

  GPtrArray  *items;      /* KqArticle, owned */
  GHashTable *by_key;     /* "source\nid" → KqArticle (borrowed) */
  gboolean    sorted;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KqArticleModel, kq_article_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static char *
make_key (const char *source,
          gint64      id)
{
  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT, source ? source : "", id);
}

static char *
article_key (KqArticle *article)
{
  return make_key (kq_article_get_source (article), kq_article_get_id (article));
}

/* Newest first: negative when @a comes before @b. */
static int
compare_articles (KqArticle *a,
                  KqArticle *b)
{
  GDateTime *da = kq_article_get_date (a);
  GDateTime *db = kq_article_get_date (b);
  gint64 ia, ib;

  if (da != NULL && db != NULL)
    {
      int c = g_date_time_compare (db, da);

      if (c != 0)
        return c;
    }
  else if (da != NULL || db != NULL)
    return da != NULL ? -1 : 1;

  ia = kq_article_get_id (a);
  ib = kq_article_get_id (b);
  return ia > ib ? -1 : ia < ib ? 1 : 0;
}

/* Where @article goes in the sorted array (after any equal ones). */
static guint
insertion_point (KqArticleModel *self,
                 KqArticle      *article)
{
  guint lo = 0, hi = self->items->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_articles (g_ptr_array_index (self->items, mid), article) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static gboolean
find_position (KqArticleModel *self,
               KqArticle      *article,
               guint          *position)
{
  return g_ptr_array_find (self->items, article, position);
}

static GType
kq_article_model_get_item_type (GListModel *model)
{
  return KQ_TYPE_ARTICLE;
}

static guint
kq_article_model_get_n_items (GListModel *model)
{
  return KQ_ARTICLE_MODEL (model)->items->len;
}

static gpointer
kq_article_model_get_item (GListModel *model,
                           guint       position)
{
  KqArticleModel *self = KQ_ARTICLE_MODEL (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = kq_article_model_get_item_type;
  iface->get_n_items = kq_article_model_get_n_items;
  iface->get_item = kq_article_model_get_item;
}

static void
kq_article_model_finalize (GObject *object)
{
  KqArticleModel *self = KQ_ARTICLE_MODEL (object);

  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (kq_article_model_parent_class)->finalize (object);
}

static void
kq_article_model_class_init (KqArticleModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kq_article_model_finalize;
}

static void
kq_article_model_init (KqArticleModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

KqArticleModel *
kq_article_model_new (gboolean sorted)
{
  KqArticleModel *self = g_object_new (KQ_TYPE_ARTICLE_MODEL, NULL);

  self->sorted = !!sorted;

  return self;
}

/**
 * kq_article_model_update_from:
 * @article: an article shown somewhere
 * @from: a newer copy of it
 *
 * Copies every field of @from into @article (setters notify only on change).
 * The reader state ("read", "bookmarked") is kept when @from does not set it.
 */
void
kq_article_model_update_from (KqArticle *article,
                              KqArticle *from)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  g_return_if_fail (KQ_IS_ARTICLE (article));
  g_return_if_fail (KQ_IS_ARTICLE (from));

  if (article == from)
    return;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (from), &n_pspecs);
  g_object_freeze_notify (G_OBJECT (article));
  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE ||
          (pspec->flags & G_PARAM_CONSTRUCT_ONLY) != 0)
        continue;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (from), pspec->name, &value);

      /* A page from the network knows nothing of the reader's state. */
      if ((g_str_equal (pspec->name, "read") || g_str_equal (pspec->name, "bookmarked")) &&
          !g_value_get_boolean (&value))
        continue;
      /* Nor does a list page always carry the body. */
      if (g_str_equal (pspec->name, "body-html") && g_value_get_string (&value) == NULL)
        continue;
      if (g_str_equal (pspec->name, "reading-minutes") && kq_article_get_body_html (from) == NULL)
        continue;

      g_object_set_property (G_OBJECT (article), pspec->name, &value);
    }
  g_object_thaw_notify (G_OBJECT (article));
}

/**
 * kq_article_model_merge:
 * @articles: (element-type KqArticle): articles to merge
 *
 * Updates the articles already in the model, adds the others.
 *
 * Returns: how many articles were added
 */
guint
kq_article_model_merge (KqArticleModel *self,
                        GPtrArray      *articles)
{
  guint added = 0;

  g_return_val_if_fail (KQ_IS_ARTICLE_MODEL (self), 0);

  if (articles == NULL)
    return 0;

  for (guint i = 0; i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);
      g_autofree char *key = article_key (article);
      KqArticle *existing = g_hash_table_lookup (self->by_key, key);
      guint position;

      if (existing != NULL)
        {
          g_autoptr(GDateTime) old_date = NULL;
          guint new_position;

          if (kq_article_get_date (existing) != NULL)
            old_date = g_date_time_ref (kq_article_get_date (existing));
          kq_article_model_update_from (existing, article);

          /* A changed date moves the article to its new place. */
          if (!self->sorted ||
              (old_date != NULL && kq_article_get_date (existing) != NULL &&
               g_date_time_equal (old_date, kq_article_get_date (existing))) ||
              !find_position (self, existing, &position))
            continue;

          g_object_ref (existing);
          g_ptr_array_remove_index (self->items, position);
          new_position = insertion_point (self, existing);
          g_ptr_array_insert (self->items, new_position, existing);
          if (new_position != position)
            {
              guint first = MIN (position, new_position);
              guint n = MAX (position, new_position) - first + 1;

              g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
            }
          continue;
        }

      position = self->sorted ? insertion_point (self, article) : self->items->len;
      g_ptr_array_insert (self->items, position, g_object_ref (article));
      g_hash_table_insert (self->by_key, g_steal_pointer (&key), article);
      added++;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
    }

  return added;
}

void
kq_article_model_clear (KqArticleModel *self)
{
  guint n;

  g_return_if_fail (KQ_IS_ARTICLE_MODEL (self));

  n = self->items->len;
  if (n == 0)
    return;

  g_hash_table_remove_all (self->by_key);
  g_ptr_array_set_size (self->items, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

/**
 * kq_article_model_lookup:
 *
 * Returns: (transfer none) (nullable): the article listed with that key
 */
KqArticle *
kq_article_model_lookup (KqArticleModel *self,
                         const char     *source,
                         gint64          id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (KQ_IS_ARTICLE_MODEL (self), NULL);

  key = make_key (source, id);
  return g_hash_table_lookup (self->by_key, key);
}

gboolean
kq_article_model_find (KqArticleModel *self,
                       const char     *source,
                       gint64          id,
                       guint          *position)
{
  KqArticle *article = kq_article_model_lookup (self, source, id);

  if (article == NULL)
    return FALSE;

  return find_position (self, article, position);
}

gboolean
kq_article_model_remove (KqArticleModel *self,
                         const char     *source,
                         gint64          id)
{
  g_autofree char *key = make_key (source, id);
  KqArticle *article;
  guint position;

  g_return_val_if_fail (KQ_IS_ARTICLE_MODEL (self), FALSE);

  article = g_hash_table_lookup (self->by_key, key);
  if (article == NULL || !find_position (self, article, &position))
    return FALSE;

  g_hash_table_remove (self->by_key, key);
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  return TRUE;
}
