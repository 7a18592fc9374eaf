/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kq-html-private.h"

G_DEFINE_BOXED_TYPE (KqHtmlDocument, kq_html_document,
                     kq_html_document_ref, kq_html_document_unref)

KqHtmlDocument *
_kq_html_document_new (GPtrArray *blocks,
                       guint      n_blocks,
                       gboolean   truncated)
{
  KqHtmlDocument *self = g_new0 (KqHtmlDocument, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->blocks = blocks != NULL ? blocks
                                : g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  self->n_blocks = n_blocks;
  self->truncated = truncated;

  return self;
}

/**
 * kq_html_document_ref:
 * @self: a document
 *
 * Returns: (transfer full): @self
 */
KqHtmlDocument *
kq_html_document_ref (KqHtmlDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
kq_html_document_unref (KqHtmlDocument *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_ptr_array_unref (self->blocks);
      g_free (self);
    }
}

GPtrArray *
kq_html_document_get_blocks (KqHtmlDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->blocks;
}

gboolean
kq_html_document_get_truncated (KqHtmlDocument *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->truncated;
}

guint
kq_html_document_get_n_blocks (KqHtmlDocument *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_blocks;
}

/* "https://site/wp-content/uploads/photo-1024x683.jpg?ver=2" →
 * "site/wp-content/uploads/photo.jpg": the file whatever the size
 * WordPress made of it ("-WxH", "-scaled"), the scheme and the query. */
static char *
picture_key (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL) : NULL;
  g_autoptr(GRegex) sized = NULL;
  const char *path;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  path = g_uri_get_path (uri);
  sized = g_regex_new ("(?:-\\d{1,5}x\\d{1,5}|-scaled)(\\.[A-Za-z0-9]{2,5})$", 0, 0, NULL);
  {
    g_autofree char *file = g_regex_replace (sized, path, -1, 0, "\\1", 0, NULL);

    return g_strconcat (g_uri_get_host (uri), file != NULL ? file : path, NULL);
  }
}

static gboolean
same_picture (const char *a,
              const char *b)
{
  g_autofree char *key_a = picture_key (a);
  g_autofree char *key_b = picture_key (b);

  return key_a != NULL && key_b != NULL && g_ascii_strcasecmp (key_a, key_b) == 0;
}

/**
 * kq_html_document_drop_image:
 * @self: a document, not yet shown
 * @image_url: the article's image, shown above the body
 *
 * Drops the body's first image when it is @image_url: the same file,
 * whatever the size WordPress made of it. Feeds have no featured image, so
 * their article's image is the body's first one, which would else show
 * twice. Only a first image among the top-level blocks, before any other
 * picture, is dropped.
 *
 * Returns: whether an image was dropped
 */
gboolean
kq_html_document_drop_image (KqHtmlDocument *self,
                             const char     *image_url)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (image_url == NULL)
    return FALSE;
  for (guint i = 0; i < self->blocks->len; i++)
    {
      KqBlock *block = g_ptr_array_index (self->blocks, i);
      KqBlockKind kind = kq_block_get_kind (block);

      if (kind == KQ_BLOCK_IMAGE)
        {
          if (!same_picture (kq_block_get_url (block), image_url) &&
              !same_picture (kq_block_get_link (block), image_url))
            return FALSE;
          g_ptr_array_remove_index (self->blocks, i);
          self->n_blocks--;
          return TRUE;
        }
      /* Another picture comes first: the image is not the body's first. */
      if (kind != KQ_BLOCK_PARAGRAPH && kind != KQ_BLOCK_HEADING &&
          kind != KQ_BLOCK_SEPARATOR)
        return FALSE;
    }
  return FALSE;
}

/* Plain text */

static void
append_runs_text (GString   *out,
                  GPtrArray *runs)
{
  g_autofree char *text = kq_block_runs_to_text (runs);

  if (*text == '\0')
    return;
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
  g_string_append (out, text);
}

static void
append_block_text (GString *out,
                   KqBlock *block,
                   guint    depth)
{
  GPtrArray *children = kq_block_get_children (block);

  if (out->len > 0 && depth == 0)
    g_string_append (out, "\n\n");

  switch (kq_block_get_kind (block))
    {
    case KQ_BLOCK_CODE:
      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
      g_string_append (out, kq_block_get_text (block));
      break;

    case KQ_BLOCK_IMAGE:
    case KQ_BLOCK_EMBED:
    case KQ_BLOCK_MEDIA:
      if (kq_block_get_caption (block)->len > 0)
        append_runs_text (out, kq_block_get_caption (block));
      else if (kq_block_get_alt (block) != NULL && *kq_block_get_alt (block) != '\0')
        {
          if (out->len > 0 && out->str[out->len - 1] != '\n')
            g_string_append_c (out, '\n');
          g_string_append (out, kq_block_get_alt (block));
        }
      else if (kq_block_get_title (block) != NULL)
        {
          if (out->len > 0 && out->str[out->len - 1] != '\n')
            g_string_append_c (out, '\n');
          g_string_append (out, kq_block_get_title (block));
        }
      break;

    case KQ_BLOCK_SEPARATOR:
      break;

    default:
      append_runs_text (out, kq_block_get_runs (block));
      for (guint i = 0; i < children->len; i++)
        append_block_text (out, g_ptr_array_index (children, i), depth + 1);
      append_runs_text (out, kq_block_get_caption (block));
      append_runs_text (out, kq_block_get_citation (block));
      break;
    }
}

char *
kq_html_document_to_text (KqHtmlDocument *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->blocks->len; i++)
    append_block_text (out, g_ptr_array_index (self->blocks, i), 0);

  return g_string_free (out, FALSE);
}

/* JSON */

static const struct {
  KqRunFlags  flag;
  const char *name;
} flag_names[] = {
  { KQ_RUN_BOLD, "bold" },
  { KQ_RUN_ITALIC, "italic" },
  { KQ_RUN_UNDERLINE, "underline" },
  { KQ_RUN_STRIKE, "strike" },
  { KQ_RUN_CODE, "code" },
  { KQ_RUN_SUPERSCRIPT, "superscript" },
  { KQ_RUN_SUBSCRIPT, "subscript" },
};

static void
build_runs (JsonBuilder *builder,
            const char  *member,
            GPtrArray   *runs)
{
  if (runs->len == 0)
    return;

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < runs->len; i++)
    {
      const KqRun *run = g_ptr_array_index (runs, i);
      gboolean any_flag = FALSE;

      json_builder_begin_object (builder);
      if (run->flags & KQ_RUN_LINE_BREAK)
        {
          json_builder_set_member_name (builder, "break");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
          continue;
        }

      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, run->text);

      for (guint f = 0; f < G_N_ELEMENTS (flag_names); f++)
        {
          if (!(run->flags & flag_names[f].flag))
            continue;
          if (!any_flag)
            {
              json_builder_set_member_name (builder, "flags");
              json_builder_begin_array (builder);
              any_flag = TRUE;
            }
          json_builder_add_string_value (builder, flag_names[f].name);
        }
      if (any_flag)
        json_builder_end_array (builder);

      if (run->href != NULL)
        {
          json_builder_set_member_name (builder, "href");
          json_builder_add_string_value (builder, run->href);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
build_string (JsonBuilder *builder,
              const char  *member,
              const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
build_uint (JsonBuilder *builder,
            const char  *member,
            guint        value)
{
  if (value == 0)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
build_block (JsonBuilder *builder,
             KqBlock     *block)
{
  KqBlockKind kind = kq_block_get_kind (block);
  GPtrArray *children = kq_block_get_children (block);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kq_block_kind_to_string (kind));

  if (kind == KQ_BLOCK_HEADING)
    build_uint (builder, "level", kq_block_get_level (block));
  if (kind == KQ_BLOCK_LIST)
    {
      json_builder_set_member_name (builder, "ordered");
      json_builder_add_boolean_value (builder, kq_block_get_ordered (block));
      if (kq_block_get_ordered (block) && kq_block_get_start (block) != 1)
        {
          json_builder_set_member_name (builder, "start");
          json_builder_add_int_value (builder, kq_block_get_start (block));
        }
    }
  if (kq_block_get_header (block))
    {
      json_builder_set_member_name (builder, "header");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (kq_block_get_align (block) != KQ_ALIGN_NONE)
    build_string (builder, "align", kq_align_to_string (kq_block_get_align (block)));
  if (kind == KQ_BLOCK_EMBED)
    build_string (builder, "provider", kq_embed_provider_to_string (kq_block_get_provider (block)));
  if (kind == KQ_BLOCK_MEDIA)
    build_string (builder, "media", kq_media_kind_to_string (kq_block_get_media_kind (block)));

  build_string (builder, "url", kq_block_get_url (block));
  build_string (builder, "link", kq_block_get_link (block));
  build_string (builder, "video_id", kq_block_get_video_id (block));
  build_string (builder, "thumbnail", kq_block_get_thumbnail_url (block));
  build_string (builder, "title", kq_block_get_title (block));
  build_string (builder, "alt", kq_block_get_alt (block));
  build_uint (builder, "width", kq_block_get_width (block));
  build_uint (builder, "height", kq_block_get_height (block));
  build_string (builder, "text", kq_block_get_text (block));

  build_runs (builder, "runs", kq_block_get_runs (block));

  if (children->len > 0)
    {
      json_builder_set_member_name (builder, "children");
      json_builder_begin_array (builder);
      for (guint i = 0; i < children->len; i++)
        build_block (builder, g_ptr_array_index (children, i));
      json_builder_end_array (builder);
    }

  build_runs (builder, "caption", kq_block_get_caption (block));
  build_runs (builder, "citation", kq_block_get_citation (block));

  json_builder_end_object (builder);
}

/* Invisible characters written as escapes so that golden files can be read. */
static char *
escape_invisible (const char *json)
{
  GString *out = g_string_sized_new (strlen (json) + 64);

  for (const char *p = json; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x00A0 || c == 0x00AD || c == 0x202F || c == 0x2009 || c == 0x2060 ||
          c == 0xFEFF || (c >= 0x200B && c <= 0x200F) || c == 0x2028 || c == 0x2029)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (out, FALSE);
}

char *
kq_html_document_to_json (KqHtmlDocument *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "truncated");
  json_builder_add_boolean_value (builder, self->truncated);
  json_builder_set_member_name (builder, "blocks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->blocks->len; i++)
    build_block (builder, g_ptr_array_index (self->blocks, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  escaped = escape_invisible (json);

  return g_strconcat (escaped, "\n", NULL);
}
