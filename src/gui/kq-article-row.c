/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-row"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "kq-article-row.h"
#include "kq-date-format.h"
#include "kq-thumbnail-loader.h"

struct _KqArticleRow
{
  GtkWidget     parent_instance;

  KqArticle    *article;
  GCancellable *thumbnail_cancellable;
  char         *thumbnail_url;     /* what the picture shows or is loading */
  int           thumbnail_scale;   /* the scale factor it was asked at */
  gboolean      show_images;

  /* Template children */
  GtkWidget    *box;
  GtkWidget    *unread_marker;
  GtkLabel     *category_label;
  GtkWidget    *bookmark_marker;
  GtkLabel     *title_label;
  GtkLabel     *excerpt_label;
  GtkLabel     *date_label;
  GtkWidget    *comments_box;
  GtkLabel     *comments_label;
  GtkPicture   *thumbnail;
};

G_DEFINE_FINAL_TYPE (KqArticleRow, kq_article_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ARTICLE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
update_accessible (KqArticleRow *self)
{
  const char *title = self->article ? kq_article_get_title (self->article) : NULL;
  const char *excerpt = self->article ? kq_article_get_excerpt (self->article) : NULL;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title ? title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, excerpt ? excerpt : "",
                                  -1);
}

static void
update_state (KqArticleRow *self)
{
  gboolean read = self->article == NULL || kq_article_get_read (self->article);
  gboolean bookmarked = self->article != NULL && kq_article_get_bookmarked (self->article);

  gtk_widget_set_visible (self->unread_marker, !read);
  gtk_widget_set_visible (self->bookmark_marker, bookmarked);
  if (read)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "unread");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "unread");
}

static void
on_thumbnail_loaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KqArticleRow) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = kq_thumbnail_loader_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("Thumbnail %s: %s", self->thumbnail_url, error->message);

  gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (texture));
  if (texture != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->thumbnail), "placeholder");
}

static void
update_thumbnail (KqArticleRow *self)
{
  const char *url = self->article && self->show_images
    ? kq_article_get_thumbnail_url (self->article) : NULL;
  guint image_width, image_height;
  int scale, width, height;
  gboolean same_url;

  if (url != NULL && *url == '\0')
    url = NULL;

  scale = CLAMP (gtk_widget_get_scale_factor (GTK_WIDGET (self)), 1, 4);
  same_url = g_strcmp0 (url, self->thumbnail_url) == 0;
  gtk_widget_set_visible (GTK_WIDGET (self->thumbnail), url != NULL);
  if (same_url && (url == NULL || scale == self->thumbnail_scale))
    return;

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  /* Another scale: the texture shown stays until the sharper one comes. */
  if (!same_url)
    {
      g_free (self->thumbnail_url);
      self->thumbnail_url = g_strdup (url);
      gtk_picture_set_paintable (self->thumbnail, NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self->thumbnail), "placeholder");
    }

  if (url == NULL)
    return;

  /* Lazy: a row is only bound while it is (nearly) on screen. Decoded at
   * the size it is shown (88×66 at the screen's scale), never larger; asked
   * again when the scale changes (the window moved to another monitor). */
  self->thumbnail_scale = scale;
  width = 88 * scale;
  height = 66 * scale;
  /* The picture covers its box: the side that would be cropped may be larger. */
  image_width = kq_article_get_thumbnail_width (self->article);
  image_height = kq_article_get_thumbnail_height (self->article);
  if (image_width > 0 && image_height > 0)
    {
      double cover = MAX ((double) width / image_width, (double) height / image_height);

      width = MAX (width, (int) ceil (image_width * cover));
      height = MAX (height, (int) ceil (image_height * cover));
    }
  else
    {
      width *= 2;
      height *= 2;
    }
  self->thumbnail_cancellable = g_cancellable_new ();
  kq_thumbnail_loader_load_async (url, width, height, self->thumbnail_cancellable,
                                  on_thumbnail_loaded_cb, g_object_ref (self));
}

/* The label shows two lines of at most 60 characters (max-width-chars), but
 * wraps and measures whatever it holds, shaping all of it each time the row
 * is measured: give it the first 160 characters, cut at a word. */
#define EXCERPT_MAX_CHARS 160

static void
set_excerpt (GtkLabel   *label,
             const char *excerpt)
{
  g_autofree char *cut = NULL;
  const char *end;

  if (excerpt == NULL || g_utf8_strlen (excerpt, EXCERPT_MAX_CHARS * 4) <= EXCERPT_MAX_CHARS)
    {
      gtk_label_set_text (label, excerpt != NULL ? excerpt : "");
      return;
    }

  end = g_utf8_offset_to_pointer (excerpt, EXCERPT_MAX_CHARS);
  for (const char *p = end; p > excerpt + EXCERPT_MAX_CHARS / 2; p = g_utf8_prev_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      {
        end = p;
        break;
      }
  cut = g_strdup_printf ("%.*s…", (int) (end - excerpt), excerpt);
  gtk_label_set_text (label, cut);
}

static void
update_content (KqArticleRow *self)
{
  KqArticle *article = self->article;
  const char * const *categories = article ? kq_article_get_category_names (article) : NULL;
  guint comments = article ? kq_article_get_comment_count (article) : 0;
  g_autofree char *count = NULL;

  gtk_label_set_text (self->title_label, article ? kq_article_get_title (article) : "");
  set_excerpt (self->excerpt_label, article ? kq_article_get_excerpt (article) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->excerpt_label),
                          article && kq_article_get_excerpt (article) &&
                          *kq_article_get_excerpt (article));
  gtk_label_set_text (self->category_label,
                      categories != NULL && categories[0] != NULL ? categories[0] : "");

  count = g_strdup_printf ("%u", comments);
  gtk_label_set_text (self->comments_label, count);
  gtk_widget_set_visible (self->comments_box, comments > 0);
  if (comments > 0)
    {
      g_autofree char *tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u comment",
                                                               "%u comments", comments),
                                                  comments);
      gtk_widget_set_tooltip_text (self->comments_box, tooltip);
    }

  kq_article_row_update_date (self);
  update_state (self);
  update_thumbnail (self);
  update_accessible (self);
}

static void
on_article_notify_cb (KqArticleRow *self,
                      GParamSpec   *pspec,
                      KqArticle    *article)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "read") || g_str_equal (name, "bookmarked"))
    update_state (self);
  else if (g_str_equal (name, "body-html") || g_str_equal (name, "reading-minutes"))
    return;
  else
    update_content (self);
}

static void
on_scale_factor_notify_cb (KqArticleRow *self,
                           GParamSpec   *pspec,
                           gpointer      user_data)
{
  update_thumbnail (self);
}

/* The thumbnail, the box's start and end margins and its spacing (the .ui). */
#define ROW_EXTRA_WIDTH (88 + 6 + 6 + 12)

/* A row is as wide as 20 to 60 characters of its font plus the thumbnail (the
 * labels' width-chars and max-width-chars), said without laying the text out:
 * asking the wrapped title and excerpt for their widths shapes them whole,
 * and a grid view asks every row it builds (that was most of the half second
 * between the first frame and the cached rows). Heights are the box's. */
static void
kq_article_row_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  KqArticleRow *self = KQ_ARTICLE_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      PangoFontMetrics *metrics = pango_context_get_metrics (gtk_widget_get_pango_context (widget),
                                                             NULL, NULL);
      int char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                            pango_font_metrics_get_approximate_digit_width (metrics));

      pango_font_metrics_unref (metrics);
      *minimum = PANGO_PIXELS_CEIL (char_width * 20) + ROW_EXTRA_WIDTH;
      *natural = PANGO_PIXELS_CEIL (char_width * 60) + ROW_EXTRA_WIDTH;
      *minimum_baseline = *natural_baseline = -1;
      return;
    }

  gtk_widget_measure (self->box, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static GtkSizeRequestMode
kq_article_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
kq_article_row_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  KqArticleRow *self = KQ_ARTICLE_ROW (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
}

static void
kq_article_row_dispose (GObject *object)
{
  KqArticleRow *self = KQ_ARTICLE_ROW (object);

  kq_article_row_set_article (self, NULL);
  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KQ_TYPE_ARTICLE_ROW);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (kq_article_row_parent_class)->dispose (object);
}

static void
kq_article_row_finalize (GObject *object)
{
  KqArticleRow *self = KQ_ARTICLE_ROW (object);

  g_clear_pointer (&self->thumbnail_url, g_free);

  G_OBJECT_CLASS (kq_article_row_parent_class)->finalize (object);
}

static void
kq_article_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KqArticleRow *self = KQ_ARTICLE_ROW (object);

  switch (prop_id)
    {
    case PROP_ARTICLE:
      g_value_set_object (value, self->article);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_article_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KqArticleRow *self = KQ_ARTICLE_ROW (object);

  switch (prop_id)
    {
    case PROP_ARTICLE:
      kq_article_row_set_article (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_article_row_class_init (KqArticleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kq_article_row_dispose;
  object_class->finalize = kq_article_row_finalize;
  object_class->get_property = kq_article_row_get_property;
  object_class->set_property = kq_article_row_set_property;

  properties [PROP_ARTICLE] =
    g_param_spec_object ("article", NULL, NULL,
                         KQ_TYPE_ARTICLE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/kq-article-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, box);
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, unread_marker);
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, category_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, bookmark_marker);
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, excerpt_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, comments_box);
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, comments_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleRow, thumbnail);

  widget_class->get_request_mode = kq_article_row_get_request_mode;
  widget_class->measure = kq_article_row_measure;
  widget_class->size_allocate = kq_article_row_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "kq-article-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kq_article_row_init (KqArticleRow *self)
{
  self->show_images = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_notify_cb), NULL);
}

KqArticleRow *
kq_article_row_new (void)
{
  return g_object_new (KQ_TYPE_ARTICLE_ROW, NULL);
}

/**
 * kq_article_row_get_article:
 *
 * Returns: (transfer none) (nullable): the article shown
 */
KqArticle *
kq_article_row_get_article (KqArticleRow *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_ROW (self), NULL);

  return self->article;
}

void
kq_article_row_set_article (KqArticleRow *self,
                            KqArticle    *article)
{
  g_return_if_fail (KQ_IS_ARTICLE_ROW (self));
  g_return_if_fail (article == NULL || KQ_IS_ARTICLE (article));

  if (self->article == article)
    return;

  if (self->article != NULL)
    g_signal_handlers_disconnect_by_func (self->article, on_article_notify_cb, self);
  g_set_object (&self->article, article);
  if (article != NULL)
    g_signal_connect_object (article, "notify", G_CALLBACK (on_article_notify_cb),
                             self, G_CONNECT_SWAPPED);

  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    update_content (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ARTICLE]);
}

void
kq_article_row_set_show_images (KqArticleRow *self,
                                gboolean      show_images)
{
  g_return_if_fail (KQ_IS_ARTICLE_ROW (self));

  show_images = !!show_images;
  if (self->show_images == show_images)
    return;

  self->show_images = show_images;
  update_thumbnail (self);
}

void
kq_article_row_update_date (KqArticleRow *self)
{
  GDateTime *date;
  g_autofree char *text = NULL;
  g_autofree char *full = NULL;

  g_return_if_fail (KQ_IS_ARTICLE_ROW (self));

  date = self->article ? kq_article_get_date (self->article) : NULL;
  if (date == NULL)
    {
      gtk_label_set_text (self->date_label, "");
      return;
    }

  text = kq_date_format_relative (date, NULL);
  gtk_label_set_text (self->date_label, text);
  {
    g_autoptr(GDateTime) local = g_date_time_to_local (date);

    /* Translators: the full date in a tooltip, a strftime format */
    full = g_date_time_format (local, _("%A %-d %B %Y at %H:%M"));
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->date_label), full);
  }
}
