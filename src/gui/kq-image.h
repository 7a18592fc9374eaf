/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kq-image-loader.h"

G_BEGIN_DECLS

#define KQ_TYPE_IMAGE (kq_image_get_type ())

G_DECLARE_FINAL_TYPE (KqImage, kq_image, KQ, IMAGE, GtkWidget)

/*
 * A remote image in an article. While it loads it reserves the space of its
 * intrinsic aspect ratio (from "intrinsic-width"/"intrinsic-height", 16:9
 * when unknown) with a placeholder, so the text does not jump; then it shows
 * the texture, never wider than the image itself. A failed load shows a
 * small "Image unavailable" placeholder.
 *
 * Loading starts when the widget is mapped and laid out (and not deferred),
 * through "loader", at "display-width" pixels (times the scale factor) at
 * most.
 *
 * Properties: "loader", "url", "intrinsic-width", "intrinsic-height",
 * "display-width", "texture" (read-only, set once loaded), "failed"
 * (read-only), "alternative-text", "blocked" (never fetch: the alternative
 * text or "Image not loaded" shows instead, for the "never load images"
 * preference), "deferred" (fetch nothing until it is unset; an image the
 * memory cache holds shows all the same).
 */

GtkWidget  *kq_image_new                   (KqImageLoader *loader);

void        kq_image_set_loader            (KqImage       *self,
                                            KqImageLoader *loader);
KqImageLoader *kq_image_get_loader         (KqImage       *self);
void        kq_image_set_url               (KqImage       *self,
                                            const char    *url);
const char *kq_image_get_url               (KqImage       *self);
void        kq_image_set_intrinsic_size    (KqImage       *self,
                                            guint          width,
                                            guint          height);
void        kq_image_set_display_width     (KqImage       *self,
                                            guint          width);
guint       kq_image_get_display_width     (KqImage       *self);
void        kq_image_set_alternative_text  (KqImage       *self,
                                            const char    *text);
GdkTexture *kq_image_get_texture           (KqImage       *self);
gboolean    kq_image_get_failed            (KqImage       *self);
void        kq_image_set_blocked           (KqImage       *self,
                                            gboolean       blocked);
gboolean    kq_image_get_blocked           (KqImage       *self);
void        kq_image_set_deferred          (KqImage       *self,
                                            gboolean       deferred);
gboolean    kq_image_get_deferred          (KqImage       *self);

G_END_DECLS
