/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kq-url.h"

G_BEGIN_DECLS

/* kq_html_sanitize_url() with a base that is already the result of
 * kq_html_sanitize_url() (or NULL): the base is not checked again. */
char *_kq_url_sanitize_with_clean_base (const char *url,
                                        const char *clean_base);

/* g_uri_resolve_relative() (@base NULL for an absolute @ref) that gives
 * NULL where GLib would hit a critical: its relaxed parser ends a host at
 * ';' ("https://a;b/c" is host "a", path ";b/c") and GUri cannot write a
 * host followed by a path that does not start with '/'. */
char *_kq_url_resolve                  (const char *base,
                                        const char *ref,
                                        GUriFlags   flags);

G_END_DECLS
