/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-window-private.h"

/* The main window's actions and their shortcuts (all listed in gtk/help-overlay.ui). */

static gboolean
is_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _kq_window_refresh (KQ_WINDOW (widget), FALSE);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  kq_sidebar_focus_search (self->sidebar);
}

static void
show_entry_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  kq_sidebar_select_nth (self->sidebar, g_variant_get_uint32 (parameter));
}

static void
next_article_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  kq_article_list_select_next (self->article_list);
}

static void
previous_article_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  kq_article_list_select_previous (self->article_list);
}

/* Bookmarks */

static void
on_bookmarks_counted_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GError) error = NULL;

  bookmarks = kq_store_list_bookmarks_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        g_warning ("Could not count the bookmarks: %s", error->message);
      return;
    }

  self->bookmark_count = bookmarks->len;
  kq_sidebar_set_bookmark_count (self->sidebar, bookmarks->len);
}

void
_kq_window_update_bookmark_count (KqWindow *self)
{
  kq_store_list_bookmarks_async (self->store, self->cancellable, on_bookmarks_counted_cb,
                                 g_object_ref (self));
}

/* The end of adding (@added) or removing a bookmark: a toast on failure, else the new count. */
static void
finish_bookmark_change (KqWindow     *self,
                        KqStore      *store,
                        GAsyncResult *result,
                        gboolean      added)
{
  g_autoptr(GError) error = NULL;
  gboolean done = added
    ? kq_store_add_bookmark_finish (store, result, &error)
    : kq_store_remove_bookmark_finish (store, result, &error);

  if (!done)
    {
      if (!is_cancelled (error))
        {
          g_autofree char *title = added
            ? g_strdup_printf (_("Could not save the bookmark: %s"), error->message)
            : g_strdup_printf (_("Could not remove the bookmark: %s"), error->message);
          _kq_window_toast (self, title, NULL, NULL);
        }
      return;
    }

  _kq_window_update_bookmark_count (self);
}

static void
on_bookmark_added_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;

  finish_bookmark_change (self, KQ_STORE (object), result, TRUE);
}

static void
on_bookmark_removed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;

  finish_bookmark_change (self, KQ_STORE (object), result, FALSE);
}

static void
add_bookmark (KqWindow  *self,
              KqArticle *article)
{
  kq_article_set_bookmarked (article, TRUE);

  /* The Favoris list updates at once. */
  if (self->kind == KQ_SIDEBAR_BOOKMARKS && self->search_text == NULL && self->model != NULL)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, article);
      kq_article_model_merge (self->model, one);
    }
  kq_sidebar_set_bookmark_count (self->sidebar, ++self->bookmark_count);
  kq_store_add_bookmark_async (self->store, article, self->cancellable,
                               on_bookmark_added_cb, g_object_ref (self));
}

static void
remove_bookmark (KqWindow  *self,
                 KqArticle *article)
{
  kq_article_set_bookmarked (article, FALSE);
  g_set_object (&self->removed_bookmark, article);

  if (self->kind == KQ_SIDEBAR_BOOKMARKS && self->search_text == NULL && self->model != NULL)
    kq_article_model_remove (self->model, kq_article_get_source (article),
                             kq_article_get_id (article));
  if (self->bookmark_count > 0)
    self->bookmark_count--;
  kq_sidebar_set_bookmark_count (self->sidebar, self->bookmark_count);
  kq_store_remove_bookmark_async (self->store, kq_article_get_source (article),
                                  kq_article_get_id (article), self->cancellable,
                                  on_bookmark_removed_cb, g_object_ref (self));

  _kq_window_toast (self, _("Bookmark removed"), _("_Undo"), "win.undo-remove-bookmark");
}

/* From the header button, Ctrl+D or the article view's own action. */
void
_kq_window_set_bookmarked (KqWindow  *self,
                           KqArticle *article,
                           gboolean   bookmarked)
{
  if (bookmarked)
    add_bookmark (self, article);
  else
    remove_bookmark (self, article);
}

static void
toggle_bookmark_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);
  KqArticle *article = self->article;

  if (article == NULL)
    article = kq_article_list_get_selected (self->article_list);
  if (article == NULL)
    return;

  _kq_window_set_bookmarked (self, article, !kq_article_get_bookmarked (article));
}

static void
undo_remove_bookmark_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);
  g_autoptr(KqArticle) article = g_steal_pointer (&self->removed_bookmark);

  if (article != NULL && !kq_article_get_bookmarked (article))
    add_bookmark (self, article);
}

/* Mark all as read */

static void
on_marked_all_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  kq_store_mark_all_read_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    {
      if (!is_cancelled (error))
        _kq_window_toast (self, error->message, NULL, NULL);
      return;
    }

  _kq_window_queue_counts (self);
}

static void
on_one_marked_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_set_read_finish (KQ_STORE (object), result, &error))
    {
      if (!is_cancelled (error))
        g_warning ("Could not save the read state: %s", error->message);
      return;
    }

  _kq_window_queue_counts (self);
}

/* Marks what the list shows read: a category or "À la une" as a whole in
 * the store (its cached articles too), Favoris and search results one by one
 * (they may come from other sources or lists). */
static void
mark_all_read_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);
  gboolean whole_list = self->kind != KQ_SIDEBAR_BOOKMARKS && self->search_text == NULL;
  GListModel *models[] = { G_LIST_MODEL (self->model), G_LIST_MODEL (self->site_model) };

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      guint n = models[m] != NULL ? g_list_model_get_n_items (models[m]) : 0;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(KqArticle) article = g_list_model_get_item (models[m], i);

          if (!kq_article_get_read (article) && !whole_list)
            kq_store_set_read_async (self->store, kq_article_get_source (article),
                                     kq_article_get_id (article), TRUE, self->cancellable,
                                     on_one_marked_read_cb, g_object_ref (self));
          kq_article_set_read (article, TRUE);
        }
    }

  if (whole_list)
    kq_store_mark_all_read_async (self->store, kq_source_get_url (self->source),
                                  self->kind == KQ_SIDEBAR_CATEGORY ? self->category_id : 0,
                                  self->cancellable, on_marked_all_read_cb, g_object_ref (self));
}

/* Export and import (GtkFileChooserNative: GtkFileDialog is GTK 4.10) */

typedef enum {
  EXPORT_JSON,
  EXPORT_HTML,
  IMPORT_JSON,
} FileJob;

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 n;

  if (g_task_get_source_tag (G_TASK (result)) == kq_store_export_bookmarks_html_async)
    n = kq_store_export_bookmarks_html_finish (KQ_STORE (object), result, &error);
  else
    n = kq_store_export_bookmarks_finish (KQ_STORE (object), result, &error);

  if (error != NULL)
    title = g_strdup_printf (_("Could not export the bookmarks: %s"), error->message);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d bookmark exported",
                                          "%d bookmarks exported", (gulong) n), (int) n);
  _kq_window_toast (self, title, NULL, NULL);
}

static void
on_imported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 n;

  n = kq_store_import_bookmarks_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    title = g_strdup_printf (_("Could not import the bookmarks: %s"), error->message);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d bookmark imported",
                                          "%d bookmarks imported", (gulong) n), (int) n);
  _kq_window_toast (self, title, NULL, NULL);

  _kq_window_update_bookmark_count (self);
  if (error == NULL && self->kind == KQ_SIDEBAR_BOOKMARKS && self->search_text == NULL)
    _kq_window_start_view (self);
}

/* What the file chooser leads to (the tests call these directly). */
void
_kq_window_export_bookmarks (KqWindow *self,
                             GFile    *file,
                             gboolean  html)
{
  g_return_if_fail (G_IS_FILE (file));

  if (html)
    kq_store_export_bookmarks_html_async (self->store, file, self->cancellable,
                                          on_exported_cb, g_object_ref (self));
  else
    kq_store_export_bookmarks_async (self->store, file, self->cancellable,
                                     on_exported_cb, g_object_ref (self));
}

void
_kq_window_import_bookmarks (KqWindow *self,
                             GFile    *file)
{
  g_return_if_fail (G_IS_FILE (file));

  kq_store_import_bookmarks_async (self->store, file, self->cancellable,
                                   on_imported_cb, g_object_ref (self));
}

static void
on_file_chosen_cb (GtkNativeDialog *dialog,
                   int              response,
                   KqWindow        *self)
{
  FileJob job = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "kq-job"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);

  if (file == NULL)
    return;

  if (job == IMPORT_JSON)
    _kq_window_import_bookmarks (self, file);
  else
    _kq_window_export_bookmarks (self, file, job == EXPORT_HTML);
}

static void
choose_file (KqWindow *self,
             FileJob   job)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  gboolean save = job != IMPORT_JSON;

  dialog = gtk_file_chooser_native_new (save ? _("Export Bookmarks") : _("Import Bookmarks"),
                                        GTK_WINDOW (self),
                                        save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                             : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        save ? _("_Export") : _("_Import"),
                                        _("_Cancel"));
  if (job == EXPORT_HTML)
    {
      gtk_file_filter_set_name (filter, _("Web page (bookmarks for browsers)"));
      gtk_file_filter_add_mime_type (filter, "text/html");
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "kiosque-favoris.html");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("Kiosque bookmarks (JSON)"));
      gtk_file_filter_add_mime_type (filter, "application/json");
      gtk_file_filter_add_pattern (filter, "*.json");
      if (save)
        gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "kiosque-favoris.json");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);

  g_object_set_data (G_OBJECT (dialog), "kq-job", GINT_TO_POINTER (job));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_file_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_bookmarks_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  choose_file (KQ_WINDOW (widget), EXPORT_JSON);
}

static void
export_bookmarks_html_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  choose_file (KQ_WINDOW (widget), EXPORT_HTML);
}

static void
import_bookmarks_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  choose_file (KQ_WINDOW (widget), IMPORT_JSON);
}

/* Cache */

static void
on_cache_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_clear_cache_finish (KQ_STORE (object), result, &error))
    {
      if (!is_cancelled (error))
        _kq_window_toast (self, error->message, NULL, NULL);
      return;
    }

  _kq_window_toast (self, _("Cache cleared; bookmarks were kept"), NULL, NULL);
  _kq_window_load_categories (self);
  _kq_window_start_view (self);
}

static void
clear_cache_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  kq_store_clear_cache_async (self->store, self->cancellable, on_cache_cleared_cb,
                              g_object_ref (self));
}

/* Notifications */

void
_kq_window_notify_new (KqWindow  *self,
                       GPtrArray *articles,
                       guint      n_new)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  KqArticle *first;

  if (app == NULL || n_new == 0 || articles == NULL || articles->len == 0 ||
      gtk_window_is_active (GTK_WINDOW (self)) ||
      !g_settings_get_boolean (self->settings, "notifications"))
    return;

  first = g_ptr_array_index (articles, 0);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new article", "%u new articles",
                                        n_new), n_new);
  notification = g_notification_new (title);
  g_notification_set_body (notification, kq_article_get_title (first));
  g_notification_set_default_action_and_target (notification, "app.show-article", "x",
                                                kq_article_get_id (first));
  kq_application_send_notification (KQ_APPLICATION (app), "new-articles", notification);
}

void
_kq_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);

  gtk_widget_class_install_action (widget_class, "win.show-entry", "u", show_entry_action);
  for (guint i = 0; i < 9; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-entry", "u", i);

  gtk_widget_class_install_action (widget_class, "win.next-article", NULL, next_article_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "win.next-article", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "win.next-article", NULL);
  gtk_widget_class_install_action (widget_class, "win.previous-article", NULL, previous_article_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "win.previous-article", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "win.previous-article", NULL);

  gtk_widget_class_install_action (widget_class, "win.toggle-bookmark", NULL, toggle_bookmark_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.toggle-bookmark", NULL);
  gtk_widget_class_install_action (widget_class, "win.undo-remove-bookmark", NULL,
                                   undo_remove_bookmark_action);

  gtk_widget_class_install_action (widget_class, "win.mark-all-read", NULL, mark_all_read_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.mark-all-read", NULL);

  gtk_widget_class_install_action (widget_class, "win.export-bookmarks", NULL, export_bookmarks_action);
  gtk_widget_class_install_action (widget_class, "win.export-bookmarks-html", NULL,
                                   export_bookmarks_html_action);
  gtk_widget_class_install_action (widget_class, "win.import-bookmarks", NULL, import_bookmarks_action);
  gtk_widget_class_install_action (widget_class, "win.clear-cache", NULL, clear_cache_action);
}
