/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-block-renderer"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-block-renderer.h"
#include "kq-image.h"
#include "kq-url.h"

/* Containers nest this deep at most; deeper blocks are laid out flat. */
#define MAX_NESTING            8
#define DEFAULT_DISPLAY_WIDTH  720
#define GALLERY_IMAGE_WIDTH    212
#define EMBED_THUMBNAIL_WIDTH  160

struct _KqBlockRenderer
{
  GObject        parent_instance;

  KqImageLoader *loader;
  guint          display_width;
  gboolean       load_images;
};

G_DEFINE_FINAL_TYPE (KqBlockRenderer, kq_block_renderer, G_TYPE_OBJECT)

static void render_block (KqBlockRenderer *self,
                          GtkBox          *box,
                          KqBlock         *block,
                          guint            depth);

static gboolean
on_activate_link_cb (GtkLabel   *label,
                     const char *uri,
                     gpointer    user_data)
{
  if (gtk_widget_activate_action (GTK_WIDGET (label), "article.open-link", "s", uri))
    return TRUE;

  /* No view around: let GTK open web links, and nothing else. */
  return !kq_url_is_http (uri);
}

static gboolean
has_long_word (const char *text)
{
  guint run = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x00a0 || c == 0x202f)
        run = 0;
      else if (++run > 28)
        return TRUE;
    }

  return FALSE;
}

/*
 * The markup comes from kq_block_runs_to_markup(), escaped there; this is a
 * last guard. Not pango_parse_markup(): Pango does not know <a>, which
 * GtkLabel handles itself, so every paragraph with a link would fail it.
 */
static gboolean
markup_is_well_formed (const char  *markup,
                       GError     **error)
{
  static const GMarkupParser parser = { NULL, NULL, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;

  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  return g_markup_parse_context_parse (context, "<markup>", -1, error) &&
         g_markup_parse_context_parse (context, markup, -1, error) &&
         g_markup_parse_context_parse (context, "</markup>", -1, error) &&
         g_markup_parse_context_end_parse (context, error);
}

GtkWidget *
kq_block_renderer_make_label (const char *markup)
{
  GtkWidget *label = gtk_label_new (NULL);
  g_autoptr(GError) error = NULL;

  if (markup_is_well_formed (markup, &error))
    {
      gtk_label_set_markup (GTK_LABEL (label), markup);
    }
  else
    {
      g_debug ("Invalid markup, shown as text: %s", error->message);
      gtk_label_set_text (GTK_LABEL (label), markup);
    }

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* Breaking inside words makes measuring ten times slower: only where a
   * word (a long URL) could not fit a narrow column otherwise. */
  gtk_label_set_wrap_mode (GTK_LABEL (label),
                           has_long_word (gtk_label_get_text (GTK_LABEL (label)))
                           ? PANGO_WRAP_WORD_CHAR : PANGO_WRAP_WORD);
  /* The natural width is the unwrapped text: no search for a better one. */
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.f);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  g_signal_connect (label, "activate-link", G_CALLBACK (on_activate_link_cb), NULL);

  return label;
}

static void
apply_align (GtkWidget *label,
             KqAlign    align)
{
  switch (align)
    {
    case KQ_ALIGN_CENTER:
      gtk_label_set_xalign (GTK_LABEL (label), .5f);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      break;
    case KQ_ALIGN_RIGHT:
      gtk_label_set_xalign (GTK_LABEL (label), 1.f);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      break;
    case KQ_ALIGN_NONE:
    case KQ_ALIGN_LEFT:
    default:
      break;
    }
}

static GtkWidget *
runs_label (GPtrArray  *runs,
            const char *css_class)
{
  g_autofree char *markup = kq_block_runs_to_markup (runs);
  GtkWidget *label = kq_block_renderer_make_label (markup);

  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* A caption under an image, a table or a card; NULL when there is none. */
static GtkWidget *
caption_label (GPtrArray *runs)
{
  GtkWidget *label;

  if (runs == NULL || runs->len == 0)
    return NULL;

  label = runs_label (runs, "kq-caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), .5f);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);

  return label;
}

static void
append_caption (GtkBox    *box,
                GPtrArray *runs)
{
  GtkWidget *caption = caption_label (runs);

  if (caption != NULL)
    gtk_box_append (box, caption);
}

static void
on_image_clicked_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     gpointer         user_data)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  const char *link = g_object_get_data (G_OBJECT (widget), "kq-link");

  if (link != NULL)
    gtk_widget_activate_action (widget, "article.open-link", "s", link);
}

static GtkWidget *
make_image (KqBlockRenderer *self,
            KqBlock         *block,
            guint            display_width)
{
  GtkWidget *image = kq_image_new (self->loader);
  const char *link = kq_block_get_link (block);

  kq_image_set_display_width (KQ_IMAGE (image), display_width);
  kq_image_set_intrinsic_size (KQ_IMAGE (image), kq_block_get_width (block),
                               kq_block_get_height (block));
  kq_image_set_alternative_text (KQ_IMAGE (image), kq_block_get_alt (block));
  kq_image_set_blocked (KQ_IMAGE (image), !self->load_images);
  kq_image_set_url (KQ_IMAGE (image), kq_block_get_url (block));

  if (link != NULL)
    {
      GtkGesture *click = gtk_gesture_click_new ();

      g_object_set_data_full (G_OBJECT (image), "kq-link", g_strdup (link), g_free);
      g_signal_connect (click, "released", G_CALLBACK (on_image_clicked_cb), NULL);
      gtk_widget_add_controller (image, GTK_EVENT_CONTROLLER (click));
      gtk_widget_set_cursor_from_name (image, "pointer");
      gtk_widget_set_tooltip_text (image, link);
    }

  return image;
}

static GtkWidget *
make_figure (KqBlockRenderer *self,
             KqBlock         *block,
             guint            display_width)
{
  GtkWidget *figure = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_add_css_class (figure, "kq-figure");
  gtk_box_append (GTK_BOX (figure), make_image (self, block, display_width));
  append_caption (GTK_BOX (figure), kq_block_get_caption (block));

  return figure;
}

static void
render_children (KqBlockRenderer *self,
                 GtkBox          *box,
                 GPtrArray       *children,
                 guint            depth)
{
  for (guint i = 0; i < children->len; i++)
    render_block (self, box, g_ptr_array_index (children, i), depth);
}

/* A box for nested blocks, or @parent itself when nesting gets too deep. */
static GtkBox *
nested_box (GtkBox     *parent,
            const char *css_class,
            int         spacing,
            guint       depth)
{
  GtkWidget *box;

  if (depth >= MAX_NESTING)
    return parent;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, spacing);
  gtk_widget_add_css_class (box, css_class);
  gtk_box_append (parent, box);

  return GTK_BOX (box);
}

static void
render_quote (KqBlockRenderer *self,
              GtkBox          *box,
              KqBlock         *block,
              guint            depth)
{
  gboolean pull = kq_block_get_kind (block) == KQ_BLOCK_PULLQUOTE;
  GtkBox *quote = nested_box (box, pull ? "kq-pullquote" : "kq-quote", 12, depth);
  GPtrArray *citation = kq_block_get_citation (block);

  render_children (self, quote, kq_block_get_children (block), depth + 1);

  if (citation->len > 0)
    {
      g_autofree char *markup = kq_block_runs_to_markup (citation);
      /* Translators: before the author of a quotation */
      g_autofree char *full = g_strdup_printf (_("— %s"), markup);
      GtkWidget *label = kq_block_renderer_make_label (full);

      gtk_widget_add_css_class (label, "kq-citation");
      gtk_widget_add_css_class (label, "dim-label");
      if (pull)
        gtk_label_set_xalign (GTK_LABEL (label), .5f);
      gtk_box_append (quote, label);
    }
}

static void
render_list (KqBlockRenderer *self,
             GtkBox          *box,
             KqBlock         *block,
             guint            depth)
{
  static const char * const bullets[] = { "•", "◦", "▪" };
  GPtrArray *items = kq_block_get_children (block);
  gboolean ordered = kq_block_get_ordered (block);
  GtkBox *list = nested_box (box, "kq-list", 6, depth);
  int number = kq_block_get_start (block);

  for (guint i = 0; i < items->len; i++)
    {
      KqBlock *item = g_ptr_array_index (items, i);
      g_autofree char *marker = NULL;
      GtkWidget *row, *bullet, *content;

      if (ordered)
        marker = g_strdup_printf ("%d.", number++);
      else
        marker = g_strdup (bullets[depth % G_N_ELEMENTS (bullets)]);

      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      bullet = gtk_label_new (marker);
      gtk_widget_add_css_class (bullet, "kq-bullet");
      gtk_label_set_xalign (GTK_LABEL (bullet), 1.f);
      gtk_label_set_width_chars (GTK_LABEL (bullet), ordered ? 3 : 2);
      gtk_widget_set_valign (bullet, GTK_ALIGN_START);
      content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      gtk_widget_set_hexpand (content, TRUE);
      gtk_box_append (GTK_BOX (row), bullet);
      gtk_box_append (GTK_BOX (row), content);
      gtk_box_append (list, row);

      if (kq_block_get_kind (item) == KQ_BLOCK_LIST_ITEM)
        render_children (self, GTK_BOX (content), kq_block_get_children (item), depth + 1);
      else
        render_block (self, GTK_BOX (content), item, depth + 1);
    }
}

static void
render_gallery (KqBlockRenderer *self,
                GtkBox          *box,
                KqBlock         *block)
{
  GPtrArray *images = kq_block_get_children (block);
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_widget_add_css_class (flow, "kq-gallery");
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);

  for (guint i = 0; i < images->len; i++)
    {
      KqBlock *image = g_ptr_array_index (images, i);

      if (kq_block_get_kind (image) != KQ_BLOCK_IMAGE)
        continue;

      gtk_flow_box_append (GTK_FLOW_BOX (flow), make_figure (self, image, GALLERY_IMAGE_WIDTH));
    }

  gtk_box_append (box, flow);
  append_caption (box, kq_block_get_caption (block));
}

static GtkWidget *
make_card (KqBlockRenderer *self,
           const char      *thumbnail_url,
           const char      *icon_name,
           const char      *provider,
           const char      *title,
           const char      *url)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label;
  GtkWidget *button;

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "kq-embed");

  /* Without images, the provider's icon: nothing fetched from it either. */
  if (thumbnail_url != NULL && self->load_images)
    {
      GtkWidget *image = kq_image_new (self->loader);

      kq_image_set_display_width (KQ_IMAGE (image), EMBED_THUMBNAIL_WIDTH);
      kq_image_set_intrinsic_size (KQ_IMAGE (image), 480, 270);
      kq_image_set_url (KQ_IMAGE (image), thumbnail_url);
      gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (card), image);
    }
  else
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      gtk_image_set_pixel_size (GTK_IMAGE (icon), 48);
      gtk_widget_add_css_class (icon, "dim-label");
      gtk_box_append (GTK_BOX (card), icon);
    }

  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (card), text);

  label = gtk_label_new (provider);
  gtk_label_set_xalign (GTK_LABEL (label), 0.f);
  gtk_widget_add_css_class (label, "kq-embed-provider");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (text), label);

  if (title != NULL && *title != '\0')
    {
      label = gtk_label_new (title);
      gtk_label_set_xalign (GTK_LABEL (label), 0.f);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, "kq-embed-title");
      gtk_box_append (GTK_BOX (text), label);
    }

  button = gtk_button_new_with_label (_("Open"));
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "kq-embed-open");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "article.open-link");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", url);
  gtk_widget_set_tooltip_text (button, url);
  gtk_box_append (GTK_BOX (text), button);

  return card;
}

static const char *
provider_name (KqEmbedProvider provider)
{
  switch (provider)
    {
    case KQ_EMBED_PROVIDER_YOUTUBE:
      return "YouTube";
    case KQ_EMBED_PROVIDER_VIMEO:
      return "Vimeo";
    case KQ_EMBED_PROVIDER_DAILYMOTION:
      return "Dailymotion";
    case KQ_EMBED_PROVIDER_TWITTER:
      return "X (Twitter)";
    case KQ_EMBED_PROVIDER_OTHER:
    default:
      return _("Embedded content");
    }
}

static void
render_embed (KqBlockRenderer *self,
              GtkBox          *box,
              KqBlock         *block)
{
  const char *url = kq_block_get_url (block);
  gboolean video = kq_block_get_video_id (block) != NULL;

  if (url == NULL)
    return;

  gtk_box_append (box, make_card (self, kq_block_get_thumbnail_url (block),
                                  video ? "video-x-generic-symbolic" : "web-browser-symbolic",
                                  provider_name (kq_block_get_provider (block)),
                                  kq_block_get_title (block), url));
  append_caption (box, kq_block_get_caption (block));
}

static void
render_media (KqBlockRenderer *self,
              GtkBox          *box,
              KqBlock         *block)
{
  gboolean video = kq_block_get_media_kind (block) == KQ_MEDIA_VIDEO;
  const char *url = kq_block_get_url (block);

  if (url == NULL)
    return;

  gtk_box_append (box, make_card (self, kq_block_get_thumbnail_url (block),
                                  video ? "video-x-generic-symbolic" : "audio-x-generic-symbolic",
                                  video ? _("Video") : _("Audio"),
                                  kq_block_get_title (block), url));
  append_caption (box, kq_block_get_caption (block));
}

static void
render_table (KqBlockRenderer *self,
              GtkBox          *box,
              KqBlock         *block)
{
  GPtrArray *rows = kq_block_get_children (block);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *grid = gtk_grid_new ();

  gtk_widget_add_css_class (grid, "kq-table");
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);

  for (guint r = 0; r < rows->len; r++)
    {
      KqBlock *row = g_ptr_array_index (rows, r);
      GPtrArray *cells;

      if (kq_block_get_kind (row) != KQ_BLOCK_TABLE_ROW)
        continue;

      cells = kq_block_get_children (row);
      for (guint c = 0; c < cells->len; c++)
        {
          KqBlock *cell = g_ptr_array_index (cells, c);
          GPtrArray *images = kq_block_get_children (cell);
          GtkWidget *widget = NULL;

          /* A cell's images, above its text, at a column's share of the width. */
          if (images->len > 0)
            {
              guint width = MAX (self->display_width / cells->len, 48);

              widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
              gtk_widget_add_css_class (widget, "kq-table-cell");
              gtk_widget_set_valign (widget, GTK_ALIGN_START);
              for (guint i = 0; i < images->len; i++)
                if (kq_block_get_kind (g_ptr_array_index (images, i)) == KQ_BLOCK_IMAGE)
                  gtk_box_append (GTK_BOX (widget),
                                  make_figure (self, g_ptr_array_index (images, i), width));
            }

          if (kq_block_get_runs (cell)->len > 0 || widget == NULL)
            {
              GtkWidget *label = runs_label (kq_block_get_runs (cell), "kq-table-cell");

              gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
              gtk_widget_set_valign (label, GTK_ALIGN_START);
              if (kq_block_get_header (cell) || kq_block_get_header (row))
                gtk_widget_add_css_class (label, "heading");
              if (widget != NULL)
                gtk_box_append (GTK_BOX (widget), label);
              else
                widget = label;
            }
          gtk_grid_attach (GTK_GRID (grid), widget, c, r, 1, 1);
        }
    }

  /* Wide tables scroll sideways instead of widening the article. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), grid);
  gtk_box_append (box, scrolled);
  append_caption (box, kq_block_get_caption (block));
}

static void
render_code (KqBlockRenderer *self,
             GtkBox          *box,
             KqBlock         *block)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new (kq_block_get_text (block));

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.f);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "kq-code");

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  gtk_widget_add_css_class (scrolled, "kq-code-block");
  gtk_box_append (box, scrolled);
  append_caption (box, kq_block_get_caption (block));
}

static void
render_block (KqBlockRenderer *self,
              GtkBox          *box,
              KqBlock         *block,
              guint            depth)
{
  GtkWidget *widget;

  switch (kq_block_get_kind (block))
    {
    case KQ_BLOCK_PARAGRAPH:
    case KQ_BLOCK_TABLE_CELL:
      widget = runs_label (kq_block_get_runs (block), "kq-paragraph");
      apply_align (widget, kq_block_get_align (block));
      gtk_box_append (box, widget);
      break;

    case KQ_BLOCK_HEADING:
      {
        static const char * const titles[] = { "title-1", "title-2", "title-3", "title-4" };
        guint level = CLAMP (kq_block_get_level (block), 1, 6);

        widget = runs_label (kq_block_get_runs (block), "kq-heading");
        gtk_widget_add_css_class (widget, titles[MIN (level, 4) - 1]);
        apply_align (widget, kq_block_get_align (block));
        gtk_box_append (box, widget);
      }
      break;

    case KQ_BLOCK_QUOTE:
    case KQ_BLOCK_PULLQUOTE:
      render_quote (self, box, block, depth);
      break;

    case KQ_BLOCK_LIST:
      render_list (self, box, block, depth);
      break;

    case KQ_BLOCK_LIST_ITEM:
    case KQ_BLOCK_TABLE_ROW:
      render_children (self, box, kq_block_get_children (block), depth);
      break;

    case KQ_BLOCK_IMAGE:
      if (kq_block_get_url (block) != NULL)
        gtk_box_append (box, make_figure (self, block, self->display_width));
      break;

    case KQ_BLOCK_GALLERY:
      render_gallery (self, box, block);
      break;

    case KQ_BLOCK_EMBED:
      render_embed (self, box, block);
      break;

    case KQ_BLOCK_MEDIA:
      render_media (self, box, block);
      break;

    case KQ_BLOCK_TABLE:
      render_table (self, box, block);
      break;

    case KQ_BLOCK_CODE:
      render_code (self, box, block);
      break;

    case KQ_BLOCK_SEPARATOR:
      widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      gtk_widget_add_css_class (widget, "kq-separator");
      gtk_box_append (box, widget);
      break;

    default:
      g_debug ("Unknown block kind %d", kq_block_get_kind (block));
      break;
    }
}

/* GObject */

static void
kq_block_renderer_dispose (GObject *object)
{
  KqBlockRenderer *self = KQ_BLOCK_RENDERER (object);

  g_clear_object (&self->loader);

  G_OBJECT_CLASS (kq_block_renderer_parent_class)->dispose (object);
}

static void
kq_block_renderer_class_init (KqBlockRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kq_block_renderer_dispose;
}

static void
kq_block_renderer_init (KqBlockRenderer *self)
{
  self->display_width = DEFAULT_DISPLAY_WIDTH;
  self->load_images = TRUE;
}

/* Public API */

KqBlockRenderer *
kq_block_renderer_new (KqImageLoader *loader)
{
  KqBlockRenderer *self;

  g_return_val_if_fail (!loader || KQ_IS_IMAGE_LOADER (loader), NULL);

  self = g_object_new (KQ_TYPE_BLOCK_RENDERER, NULL);
  g_set_object (&self->loader, loader);

  return self;
}

void
kq_block_renderer_set_display_width (KqBlockRenderer *self,
                                     guint            width)
{
  g_return_if_fail (KQ_IS_BLOCK_RENDERER (self));
  g_return_if_fail (width > 0);

  self->display_width = width;
}

void
kq_block_renderer_set_load_images (KqBlockRenderer *self,
                                   gboolean         load_images)
{
  g_return_if_fail (KQ_IS_BLOCK_RENDERER (self));

  self->load_images = !!load_images;
}

gboolean
kq_block_renderer_get_load_images (KqBlockRenderer *self)
{
  g_return_val_if_fail (KQ_IS_BLOCK_RENDERER (self), FALSE);

  return self->load_images;
}

guint
kq_block_renderer_get_display_width (KqBlockRenderer *self)
{
  g_return_val_if_fail (KQ_IS_BLOCK_RENDERER (self), 0);

  return self->display_width;
}

void
kq_block_renderer_render_range (KqBlockRenderer *self,
                                GtkBox          *box,
                                GPtrArray       *blocks,
                                guint            start,
                                guint            n_blocks)
{
  g_return_if_fail (KQ_IS_BLOCK_RENDERER (self));
  g_return_if_fail (GTK_IS_BOX (box));
  g_return_if_fail (blocks != NULL);

  for (guint i = start; i < blocks->len && i - start < n_blocks; i++)
    render_block (self, box, g_ptr_array_index (blocks, i), 0);
}

GtkWidget *
kq_block_renderer_new_body (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

  gtk_widget_add_css_class (box, "kq-article-body");
  return box;
}

void
kq_block_renderer_render_blocks (KqBlockRenderer *self,
                                 GtkBox          *box,
                                 GPtrArray       *blocks)
{
  g_return_if_fail (KQ_IS_BLOCK_RENDERER (self));
  g_return_if_fail (GTK_IS_BOX (box));
  g_return_if_fail (blocks != NULL);

  render_children (self, box, blocks, 0);
}

GtkWidget *
kq_block_renderer_render (KqBlockRenderer *self,
                          KqHtmlDocument  *document)
{
  GtkWidget *box;

  g_return_val_if_fail (KQ_IS_BLOCK_RENDERER (self), NULL);
  g_return_val_if_fail (document != NULL, NULL);

  box = kq_block_renderer_new_body ();
  render_children (self, GTK_BOX (box), kq_html_document_get_blocks (document), 0);

  return box;
}
