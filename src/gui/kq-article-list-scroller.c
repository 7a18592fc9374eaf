/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-list"

#include "config.h"

#include "kq-article-list-scroller.h"

/*
 * Between the scrolled window and the grid view, a scrollable that hands its
 * adjustments to the grid and answers for its height without asking it.
 * GTK 4.8's grid view is measured at no width whoever asks (its request mode
 * is constant size), which it answers by laying out every row it keeps at
 * the narrowest column (20 characters), before laying them out again at the
 * width they get: the window asks on every relayout for its minimum size and
 * the scrolled window for its scrollbar, and it was most of the time between
 * the first frame and the cached rows. The scrolled window throws the height
 * away but to show its scrollbar or not: the height laid out last (the
 * vertical adjustment's upper bound) tells it as well, and when that changes
 * the scrolled window looks again.
 */

struct _KqArticleListScroller
{
  GtkWidget  parent_instance;
  GtkWidget *child;   /* the grid view (owned as a child) */
};

enum {
  SCROLLER_PROP_0,
  SCROLLER_PROP_HADJUSTMENT,
  SCROLLER_PROP_VADJUSTMENT,
  SCROLLER_PROP_HSCROLL_POLICY,
  SCROLLER_PROP_VSCROLL_POLICY,
};

G_DEFINE_FINAL_TYPE_WITH_CODE (KqArticleListScroller, kq_article_list_scroller, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static const char *
scroller_property_name (guint prop_id)
{
  switch (prop_id)
    {
    case SCROLLER_PROP_HADJUSTMENT: return "hadjustment";
    case SCROLLER_PROP_VADJUSTMENT: return "vadjustment";
    case SCROLLER_PROP_HSCROLL_POLICY: return "hscroll-policy";
    case SCROLLER_PROP_VSCROLL_POLICY: return "vscroll-policy";
    default: return NULL;
    }
}

static void
kq_article_list_scroller_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  KqArticleListScroller *self = KQ_ARTICLE_LIST_SCROLLER (object);
  const char *name = scroller_property_name (prop_id);

  if (name == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (self->child != NULL)
    g_object_get_property (G_OBJECT (self->child), name, value);
}

static void
kq_article_list_scroller_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  KqArticleListScroller *self = KQ_ARTICLE_LIST_SCROLLER (object);
  const char *name = scroller_property_name (prop_id);

  if (name == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (self->child != NULL)
    g_object_set_property (G_OBJECT (self->child), name, value);
}

static GtkSizeRequestMode
kq_article_list_scroller_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
kq_article_list_scroller_measure (GtkWidget      *widget,
                                  GtkOrientation  orientation,
                                  int             for_size,
                                  int            *minimum,
                                  int            *natural,
                                  int            *minimum_baseline,
                                  int            *natural_baseline)
{
  KqArticleListScroller *self = KQ_ARTICLE_LIST_SCROLLER (widget);

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->child));

      *minimum = *natural = vadjustment != NULL ? (int) gtk_adjustment_get_upper (vadjustment) : 0;
      *minimum_baseline = *natural_baseline = -1;
      return;
    }

  gtk_widget_measure (self->child, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
kq_article_list_scroller_size_allocate (GtkWidget *widget,
                                        int        width,
                                        int        height,
                                        int        baseline)
{
  KqArticleListScroller *self = KQ_ARTICLE_LIST_SCROLLER (widget);

  gtk_widget_allocate (self->child, width, height, baseline, NULL);
}

static void
kq_article_list_scroller_dispose (GObject *object)
{
  KqArticleListScroller *self = KQ_ARTICLE_LIST_SCROLLER (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (kq_article_list_scroller_parent_class)->dispose (object);
}

static void
kq_article_list_scroller_class_init (KqArticleListScrollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kq_article_list_scroller_dispose;
  object_class->get_property = kq_article_list_scroller_get_property;
  object_class->set_property = kq_article_list_scroller_set_property;
  g_object_class_override_property (object_class, SCROLLER_PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, SCROLLER_PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, SCROLLER_PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, SCROLLER_PROP_VSCROLL_POLICY, "vscroll-policy");

  widget_class->get_request_mode = kq_article_list_scroller_get_request_mode;
  widget_class->measure = kq_article_list_scroller_measure;
  widget_class->size_allocate = kq_article_list_scroller_size_allocate;
}

static void
kq_article_list_scroller_init (KqArticleListScroller *self)
{
}

GtkWidget *
kq_article_list_scroller_new (GtkWidget *child)
{
  KqArticleListScroller *self = g_object_new (KQ_TYPE_ARTICLE_LIST_SCROLLER, NULL);

  self->child = child;
  gtk_widget_set_parent (child, GTK_WIDGET (self));

  return GTK_WIDGET (self);
}
