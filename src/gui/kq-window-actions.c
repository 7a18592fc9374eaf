/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-url.h"
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
  _kq_window_refresh (KQ_WINDOW (widget));
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

/* Read state */

/* The article shown, else the one selected. */
static KqArticle *
current_article (KqWindow *self)
{
  return self->article != NULL ? self->article
                               : kq_article_list_get_selected (self->article_list);
}

static void
toggle_read_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);
  KqArticle *article = current_article (self);

  if (article != NULL)
    kq_library_set_read (self->library, article, !kq_article_get_read (article));
}

static void
next_unread_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  if (!kq_article_list_select_unread (self->article_list, TRUE))
    gtk_widget_error_bell (widget);
}

static void
previous_unread_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  if (!kq_article_list_select_unread (self->article_list, FALSE))
    gtk_widget_error_bell (widget);
}

/* The rows' context menu: an article of the list shown, by (source, id). */

static KqArticle *
listed_article (KqWindow *self,
                GVariant *parameter)
{
  const char *source;
  gint64 id;

  g_variant_get (parameter, "(&sx)", &source, &id);
  if (self->article != NULL && kq_article_get_id (self->article) == id &&
      g_strcmp0 (kq_article_get_source (self->article), source) == 0)
    return self->article;

  return self->feed != NULL ? kq_article_feed_lookup (self->feed, source, id) : NULL;
}

static void
article_toggle_read_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);
  KqArticle *article = listed_article (self, parameter);

  if (article != NULL)
    kq_library_set_read (self->library, article, !kq_article_get_read (article));
}

static void
article_open_in_browser_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);
  KqArticle *article = listed_article (self, parameter);

  /* The article view's launcher: the one links in bodies use. */
  if (article != NULL)
    kq_article_view_open_uri (self->article_view, kq_article_get_link (article));
}

static void
article_copy_link_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);
  KqArticle *article = listed_article (self, parameter);
  const char *link = article != NULL ? kq_article_get_link (article) : NULL;

  if (link != NULL && kq_url_is_http (link))
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), link);
}

/* Space: the article a page down, and at its end the next unread one. */
static void
read_on_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  if (self->article != NULL && kq_article_view_scroll_page (self->article_view))
    return;
  next_unread_action (widget, action_name, parameter);
}

/* Space is the list's or a button's own key when they have the focus: the
 * window takes it first, but leaves it to what types text or is pressed. */
static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   KqWindow              *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if ((keyval != GDK_KEY_space && keyval != GDK_KEY_KP_Space) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;
  if (focus != NULL &&
      (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus) || GTK_IS_BUTTON (focus) ||
       GTK_IS_CHECK_BUTTON (focus) || GTK_IS_SWITCH (focus) ||
       gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL ||
       (!gtk_widget_is_ancestor (focus, GTK_WIDGET (self->article_list)) &&
        !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->article_view)))))
    return FALSE;

  return gtk_widget_activate_action (GTK_WIDGET (self), "win.read-on", NULL);
}

void
_kq_window_add_key_controller (KqWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* Bookmarks */

typedef struct
{
  KqWindow *self;
  gboolean  added;
} BookmarkSave;

static void
on_bookmark_saved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  BookmarkSave *save = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_library_set_bookmarked_finish (KQ_LIBRARY (object), result, &error))
    {
      g_autofree char *title = save->added
        ? g_strdup_printf (_("Could not save the bookmark: %s"), error->message)
        : g_strdup_printf (_("Could not remove the bookmark: %s"), error->message);

      _kq_window_toast (save->self, title, NULL, NULL);
    }

  g_object_unref (save->self);
  g_free (save);
}

static void
save_bookmark (KqWindow  *self,
               KqArticle *article,
               gboolean   bookmarked)
{
  BookmarkSave *save = g_new0 (BookmarkSave, 1);

  save->self = g_object_ref (self);
  save->added = bookmarked;
  kq_library_set_bookmarked_async (self->library, article, bookmarked, on_bookmark_saved_cb, save);
}

/* From the header button, Ctrl+D or the article view's own action. */
void
_kq_window_set_bookmarked (KqWindow  *self,
                           KqArticle *article,
                           gboolean   bookmarked)
{
  save_bookmark (self, article, bookmarked);
  if (!bookmarked)
    {
      g_set_object (&self->removed_bookmark, article);
      _kq_window_toast (self, _("Bookmark removed"), _("_Undo"), "win.undo-remove-bookmark");
    }
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
article_toggle_bookmark_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);
  KqArticle *article = listed_article (self, parameter);

  if (article != NULL)
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
    save_bookmark (self, article, TRUE);
}

/* Mark all as read */

static void
on_marked_all_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_library_mark_all_read_finish (KQ_LIBRARY (object), result, &error) &&
      !is_cancelled (error))
    _kq_window_toast (self, error->message, NULL, NULL);
}

static void
mark_all_read_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  if (self->feed != NULL)
    kq_library_mark_all_read_async (self->library, self->feed, on_marked_all_read_cb,
                                    g_object_ref (self));
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

  n = kq_library_export_bookmarks_finish (KQ_LIBRARY (object), result, &error);
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

  n = kq_library_import_bookmarks_finish (KQ_LIBRARY (object), result, &error);
  if (error != NULL)
    title = g_strdup_printf (_("Could not import the bookmarks: %s"), error->message);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d bookmark imported",
                                          "%d bookmarks imported", (gulong) n), (int) n);
  _kq_window_toast (self, title, NULL, NULL);
}

/* What the file chooser leads to (the tests call these directly). */
void
_kq_window_export_bookmarks (KqWindow *self,
                             GFile    *file,
                             gboolean  html)
{
  g_return_if_fail (G_IS_FILE (file));

  kq_library_export_bookmarks_async (self->library, file, html, self->cancellable,
                                     on_exported_cb, g_object_ref (self));
}

void
_kq_window_import_bookmarks (KqWindow *self,
                             GFile    *file)
{
  g_return_if_fail (G_IS_FILE (file));

  kq_library_import_bookmarks_async (self->library, file, self->cancellable, on_imported_cb,
                                     g_object_ref (self));
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

  if (!kq_library_clear_cache_finish (KQ_LIBRARY (object), result, &error))
    {
      if (!is_cancelled (error))
        _kq_window_toast (self, error->message, NULL, NULL);
      return;
    }

  _kq_window_toast (self, _("Cache cleared; bookmarks were kept"), NULL, NULL);
}

static void
clear_cache_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KqWindow *self = KQ_WINDOW (widget);

  kq_library_clear_cache_async (self->library, self->cancellable, on_cache_cleared_cb,
                                g_object_ref (self));
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

  gtk_widget_class_install_action (widget_class, "win.next-unread", NULL, next_unread_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, 0, "win.next-unread", NULL);
  gtk_widget_class_install_action (widget_class, "win.previous-unread", NULL, previous_unread_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "win.previous-unread", NULL);

  gtk_widget_class_install_action (widget_class, "win.read-on", NULL, read_on_action);

  /* Shift+U, as Geary marks a message unread; again marks it read. */
  gtk_widget_class_install_action (widget_class, "win.toggle-read", NULL, toggle_read_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_U, GDK_SHIFT_MASK, "win.toggle-read", NULL);

  gtk_widget_class_install_action (widget_class, "win.article-toggle-read", "(sx)",
                                   article_toggle_read_action);
  gtk_widget_class_install_action (widget_class, "win.article-toggle-bookmark", "(sx)",
                                   article_toggle_bookmark_action);
  gtk_widget_class_install_action (widget_class, "win.article-open-in-browser", "(sx)",
                                   article_open_in_browser_action);
  gtk_widget_class_install_action (widget_class, "win.article-copy-link", "(sx)",
                                   article_copy_link_action);

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
