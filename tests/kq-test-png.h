/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * PNGs made on the spot for the image tests and benchmarks: valid headers
 * declaring any size, with little data behind them (decompression bombs).
 */

/* Declares @width × @height RGBA pixels but holds no pixel data at all. */
GBytes *kq_test_png_new_empty (guint32 width,
                               guint32 height);

/* A complete, valid 1-bit grey image of @width × @height black pixels: every
 * row is there, deflated (6300 × 6300 takes about 5 KB). */
GBytes *kq_test_png_new_blank (guint32 width,
                               guint32 height);

G_END_DECLS
