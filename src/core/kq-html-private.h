/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libxml/xmlerror.h>

#include "kq-block-private.h"
#include "kq-html.h"

G_BEGIN_DECLS

struct _KqHtmlDocument
{
  gatomicrefcount  ref_count;
  GPtrArray       *blocks;    /* KqBlock* */
  guint            n_blocks;
  gboolean         truncated;
};

/* Takes ownership of @blocks (a GPtrArray of KqBlock* freeing them). */
KqHtmlDocument *_kq_html_document_new (GPtrArray *blocks,
                                       guint      n_blocks,
                                       gboolean   truncated);

/* Embed recognition from an iframe src or a bare URL (kq-html-embed.c).
 * Always fills @provider and @target (a sanitised URL); the rest may be NULL.
 * Returns FALSE when @url is not an acceptable http(s) URL. */
gboolean        _kq_html_detect_embed (const char       *url,
                                       KqEmbedProvider  *provider,
                                       char            **target,
                                       char            **video_id,
                                       char            **thumbnail_url);

/* Picks the srcset candidate for @target_width; returns it unresolved, or
 * NULL when @srcset has no usable candidate. @width is the image's intrinsic
 * width (0 unknown), used to interpret "x" descriptors. */
char           *_kq_html_pick_srcset  (const char       *srcset,
                                       guint             width,
                                       guint             target_width);

/* libxml2 reports encoding and I/O errors (bytes that are not in the
 * document's encoding) through the thread's global error handlers, which
 * print to stderr whatever the parser options say. Between _begin and _end,
 * on one thread, they go to g_debug() instead; parser errors still go to the
 * parser context's own handler, or nowhere. */
typedef struct
{
  xmlStructuredErrorFunc  structured;
  void                   *structured_data;
  xmlGenericErrorFunc     generic;
  void                   *generic_data;
} KqXmlQuiet;

void            _kq_xml_quiet_begin   (KqXmlQuiet       *saved);
void            _kq_xml_quiet_end     (KqXmlQuiet       *saved);

G_END_DECLS
