/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-block"

#include "config.h"

#include <string.h>

#include "kq-block-private.h"

G_DEFINE_BOXED_TYPE (KqBlock, kq_block, kq_block_ref, kq_block_unref)

static GPtrArray *
empty_array (void)
{
  static GPtrArray *empty = NULL;

  if (g_once_init_enter (&empty))
    g_once_init_leave (&empty, g_ptr_array_new ());

  return empty;
}

KqRun *
_kq_run_new (KqRunFlags  flags,
             const char *text,
             const char *href)
{
  KqRun *run = g_new0 (KqRun, 1);

  run->flags = flags;
  run->text = g_strdup (text != NULL ? text : "");
  if (href != NULL && (flags & KQ_RUN_LINK) != 0)
    run->href = g_strdup (href);
  else
    run->flags &= ~KQ_RUN_LINK;

  return run;
}

void
_kq_run_free (KqRun *run)
{
  if (run == NULL)
    return;

  /* Text allocated with the run (_kq_run_new_inline) goes with it. */
  if (run->text != (char *) (run + 1))
    g_free (run->text);
  g_free (run->href);
  g_free (run);
}

KqRun *
_kq_run_new_inline (KqRunFlags  flags,
                    const char *text,
                    gsize       len,
                    char       *href)
{
  KqRun *run = g_malloc (sizeof (KqRun) + len + 1);

  run->flags = flags;
  run->text = (char *) (run + 1);
  memcpy (run->text, text, len);
  run->text[len] = '\0';
  run->href = href;

  return run;
}

GPtrArray *
_kq_runs_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) _kq_run_free);
}

KqBlock *
_kq_block_new (KqBlockKind kind)
{
  KqBlock *self = g_new0 (KqBlock, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->start = 1;

  return self;
}

void
_kq_block_add_child (KqBlock *self,
                     KqBlock *child)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (child != NULL);

  if (self->children == NULL)
    self->children = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  g_ptr_array_add (self->children, child);
}

static void
kq_block_free (KqBlock *self)
{
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_clear_pointer (&self->caption, g_ptr_array_unref);
  g_clear_pointer (&self->citation, g_ptr_array_unref);
  g_free (self->url);
  g_free (self->link);
  g_free (self->alt);
  g_free (self->title);
  g_free (self->thumbnail_url);
  g_free (self->video_id);
  g_free (self->text);
  g_free (self);
}

/**
 * kq_block_ref:
 * @self: a block
 *
 * Returns: (transfer full): @self
 */
KqBlock *
kq_block_ref (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
kq_block_unref (KqBlock *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    kq_block_free (self);
}

KqBlockKind
kq_block_get_kind (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, KQ_BLOCK_PARAGRAPH);
  return self->kind;
}

GPtrArray *
kq_block_get_runs (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, empty_array ());
  return self->runs != NULL ? self->runs : empty_array ();
}

GPtrArray *
kq_block_get_children (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, empty_array ());
  return self->children != NULL ? self->children : empty_array ();
}

GPtrArray *
kq_block_get_caption (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, empty_array ());
  return self->caption != NULL ? self->caption : empty_array ();
}

GPtrArray *
kq_block_get_citation (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, empty_array ());
  return self->citation != NULL ? self->citation : empty_array ();
}

guint
kq_block_get_level (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->kind == KQ_BLOCK_HEADING ? self->level : 0;
}

gboolean
kq_block_get_ordered (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->ordered;
}

int
kq_block_get_start (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, 1);
  return self->start;
}

gboolean
kq_block_get_header (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->header;
}

KqAlign
kq_block_get_align (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, KQ_ALIGN_NONE);
  return self->align;
}

const char *
kq_block_get_url (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->url;
}

const char *
kq_block_get_link (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->link;
}

const char *
kq_block_get_alt (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->alt;
}

guint
kq_block_get_width (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

guint
kq_block_get_height (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->height;
}

KqEmbedProvider
kq_block_get_provider (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, KQ_EMBED_PROVIDER_OTHER);
  return self->provider;
}

const char *
kq_block_get_title (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->title;
}

const char *
kq_block_get_thumbnail_url (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->thumbnail_url;
}

const char *
kq_block_get_video_id (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->video_id;
}

const char *
kq_block_get_text (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

KqMediaKind
kq_block_get_media_kind (KqBlock *self)
{
  g_return_val_if_fail (self != NULL, KQ_MEDIA_VIDEO);
  return self->media_kind;
}

const char *
kq_block_kind_to_string (KqBlockKind kind)
{
  switch (kind)
    {
    case KQ_BLOCK_PARAGRAPH: return "paragraph";
    case KQ_BLOCK_HEADING: return "heading";
    case KQ_BLOCK_QUOTE: return "quote";
    case KQ_BLOCK_PULLQUOTE: return "pullquote";
    case KQ_BLOCK_LIST: return "list";
    case KQ_BLOCK_LIST_ITEM: return "item";
    case KQ_BLOCK_IMAGE: return "image";
    case KQ_BLOCK_GALLERY: return "gallery";
    case KQ_BLOCK_EMBED: return "embed";
    case KQ_BLOCK_TABLE: return "table";
    case KQ_BLOCK_TABLE_ROW: return "row";
    case KQ_BLOCK_TABLE_CELL: return "cell";
    case KQ_BLOCK_CODE: return "code";
    case KQ_BLOCK_SEPARATOR: return "separator";
    case KQ_BLOCK_MEDIA: return "media";
    default: return "unknown";
    }
}

const char *
kq_embed_provider_to_string (KqEmbedProvider provider)
{
  switch (provider)
    {
    case KQ_EMBED_PROVIDER_YOUTUBE: return "youtube";
    case KQ_EMBED_PROVIDER_VIMEO: return "vimeo";
    case KQ_EMBED_PROVIDER_DAILYMOTION: return "dailymotion";
    case KQ_EMBED_PROVIDER_TWITTER: return "twitter";
    case KQ_EMBED_PROVIDER_OTHER:
    default: return "other";
    }
}

const char *
kq_media_kind_to_string (KqMediaKind kind)
{
  return kind == KQ_MEDIA_AUDIO ? "audio" : "video";
}

const char *
kq_align_to_string (KqAlign align)
{
  switch (align)
    {
    case KQ_ALIGN_LEFT: return "left";
    case KQ_ALIGN_CENTER: return "center";
    case KQ_ALIGN_RIGHT: return "right";
    case KQ_ALIGN_NONE:
    default: return "none";
    }
}

static const struct {
  KqRunFlags  flag;
  const char *open;
  const char *close;
} markup_tags[] = {
  { KQ_RUN_BOLD, "<b>", "</b>" },
  { KQ_RUN_ITALIC, "<i>", "</i>" },
  { KQ_RUN_UNDERLINE, "<u>", "</u>" },
  { KQ_RUN_STRIKE, "<s>", "</s>" },
  { KQ_RUN_CODE, "<tt>", "</tt>" },
  { KQ_RUN_SUPERSCRIPT, "<sup>", "</sup>" },
  { KQ_RUN_SUBSCRIPT, "<sub>", "</sub>" },
};

/**
 * kq_block_runs_to_markup:
 * @runs: (element-type KqRun): runs
 *
 * Returns: (transfer full): Pango markup; consecutive runs with the same
 * link share one <a> element.
 */
char *
kq_block_runs_to_markup (GPtrArray *runs)
{
  GString *out = g_string_new (NULL);
  const char *open_href = NULL;

  if (runs == NULL)
    return g_string_free (out, FALSE);

  for (guint i = 0; i < runs->len; i++)
    {
      const KqRun *run = g_ptr_array_index (runs, i);
      const char *href = (run->flags & KQ_RUN_LINK) ? run->href : NULL;
      g_autofree char *escaped = NULL;

      if (open_href != NULL && g_strcmp0 (open_href, href) != 0)
        {
          g_string_append (out, "</a>");
          open_href = NULL;
        }

      if (run->flags & KQ_RUN_LINE_BREAK)
        {
          g_string_append_c (out, '\n');
          continue;
        }

      if (href != NULL && open_href == NULL)
        {
          g_autofree char *escaped_href = g_markup_escape_text (href, -1);

          g_string_append_printf (out, "<a href=\"%s\">", escaped_href);
          open_href = href;
        }

      for (guint t = 0; t < G_N_ELEMENTS (markup_tags); t++)
        if (run->flags & markup_tags[t].flag)
          g_string_append (out, markup_tags[t].open);

      escaped = g_markup_escape_text (run->text, -1);
      g_string_append (out, escaped);

      for (guint t = G_N_ELEMENTS (markup_tags); t > 0; t--)
        if (run->flags & markup_tags[t - 1].flag)
          g_string_append (out, markup_tags[t - 1].close);
    }

  if (open_href != NULL)
    g_string_append (out, "</a>");

  return g_string_free (out, FALSE);
}

char *
kq_block_runs_to_text (GPtrArray *runs)
{
  GString *out = g_string_new (NULL);

  if (runs == NULL)
    return g_string_free (out, FALSE);

  for (guint i = 0; i < runs->len; i++)
    {
      const KqRun *run = g_ptr_array_index (runs, i);

      g_string_append (out, (run->flags & KQ_RUN_LINE_BREAK) ? "\n" : run->text);
    }

  return g_string_free (out, FALSE);
}
