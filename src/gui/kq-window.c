/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-application.h"
#include "kq-article-list.h"
#include "kq-bench.h"
#include "kq-category.h"
#include "kq-sidebar.h"
#include "kq-thumbnail-loader.h"
#include "kq-window-private.h"

/*
 * The main window: sidebar, article list, article pane, bound to the
 * application's KqLibrary. This file holds the object, its set-up and saved
 * state, the sidebar's signals and the library's state (categories, counts,
 * offline, messages); the other kq-window-*.c files one concern each:
 * kq-window-lists.c the list shown (a KqArticleFeed), kq-window-article.c
 * the article pane and the links it follows, kq-window-actions.c the actions
 * and their shortcuts.
 */

G_DEFINE_FINAL_TYPE (KqWindow, kq_window, ADW_TYPE_APPLICATION_WINDOW)

gboolean
_kq_window_is_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
_kq_window_update_loading (KqWindow *self)
{
  gboolean loading = self->n_article_loading > 0 ||
                     (self->feed != NULL && kq_article_feed_get_loading (self->feed));

  gtk_stack_set_visible_child_name (self->refresh_stack, loading ? "spinner" : "button");
  gtk_spinner_set_spinning (self->loading_spinner, loading);
}

void
_kq_window_toast (KqWindow   *self,
                  const char *title,
                  const char *button_label,
                  const char *action_name)
{
  AdwToast *toast;

  /* An answer that comes after the window was closed. */
  if (self->toast_overlay == NULL)
    return;

  toast = adw_toast_new (title);
  if (button_label != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action_name);
    }
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Sidebar and panes */

static void
on_load_more_cb (KqWindow *self)
{
  _kq_window_load_more (self);
}

static void
on_article_selected_cb (KqWindow      *self,
                        KqArticle     *article,
                        KqArticleList *list)
{
  _kq_window_open_article (self, article);
}

static void
on_view_bookmark_toggled_cb (KqWindow      *self,
                             KqArticle     *article,
                             gboolean       bookmarked,
                             KqArticleView *view)
{
  _kq_window_set_bookmarked (self, article, bookmarked);
}

/* Folding (the window narrowed) shows one pane: the article being read,
 * else the list; never the sidebar out of the blue. */
static void
on_folded_cb (KqWindow   *self,
              GParamSpec *pspec,
              AdwLeaflet *leaflet)
{
  if (adw_leaflet_get_folded (leaflet))
    adw_leaflet_set_visible_child_name (leaflet, self->article != NULL ? "article" : "list");
}

static void
select_quietly (KqWindow      *self,
                KqSidebarKind  kind,
                gint64         category_id)
{
  g_signal_handlers_block_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  kq_sidebar_select (self->sidebar, kind, category_id);
  g_signal_handlers_unblock_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
on_sidebar_selected_cb (KqWindow   *self,
                        int         kind,
                        gint64      category_id,
                        const char *name,
                        KqSidebar  *sidebar)
{
  /* Choosing a list ends the search. */
  if (self->search_text != NULL)
    {
      g_clear_pointer (&self->search_text, g_free);
      g_signal_handlers_block_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      kq_sidebar_set_search_text (self->sidebar, "");
      g_signal_handlers_unblock_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }
  else if (self->feed != NULL && (int) self->kind == kind && self->category_id == category_id)
    {
      if (adw_leaflet_get_folded (self->leaflet))
        adw_leaflet_set_visible_child_name (self->leaflet, "list");
      return;
    }

  self->kind = kind;
  self->category_id = kind == KQ_SIDEBAR_CATEGORY ? category_id : 0;
  _kq_window_clear_article (self);
  _kq_window_start_view (self);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
on_search_changed_cb (KqWindow   *self,
                      const char *text,
                      KqSidebar  *sidebar)
{
  if (text == NULL || *text == '\0')
    {
      if (self->search_text == NULL)
        return;
      g_clear_pointer (&self->search_text, g_free);
    }
  else
    {
      if (g_strcmp0 (self->search_text, text) == 0)
        return;
      g_free (self->search_text);
      self->search_text = g_strdup (text);
    }

  _kq_window_start_view (self);
}

/* The library's state */

static void
on_categories_changed_cb (KqWindow   *self,
                          guint       position,
                          guint       removed,
                          guint       added,
                          GListModel *categories)
{
  guint n = g_list_model_get_n_items (categories);
  g_autoptr(GPtrArray) array = g_ptr_array_new_full (n, g_object_unref);
  gint64 selected_id;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (categories, i));
  kq_sidebar_set_categories (self->sidebar, array);

  /* The list restored at launch may be a category only known now. */
  if (self->search_text == NULL &&
      (kq_sidebar_get_selected (self->sidebar, &selected_id) != self->kind ||
       (self->kind == KQ_SIDEBAR_CATEGORY && selected_id != self->category_id)))
    {
      select_quietly (self, self->kind, self->category_id);
      adw_window_title_set_title (self->list_title, kq_sidebar_get_selected_name (self->sidebar));
    }
}

static void
on_unread_count_changed_cb (KqWindow  *self,
                            GParamSpec *pspec,
                            KqLibrary *library)
{
  kq_sidebar_set_unread_count (self->sidebar, KQ_SIDEBAR_ALL, 0,
                               kq_library_get_unread_count (library));
}

static void
on_bookmark_count_changed_cb (KqWindow   *self,
                              GParamSpec *pspec,
                              KqLibrary  *library)
{
  kq_sidebar_set_bookmark_count (self->sidebar, kq_library_get_bookmark_count (library));
}

static void
on_offline_changed_cb (KqWindow   *self,
                       GParamSpec *pspec,
                       KqLibrary  *library)
{
  gboolean offline = kq_library_get_offline (library);

  gtk_revealer_set_reveal_child (self->offline_revealer, offline);
  if (self->search_text == NULL)
    adw_window_title_set_subtitle (self->list_title, offline ? _("Offline") : NULL);
}

static void
on_message_cb (KqWindow   *self,
               const char *message,
               KqLibrary  *library)
{
  _kq_window_toast (self, message, NULL, NULL);
}

static void
on_source_changed_cb (KqWindow   *self,
                      GParamSpec *pspec,
                      KqLibrary  *library)
{
  /* Another site: its own categories, from "À la une". */
  kq_sidebar_set_categories (self->sidebar, NULL);
  self->kind = KQ_SIDEBAR_ALL;
  self->category_id = 0;
  select_quietly (self, KQ_SIDEBAR_ALL, 0);
  _kq_window_start_view (self);
}

/* Saved state */

static void
restore_state (KqWindow *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-category");

  self->kind = KQ_SIDEBAR_ALL;
  self->category_id = 0;
  if (g_strcmp0 (last, "bookmarks") == 0)
    self->kind = KQ_SIDEBAR_BOOKMARKS;
  else if (g_str_has_prefix (last, "category:"))
    {
      gint64 id = g_ascii_strtoll (last + strlen ("category:"), NULL, 10);

      if (id > 0)
        {
          self->kind = KQ_SIDEBAR_CATEGORY;
          self->category_id = id;
        }
    }

  self->restore_article_id = g_settings_get_int64 (self->settings, "last-article");
  self->restore_offset = g_settings_get_double (self->settings, "last-article-offset");

  select_quietly (self, self->kind, self->category_id);
}

static void
save_state (KqWindow *self)
{
  g_autofree char *last = NULL;
  double offset;

  if (self->kind == KQ_SIDEBAR_BOOKMARKS)
    last = g_strdup ("bookmarks");
  else if (self->kind == KQ_SIDEBAR_CATEGORY)
    last = g_strdup_printf ("category:%" G_GINT64_FORMAT, self->category_id);
  else
    last = g_strdup ("all");

  g_settings_set_string (self->settings, "last-category", last);
  g_settings_set_int64 (self->settings, "last-article",
                        self->article ? kq_article_get_id (self->article) : 0);
  if (self->article != NULL && self->search_text == NULL &&
      kq_article_list_get_selected_offset (self->article_list, &offset))
    g_settings_set_double (self->settings, "last-article-offset", offset);
}

static gboolean
kq_window_close_request (GtkWindow *window)
{
  save_state (KQ_WINDOW (window));

  return GTK_WINDOW_CLASS (kq_window_parent_class)->close_request (window);
}

static void
on_load_images_changed_cb (KqWindow *self)
{
  kq_article_list_set_show_images (self->article_list,
                                   g_settings_get_boolean (self->settings, "load-images"));
}

static void
kq_window_constructed (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  G_OBJECT_CLASS (kq_window_parent_class)->constructed (object);

  /* Restore the size before the window is mapped, then follow it. */
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

/* Once the application is set (it is not a construct property). */
static void
start (KqWindow *self)
{
  KqApplication *app = KQ_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  KqImageLoader *image_loader;

  self->library = g_object_ref (kq_application_get_library (app));
  image_loader = kq_library_get_image_loader (self->library);
  kq_thumbnail_loader_set_backend (G_OBJECT (image_loader));
  kq_article_view_set_image_loader (self->article_view, image_loader);
  kq_article_view_set_library (self->article_view, self->library);

  g_signal_connect_object (kq_library_get_categories (self->library), "items-changed",
                           G_CALLBACK (on_categories_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "notify::unread-count",
                           G_CALLBACK (on_unread_count_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "notify::bookmark-count",
                           G_CALLBACK (on_bookmark_count_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "notify::offline",
                           G_CALLBACK (on_offline_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "notify::source-url",
                           G_CALLBACK (on_source_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "message", G_CALLBACK (on_message_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::load-images",
                           G_CALLBACK (on_load_images_changed_cb), self, G_CONNECT_SWAPPED);
  on_load_images_changed_cb (self);
  on_offline_changed_cb (self, NULL, self->library);
  on_bookmark_count_changed_cb (self, NULL, self->library);
  on_unread_count_changed_cb (self, NULL, self->library);

  restore_state (self);
  on_categories_changed_cb (self, 0, 0, 0, kq_library_get_categories (self->library));
  _kq_window_start_view (self);

  /* KIOSQUE_BENCHMARK=1 only (tests/bench/bench-startup). */
  kq_bench_watch (GTK_WINDOW (self), self->article_list, self->article_view);
}

static void
kq_window_dispose (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->link_cancellable);
  _kq_window_cancel_deferred_bind (self);
  _kq_window_close_article (self);
  _kq_window_drop_feed (self);
  g_clear_object (&self->removed_bookmark);

  gtk_widget_dispose_template (GTK_WIDGET (self), KQ_TYPE_WINDOW);

  g_clear_object (&self->library);

  G_OBJECT_CLASS (kq_window_parent_class)->dispose (object);
}

static void
kq_window_finalize (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->link_cancellable);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (kq_window_parent_class)->finalize (object);
}

static void
kq_window_class_init (KqWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = kq_window_constructed;
  object_class->dispose = kq_window_dispose;
  object_class->finalize = kq_window_finalize;
  window_class->close_request = kq_window_close_request;

  g_type_ensure (KQ_TYPE_SIDEBAR);
  g_type_ensure (KQ_TYPE_ARTICLE_LIST);
  g_type_ensure (KQ_TYPE_ARTICLE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/kq-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KqWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_pane);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_stack);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_back_button);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_back_button);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_list);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_title);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_empty);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, list_error);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, bookmark_button);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, unread_only_button);
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_view);

  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_article_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_load_more_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_bookmark_toggled_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_unread_only_toggled_cb",
                                                G_CALLBACK (_kq_window_unread_only_toggled));

  _kq_window_class_add_actions (widget_class);
}

static void
kq_window_init (KqWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();

  gtk_stack_set_visible_child_name (self->sidebar_stack, "sidebar");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-bookmark", FALSE);
  _kq_window_add_key_controller (self);
  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (on_folded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->article_view, "open-article-link",
                           G_CALLBACK (_kq_window_open_article_link), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->article_view, "open-history-article",
                           G_CALLBACK (_kq_window_open_history_article), self, G_CONNECT_SWAPPED);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

KqWindow *
kq_window_new (KqApplication *application)
{
  KqWindow *self = g_object_new (KQ_TYPE_WINDOW,
                                 "application", application,
                                 NULL);

  start (self);

  return self;
}

/**
 * kq_window_show_article:
 * @id: an article of the library's source
 *
 * Opens that article (from a notification or the saved state).
 */
void
kq_window_show_article (KqWindow *self,
                        gint64    id)
{
  g_return_if_fail (KQ_IS_WINDOW (self));

  if (kq_article_list_select_article (self->article_list,
                                      kq_library_get_source_url (self->library), id))
    return;

  self->restore_article_id = id;
  self->kind = KQ_SIDEBAR_ALL;
  self->category_id = 0;
  g_clear_pointer (&self->search_text, g_free);
  kq_sidebar_select (self->sidebar, KQ_SIDEBAR_ALL, 0);
}

/**
 * kq_window_get_library:
 *
 * Returns: (transfer none): what the window shows
 */
KqLibrary *
kq_window_get_library (KqWindow *self)
{
  g_return_val_if_fail (KQ_IS_WINDOW (self), NULL);

  return self->library;
}
