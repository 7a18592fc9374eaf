/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-window-private.h"

/*
 * The article pane: opening an article (read state; the body from the cache,
 * as the list's articles carry none, or else the full post from the site),
 * and the links it follows to the site's other articles: from the cache or
 * else from the site; the browser only when neither has it.
 *
 * History: a link followed is a step the article view can go back on; Back
 * and Forward open their article here. Either way the list's selection
 * follows: the row of the article shown, or none when it is not listed. An
 * article picked in the list starts a new history.
 */

typedef struct
{
  KqWindow  *self;
  char      *uri;
  KqArticle *from;   /* shown when the link was followed */
} LinkLookup;

static void
show_article (KqWindow  *self,
              KqArticle *article)
{
  if (self->article != article)
    return;

  adw_window_title_set_title (self->article_title, kq_article_get_title (article));
  if (kq_article_view_get_article (self->article_view) != article)
    kq_article_view_set_article (self->article_view, article);
  gtk_stack_set_visible_child_name (self->article_stack, "article");
  gtk_toggle_button_set_active (self->bookmark_button, kq_article_get_bookmarked (article));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->bookmark_button),
                               kq_article_get_bookmarked (article)
                               ? _("Remove Bookmark (Ctrl+D)") : _("Bookmark (Ctrl+D)"));
  gtk_button_set_icon_name (GTK_BUTTON (self->bookmark_button),
                            kq_article_get_bookmarked (article)
                            ? "starred-symbolic" : "non-starred-symbolic");
}

static void
on_article_state_cb (KqWindow   *self,
                     GParamSpec *pspec,
                     KqArticle  *article)
{
  show_article (self, article);
}

/* The body of the article shown has come: show it whole. */
static void
show_body (KqWindow  *self,
           KqArticle *full)
{
  kq_article_model_update_from (self->article, full);
  /* Re-render with the body. */
  kq_article_view_set_article (self->article_view, NULL);
  show_article (self, self->article);
}

static void
on_post_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(KqArticle) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) one = NULL;

  full = kq_source_get_post_finish (KQ_SOURCE (object), result, &error);
  _kq_window_loading_end (self);
  if (error != NULL)
    {
      if (!_kq_window_is_cancelled (error))
        {
          g_autofree char *title = g_strdup_printf (_("Could not load the article: %s"),
                                                    error->message);
          _kq_window_toast (self, title, NULL, NULL);
        }
      return;
    }

  if (self->article == NULL || kq_article_get_id (self->article) != kq_article_get_id (full))
    return;

  show_body (self, full);
  one = g_ptr_array_new ();
  g_ptr_array_add (one, full);
  kq_store_upsert_articles_async (self->store, one, self->cancellable, NULL, NULL);
}

typedef struct
{
  KqWindow  *self;
  KqArticle *article;   /* whose body is read */
} BodyLookup;

static void
body_lookup_free (BodyLookup *lookup)
{
  g_clear_object (&lookup->self);
  g_clear_object (&lookup->article);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BodyLookup, body_lookup_free)

/* A list page may come without the body: fetch the post itself. */
static void
fetch_post (KqWindow  *self,
            KqArticle *article)
{
  if (self->offline)
    return;

  _kq_window_loading_begin (self);
  kq_source_get_post_async (self->source, kq_article_get_id (article), self->cancellable,
                            on_post_cb, g_object_ref (self));
}

static void
on_cached_body_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BodyLookup) lookup = user_data;
  KqWindow *self = lookup->self;
  g_autoptr(KqArticle) full = NULL;
  g_autoptr(GError) error = NULL;

  full = kq_store_get_article_finish (KQ_STORE (object), result, &error);
  _kq_window_loading_end (self);
  if (_kq_window_is_cancelled (error))
    return;
  if (error != NULL && !g_error_matches (error, KQ_STORE_ERROR, KQ_STORE_ERROR_NOT_FOUND))
    g_warning ("Could not read the article from the cache: %s", error->message);

  /* Another article was opened meanwhile, or the body came another way. */
  if (self->article != lookup->article || kq_article_get_body_html (lookup->article) != NULL)
    return;

  if (full == NULL || kq_article_get_body_html (full) == NULL)
    {
      fetch_post (self, lookup->article);
      return;
    }

  show_body (self, full);
}

static void
on_read_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_set_read_finish (KQ_STORE (object), result, &error))
    {
      if (!_kq_window_is_cancelled (error))
        g_warning ("Could not save the read state: %s", error->message);
      return;
    }

  _kq_window_queue_counts (self);
}

static void
link_lookup_free (LinkLookup *lookup)
{
  g_clear_object (&lookup->self);
  g_clear_object (&lookup->from);
  g_free (lookup->uri);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinkLookup, link_lookup_free)

/* Still on the article whose link was followed. */
static gboolean
link_lookup_is_current (LinkLookup *lookup)
{
  return lookup->self->article == lookup->from;
}

/* Opens @article as a step of the history: its row selected if it is
 * listed (selecting it opens it), none otherwise. */
static void
open_history_step (KqWindow  *self,
                   KqArticle *article)
{
  self->history_step = TRUE;
  if (kq_article_list_select_article (self->article_list, kq_article_get_source (article),
                                      kq_article_get_id (article)))
    {
      KqArticle *selected = kq_article_list_get_selected (self->article_list);

      /* Its row was selected already: no selection change opened it. */
      if (selected != NULL && selected != self->article)
        _kq_window_open_article (self, selected);
    }
  else
    {
      kq_article_list_unselect (self->article_list);
      _kq_window_open_article (self, article);
    }
  self->history_step = FALSE;
}

static void
open_linked_article (KqWindow  *self,
                     KqArticle *article)
{
  g_debug ("Opening the linked article %" G_GINT64_FORMAT, kq_article_get_id (article));

  kq_article_view_push_history (self->article_view);
  open_history_step (self, article);
}

static void
on_link_found_on_site_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(LinkLookup) lookup = user_data;
  KqWindow *self = lookup->self;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GError) error = NULL;

  article = kq_source_get_post_by_link_finish (KQ_SOURCE (object), result, &error);
  _kq_window_loading_end (self);
  if (_kq_window_is_cancelled (error) || !link_lookup_is_current (lookup))
    return;

  if (article == NULL)
    {
      g_debug ("%s is not an article Kiosque can find: %s", lookup->uri, error->message);
      kq_article_view_open_uri (self->article_view, lookup->uri);
      return;
    }

  /* Kept for offline reading and the next time. */
  one = g_ptr_array_new ();
  g_ptr_array_add (one, article);
  kq_store_upsert_articles_async (self->store, one, self->cancellable, NULL, NULL);
  open_linked_article (self, article);
}

static void
on_link_found_in_store_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(LinkLookup) lookup = user_data;
  KqWindow *self = lookup->self;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GError) error = NULL;
  const char *source;
  const char *uri;

  article = kq_store_get_article_by_link_finish (KQ_STORE (object), result, &error);
  if (_kq_window_is_cancelled (error) || !link_lookup_is_current (lookup))
    return;

  if (article != NULL)
    {
      open_linked_article (self, article);
      return;
    }

  /* Not cached: ask the site, if it is the one the window reads. */
  source = kq_article_get_source (lookup->from);
  if (self->offline || g_strcmp0 (source, kq_source_get_url (self->source)) != 0)
    {
      kq_article_view_open_uri (self->article_view, lookup->uri);
      return;
    }

  _kq_window_loading_begin (self);
  uri = lookup->uri;
  kq_source_get_post_by_link_async (self->source, uri, self->link_cancellable,
                                    on_link_found_on_site_cb, g_steal_pointer (&lookup));
}

void
_kq_window_open_article (KqWindow  *self,
                         KqArticle *article)
{
  g_return_if_fail (KQ_IS_ARTICLE (article));

  g_autoptr(KqArticle) previous = NULL;

  /* Picked in the list, restored, from a notification: a new history. */
  if (!self->history_step)
    kq_article_view_clear_history (self->article_view);

  if (self->article != article)
    {
      previous = g_steal_pointer (&self->article);
      if (previous != NULL)
        g_signal_handlers_disconnect_by_func (previous, on_article_state_cb, self);
      self->article = g_object_ref (article);
      g_signal_connect_object (article, "notify::bookmarked",
                               G_CALLBACK (on_article_state_cb), self, G_CONNECT_SWAPPED);
    }

  show_article (self, article);
  /* Rows keep no body: the article left lets go of its own (read again from
   * the cache if it is opened again). */
  if (previous != NULL)
    kq_article_set_body_html (previous, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-bookmark", TRUE);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "article");

  if (!kq_article_get_read (article))
    {
      kq_article_set_read (article, TRUE);
      kq_store_set_read_async (self->store, kq_article_get_source (article),
                               kq_article_get_id (article), TRUE, self->cancellable,
                               on_read_saved_cb, g_object_ref (self));
    }

  if (kq_article_get_body_html (article) != NULL)
    return;

  /* Lists carry no body: from the cache, or else from the site. */
  if (self->store != NULL && kq_article_get_source (article) != NULL)
    {
      BodyLookup *lookup = g_new0 (BodyLookup, 1);

      lookup->self = g_object_ref (self);
      lookup->article = g_object_ref (article);
      _kq_window_loading_begin (self);
      kq_store_get_article_async (self->store, kq_article_get_source (article),
                                  kq_article_get_id (article), self->cancellable,
                                  on_cached_body_cb, lookup);
      return;
    }

  fetch_post (self, article);
}

gboolean
_kq_window_open_article_link (KqWindow      *self,
                              const char    *uri,
                              KqArticleView *view)
{
  KqArticle *from = kq_article_view_get_article (view);
  LinkLookup *lookup;

  if (from == NULL || self->store == NULL || kq_article_get_source (from) == NULL)
    return FALSE;

  g_cancellable_cancel (self->link_cancellable);
  g_clear_object (&self->link_cancellable);
  self->link_cancellable = g_cancellable_new ();

  lookup = g_new0 (LinkLookup, 1);
  lookup->self = g_object_ref (self);
  lookup->uri = g_strdup (uri);
  lookup->from = g_object_ref (from);
  kq_store_get_article_by_link_async (self->store, kq_article_get_source (from), uri,
                                      self->link_cancellable, on_link_found_in_store_cb, lookup);

  return TRUE;
}

gboolean
_kq_window_open_history_article (KqWindow      *self,
                                 KqArticle     *article,
                                 KqArticleView *view)
{
  g_debug ("Back or forward to article %" G_GINT64_FORMAT, kq_article_get_id (article));

  /* A link being looked up belongs to the article left. */
  g_cancellable_cancel (self->link_cancellable);
  open_history_step (self, article);

  return TRUE;
}

/* Lets go of the article shown (dispose). */
void
_kq_window_close_article (KqWindow *self)
{
  if (self->article != NULL)
    g_signal_handlers_disconnect_by_func (self->article, on_article_state_cb, self);
  g_clear_object (&self->article);
}
