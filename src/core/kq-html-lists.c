/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <string.h>

#include "kq-html-private.h"

/* Lists: <ul>, <ol> and their items, loose content included. */

void
_kq_html_handle_list (KqHtmlBuilder      *b,
                      KqHtmlContainer    *c,
                      xmlNode            *node,
                      const KqHtmlInline *in,
                      guint               depth,
                      gboolean            ordered)
{
  KqBlock *list;
  KqBlock *item = NULL;
  KqHtmlContainer sub;
  g_autoptr(GPtrArray) item_blocks = NULL;

  if (c->inline_only || b->nesting >= MAX_BLOCK_NESTING)
    {
      _kq_html_walk_block (b, c, node, in, depth, FALSE);
      return;
    }

  _kq_html_flush (b, c);
  list = _kq_html_new_block (b, KQ_BLOCK_LIST);
  list->ordered = ordered;
  if (ordered && _kq_html_attr (node, "start") != NULL)
    {
      const char *text = _kq_html_attr (node, "start");
      char *end = NULL;
      gint64 start = g_ascii_strtoll (text, &end, 10);

      if (end != text && *end == '\0')
        list->start = (int) CLAMP (start, -100000, 100000);
    }

  item_blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  _kq_html_container_init (&sub, item_blocks);

#define END_ITEM()                                                              \
  G_STMT_START {                                                                \
    if (item != NULL)                                                           \
      {                                                                         \
        _kq_html_flush (b, &sub);                                                        \
        for (guint _i = 0; _i < item_blocks->len; _i++)                        \
          _kq_block_add_child (item, kq_block_ref (g_ptr_array_index (item_blocks, _i))); \
        g_ptr_array_set_size (item_blocks, 0);                                  \
        if (item->children != NULL)                                             \
          _kq_block_add_child (list, item);                                     \
        else                                                                    \
          kq_block_unref (item);                                                \
        item = NULL;                                                            \
      }                                                                         \
  } G_STMT_END

  b->nesting++;
  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    {
      if (_kq_html_is_element (child, "li"))
        {
          END_ITEM ();
          if (_kq_html_is_hidden (child))
            continue;
          item = _kq_html_new_block (b, KQ_BLOCK_LIST_ITEM);
          _kq_html_walk_children (b, &sub, child, in, depth + 1);
          END_ITEM ();
        }
      else
        {
          /* Loose content: into the current loose item, or a new one. */
          if (child->type == XML_TEXT_NODE)
            {
              gboolean blank = TRUE;

              for (const char *p = (const char *) child->content; p && *p && blank; p++)
                blank = _kq_html_is_collapsible (*p);
              if (blank)
                continue;
            }
          else if (child->type != XML_ELEMENT_NODE)
            continue;

          if (item == NULL)
            item = _kq_html_new_block (b, KQ_BLOCK_LIST_ITEM);
          _kq_html_walk_node (b, &sub, child, in, depth + 1);
        }
    }
  b->nesting--;
  END_ITEM ();
#undef END_ITEM

  _kq_html_container_clear (&sub);

  if (list->children == NULL)
    kq_block_unref (list);
  else
    _kq_html_add_block (c, list);
}
