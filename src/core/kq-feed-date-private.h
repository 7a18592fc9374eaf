/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GDateTime *_kq_feed_date_parse (const char *text);

G_END_DECLS
