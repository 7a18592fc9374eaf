/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-block-renderer"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-block-renderer.h"
#include "kq-image.h"
#include "kq-url.h"

/* Containers nest this deep at most; deeper blocks are laid out flat. */
#define MAX_NESTING            8
#define DEFAULT_DISPLAY_WIDTH  720
#define GALLERY_IMAGE_WIDTH    212
#define EMBED_THUMBNAIL_WIDTH  160
/* Blocks (or list items) a box holds before the next go into a box of their
 * own inside it, CHUNK_SIZE per box: adding a block then lays out again
 * that box and the list of boxes, never a box of 20,000 blocks (which takes
 * longer than a frame at every step). */
#define CHUNK_SIZE             64
/* What a step costs (see kq_block_job_step()): a block, plus one per this
 * many bytes of its text, which is what takes long to lay out. */
#define COST_BYTES             64
/* A figure or a card costs as much as this much text. */
#define IMAGE_COST_BYTES       (3 * COST_BYTES)
/* Images of a gallery in one flow box. */
#define GALLERY_CHUNK          60
/* Rows of a table in one grid. */
#define TABLE_CHUNK_ROWS       200

struct _KqBlockRenderer
{
  GObject        parent_instance;

  KqImageLoader *loader;
  guint          display_width;
  gboolean       load_images;
  guint          max_images;
};

G_DEFINE_FINAL_TYPE (KqBlockRenderer, kq_block_renderer, G_TYPE_OBJECT)

/*
 * Rendering goes in steps (KqBlockJob): a stack of frames, one per container
 * being filled (the document, a quote, a list, a table, a gallery), the
 * innermost last. A step renders the next child of the innermost frame:
 * a leaf block's widgets, or a container's empty widget and a new frame for
 * its children. However big a list or a table, the caller decides how much
 * is done at a time.
 */
typedef enum {
  FRAME_BLOCKS,   /* blocks appended to a GtkBox */
  FRAME_LIST,     /* list items, each a row with its marker, in a GtkBox */
  FRAME_TABLE,    /* rows of cells attached to GtkGrids in a GtkBox */
  FRAME_GALLERY,  /* images appended to GtkFlowBoxes in a GtkBox */
} FrameKind;

typedef struct
{
  FrameKind  kind;
  GtkWidget *container;  /* what the children go into */
  GtkBox    *outer;      /* where the block's caption goes, after the container */
  KqBlock   *block;      /* the container block (its caption, citation); NULL at the top */
  GPtrArray *children;   /* KqBlock */
  GtkWidget *chunk;      /* where the children go past CHUNK_SIZE (a box in container);
                          * tables: the grid of the rows from n_in_chunk on */
  guint      n_in_chunk;
  guint      index;      /* the next child */
  guint      cell;       /* tables: the next cell of the row at index */
  guint      depth;
  int        number;     /* ordered lists: the next item's number */
} Frame;

struct _KqBlockJob
{
  KqBlockRenderer *renderer;
  GArray          *frames;        /* Frame, the innermost last */
  guint            cost;          /* of the steps done in this call */
  GPtrArray       *blocks;        /* the top level's, a reference each */
  guint            n_images;      /* images (and thumbnails) that may be fetched */
  gboolean         defer_images;
  GPtrArray       *deferred;      /* KqImage made deferred, not taken yet */
};

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

/* One more image of the article may be fetched: FALSE past the bound, when
 * it shows its placeholder (or a card its icon) instead. */
static gboolean
take_image_slot (KqBlockJob *job)
{
  if (job->n_images >= job->renderer->max_images)
    return FALSE;

  job->n_images++;
  return TRUE;
}

/* Deferred images wait for the view to let them load. */
static void
add_image_to_job (KqBlockJob *job,
                  GtkWidget  *image)
{
  if (!job->defer_images)
    return;

  kq_image_set_deferred (KQ_IMAGE (image), TRUE);
  g_ptr_array_add (job->deferred, g_object_ref (image));
}

static GtkWidget *
make_image (KqBlockJob *job,
            KqBlock    *block,
            guint       display_width)
{
  KqBlockRenderer *self = job->renderer;
  GtkWidget *image = kq_image_new (self->loader);
  const char *link = kq_block_get_link (block);
  gboolean blocked = !self->load_images || !take_image_slot (job);

  kq_image_set_display_width (KQ_IMAGE (image), display_width);
  kq_image_set_intrinsic_size (KQ_IMAGE (image), kq_block_get_width (block),
                               kq_block_get_height (block));
  kq_image_set_alternative_text (KQ_IMAGE (image), kq_block_get_alt (block));
  kq_image_set_blocked (KQ_IMAGE (image), blocked);
  if (!blocked)
    add_image_to_job (job, image);
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
make_figure (KqBlockJob *job,
             KqBlock    *block,
             guint       display_width)
{
  GtkWidget *figure = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_add_css_class (figure, "kq-figure");
  gtk_box_append (GTK_BOX (figure), make_image (job, block, display_width));
  append_caption (GTK_BOX (figure), kq_block_get_caption (block));

  return figure;
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
push_frame (KqBlockJob *job,
            FrameKind   kind,
            GtkWidget  *container,
            GtkBox     *outer,
            KqBlock    *block,
            GPtrArray  *children,
            guint       depth)
{
  Frame frame = { 0, };

  frame.kind = kind;
  frame.container = g_object_ref (container);
  frame.outer = outer != NULL ? g_object_ref (outer) : NULL;
  frame.block = block != NULL ? kq_block_ref (block) : NULL;
  frame.children = children;
  frame.depth = depth;
  if (kind == FRAME_LIST)
    frame.number = kq_block_get_start (block);
  g_array_append_val (job->frames, frame);
}

static void
clear_frame (gpointer data)
{
  Frame *frame = data;

  g_clear_object (&frame->container);
  g_clear_object (&frame->chunk);
  g_clear_object (&frame->outer);
  g_clear_pointer (&frame->block, kq_block_unref);
}

static void
start_quote (KqBlockJob *job,
             GtkBox     *box,
             KqBlock    *block,
             guint       depth)
{
  gboolean pull = kq_block_get_kind (block) == KQ_BLOCK_PULLQUOTE;
  GtkBox *quote = nested_box (box, pull ? "kq-pullquote" : "kq-quote", 12, depth);

  push_frame (job, FRAME_BLOCKS, GTK_WIDGET (quote), NULL, block,
              kq_block_get_children (block), depth + 1);
}

/* After the quote's blocks: who said it. */
static void
finish_quote (Frame *frame)
{
  gboolean pull = kq_block_get_kind (frame->block) == KQ_BLOCK_PULLQUOTE;
  GPtrArray *citation = kq_block_get_citation (frame->block);
  g_autofree char *markup = NULL;
  g_autofree char *full = NULL;
  GtkWidget *label;

  if (citation->len == 0)
    return;

  markup = kq_block_runs_to_markup (citation);
  /* Translators: before the author of a quotation */
  full = g_strdup_printf (_("— %s"), markup);
  label = kq_block_renderer_make_label (full);
  gtk_widget_add_css_class (label, "kq-citation");
  gtk_widget_add_css_class (label, "dim-label");
  if (pull)
    gtk_label_set_xalign (GTK_LABEL (label), .5f);
  gtk_box_append (GTK_BOX (frame->container), label);
}

static void render_block (KqBlockJob *job,
                          GtkBox     *box,
                          KqBlock    *block,
                          guint       depth);

/* The box the frame's next child goes into: its container, then boxes of
 * CHUNK_SIZE children appended to it, spaced as it is. */
static GtkBox *
next_child_box (Frame *frame)
{
  if (frame->chunk == NULL && frame->n_in_chunk < CHUNK_SIZE)
    {
      frame->n_in_chunk++;
      return GTK_BOX (frame->container);
    }

  if (frame->chunk == NULL || frame->n_in_chunk >= CHUNK_SIZE)
    {
      GtkWidget *chunk = gtk_box_new (GTK_ORIENTATION_VERTICAL,
                                      gtk_box_get_spacing (GTK_BOX (frame->container)));

      gtk_widget_add_css_class (chunk, "kq-chunk");
      gtk_box_append (GTK_BOX (frame->container), chunk);
      g_set_object (&frame->chunk, chunk);
      frame->n_in_chunk = 0;
    }

  frame->n_in_chunk++;
  return GTK_BOX (frame->chunk);
}

static guint
block_cost (KqBlock *block)
{
  GPtrArray *runs = kq_block_get_runs (block);
  const char *text = kq_block_get_text (block);
  gsize bytes = text != NULL ? strlen (text) : 0;

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    bytes += strlen (((KqRun *) g_ptr_array_index (runs, i))->text);

  switch (kq_block_get_kind (block))
    {
    /* A figure (a box, an image, its placeholder), a card: several widgets. */
    case KQ_BLOCK_IMAGE:
    case KQ_BLOCK_EMBED:
    case KQ_BLOCK_MEDIA:
      bytes += IMAGE_COST_BYTES;
      break;
    default:
      break;
    }

  return 1 + MIN (bytes / COST_BYTES, G_MAXUINT / 2);
}

static void
render_list_item (KqBlockJob *job,
                  Frame      *frame,
                  KqBlock    *item)
{
  static const char * const bullets[] = { "•", "◦", "▪" };
  gboolean ordered = kq_block_get_ordered (frame->block);
  guint depth = frame->depth;
  g_autofree char *marker = NULL;
  GtkWidget *row, *bullet, *content;

  if (ordered)
    marker = g_strdup_printf ("%d.", frame->number++);
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
  gtk_box_append (next_child_box (frame), row);

  /* @frame is not to be used past a push. */
  if (kq_block_get_kind (item) == KQ_BLOCK_LIST_ITEM)
    push_frame (job, FRAME_BLOCKS, content, NULL, NULL, kq_block_get_children (item), depth + 1);
  else
    render_block (job, GTK_BOX (content), item, depth + 1);
}

/* A flow box for the gallery's next GALLERY_CHUNK images. */
static void
add_gallery_flow (Frame *frame)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_box_append (GTK_BOX (frame->container), flow);
  g_set_object (&frame->chunk, flow);
  frame->n_in_chunk = 0;
}

static void
start_gallery (KqBlockJob *job,
               GtkBox     *box,
               KqBlock    *block,
               guint       depth)
{
  /* Flow boxes of GALLERY_CHUNK images one under the other, for the same
   * reason as CHUNK_SIZE; a multiple of 1, 2 and 3 (the images a line
   * holds), so that they read as one. */
  GtkWidget *flows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_add_css_class (flows, "kq-gallery");
  gtk_box_append (box, flows);

  push_frame (job, FRAME_GALLERY, flows, box, block, kq_block_get_children (block), depth);
}

static void
render_gallery_image (KqBlockJob *job,
                      Frame      *frame,
                      KqBlock    *image)
{
  if (kq_block_get_kind (image) != KQ_BLOCK_IMAGE)
    return;

  if (frame->chunk == NULL || frame->n_in_chunk >= GALLERY_CHUNK)
    add_gallery_flow (frame);
  frame->n_in_chunk++;
  gtk_flow_box_append (GTK_FLOW_BOX (frame->chunk), make_figure (job, image, GALLERY_IMAGE_WIDTH));
}

static GtkWidget *
make_card (KqBlockJob *job,
           const char *thumbnail_url,
           const char *icon_name,
           const char *provider,
           const char *title,
           const char *url)
{
  KqBlockRenderer *self = job->renderer;
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label;
  GtkWidget *button;

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "kq-embed");

  /* Without images (or past the article's bound), the provider's icon:
   * nothing fetched from it either. */
  if (thumbnail_url != NULL && self->load_images && take_image_slot (job))
    {
      GtkWidget *image = kq_image_new (self->loader);

      kq_image_set_display_width (KQ_IMAGE (image), EMBED_THUMBNAIL_WIDTH);
      kq_image_set_intrinsic_size (KQ_IMAGE (image), 480, 270);
      add_image_to_job (job, image);
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
render_embed (KqBlockJob *job,
              GtkBox     *box,
              KqBlock    *block)
{
  const char *url = kq_block_get_url (block);
  gboolean video = kq_block_get_video_id (block) != NULL;

  if (url == NULL)
    return;

  gtk_box_append (box, make_card (job, kq_block_get_thumbnail_url (block),
                                  video ? "video-x-generic-symbolic" : "web-browser-symbolic",
                                  provider_name (kq_block_get_provider (block)),
                                  kq_block_get_title (block), url));
  append_caption (box, kq_block_get_caption (block));
}

static void
render_media (KqBlockJob *job,
              GtkBox     *box,
              KqBlock    *block)
{
  gboolean video = kq_block_get_media_kind (block) == KQ_MEDIA_VIDEO;
  const char *url = kq_block_get_url (block);

  if (url == NULL)
    return;

  gtk_box_append (box, make_card (job, kq_block_get_thumbnail_url (block),
                                  video ? "video-x-generic-symbolic" : "audio-x-generic-symbolic",
                                  video ? _("Video") : _("Audio"),
                                  kq_block_get_title (block), url));
  append_caption (box, kq_block_get_caption (block));
}

/* The grid for the table's rows from @first_row on. */
static void
add_table_grid (Frame *frame,
                guint  first_row)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_widget_add_css_class (grid, "kq-table");
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_box_append (GTK_BOX (frame->container), grid);
  g_set_object (&frame->chunk, grid);
  frame->n_in_chunk = first_row;
}

static void
start_table (KqBlockJob *job,
             GtkBox     *box,
             KqBlock    *block,
             guint       depth)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *grids = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  /* Wide tables scroll sideways instead of widening the article. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), grids);
  gtk_box_append (box, scrolled);

  push_frame (job, FRAME_TABLE, grids, box, block, kq_block_get_children (block), depth);
  add_table_grid (&g_array_index (job->frames, Frame, job->frames->len - 1), 0);
}

/* The next cell of the table; FALSE once the row at frame->index has no more. */
static gboolean
render_table_cell (KqBlockJob *job,
                   Frame      *frame,
                   KqBlock    *row)
{
  GPtrArray *cells;
  KqBlock *cell;
  GPtrArray *images;
  GtkWidget *widget = NULL;
  guint c = frame->cell;

  if (kq_block_get_kind (row) != KQ_BLOCK_TABLE_ROW)
    return FALSE;

  cells = kq_block_get_children (row);
  if (c >= cells->len)
    return FALSE;

  /* A grid lays all its cells out again when one is added: past
   * TABLE_CHUNK_ROWS rows, the next go into a grid of their own (whose
   * columns may not line up with the one above: only very long tables). */
  if (c == 0 && frame->index - frame->n_in_chunk >= TABLE_CHUNK_ROWS)
    add_table_grid (frame, frame->index);

  cell = g_ptr_array_index (cells, c);
  images = kq_block_get_children (cell);

  /* A cell's images, above its text, at a column's share of the width. */
  if (images->len > 0)
    {
      guint width = MAX (job->renderer->display_width / cells->len, 48);

      widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_add_css_class (widget, "kq-table-cell");
      gtk_widget_set_valign (widget, GTK_ALIGN_START);
      for (guint i = 0; i < images->len; i++)
        if (kq_block_get_kind (g_ptr_array_index (images, i)) == KQ_BLOCK_IMAGE)
          gtk_box_append (GTK_BOX (widget),
                          make_figure (job, g_ptr_array_index (images, i), width));
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
  gtk_grid_attach (GTK_GRID (frame->chunk), widget, c, frame->index - frame->n_in_chunk, 1, 1);
  frame->cell++;

  return TRUE;
}

static void
render_code (KqBlockJob *job,
             GtkBox     *box,
             KqBlock    *block)
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

/* A leaf block's widgets, appended to @box; a container's, empty, and a
 * frame for its children. */
static void
render_block (KqBlockJob *job,
              GtkBox     *box,
              KqBlock    *block,
              guint       depth)
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
      start_quote (job, box, block, depth);
      break;

    case KQ_BLOCK_LIST:
      push_frame (job, FRAME_LIST, GTK_WIDGET (nested_box (box, "kq-list", 6, depth)), NULL,
                  block, kq_block_get_children (block), depth);
      break;

    case KQ_BLOCK_LIST_ITEM:
    case KQ_BLOCK_TABLE_ROW:
      push_frame (job, FRAME_BLOCKS, GTK_WIDGET (box), NULL, NULL,
                  kq_block_get_children (block), depth);
      break;

    case KQ_BLOCK_IMAGE:
      if (kq_block_get_url (block) != NULL)
        gtk_box_append (box, make_figure (job, block, job->renderer->display_width));
      break;

    case KQ_BLOCK_GALLERY:
      start_gallery (job, box, block, depth);
      break;

    case KQ_BLOCK_EMBED:
      render_embed (job, box, block);
      break;

    case KQ_BLOCK_MEDIA:
      render_media (job, box, block);
      break;

    case KQ_BLOCK_TABLE:
      start_table (job, box, block, depth);
      break;

    case KQ_BLOCK_CODE:
      render_code (job, box, block);
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

/* The innermost frame is done: what follows its children, then it goes. */
static void
pop_frame (KqBlockJob *job)
{
  Frame *frame = &g_array_index (job->frames, Frame, job->frames->len - 1);

  switch (frame->kind)
    {
    case FRAME_BLOCKS:
      if (frame->block != NULL)
        finish_quote (frame);
      break;
    case FRAME_TABLE:
    case FRAME_GALLERY:
      append_caption (frame->outer, kq_block_get_caption (frame->block));
      break;
    case FRAME_LIST:
    default:
      break;
    }

  g_array_set_size (job->frames, job->frames->len - 1);
}

/* Renders one child of the innermost frame (a table: one cell). */
static void
step_once (KqBlockJob *job)
{
  Frame *frame = &g_array_index (job->frames, Frame, job->frames->len - 1);
  KqBlock *child;

  if (frame->index >= frame->children->len)
    {
      pop_frame (job);
      return;
    }

  child = g_ptr_array_index (frame->children, frame->index);
  /* A table's step is one cell of the row: its text is what it costs. */
  if (frame->kind == FRAME_TABLE && kq_block_get_kind (child) == KQ_BLOCK_TABLE_ROW &&
      frame->cell < kq_block_get_children (child)->len)
    job->cost += block_cost (g_ptr_array_index (kq_block_get_children (child), frame->cell));
  else
    job->cost += block_cost (child);

  /* The frame may move once another is pushed: advance it first. */
  switch (frame->kind)
    {
    case FRAME_BLOCKS:
      frame->index++;
      render_block (job, next_child_box (frame), child, frame->depth);
      break;
    case FRAME_LIST:
      frame->index++;
      render_list_item (job, frame, child);
      break;
    case FRAME_TABLE:
      if (!render_table_cell (job, frame, child))
        {
          frame->index++;
          frame->cell = 0;
        }
      break;
    case FRAME_GALLERY:
      frame->index++;
      render_gallery_image (job, frame, child);
      break;
    default:
      g_assert_not_reached ();
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
  self->max_images = KQ_BLOCK_RENDERER_DEFAULT_MAX_IMAGES;
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

/* Images (and embed thumbnails) one document may fetch; past them, images
 * show their placeholder and cards their icon. */
void
kq_block_renderer_set_max_images (KqBlockRenderer *self,
                                  guint            max_images)
{
  g_return_if_fail (KQ_IS_BLOCK_RENDERER (self));

  self->max_images = max_images;
}

guint
kq_block_renderer_get_max_images (KqBlockRenderer *self)
{
  g_return_val_if_fail (KQ_IS_BLOCK_RENDERER (self), 0);

  return self->max_images;
}

GtkWidget *
kq_block_renderer_new_body (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

  gtk_widget_add_css_class (box, "kq-article-body");
  return box;
}

/**
 * kq_block_renderer_start:
 * @blocks: (element-type KqBlock): each is referenced for the job
 *
 * Returns: (transfer full): a job that appends the widgets for @blocks to
 *   @box as kq_block_job_step() asks; nothing is rendered yet.
 */
KqBlockJob *
kq_block_renderer_start (KqBlockRenderer *self,
                         GtkBox          *box,
                         GPtrArray       *blocks)
{
  KqBlockJob *job;

  g_return_val_if_fail (KQ_IS_BLOCK_RENDERER (self), NULL);
  g_return_val_if_fail (GTK_IS_BOX (box), NULL);
  g_return_val_if_fail (blocks != NULL, NULL);

  job = g_new0 (KqBlockJob, 1);
  job->renderer = g_object_ref (self);
  job->frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_array_set_clear_func (job->frames, clear_frame);
  job->blocks = g_ptr_array_new_full (blocks->len, (GDestroyNotify) kq_block_unref);
  for (guint i = 0; i < blocks->len; i++)
    g_ptr_array_add (job->blocks, kq_block_ref (g_ptr_array_index (blocks, i)));
  job->deferred = g_ptr_array_new_with_free_func (g_object_unref);
  push_frame (job, FRAME_BLOCKS, GTK_WIDGET (box), NULL, NULL, job->blocks, 0);

  return job;
}

/* Images made from now on are deferred (kq_image_set_deferred()) and kept
 * for kq_block_job_take_deferred(): the caller lets them load. */
void
kq_block_job_set_defer_images (KqBlockJob *job,
                               gboolean    defer)
{
  g_return_if_fail (job != NULL);

  job->defer_images = !!defer;
}

/**
 * kq_block_job_step:
 * @deadline: a g_get_monotonic_time() to stop at, G_MAXINT64 for none
 * @max_cost: work to do at most: a step (a leaf block, a container opened,
 *   a table cell) costs one, plus one per 64 bytes of its text
 *
 * Renders until either is reached, at least one step. The cost stands for
 * the time the widgets take to lay out, which is much more than the time
 * to make them: a caller that renders a part per frame bounds the frame.
 *
 * Returns: TRUE while some blocks are left
 */
gboolean
kq_block_job_step (KqBlockJob *job,
                   gint64      deadline,
                   guint       max_cost)
{
  g_return_val_if_fail (job != NULL, FALSE);

  job->cost = 0;
  while (job->frames->len > 0 && job->cost < max_cost)
    {
      step_once (job);
      if (deadline != G_MAXINT64 && g_get_monotonic_time () >= deadline)
        break;
    }

  return job->frames->len > 0;
}

/**
 * kq_block_job_take_deferred:
 *
 * Returns: (transfer container) (element-type KqImage): the deferred
 *   images made since the last call, in document order
 */
GPtrArray *
kq_block_job_take_deferred (KqBlockJob *job)
{
  GPtrArray *images;

  g_return_val_if_fail (job != NULL, NULL);

  images = g_steal_pointer (&job->deferred);
  job->deferred = g_ptr_array_new_with_free_func (g_object_unref);
  return images;
}

void
kq_block_job_free (KqBlockJob *job)
{
  if (job == NULL)
    return;

  g_array_unref (job->frames);
  g_ptr_array_unref (job->blocks);
  g_ptr_array_unref (job->deferred);
  g_object_unref (job->renderer);
  g_free (job);
}

void
kq_block_renderer_render_blocks (KqBlockRenderer *self,
                                 GtkBox          *box,
                                 GPtrArray       *blocks)
{
  g_autoptr(KqBlockJob) job = NULL;

  g_return_if_fail (KQ_IS_BLOCK_RENDERER (self));
  g_return_if_fail (GTK_IS_BOX (box));
  g_return_if_fail (blocks != NULL);

  job = kq_block_renderer_start (self, box, blocks);
  kq_block_job_step (job, G_MAXINT64, G_MAXUINT);
}

GtkWidget *
kq_block_renderer_render (KqBlockRenderer *self,
                          KqHtmlDocument  *document)
{
  GtkWidget *box;

  g_return_val_if_fail (KQ_IS_BLOCK_RENDERER (self), NULL);
  g_return_val_if_fail (document != NULL, NULL);

  box = kq_block_renderer_new_body ();
  kq_block_renderer_render_blocks (self, GTK_BOX (box), kq_html_document_get_blocks (document));

  return box;
}
