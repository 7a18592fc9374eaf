/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-feed.h"

G_BEGIN_DECLS

/*
 * RSS 2.0, Atom 1.0 and RSS 1.0 (RDF) → KqFeed of KqArticle.
 *
 * content:encoded, dc:creator, slash:comments, category (names, WordPress
 * mixes categories and tags there), enclosures and media:content /
 * media:thumbnail; dates in RFC 822 (any zone) and ISO 8601 as UTC; any
 * declared encoding. Relative links are resolved against @base_url (or the
 * feed's xml:base / link). Item ids are the WordPress post id when the guid
 * says "?p=N", else a stable 63-bit hash of the guid or link.
 *
 * Safe by construction: no network, no external entities, no DTD loading,
 * libxml2's entity amplification limits, input over 20 MB rejected. Broken
 * XML is recovered where a browser would; when nothing usable is left the
 * error is KQ_FEED_ERROR_INVALID with the line and column.
 *
 * A feed gives at most KQ_FEED_MAX_ITEMS items, the first ones: a feed with
 * more is cut there (peers show a 2,000-item feed; 100,000 is an attack).
 */

#define KQ_FEED_MAX_ITEMS 2000

#define KQ_FEED_ERROR (kq_feed_error_quark ())

typedef enum {
  KQ_FEED_ERROR_INVALID,     /* not well-formed beyond repair, empty, too large */
  KQ_FEED_ERROR_NOT_A_FEED,  /* well-formed XML/HTML, but not RSS/Atom/RDF */
} KqFeedError;

GQuark    kq_feed_error_quark            (void);

KqFeed   *kq_feed_parser_parse           (GBytes               *data,
                                          const char           *source,
                                          const char           *base_url,
                                          GError              **error);
void      kq_feed_parser_parse_async     (GBytes               *data,
                                          const char           *source,
                                          const char           *base_url,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
KqFeed   *kq_feed_parser_parse_finish    (GAsyncResult         *result,
                                          GError              **error);

/* Sniffs the first bytes for an RSS, Atom or RDF root element. */
gboolean  kq_feed_parser_looks_like_feed (GBytes               *data);

G_END_DECLS
