/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-inspect"

#include "config.h"

#include "kq-feed-parser.h"
#include "kq-inspect-json.h"
#include "kq-wp-parser.h"

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          GDateTime   *date)
{
  g_autoptr(GDateTime) utc = date ? g_date_time_to_utc (date) : NULL;
  g_autofree char *text = utc ? g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  add_string (builder, name, text);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values && values[i]; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_image (JsonBuilder *builder,
           const char  *name,
           const char  *url,
           guint        width,
           guint        height)
{
  json_builder_set_member_name (builder, name);
  if (url == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  add_string (builder, "url", url);
  add_int (builder, "width", width);
  add_int (builder, "height", height);
  json_builder_end_object (builder);
}

static void
build_article (JsonBuilder *builder,
               KqArticle   *article)
{
  GArray *ids = kq_article_get_category_ids (article);

  json_builder_begin_object (builder);
  add_int (builder, "id", kq_article_get_id (article));
  add_string (builder, "source", kq_article_get_source (article));
  add_string (builder, "title", kq_article_get_title (article));
  add_string (builder, "link", kq_article_get_link (article));
  add_date (builder, "date", kq_article_get_date (article));
  add_date (builder, "modified", kq_article_get_modified (article));
  add_string (builder, "author", kq_article_get_author (article));
  add_string (builder, "excerpt", kq_article_get_excerpt (article));

  json_builder_set_member_name (builder, "category_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; ids && i < ids->len; i++)
    json_builder_add_int_value (builder, g_array_index (ids, gint64, i));
  json_builder_end_array (builder);
  add_strv (builder, "category_names", kq_article_get_category_names (article));
  add_strv (builder, "tags", kq_article_get_tags (article));

  add_image (builder, "thumbnail", kq_article_get_thumbnail_url (article),
             kq_article_get_thumbnail_width (article), kq_article_get_thumbnail_height (article));
  add_image (builder, "image", kq_article_get_image_url (article),
             kq_article_get_image_width (article), kq_article_get_image_height (article));
  add_int (builder, "comment_count", kq_article_get_comment_count (article));
  json_builder_set_member_name (builder, "comments_open");
  json_builder_add_boolean_value (builder, kq_article_get_comments_open (article));
  add_int (builder, "reading_minutes", kq_article_get_reading_minutes (article));
  add_string (builder, "body_html", kq_article_get_body_html (article));
  json_builder_end_object (builder);
}

static void
build_category (JsonBuilder *builder,
                KqCategory  *category)
{
  json_builder_begin_object (builder);
  add_int (builder, "id", kq_category_get_id (category));
  add_string (builder, "source", kq_category_get_source (category));
  add_string (builder, "name", kq_category_get_name (category));
  add_string (builder, "slug", kq_category_get_slug (category));
  add_int (builder, "parent", kq_category_get_parent (category));
  add_int (builder, "count", kq_category_get_count (category));
  add_int (builder, "position", kq_category_get_position (category));
  add_string (builder, "link", kq_category_get_link (category));
  json_builder_end_object (builder);
}

static void
build_comment (JsonBuilder *builder,
               KqComment   *comment)
{
  json_builder_begin_object (builder);
  add_int (builder, "id", kq_comment_get_id (comment));
  add_int (builder, "post_id", kq_comment_get_post_id (comment));
  add_int (builder, "parent", kq_comment_get_parent (comment));
  add_int (builder, "depth", kq_comment_get_depth (comment));
  add_string (builder, "author", kq_comment_get_author (comment));
  add_date (builder, "date", kq_comment_get_date (comment));
  add_string (builder, "link", kq_comment_get_link (comment));
  add_string (builder, "content_html", kq_comment_get_content_html (comment));
  json_builder_end_object (builder);
}

static void
build_any (JsonBuilder *builder,
           gpointer     model)
{
  if (KQ_IS_ARTICLE (model))
    build_article (builder, model);
  else if (KQ_IS_CATEGORY (model))
    build_category (builder, model);
  else if (KQ_IS_COMMENT (model))
    build_comment (builder, model);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
kq_inspect_json_article (KqArticle *article)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (KQ_IS_ARTICLE (article), NULL);
  build_article (builder, article);
  return json_builder_get_root (builder);
}

JsonNode *
kq_inspect_json_category (KqCategory *category)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (KQ_IS_CATEGORY (category), NULL);
  build_category (builder, category);
  return json_builder_get_root (builder);
}

JsonNode *
kq_inspect_json_comment (KqComment *comment)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (KQ_IS_COMMENT (comment), NULL);
  build_comment (builder, comment);
  return json_builder_get_root (builder);
}

JsonNode *
kq_inspect_json_list (GPtrArray *array)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (array != NULL, NULL);
  json_builder_begin_array (builder);
  for (guint i = 0; i < array->len; i++)
    build_any (builder, g_ptr_array_index (array, i));
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

JsonNode *
kq_inspect_json_feed (KqFeed *feed)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  GPtrArray *items;

  g_return_val_if_fail (KQ_IS_FEED (feed), NULL);
  items = kq_feed_get_items (feed);
  json_builder_begin_object (builder);
  add_string (builder, "kind", kq_feed_get_kind (feed));
  add_string (builder, "title", kq_feed_get_title (feed));
  add_string (builder, "link", kq_feed_get_link (feed));
  add_string (builder, "description", kq_feed_get_description (feed));
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    build_article (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
kq_inspect_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

char *
kq_inspect_parse (KqInspectKind   kind,
                  GBytes         *data,
                  const char     *source,
                  const char     *base_url,
                  GError        **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  switch (kind)
    {
    case KQ_INSPECT_KIND_FEED:
      {
        g_autoptr(KqFeed) feed = kq_feed_parser_parse (data, source, base_url, error);
        if (feed)
          node = kq_inspect_json_feed (feed);
      }
      break;
    case KQ_INSPECT_KIND_WP_POSTS:
      {
        g_autoptr(GPtrArray) posts = kq_wp_parser_parse_posts (data, source, error);
        if (posts)
          node = kq_inspect_json_list (posts);
      }
      break;
    case KQ_INSPECT_KIND_WP_POST:
      {
        g_autoptr(KqArticle) post = kq_wp_parser_parse_post (data, source, error);
        if (post)
          node = kq_inspect_json_article (post);
      }
      break;
    case KQ_INSPECT_KIND_WP_CATEGORIES:
      {
        g_autoptr(GPtrArray) categories = kq_wp_parser_parse_categories (data, source, error);
        if (categories)
          node = kq_inspect_json_list (categories);
      }
      break;
    case KQ_INSPECT_KIND_WP_COMMENTS:
      {
        g_autoptr(GPtrArray) comments = kq_wp_parser_parse_comments (data, error);
        if (comments)
          node = kq_inspect_json_list (comments);
      }
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  return node ? kq_inspect_json_to_string (node) : NULL;
}

char *
kq_inspect_error_name (const GError *error)
{
  static const char * const wp_codes[] = { "INVALID", "API", "INVALID_PAGE" };
  static const char * const feed_codes[] = { "INVALID", "NOT_A_FEED" };

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == KQ_WP_ERROR && error->code >= 0 &&
      error->code < (int) G_N_ELEMENTS (wp_codes))
    return g_strconcat ("KQ_WP_ERROR_", wp_codes[error->code], NULL);
  if (error->domain == KQ_FEED_ERROR && error->code >= 0 &&
      error->code < (int) G_N_ELEMENTS (feed_codes))
    return g_strconcat ("KQ_FEED_ERROR_", feed_codes[error->code], NULL);
  return g_strdup_printf ("%s:%d", g_quark_to_string (error->domain), error->code);
}
