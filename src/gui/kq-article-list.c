/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-list"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <string.h>

#include "kq-article-list.h"
#include "kq-article-list-scroller.h"
#include "kq-article-row.h"

/*
 * A one-column GtkGridView over the articles, with one extra row at the end
 * while more pages exist (a spinner) or after one failed (a "Retry" button).
 * The view's model is a flattening of [articles, footer]; the footer is a
 * GtkStringList of zero or one state string.
 *
 * Not a GtkListView: in GTK 4.8 a list view keeps 200 rows built, bound and
 * styled around its anchor whatever its height (GTK_LIST_VIEW_MAX_LIST_ITEMS),
 * about 7 MiB with their thumbnails; a grid view keeps 30 rows per column plus
 * a few (GTK_GRID_VIEW_MAX_VISIBLE_ROWS), more than a tall screen shows.
 */

struct _KqArticleList
{
  GtkWidget           parent_instance;

  GListModel         *model;          /* the articles */
  GtkStringList      *footer;
  GListStore         *parts;
  GtkSingleSelection *selection;
  GPtrArray          *rows;           /* live KqArticleRow widgets (borrowed) */
  KqArticleListMore   more;
  char               *error_message;
  gboolean            show_images;
  KqArticle          *pressed;        /* selected when pressed (weak), or NULL */
  guint               check_end_id;
  guint               date_timer_id;
  gboolean            has_pending;    /* the selected row kept at pending_offset: */
  double              pending_offset; /* below the top of the visible rows, in px */
  double              kept_scroll;    /* where the rows shown moved to, or -1 */
  double              row_height;     /* on average, when last laid out */
  guint               scroll_idle_id;
  GtkWidget          *context_menu;   /* the rows' menu (a GtkPopoverMenu child), or NULL */

  GtkScrolledWindow  *scrolled_window;
  GtkGridView        *list_view;
};

G_DEFINE_FINAL_TYPE (KqArticleList, kq_article_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_MORE,
  PROP_SELECTED,
  N_PROPS
};

enum {
  ARTICLE_SELECTED,
  LOAD_MORE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static guint
n_articles (KqArticleList *self)
{
  return self->model ? g_list_model_get_n_items (self->model) : 0;
}

static void
maybe_load_more (KqArticleList *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double value = gtk_adjustment_get_value (adj);
  double page = gtk_adjustment_get_page_size (adj);
  double upper = gtk_adjustment_get_upper (adj);

  if (self->more != KQ_ARTICLE_LIST_MORE_AVAILABLE || self->model == NULL)
    return;

  /* Within a screenful of the end (or the list does not fill the view). */
  if (upper - (value + page) <= MAX (page, 200))
    {
      g_debug ("Near the end of %u articles: loading more", n_articles (self));
      g_signal_emit (self, signals [LOAD_MORE], 0);
    }
}

static gboolean
check_end_cb (gpointer data)
{
  KqArticleList *self = data;

  self->check_end_id = 0;
  maybe_load_more (self);

  return G_SOURCE_REMOVE;
}

static void
queue_check_end (KqArticleList *self)
{
  if (self->check_end_id == 0)
    self->check_end_id = g_idle_add_full (G_PRIORITY_LOW, check_end_cb, self, NULL);
}

/* The grid view takes the rows to show from the value when it changes; a
 * value it computed itself from rows it never measured (counted as empty)
 * can already be the one asked for while other rows are shown. */
static void
set_value (KqArticleList *self,
           GtkAdjustment *adj,
           double         value)
{
  if (fabs (gtk_adjustment_get_value (adj) - value) >= 0.5)
    gtk_adjustment_set_value (adj, value);
  else if (n_articles (self) > 0 && gtk_adjustment_get_upper (adj) > value)
    g_signal_emit_by_name (adj, "value-changed");
}

/* Whether the grid view can take a position: shown, with a width (else it
 * finds no row there and warns). */
static gboolean
is_laid_out (KqArticleList *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

  return gtk_widget_get_mapped (GTK_WIDGET (self->list_view)) &&
         gtk_widget_get_width (GTK_WIDGET (self->list_view)) > 0 &&
         gtk_adjustment_get_page_size (adj) > 0 && n_articles (self) > 0;
}

/* Where the pending position is now: wherever the selected row went
 * meanwhile (rows added above it). FALSE until the rows have been laid out
 * once. */
static gboolean
pending_target (KqArticleList *self,
                double        *target)
{
  guint selected;

  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION)
    {
      self->has_pending = FALSE;
      return FALSE;
    }
  if (self->row_height <= 0)
    return FALSE;

  /* One column: each row as high as the others on average. */
  *target = MAX (selected * self->row_height - self->pending_offset, 0);
  return TRUE;
}

/* A position asked for before the rows reached it (a restart, the rows
 * still coming from the cache) is taken as soon as they do. */
static void
apply_pending_scroll (KqArticleList *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double reachable = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
  double target;

  if (!self->has_pending || !is_laid_out (self) || !pending_target (self, &target))
    return;

  set_value (self, adj, MIN (target, MAX (reachable, 0)));
  if (reachable >= target)
    self->has_pending = FALSE;
}

/* Rows were added above the ones shown (new articles at the top, the reader
 * further down). GTK 4.8's grid view counts the rows it has not measured as
 * empty: it then puts its value near the top while showing the rows further
 * down, and the rows the value says are drawn blank and take no click until
 * scrolled. Once it has laid them out, the rows shown go back where they
 * were, below the new ones, at a value that says so. */
static void
apply_kept_scroll (KqArticleList *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double reachable = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
  double kept = self->kept_scroll;

  if (kept < 0 || reachable < kept || !is_laid_out (self))
    return;

  self->kept_scroll = -1;
  set_value (self, adj, kept);
}

static gboolean
apply_scroll_cb (gpointer data)
{
  KqArticleList *self = data;

  self->scroll_idle_id = 0;
  apply_pending_scroll (self);
  apply_kept_scroll (self);

  return G_SOURCE_REMOVE;
}

/* The grid view has laid its rows out. A position is not set from here:
 * the grid view does not hear of changes of the value it is configuring. */
static void
on_adjustment_changed_cb (KqArticleList *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (n_rows > 0 && gtk_adjustment_get_upper (adj) > 0)
    self->row_height = gtk_adjustment_get_upper (adj) / n_rows;
  if ((self->has_pending || self->kept_scroll >= 0) && self->scroll_idle_id == 0)
    self->scroll_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_scroll_cb, self, NULL);
  queue_check_end (self);
}

/* The value moves with rows added above the selected one too: a pending
 * position ends with the reader's own scrolling only (below). */
static void
on_adjustment_value_changed_cb (KqArticleList *self)
{
  queue_check_end (self);
}

/* The reader scrolls: a position kept for the selected row ends there. */
static gboolean
on_scroll_cb (KqArticleList            *self,
              double                    dx,
              double                    dy,
              GtkEventControllerScroll *controller)
{
  self->has_pending = FALSE;

  return GDK_EVENT_PROPAGATE;
}

static void
on_retry_clicked_cb (KqArticleList *self)
{
  kq_article_list_set_more (self, KQ_ARTICLE_LIST_MORE_AVAILABLE, NULL);
  g_signal_emit (self, signals [LOAD_MORE], 0);
}

static gboolean
update_dates_cb (gpointer data)
{
  KqArticleList *self = data;

  for (guint i = 0; i < self->rows->len; i++)
    kq_article_row_update_date (g_ptr_array_index (self->rows, i));

  return G_SOURCE_CONTINUE;
}

static GtkWidget *
create_header (const char *state)
{
  const char *text = state + strlen ("header:");
  GtkWidget *label = gtk_label_new (*text ? text : _("On the Site"));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 6);

  return label;
}

static GtkWidget *
create_footer (KqArticleList *self,
               const char    *state)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_add_css_class (box, "kq-list-footer");

  if (g_str_equal (state, "failed"))
    {
      GtkWidget *label = gtk_label_new (self->error_message ? self->error_message
                                                            : _("Could not load more articles"));
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Retry"));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_set_name (button, "retry-more-button");
      /* GTK 4.8 would announce the raw label, underscore included. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Retry"), -1);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_retry_clicked_cb),
                               self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), button);
    }
  else
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_accessible_update_property (GTK_ACCESSIBLE (spinner),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading more articles"),
                                      -1);
      gtk_box_append (GTK_BOX (box), spinner);
    }

  return box;
}

/* The grid's cells are what assistive technologies list: each is named after
 * what it shows (unnamed, GTK 4.8 would name a grid cell after its type). */
static void
label_cell (GtkWidget  *child,
            const char *label)
{
  GtkWidget *cell = gtk_widget_get_parent (child);

  if (cell != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    label != NULL ? label : "", -1);
}

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             KqArticleList            *self)
{
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            KqArticleList            *self)
{
  GObject *object = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);

  if (KQ_IS_ARTICLE (object))
    {
      if (!KQ_IS_ARTICLE_ROW (child))
        {
          child = GTK_WIDGET (kq_article_row_new ());
          gtk_list_item_set_child (item, child);
        }
      if (!g_ptr_array_find (self->rows, child, NULL))
        g_ptr_array_add (self->rows, child);
      kq_article_row_set_show_images (KQ_ARTICLE_ROW (child), self->show_images);
      kq_article_row_set_article (KQ_ARTICLE_ROW (child), KQ_ARTICLE (object));
      label_cell (child, kq_article_get_title (KQ_ARTICLE (object)));
      gtk_list_item_set_selectable (item, TRUE);
      gtk_list_item_set_activatable (item, TRUE);
    }
  else
    {
      const char *state = gtk_string_object_get_string (GTK_STRING_OBJECT (object));

      if (child != NULL && KQ_IS_ARTICLE_ROW (child))
        g_ptr_array_remove (self->rows, child);
      gtk_list_item_set_selectable (item, FALSE);
      gtk_list_item_set_activatable (item, FALSE);
      /* Section headers ("Sur le site") come with the model. */
      if (g_str_has_prefix (state, "header:"))
        {
          child = create_header (state);
          gtk_list_item_set_child (item, child);
          label_cell (child, gtk_label_get_text (GTK_LABEL (child)));
          return;
        }
      child = create_footer (self, state);
      gtk_list_item_set_child (item, child);
      label_cell (child, NULL);
      /* The footer is on screen: the end is near. */
      queue_check_end (self);
    }
}

static void
on_unbind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              KqArticleList            *self)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (KQ_IS_ARTICLE_ROW (child))
    kq_article_row_set_article (KQ_ARTICLE_ROW (child), NULL);
}

static void
on_teardown_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                KqArticleList            *self)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (child != NULL)
    g_ptr_array_remove (self->rows, child);
}

static void
on_selected_changed_cb (KqArticleList *self)
{
  KqArticle *article = kq_article_list_get_selected (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED]);
  if (article != NULL)
    g_signal_emit (self, signals [ARTICLE_SELECTED], 0, article);
}

static void
on_activate_cb (KqArticleList *self,
                guint          position)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  /* Enter or a click on the row already selected opens it again. */
  if (KQ_IS_ARTICLE (item))
    g_signal_emit (self, signals [ARTICLE_SELECTED], 0, item);
}

/* The row under a point of the grid view, if an article's. */
static KqArticle *
article_at (KqArticleList *self,
            double         x,
            double         y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = picked ? gtk_widget_get_ancestor (picked, KQ_TYPE_ARTICLE_ROW) : NULL;

  if (row == NULL && picked != NULL && KQ_IS_ARTICLE_ROW (gtk_widget_get_first_child (picked)))
    row = gtk_widget_get_first_child (picked);

  return row != NULL ? kq_article_row_get_article (KQ_ARTICLE_ROW (row)) : NULL;
}

/* The rows' context menu (right click, long press, Menu key): what the
 * window does with an article, named by its (source, id). */

static GMenuItem *
menu_item (const char *label,
           const char *action,
           KqArticle  *article)
{
  GMenuItem *item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target (item, action, "(sx)", kq_article_get_source (article),
                                     kq_article_get_id (article));
  return item;
}

static GMenuModel *
build_context_menu (KqArticle *article)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) open = g_menu_new ();
  g_autoptr(GMenu) state = g_menu_new ();
  GMenuItem *items[4];

  items[0] = menu_item (_("_Open in Browser"), "win.article-open-in-browser", article);
  items[1] = menu_item (_("_Copy Link"), "win.article-copy-link", article);
  items[2] = menu_item (kq_article_get_bookmarked (article) ? _("_Remove Bookmark") : _("_Bookmark"),
                        "win.article-toggle-bookmark", article);
  items[3] = menu_item (kq_article_get_read (article) ? _("Mark as _Unread") : _("Mark as _Read"),
                        "win.article-toggle-read", article);
  g_menu_append_item (open, items[0]);
  g_menu_append_item (open, items[1]);
  g_menu_append_item (state, items[2]);
  g_menu_append_item (state, items[3]);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    g_object_unref (items[i]);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (state));

  return G_MENU_MODEL (menu);
}

static void
on_context_menu_closed_cb (KqArticleList *self,
                           GtkPopover    *popover)
{
  /* After the item's action ran (it is activated before "closed"). */
  if (self->context_menu == GTK_WIDGET (popover))
    {
      self->context_menu = NULL;
      gtk_widget_unparent (GTK_WIDGET (popover));
    }
}

/* The row of @article, if built. */
static GtkWidget *
row_of (KqArticleList *self,
        KqArticle     *article)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (kq_article_row_get_article (KQ_ARTICLE_ROW (row)) == article && gtk_widget_get_mapped (row))
        return row;
    }
  return NULL;
}

/* Shows the menu for @article, at (@x, @y) of the list, or under its row (-1, -1). */
static void
popup_context_menu (KqArticleList *self,
                    KqArticle     *article,
                    double         x,
                    double         y)
{
  g_autoptr(GMenuModel) model = build_context_menu (article);
  GdkRectangle rect = { 0, 0, 1, 1 };
  GtkWidget *row;

  if (self->context_menu != NULL)
    {
      GtkWidget *old = g_steal_pointer (&self->context_menu);

      gtk_popover_popdown (GTK_POPOVER (old));
      gtk_widget_unparent (old);
    }

  if (x < 0 && (row = row_of (self, article)) != NULL)
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (row, GTK_WIDGET (self), &bounds))
        {
          x = bounds.origin.x + bounds.size.width / 2;
          y = bounds.origin.y + bounds.size.height;
        }
    }
  rect.x = (int) MAX (x, 0);
  rect.y = (int) MAX (y, 0);

  self->context_menu = gtk_popover_menu_new_from_model (model);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
  g_signal_connect_object (self->context_menu, "closed", G_CALLBACK (on_context_menu_closed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
on_secondary_pressed_cb (KqArticleList *self,
                         int            n_press,
                         double         x,
                         double         y,
                         GtkGesture    *gesture)
{
  KqArticle *article = article_at (self, x, y);
  graphene_point_t point;

  if (article == NULL)
    return;
  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  if (!gtk_widget_compute_point (GTK_WIDGET (self->list_view), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT ((float) x, (float) y), &point))
    point = GRAPHENE_POINT_INIT ((float) x, (float) y);
  popup_context_menu (self, article, point.x, point.y);
}

static void
on_long_pressed_cb (KqArticleList *self,
                    double         x,
                    double         y,
                    GtkGesture    *gesture)
{
  on_secondary_pressed_cb (self, 1, x, y, gesture);
}

static void
context_menu_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KqArticleList *self = KQ_ARTICLE_LIST (widget);

  kq_article_list_popup_context_menu (self, kq_article_list_get_selected (self));
}

/* Before the grid view's own handling: was the row pressed the selected one? */
static void
on_tap_pressed_cb (KqArticleList *self,
                   int            n_press,
                   double         x,
                   double         y,
                   GtkGesture    *gesture)
{
  KqArticle *article = article_at (self, x, y);

  self->pressed = article != NULL && article == kq_article_list_get_selected (self) ? article : NULL;
}

/* The row already selected, tapped (after Back in a folded window): no
 * selection changes, so it is opened again from here. */
static void
on_tap_released_cb (KqArticleList *self,
                    int            n_press,
                    double         x,
                    double         y,
                    GtkGesture    *gesture)
{
  KqArticle *article = article_at (self, x, y);

  if (n_press == 1 && article != NULL && article == self->pressed &&
      article == kq_article_list_get_selected (self))
    g_signal_emit (self, signals [ARTICLE_SELECTED], 0, article);
  self->pressed = NULL;
}

/* Called before the grid view hears of the change: the adjustment still
 * describes the rows as they were. */
static void
on_model_items_changed_cb (KqArticleList *self,
                           guint          position,
                           guint          removed,
                           guint          added,
                           GListModel    *model)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double value = self->kept_scroll >= 0 ? self->kept_scroll : gtk_adjustment_get_value (adj);

  queue_check_end (self);

  if (added <= removed || value <= 0 || self->has_pending)
    return;

  /* One column: each row as high as the others on average. */
  if (self->row_height <= 0 || position * self->row_height > value)
    return;

  self->kept_scroll = value + (added - removed) * self->row_height;
}

static void
kq_article_list_dispose (GObject *object)
{
  KqArticleList *self = KQ_ARTICLE_LIST (object);

  g_clear_handle_id (&self->check_end_id, g_source_remove);
  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  g_clear_handle_id (&self->date_timer_id, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_model_items_changed_cb, self);
  self->context_menu = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), KQ_TYPE_ARTICLE_LIST);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->selection);
  g_clear_object (&self->parts);
  g_clear_object (&self->footer);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (kq_article_list_parent_class)->dispose (object);
}

static void
kq_article_list_finalize (GObject *object)
{
  KqArticleList *self = KQ_ARTICLE_LIST (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (kq_article_list_parent_class)->finalize (object);
}

static void
kq_article_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KqArticleList *self = KQ_ARTICLE_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_MORE:
      g_value_set_int (value, self->more);
      break;
    case PROP_SELECTED:
      g_value_set_object (value, kq_article_list_get_selected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_article_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KqArticleList *self = KQ_ARTICLE_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      kq_article_list_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_article_list_class_init (KqArticleListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kq_article_list_dispose;
  object_class->finalize = kq_article_list_finalize;
  object_class->get_property = kq_article_list_get_property;
  object_class->set_property = kq_article_list_set_property;

  properties [PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_MORE] =
    g_param_spec_int ("more", NULL, NULL,
                      KQ_ARTICLE_LIST_MORE_NONE, KQ_ARTICLE_LIST_MORE_FAILED,
                      KQ_ARTICLE_LIST_MORE_NONE,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, KQ_TYPE_ARTICLE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KqArticleList::article-selected:
   * @article: the article the reader chose
   */
  signals [ARTICLE_SELECTED] =
    g_signal_new ("article-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, KQ_TYPE_ARTICLE);
  /**
   * KqArticleList::load-more:
   *
   * The reader scrolled near the end (or pressed Retry) while "more" is
   * available: the owner loads the next page and sets "more" accordingly.
   */
  signals [LOAD_MORE] =
    g_signal_new ("load-more", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/kq-article-list.ui");
  gtk_widget_class_bind_template_child (widget_class, KqArticleList, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, KqArticleList, list_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "list.context-menu", NULL, context_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "list.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "list.context-menu", NULL);
}

static void
kq_article_list_init (KqArticleList *self)
{
  GtkListItemFactory *factory;
  GtkEventController *scroll;
  GtkGesture *tap;
  GtkAdjustment *adj;
  GtkFlattenListModel *flat;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The grid goes into the scroller (above) in the scrolled window. */
  g_object_ref (self->list_view);
  gtk_scrolled_window_set_child (self->scrolled_window, NULL);
  gtk_scrolled_window_set_child (self->scrolled_window,
                                 kq_article_list_scroller_new (GTK_WIDGET (self->list_view)));
  g_object_unref (self->list_view);

  self->rows = g_ptr_array_new ();
  self->show_images = TRUE;
  self->kept_scroll = -1;
  self->footer = gtk_string_list_new (NULL);
  self->parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (self->parts, self->footer);

  flat = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->parts)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (flat));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (on_selected_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (on_setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (on_unbind_cb), self, 0);
  g_signal_connect_object (factory, "teardown", G_CALLBACK (on_teardown_cb), self, 0);
  gtk_grid_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->list_view, "activate",
                           G_CALLBACK (on_activate_cb), self, G_CONNECT_SWAPPED);

  tap = gtk_gesture_click_new ();
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (tap), "kq-tap-selected");
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (tap), GTK_PHASE_CAPTURE);
  g_signal_connect_object (tap, "pressed", G_CALLBACK (on_tap_pressed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (tap, "released", G_CALLBACK (on_tap_released_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (tap));

  tap = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (tap), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (tap, "pressed", G_CALLBACK (on_secondary_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (tap));
  tap = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (tap), TRUE);
  g_signal_connect_object (tap, "pressed", G_CALLBACK (on_long_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (tap));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect_object (scroll, "scroll", G_CALLBACK (on_scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled_window), scroll);

  adj = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (on_adjustment_value_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "changed", G_CALLBACK (on_adjustment_changed_cb),
                           self, G_CONNECT_SWAPPED);

  self->date_timer_id = g_timeout_add_seconds (60, update_dates_cb, self);
}

KqArticleList *
kq_article_list_new (void)
{
  return g_object_new (KQ_TYPE_ARTICLE_LIST, NULL);
}

/**
 * kq_article_list_get_model:
 *
 * Returns: (transfer none) (nullable): the articles listed
 */
GListModel *
kq_article_list_get_model (KqArticleList *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), NULL);

  return self->model;
}

void
kq_article_list_set_model (KqArticleList *self,
                           GListModel    *model)
{
  g_return_if_fail (KQ_IS_ARTICLE_LIST (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_model_items_changed_cb, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed",
                             G_CALLBACK (on_model_items_changed_cb), self, G_CONNECT_SWAPPED);

  /* Replace the articles part, keep the footer. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->parts)) == 2)
    g_list_store_remove (self->parts, 0);
  if (model != NULL)
    g_list_store_insert (self->parts, 0, model);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  kq_article_list_scroll_to_top (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODEL]);
}

KqArticleListMore
kq_article_list_get_more (KqArticleList *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), KQ_ARTICLE_LIST_MORE_NONE);

  return self->more;
}

/**
 * kq_article_list_set_more:
 * @error_message: (nullable): for %KQ_ARTICLE_LIST_MORE_FAILED, why
 */
void
kq_article_list_set_more (KqArticleList     *self,
                          KqArticleListMore  more,
                          const char        *error_message)
{
  const char *state = NULL;
  guint n;

  g_return_if_fail (KQ_IS_ARTICLE_LIST (self));

  g_free (self->error_message);
  self->error_message = g_strdup (error_message);

  switch (more)
    {
    case KQ_ARTICLE_LIST_MORE_NONE:
      break;
    case KQ_ARTICLE_LIST_MORE_AVAILABLE:
    case KQ_ARTICLE_LIST_MORE_LOADING:
      state = "loading";
      break;
    case KQ_ARTICLE_LIST_MORE_FAILED:
      state = "failed";
      break;
    default:
      g_return_if_reached ();
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->footer));
  if (state == NULL && n > 0)
    gtk_string_list_remove (self->footer, 0);
  else if (state != NULL &&
           (n == 0 || !g_str_equal (gtk_string_list_get_string (self->footer, 0), state) ||
            more == KQ_ARTICLE_LIST_MORE_FAILED))
    {
      const char * const strings[] = { state, NULL };

      gtk_string_list_splice (self->footer, 0, n, strings);
    }

  if (self->more != more)
    {
      self->more = more;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MORE]);
    }

  if (more == KQ_ARTICLE_LIST_MORE_AVAILABLE)
    queue_check_end (self);
}

/**
 * kq_article_list_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected article
 */
KqArticle *
kq_article_list_get_selected (KqArticleList *self)
{
  gpointer item;

  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), NULL);

  item = gtk_single_selection_get_selected_item (self->selection);

  return KQ_IS_ARTICLE (item) ? item : NULL;
}

gboolean
kq_article_list_select_position (KqArticleList *self,
                                 guint          position)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), FALSE);

  if (position >= n_articles (self))
    return FALSE;

  {
    g_autoptr(GObject) item = g_list_model_get_item (self->model, position);

    if (!KQ_IS_ARTICLE (item))
      return FALSE;
  }

  /* Where that row is, rather than a position asked for before. */
  self->has_pending = FALSE;
  self->kept_scroll = -1;
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);

  return TRUE;
}

gboolean
kq_article_list_select_article (KqArticleList *self,
                                const char    *source,
                                gint64         id)
{
  guint n;

  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), FALSE);

  n = n_articles (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (self->model, i);
      KqArticle *article = KQ_IS_ARTICLE (item) ? KQ_ARTICLE (item) : NULL;

      if (article != NULL && kq_article_get_id (article) == id &&
          g_strcmp0 (kq_article_get_source (article), source) == 0)
        return kq_article_list_select_position (self, i);
    }

  return FALSE;
}

gboolean
kq_article_list_select_next (KqArticleList *self)
{
  guint selected;

  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), FALSE);

  selected = gtk_single_selection_get_selected (self->selection);
  for (guint i = selected == GTK_INVALID_LIST_POSITION ? 0 : selected + 1;
       i < n_articles (self); i++)
    {
      if (kq_article_list_select_position (self, i))
        return TRUE;
    }

  return FALSE;
}

gboolean
kq_article_list_select_previous (KqArticleList *self)
{
  guint selected;

  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), FALSE);

  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION)
    return FALSE;

  for (guint i = selected; i > 0; i--)
    {
      if (kq_article_list_select_position (self, i - 1))
        return TRUE;
    }

  return FALSE;
}

/* The next (or previous) unread article after the selected one (from the
 * top, or the end, when none is), selected. */
gboolean
kq_article_list_select_unread (KqArticleList *self,
                               gboolean       forward)
{
  guint selected, n;

  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), FALSE);

  selected = gtk_single_selection_get_selected (self->selection);
  n = n_articles (self);
  if (selected == GTK_INVALID_LIST_POSITION)
    selected = forward ? G_MAXUINT : n;

  for (guint step = 1; step <= n; step++)
    {
      guint i = forward ? selected + step : selected - step;
      g_autoptr(GObject) item = NULL;

      if (i >= n)
        break;
      item = g_list_model_get_item (self->model, i);
      if (KQ_IS_ARTICLE (item) && !kq_article_get_read (KQ_ARTICLE (item)))
        return kq_article_list_select_position (self, i);
    }

  return FALSE;
}

/* The rows' context menu for @article (listed), under its row; the Menu
 * key and Shift+F10 open it for the selected one. Its items activate
 * win.article-open-in-browser, win.article-copy-link,
 * win.article-toggle-bookmark and win.article-toggle-read with the
 * article's (source, id). */
void
kq_article_list_popup_context_menu (KqArticleList *self,
                                    KqArticle     *article)
{
  g_return_if_fail (KQ_IS_ARTICLE_LIST (self));

  if (article != NULL)
    popup_context_menu (self, article, -1, -1);
}

/* The context menu open, or NULL. */
GtkWidget *
kq_article_list_get_context_menu (KqArticleList *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), NULL);

  return self->context_menu;
}

void
kq_article_list_unselect (KqArticleList *self)
{
  g_return_if_fail (KQ_IS_ARTICLE_LIST (self));

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* By the first row rather than by the value: just after rows came in at
 * the top, the grid view has not measured them yet, and value 0 would put
 * the first row it had measured at the top instead. */
void
kq_article_list_scroll_to_top (KqArticleList *self)
{
  g_return_if_fail (KQ_IS_ARTICLE_LIST (self));

  if (n_articles (self) == 0)
    {
      kq_article_list_set_scroll (self, 0);
      return;
    }

  self->has_pending = FALSE;
  self->kept_scroll = -1;
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
}

double
kq_article_list_get_scroll (KqArticleList *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), 0);

  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window));
}

/**
 * kq_article_list_set_scroll:
 * @value: the vertical position, in pixels from the top
 *
 * Scrolls there, or as far as the rows reach now.
 */
void
kq_article_list_set_scroll (KqArticleList *self,
                            double         value)
{
  g_return_if_fail (KQ_IS_ARTICLE_LIST (self));

  self->kept_scroll = -1;
  self->has_pending = FALSE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), value);
}

/**
 * kq_article_list_get_selected_offset:
 * @offset: (out): how far below the top of the visible rows the selected
 *   row's top is, in pixels (negative when it is above)
 *
 * Returns: FALSE when no row is selected or the rows were never laid out
 */
gboolean
kq_article_list_get_selected_offset (KqArticleList *self,
                                     double        *offset)
{
  guint selected;

  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), FALSE);

  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION || self->row_height <= 0)
    return FALSE;

  *offset = selected * self->row_height -
            gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window));
  return TRUE;
}

/**
 * kq_article_list_keep_selected_at:
 * @offset: how far below the top of the visible rows the selected row's top
 *   goes, in pixels
 *
 * Scrolls so, as soon as the rows reach that far, and keeps doing so for
 * the selected row wherever rows added meanwhile put it, until the reader
 * scrolls or selects (a restart: the row read last where it was, the new
 * articles above it).
 */
void
kq_article_list_keep_selected_at (KqArticleList *self,
                                  double         offset)
{
  g_return_if_fail (KQ_IS_ARTICLE_LIST (self));

  self->kept_scroll = -1;
  self->has_pending = TRUE;
  self->pending_offset = offset;
  apply_pending_scroll (self);
}

void
kq_article_list_set_show_images (KqArticleList *self,
                                 gboolean       show_images)
{
  g_return_if_fail (KQ_IS_ARTICLE_LIST (self));

  self->show_images = !!show_images;
  for (guint i = 0; i < self->rows->len; i++)
    kq_article_row_set_show_images (g_ptr_array_index (self->rows, i), self->show_images);
}

/**
 * kq_article_list_get_list_view:
 *
 * Returns: (transfer none): the list's GtkGridView (for focus and tests)
 */
GtkWidget *
kq_article_list_get_list_view (KqArticleList *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_LIST (self), NULL);

  return GTK_WIDGET (self->list_view);
}
