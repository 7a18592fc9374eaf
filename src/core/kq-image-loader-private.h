/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the parts of KqImageLoader share (internal API): the loader in
 * kq-image-loader.c, the header reader in kq-image-header.c. */

/* kq-image-header.c */
/* The size an image's header declares, read without decoding anything
 * (PNG, JPEG, GIF, WebP, BMP). FALSE when unknown: another format (SVG),
 * a header cut short, or a declared 0. */
gboolean            _kq_image_header_read_size      (const guint8       *data,
                                                     gsize               len,
                                                     guint32            *width,
                                                     guint32            *height);

G_END_DECLS
