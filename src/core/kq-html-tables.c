/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <string.h>

#include "kq-html-private.h"

/* Tables: caption, rows and cells (header rows from <thead> or all-<th>). */

static void
add_table_row (KqHtmlBuilder      *b,
               KqBlock            *table,
               xmlNode            *tr,
               const KqHtmlInline *in,
               guint               depth,
               gboolean            in_head)
{
  g_autoptr(GPtrArray) figures = NULL;
  KqBlock *row;
  gboolean all_th = TRUE;

  if (_kq_html_is_hidden (tr))
    return;

  row = _kq_html_new_block (b, KQ_BLOCK_TABLE_ROW);
  figures = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  for (xmlNode *cell = tr->children; cell != NULL && !b->stop; cell = cell->next)
    {
      gboolean th = _kq_html_is_element (cell, "th");
      g_autofree gpointer *images = NULL;
      gsize n_images = 0;
      KqBlock *block;

      if (!th && !_kq_html_is_element (cell, "td"))
        continue;
      if (!th)
        all_th = FALSE;

      block = _kq_html_new_block (b, KQ_BLOCK_TABLE_CELL);
      block->header = th || in_head;
      /* Images of the cell become its children. */
      block->runs = _kq_html_collect_runs (b, cell, in, depth + 1, figures);
      images = g_ptr_array_steal (figures, &n_images);
      for (gsize i = 0; i < n_images; i++)
        _kq_block_add_child (block, images[i]);
      _kq_block_add_child (row, block);
    }

  row->header = in_head || (all_th && row->children != NULL);
  if (row->children == NULL)
    kq_block_unref (row);
  else
    _kq_block_add_child (table, row);
}

void
_kq_html_handle_table (KqHtmlBuilder      *b,
                       KqHtmlContainer    *c,
                       xmlNode            *node,
                       const KqHtmlInline *in,
                       guint               depth)
{
  KqBlock *table;

  if (c->inline_only)
    {
      _kq_html_soft_break (c);
      _kq_html_walk_children (b, c, node, in, depth);
      _kq_html_soft_break (c);
      return;
    }

  _kq_html_flush (b, c);
  table = _kq_html_new_block (b, KQ_BLOCK_TABLE);

  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    {
      if (_kq_html_is_element (child, "caption"))
        {
          g_autoptr(GPtrArray) runs = _kq_html_collect_runs (b, child, in, depth + 1, NULL);

          _kq_html_append_runs (b, &table->caption, runs);
        }
      else if (_kq_html_is_element (child, "tr"))
        add_table_row (b, table, child, in, depth + 1, FALSE);
      else if ((_kq_html_is_element (child, "thead") || _kq_html_is_element (child, "tbody") ||
                _kq_html_is_element (child, "tfoot")) && !_kq_html_is_hidden (child) && depth + 2 < b->opts.max_depth)
        {
          gboolean head = _kq_html_is_element (child, "thead");

          for (xmlNode *tr = child->children; tr != NULL && !b->stop; tr = tr->next)
            if (_kq_html_is_element (tr, "tr"))
              add_table_row (b, table, tr, in, depth + 2, head);
        }
    }

  if (table->children == NULL)
    kq_block_unref (table);
  else
    _kq_html_add_block (c, table);
}
