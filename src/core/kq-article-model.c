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

static int
compare_articles_cb (gconstpointer a,
                     gconstpointer b)
{
  return compare_articles (*(KqArticle **) a, *(KqArticle **) b);
}

/* Tells the views what changed between @old_items and self->items in one
 * items-changed: the span between the common head and the common tail. */
static void
emit_difference (KqArticleModel *self,
                 GPtrArray      *old_items)
{
  guint old_len = old_items->len;
  guint new_len = self->items->len;
  guint head = 0, tail = 0;

  while (head < old_len && head < new_len &&
         old_items->pdata[head] == self->items->pdata[head])
    head++;
  while (tail < old_len - head && tail < new_len - head &&
         old_items->pdata[old_len - 1 - tail] == self->items->pdata[new_len - 1 - tail])
    tail++;

  if (head == old_len && head == new_len)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), head,
                              old_len - head - tail, new_len - head - tail);
}

/**
 * kq_article_model_merge:
 * @articles: (element-type KqArticle): articles to merge
 *
 * Updates the articles already in the model, adds the others.
 *
 * Linear in the model's size plus n log n in the page's: the page is sorted
 * once and merged with the rows in one pass, and views hear of it in one
 * items-changed. Adding rows one by one (an insertion and an items-changed
 * each) was quadratic: 100,000 posts in a page kept a shown list busy for a
 * minute, longer oldest first.
 *
 * Returns: how many articles were added
 */
guint
kq_article_model_merge (KqArticleModel *self,
                        GPtrArray      *articles)
{
  g_autoptr(GPtrArray) incoming = NULL;  /* added or moved, borrowed */
  g_autoptr(GHashTable) fresh = NULL;    /* added by this page, borrowed */
  g_autoptr(GHashTable) moved = NULL;    /* rows whose date changed, borrowed */
  g_autoptr(GPtrArray) old_items = NULL;
  guint added = 0;

  g_return_val_if_fail (KQ_IS_ARTICLE_MODEL (self), 0);

  if (articles == NULL || articles->len == 0)
    return 0;

  incoming = g_ptr_array_sized_new (articles->len);
  fresh = g_hash_table_new (NULL, NULL);
  moved = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);
      g_autofree char *key = article_key (article);
      KqArticle *existing = g_hash_table_lookup (self->by_key, key);
      g_autoptr(GDateTime) old_date = NULL;

      if (existing == NULL)
        {
          /* A second copy in the same page updates this one. */
          g_hash_table_insert (self->by_key, g_steal_pointer (&key), article);
          g_hash_table_add (fresh, article);
          g_ptr_array_add (incoming, article);
          added++;
          continue;
        }

      if (kq_article_get_date (existing) != NULL)
        old_date = g_date_time_ref (kq_article_get_date (existing));
      kq_article_model_update_from (existing, article);

      /* A changed date moves a row already listed to its new place. */
      if (self->sorted &&
          (old_date == NULL || kq_article_get_date (existing) == NULL ||
           !g_date_time_equal (old_date, kq_article_get_date (existing))) &&
          !g_hash_table_contains (fresh, existing) &&
          g_hash_table_add (moved, existing))
        g_ptr_array_add (incoming, existing);
    }

  if (incoming->len == 0)
    return 0;

  /* The rows as they were, to tell views what changed. */
  old_items = g_ptr_array_new_full (self->items->len, NULL);
  for (guint i = 0; i < self->items->len; i++)
    g_ptr_array_add (old_items, self->items->pdata[i]);

  if (!self->sorted)
    {
      for (guint i = 0; i < incoming->len; i++)
        g_ptr_array_add (self->items, g_object_ref (incoming->pdata[i]));
    }
  else
    {
      GPtrArray *merged = g_ptr_array_new_full (old_items->len + added,
                                                g_object_unref);
      guint i = 0, j = 0;

      /* Stable: equal rows keep their order, rows listed before new ones. */
      g_ptr_array_sort (incoming, compare_articles_cb);
      while (i < old_items->len || j < incoming->len)
        {
          KqArticle *row = i < old_items->len ? old_items->pdata[i] : NULL;

          if (row != NULL && g_hash_table_contains (moved, row))
            {
              i++;
              continue;
            }
          if (row != NULL &&
              (j >= incoming->len || compare_articles (row, incoming->pdata[j]) <= 0))
            {
              g_ptr_array_add (merged, g_object_ref (row));
              i++;
            }
          else
            g_ptr_array_add (merged, g_object_ref (incoming->pdata[j++]));
        }
      g_ptr_array_unref (self->items);
      self->items = merged;
    }

  emit_difference (self, old_items);

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
