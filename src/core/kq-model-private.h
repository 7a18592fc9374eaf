/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Setters shared by the models (KqArticle, KqCategory, KqComment, KqFeed): each stores @value
 * in @field and notifies @pspec on @object only when the value changed. They return whether
 * it changed. */

gboolean _kq_model_set_string (GObject    *object,
                               char      **field,
                               const char *value,
                               GParamSpec *pspec);
/* _kq_model_set_string() taking @value (freed when it is no change). */
gboolean _kq_model_take_string (GObject    *object,
                                char      **field,
                                char       *value,
                                GParamSpec *pspec);
gboolean _kq_model_set_uint   (GObject    *object,
                               guint      *field,
                               guint       value,
                               GParamSpec *pspec);
gboolean _kq_model_set_int64  (GObject    *object,
                               gint64     *field,
                               gint64      value,
                               GParamSpec *pspec);
/* Any non-zero @value is TRUE. */
gboolean _kq_model_set_boolean (GObject    *object,
                                gboolean   *field,
                                gboolean    value,
                                GParamSpec *pspec);
/* An empty list and no list are the same (stored as NULL). */
gboolean _kq_model_set_strv   (GObject             *object,
                               char              ***field,
                               const char * const  *value,
                               GParamSpec          *pspec);
/* Stored in UTC whatever the zone of @value; equal instants are no change. */
gboolean _kq_model_set_date   (GObject    *object,
                               GDateTime **field,
                               GDateTime  *value,
                               GParamSpec *pspec);

G_END_DECLS
