/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The block document: what KqHtml makes of an article body. A document is a
 * list of KqBlock; some blocks hold child blocks (quotes, lists, galleries,
 * tables), text-bearing blocks hold inline runs (KqRun).
 *
 * Everything is immutable once built and safe to share between threads. All
 * strings are valid UTF-8. All URLs are absolute http(s) URLs, already
 * sanitised (see kq-url.h); a URL that was not acceptable is simply absent.
 * Getters that return arrays never return NULL (an empty array instead);
 * getters that do not apply to a block's kind return NULL / 0 / FALSE.
 *
 * Kinds and what they carry:
 *
 *   PARAGRAPH    runs, align. Never empty (empty paragraphs are dropped).
 *   HEADING      runs, level (1–6), align. Images inside a heading follow it
 *                as IMAGE blocks (the heading is dropped if it has no text).
 *   QUOTE        children (blocks), citation (runs; may be empty).
 *   PULLQUOTE    children (blocks), citation (runs; may be empty).
 *   LIST         ordered, start (first number of an ordered list, default 1),
 *                children: LIST_ITEM blocks only.
 *   LIST_ITEM    children (blocks: PARAGRAPH, nested LIST, IMAGE, …).
 *   IMAGE        url (the chosen source: the best srcset candidate for the
 *                target width), alt, width and height (intrinsic, from the
 *                attributes; 0 when unknown), link (when the image is wrapped
 *                in a link, e.g. to the full-size file; else NULL), caption
 *                (runs; may be empty), align.
 *   GALLERY      children: IMAGE blocks only (each with its own caption),
 *                caption (runs, the gallery's caption; may be empty).
 *   EMBED        provider, url (target to open in a browser, e.g.
 *                "https://www.youtube.com/watch?v=ID"), title (may be NULL),
 *                thumbnail_url (YouTube: https://i.ytimg.com/vi/ID/hqdefault.jpg,
 *                Dailymotion: its thumbnail URL; else NULL), video_id (YouTube,
 *                Vimeo, Dailymotion; else NULL), width/height (iframe's, 0 when
 *                unknown), caption (runs).
 *   TABLE        children: TABLE_ROW blocks, caption (runs).
 *   TABLE_ROW    children: TABLE_CELL blocks, header (row of <thead> or all <th>).
 *   TABLE_CELL   runs (nested block content is flattened to runs with line
 *                breaks), header (<th>), children: the IMAGE blocks found in
 *                the cell, in order (shown above its text).
 *   CODE         text (preformatted, whitespace kept, no typography), caption.
 *   SEPARATOR    nothing.
 *   MEDIA        media_kind (video or audio), url (the media file, to open
 *                externally), thumbnail_url (video poster, may be NULL), title
 *                (may be NULL), caption (runs).
 *
 * QUOTE, PULLQUOTE and LIST nest at most 16 levels deep; deeper ones are
 * turned into paragraphs of the enclosing block.
 */

typedef enum {
  KQ_BLOCK_PARAGRAPH,
  KQ_BLOCK_HEADING,
  KQ_BLOCK_QUOTE,
  KQ_BLOCK_PULLQUOTE,
  KQ_BLOCK_LIST,
  KQ_BLOCK_LIST_ITEM,
  KQ_BLOCK_IMAGE,
  KQ_BLOCK_GALLERY,
  KQ_BLOCK_EMBED,
  KQ_BLOCK_TABLE,
  KQ_BLOCK_TABLE_ROW,
  KQ_BLOCK_TABLE_CELL,
  KQ_BLOCK_CODE,
  KQ_BLOCK_SEPARATOR,
  KQ_BLOCK_MEDIA,
} KqBlockKind;

typedef enum {
  KQ_EMBED_PROVIDER_OTHER,
  KQ_EMBED_PROVIDER_YOUTUBE,
  KQ_EMBED_PROVIDER_VIMEO,
  KQ_EMBED_PROVIDER_DAILYMOTION,
  KQ_EMBED_PROVIDER_TWITTER,
} KqEmbedProvider;

typedef enum {
  KQ_MEDIA_VIDEO,
  KQ_MEDIA_AUDIO,
} KqMediaKind;

typedef enum {
  KQ_ALIGN_NONE,
  KQ_ALIGN_LEFT,
  KQ_ALIGN_CENTER,
  KQ_ALIGN_RIGHT,
} KqAlign;

typedef enum {
  KQ_RUN_NONE        = 0,
  KQ_RUN_BOLD        = 1 << 0,
  KQ_RUN_ITALIC      = 1 << 1,
  KQ_RUN_UNDERLINE   = 1 << 2,
  KQ_RUN_STRIKE      = 1 << 3,
  KQ_RUN_CODE        = 1 << 4,
  KQ_RUN_SUPERSCRIPT = 1 << 5,
  KQ_RUN_SUBSCRIPT   = 1 << 6,
  KQ_RUN_LINK        = 1 << 7, /* href is set */
  KQ_RUN_LINE_BREAK  = 1 << 8, /* text is "\n"; other flags irrelevant */
} KqRunFlags;

/*
 * An inline run: a piece of text with one set of styles. Adjacent runs with
 * the same flags and href are merged. Whitespace is collapsed as a browser
 * would; French typography (non-breaking spaces) is applied except in CODE
 * runs. Read-only: owned by its block.
 */
typedef struct {
  KqRunFlags  flags;
  char       *text;  /* never NULL */
  char       *href;  /* absolute http(s) URL iff flags & KQ_RUN_LINK, else NULL */
} KqRun;

typedef struct _KqBlock KqBlock;

#define KQ_TYPE_BLOCK (kq_block_get_type ())

GType            kq_block_get_type          (void) G_GNUC_CONST;

KqBlock         *kq_block_ref               (KqBlock     *self);
void             kq_block_unref             (KqBlock     *self);

KqBlockKind      kq_block_get_kind          (KqBlock     *self);
/* KqRun* (transfer none), never NULL. PARAGRAPH, HEADING, TABLE_CELL. */
GPtrArray       *kq_block_get_runs          (KqBlock     *self);
/* KqBlock* (transfer none), never NULL. QUOTE, PULLQUOTE, LIST, LIST_ITEM,
 * GALLERY, TABLE, TABLE_ROW, TABLE_CELL (its images). */
GPtrArray       *kq_block_get_children      (KqBlock     *self);
/* KqRun* (transfer none), never NULL. IMAGE, GALLERY, EMBED, TABLE, CODE, MEDIA. */
GPtrArray       *kq_block_get_caption       (KqBlock     *self);
/* KqRun* (transfer none), never NULL. QUOTE, PULLQUOTE. */
GPtrArray       *kq_block_get_citation      (KqBlock     *self);
guint            kq_block_get_level         (KqBlock     *self);
gboolean         kq_block_get_ordered       (KqBlock     *self);
int              kq_block_get_start         (KqBlock     *self);
gboolean         kq_block_get_header        (KqBlock     *self);
KqAlign          kq_block_get_align         (KqBlock     *self);
const char      *kq_block_get_url           (KqBlock     *self);
const char      *kq_block_get_link          (KqBlock     *self);
const char      *kq_block_get_alt           (KqBlock     *self);
guint            kq_block_get_width         (KqBlock     *self);
guint            kq_block_get_height        (KqBlock     *self);
KqEmbedProvider  kq_block_get_provider      (KqBlock     *self);
const char      *kq_block_get_title         (KqBlock     *self);
const char      *kq_block_get_thumbnail_url (KqBlock     *self);
const char      *kq_block_get_video_id      (KqBlock     *self);
const char      *kq_block_get_text          (KqBlock     *self);
KqMediaKind      kq_block_get_media_kind    (KqBlock     *self);

/* Stable lower-case names, as used in the JSON dump ("paragraph", "youtube"…). */
const char      *kq_block_kind_to_string     (KqBlockKind      kind);
const char      *kq_embed_provider_to_string (KqEmbedProvider  provider);
const char      *kq_media_kind_to_string     (KqMediaKind      kind);
const char      *kq_align_to_string          (KqAlign          align);

/*
 * Pango markup for a list of KqRun (as returned by kq_block_get_runs(),
 * _caption(), _citation()): text escaped with g_markup_escape_text, styles as
 * <b> <i> <u> <s> <tt> <sup> <sub>, links as <a href="…"> (outermost, for
 * GtkLabel), line breaks as "\n". Never NULL.
 */
char            *kq_block_runs_to_markup    (GPtrArray   *runs);
/* The runs' plain text (line breaks as "\n"). Never NULL. */
char            *kq_block_runs_to_text      (GPtrArray   *runs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqBlock, kq_block_unref)

G_END_DECLS
