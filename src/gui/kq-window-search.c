/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-window-private.h"

/* Search: the store's results at once, the site's below. */

typedef struct
{
  GWeakRef        window;
  GPtrArray      *articles;
  KqArticleModel *site_model;   /* where they are listed (an update copies the body) */
} SavedResults;

static void
saved_results_free (SavedResults *saved)
{
  g_weak_ref_clear (&saved->window);
  g_ptr_array_unref (saved->articles);
  g_object_unref (saved->site_model);
  g_free (saved);
}

static void
release_body (KqWindow  *self,
              KqArticle *article)
{
  if (article != NULL && (self == NULL || article != self->article))
    kq_article_set_body_html (article, NULL);
}

/* The site's results come with their bodies; once the store keeps them, the
 * list lets go of them like any list (the article opened reads its body back
 * from the cache). */
static void
on_results_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SavedResults *saved = user_data;
  g_autoptr(KqWindow) self = g_weak_ref_get (&saved->window);
  g_autoptr(GError) error = NULL;

  kq_store_upsert_articles_finish (KQ_STORE (object), result, NULL, NULL, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not save search results: %s", error->message);
    }
  else
    {
      for (guint i = 0; i < saved->articles->len; i++)
        {
          KqArticle *article = g_ptr_array_index (saved->articles, i);

          release_body (self, article);
          release_body (self, kq_article_model_lookup (saved->site_model,
                                                       kq_article_get_source (article),
                                                       kq_article_get_id (article)));
        }
    }

  saved_results_free (saved);
}

static void
on_site_search_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KqWindowLoad) load = user_data;
  KqWindow *self = load->self;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;

  articles = kq_source_search_finish (KQ_SOURCE (object), result, &load->total_pages, &error);
  _kq_window_loading_end (self);
  if (_kq_window_is_cancelled (error) || !_kq_window_load_is_current (load))
    return;

  if (error != NULL)
    {
      if (load->page > 1 || _kq_window_n_shown (self) > 0)
        kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_FAILED, error->message);
      else
        _kq_window_show_error_page (self, error);
      return;
    }

  /* What the cache already found is not listed twice. */
  fresh = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);

      if (kq_article_model_lookup (self->model, kq_article_get_source (article),
                                   kq_article_get_id (article)) == NULL)
        g_ptr_array_add (fresh, g_object_ref (article));
    }

  kq_article_model_merge (self->site_model, fresh);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->site_model)) > 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->site_header)) == 0)
    gtk_string_list_append (self->site_header, "header:");

  self->page = MAX (self->page, load->page);
  self->total_pages = load->total_pages;
  _kq_window_update_more (self);
  _kq_window_update_list_page (self, TRUE);

  /* Keep them for offline reading and the next local search. */
  if (articles->len > 0)
    {
      SavedResults *saved = g_new0 (SavedResults, 1);

      g_weak_ref_init (&saved->window, self);
      saved->articles = g_ptr_array_ref (articles);
      saved->site_model = g_object_ref (self->site_model);
      kq_store_upsert_articles_async (self->store, articles, self->cancellable,
                                      on_results_saved_cb, saved);
    }
}

void
_kq_window_search_site (KqWindow *self,
                        guint     page)
{
  KqWindowLoad *load = _kq_window_load_new (self, page);

  if (page > 1)
    kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_LOADING, NULL);
  _kq_window_loading_begin (self);
  kq_source_search_async (self->source, self->search_text, page, self->load_cancellable,
                          on_site_search_cb, load);
}

static void
on_local_search_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KqWindowLoad) load = user_data;
  KqWindow *self = load->self;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  results = kq_store_search_finish (KQ_STORE (object), result, &error);
  _kq_window_loading_end (self);
  if (_kq_window_is_cancelled (error) || !_kq_window_load_is_current (load))
    return;

  if (error != NULL)
    g_warning ("Local search failed: %s", error->message);

  articles = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      KqSearchResult *hit = g_ptr_array_index (results, i);

      g_ptr_array_add (articles, g_object_ref (hit->article));
    }
  kq_article_model_merge (self->model, articles);

  if (self->offline)
    {
      _kq_window_update_list_page (self, TRUE);
      return;
    }

  _kq_window_update_list_page (self, FALSE);
  _kq_window_search_site (self, 1);
}

void
_kq_window_start_search (KqWindow *self)
{
  GListStore *parts;
  KqWindowLoad *load;

  _kq_window_reset_load (self);

  self->model = kq_article_model_new (FALSE);
  self->site_model = kq_article_model_new (FALSE);
  self->site_header = gtk_string_list_new (NULL);
  parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (parts, self->model);
  g_list_store_append (parts, self->site_header);
  g_list_store_append (parts, self->site_model);
  self->shown_model = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));

  kq_article_list_set_model (self->article_list, self->shown_model);
  kq_article_list_set_more (self->article_list, KQ_ARTICLE_LIST_MORE_NONE, NULL);
  adw_window_title_set_title (self->list_title, _("Search"));
  adw_window_title_set_subtitle (self->list_title, self->search_text);
  _kq_window_update_list_page (self, FALSE);

  load = _kq_window_load_new (self, 0);
  _kq_window_loading_begin (self);
  kq_store_search_async (self->store, kq_source_get_url (self->source), self->search_text,
                         KQ_WINDOW_CACHE_PAGE, self->load_cancellable, on_local_search_cb, load);
}

