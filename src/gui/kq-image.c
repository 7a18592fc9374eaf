/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-image"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-image.h"

#define DEFAULT_DISPLAY_WIDTH 720
#define CORNER_RADIUS         6.f
/* A widened image is decoded again once its width has settled this long. */
#define REDECODE_DELAY_MS     250

struct _KqImage
{
  GtkWidget      parent_instance;

  KqImageLoader *loader;
  char          *url;
  char          *alternative_text;
  guint          intrinsic_width;
  guint          intrinsic_height;
  guint          display_width;

  GdkTexture    *texture;
  gboolean       failed;
  gboolean       loading;
  gboolean       blocked;
  gboolean       deferred;        /* not fetched until it comes near the view */
  gboolean       looked_up;       /* deferred: the memory cache was asked already */
  GCancellable  *cancellable;

  /* Decoded for the width shown (device pixels), again when it grows. */
  guint          decoded_width;   /* the texture's decode width; 0 without one */
  guint          load_width;      /* the load in flight's */
  gboolean       whole;           /* the texture is the whole image: no wider decode */
  gboolean       needs_layout;    /* reset since the last allocation: width unknown */
  guint          start_id;        /* first load, once the width is known */
  guint          redecode_id;     /* debounced wider decode */

  GtkWidget     *failed_box;      /* "Image unavailable", or the alt text when blocked */
  GtkWidget     *failed_icon;
  GtkWidget     *failed_label;
};

G_DEFINE_FINAL_TYPE (KqImage, kq_image, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADER,
  PROP_URL,
  PROP_INTRINSIC_WIDTH,
  PROP_INTRINSIC_HEIGHT,
  PROP_DISPLAY_WIDTH,
  PROP_ALTERNATIVE_TEXT,
  PROP_TEXTURE,
  PROP_FAILED,
  PROP_BLOCKED,
  PROP_DEFERRED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* The aspect ratio to keep: the texture's once loaded, else the declared
 * size's, else 16:9. */
static void
get_ratio (KqImage *self,
           double  *width,
           double  *height)
{
  if (self->texture != NULL)
    {
      *width = gdk_texture_get_width (self->texture);
      *height = gdk_texture_get_height (self->texture);
    }
  else if (self->intrinsic_width > 0 && self->intrinsic_height > 0)
    {
      *width = self->intrinsic_width;
      *height = self->intrinsic_height;
    }
  else
    {
      *width = 16;
      *height = 9;
    }
}

/* The widest it should be shown, in application pixels. */
static int
get_natural_width (KqImage *self)
{
  int known;

  if (self->intrinsic_width > 0)
    known = self->intrinsic_width;
  else if (self->texture != NULL && self->whole)
    known = gdk_texture_get_width (self->texture) / MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  else
    known = self->display_width;

  return MAX (1, MIN (known, (int) self->display_width));
}

/* The width to decode for, in device pixels: the width shown once the
 * widget has one, else the display width. */
static guint
get_decode_width (KqImage *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  /* Not laid out yet, or laid out as the "unavailable" placeholder. */
  if (width <= 0 || gtk_widget_get_visible (self->failed_box))
    width = self->display_width;
  width = MIN (width, (int) self->display_width);

  return (guint) MAX (1, width) * MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

static void
update_state (KqImage *self)
{
  gboolean placeholder = self->texture == NULL && (self->failed || self->blocked);

  /* Blocked: the alt text (or a word) in place of the picture, nothing fetched. */
  if (self->blocked && !self->failed)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (self->failed_icon), "image-x-generic-symbolic");
      gtk_label_set_text (GTK_LABEL (self->failed_label),
                          self->alternative_text != NULL && *self->alternative_text != '\0'
                          ? self->alternative_text : _("Image not loaded"));
    }
  else
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (self->failed_icon), "image-missing-symbolic");
      gtk_label_set_text (GTK_LABEL (self->failed_label), _("Image unavailable"));
    }
  gtk_widget_set_visible (self->failed_box, placeholder);

  if (self->texture == NULL && !placeholder)
    gtk_widget_add_css_class (GTK_WIDGET (self), "loading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "loading");

  if (self->failed)
    gtk_widget_add_css_class (GTK_WIDGET (self), "failed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "failed");

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
set_texture (KqImage    *self,
             GdkTexture *texture)
{
  if (g_set_object (&self->texture, texture))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

/* @pixbuf decoded for @width device pixels. */
static void
set_decoded (KqImage   *self,
             GdkPixbuf *pixbuf,
             guint      width)
{
  g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);

  self->decoded_width = width;
  /* Never enlarged: narrower than asked means it is all there is. */
  self->whole = (guint) gdk_pixbuf_get_width (pixbuf) < width;
  set_texture (self, texture);
}

static void
set_failed (KqImage  *self,
            gboolean  failed)
{
  if (self->failed == failed)
    return;

  self->failed = failed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KqImage) self = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = kq_image_loader_load_finish (KQ_IMAGE_LOADER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  g_clear_object (&self->cancellable);

  if (pixbuf == NULL)
    {
      g_debug ("%s: %s", self->url, error->message);
      /* A wider decode that failed: the narrower one stays. */
      if (self->texture != NULL)
        return;
      gtk_widget_set_tooltip_text (self->failed_box, error->message);
      set_failed (self, TRUE);
    }
  else
    {
      set_decoded (self, pixbuf, self->load_width);
    }

  update_state (self);
}

/* Loads the image for the width shown, or again wider with @wider (the
 * texture shown stays until the new one is there). */
static void
start_load (KqImage  *self,
            gboolean  wider)
{
  g_autoptr(GdkPixbuf) cached = NULL;
  guint box_width;

  if (self->loader == NULL || self->url == NULL || self->blocked ||
      self->loading || self->failed || (self->texture != NULL) != wider)
    return;

  box_width = get_decode_width (self);
  if (wider && (self->whole || box_width <= self->decoded_width))
    return;

  /* Already decoded: show it in this very frame. */
  cached = kq_image_loader_lookup (self->loader, self->url, box_width, 0);
  if (cached != NULL)
    {
      set_decoded (self, cached, box_width);
      update_state (self);
      return;
    }

  /* Deferred: nothing fetched until the view lets it. */
  if (self->deferred)
    {
      self->looked_up = TRUE;
      return;
    }

  g_debug ("%s: decoding for %u pixels%s", self->url, box_width, wider ? " (wider)" : "");
  self->loading = TRUE;
  self->load_width = box_width;
  self->cancellable = g_cancellable_new ();
  kq_image_loader_load_async (self->loader, self->url, (int) box_width, 0, self->cancellable,
                              on_loaded_cb, g_object_ref (self));
}

static gboolean
start_load_cb (gpointer user_data)
{
  KqImage *self = user_data;

  self->start_id = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_load (self, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
redecode_cb (gpointer user_data)
{
  KqImage *self = user_data;

  self->redecode_id = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_load (self, TRUE);
  return G_SOURCE_REMOVE;
}

/* The width shown is known or has changed: the first load, or a wider
 * decode once the width has settled (not on every step of a window being
 * resized). */
static void
check_width (KqImage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->loader == NULL || self->url == NULL ||
      self->blocked || self->failed)
    return;

  if (self->texture == NULL)
    {
      if (self->deferred && self->looked_up)
        return;
      if (!self->loading && !self->needs_layout && self->start_id == 0)
        self->start_id = g_idle_add (start_load_cb, self);
      return;
    }

  if (self->whole || get_decode_width (self) <= self->decoded_width)
    {
      g_clear_handle_id (&self->redecode_id, g_source_remove);
      return;
    }

  g_clear_handle_id (&self->redecode_id, g_source_remove);
  self->redecode_id = g_timeout_add (REDECODE_DELAY_MS, redecode_cb, self);
}

static void
reset (KqImage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->start_id, g_source_remove);
  g_clear_handle_id (&self->redecode_id, g_source_remove);
  self->loading = FALSE;
  self->decoded_width = 0;
  self->whole = FALSE;
  self->looked_up = FALSE;
  self->needs_layout = TRUE;
  set_texture (self, NULL);
  set_failed (self, FALSE);
  update_state (self);

  /* Loads once laid out again (update_state() queued that). */
  check_width (self);
}

static void
on_scale_factor_cb (KqImage *self)
{
  check_width (self);
}

/* GtkWidget */

static GtkSizeRequestMode
kq_image_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
kq_image_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  KqImage *self = KQ_IMAGE (widget);
  int natural_width;

  if (gtk_widget_get_visible (self->failed_box))
    {
      gtk_widget_measure (self->failed_box, orientation, for_size,
                          minimum, natural, minimum_baseline, natural_baseline);
      return;
    }

  natural_width = get_natural_width (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN (natural_width, 32);
      *natural = natural_width;
    }
  else
    {
      double ratio_width, ratio_height;
      int width = for_size < 0 ? natural_width : MIN (for_size, natural_width);

      get_ratio (self, &ratio_width, &ratio_height);
      *minimum = *natural = MAX (1, (int) (width * ratio_height / ratio_width + .5));
    }
}

static void
kq_image_size_allocate (GtkWidget *widget,
                        int        width,
                        int        height,
                        int        baseline)
{
  KqImage *self = KQ_IMAGE (widget);

  if (gtk_widget_get_visible (self->failed_box))
    gtk_widget_allocate (self->failed_box, width, height, baseline, NULL);

  self->needs_layout = FALSE;
  check_width (self);
}

static void
kq_image_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  KqImage *self = KQ_IMAGE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (self->texture != NULL)
    {
      double ratio_width, ratio_height;
      float draw_width, draw_height;
      GskRoundedRect clip;
      graphene_rect_t rect;

      /* Fit inside the allocation, centred. */
      get_ratio (self, &ratio_width, &ratio_height);
      draw_width = width;
      draw_height = width * ratio_height / ratio_width;
      if (draw_height > height)
        {
          draw_height = height;
          draw_width = height * ratio_width / ratio_height;
        }
      rect = GRAPHENE_RECT_INIT ((width - draw_width) / 2.f, (height - draw_height) / 2.f,
                                 draw_width, draw_height);

      gsk_rounded_rect_init_from_rect (&clip, &rect, CORNER_RADIUS);
      gtk_snapshot_push_rounded_clip (snapshot, &clip);
      gtk_snapshot_append_texture (snapshot, self->texture, &rect);
      gtk_snapshot_pop (snapshot);
    }
  else if (gtk_widget_get_visible (self->failed_box))
    {
      gtk_widget_snapshot_child (widget, self->failed_box, snapshot);
    }
}

static void
kq_image_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kq_image_parent_class)->map (widget);

  /* Laid out already: load now, for its width; else once it is. */
  if (gtk_widget_get_width (widget) > 0 && !KQ_IMAGE (widget)->needs_layout)
    start_load (KQ_IMAGE (widget), FALSE);
}

/* GObject */

static void
kq_image_dispose (GObject *object)
{
  KqImage *self = KQ_IMAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->start_id, g_source_remove);
  g_clear_handle_id (&self->redecode_id, g_source_remove);
  g_clear_pointer (&self->failed_box, gtk_widget_unparent);
  g_clear_object (&self->texture);
  g_clear_object (&self->loader);

  G_OBJECT_CLASS (kq_image_parent_class)->dispose (object);
}

static void
kq_image_finalize (GObject *object)
{
  KqImage *self = KQ_IMAGE (object);

  g_free (self->url);
  g_free (self->alternative_text);

  G_OBJECT_CLASS (kq_image_parent_class)->finalize (object);
}

static void
kq_image_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  KqImage *self = KQ_IMAGE (object);

  switch (prop_id)
    {
    case PROP_LOADER:
      g_value_set_object (value, self->loader);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_INTRINSIC_WIDTH:
      g_value_set_uint (value, self->intrinsic_width);
      break;
    case PROP_INTRINSIC_HEIGHT:
      g_value_set_uint (value, self->intrinsic_height);
      break;
    case PROP_DISPLAY_WIDTH:
      g_value_set_uint (value, self->display_width);
      break;
    case PROP_ALTERNATIVE_TEXT:
      g_value_set_string (value, self->alternative_text);
      break;
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    case PROP_FAILED:
      g_value_set_boolean (value, self->failed);
      break;
    case PROP_BLOCKED:
      g_value_set_boolean (value, self->blocked);
      break;
    case PROP_DEFERRED:
      g_value_set_boolean (value, self->deferred);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_image_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  KqImage *self = KQ_IMAGE (object);

  switch (prop_id)
    {
    case PROP_LOADER:
      kq_image_set_loader (self, g_value_get_object (value));
      break;
    case PROP_URL:
      kq_image_set_url (self, g_value_get_string (value));
      break;
    case PROP_INTRINSIC_WIDTH:
      kq_image_set_intrinsic_size (self, g_value_get_uint (value), self->intrinsic_height);
      break;
    case PROP_INTRINSIC_HEIGHT:
      kq_image_set_intrinsic_size (self, self->intrinsic_width, g_value_get_uint (value));
      break;
    case PROP_DISPLAY_WIDTH:
      kq_image_set_display_width (self, g_value_get_uint (value));
      break;
    case PROP_ALTERNATIVE_TEXT:
      kq_image_set_alternative_text (self, g_value_get_string (value));
      break;
    case PROP_BLOCKED:
      kq_image_set_blocked (self, g_value_get_boolean (value));
      break;
    case PROP_DEFERRED:
      kq_image_set_deferred (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_image_class_init (KqImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kq_image_dispose;
  object_class->finalize = kq_image_finalize;
  object_class->get_property = kq_image_get_property;
  object_class->set_property = kq_image_set_property;

  widget_class->get_request_mode = kq_image_get_request_mode;
  widget_class->measure = kq_image_measure;
  widget_class->size_allocate = kq_image_size_allocate;
  widget_class->snapshot = kq_image_snapshot;
  widget_class->map = kq_image_map;

  properties[PROP_LOADER] =
    g_param_spec_object ("loader", NULL, NULL, KQ_TYPE_IMAGE_LOADER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTRINSIC_WIDTH] =
    g_param_spec_uint ("intrinsic-width", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTRINSIC_HEIGHT] =
    g_param_spec_uint ("intrinsic-height", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_WIDTH] =
    g_param_spec_uint ("display-width", NULL, NULL, 1, 8192, DEFAULT_DISPLAY_WIDTH,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALTERNATIVE_TEXT] =
    g_param_spec_string ("alternative-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILED] =
    g_param_spec_boolean ("failed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOCKED] =
    g_param_spec_boolean ("blocked", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFERRED] =
    g_param_spec_boolean ("deferred", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "kq-image");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kq_image_init (KqImage *self)
{
  self->display_width = DEFAULT_DISPLAY_WIDTH;

  self->failed_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (self->failed_box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->failed_box, "dim-label");
  self->failed_icon = gtk_image_new_from_icon_name ("image-missing-symbolic");
  self->failed_label = gtk_label_new (_("Image unavailable"));
  gtk_label_set_wrap (GTK_LABEL (self->failed_label), TRUE);
  gtk_widget_add_css_class (self->failed_label, "caption");
  gtk_box_append (GTK_BOX (self->failed_box), self->failed_icon);
  gtk_box_append (GTK_BOX (self->failed_box), self->failed_label);
  gtk_widget_set_parent (self->failed_box, GTK_WIDGET (self));
  gtk_widget_set_visible (self->failed_box, FALSE);

  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_cb), NULL);
  update_state (self);
}

/* Public API */

GtkWidget *
kq_image_new (KqImageLoader *loader)
{
  return g_object_new (KQ_TYPE_IMAGE, "loader", loader, NULL);
}

void
kq_image_set_loader (KqImage       *self,
                     KqImageLoader *loader)
{
  g_return_if_fail (KQ_IS_IMAGE (self));
  g_return_if_fail (!loader || KQ_IS_IMAGE_LOADER (loader));

  if (g_set_object (&self->loader, loader))
    {
      reset (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADER]);
    }
}

KqImageLoader *
kq_image_get_loader (KqImage *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE (self), NULL);

  return self->loader;
}

void
kq_image_set_url (KqImage    *self,
                  const char *url)
{
  g_return_if_fail (KQ_IS_IMAGE (self));

  if (set_str (&self->url, url))
    {
      reset (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
    }
}

const char *
kq_image_get_url (KqImage *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE (self), NULL);

  return self->url;
}

void
kq_image_set_intrinsic_size (KqImage *self,
                             guint    width,
                             guint    height)
{
  g_return_if_fail (KQ_IS_IMAGE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->intrinsic_width != width)
    {
      self->intrinsic_width = width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTRINSIC_WIDTH]);
    }
  if (self->intrinsic_height != height)
    {
      self->intrinsic_height = height;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTRINSIC_HEIGHT]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
kq_image_set_display_width (KqImage *self,
                            guint    width)
{
  g_return_if_fail (KQ_IS_IMAGE (self));
  g_return_if_fail (width > 0);

  if (self->display_width == width)
    return;

  self->display_width = width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_WIDTH]);
}

guint
kq_image_get_display_width (KqImage *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE (self), 0);

  return self->display_width;
}

void
kq_image_set_alternative_text (KqImage    *self,
                               const char *text)
{
  g_return_if_fail (KQ_IS_IMAGE (self));

  if (!set_str (&self->alternative_text, text))
    return;
  if (self->blocked)
    update_state (self);

  if (text != NULL && *text != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALTERNATIVE_TEXT]);
}

GdkTexture *
kq_image_get_texture (KqImage *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE (self), NULL);

  return self->texture;
}

gboolean
kq_image_get_failed (KqImage *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE (self), FALSE);

  return self->failed;
}

/* Blocked ("never load images"): nothing is fetched; the alternative text
 * (or "Image not loaded") shows instead. Unblocking loads it. */
void
kq_image_set_blocked (KqImage  *self,
                      gboolean  blocked)
{
  g_return_if_fail (KQ_IS_IMAGE (self));

  blocked = !!blocked;
  if (self->blocked == blocked)
    return;

  self->blocked = blocked;
  if (blocked)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->loading = FALSE;
      set_texture (self, NULL);
    }
  reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED]);
}

gboolean
kq_image_get_blocked (KqImage *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE (self), FALSE);

  return self->blocked;
}

/* Deferred: the image shows only if the memory cache has it; nothing is
 * fetched (nor read from the disk cache) until it is no longer deferred. An
 * article's view defers the images far from what the reader sees, and lets
 * them load as they come near. */
void
kq_image_set_deferred (KqImage  *self,
                       gboolean  deferred)
{
  g_return_if_fail (KQ_IS_IMAGE (self));

  deferred = !!deferred;
  if (self->deferred == deferred)
    return;

  self->deferred = deferred;
  if (!deferred)
    {
      self->looked_up = FALSE;
      /* Laid out already: the load starts now; else once it is. */
      if (gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->needs_layout &&
          gtk_widget_get_width (GTK_WIDGET (self)) > 0)
        start_load (self, FALSE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFERRED]);
}

gboolean
kq_image_get_deferred (KqImage *self)
{
  g_return_val_if_fail (KQ_IS_IMAGE (self), FALSE);

  return self->deferred;
}
