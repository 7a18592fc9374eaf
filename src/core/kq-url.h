/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * kq_html_sanitize_url:
 * @url: a URL as found in a document (href, src…), possibly relative
 * @base: (nullable): the absolute URL it is relative to (the article's link)
 *
 * Returns: (transfer full) (nullable): an absolute http:// or https:// URL
 * (whitespace trimmed, scheme and host lower-cased as GUri normalises them),
 * or NULL for anything else: javascript:, data:, file:, vbscript:, mailto:,
 * unparsable URLs, URLs without a host, relative URLs without a usable base,
 * or URLs containing control characters.
 */
char     *kq_html_sanitize_url (const char *url,
                                const char *base);

/* TRUE if @url is an absolute http(s) URL with a host (no resolution). */
gboolean  kq_url_is_http       (const char *url);

G_END_DECLS
