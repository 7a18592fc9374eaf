/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-application.h"
#include "kq-bench.h"
#include "kq-source.h"
#include "kq-window-private.h"

/*
 * The list shown: the sidebar's choice (or the search) as a KqArticleFeed
 * from the library, bound to the article list. What the feed says — loading,
 * loaded, empty, an error, more to load, new articles — becomes the list's
 * page, its last row, the spinner and toasts. The feed does the rest.
 */

static guint
n_shown (KqWindow *self)
{
  return self->shown_model ? g_list_model_get_n_items (self->shown_model) : 0;
}

static void
show_error_page (KqWindow     *self,
                 const GError *error)
{
  const char *icon = "dialog-error-symbolic";
  const char *title = _("The Site Answered with an Error");
  /* Trying again helps, except where there is nothing to read. */
  gboolean can_retry = TRUE;

  if (g_error_matches (error, KQ_SOURCE_ERROR, KQ_SOURCE_ERROR_NOTHING_TO_READ))
    {
      icon = "edit-find-symbolic";
      title = _("No Articles or Feed at This Address");
      can_retry = FALSE;
    }
  else if (g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_UNREACHABLE) ||
      g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_TIMEOUT))
    {
      if (!kq_library_get_network_available (self->library))
        {
          icon = "network-offline-symbolic";
          title = _("You Are Offline");
        }
      else
        {
          icon = "network-error-symbolic";
          title = _("The Site Cannot Be Reached");
        }
    }

  adw_status_page_set_icon_name (self->list_error, icon);
  adw_status_page_set_title (self->list_error, title);
  adw_status_page_set_description (self->list_error, error->message);
  gtk_widget_set_visible (adw_status_page_get_child (self->list_error), can_retry);
  gtk_stack_set_visible_child_name (self->list_stack, "error");
}

/* The list when there is something to show, else an error, "loading" or the empty page. */
static void
update_list_page (KqWindow *self)
{
  const char *title;
  const char *description;
  const char *icon;

  if (n_shown (self) > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }
  if (kq_article_feed_get_error (self->feed) != NULL)
    {
      show_error_page (self, kq_article_feed_get_error (self->feed));
      return;
    }
  if (!kq_article_feed_get_loaded (self->feed))
    {
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
      return;
    }

  if (kq_article_feed_get_unread_only (self->feed))
    {
      icon = "mail-unread-symbolic";
      title = _("No Unread Articles");
      description = _("Everything listed here is read; turn off “Unread Only” to see it");
    }
  else if (self->search_text != NULL)
    {
      icon = "system-search-symbolic";
      title = _("No Results");
      description = _("No article matches this search");
    }
  else if (self->kind == KQ_SIDEBAR_BOOKMARKS)
    {
      icon = "starred-symbolic";
      title = _("No Bookmarks");
      description = _("Press Ctrl+D to bookmark the article you are reading: it stays available offline");
    }
  else if (kq_library_get_offline (self->library))
    {
      icon = "network-offline-symbolic";
      title = _("No Saved Articles");
      description = _("Articles are saved as they are listed; go online once to read them offline");
    }
  else
    {
      icon = "document-open-recent-symbolic";
      title = _("No Articles");
      description = _("This category has no articles yet");
    }

  adw_status_page_set_icon_name (self->list_empty, icon);
  adw_status_page_set_title (self->list_empty, title);
  adw_status_page_set_description (self->list_empty, description);
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* The list's last row: more to load, loading, or what went wrong. */
static void
update_more (KqWindow *self)
{
  KqArticleListMore more = KQ_ARTICLE_LIST_MORE_NONE;

  if (kq_article_feed_get_loading_more (self->feed))
    more = KQ_ARTICLE_LIST_MORE_LOADING;
  else if (self->more_error != NULL)
    more = KQ_ARTICLE_LIST_MORE_FAILED;
  else if (kq_article_feed_get_has_more (self->feed))
    more = KQ_ARTICLE_LIST_MORE_AVAILABLE;

  kq_article_list_set_more (self->article_list, more, self->more_error);
}

static void
restore_selection (KqWindow *self)
{
  gint64 id = self->restore_article_id;

  if (id == 0)
    return;

  if (kq_article_list_select_article (self->article_list, kq_library_get_source_url (self->library),
                                      id))
    {
      /* Its row where it was on screen, whatever rows come above it. */
      self->restore_article_id = 0;
      kq_article_list_keep_selected_at (self->article_list, self->restore_offset);
    }
}

/* The feed's signals */

static void
on_items_changed_cb (KqWindow   *self,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GListModel *model)
{
  update_list_page (self);
  if (added > 0)
    {
      kq_bench_mark_after_paint (GTK_WIDGET (self), kq_article_feed_get_loaded (self->feed)
                                                    ? "first-rows-network"
                                                    : "first-rows-cache");
      if (!kq_article_feed_get_loading (self->feed))
        kq_bench_mark_after_paint (GTK_WIDGET (self), "list-idle");
    }
  restore_selection (self);
}

static void
on_state_changed_cb (KqWindow      *self,
                     GParamSpec    *pspec,
                     KqArticleFeed *feed)
{
  update_list_page (self);
  update_more (self);
}

static void
on_loading_changed_cb (KqWindow      *self,
                       GParamSpec    *pspec,
                       KqArticleFeed *feed)
{
  _kq_window_update_loading (self);
  update_list_page (self);
  update_more (self);

  if (!kq_article_feed_get_loading (feed))
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      if (n_shown (self) > 0)
        kq_bench_mark_after_paint (GTK_WIDGET (self), "list-idle");
      if (KQ_IS_APPLICATION (app))
        kq_application_release_memory (KQ_APPLICATION (app));
    }
}

static void
on_load_failed_cb (KqWindow      *self,
                   guint          page,
                   const GError  *error,
                   gboolean       background,
                   KqArticleFeed *feed)
{
  g_debug ("Page %u failed: %s", page, error->message);

  /* A later page, or the site's search below the cache's results. */
  if (page > 1 || (self->search_text != NULL && n_shown (self) > 0))
    {
      g_free (self->more_error);
      self->more_error = g_strdup (error->message);
      update_more (self);
      return;
    }

  if (n_shown (self) == 0)
    {
      update_list_page (self);
      return;
    }

  if (!background)
    {
      g_autofree char *title = g_strdup_printf (_("Could not refresh: %s"), error->message);

      _kq_window_toast (self, title, _("_Retry"), "win.refresh");
    }
}

static void
on_new_articles_cb (KqWindow      *self,
                    GPtrArray     *articles,
                    gboolean       background,
                    KqArticleFeed *feed)
{
  g_autofree char *title = NULL;

  if (background)
    return;

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new article", "%u new articles",
                                        articles->len),
                           articles->len);
  _kq_window_toast (self, title, NULL, NULL);
}

/* Binding */

/* Stops waiting to bind the list (a list chosen since, or the window going). */
void
_kq_window_cancel_deferred_bind (KqWindow *self)
{
  g_clear_signal_handler (&self->map_id, self);
  if (self->first_paint_clock != NULL)
    {
      g_clear_signal_handler (&self->first_paint_id, self->first_paint_clock);
      g_clear_weak_pointer (&self->first_paint_clock);
    }
}

static void
on_first_paint_cb (KqWindow      *self,
                   GdkFrameClock *clock)
{
  _kq_window_cancel_deferred_bind (self);
  g_debug ("First frame drawn: the list's rows now");
  kq_article_list_set_model (self->article_list, self->shown_model);
  restore_selection (self);
}

static void
on_mapped_cb (KqWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  g_clear_signal_handler (&self->map_id, self);

  /* -1 until the clock runs its first frame. */
  if (clock == NULL || gdk_frame_clock_get_frame_counter (clock) >= 0)
    {
      on_first_paint_cb (self, clock);
      return;
    }

  g_set_weak_pointer (&self->first_paint_clock, clock);
  self->first_paint_id = g_signal_connect_object (clock, "after-paint",
                                                  G_CALLBACK (on_first_paint_cb), self,
                                                  G_CONNECT_SWAPPED);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

/* @first: the window's first list. The window is drawn before it: laying out
 * the cached rows would delay its first frame; they come right after it. */
static void
bind_list (KqWindow *self,
           gboolean  first)
{
  _kq_window_cancel_deferred_bind (self);

  if (first && !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->map_id = g_signal_connect_swapped (self, "map", G_CALLBACK (on_mapped_cb), self);
      return;
    }

  kq_article_list_set_model (self->article_list, self->shown_model);
}

/* Lets go of the list shown: what it still had in flight is cancelled. */
void
_kq_window_drop_feed (KqWindow *self)
{
  if (self->feed != NULL)
    {
      GListModel *site_results = kq_article_feed_get_site_results (self->feed);

      g_signal_handlers_disconnect_by_data (self->feed, self);
      if (site_results != NULL)
        g_signal_handlers_disconnect_by_data (site_results, self);
      kq_article_feed_cancel (self->feed);
    }
  if (self->shown_model != NULL)
    g_signal_handlers_disconnect_by_data (self->shown_model, self);
  g_clear_object (&self->feed);
  g_clear_object (&self->site_header);
  g_clear_object (&self->shown_model);
  g_clear_pointer (&self->more_error, g_free);
}

static void
on_site_results_changed_cb (KqWindow   *self,
                            guint       position,
                            guint       removed,
                            guint       added,
                            GListModel *site_results)
{
  /* "On the site" above the site's results, once there are some. */
  if (g_list_model_get_n_items (site_results) > 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->site_header)) == 0)
    gtk_string_list_append (self->site_header, "header:");
}

/* « Non lus seulement », kept per kind of list (GSettings "unread-only-lists"). */

static const char *
list_kind_name (KqWindow *self)
{
  if (self->search_text != NULL)
    return "search";
  switch (self->kind)
    {
    case KQ_SIDEBAR_BOOKMARKS:
      return "bookmarks";
    case KQ_SIDEBAR_CATEGORY:
      return "category";
    case KQ_SIDEBAR_ALL:
    default:
      return "latest";
    }
}

static gboolean
get_unread_only (KqWindow *self)
{
  g_auto(GStrv) kinds = g_settings_get_strv (self->settings, "unread-only-lists");

  return g_strv_contains ((const char * const *) kinds, list_kind_name (self));
}

void
_kq_window_unread_only_toggled (KqWindow *self)
{
  gboolean active = gtk_toggle_button_get_active (self->unread_only_button);
  g_auto(GStrv) kinds = g_settings_get_strv (self->settings, "unread-only-lists");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) changed = NULL;
  const char *kind = list_kind_name (self);

  for (guint i = 0; kinds[i] != NULL; i++)
    if (g_strcmp0 (kinds[i], kind) != 0)
      g_strv_builder_add (builder, kinds[i]);
  if (active)
    g_strv_builder_add (builder, kind);
  changed = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "unread-only-lists", (const char * const *) changed);

  if (self->feed != NULL)
    {
      kq_article_feed_set_unread_only (self->feed, active);
      update_list_page (self);
    }
}

static void
set_feed (KqWindow      *self,
          KqArticleFeed *feed)
{
  GListModel *site_results = kq_article_feed_get_site_results (feed);
  gboolean first = self->feed == NULL && kq_article_list_get_model (self->article_list) == NULL;

  _kq_window_drop_feed (self);
  self->feed = feed;

  /* Before anything is bound: the rows listed are the filter's. */
  kq_article_feed_set_unread_only (feed, get_unread_only (self));
  g_signal_handlers_block_by_func (self->unread_only_button, _kq_window_unread_only_toggled, self);
  gtk_toggle_button_set_active (self->unread_only_button, kq_article_feed_get_unread_only (feed));
  g_signal_handlers_unblock_by_func (self->unread_only_button, _kq_window_unread_only_toggled,
                                     self);

  if (site_results != NULL)
    {
      GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);

      self->site_header = gtk_string_list_new (NULL);
      g_list_store_append (parts, feed);
      g_list_store_append (parts, self->site_header);
      g_list_store_append (parts, site_results);
      self->shown_model = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));
      g_signal_connect_object (site_results, "items-changed",
                               G_CALLBACK (on_site_results_changed_cb), self, G_CONNECT_SWAPPED);
    }
  else
    self->shown_model = G_LIST_MODEL (g_object_ref (feed));

  /* After the list's own models have taken the change in: selecting a row
   * from here must not reach a selection model that has not seen it yet. */
  g_signal_connect_object (self->shown_model, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (feed, "notify::loading", G_CALLBACK (on_loading_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (feed, "notify::loading-more", G_CALLBACK (on_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (feed, "notify::has-more", G_CALLBACK (on_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (feed, "notify::loaded", G_CALLBACK (on_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (feed, "notify::error", G_CALLBACK (on_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (feed, "load-failed", G_CALLBACK (on_load_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (feed, "new-articles", G_CALLBACK (on_new_articles_cb), self,
                           G_CONNECT_SWAPPED);

  bind_list (self, first);
  update_list_page (self);
  update_more (self);
  _kq_window_update_loading (self);
  restore_selection (self);
}

/**
 * _kq_window_start_view:
 *
 * Shows the list the sidebar selects (or the search): cached articles at
 * once, then the site's first page merged in.
 */
void
_kq_window_start_view (KqWindow *self)
{
  KqArticleFeedKind kind = KQ_ARTICLE_FEED_LATEST;

  if (self->search_text != NULL)
    {
      adw_window_title_set_title (self->list_title, _("Search"));
      adw_window_title_set_subtitle (self->list_title, self->search_text);
      set_feed (self, kq_library_search (self->library, self->search_text));
      return;
    }

  if (self->kind == KQ_SIDEBAR_BOOKMARKS)
    kind = KQ_ARTICLE_FEED_BOOKMARKS;
  else if (self->kind == KQ_SIDEBAR_CATEGORY)
    kind = KQ_ARTICLE_FEED_CATEGORY;
  g_debug ("Showing list %d (category %" G_GINT64_FORMAT ")", kind, self->category_id);

  adw_window_title_set_title (self->list_title, kq_sidebar_get_selected_name (self->sidebar));
  adw_window_title_set_subtitle (self->list_title,
                                 kq_library_get_offline (self->library) ? _("Offline") : NULL);
  set_feed (self, kq_library_get_feed (self->library, kind, self->category_id));
}

/**
 * _kq_window_refresh:
 *
 * Merges the site's first page into the lists shown (new articles appear in
 * place, the scroll position and selection stay); a list that failed or is
 * empty starts over.
 */
void
_kq_window_refresh (KqWindow *self)
{
  if (!kq_library_refresh (self->library, FALSE))
    _kq_window_toast (self, _("Offline: nothing to refresh"), NULL, NULL);
}

void
_kq_window_load_more (KqWindow *self)
{
  gboolean failed = self->more_error != NULL;

  g_clear_pointer (&self->more_error, g_free);
  if (failed && !kq_article_feed_get_has_more (self->feed))
    kq_article_feed_reload (self->feed);
  else
    kq_article_feed_load_more (self->feed);
  update_more (self);
}
