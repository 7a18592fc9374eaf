/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "kq-article-view-private.h"
#include "kq-url.h"

/*
 * KqArticleView: the header, the body rendered from the block document, text
 * size and the actions. The comments section is in kq-article-view-comments.c,
 * opening links in kq-article-view-links.c.
 */

/* Bodies bigger than this are parsed on a worker thread. */
#define SYNC_PARSE_MAX     (256 * 1024)
/* Rendering in steps (kq_block_job_step()), weighed by what they cost to
 * lay out (a block, plus one per 64 bytes of text): this much before the
 * first frame, a screenful of a usual article; a deadline in case the steps
 * are slow to make. */
#define FIRST_COST         48
#define FIRST_BUDGET_US    (20 * 1000)
/* Then as much at each frame (the frame lays it out before the next step)
 * while the view is shown, in idles while it is not: the main loop never
 * stops for long, however big the body. */
#define STEP_COST          48
#define STEP_BUDGET_US     (8 * 1000)

static const double zoom_steps[] = { 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.75, 2.0 };

G_DEFINE_FINAL_TYPE (KqArticleView, kq_article_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ARTICLE,
  PROP_LIBRARY,
  PROP_IMAGE_LOADER,
  PROP_BOOKMARKED,
  PROP_TEXT_SCALE,
  PROP_RENDERING,
  PROP_LOAD_IMAGES,
  N_PROPS
};

enum {
  OPEN_ARTICLE_LINK,
  BOOKMARK_TOGGLED,
  OPEN_HISTORY_ARTICLE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* Formatting */

/* "19 juil. 2021 • 16:38" in French, in local time. */
char *
_kq_article_view_format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) clean = NULL;

  if (date == NULL)
    return NULL;

  local = g_date_time_to_local (date);
  /* Translators: date and time of an article, see strftime(3); in French
   * "%e %b %Y • %H:%M" gives "19 juil. 2021 • 16:38" */
  text = g_date_time_format (local, _("%b %e, %Y • %H:%M"));
  if (text == NULL)
    return NULL;

  /* %e pads single-digit days with a space. */
  clean = g_string_new (g_strstrip (text));
  while (g_string_replace (clean, "  ", " ", 0) > 0)
    ;

  return g_string_free (g_steal_pointer (&clean), FALSE);
}

char *
_kq_article_view_format_comment_count (guint count)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u comment", "%u comments", count), count);
}

/* Helpers */

static KqImageLoader *
ensure_image_loader (KqArticleView *self)
{
  if (self->image_loader == NULL)
    {
      g_debug ("No image loader set: using a private one");
      self->image_loader = kq_image_loader_new (NULL, NULL);
    }

  return self->image_loader;
}


KqBlockRenderer *
_kq_article_view_ensure_renderer (KqArticleView *self)
{
  if (self->renderer == NULL)
    {
      self->renderer = kq_block_renderer_new (ensure_image_loader (self));
      kq_block_renderer_set_load_images (self->renderer, self->load_images);
    }

  return self->renderer;
}

void
_kq_article_view_html_options (KqArticleView *self,
                               KqHtmlOptions *opts)
{
  memset (opts, 0, sizeof *opts);
  if (self->library != NULL)
    opts->youtube_posters = kq_library_get_youtube_posters (self->library);
}

static void
update_actions (KqArticleView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_article = self->article != NULL;
  const char *link = has_article ? kq_article_get_link (self->article) : NULL;
  gboolean has_link = link != NULL && kq_url_is_http (link);
  guint n_steps = G_N_ELEMENTS (zoom_steps);

  gtk_widget_action_set_enabled (widget, "article.open-in-browser", has_link);
  gtk_widget_action_set_enabled (widget, "article.copy-link", has_link);
  gtk_widget_action_set_enabled (widget, "article.toggle-bookmark", has_article);
  gtk_widget_action_set_enabled (widget, "article.open-link", has_article);
  gtk_widget_action_set_enabled (widget, "article.load-comments", _kq_article_view_source_matches (self));
  gtk_widget_action_set_enabled (widget, "article.zoom-in",
                                 has_article && self->text_scale < zoom_steps[n_steps - 1] - 0.001);
  gtk_widget_action_set_enabled (widget, "article.zoom-out",
                                 has_article && self->text_scale > zoom_steps[0] + 0.001);
  gtk_widget_action_set_enabled (widget, "article.zoom-reset",
                                 has_article && fabs (self->text_scale - 1.0) > 0.001);
}

static void
update_bookmark (KqArticleView *self)
{
  gboolean bookmarked = kq_article_view_get_bookmarked (self);
  const char *what = bookmarked ? _("Remove from Bookmarks") : _("Add to Bookmarks");

  gtk_button_set_icon_name (self->bookmark_button,
                            bookmarked ? "starred-symbolic" : "non-starred-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->bookmark_button), what);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->bookmark_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOKMARKED]);
}

void
_kq_article_view_set_label (GtkLabel   *label,
                            const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
update_header (KqArticleView *self)
{
  KqArticle *article = self->article;
  const char * const *categories = kq_article_get_category_names (article);
  const char *author = kq_article_get_author (article);
  GDateTime *date = kq_article_get_date (article);
  GDateTime *modified = kq_article_get_modified (article);
  guint minutes = kq_article_get_reading_minutes (article);
  guint n_comments = kq_article_get_comment_count (article);
  g_autoptr(GPtrArray) meta = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *byline = NULL;
  g_autofree char *meta_text = NULL;
  g_autofree char *updated = NULL;
  char *date_text;

  _kq_article_view_set_label (self->category_label, categories != NULL ? categories[0] : NULL);
  _kq_article_view_set_label (self->title_label, kq_article_get_title (article));

  if (author != NULL && *author != '\0')
    /* Translators: the article's author */
    byline = g_strdup_printf (_("By %s"), author);
  _kq_article_view_set_label (self->byline_label, byline);

  if ((date_text = _kq_article_view_format_date (date)) != NULL)
    g_ptr_array_add (meta, date_text);
  if (minutes > 0)
    g_ptr_array_add (meta, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min read",
                                                         "%u min read", minutes), minutes));
  if (n_comments > 0)
    g_ptr_array_add (meta, _kq_article_view_format_comment_count (n_comments));
  g_ptr_array_add (meta, NULL);
  meta_text = g_strjoinv (" · ", (char **) meta->pdata);
  _kq_article_view_set_label (self->meta_label, meta_text);

  /* Modified an hour or more after publication: say so. */
  if (date != NULL && modified != NULL &&
      g_date_time_difference (modified, date) > G_TIME_SPAN_HOUR)
    {
      g_autofree char *when = _kq_article_view_format_date (modified);

      /* Translators: %s is a date and time */
      updated = g_strdup_printf (_("Updated %s"), when);
    }
  _kq_article_view_set_label (self->updated_label, updated);

  kq_image_set_loader (self->featured_image, ensure_image_loader (self));
  kq_image_set_intrinsic_size (self->featured_image,
                               kq_article_get_image_width (article),
                               kq_article_get_image_height (article));
  kq_image_set_alternative_text (self->featured_image, NULL);
  /* Never loading images: no featured image at all (it has no text to show). */
  kq_image_set_blocked (self->featured_image, !self->load_images);
  kq_image_set_url (self->featured_image, kq_article_get_image_url (article));
  gtk_widget_set_visible (GTK_WIDGET (self->featured_image),
                          self->load_images && kq_article_get_image_url (article) != NULL);
}

static void
set_rendering (KqArticleView *self,
               KqHtmlDocument *document)
{
  gboolean was = self->document != NULL;

  g_clear_handle_id (&self->render_id, g_source_remove);
  if (self->render_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->render_tick_id);
      self->render_tick_id = 0;
    }
  g_clear_pointer (&self->job, kq_block_job_free);
  g_clear_pointer (&self->document, kq_html_document_unref);
  if (document != NULL)
    self->document = kq_html_document_ref (document);

  if (was != (document != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERING]);
}

static void
clear_body (KqArticleView *self)
{
  set_rendering (self, NULL);
  _kq_article_view_clear_images (self);

  if (self->body != NULL)
    {
      gtk_box_remove (self->body_container, self->body);
      self->body = NULL;
    }
}

/* Adds the next blocks; TRUE while some are left. */
static gboolean
render_steps (KqArticleView *self,
              gint64         budget_us,
              guint          max_cost)
{
  gboolean more = kq_block_job_step (self->job, g_get_monotonic_time () + budget_us, max_cost);
  g_autoptr(GPtrArray) images = kq_block_job_take_deferred (self->job);

  _kq_article_view_add_deferred_images (self, images);
  return more;
}

/* The next step; FALSE once the body is all there. */
static gboolean
render_more (KqArticleView *self)
{
  if (render_steps (self, STEP_BUDGET_US, STEP_COST))
    return TRUE;

  set_rendering (self, NULL);
  _kq_article_view_history_rendered (self);
  return FALSE;
}

static gboolean
render_more_cb (gpointer user_data)
{
  KqArticleView *self = user_data;
  guint id = self->render_id;

  /* Finishing clears the ids: not this source's, which ends by itself. */
  self->render_id = 0;
  if (!render_more (self))
    return G_SOURCE_REMOVE;

  self->render_id = id;
  return G_SOURCE_CONTINUE;
}

static gboolean
render_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (widget);
  guint id = self->render_tick_id;

  self->render_tick_id = 0;
  if (!render_more (self))
    return G_SOURCE_REMOVE;

  self->render_tick_id = id;
  return G_SOURCE_CONTINUE;
}

/* A step per frame while the view is shown, in idles while not (no frames
 * then, and nothing to lay out either). */
static void
schedule_render (KqArticleView *self)
{
  if (self->job == NULL)
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_clear_handle_id (&self->render_id, g_source_remove);
      if (self->render_tick_id == 0)
        self->render_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), render_tick_cb,
                                                             NULL, NULL);
    }
  else
    {
      if (self->render_tick_id != 0)
        {
          gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->render_tick_id);
          self->render_tick_id = 0;
        }
      if (self->render_id == 0)
        self->render_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, render_more_cb, self, NULL);
    }
}

/* The first screenful at once, the rest between frames: a long article
 * shows as fast as a short one. */
static void
show_document (KqArticleView  *self,
               KqHtmlDocument *document)
{
  clear_body (self);
  self->body = kq_block_renderer_new_body ();
  gtk_box_append (self->body_container, self->body);

  /* The image shown above the body is not shown again as its first figure. */
  if (self->load_images && self->article != NULL)
    kq_html_document_drop_image (document, kq_article_get_image_url (self->article));

  set_rendering (self, document);
  self->job = kq_block_renderer_start (_kq_article_view_ensure_renderer (self), GTK_BOX (self->body),
                                       kq_html_document_get_blocks (document));
  kq_block_job_set_defer_images (self->job, TRUE);
  if (render_steps (self, FIRST_BUDGET_US, FIRST_COST))
    schedule_render (self);
  else
    {
      set_rendering (self, NULL);
      _kq_article_view_history_rendered (self);
    }
}

static void
on_body_parsed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KqArticleView) self = user_data;
  g_autoptr(KqHtmlDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = kq_html_parse_finish (result, &error);
  if (document == NULL)
    return;

  show_document (self, document);
}

static void
update_body (KqArticleView *self)
{
  const char *html = kq_article_get_body_html (self->article);
  const char *base = kq_article_get_link (self->article);
  gsize len = html != NULL ? strlen (html) : 0;
  KqHtmlOptions opts;

  clear_body (self);
  _kq_article_view_html_options (self, &opts);

  if (html == NULL || len == 0)
    html = kq_article_get_excerpt (self->article);
  if (html == NULL)
    return;

  if (len <= SYNC_PARSE_MAX)
    {
      g_autoptr(KqHtmlDocument) document = kq_html_parse (html, -1, base, &opts);

      show_document (self, document);
    }
  else
    {
      kq_html_parse_async (html, len, base, &opts, self->cancellable,
                           on_body_parsed_cb, g_object_ref (self));
    }
}

static void
set_text_scale_from_step (KqArticleView *self,
                          int            direction)
{
  double scale = self->text_scale;
  guint n = G_N_ELEMENTS (zoom_steps);

  if (direction > 0)
    {
      for (guint i = 0; i < n; i++)
        if (zoom_steps[i] > scale + 0.001)
          {
            kq_article_view_set_text_scale (self, zoom_steps[i]);
            return;
          }
    }
  else
    {
      for (guint i = n; i > 0; i--)
        if (zoom_steps[i - 1] < scale - 0.001)
          {
            kq_article_view_set_text_scale (self, zoom_steps[i - 1]);
            return;
          }
    }
}

static void
apply_text_scale (KqArticleView *self)
{
  g_autofree char *css = NULL;

  /* An integer percentage: no locale-dependent decimal separator. */
  css = g_strdup_printf ("* { font-size: %d%%; }", (int) round (self->text_scale * 100));
  gtk_css_provider_load_from_data (self->scale_provider, css, -1);
}

static gboolean
same_page (const char *a,
           const char *b)
{
  gsize len_a, len_b;

  if (a == NULL || b == NULL)
    return FALSE;

  len_a = strcspn (a, "#");
  len_b = strcspn (b, "#");

  return len_a == len_b && strncmp (a, b, len_a) == 0;
}

/* Actions */

static void
open_in_browser_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (widget);

  if (self->article != NULL)
    kq_article_view_open_uri (self, kq_article_get_link (self->article));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (widget);
  const char *link;

  if (self->article == NULL)
    return;

  link = kq_article_get_link (self->article);
  if (link != NULL && kq_url_is_http (link))
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), link);
}

static void
toggle_bookmark_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (widget);
  g_autoptr(KqArticle) article = NULL;
  gboolean bookmarked;

  if (self->article == NULL)
    return;

  article = g_object_ref (self->article);
  bookmarked = !kq_article_get_bookmarked (article);
  /* The view follows the article's notify::bookmarked. */
  kq_article_set_bookmarked (article, bookmarked);
  g_signal_emit (self, signals[BOOKMARK_TOGGLED], 0, article, bookmarked);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (widget);

  if (g_str_equal (action_name, "article.zoom-in"))
    set_text_scale_from_step (self, 1);
  else if (g_str_equal (action_name, "article.zoom-out"))
    set_text_scale_from_step (self, -1);
  else
    kq_article_view_set_text_scale (self, 1.0);
}

static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (widget);
  const char *uri = g_variant_get_string (parameter, NULL);
  gboolean handled = FALSE;

  if (!kq_url_is_http (uri))
    {
      g_debug ("Refusing to open %s", uri);
      return;
    }

  /* An anchor in this very article: nothing to open. */
  if (same_page (uri, kq_article_get_link (self->article)))
    return;

  if (kq_article_view_is_article_link (self, uri))
    g_signal_emit (self, signals[OPEN_ARTICLE_LINK], 0, uri, &handled);

  if (!handled)
    kq_article_view_open_uri (self, uri);
}

/* GObject */

static void
kq_article_view_dispose (GObject *object)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_rendering (self, NULL);
  _kq_article_view_clear_comments (self);
  _kq_article_view_dispose_history (self);
  _kq_article_view_dispose_images (self);

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = NULL;
  self->launcher_data = NULL;
  self->launcher_destroy = NULL;

  self->body = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), KQ_TYPE_ARTICLE_VIEW);

  g_clear_object (&self->article);
  g_clear_object (&self->library);
  g_clear_object (&self->renderer);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->settings);
  g_clear_object (&self->scale_provider);

  G_OBJECT_CLASS (kq_article_view_parent_class)->dispose (object);
}

static void
kq_article_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ARTICLE:
      g_value_set_object (value, self->article);
      break;
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;
    case PROP_IMAGE_LOADER:
      g_value_set_object (value, self->image_loader);
      break;
    case PROP_BOOKMARKED:
      g_value_set_boolean (value, kq_article_view_get_bookmarked (self));
      break;
    case PROP_TEXT_SCALE:
      g_value_set_double (value, self->text_scale);
      break;
    case PROP_RENDERING:
      g_value_set_boolean (value, self->document != NULL);
      break;
    case PROP_LOAD_IMAGES:
      g_value_set_boolean (value, self->load_images);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_article_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KqArticleView *self = KQ_ARTICLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ARTICLE:
      kq_article_view_set_article (self, g_value_get_object (value));
      break;
    case PROP_LIBRARY:
      kq_article_view_set_library (self, g_value_get_object (value));
      break;
    case PROP_IMAGE_LOADER:
      kq_article_view_set_image_loader (self, g_value_get_object (value));
      break;
    case PROP_TEXT_SCALE:
      kq_article_view_set_text_scale (self, g_value_get_double (value));
      break;
    case PROP_LOAD_IMAGES:
      kq_article_view_set_load_images (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *triggers,
              const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (triggers),
                                                          gtk_named_action_new (action)));
}

static void
kq_article_view_class_init (KqArticleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kq_article_view_dispose;
  object_class->get_property = kq_article_view_get_property;
  object_class->set_property = kq_article_view_set_property;

  properties[PROP_ARTICLE] =
    g_param_spec_object ("article", NULL, NULL, KQ_TYPE_ARTICLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, KQ_TYPE_LIBRARY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE_LOADER] =
    g_param_spec_object ("image-loader", NULL, NULL, KQ_TYPE_IMAGE_LOADER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BOOKMARKED] =
    g_param_spec_boolean ("bookmarked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT_SCALE] =
    g_param_spec_double ("text-scale", NULL, NULL, 0.5, 3.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RENDERING] =
    g_param_spec_boolean ("rendering", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOAD_IMAGES] =
    g_param_spec_boolean ("load-images", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_ARTICLE_LINK] =
    g_signal_new ("open-article-link",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  signals[BOOKMARK_TOGGLED] =
    g_signal_new ("bookmark-toggled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, KQ_TYPE_ARTICLE, G_TYPE_BOOLEAN);
  signals[OPEN_HISTORY_ARTICLE] =
    g_signal_new ("open-history-article",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, KQ_TYPE_ARTICLE);

  g_type_ensure (KQ_TYPE_IMAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/kq-article-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, stack);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, clamp);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, history_box);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, back_button);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, forward_button);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, content_box);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, category_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, title_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, byline_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, meta_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, updated_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, bookmark_button);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, featured_image);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, body_container);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, comments_box);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, comments_title);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, comments_button);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, comments_status_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, comments_spinner);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, comments_error_box);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, comments_error_label);
  gtk_widget_class_bind_template_child (widget_class, KqArticleView, comments_list);

  gtk_widget_class_install_action (widget_class, "article.open-in-browser", NULL, open_in_browser_action);
  gtk_widget_class_install_action (widget_class, "article.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "article.toggle-bookmark", NULL, toggle_bookmark_action);
  gtk_widget_class_install_action (widget_class, "article.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "article.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "article.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "article.open-link", "s", open_link_action);
  gtk_widget_class_install_action (widget_class, "article.load-comments", NULL, _kq_article_view_load_comments_action);
  gtk_widget_class_install_action (widget_class, "article.go-back", NULL, _kq_article_view_history_action);
  gtk_widget_class_install_action (widget_class, "article.go-forward", NULL, _kq_article_view_history_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kq-article-view");
}

static void
kq_article_view_init (KqArticleView *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->text_scale = 1.0;
  self->load_images = TRUE;
  self->launcher = _kq_article_view_default_launcher;

  /* Text size: a font-size on the content box, inherited by every label;
   * style.css sizes the article's text in em. */
  self->scale_provider = gtk_css_provider_new ();
  apply_text_scale (self);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_add_provider (gtk_widget_get_style_context (self->content_box),
                                  GTK_STYLE_PROVIDER (self->scale_provider),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  G_GNUC_END_IGNORE_DEPRECATIONS

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "text-scale", self, "text-scale", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "load-images", self, "load-images", G_SETTINGS_BIND_GET);

  /* Zoom works wherever the focus is in the window. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                "<Control>plus|<Control>equal|<Control>KP_Add", "article.zoom-in");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                "<Control>minus|<Control>KP_Subtract", "article.zoom-out");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                "<Control>0|<Control>KP_0", "article.zoom-reset");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Alt>Left|Back", "article.go-back");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Alt>Right|Forward", "article.go-forward");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  /* The same keys again, before the folded window's leaflet takes Alt+Left
   * for "back to the list" (a binding of its own, run as the key bubbles up
   * from the article). With focus in the article, the history goes first;
   * once it has no step back, the actions are disabled and the key goes on
   * to the leaflet. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (shortcuts, "kq-article-history-first");
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Alt>Left|Back", "article.go-back");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Alt>Right|Forward", "article.go-forward");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  _kq_article_view_init_history (self);
  _kq_article_view_init_images (self);
  g_signal_connect_swapped (self, "map", G_CALLBACK (schedule_render), self);
  g_signal_connect_swapped (self, "unmap", G_CALLBACK (schedule_render), self);

  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_actions (self);
}

/* Public API */

GtkWidget *
kq_article_view_new (void)
{
  return g_object_new (KQ_TYPE_ARTICLE_VIEW, NULL);
}

void
kq_article_view_set_article (KqArticleView *self,
                             KqArticle     *article)
{
  GtkAdjustment *vadjustment;

  g_return_if_fail (KQ_IS_ARTICLE_VIEW (self));
  g_return_if_fail (!article || KQ_IS_ARTICLE (article));

  if (self->article == article)
    return;

  /* Whatever the previous article still had in flight. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->article != NULL)
    g_signal_handlers_disconnect_by_data (self->article, self);
  g_set_object (&self->article, article);
  _kq_article_view_history_article_changed (self);

  if (article != NULL)
    {
      g_signal_connect_object (article, "notify::bookmarked",
                               G_CALLBACK (update_bookmark), self, G_CONNECT_SWAPPED);
      update_header (self);
      update_body (self);
      _kq_article_view_update_comments (self);

      vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
      gtk_adjustment_set_value (vadjustment, 0);
      gtk_stack_set_visible_child_name (self->stack, "article");
    }
  else
    {
      clear_body (self);
      _kq_article_view_clear_comments (self);
      kq_image_set_url (self->featured_image, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  update_actions (self);
  update_bookmark (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARTICLE]);
}

KqArticle *
kq_article_view_get_article (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), NULL);

  return self->article;
}

void
kq_article_view_set_library (KqArticleView *self,
                             KqLibrary     *library)
{
  g_return_if_fail (KQ_IS_ARTICLE_VIEW (self));
  g_return_if_fail (!library || KQ_IS_LIBRARY (library));

  if (g_set_object (&self->library, library))
    {
      update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIBRARY]);
    }
}

/**
 * kq_article_view_get_library:
 *
 * Returns: (transfer none) (nullable): where the comments come from
 */
KqLibrary *
kq_article_view_get_library (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), NULL);

  return self->library;
}

void
kq_article_view_set_image_loader (KqArticleView *self,
                                  KqImageLoader *loader)
{
  g_return_if_fail (KQ_IS_ARTICLE_VIEW (self));
  g_return_if_fail (!loader || KQ_IS_IMAGE_LOADER (loader));

  if (g_set_object (&self->image_loader, loader))
    {
      g_clear_object (&self->renderer);
      if (self->article != NULL)
        {
          kq_image_set_loader (self->featured_image, ensure_image_loader (self));
          update_body (self);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_LOADER]);
    }
}

KqImageLoader *
kq_article_view_get_image_loader (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), NULL);

  return self->image_loader;
}

gboolean
kq_article_view_get_rendering (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  return self->document != NULL;
}

gboolean
kq_article_view_get_bookmarked (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  return self->article != NULL && kq_article_get_bookmarked (self->article);
}

void
kq_article_view_set_text_scale (KqArticleView *self,
                                double         scale)
{
  g_return_if_fail (KQ_IS_ARTICLE_VIEW (self));

  scale = CLAMP (scale, 0.5, 3.0);
  if (fabs (self->text_scale - scale) < 0.0001)
    return;

  self->text_scale = scale;
  apply_text_scale (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_SCALE]);
}

double
kq_article_view_get_text_scale (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), 1.0);

  return self->text_scale;
}

/* FALSE ("never load images"): the body's images show their alt text, the
 * featured image and embed thumbnails are left out, nothing is fetched.
 * Bound to the GSettings key "load-images"; the shown article is re-rendered. */
void
kq_article_view_set_load_images (KqArticleView *self,
                                 gboolean       load_images)
{
  g_return_if_fail (KQ_IS_ARTICLE_VIEW (self));

  load_images = !!load_images;
  if (self->load_images == load_images)
    return;

  self->load_images = load_images;
  if (self->renderer != NULL)
    kq_block_renderer_set_load_images (self->renderer, load_images);
  if (self->article != NULL)
    {
      update_header (self);
      update_body (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_IMAGES]);
}

gboolean
kq_article_view_get_load_images (KqArticleView *self)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  return self->load_images;
}
