/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <string.h>

#include "kq-html-private.h"
#include "kq-url-private.h"

/* Images (srcset, lazy loading, tracking pixels), iframes as embeds,
 * <audio>/<video>, and figures: captions, galleries. */

static gboolean
is_tracking_pixel (xmlNode *node,
                   guint    width,
                   guint    height)
{
  const char *w = _kq_html_attr (node, "width");
  const char *h = _kq_html_attr (node, "height");

  /* width="0" parses as 0 = unknown; check the attribute text too. */
  if ((w != NULL && g_ascii_strtoll (w, NULL, 10) <= 2 && g_ascii_isdigit (*w)) ||
      (h != NULL && g_ascii_strtoll (h, NULL, 10) <= 2 && g_ascii_isdigit (*h)))
    return TRUE;

  return (width > 0 && width <= 2) || (height > 0 && height <= 2);
}

static const char *
lazy_attr (xmlNode     *node,
           const char  *plain,
           const char **lazy_names)
{
  const char *value = _kq_html_attr (node, plain);

  if (value != NULL && *value != '\0' && !g_str_has_prefix (value, "data:"))
    return value;
  for (guint i = 0; lazy_names[i] != NULL; i++)
    {
      const char *lazy = _kq_html_attr (node, lazy_names[i]);

      if (lazy != NULL && *lazy != '\0')
        return lazy;
    }
  return value;
}

void
_kq_html_handle_img (KqHtmlBuilder      *b,
                     KqHtmlContainer    *c,
                     xmlNode            *node,
                     const KqHtmlInline *in)
{
  static const char *lazy_src[] = { "data-src", "data-lazy-src", "data-original", NULL };
  static const char *lazy_srcset[] = { "data-srcset", "data-lazy-srcset", NULL };
  const char *src = lazy_attr (node, "src", lazy_src);
  const char *srcset = lazy_attr (node, "srcset", lazy_srcset);
  const char *alt = _kq_html_attr (node, "alt");
  guint width = _kq_html_uint_attr (node, "width");
  guint height = _kq_html_uint_attr (node, "height");
  g_autofree char *url = NULL;
  g_autofree char *picked = NULL;
  KqBlock *block;

  if (is_tracking_pixel (node, width, height))
    return;

  /* WordPress emoji images: keep the character. */
  if (_kq_html_has_class (node, "wp-smiley") || _kq_html_has_class (node, "emoji"))
    {
      _kq_html_append_text (c, alt, in);
      return;
    }

  /* Inline-only content keeps images aside when it can (table cells,
   * headings), else drops them (captions, citations). */
  if (c->inline_only && c->figures == NULL)
    return;

  picked = _kq_html_pick_srcset (srcset, width, b->opts.target_image_width);
  if (picked != NULL)
    url = _kq_url_sanitize_with_clean_base (picked, b->base_url);
  if (url == NULL)
    url = _kq_url_sanitize_with_clean_base (src, b->base_url);
  if (url == NULL)
    return;
  /* Each image is a widget and a download: the rest of a gallery of
   * thousands is left out. */
  if (b->n_images >= KQ_HTML_MAX_IMAGES)
    {
      b->truncated = TRUE;
      return;
    }
  b->n_images++;

  if (!c->inline_only)
    _kq_html_flush (b, c);
  block = _kq_html_new_block (b, KQ_BLOCK_IMAGE);
  block->url = g_steal_pointer (&url);
  block->width = width;
  block->height = height;
  block->align = _kq_html_element_align (node);
  if (in->href != NULL)
    block->link = g_strdup (in->href);
  block->alt = _kq_html_collapse_whitespace (alt);
  if (c->inline_only)
    g_ptr_array_add (c->figures, block);
  else
    _kq_html_add_block (c, block);
}

void
_kq_html_handle_iframe (KqHtmlBuilder   *b,
                        KqHtmlContainer *c,
                        xmlNode         *node)
{
  static const char *lazy_src[] = { "data-src", "data-lazy-src", NULL };
  const char *src = lazy_attr (node, "src", lazy_src);
  const char *title = _kq_html_attr (node, "title");
  g_autofree char *url = _kq_url_sanitize_with_clean_base (src, b->base_url);
  KqBlock *block;

  if (url == NULL || c->inline_only)
    return;

  _kq_html_flush (b, c);
  block = _kq_html_embed_from_url (b, url, FALSE);
  if (block == NULL)
    return;
  block->title = _kq_html_make_title (b, title);
  block->width = _kq_html_uint_attr (node, "width");
  block->height = _kq_html_uint_attr (node, "height");
  _kq_html_add_block (c, block);
}

void
_kq_html_handle_media (KqHtmlBuilder   *b,
                       KqHtmlContainer *c,
                       xmlNode         *node,
                       gboolean         audio)
{
  g_autofree char *url = _kq_url_sanitize_with_clean_base (_kq_html_attr (node, "src"), b->base_url);
  const char *title = _kq_html_attr (node, "title");
  KqBlock *block;

  /* libxml2 does not know <source> is void: later ones nest in earlier ones. */
  for (xmlNode *child = node->children; child != NULL && url == NULL;)
    {
      xmlNode *next = NULL;

      if (_kq_html_is_element (child, "source"))
        {
          url = _kq_url_sanitize_with_clean_base (_kq_html_attr (child, "src"), b->base_url);
          next = child->children;
        }
      child = next != NULL ? next : child->next;
    }

  if (url == NULL || c->inline_only)
    return;

  _kq_html_flush (b, c);
  block = _kq_html_new_block (b, KQ_BLOCK_MEDIA);
  block->media_kind = audio ? KQ_MEDIA_AUDIO : KQ_MEDIA_VIDEO;
  block->url = g_steal_pointer (&url);
  if (!audio)
    block->thumbnail_url = _kq_url_sanitize_with_clean_base (_kq_html_attr (node, "poster"), b->base_url);
  if (title == NULL)
    title = _kq_html_attr (node, "aria-label");
  block->title = _kq_html_make_title (b, title);
  block->width = _kq_html_uint_attr (node, "width");
  block->height = _kq_html_uint_attr (node, "height");
  _kq_html_add_block (c, block);
}

static gboolean
is_caption_element (xmlNode *node)
{
  return _kq_html_is_element (node, "figcaption") ||
         _kq_html_has_class (node, "wp-caption-text") ||
         _kq_html_has_class (node, "gallery-caption") ||
         _kq_html_has_class (node, "blocks-gallery-caption");
}

gboolean
_kq_html_is_figure_like (xmlNode *node)
{
  static const char * const classes[] = {
    "wp-caption", "gallery", "tiled-gallery", "gallery-item", NULL
  };

  return _kq_html_is_element (node, "figure") || _kq_html_has_any_class (node, classes);
}

static gboolean
is_gallery (xmlNode *node)
{
  static const char * const classes[] = {
    "wp-block-gallery", "gallery", "tiled-gallery", "blocks-gallery-grid", NULL
  };

  return _kq_html_has_any_class (node, classes);
}

static void
collect_images (KqBlock   *block,
                GPtrArray *images)
{
  GPtrArray *children = kq_block_get_children (block);

  if (block->kind == KQ_BLOCK_IMAGE)
    {
      g_ptr_array_add (images, kq_block_ref (block));
      return;
    }
  /* A table's images stay in their cells: a figure around a table is no
   * gallery. */
  if (block->kind == KQ_BLOCK_TABLE)
    return;
  for (guint i = 0; i < children->len; i++)
    collect_images (g_ptr_array_index (children, i), images);
}

void
_kq_html_handle_figure (KqHtmlBuilder      *b,
                        KqHtmlContainer    *c,
                        xmlNode            *node,
                        const KqHtmlInline *in,
                        guint               depth)
{
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GPtrArray) caption = NULL;
  g_autoptr(GPtrArray) images = NULL;
  KqAlign align = _kq_html_element_align (node);
  KqHtmlContainer sub;
  guint n_media = 0;
  KqBlock *only = NULL;

  if (c->inline_only)
    {
      _kq_html_soft_break (c);
      _kq_html_walk_children (b, c, node, in, depth);
      _kq_html_soft_break (c);
      return;
    }

  if (_kq_html_has_class (node, "wp-block-pullquote"))
    {
      KqBlock *quote;

      _kq_html_flush (b, c);
      quote = _kq_html_new_block (b, KQ_BLOCK_PULLQUOTE);
      _kq_html_fill_quote (b, quote, node, in, depth, TRUE);
      if (quote->children == NULL && quote->citation == NULL)
        kq_block_unref (quote);
      else
        _kq_html_add_block (c, quote);
      return;
    }

  _kq_html_flush (b, c);
  blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  _kq_html_container_init (&sub, blocks);

  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    {
      if (child->type == XML_ELEMENT_NODE && is_caption_element (child) && !_kq_html_is_hidden (child))
        {
          g_autoptr(GPtrArray) runs = NULL;

          _kq_html_flush (b, &sub);
          runs = _kq_html_collect_runs (b, child, in, depth + 1, NULL);
          _kq_html_append_runs (b, &caption, runs);
        }
      else
        _kq_html_walk_node (b, &sub, child, in, depth + 1);
    }
  _kq_html_flush (b, &sub);
  _kq_html_container_clear (&sub);

  images = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  for (guint i = 0; i < blocks->len; i++)
    {
      KqBlock *block = g_ptr_array_index (blocks, i);

      collect_images (block, images);
      if (block->kind == KQ_BLOCK_IMAGE || block->kind == KQ_BLOCK_EMBED ||
          block->kind == KQ_BLOCK_MEDIA || block->kind == KQ_BLOCK_TABLE ||
          block->kind == KQ_BLOCK_CODE)
        {
          n_media++;
          only = block;
        }
    }

  /* An embed block whose iframe was not rendered: its wrapper holds the URL. */
  if (_kq_html_has_class (node, "wp-block-embed") && n_media == 0 && blocks->len == 1 &&
      kq_block_get_kind (g_ptr_array_index (blocks, 0)) == KQ_BLOCK_PARAGRAPH)
    {
      const char *url = _kq_html_runs_single_url (kq_block_get_runs (g_ptr_array_index (blocks, 0)));
      KqBlock *embed = url != NULL ? _kq_html_embed_from_url (b, url, FALSE) : NULL;

      if (embed != NULL)
        {
          g_ptr_array_set_size (blocks, 0);
          g_ptr_array_add (blocks, embed);
          n_media = 1;
          only = embed;
        }
    }

  /* A gallery of one image is that image, with the gallery's caption when it
   * has none of its own. */
  if (images->len == 1 && is_gallery (node))
    {
      if (caption != NULL && kq_block_get_caption (images->pdata[0])->len == 0)
        ((KqBlock *) images->pdata[0])->caption = g_steal_pointer (&caption);
      n_media = 1;
      only = images->pdata[0];
    }
  else if ((is_gallery (node) && images->len > 0) || images->len >= 2)
    {
      KqBlock *gallery;

      gallery = _kq_html_new_block (b, KQ_BLOCK_GALLERY);
      for (guint i = 0; i < images->len; i++)
        _kq_block_add_child (gallery, kq_block_ref (images->pdata[i]));
      gallery->caption = g_steal_pointer (&caption);
      _kq_html_add_block (c, gallery);

      /* Whatever else was there (text), after the gallery. */
      for (guint i = 0; i < blocks->len; i++)
        {
          KqBlock *block = g_ptr_array_index (blocks, i);
          g_autoptr(GPtrArray) inner = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);

          collect_images (block, inner);
          if (inner->len == 0)
            _kq_html_add_block (c, kq_block_ref (block));
        }
      return;
    }

  if (n_media == 1 && blocks->len == 1 && only != NULL)
    {
      if (only->align == KQ_ALIGN_NONE)
        only->align = align;
      if (caption != NULL && only->caption == NULL)
        only->caption = g_steal_pointer (&caption);
    }

  for (guint i = 0; i < blocks->len; i++)
    _kq_html_add_block (c, kq_block_ref (g_ptr_array_index (blocks, i)));

  if (caption != NULL)
    {
      KqBlock *para = _kq_html_new_block (b, KQ_BLOCK_PARAGRAPH);

      para->runs = g_steal_pointer (&caption);
      _kq_html_add_block (c, para);
    }
}
