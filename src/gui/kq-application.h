/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kq-library.h"

G_BEGIN_DECLS

#define KQ_TYPE_APPLICATION (kq_application_get_type ())

G_DECLARE_FINAL_TYPE (KqApplication, kq_application, KQ, APPLICATION, AdwApplication)

KqApplication *kq_application_new          (void);
GSettings     *kq_application_get_settings (KqApplication *self);
/* `--source URL` (NULL when not given: the "source-url" setting applies). */
const char    *kq_application_get_source_url (KqApplication *self);
void           kq_application_set_source_url (KqApplication *self,
                                              const char    *url);
/* g_application_send_notification(), then the "notification-sent" signal. */
void           kq_application_send_notification (KqApplication *self,
                                                 const char    *id,
                                                 GNotification *notification);
/* `--offline`: the cache only. */
gboolean       kq_application_get_offline    (KqApplication *self);
void           kq_application_set_offline    (KqApplication *self,
                                              gboolean       offline);

/* The library the windows show (made on first use). */
KqLibrary     *kq_application_get_library    (KqApplication *self);
/* A library let go with the last window is still writing its last changes. */
gboolean       kq_application_get_closing    (KqApplication *self);
/* Returns the heap's free pages to the system once loading calms down. */
void           kq_application_release_memory (KqApplication *self);

G_END_DECLS
