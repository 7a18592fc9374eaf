/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include <json-glib/json-glib.h>

#include "kq-store-private.h"
#include "kq-text-private.h"

/*
 * The image URLs a bookmark keeps (bookmarks.image_urls, a JSON array): its
 * thumbnail, its image and every <img src> of its body, each once, at most
 * KQ_STORE_MAX_IMAGES of them. Duplicates are found through a hash set: a
 * search of the list for each image made bookmarking an article of 100,000
 * images hold the store for 18 s.
 */

typedef struct
{
  GPtrArray  *urls;   /* owned strings, in order */
  GHashTable *seen;   /* the same strings, borrowed */
} UrlSet;

/* Returns FALSE once the set is full. */
static gboolean
add_unique (UrlSet     *set,
            const char *url)
{
  char *copy;

  if (set->urls->len >= KQ_STORE_MAX_IMAGES)
    return FALSE;
  if (url == NULL || *url == '\0' || g_hash_table_contains (set->seen, url))
    return TRUE;

  copy = g_strdup (url);
  g_ptr_array_add (set->urls, copy);
  g_hash_table_add (set->seen, copy);
  return set->urls->len < KQ_STORE_MAX_IMAGES;
}

static char *
url_set_to_json (UrlSet *set)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < set->urls->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (set->urls, i));
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);

  g_hash_table_unref (set->seen);
  g_ptr_array_unref (set->urls);
  return json_to_string (root, FALSE);
}

static void
url_set_init (UrlSet *set)
{
  set->urls = g_ptr_array_new_with_free_func (g_free);
  set->seen = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Every image URL of a bookmark (thumbnail, image, <img src> of the body), as a JSON array. */
char *
_kq_store_image_urls_json (const char *body_html,
                           const char *thumbnail_url,
                           const char *image_url)
{
  static GRegex *img_regex = NULL;
  UrlSet set;

  if (g_once_init_enter (&img_regex))
    g_once_init_leave (&img_regex,
                       g_regex_new ("<img\\b[^>]*?\\ssrc\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')",
                                    G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL));

  url_set_init (&set);
  add_unique (&set, thumbnail_url);
  add_unique (&set, image_url);
  if (body_html != NULL)
    {
      g_autoptr(GMatchInfo) match = NULL;

      g_regex_match (img_regex, body_html, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *raw = g_match_info_fetch (match, 1);
          g_autofree char *url = NULL;

          if (raw == NULL || *raw == '\0')
            {
              g_free (raw);
              raw = g_match_info_fetch (match, 2);
            }
          url = _kq_text_decode_entities (raw, -1);
          if (!add_unique (&set, url))
            break;
          g_match_info_next (match, NULL);
        }
    }

  return url_set_to_json (&set);
}

/* The "images" of an imported bookmark: its strings, each once, at most
 * KQ_STORE_MAX_IMAGES of them. */
char *
_kq_store_image_urls_from_list (JsonArray *list)
{
  UrlSet set;

  url_set_init (&set);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *item = json_array_get_element (list, i);

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING &&
          !add_unique (&set, json_node_get_string (item)))
        break;
    }

  return url_set_to_json (&set);
}
