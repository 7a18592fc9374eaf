/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *kq_date_format_relative (GDateTime *date,
                               GDateTime *now);

G_END_DECLS
