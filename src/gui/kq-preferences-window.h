/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kq-library.h"

G_BEGIN_DECLS

#define KQ_TYPE_PREFERENCES_WINDOW (kq_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (KqPreferencesWindow, kq_preferences_window, KQ, PREFERENCES_WINDOW, AdwPreferencesWindow)

KqPreferencesWindow *kq_preferences_window_new (GtkWindow *parent,
                                                GSettings *settings,
                                                KqLibrary *library);

G_END_DECLS
