/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libxml/tree.h>
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
 * Returns FALSE when @url is not an acceptable http(s) URL. A YouTube poster is
 * @youtube_posters + ID + "/hqdefault.jpg" (KqHtmlOptions.youtube_posters). */
gboolean        _kq_html_detect_embed (const char       *url,
                                       const char       *youtube_posters,
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

/* Attributes kept per tag (kq-html-attributes.c): libxml2 is quadratic in
 * the attributes of one element; no real one has this many. */
#define KQ_HTML_MAX_ATTRIBUTES 64

char           *_kq_html_bound_attributes (const char *html,
                                           gsize      *len_inout,
                                           guint       max);

/* Images of one document (kq-html-media.c): as many as a bookmark keeps
 * (KQ_STORE_MAX_IMAGES); an article with more is cut there. */
#define KQ_HTML_MAX_IMAGES 500

/* Text of one paragraph block, in bytes (kq-html-split.c): a longer one is
 * cut into several, so that no label lays out megabytes at once. */
#define KQ_HTML_MAX_PARAGRAPH 8000

GPtrArray      *_kq_html_split_runs   (GPtrArray        *runs,
                                       gsize             max);
gboolean        _kq_html_truncate_runs (GPtrArray       *runs,
                                        gsize            max);

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

/* The HTML → blocks walker, split across kq-html-*.c. */

/*
 * The walker. Recursive with an explicit depth limit: an element deeper
 * than max_depth has its text collected iteratively and appended as plain
 * text. Output goes into a KqHtmlContainer: either a list of blocks with an
 * open paragraph (a list of pending runs), or inline-only (headings, captions,
 * table cells, citations) where block elements turn into line breaks.
 */

typedef enum {
  KQ_HTML_E_INLINE,     /* unknown or neutral inline: keep text */
  KQ_HTML_E_FLAG,       /* b, i, code…: adds a run flag */
  KQ_HTML_E_DROP,
  KQ_HTML_E_BLOCK,      /* div-like: ends the paragraph */
  KQ_HTML_E_A,
  KQ_HTML_E_BR,
  KQ_HTML_E_IMG,
  KQ_HTML_E_Q,
  KQ_HTML_E_P,
  KQ_HTML_E_HEADING,
  KQ_HTML_E_BLOCKQUOTE,
  KQ_HTML_E_UL,
  KQ_HTML_E_OL,
  KQ_HTML_E_PRE,
  KQ_HTML_E_HR,
  KQ_HTML_E_TABLE,
  KQ_HTML_E_FIGURE,
  KQ_HTML_E_IFRAME,
  KQ_HTML_E_VIDEO,
  KQ_HTML_E_AUDIO,
} KqHtmlElemType;

typedef struct {
  const char     *name;
  KqHtmlElemType  type;
  KqRunFlags      flag;
} KqHtmlElemInfo;

typedef struct {
  KqHtmlOptions  opts;
  const char    *base_url;
  guint          n_blocks;
  guint          n_images;
  gboolean       truncated;
  gboolean       stop;
  guint          nesting;   /* quotes and lists open around the walker */
} KqHtmlBuilder;

/* A run of the open paragraph: its text is [start, start + len) of the
 * container's text buffer, the runs one after the other. */
typedef struct {
  KqRunFlags  flags;
  char       *href;
  gsize       start;
  gsize       len;
} KqHtmlPendingRun;

typedef struct {
  GPtrArray *blocks;        /* KqBlock*; NULL when inline-only */
  GArray    *runs;          /* KqHtmlPendingRun; NULL or empty when no open paragraph */
  GString   *text;          /* the runs' text, kept from paragraph to paragraph */
  GPtrArray *figures;       /* KqBlock* (IMAGE) met in inline-only content;
                             * NULL where they are dropped (captions) */
  KqAlign    align;
  guint      inline_only : 1;
  guint      pre : 1;
  guint      at_space : 1;      /* nothing yet, or ends in a space or break */
} KqHtmlContainer;

typedef struct {
  KqRunFlags  flags;
  const char *href;
} KqHtmlInline;

/* Quotes and lists nest at most this deep; deeper ones become paragraphs
 * of the enclosing block (the view builds one widget level per level). */
#define MAX_BLOCK_NESTING 16

/* DOM helpers and the element table (kq-html-dom.c) */

const KqHtmlElemInfo *
_kq_html_element_info (xmlNode *node);

gboolean
_kq_html_is_element (xmlNode    *node,
                     const char *name);

const char *
_kq_html_attr (xmlNode    *node,
               const char *name);

gboolean
_kq_html_has_class (xmlNode    *node,
                    const char *klass);

gboolean
_kq_html_has_any_class (xmlNode            *node,
                        const char * const *klasses);

gboolean
_kq_html_is_hidden (xmlNode *node);

KqRunFlags
_kq_html_style_flags (xmlNode *node);

KqAlign
_kq_html_element_align (xmlNode *node);

guint
_kq_html_uint_attr (xmlNode    *node,
                    const char *name);

char *
_kq_html_collapse_whitespace (const char *text);

char *
_kq_html_make_title (KqHtmlBuilder *b,
                     const char    *text);

void
_kq_html_collect_text (xmlNode *root,
                       GString *out);

/* Blocks, containers and inline runs (kq-html-runs.c) */

KqBlock *
_kq_html_new_block (KqHtmlBuilder *b,
                    KqBlockKind    kind);

void
_kq_html_add_block (KqHtmlContainer *c,
                    KqBlock         *block);

void
_kq_html_append_break (KqHtmlContainer *c);

void
_kq_html_soft_break (KqHtmlContainer *c);

gboolean
_kq_html_is_collapsible (char ch);

void
_kq_html_append_text (KqHtmlContainer    *c,
                      const char         *text,
                      const KqHtmlInline *in);

void
_kq_html_container_init (KqHtmlContainer *c,
                         GPtrArray       *blocks);

void
_kq_html_container_clear (KqHtmlContainer *c);

KqBlock *
_kq_html_embed_from_url (KqHtmlBuilder *b,
                         const char    *url,
                         gboolean       known_only);

const char *
_kq_html_runs_single_url (GPtrArray *runs);

void
_kq_html_flush (KqHtmlBuilder   *b,
                KqHtmlContainer *c);

GPtrArray *
_kq_html_collect_runs (KqHtmlBuilder      *b,
                       xmlNode            *node,
                       const KqHtmlInline *in,
                       guint               depth,
                       GPtrArray          *figures);

void
_kq_html_append_runs (KqHtmlBuilder  *b,
                      GPtrArray     **dest,
                      GPtrArray      *src);

/* The tree walk, headings, quotes, code (kq-html-walk.c) */

void
_kq_html_fill_quote (KqHtmlBuilder      *b,
                     KqBlock            *quote,
                     xmlNode            *node,
                     const KqHtmlInline *in,
                     guint               depth,
                     gboolean            flatten);

void
_kq_html_walk_children (KqHtmlBuilder      *b,
                        KqHtmlContainer    *c,
                        xmlNode            *node,
                        const KqHtmlInline *in,
                        guint               depth);

void
_kq_html_walk_block (KqHtmlBuilder      *b,
                     KqHtmlContainer    *c,
                     xmlNode            *node,
                     const KqHtmlInline *in,
                     guint               depth,
                     gboolean            paragraph);

void
_kq_html_walk_node (KqHtmlBuilder      *b,
                    KqHtmlContainer    *c,
                    xmlNode            *node,
                    const KqHtmlInline *in,
                    guint               depth);

/* Lists (kq-html-lists.c) */

void
_kq_html_handle_list (KqHtmlBuilder      *b,
                      KqHtmlContainer    *c,
                      xmlNode            *node,
                      const KqHtmlInline *in,
                      guint               depth,
                      gboolean            ordered);

/* Tables (kq-html-tables.c) */

void
_kq_html_handle_table (KqHtmlBuilder      *b,
                       KqHtmlContainer    *c,
                       xmlNode            *node,
                       const KqHtmlInline *in,
                       guint               depth);

/* Images, embeds, audio and video, figures and galleries (kq-html-media.c) */

void
_kq_html_handle_img (KqHtmlBuilder      *b,
                     KqHtmlContainer    *c,
                     xmlNode            *node,
                     const KqHtmlInline *in);

void
_kq_html_handle_iframe (KqHtmlBuilder   *b,
                        KqHtmlContainer *c,
                        xmlNode         *node);

void
_kq_html_handle_media (KqHtmlBuilder   *b,
                       KqHtmlContainer *c,
                       xmlNode         *node,
                       gboolean         audio);

gboolean
_kq_html_is_figure_like (xmlNode *node);

void
_kq_html_handle_figure (KqHtmlBuilder      *b,
                        KqHtmlContainer    *c,
                        xmlNode            *node,
                        const KqHtmlInline *in,
                        guint               depth);

G_END_DECLS
