/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-category.h"
#include "kq-sidebar.h"

/*
 * The sidebar: a search entry, then "À la une", "Favoris" and the site's
 * categories in the site's order, each with a count (unread articles, or the
 * number of bookmarks). Entries are plain GtkListBoxRows: a site has tens of
 * categories, not thousands.
 */

struct _KqSidebar
{
  GtkWidget       parent_instance;

  GtkListBoxRow  *all_row;
  GtkListBoxRow  *bookmarks_row;
  GPtrArray      *category_rows;   /* GtkListBoxRow, borrowed from the list box */
  GtkWidget      *categories_header;

  GtkSearchEntry *search_entry;
  GtkListBox     *list_box;
};

G_DEFINE_FINAL_TYPE (KqSidebar, kq_sidebar, GTK_TYPE_WIDGET)

enum {
  SELECTED,
  SEARCH_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

#define ROW_KIND  "kq-sidebar-kind"
#define ROW_ID    "kq-sidebar-id"
#define ROW_NAME  "kq-sidebar-name"
#define ROW_COUNT "kq-sidebar-count"

static GtkListBoxRow *
create_row (KqSidebarKind  kind,
            gint64         id,
            const char    *name,
            const char    *icon_name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *count = gtk_label_new (NULL);

  if (icon_name != NULL)
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_set_visible (count, FALSE);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data (G_OBJECT (row), ROW_KIND, GINT_TO_POINTER (kind));
  g_object_set_data_full (G_OBJECT (row), ROW_ID, g_memdup2 (&id, sizeof id), g_free);
  g_object_set_data_full (G_OBJECT (row), ROW_NAME, g_strdup (name), g_free);
  g_object_set_data (G_OBJECT (row), ROW_COUNT, count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  return GTK_LIST_BOX_ROW (row);
}

static KqSidebarKind
row_kind (GtkListBoxRow *row)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), ROW_KIND));
}

static gint64
row_id (GtkListBoxRow *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), ROW_ID);

  return id ? *id : 0;
}

static void
set_row_count (GtkListBoxRow *row,
               int            count)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (row), ROW_COUNT);
  g_autofree char *text = count > 0 ? g_strdup_printf ("%d", count) : NULL;

  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), count > 0);
}

static GtkListBoxRow *
find_row (KqSidebar     *self,
          KqSidebarKind  kind,
          gint64         category_id)
{
  if (kind == KQ_SIDEBAR_ALL)
    return self->all_row;
  if (kind == KQ_SIDEBAR_BOOKMARKS)
    return self->bookmarks_row;

  for (guint i = 0; i < self->category_rows->len; i++)
    {
      GtkListBoxRow *row = g_ptr_array_index (self->category_rows, i);

      if (row_id (row) == category_id)
        return row;
    }

  return NULL;
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  KqSidebar *self = user_data;

  if (row_kind (row) == KQ_SIDEBAR_CATEGORY && before != NULL &&
      row_kind (before) != KQ_SIDEBAR_CATEGORY)
    {
      if (gtk_list_box_row_get_header (row) == NULL)
        {
          GtkWidget *label = gtk_label_new (_("Categories"));

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_add_css_class (label, "heading");
          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_set_margin_start (label, 12);
          gtk_widget_set_margin_top (label, 12);
          gtk_widget_set_margin_bottom (label, 6);
          gtk_list_box_row_set_header (row, label);
          self->categories_header = label;
        }
    }
  else
    gtk_list_box_row_set_header (row, NULL);
}

static void
on_row_selected_cb (KqSidebar     *self,
                    GtkListBoxRow *row)
{
  if (row == NULL)
    return;

  g_signal_emit (self, signals [SELECTED], 0, row_kind (row), row_id (row),
                 (const char *) g_object_get_data (G_OBJECT (row), ROW_NAME));
}

/* The row already selected, tapped again (after Back in a folded window):
 * its list is asked for again, which shows it. */
static void
on_row_activated_cb (KqSidebar     *self,
                     GtkListBoxRow *row)
{
  if (row == gtk_list_box_get_selected_row (self->list_box))
    on_row_selected_cb (self, row);
}

static void
on_search_changed_cb (KqSidebar      *self,
                      GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_signal_emit (self, signals [SEARCH_CHANGED], 0, stripped);
}

static void
on_stop_search_cb (KqSidebar      *self,
                   GtkSearchEntry *entry)
{
  /* Escape clears the search and goes back to the list it covered. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit (self, signals [SEARCH_CHANGED], 0, "");
}

static void
kq_sidebar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KQ_TYPE_SIDEBAR);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (kq_sidebar_parent_class)->dispose (object);
}

static void
kq_sidebar_finalize (GObject *object)
{
  KqSidebar *self = KQ_SIDEBAR (object);

  g_clear_pointer (&self->category_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (kq_sidebar_parent_class)->finalize (object);
}

static void
kq_sidebar_class_init (KqSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kq_sidebar_dispose;
  object_class->finalize = kq_sidebar_finalize;

  /**
   * KqSidebar::selected:
   * @kind: a #KqSidebarKind
   * @category_id: the category, for %KQ_SIDEBAR_CATEGORY
   * @name: the entry's label
   */
  signals [SELECTED] =
    g_signal_new ("selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT64, G_TYPE_STRING);
  /**
   * KqSidebar::search-changed:
   * @text: the search, stripped; empty when the search ends
   *
   * Emitted as the user types, debounced.
   */
  signals [SEARCH_CHANGED] =
    g_signal_new ("search-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/kq-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, KqSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KqSidebar, list_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kq_sidebar_init (KqSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->category_rows = g_ptr_array_new ();

  self->all_row = create_row (KQ_SIDEBAR_ALL, 0, _("Latest"), "document-open-recent-symbolic");
  self->bookmarks_row = create_row (KQ_SIDEBAR_BOOKMARKS, 0, _("Bookmarks"), "starred-symbolic");
  gtk_widget_set_name (GTK_WIDGET (self->all_row), "sidebar-all");
  gtk_widget_set_name (GTK_WIDGET (self->bookmarks_row), "sidebar-bookmarks");
  gtk_list_box_append (self->list_box, GTK_WIDGET (self->all_row));
  gtk_list_box_append (self->list_box, GTK_WIDGET (self->bookmarks_row));
  gtk_list_box_set_header_func (self->list_box, header_func, self, NULL);

  gtk_search_entry_set_search_delay (self->search_entry, 250);
  g_signal_connect_object (self->list_box, "row-selected",
                           G_CALLBACK (on_row_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list_box, "row-activated",
                           G_CALLBACK (on_row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (on_search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search",
                           G_CALLBACK (on_stop_search_cb), self, G_CONNECT_SWAPPED);
}

KqSidebar *
kq_sidebar_new (void)
{
  return g_object_new (KQ_TYPE_SIDEBAR, NULL);
}

/**
 * kq_sidebar_set_categories:
 * @categories: (element-type KqCategory): the site's categories, in order
 */
void
kq_sidebar_set_categories (KqSidebar *self,
                           GPtrArray *categories)
{
  GtkListBoxRow *selected;
  gint64 selected_id = 0;
  gboolean category_selected;

  g_return_if_fail (KQ_IS_SIDEBAR (self));

  selected = gtk_list_box_get_selected_row (self->list_box);
  category_selected = selected != NULL && row_kind (selected) == KQ_SIDEBAR_CATEGORY;
  if (category_selected)
    selected_id = row_id (selected);

  /* Same categories in the same order: only refresh the counts. */
  if (categories != NULL && categories->len == self->category_rows->len)
    {
      gboolean same = TRUE;

      for (guint i = 0; i < categories->len && same; i++)
        {
          KqCategory *category = g_ptr_array_index (categories, i);
          GtkListBoxRow *row = g_ptr_array_index (self->category_rows, i);

          same = row_id (row) == kq_category_get_id (category) &&
                 g_strcmp0 (g_object_get_data (G_OBJECT (row), ROW_NAME),
                            kq_category_get_name (category)) == 0;
        }
      if (same)
        {
          for (guint i = 0; i < categories->len; i++)
            set_row_count (g_ptr_array_index (self->category_rows, i),
                           kq_category_get_unread_count (g_ptr_array_index (categories, i)));
          return;
        }
    }

  for (guint i = 0; i < self->category_rows->len; i++)
    gtk_list_box_remove (self->list_box, g_ptr_array_index (self->category_rows, i));
  g_ptr_array_set_size (self->category_rows, 0);

  for (guint i = 0; categories != NULL && i < categories->len; i++)
    {
      KqCategory *category = g_ptr_array_index (categories, i);
      GtkListBoxRow *row = create_row (KQ_SIDEBAR_CATEGORY, kq_category_get_id (category),
                                       kq_category_get_name (category), NULL);

      set_row_count (row, kq_category_get_unread_count (category));
      gtk_list_box_append (self->list_box, GTK_WIDGET (row));
      g_ptr_array_add (self->category_rows, row);
    }

  /* Keep the selected category without emitting "selected" again. */
  if (category_selected)
    {
      GtkListBoxRow *row = find_row (self, KQ_SIDEBAR_CATEGORY, selected_id);

      g_signal_handlers_block_by_func (self->list_box, on_row_selected_cb, self);
      gtk_list_box_select_row (self->list_box, row ? row : self->all_row);
      g_signal_handlers_unblock_by_func (self->list_box, on_row_selected_cb, self);
      if (row == NULL)
        on_row_selected_cb (self, self->all_row);
    }
}

guint
kq_sidebar_get_n_categories (KqSidebar *self)
{
  g_return_val_if_fail (KQ_IS_SIDEBAR (self), 0);

  return self->category_rows->len;
}

void
kq_sidebar_set_bookmark_count (KqSidebar *self,
                               guint      count)
{
  g_return_if_fail (KQ_IS_SIDEBAR (self));

  set_row_count (self->bookmarks_row, (int) count);
}

void
kq_sidebar_set_unread_count (KqSidebar     *self,
                             KqSidebarKind  kind,
                             gint64         category_id,
                             int            count)
{
  GtkListBoxRow *row;

  g_return_if_fail (KQ_IS_SIDEBAR (self));

  row = find_row (self, kind, category_id);
  if (row != NULL)
    set_row_count (row, count);
}

/* The count shown on the entry: 0 when none is shown, -1 without such an entry. */
int
kq_sidebar_get_unread_count (KqSidebar     *self,
                             KqSidebarKind  kind,
                             gint64         category_id)
{
  GtkListBoxRow *row;
  GtkLabel *label;

  g_return_val_if_fail (KQ_IS_SIDEBAR (self), -1);

  if ((row = find_row (self, kind, category_id)) == NULL)
    return -1;
  label = g_object_get_data (G_OBJECT (row), ROW_COUNT);
  if (!gtk_widget_get_visible (GTK_WIDGET (label)))
    return 0;

  return (int) g_ascii_strtoll (gtk_label_get_text (label), NULL, 10);
}

gboolean
kq_sidebar_select (KqSidebar     *self,
                   KqSidebarKind  kind,
                   gint64         category_id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (KQ_IS_SIDEBAR (self), FALSE);

  row = find_row (self, kind, category_id);
  if (row == NULL)
    return FALSE;

  if (gtk_list_box_get_selected_row (self->list_box) == row)
    on_row_selected_cb (self, row);
  else
    gtk_list_box_select_row (self->list_box, row);

  return TRUE;
}

gboolean
kq_sidebar_select_nth (KqSidebar *self,
                       guint      index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (KQ_IS_SIDEBAR (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->list_box, (int) index);
  if (row == NULL)
    return FALSE;

  return kq_sidebar_select (self, row_kind (row), row_id (row));
}

KqSidebarKind
kq_sidebar_get_selected (KqSidebar *self,
                         gint64    *category_id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (KQ_IS_SIDEBAR (self), KQ_SIDEBAR_ALL);

  row = gtk_list_box_get_selected_row (self->list_box);
  if (category_id != NULL)
    *category_id = row ? row_id (row) : 0;

  return row ? row_kind (row) : KQ_SIDEBAR_ALL;
}

const char *
kq_sidebar_get_selected_name (KqSidebar *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (KQ_IS_SIDEBAR (self), NULL);

  row = gtk_list_box_get_selected_row (self->list_box);
  if (row == NULL)
    row = self->all_row;

  return g_object_get_data (G_OBJECT (row), ROW_NAME);
}

const char *
kq_sidebar_get_search_text (KqSidebar *self)
{
  g_return_val_if_fail (KQ_IS_SIDEBAR (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

void
kq_sidebar_set_search_text (KqSidebar  *self,
                            const char *text)
{
  g_return_if_fail (KQ_IS_SIDEBAR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
}

void
kq_sidebar_focus_search (KqSidebar *self)
{
  g_return_if_fail (KQ_IS_SIDEBAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}
