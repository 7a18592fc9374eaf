/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-window"

#include "config.h"

#include "kq-window-private.h"

/* Categories: from the cache, then from the site; unread counts in the sidebar. */

static void
on_store_categories_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;
  gint64 selected_id;

  categories = kq_store_list_categories_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    {
      if (!_kq_window_is_cancelled (error))
        g_warning ("Could not read the categories: %s", error->message);
      return;
    }

  kq_sidebar_set_categories (self->sidebar, categories);

  /* The list restored at launch may be a category only known now. */
  if (self->search_text == NULL &&
      (kq_sidebar_get_selected (self->sidebar, &selected_id) != self->kind ||
       (self->kind == KQ_SIDEBAR_CATEGORY && selected_id != self->category_id)))
    {
      g_signal_handlers_block_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      kq_sidebar_select (self->sidebar, self->kind, self->category_id);
      g_signal_handlers_unblock_matched (self->sidebar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      adw_window_title_set_title (self->list_title, kq_sidebar_get_selected_name (self->sidebar));
    }
}

static void
on_unread_counted_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 count;

  count = kq_store_count_unread_finish (KQ_STORE (object), result, &error);
  if (error != NULL)
    {
      if (!_kq_window_is_cancelled (error))
        g_warning ("Could not count the unread articles: %s", error->message);
      return;
    }

  kq_sidebar_set_unread_count (self->sidebar, KQ_SIDEBAR_ALL, 0, (int) MIN (count, G_MAXINT));
}

/* The categories with their unread counts, and "À la une"'s (the whole site's). */
void
_kq_window_read_categories (KqWindow *self)
{
  kq_store_list_categories_async (self->store, kq_source_get_url (self->source),
                                  self->cancellable, on_store_categories_cb,
                                  g_object_ref (self));
  kq_store_count_unread_async (self->store, kq_source_get_url (self->source), 0,
                               self->cancellable, on_unread_counted_cb, g_object_ref (self));
}

static void
on_categories_saved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_upsert_categories_finish (KQ_STORE (object), result, &error))
    {
      if (!_kq_window_is_cancelled (error))
        g_warning ("Could not save the categories: %s", error->message);
      return;
    }

  _kq_window_read_categories (self);
}

static void
on_site_categories_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(KqWindow) self = user_data;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;

  categories = kq_source_list_categories_finish (KQ_SOURCE (object), result, &error);
  _kq_window_loading_end (self);
  if (error != NULL)
    {
      if (!_kq_window_is_cancelled (error))
        g_debug ("Could not list the categories: %s", error->message);
      return;
    }

  if (kq_sidebar_get_n_categories (self->sidebar) == 0)
    kq_sidebar_set_categories (self->sidebar, categories);
  kq_store_upsert_categories_async (self->store, kq_source_get_url (self->source), categories,
                                    self->cancellable, on_categories_saved_cb,
                                    g_object_ref (self));
}

void
_kq_window_load_categories (KqWindow *self)
{
  if (self->offline)
    return;

  _kq_window_loading_begin (self);
  kq_source_list_categories_async (self->source, self->cancellable, on_site_categories_cb,
                                   g_object_ref (self));
}

static gboolean
update_counts_cb (gpointer data)
{
  KqWindow *self = data;

  self->counts_timeout_id = 0;
  _kq_window_read_categories (self);

  return G_SOURCE_REMOVE;
}

/* Unread counts change as articles are read or arrive: re-read them soon. */
void
_kq_window_queue_counts (KqWindow *self)
{
  if (self->counts_timeout_id == 0)
    self->counts_timeout_id = g_timeout_add (400, update_counts_cb, self);
}

