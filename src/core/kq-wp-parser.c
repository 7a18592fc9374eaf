/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-wp-parser"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "kq-comment.h"
#include "kq-text-private.h"
#include "kq-wp-parser.h"

#define MAX_INPUT_SIZE   (20 * 1024 * 1024)
#define MAX_DEPTH        512
#define THUMBNAIL_TARGET 300
#define IMAGE_TARGET     1024

G_DEFINE_QUARK (kq-wp-error-quark, kq_wp_error)

/* ---------- Hostile-safe accessors: wrong types read as "absent" ---------- */

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, name);
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = member (object, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = member (object, name);

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
node_string (JsonNode *node)
{
  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  return node_string (member (object, name));
}

/* "title": {"rendered": "…"} or, leniently, "title": "…". */
static const char *
get_rendered (JsonObject *object,
              const char *name)
{
  JsonNode *node = member (object, name);

  if (node && JSON_NODE_HOLDS_OBJECT (node))
    return get_string (json_node_get_object (node), "rendered");
  return node_string (node);
}

/* Integers, integral doubles in range and decimal strings. */
static gboolean
node_int64 (JsonNode *node,
            gint64   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (!isfinite (d) || d != floor (d) || d < -9.0e15 || d > 9.0e15)
        return FALSE;
      *out = (gint64) d;
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      guint64 value;

      if (s == NULL || !g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64, &value, NULL))
        return FALSE;
      *out = (gint64) value;
      return TRUE;
    }
  return FALSE;
}

static gint64
get_int64 (JsonObject *object,
           const char *name,
           gint64      fallback)
{
  gint64 value;

  return node_int64 (member (object, name), &value) ? value : fallback;
}

/* A count or size: 0 when absent, negative or too large. */
static guint
get_uint (JsonObject *object,
          const char *name)
{
  gint64 value = get_int64 (object, name, 0);

  return value > 0 && value <= G_MAXUINT ? (guint) value : 0;
}

static char *
dup_valid (const char *str)
{
  if (str == NULL || *str == '\0')
    return NULL;
  return g_utf8_make_valid (str, -1);
}

/* WordPress dates: "2024-03-05T09:30:00" (the _gmt fields carry no zone). */
static GDateTime *
parse_date (const char *str)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) date = NULL;

  if (str == NULL || strlen (str) < 10 || strncmp (str, "0000", 4) == 0)
    return NULL;
  utc = g_time_zone_new_utc ();
  date = g_date_time_new_from_iso8601 (str, utc);
  if (date == NULL)
    {
      /* Only a date, or a space instead of 'T'. */
      g_autofree char *fixed = NULL;

      if (strlen (str) == 10)
        fixed = g_strconcat (str, "T00:00:00", NULL);
      else if (str[10] == ' ')
        {
          fixed = g_strdup (str);
          fixed[10] = 'T';
        }
      if (fixed)
        date = g_date_time_new_from_iso8601 (fixed, utc);
    }
  return date ? g_date_time_to_utc (date) : NULL;
}

/* ---------- Errors and the document ---------- */

static JsonNode *
load (GBytes  *json,
      GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *fixed = NULL;
  const char *data;
  gsize len = 0;
  gsize fixed_len = 0;
  JsonNode *root;

  data = json ? g_bytes_get_data (json, &len) : NULL;
  if (len > MAX_INPUT_SIZE)
    {
      g_set_error (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                   _("The site’s answer is too large (%u MB or more)."),
                   (guint) (len / (1024 * 1024)));
      return NULL;
    }
  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                           _("The site sent an empty answer."));
      return NULL;
    }
  switch (_kq_text_json_shape (data, len, MAX_DEPTH))
    {
    case KQ_JSON_SHAPE_TOO_DEEP:
      g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                           _("The site’s answer is nested too deeply to be read."));
      return NULL;
    case KQ_JSON_SHAPE_TRAILING:
      g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                           _("The site’s answer is not valid JSON: there is more after its end."));
      return NULL;
    case KQ_JSON_SHAPE_BAD_ESCAPE:
      g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                           _("The site’s answer is not valid JSON: a text holds an invalid escape sequence."));
      return NULL;
    case KQ_JSON_SHAPE_OK:
    default:
      break;
    }
  fixed = _kq_text_json_fix_surrogates (data, len, &fixed_len);
  if (fixed != NULL)
    {
      data = fixed;
      len = fixed_len;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &local_error) &&
      !g_utf8_validate (data, len, NULL))
    {
      /* A broken plugin wrote bytes that are not UTF-8: repair, retry. */
      g_autofree char *valid = g_utf8_make_valid (data, len);

      g_clear_error (&local_error);
      json_parser_load_from_data (parser, valid, -1, &local_error);
    }
  if (local_error != NULL)
    {
      /* json-glib quotes the offending bytes, UTF-8 or not. */
      g_autofree char *detail = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                   _("The site’s answer is not valid JSON: %s"), detail);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                           _("The site sent an empty answer."));
      return NULL;
    }
  return json_node_ref (root);
}

static gboolean
is_error_object (JsonObject *object)
{
  return get_string (object, "code") != NULL &&
         member (object, "message") != NULL &&
         member (object, "id") == NULL;
}

/* {"code": "…", "message": "…", "data": {"status": 400}} → GError. */
static void
set_api_error (JsonObject  *object,
               GError     **error)
{
  const char *code = get_string (object, "code");
  g_autofree char *message = _kq_text_from_html (get_string (object, "message"));
  guint status = get_uint (get_object (object, "data"), "status");

  if (g_strcmp0 (code, "rest_post_invalid_page_number") == 0)
    {
      g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID_PAGE,
                           _("There are no more articles."));
      return;
    }

  if (message == NULL || *message == '\0')
    g_set_error (error, KQ_WP_ERROR, KQ_WP_ERROR_API,
                 _("The site refused the request (%s)."), code);
  else if (status != 0)
    /* Translators: a WordPress error code, the HTTP status, then the site's own explanation */
    g_set_error (error, KQ_WP_ERROR, KQ_WP_ERROR_API,
                 _("The site refused the request (%s, %u): %s"), code, status, message);
  else
    /* Translators: a WordPress error code, then the site's own explanation */
    g_set_error (error, KQ_WP_ERROR, KQ_WP_ERROR_API,
                 _("The site refused the request (%s): %s"), code, message);
}

/* Returns the array at the root, or sets an error (API error or shape). */
static JsonArray *
root_array (JsonNode    *root,
            const char  *message,
            GError     **error)
{
  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);
  if (JSON_NODE_HOLDS_OBJECT (root) && is_error_object (json_node_get_object (root)))
    set_api_error (json_node_get_object (root), error);
  else
    g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID, message);
  return NULL;
}

/* ---------- Posts ---------- */

typedef struct
{
  const char *url;
  guint       width;
  guint       height;
  guint       rank;    /* width used to choose; the original counts as widest */
} ImageSize;

/* The smallest size at least @target wide, else the widest one. Sizes with
 * an unknown width only win when nothing else is known. */
static const ImageSize *
pick_size (GArray *sizes,
           guint   target)
{
  const ImageSize *best_above = NULL;
  const ImageSize *best_below = NULL;
  const ImageSize *unknown = NULL;

  for (guint i = 0; i < sizes->len; i++)
    {
      const ImageSize *size = &g_array_index (sizes, ImageSize, i);

      if (size->rank == 0)
        unknown = unknown ? unknown : size;
      else if (size->rank >= target)
        {
          if (best_above == NULL || size->rank < best_above->rank)
            best_above = size;
        }
      else if (best_below == NULL || size->rank > best_below->rank)
        best_below = size;
    }

  return best_above ? best_above : best_below ? best_below : unknown;
}

static void
add_size (GArray     *sizes,
          JsonObject *object)
{
  ImageSize size;

  size.url = get_string (object, "source_url");
  if (size.url == NULL || *size.url == '\0')
    return;
  size.width = get_uint (object, "width");
  size.height = get_uint (object, "height");
  size.rank = size.width;
  g_array_append_val (sizes, size);
}

static void
read_featured_media (KqArticle  *article,
                     JsonObject *embedded)
{
  JsonArray *slots = get_array (embedded, "wp:featuredmedia");
  JsonObject *media = NULL;
  JsonObject *details;
  JsonObject *sizes_object;
  g_autoptr(GArray) sizes = NULL;
  const ImageSize *thumbnail;
  const ImageSize *image;

  for (guint i = 0; slots && i < json_array_get_length (slots); i++)
    {
      JsonNode *node = json_array_get_element (slots, i);

      /* The slot can hold {"code": "rest_forbidden", …}: skip it. */
      if (JSON_NODE_HOLDS_OBJECT (node) && !is_error_object (json_node_get_object (node)))
        {
          media = json_node_get_object (node);
          break;
        }
    }
  if (media == NULL)
    return;

  sizes = g_array_new (FALSE, FALSE, sizeof (ImageSize));
  details = get_object (media, "media_details");
  sizes_object = get_object (details, "sizes");
  if (sizes_object)
    {
      JsonObjectIter iter;
      JsonNode *node;

      json_object_iter_init (&iter, sizes_object);
      while (json_object_iter_next (&iter, NULL, &node))
        if (JSON_NODE_HOLDS_OBJECT (node))
          add_size (sizes, json_node_get_object (node));
    }
  {
    ImageSize full = {
      get_string (media, "source_url"),
      get_uint (details, "width"),
      get_uint (details, "height"),
      0,
    };

    /* The original is at least as wide as any of its sizes. */
    full.rank = full.width > 0 || sizes->len == 0 ? full.width : G_MAXUINT;
    if (full.url != NULL && *full.url != '\0')
      g_array_append_val (sizes, full);
  }
  if (sizes->len == 0)
    return;

  thumbnail = pick_size (sizes, THUMBNAIL_TARGET);
  image = pick_size (sizes, IMAGE_TARGET);
  kq_article_set_thumbnail (article, thumbnail->url, thumbnail->width, thumbnail->height);
  kq_article_set_image (article, image->url, image->width, image->height);
}

/* "wp:term": [[categories…], [tags…]] — by "taxonomy" when present, else by
 * position. */
static void
read_terms (KqArticle  *article,
            JsonObject *embedded,
            GArray     *term_category_ids)
{
  JsonArray *groups = get_array (embedded, "wp:term");
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);

  if (groups == NULL)
    return;

  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonNode *group_node = json_array_get_element (groups, g);
      JsonArray *group;

      if (!JSON_NODE_HOLDS_ARRAY (group_node))
        continue;
      group = json_node_get_array (group_node);
      for (guint i = 0; i < json_array_get_length (group); i++)
        {
          JsonNode *node = json_array_get_element (group, i);
          JsonObject *term;
          const char *taxonomy;
          char *name;
          gboolean is_category;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          term = json_node_get_object (node);
          taxonomy = get_string (term, "taxonomy");
          if (taxonomy != NULL)
            {
              if (strcmp (taxonomy, "category") == 0)
                is_category = TRUE;
              else if (strcmp (taxonomy, "post_tag") == 0)
                is_category = FALSE;
              else
                continue;
            }
          else if (g <= 1)
            is_category = g == 0;
          else
            continue;

          name = _kq_text_from_html (get_string (term, "name"));
          if (name == NULL || *name == '\0')
            {
              g_free (name);
              continue;
            }
          if (is_category)
            {
              gint64 id = get_int64 (term, "id", 0);

              g_ptr_array_add (categories, name);
              if (id > 0)
                g_array_append_val (term_category_ids, id);
            }
          else
            g_ptr_array_add (tags, name);
        }
    }

  g_ptr_array_add (categories, NULL);
  g_ptr_array_add (tags, NULL);
  kq_article_set_category_names (article, (const char * const *) categories->pdata);
  kq_article_set_tags (article, (const char * const *) tags->pdata);
}

static char *
read_author (JsonObject *post,
             JsonObject *embedded)
{
  JsonArray *authors = get_array (embedded, "author");
  JsonObject *yoast;

  for (guint i = 0; authors && i < json_array_get_length (authors); i++)
    {
      JsonNode *node = json_array_get_element (authors, i);

      if (JSON_NODE_HOLDS_OBJECT (node) && !is_error_object (json_node_get_object (node)))
        {
          char *name = _kq_text_from_html (get_string (json_node_get_object (node), "name"));

          if (name && *name)
            return name;
          g_free (name);
        }
    }

  /* Yoast SEO adds the author's name without _embed. */
  yoast = get_object (post, "yoast_head_json");
  if (get_string (yoast, "author"))
    {
      char *name = _kq_text_from_html (get_string (yoast, "author"));

      if (name && *name)
        return name;
      g_free (name);
    }
  return NULL;
}

/* Replies embedded as [[comment, …]] (one array per post type). */
static guint
count_replies (JsonObject *embedded,
               gboolean   *found)
{
  JsonArray *groups = get_array (embedded, "replies");
  guint count = 0;

  *found = groups != NULL;
  for (guint g = 0; groups && g < json_array_get_length (groups); g++)
    {
      JsonNode *node = json_array_get_element (groups, g);

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *replies = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (replies); i++)
            if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (replies, i)))
              count++;
        }
      else if (JSON_NODE_HOLDS_OBJECT (node) && !is_error_object (json_node_get_object (node)))
        count++;
    }
  return count;
}

static GArray *
read_id_array (JsonObject *object,
               const char *name)
{
  JsonArray *array = get_array (object, name);
  GArray *ids;

  if (array == NULL)
    return NULL;
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 id;

      gboolean seen = FALSE;

      if (!node_int64 (json_array_get_element (array, i), &id) || id <= 0)
        continue;
      for (guint j = 0; j < ids->len && !seen; j++)
        seen = g_array_index (ids, gint64, j) == id;
      if (!seen)
        g_array_append_val (ids, id);
    }
  return ids;
}

/* What an object of another kind than a post is, said to the reader; NULL
 * for what may be a post. The REST API answers with such objects when a URL
 * leads to another route (/users/1, /categories/3, /media/7, /comments/9). */
static const char *
other_kind_message (JsonObject *object)
{
  const char *type = get_string (object, "type");

  if (member (object, "taxonomy") != NULL)
    return _("The site’s answer is a category or a tag, not an article.");
  if (g_strcmp0 (type, "attachment") == 0 || member (object, "media_type") != NULL ||
      member (object, "mime_type") != NULL)
    return _("The site’s answer is an image or another media file, not an article.");
  if (g_strcmp0 (type, "comment") == 0 ||
      (member (object, "post") != NULL && member (object, "author_name") != NULL))
    return _("The site’s answer is a comment, not an article.");
  if (member (object, "avatar_urls") != NULL ||
      (member (object, "name") != NULL && member (object, "title") == NULL &&
       member (object, "content") == NULL))
    return _("The site’s answer is a person’s profile, not an article.");
  return NULL;
}

static KqArticle *
parse_post_object (JsonObject *post,
                   const char *source)
{
  g_autoptr(KqArticle) article = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autoptr(GArray) category_ids = NULL;
  g_autoptr(GArray) term_category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *title = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *body = NULL;
  g_autofree char *link = NULL;
  g_autofree char *author = NULL;
  JsonObject *embedded;
  const char *status;
  const char *featured;
  gint64 id;
  gboolean replies_found = FALSE;
  guint replies;

  id = get_int64 (post, "id", 0);
  if (id <= 0 || other_kind_message (post) != NULL)
    return NULL;

  article = kq_article_new ();
  kq_article_set_id (article, id);
  kq_article_set_source (article, source);

  title = _kq_text_from_html (get_rendered (post, "title"));
  kq_article_set_title (article, title && *title ? title : NULL);
  excerpt = _kq_text_excerpt (get_rendered (post, "excerpt"), 0);
  kq_article_set_excerpt (article, excerpt);
  body = dup_valid (get_rendered (post, "content"));
  kq_article_set_body_html (article, body);
  link = dup_valid (get_string (post, "link"));
  kq_article_set_link (article, link);

  date = parse_date (get_string (post, "date_gmt"));
  if (date == NULL)
    date = parse_date (get_string (post, "date"));
  kq_article_set_date (article, date);
  modified = parse_date (get_string (post, "modified_gmt"));
  if (modified == NULL)
    modified = parse_date (get_string (post, "modified"));
  kq_article_set_modified (article, modified);

  status = get_string (post, "comment_status");
  kq_article_set_comments_open (article, g_strcmp0 (status, "open") == 0);

  embedded = get_object (post, "_embedded");
  author = read_author (post, embedded);
  kq_article_set_author (article, author);
  read_terms (article, embedded, term_category_ids);
  read_featured_media (article, embedded);

  /* Jetpack exposes the featured image without _embed. */
  featured = get_string (post, "jetpack_featured_media_url");
  if (kq_article_get_image_url (article) == NULL && featured && *featured)
    {
      g_autofree char *url = dup_valid (featured);

      kq_article_set_thumbnail (article, url, 0, 0);
      kq_article_set_image (article, url, 0, 0);
    }

  category_ids = read_id_array (post, "categories");
  if (category_ids == NULL)
    category_ids = g_array_ref (term_category_ids);
  kq_article_set_category_ids (article, (const gint64 *) (gpointer) category_ids->data,
                               category_ids->len);

  replies = count_replies (embedded, &replies_found);
  if (!replies_found)
    {
      /* Plugins and custom endpoints name it differently. */
      static const char * const names[] = { "comment_count", "comments_count", "comments_number" };

      for (guint i = 0; i < G_N_ELEMENTS (names) && replies == 0; i++)
        replies = get_uint (post, names[i]);
    }
  kq_article_set_comment_count (article, replies);

  return g_steal_pointer (&article);
}

GPtrArray *
kq_wp_parser_parse_posts (GBytes      *json,
                          const char  *source,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  GPtrArray *articles;
  guint others = 0;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = load (json, error);
  if (root == NULL)
    return NULL;
  array = root_array (root, _("The site’s answer is not a list of articles."), error);
  if (array == NULL)
    return NULL;

  /* No site answers more than per_page=100; a longer list is not a page a
   * reader can use (100,000 posts would be 100,000 rows at once). */
  if (json_array_get_length (array) > KQ_WP_MAX_POSTS)
    g_debug ("Keeping %u posts of %u", KQ_WP_MAX_POSTS, json_array_get_length (array));
  articles = g_ptr_array_new_full (MIN (json_array_get_length (array), KQ_WP_MAX_POSTS),
                                   g_object_unref);
  for (guint i = 0; i < json_array_get_length (array) && articles->len < KQ_WP_MAX_POSTS; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      KqArticle *article;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      if (other_kind_message (json_node_get_object (node)) != NULL)
        {
          others++;
          continue;
        }
      article = parse_post_object (json_node_get_object (node), source);
      if (article != NULL)
        g_ptr_array_add (articles, article);
      else
        g_debug ("Skipping post %u: no usable id", i);
    }
  /* A list of users, categories or media is no list of articles. */
  if (articles->len == 0 && others > 0)
    {
      g_ptr_array_unref (articles);
      g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                           _("The site’s answer is not a list of articles."));
      return NULL;
    }
  return articles;
}

KqArticle *
kq_wp_parser_parse_post (GBytes      *json,
                         const char  *source,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = NULL;
  KqArticle *article;
  const char *other;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = load (json, error);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);
  else if (JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
    {
      /* ?slug= lookups answer with a list. */
      JsonNode *first = json_array_get_element (json_node_get_array (root), 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        object = json_node_get_object (first);
    }

  if (object != NULL && is_error_object (object))
    {
      set_api_error (object, error);
      return NULL;
    }

  if (object != NULL && (other = other_kind_message (object)) != NULL)
    {
      g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID, other);
      return NULL;
    }

  article = object ? parse_post_object (object, source) : NULL;
  if (article == NULL)
    g_set_error_literal (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                         _("The site’s answer is not an article."));
  return article;
}

/* ---------- Categories ---------- */

GPtrArray *
kq_wp_parser_parse_categories (GBytes      *json,
                               const char  *source,
                               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  GPtrArray *categories;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = load (json, error);
  if (root == NULL)
    return NULL;
  array = root_array (root, _("The site’s answer is not a list of categories."), error);
  if (array == NULL)
    return NULL;

  categories = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      g_autoptr(KqCategory) category = NULL;
      g_autofree char *name = NULL;
      g_autofree char *slug = NULL;
      g_autofree char *link = NULL;
      gint64 id;
      gint64 parent;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      id = get_int64 (object, "id", 0);
      name = _kq_text_from_html (get_string (object, "name"));
      if (id <= 0 || name == NULL || *name == '\0')
        continue;
      parent = get_int64 (object, "parent", 0);
      slug = dup_valid (get_string (object, "slug"));
      link = dup_valid (get_string (object, "link"));

      category = kq_category_new ();
      kq_category_set_id (category, id);
      kq_category_set_source (category, source);
      kq_category_set_name (category, name);
      kq_category_set_slug (category, slug);
      kq_category_set_count (category, get_uint (object, "count"));
      kq_category_set_parent (category, parent > 0 && parent != id ? parent : 0);
      kq_category_set_link (category, link);
      kq_category_set_position (category, categories->len);
      g_ptr_array_add (categories, g_steal_pointer (&category));
    }
  return categories;
}

/* ---------- Comments ---------- */

GPtrArray *
kq_wp_parser_parse_comments (GBytes  *json,
                             GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) comments = NULL;
  JsonArray *array;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = load (json, error);
  if (root == NULL)
    return NULL;
  array = root_array (root, _("The site’s answer is not a list of comments."), error);
  if (array == NULL)
    return NULL;

  comments = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      g_autoptr(KqComment) comment = NULL;
      g_autoptr(GDateTime) date = NULL;
      g_autofree char *author = NULL;
      g_autofree char *content = NULL;
      g_autofree char *link = NULL;
      gint64 id;
      gint64 parent;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      id = get_int64 (object, "id", 0);
      if (id <= 0)
        continue;
      parent = get_int64 (object, "parent", 0);
      author = _kq_text_from_html (get_string (object, "author_name"));
      content = dup_valid (get_rendered (object, "content"));
      link = dup_valid (get_string (object, "link"));
      date = parse_date (get_string (object, "date_gmt"));
      if (date == NULL)
        date = parse_date (get_string (object, "date"));

      comment = kq_comment_new ();
      kq_comment_set_id (comment, id);
      kq_comment_set_post_id (comment, MAX (get_int64 (object, "post", 0), 0));
      kq_comment_set_parent (comment, MAX (parent, 0));
      kq_comment_set_author (comment, author && *author ? author : NULL);
      kq_comment_set_date (comment, date);
      kq_comment_set_content_html (comment, content);
      kq_comment_set_link (comment, link);
      g_ptr_array_add (comments, g_steal_pointer (&comment));
    }

  return kq_comment_thread (comments);
}

/* ---------- Async ---------- */

typedef struct
{
  GBytes *json;
  char   *source;
} ParseData;

static void
parse_data_free (gpointer data)
{
  ParseData *parse_data = data;

  g_bytes_unref (parse_data->json);
  g_free (parse_data->source);
  g_free (parse_data);
}

static void
parse_posts_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ParseData *data = task_data;
  GError *error = NULL;
  GPtrArray *articles;

  if (g_task_return_error_if_cancelled (task))
    return;

  articles = kq_wp_parser_parse_posts (data->json, data->source, &error);
  if (articles == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, articles, (GDestroyNotify) g_ptr_array_unref);
}

/* A page parsed by @thread on a worker thread, tagged @tag. */
static void
parse_in_thread (GBytes              *json,
                 const char          *source,
                 gpointer             tag,
                 GTaskThreadFunc      thread,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ParseData *data;

  g_return_if_fail (json != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ParseData, 1);
  data->json = g_bytes_ref (json);
  data->source = g_strdup (source);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, data, parse_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, thread);
}

static GPtrArray *
parse_finish (GAsyncResult  *result,
              gpointer       tag,
              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kq_wp_parser_parse_posts_async (GBytes              *json,
                                const char          *source,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  parse_in_thread (json, source, kq_wp_parser_parse_posts_async, parse_posts_thread,
                   cancellable, callback, user_data);
}

GPtrArray *
kq_wp_parser_parse_posts_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return parse_finish (result, kq_wp_parser_parse_posts_async, error);
}

#define MAX_COMMENTS_PER_PAGE 100

static void
parse_comments_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  ParseData *data = task_data;
  GError *error = NULL;
  GPtrArray *comments;

  if (g_task_return_error_if_cancelled (task))
    return;

  comments = kq_wp_parser_parse_comments (data->json, &error);
  if (comments == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (comments->len > MAX_COMMENTS_PER_PAGE)
    g_ptr_array_set_size (comments, MAX_COMMENTS_PER_PAGE);

  g_task_return_pointer (task, comments, (GDestroyNotify) g_ptr_array_unref);
}

void
kq_wp_parser_parse_comments_async (GBytes              *json,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  parse_in_thread (json, NULL, kq_wp_parser_parse_comments_async, parse_comments_thread,
                   cancellable, callback, user_data);
}

GPtrArray *
kq_wp_parser_parse_comments_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return parse_finish (result, kq_wp_parser_parse_comments_async, error);
}
