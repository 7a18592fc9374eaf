/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <string.h>

#include "kq-html-private.h"
#include "kq-url-private.h"

/* The tree walk: dispatch by element, block and inline elements,
 * headings, quotes and social embeds, preformatted text, separators. */

/* Element handlers */

static void
handle_heading (KqHtmlBuilder      *b,
                KqHtmlContainer    *c,
                xmlNode            *node,
                const KqHtmlInline *in,
                guint               depth)
{
  g_autoptr(GPtrArray) figures = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  g_autofree gpointer *images = NULL;
  gsize n_images = 0;
  GPtrArray *runs;

  _kq_html_flush (b, c);
  runs = _kq_html_collect_runs (b, node, in, depth, figures);
  if (runs != NULL)
    {
      KqBlock *block = _kq_html_new_block (b, KQ_BLOCK_HEADING);

      block->level = CLAMP (node->name[1] - '0', 1, 6);
      block->runs = runs;
      block->align = _kq_html_element_align (node);
      _kq_html_add_block (c, block);
    }

  /* Images in a heading (a logo, an illustration) follow it. */
  images = g_ptr_array_steal (figures, &n_images);
  for (gsize i = 0; i < n_images; i++)
    _kq_html_add_block (c, images[i]);
}

static gboolean
is_citation_element (xmlNode *node)
{
  return _kq_html_is_element (node, "cite") || _kq_html_is_element (node, "footer") ||
         _kq_html_is_element (node, "figcaption");
}

/* Fills a QUOTE/PULLQUOTE from @node's children: <cite>, <footer> and
 * <figcaption> children are the citation; with @flatten, nested
 * blockquotes add to the same quote (pullquote markup). */
void
_kq_html_fill_quote (KqHtmlBuilder      *b,
                     KqBlock            *quote,
                     xmlNode            *node,
                     const KqHtmlInline *in,
                     guint               depth,
                     gboolean            flatten)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  KqHtmlContainer sub;

  _kq_html_container_init (&sub, blocks);

  b->nesting++;
  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    {
      if (child->type == XML_ELEMENT_NODE && is_citation_element (child) && !_kq_html_is_hidden (child))
        {
          g_autoptr(GPtrArray) runs = NULL;

          _kq_html_flush (b, &sub);
          runs = _kq_html_collect_runs (b, child, in, depth + 1, NULL);
          _kq_html_append_runs (b, &quote->citation, runs);
        }
      else if (flatten && _kq_html_is_element (child, "blockquote") && depth + 1 < b->opts.max_depth)
        {
          _kq_html_flush (b, &sub);
          for (guint i = 0; i < blocks->len; i++)
            _kq_block_add_child (quote, kq_block_ref (g_ptr_array_index (blocks, i)));
          g_ptr_array_set_size (blocks, 0);
          _kq_html_fill_quote (b, quote, child, in, depth + 1, TRUE);
        }
      else
        _kq_html_walk_node (b, &sub, child, in, depth + 1);
    }
  b->nesting--;
  _kq_html_flush (b, &sub);
  _kq_html_container_clear (&sub);

  for (guint i = 0; i < blocks->len; i++)
    _kq_block_add_child (quote, kq_block_ref (g_ptr_array_index (blocks, i)));
}

static char *
first_link (xmlNode    *node,
            const char *must_contain)
{
  /* Iterative search for an <a href> containing @must_contain. */
  xmlNode *cur = node->children;
  char *found = NULL;

  while (cur != NULL)
    {
      if (cur->type == XML_ELEMENT_NODE)
        {
          const char *href = _kq_html_is_element (cur, "a") ? _kq_html_attr (cur, "href") : NULL;

          if (href != NULL && (must_contain == NULL || strstr (href, must_contain) != NULL))
            {
              g_free (found);
              found = g_strdup (href);
            }
          if (cur->children != NULL)
            {
              cur = cur->children;
              continue;
            }
        }
      while (cur != NULL && cur != node && cur->next == NULL)
        cur = cur->parent;
      if (cur == NULL || cur == node)
        break;
      cur = cur->next;
    }

  return found;
}

static gboolean
handle_social_embed (KqHtmlBuilder   *b,
                     KqHtmlContainer *c,
                     xmlNode         *node)
{
  g_autofree char *url = NULL;
  g_autofree char *resolved = NULL;
  KqBlock *block;

  if (_kq_html_has_class (node, "twitter-tweet") || _kq_html_has_class (node, "twitter-video"))
    url = first_link (node, "/status/");
  else if (_kq_html_has_class (node, "instagram-media"))
    url = g_strdup (_kq_html_attr (node, "data-instgrm-permalink"));
  else if (_kq_html_has_class (node, "tiktok-embed"))
    url = g_strdup (_kq_html_attr (node, "cite"));
  else
    return FALSE;

  if (url == NULL)
    url = first_link (node, NULL);
  resolved = _kq_url_sanitize_with_clean_base (url, b->base_url);
  if (resolved == NULL)
    return FALSE;

  _kq_html_flush (b, c);
  block = _kq_html_embed_from_url (b, resolved, FALSE);
  if (block == NULL)
    return FALSE;

  /* The post's text, as the card's title. */
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (_kq_html_is_element (child, "p"))
        {
          g_autoptr(GString) text = g_string_new (NULL);

          _kq_html_collect_text (child, text);
          block->title = _kq_html_make_title (b, text->str);
          break;
        }
    }

  _kq_html_add_block (c, block);
  return TRUE;
}

static void
handle_blockquote (KqHtmlBuilder      *b,
                   KqHtmlContainer    *c,
                   xmlNode            *node,
                   const KqHtmlInline *in,
                   guint               depth)
{
  KqBlock *quote;
  gboolean pull;

  if (c->inline_only || b->nesting >= MAX_BLOCK_NESTING)
    {
      _kq_html_walk_block (b, c, node, in, depth, FALSE);
      return;
    }

  if (handle_social_embed (b, c, node))
    return;

  _kq_html_flush (b, c);
  pull = _kq_html_has_class (node, "wp-block-pullquote");
  quote = _kq_html_new_block (b, pull ? KQ_BLOCK_PULLQUOTE : KQ_BLOCK_QUOTE);
  _kq_html_fill_quote (b, quote, node, in, depth, pull);

  if (quote->children == NULL && quote->citation == NULL)
    kq_block_unref (quote);
  else
    _kq_html_add_block (c, quote);
}

static void
handle_pre (KqHtmlBuilder      *b,
            KqHtmlContainer    *c,
            xmlNode            *node,
            const KqHtmlInline *in,
            guint               depth)
{
  g_autoptr(GString) text = NULL;
  KqBlock *block;
  KqHtmlInline code_in = { in->flags | KQ_RUN_CODE, in->href };

  if (_kq_html_has_class (node, "wp-block-verse"))
    {
      gboolean was_pre = c->pre;

      _kq_html_flush (b, c);
      c->pre = TRUE;
      _kq_html_walk_children (b, c, node, in, depth);
      _kq_html_flush (b, c);
      c->pre = was_pre;
      return;
    }

  text = g_string_new (NULL);
  _kq_html_collect_text (node, text);

  /* A single leading newline is not content; trailing whitespace neither. */
  if (text->len > 0 && text->str[0] == '\n')
    g_string_erase (text, 0, 1);
  while (text->len > 0 && g_ascii_isspace (text->str[text->len - 1]))
    g_string_truncate (text, text->len - 1);
  if (text->len == 0)
    return;

  if (c->inline_only)
    {
      gboolean was_pre = c->pre;

      _kq_html_soft_break (c);
      c->pre = TRUE;
      _kq_html_append_text (c, text->str, &code_in);
      c->pre = was_pre;
      _kq_html_soft_break (c);
      return;
    }

  _kq_html_flush (b, c);
  block = _kq_html_new_block (b, KQ_BLOCK_CODE);
  block->text = g_string_free (g_steal_pointer (&text), FALSE);
  _kq_html_add_block (c, block);
}

static void
handle_hr (KqHtmlBuilder   *b,
           KqHtmlContainer *c)
{
  if (c->inline_only)
    {
      _kq_html_soft_break (c);
      return;
    }

  _kq_html_flush (b, c);
  if (c->blocks->len > 0 &&
      kq_block_get_kind (g_ptr_array_index (c->blocks, c->blocks->len - 1)) == KQ_BLOCK_SEPARATOR)
    return;
  _kq_html_add_block (c, _kq_html_new_block (b, KQ_BLOCK_SEPARATOR));
}

static void
flatten (KqHtmlBuilder      *b,
         KqHtmlContainer    *c,
         xmlNode            *node,
         const KqHtmlInline *in)
{
  g_autoptr(GString) text = g_string_new (NULL);

  b->truncated = TRUE;
  _kq_html_collect_text (node, text);
  _kq_html_append_text (c, text->str, in);
}

void
_kq_html_walk_children (KqHtmlBuilder      *b,
                        KqHtmlContainer    *c,
                        xmlNode            *node,
                        const KqHtmlInline *in,
                        guint               depth)
{
  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    _kq_html_walk_node (b, c, child, in, depth);
}

void
_kq_html_walk_block (KqHtmlBuilder      *b,
                     KqHtmlContainer    *c,
                     xmlNode            *node,
                     const KqHtmlInline *in,
                     guint               depth,
                     gboolean            paragraph)
{
  KqAlign saved = c->align;
  KqAlign align = _kq_html_element_align (node);
  KqHtmlInline styled = { in->flags | _kq_html_style_flags (node), in->href };

  if (c->inline_only)
    {
      _kq_html_soft_break (c);
      _kq_html_walk_children (b, c, node, &styled, depth);
      _kq_html_soft_break (c);
      return;
    }

  /* text-align inherits, as in CSS. */
  _kq_html_flush (b, c);
  if (align != KQ_ALIGN_NONE)
    c->align = align;
  _kq_html_walk_children (b, c, node, &styled, depth);
  _kq_html_flush (b, c);
  c->align = saved;
}

void
_kq_html_walk_node (KqHtmlBuilder      *b,
                    KqHtmlContainer    *c,
                    xmlNode            *node,
                    const KqHtmlInline *in,
                    guint               depth)
{
  const KqHtmlElemInfo *info;

  if (b->stop)
    return;

  switch (node->type)
    {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
      _kq_html_append_text (c, (const char *) node->content, in);
      return;

    case XML_ELEMENT_NODE:
      break;

    default:
      return;
    }

  info = _kq_html_element_info (node);
  if (info->type == KQ_HTML_E_DROP || _kq_html_is_hidden (node))
    return;

  if (depth >= b->opts.max_depth)
    {
      flatten (b, c, node, in);
      return;
    }
  depth++;

  switch (info->type)
    {
    case KQ_HTML_E_DROP:
      break;

    case KQ_HTML_E_INLINE:
    case KQ_HTML_E_FLAG:
      {
        KqHtmlInline styled = { in->flags | info->flag | _kq_html_style_flags (node), in->href };

        _kq_html_walk_children (b, c, node, &styled, depth);
      }
      break;

    case KQ_HTML_E_A:
      {
        g_autofree char *href = _kq_url_sanitize_with_clean_base (_kq_html_attr (node, "href"), b->base_url);
        KqHtmlInline linked = { in->flags | _kq_html_style_flags (node), in->href };

        if (href != NULL)
          {
            linked.flags |= KQ_RUN_LINK;
            linked.href = href;
          }
        _kq_html_walk_children (b, c, node, &linked, depth);
      }
      break;

    case KQ_HTML_E_BR:
      _kq_html_append_break (c);
      break;

    case KQ_HTML_E_Q:
      /* French quotation marks, spaced by the typography pass. */
      _kq_html_append_text (c, "«", in);
      _kq_html_walk_children (b, c, node, in, depth);
      _kq_html_append_text (c, "»", in);
      break;

    case KQ_HTML_E_IMG:
      _kq_html_handle_img (b, c, node, in);
      break;

    case KQ_HTML_E_P:
      _kq_html_walk_block (b, c, node, in, depth, TRUE);
      break;

    case KQ_HTML_E_BLOCK:
      if (_kq_html_is_figure_like (node))
        _kq_html_handle_figure (b, c, node, in, depth);
      else if (_kq_html_has_class (node, "wp-block-pullquote") || _kq_html_has_class (node, "twitter-tweet"))
        handle_blockquote (b, c, node, in, depth);
      else
        _kq_html_walk_block (b, c, node, in, depth, FALSE);
      break;

    case KQ_HTML_E_HEADING:
      if (c->inline_only)
        _kq_html_walk_block (b, c, node, in, depth, FALSE);
      else
        handle_heading (b, c, node, in, depth);
      break;

    case KQ_HTML_E_BLOCKQUOTE:
      handle_blockquote (b, c, node, in, depth);
      break;

    case KQ_HTML_E_UL:
    case KQ_HTML_E_OL:
      if (_kq_html_has_class (node, "blocks-gallery-grid"))
        _kq_html_walk_block (b, c, node, in, depth, FALSE);
      else
        _kq_html_handle_list (b, c, node, in, depth, info->type == KQ_HTML_E_OL);
      break;

    case KQ_HTML_E_PRE:
      handle_pre (b, c, node, in, depth);
      break;

    case KQ_HTML_E_HR:
      handle_hr (b, c);
      break;

    case KQ_HTML_E_TABLE:
      _kq_html_handle_table (b, c, node, in, depth);
      break;

    case KQ_HTML_E_FIGURE:
      _kq_html_handle_figure (b, c, node, in, depth);
      break;

    case KQ_HTML_E_IFRAME:
      _kq_html_handle_iframe (b, c, node);
      break;

    case KQ_HTML_E_VIDEO:
    case KQ_HTML_E_AUDIO:
      _kq_html_handle_media (b, c, node, info->type == KQ_HTML_E_AUDIO);
      break;

    default:
      g_assert_not_reached ();
    }
}
