/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kq-application.h"
#include "kq-library.h"

G_BEGIN_DECLS

#define KQ_TYPE_WINDOW (kq_window_get_type ())

G_DECLARE_FINAL_TYPE (KqWindow, kq_window, KQ, WINDOW, AdwApplicationWindow)

KqWindow *kq_window_new          (KqApplication *application);
void      kq_window_show_article (KqWindow      *self,
                                  gint64         id);
KqLibrary *kq_window_get_library (KqWindow     *self);

G_END_DECLS
