/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-block.h"

G_BEGIN_DECLS

/*
 * KqHtml: article body HTML → a sanitised block document (see kq-block.h).
 *
 * Parsing uses libxml2's HTML parser (recover mode, no network). Input is
 * taken as UTF-8 unless a <meta charset> says otherwise; invalid bytes become
 * U+FFFD. Scripts, styles, forms, comments, hidden elements and tracking
 * pixels are dropped; unknown elements keep their text. Only http(s) links
 * and images survive, resolved against base_url. Nesting deeper than
 * max_depth is flattened to text; input beyond max_input_bytes and blocks
 * beyond max_blocks are cut off, and the document is marked truncated.
 * Never fails: the worst input gives an empty document.
 */

/*
 * Options; zero-initialise and set what you need. A zero field means the
 * default.
 */
typedef struct {
  guint    target_image_width;   /* px the image is shown at, for srcset; default 800 */
  gsize    max_input_bytes;      /* default 4 MiB */
  guint    max_depth;            /* element nesting; default 256 */
  guint    max_blocks;           /* all blocks, nested included; default 10,000 */
  gboolean no_typography;        /* TRUE: leave spaces as they are (default: French typography) */
  /* Where a YouTube video's poster is fetched: this + ID + "/hqdefault.jpg"; default
   * KQ_HTML_DEFAULT_YOUTUBE_POSTERS. Tests point it at their own server. */
  const char *youtube_posters;
} KqHtmlOptions;

#define KQ_HTML_DEFAULT_IMAGE_WIDTH 800
#define KQ_HTML_DEFAULT_MAX_INPUT   (4 * 1024 * 1024)
#define KQ_HTML_DEFAULT_MAX_DEPTH   256
#define KQ_HTML_DEFAULT_MAX_BLOCKS  10000
#define KQ_HTML_DEFAULT_YOUTUBE_POSTERS "https://i.ytimg.com/vi/"

typedef struct _KqHtmlDocument KqHtmlDocument;

#define KQ_TYPE_HTML_DOCUMENT (kq_html_document_get_type ())

GType            kq_html_document_get_type      (void) G_GNUC_CONST;
KqHtmlDocument  *kq_html_document_ref           (KqHtmlDocument  *self);
void             kq_html_document_unref         (KqHtmlDocument  *self);

/* Top-level blocks, KqBlock* (transfer none), never NULL. */
GPtrArray       *kq_html_document_get_blocks    (KqHtmlDocument  *self);
/* TRUE when a limit (input size, blocks, depth) cut something off. */
gboolean         kq_html_document_get_truncated (KqHtmlDocument  *self);
/* Number of blocks, nested ones included. */
guint            kq_html_document_get_n_blocks  (KqHtmlDocument  *self);
/* Plain text of the whole document, blocks separated by blank lines. */
char            *kq_html_document_to_text       (KqHtmlDocument  *self);
/*
 * Pretty-printed JSON (2-space indent, trailing newline): {"truncated": bool,
 * "blocks": [...]}; each block {"kind": "...", ...fields that are set...},
 * each run {"text": "...", "flags": ["bold", ...], "href": "..."}; U+00A0 and
 * U+202F are written as \u00a0 and \u202f so they stay visible. Used by
 * `kiosque-inspect html` and the golden tests.
 */
char            *kq_html_document_to_json       (KqHtmlDocument  *self);
/* Drops the first image when it is @image_url (shown above the body). */
gboolean         kq_html_document_drop_image    (KqHtmlDocument  *self,
                                                 const char      *image_url);

KqHtmlDocument  *kq_html_parse                  (const char           *html,
                                                 gssize                len,
                                                 const char           *base_url,
                                                 const KqHtmlOptions  *opts);

/* Same on a worker thread; html is copied. Fails only when cancelled. */
void             kq_html_parse_async            (const char           *html,
                                                 gssize                len,
                                                 const char           *base_url,
                                                 const KqHtmlOptions  *opts,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
KqHtmlDocument  *kq_html_parse_finish           (GAsyncResult         *result,
                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqHtmlDocument, kq_html_document_unref)

G_END_DECLS
