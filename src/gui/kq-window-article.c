/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-window-private.h"

/*
 * The article pane: opening an article (the library marks it read and gives
 * it its body: the list's articles carry none), and the links it follows to
 * the site's other articles (the library finds them in the cache or on the
 * site; the browser opens what it cannot find).
 *
 * History: a link followed is a step the article view can go back on; Back
 * and Forward open their article here. Either way the list's selection
 * follows: the row of the article shown, or none when it is not listed. An
 * article picked in the list starts a new history.
 */

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

static void
article_loading_end (KqWindow *self)
{
  g_return_if_fail (self->n_article_loading > 0);

  self->n_article_loading--;
  if (self->loading_spinner != NULL)
    _kq_window_update_loading (self);
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

/* The body of the article shown has come. */
static void
on_article_opened_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BodyLookup) lookup = user_data;
  KqWindow *self = lookup->self;
  KqArticle *article = lookup->article;
  g_autoptr(GError) error = NULL;

  kq_library_open_article_finish (KQ_LIBRARY (object), result, &error);
  article_loading_end (self);
  if (_kq_window_is_cancelled (error))
    return;
  if (error != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could not load the article: %s"),
                                                error->message);
      _kq_window_toast (self, title, NULL, NULL);
      return;
    }

  /* Another article was opened meanwhile: rows keep no body. */
  if (self->article != article)
    {
      kq_article_set_body_html (article, NULL);
      return;
    }

  /* Re-render with the body. */
  kq_article_view_set_article (self->article_view, NULL);
  show_article (self, self->article);
}

typedef struct
{
  KqWindow  *self;
  char      *uri;
  KqArticle *from;   /* shown when the link was followed */
} LinkLookup;

static void
link_lookup_free (LinkLookup *lookup)
{
  g_clear_object (&lookup->self);
  g_clear_object (&lookup->from);
  g_free (lookup->uri);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinkLookup, link_lookup_free)

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
on_link_resolved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LinkLookup) lookup = user_data;
  KqWindow *self = lookup->self;
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GError) error = NULL;

  article = kq_library_resolve_link_finish (KQ_LIBRARY (object), result, &error);
  article_loading_end (self);
  /* Cancelled, or the reader has moved to another article meanwhile. */
  if (_kq_window_is_cancelled (error) || self->article != lookup->from)
    return;

  if (article == NULL)
    {
      g_debug ("%s is not an article Kiosque can find: %s", lookup->uri, error->message);
      kq_article_view_open_uri (self->article_view, lookup->uri);
      return;
    }

  g_debug ("Opening the linked article %" G_GINT64_FORMAT, kq_article_get_id (article));
  kq_article_view_push_history (self->article_view);
  open_history_step (self, article);
}

void
_kq_window_open_article (KqWindow  *self,
                         KqArticle *article)
{
  g_return_if_fail (KQ_IS_ARTICLE (article));

  g_autoptr(KqArticle) previous = NULL;
  BodyLookup *lookup;

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

  /* Read, and its body: the cache, else the site. */
  if (kq_article_get_read (article) && kq_article_get_body_html (article) != NULL)
    return;
  lookup = g_new0 (BodyLookup, 1);
  lookup->self = g_object_ref (self);
  lookup->article = g_object_ref (article);
  self->n_article_loading++;
  _kq_window_update_loading (self);
  kq_library_open_article_async (self->library, article, self->cancellable, on_article_opened_cb,
                                 lookup);
}

gboolean
_kq_window_open_article_link (KqWindow      *self,
                              const char    *uri,
                              KqArticleView *view)
{
  KqArticle *from = kq_article_view_get_article (view);
  LinkLookup *lookup;

  if (from == NULL || kq_article_get_source (from) == NULL)
    return FALSE;

  g_cancellable_cancel (self->link_cancellable);
  g_clear_object (&self->link_cancellable);
  self->link_cancellable = g_cancellable_new ();

  lookup = g_new0 (LinkLookup, 1);
  lookup->self = g_object_ref (self);
  lookup->uri = g_strdup (uri);
  lookup->from = g_object_ref (from);
  self->n_article_loading++;
  _kq_window_update_loading (self);
  kq_library_resolve_link_async (self->library, from, uri, self->link_cancellable,
                                 on_link_resolved_cb, lookup);

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

/* Another list was chosen: the article shown is not one of its own, and a
 * reader waiting for the new list would take it for one. The pane says
 * that none is selected. */
void
_kq_window_clear_article (KqWindow *self)
{
  g_autoptr(KqArticle) previous = g_steal_pointer (&self->article);

  if (previous == NULL)
    return;

  g_signal_handlers_disconnect_by_func (previous, on_article_state_cb, self);
  kq_article_set_body_html (previous, NULL);
  kq_article_view_clear_history (self->article_view);
  kq_article_view_set_article (self->article_view, NULL);
  gtk_stack_set_visible_child_name (self->article_stack, "empty");
  adw_window_title_set_title (self->article_title, "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-bookmark", FALSE);
}

/* Lets go of the article shown (dispose). */
void
_kq_window_close_article (KqWindow *self)
{
  if (self->article != NULL)
    g_signal_handlers_disconnect_by_func (self->article, on_article_state_cb, self);
  g_clear_object (&self->article);
}
