/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the parts of KqImageLoader share (internal API): the loader in
 * kq-image-loader.c, the header reader in kq-image-header.c, the decode
 * budget in kq-image-budget.c. */

/* kq-image-header.c */
/* The size an image's header declares, read without decoding anything
 * (PNG, JPEG, GIF, WebP, BMP). FALSE when unknown: another format (SVG),
 * a header cut short, or a declared 0. */
gboolean            _kq_image_header_read_size      (const guint8       *data,
                                                     gsize               len,
                                                     guint32            *width,
                                                     guint32            *height);

/* kq-image-budget.c */
typedef struct _KqImageBudget      KqImageBudget;
typedef struct _KqImageReservation KqImageReservation;

KqImageBudget      *_kq_image_budget_new            (gsize               limit);
/* The budget every loader shares unless given one of its own. */
KqImageBudget      *_kq_image_budget_get_default    (void);
KqImageBudget      *_kq_image_budget_ref            (KqImageBudget      *budget);
void                _kq_image_budget_unref          (KqImageBudget      *budget);
gsize               _kq_image_budget_get_limit      (KqImageBudget      *budget);
/* The most bytes reserved at once so far. */
gsize               _kq_image_budget_get_peak       (KqImageBudget      *budget);

/* Reserves @cost bytes of the budget for one decode. When they fit now,
 * *granted is TRUE and the decode may start; otherwise the reservation
 * waits in line and @ready runs on @context once it is granted.
 * Release it when the decode is over, or to leave the line. */
KqImageReservation *_kq_image_budget_reserve        (KqImageBudget      *budget,
                                                     gsize               cost,
                                                     GMainContext       *context,
                                                     GSourceFunc         ready,
                                                     gpointer            user_data,
                                                     gboolean           *granted);
void                _kq_image_reservation_release   (KqImageReservation *reservation);

G_END_DECLS
