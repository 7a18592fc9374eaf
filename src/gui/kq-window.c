/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-application.h"
#include "kq-article-list.h"
#include "kq-bench.h"
#include "kq-sidebar.h"
#include "kq-thumbnail-loader.h"
#include "kq-window-private.h"

/*
 * The main window: sidebar, article list, article pane. This file holds the
 * object, its set-up and saved state, and the sidebar's signals; the other
 * kq-window-*.c files one concern each: kq-window-lists.c which list is shown
 * and how it loads (cache, then the site), kq-window-search.c the search,
 * kq-window-categories.c the categories and unread counts,
 * kq-window-article.c the article pane and the links it follows,
 * kq-window-actions.c the actions and their shortcuts.
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
  gboolean loading = self->n_loading > 0;

  gtk_stack_set_visible_child_name (self->refresh_stack, loading ? "spinner" : "button");
  gtk_spinner_set_spinning (self->loading_spinner, loading);
}

void
_kq_window_loading_begin (KqWindow *self)
{
  self->n_loading++;
  _kq_window_update_loading (self);
}

void
_kq_window_loading_end (KqWindow *self)
{
  g_return_if_fail (self->n_loading > 0);

  self->n_loading--;
  _kq_window_update_loading (self);
  if (self->n_loading == 0 && self->shown_model != NULL &&
      g_list_model_get_n_items (self->shown_model) > 0)
    kq_bench_mark_after_paint (GTK_WIDGET (self), "list-idle");
  if (self->n_loading == 0)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      if (KQ_IS_APPLICATION (app))
        kq_application_release_memory (KQ_APPLICATION (app));
    }
}

void
_kq_window_toast (KqWindow   *self,
                  const char *title,
                  const char *button_label,
                  const char *action_name)
{
  AdwToast *toast = adw_toast_new (title);

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
  else if (self->model != NULL && (int) self->kind == kind && self->category_id == category_id)
    {
      if (adw_leaflet_get_folded (self->leaflet))
        adw_leaflet_set_visible_child_name (self->leaflet, "list");
      return;
    }

  self->kind = kind;
  self->category_id = kind == KQ_SIDEBAR_CATEGORY ? category_id : 0;
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

/* Set-up */

/* HTTP validators: kept with their body, so that the first requests of the
 * next start are conditional and a 304 reuses that body. */
#define VALIDATOR_MAX_BODY      (2 * 1024 * 1024)
#define PRELOAD_MAX_VALIDATORS  64
#define PRELOAD_MAX_BYTES       (16 * 1024 * 1024)

/* A list's later pages (REST `page=N`, feed `paged=N`) and searches are not
 * what the next start asks for first, and each kept body is about 240 kB of
 * JSON: scrolling 2,000 rows wrote 24 MB of them into the cache, all read
 * back at the next start before the cached rows. */
static gboolean
is_worth_keeping (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *keys[] = { "page", "paged" };

  if (uri == NULL || g_uri_get_query (uri) == NULL)
    return TRUE;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return TRUE;
  if (g_hash_table_contains (params, "search") || g_hash_table_contains (params, "s"))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *page = g_hash_table_lookup (params, keys[i]);

      if (page != NULL && g_ascii_strtoull (page, NULL, 10) > 1)
        return FALSE;
    }
  return TRUE;
}

static void
on_validator_changed_cb (KqWindow   *self,
                         const char *url,
                         const char *etag,
                         const char *last_modified,
                         KqHttp     *http)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *headers = NULL;

  if (!is_worth_keeping (url))
    return;

  body = kq_http_get_validator_body (http, url);
  /* The page count a 304 must give again after a restart. */
  headers = kq_http_get_validator_headers (http, url);

  /* A validator without its body cannot answer a 304: not worth keeping. */
  if (body == NULL || g_bytes_get_size (body) > VALIDATOR_MAX_BODY)
    etag = last_modified = NULL;

  kq_store_set_validator_full_async (self->store, url, etag, last_modified,
                                     etag || last_modified ? body : NULL,
                                     etag || last_modified ? headers : NULL,
                                     self->cancellable, NULL, NULL);
}

static void
on_validators_listed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GPtrArray) validators = NULL;
  g_autoptr(GError) error = NULL;
  gsize bytes = 0;
  guint n = 0;

  validators = kq_store_list_validators_finish (KQ_STORE (object), result, &error);
  if (_kq_window_is_cancelled (error))
    return;
  if (error != NULL)
    g_warning ("Could not read the HTTP validators: %s", error->message);

  for (guint i = 0; validators != NULL && i < validators->len; i++)
    {
      KqStoreValidator *validator = g_ptr_array_index (validators, i);
      gsize size = validator->body != NULL ? g_bytes_get_size (validator->body) : 0;

      if (size == 0 || n >= PRELOAD_MAX_VALIDATORS || bytes + size > PRELOAD_MAX_BYTES)
        continue;
      kq_http_set_validator_full (self->http, validator->url, validator->etag,
                                  validator->last_modified, validator->body,
                                  validator->headers);
      bytes += size;
      n++;
    }
  g_debug ("%u HTTP validators preloaded (%" G_GSIZE_FORMAT " bytes)", n, bytes);

  /* Now the first requests can be conditional. */
  _kq_window_load_categories (self);
}

static void
on_store_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_open_finish (KQ_STORE (object), result, &error))
    {
      if (_kq_window_is_cancelled (error))
        return;
      g_warning ("Could not open the cache: %s", error->message);
      _kq_window_toast (self, error->message, NULL, NULL);
    }
  else if (kq_store_get_recovered (self->store))
    _kq_window_toast (self, _("The cache was damaged and has been rebuilt; bookmarks were kept"),
                      NULL, NULL);

  /* Keep the cache within its size (never the bookmarks). */
  kq_store_prune_async (self->store, 0,
                        g_settings_get_uint (self->settings, "cache-max-articles"),
                        self->cancellable, NULL, NULL);
}

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
  self->restore_scroll = g_settings_get_double (self->settings, "last-scroll");

  g_signal_handlers_block_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  kq_sidebar_select (self->sidebar, self->kind, self->category_id);
  g_signal_handlers_unblock_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
save_state (KqWindow *self)
{
  g_autofree char *last = NULL;

  if (self->kind == KQ_SIDEBAR_BOOKMARKS)
    last = g_strdup ("bookmarks");
  else if (self->kind == KQ_SIDEBAR_CATEGORY)
    last = g_strdup_printf ("category:%" G_GINT64_FORMAT, self->category_id);
  else
    last = g_strdup ("all");

  g_settings_set_string (self->settings, "last-category", last);
  g_settings_set_int64 (self->settings, "last-article",
                        self->article ? kq_article_get_id (self->article) : 0);
  g_settings_set_double (self->settings, "last-scroll",
                         self->search_text ? 0 : kq_article_list_get_scroll (self->article_list));
}

static gboolean
kq_window_close_request (GtkWindow *window)
{
  save_state (KQ_WINDOW (window));

  return GTK_WINDOW_CLASS (kq_window_parent_class)->close_request (window);
}

static gboolean
background_refresh_cb (gpointer data)
{
  KqWindow *self = data;

  g_debug ("Background refresh");
  _kq_window_refresh (self, TRUE);

  return G_SOURCE_CONTINUE;
}

static void
on_refresh_interval_changed_cb (KqWindow *self)
{
  guint minutes = g_settings_get_uint (self->settings, "refresh-interval");

  g_clear_handle_id (&self->refresh_timer_id, g_source_remove);
  if (minutes > 0 && !self->offline)
    self->refresh_timer_id = g_timeout_add_seconds (minutes * 60, background_refresh_cb, self);
}

static void
on_load_images_changed_cb (KqWindow *self)
{
  kq_article_list_set_show_images (self->article_list,
                                   g_settings_get_boolean (self->settings, "load-images"));
}

static char *
source_url (KqWindow *self)
{
  KqApplication *app = KQ_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const char *url = app ? kq_application_get_source_url (app) : NULL;
  g_autofree char *setting = g_settings_get_string (self->settings, "source-url");

  if (url != NULL)
    return g_strdup (url);
  if (setting != NULL && *setting != '\0')
    return g_steal_pointer (&setting);

  return g_strdup (DEFAULT_SOURCE_URL);
}

static void
set_source (KqWindow   *self,
            const char *url)
{
  g_clear_object (&self->source);
  self->source = kq_source_new (self->http, url);
  kq_article_view_set_source (self->article_view, self->source);
  g_debug ("Source %s", kq_source_get_url (self->source));
}

static void
on_source_url_changed_cb (KqWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "source-url");

  /* Changed in the preferences: read the new site from now on. */
  if (url == NULL || *url == '\0')
    url = g_strdup (DEFAULT_SOURCE_URL);
  if (g_strcmp0 (url, kq_source_get_url (self->source)) == 0)
    return;

  set_source (self, url);
  kq_sidebar_set_categories (self->sidebar, NULL);
  self->kind = KQ_SIDEBAR_ALL;
  self->category_id = 0;
  g_signal_handlers_block_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  kq_sidebar_select (self->sidebar, KQ_SIDEBAR_ALL, 0);
  g_signal_handlers_unblock_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  _kq_window_read_categories (self);
  _kq_window_load_categories (self);
  _kq_window_start_view (self);
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
  KqApplication *app;
  g_autofree char *url = NULL;

  app = KQ_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  self->offline = app != NULL && kq_application_get_offline (app);
  gtk_revealer_set_reveal_child (self->offline_revealer, self->offline);

  url = source_url (self);
  self->http = kq_http_new ();
  set_source (self, url);
  self->store = kq_store_new (NULL);
  /* The rows never show bodies: the article opened is read whole. */
  kq_store_set_list_bodies (self->store, FALSE);
  self->image_loader = kq_image_loader_new (self->http, NULL);
  kq_thumbnail_loader_set_backend (G_OBJECT (self->image_loader));
  kq_article_view_set_image_loader (self->article_view, self->image_loader);
  g_signal_connect_object (self->http, "validator-changed",
                           G_CALLBACK (on_validator_changed_cb), self, G_CONNECT_SWAPPED);
  kq_store_open_async (self->store, self->cancellable, on_store_opened_cb, g_object_ref (self));

  g_signal_connect_object (self->settings, "changed::refresh-interval",
                           G_CALLBACK (on_refresh_interval_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::load-images",
                           G_CALLBACK (on_load_images_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::source-url",
                           G_CALLBACK (on_source_url_changed_cb), self, G_CONNECT_SWAPPED);
  on_refresh_interval_changed_cb (self);
  on_load_images_changed_cb (self);

  /* Jobs run in order on the store's thread: these see the opened database. */
  restore_state (self);
  kq_store_list_validators_async (self->store, self->cancellable, on_validators_listed_cb,
                                  g_object_ref (self));
  _kq_window_read_categories (self);
  _kq_window_start_view (self);
  _kq_window_update_bookmark_count (self);

  /* KIOSQUE_BENCHMARK=1 only (tests/bench/bench-startup). */
  kq_bench_watch (GTK_WINDOW (self), self->article_list, self->article_view);
}

static void
kq_window_dispose (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->link_cancellable);
  g_clear_handle_id (&self->refresh_timer_id, g_source_remove);
  g_clear_handle_id (&self->counts_timeout_id, g_source_remove);
  _kq_window_close_article (self);
  g_clear_object (&self->removed_bookmark);

  gtk_widget_dispose_template (GTK_WIDGET (self), KQ_TYPE_WINDOW);

  g_clear_object (&self->model);
  g_clear_object (&self->site_model);
  g_clear_object (&self->site_header);
  g_clear_object (&self->shown_model);
  g_clear_object (&self->source);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->store);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (kq_window_parent_class)->dispose (object);
}

static void
kq_window_finalize (GObject *object)
{
  KqWindow *self = KQ_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
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
  gtk_widget_class_bind_template_child (widget_class, KqWindow, article_view);

  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_article_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_load_more_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_bookmark_toggled_cb);

  _kq_window_class_add_actions (widget_class);
}

static void
kq_window_init (KqWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();

  gtk_stack_set_visible_child_name (self->sidebar_stack, "sidebar");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-bookmark", FALSE);
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
 * @id: an article of the window's source
 *
 * Opens that article (from a notification or the saved state).
 */
void
kq_window_show_article (KqWindow *self,
                        gint64    id)
{
  g_return_if_fail (KQ_IS_WINDOW (self));

  if (kq_article_list_select_article (self->article_list, kq_source_get_url (self->source), id))
    return;

  self->restore_article_id = id;
  self->kind = KQ_SIDEBAR_ALL;
  self->category_id = 0;
  g_clear_pointer (&self->search_text, g_free);
  kq_sidebar_select (self->sidebar, KQ_SIDEBAR_ALL, 0);
}

/**
 * kq_window_get_source:
 *
 * Returns: (transfer none): the site the window reads
 */
KqSource *
kq_window_get_source (KqWindow *self)
{
  g_return_val_if_fail (KQ_IS_WINDOW (self), NULL);

  return self->source;
}

/**
 * kq_window_get_store:
 *
 * Returns: (transfer none): the window's cache
 */
KqStore *
kq_window_get_store (KqWindow *self)
{
  g_return_val_if_fail (KQ_IS_WINDOW (self), NULL);

  return self->store;
}
