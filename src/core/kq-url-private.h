/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kq-url.h"

G_BEGIN_DECLS

/* kq_html_sanitize_url() with a base that is already the result of
 * kq_html_sanitize_url() (or NULL): the base is not checked again. */
char *_kq_url_sanitize_with_clean_base (const char *url,
                                        const char *clean_base);

G_END_DECLS
