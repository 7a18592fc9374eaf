/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kq-block.h"

G_BEGIN_DECLS

/* Construction side of KqBlock, for the HTML walker and tests only. Blocks
 * are mutable until handed out in a document. */

struct _KqBlock
{
  gatomicrefcount  ref_count;
  KqBlockKind      kind;

  GPtrArray       *runs;      /* KqRun*, nullable */
  GPtrArray       *children;  /* KqBlock*, nullable */
  GPtrArray       *caption;   /* KqRun*, nullable */
  GPtrArray       *citation;  /* KqRun*, nullable */

  guint            level;
  int              start;
  guint            width;
  guint            height;
  KqAlign          align;
  KqEmbedProvider  provider;
  KqMediaKind      media_kind;
  guint            ordered : 1;
  guint            header : 1;

  char            *url;
  char            *link;
  char            *alt;
  char            *title;
  char            *thumbnail_url;
  char            *video_id;
  char            *text;
};

KqBlock   *_kq_block_new        (KqBlockKind  kind);
/* Takes ownership of @child. */
void       _kq_block_add_child  (KqBlock     *self,
                                 KqBlock     *child);

KqRun     *_kq_run_new          (KqRunFlags   flags,
                                 const char  *text,
                                 const char  *href);
/* A run whose @len bytes of @text are copied into the same allocation;
 * takes @href. */
KqRun     *_kq_run_new_inline   (KqRunFlags   flags,
                                 const char  *text,
                                 gsize        len,
                                 char        *href);
void       _kq_run_free         (KqRun       *run);
/* A new empty array of KqRun* that frees its runs. */
GPtrArray *_kq_runs_new         (void);

G_END_DECLS
