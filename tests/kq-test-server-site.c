/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-test-server"

#include "config.h"

#include <string.h>

#include "kq-test-server-private.h"

/* Loading and querying the generated site (tests/site/generate-site.py). */

static GMutex sites_mutex;
static GHashTable *sites; /* dir → KqSiteData*, kept for the process's life */

char *
_kq_site_fold (const char *text)
{
  g_autofree char *nfd = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (text == NULL)
    return g_strdup ("");

  nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (nfd == NULL)
    return g_strdup ("");

  for (const char *p = nfd; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      /* Like MySQL's utf8mb4_unicode_ci: œ = oe, æ = ae; typographic apostrophes too. */
      if (c == 0x0153 || c == 0x0152)
        g_string_append (out, "oe");
      else if (c == 0x00E6 || c == 0x00C6)
        g_string_append (out, "ae");
      else if (c == 0x2019 || c == 0x2018)
        g_string_append_c (out, '\'');
      else if (c == 0x00A0 || c == 0x202F)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }

  return g_utf8_casefold (out->str, -1);
}

gboolean
_kq_site_post_matches (KqSitePost *post,
                       const char *search)
{
  g_autofree char *folded = _kq_site_fold (search);
  g_auto(GStrv) terms = g_strsplit_set (folded, " \t\n\r,+", -1);
  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *term = terms[i];
      gboolean exclude = FALSE;

      if (*term == '\0')
        continue;
      if (term[0] == '-' && term[1] != '\0')
        {
          exclude = TRUE;
          term++;
        }
      if ((strstr (post->search, term) != NULL) == exclude)
        return FALSE;
    }

  return TRUE;
}

static void
escape_wp (const char *in,
           GString    *out)
{
  for (const char *p = in; *p; )
    {
      guchar b = (guchar) *p;

      if (b == '/')
        {
          g_string_append (out, "\\/");
          p++;
        }
      else if (b < 0x80)
        {
          g_string_append_c (out, (char) b);
          p++;
        }
      else
        {
          gunichar c = g_utf8_get_char (p);

          if (c > 0xFFFF)
            {
              c -= 0x10000;
              g_string_append_printf (out, "\\u%04x\\u%04x",
                                      0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
            }
          else
            {
              g_string_append_printf (out, "\\u%04x", c);
            }
          p = g_utf8_next_char (p);
        }
    }
}

char *
_kq_site_to_wp_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *raw = NULL;
  GString *out;

  json_generator_set_root (gen, node);
  raw = json_generator_to_data (gen, NULL);
  out = g_string_sized_new (strlen (raw) + strlen (raw) / 8);
  escape_wp (raw, out);
  return g_string_free (out, FALSE);
}

JsonObject *
_kq_site_find_by_id (JsonArray *array,
                     gint64     id)
{
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (json_object_get_int_member (o, "id") == id)
        return o;
    }
  return NULL;
}

JsonObject *
_kq_site_category_by_path (KqSiteData *site,
                           const char *path)
{
  /* @path: "apple" or "jeux-video/consoles" (no slashes around); the last
   * segment is the slug, as WordPress resolves it. */
  const char *slug = strrchr (path, '/');
  guint n = json_array_get_length (site->categories);

  slug = slug ? slug + 1 : path;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (site->categories, i);

      if (g_strcmp0 (json_object_get_string_member (o, "slug"), slug) == 0)
        return o;
    }
  return NULL;
}

static GArray *
int_array (JsonObject *o,
           const char *member)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *a = json_object_get_array_member (o, member);
  guint n = a ? json_array_get_length (a) : 0;

  for (guint i = 0; i < n; i++)
    {
      gint64 v = json_array_get_int_element (a, i);
      g_array_append_val (out, v);
    }
  return out;
}

static char *
serialise_post (JsonObject *post,
                JsonObject *embedded)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *copy = json_object_new ();
  GList *members = json_object_get_members (post);

  for (GList *l = members; l; l = l->next)
    json_object_set_member (copy, l->data, json_node_ref (json_object_get_member (post, l->data)));
  g_list_free (members);
  if (embedded)
    json_object_set_object_member (copy, "_embedded", json_object_ref (embedded));
  json_node_take_object (node, copy);
  return _kq_site_to_wp_json (node);
}

static gboolean
load_uploads (KqSiteData  *site,
              JsonObject  *uploads,
              GError     **error)
{
  GList *members = json_object_get_members (uploads);
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                       NULL, (GDestroyNotify) g_bytes_unref);

  for (GList *l = members; l; l = l->next)
    {
      const char *rel = json_object_get_string_member (uploads, l->data);
      GBytes *bytes = g_hash_table_lookup (files, rel);

      if (bytes == NULL)
        {
          g_autofree char *path = g_build_filename (site->dir, rel, NULL);
          char *contents = NULL;
          gsize len = 0;

          if (!g_file_get_contents (path, &contents, &len, error))
            {
              g_list_free (members);
              return FALSE;
            }
          bytes = g_bytes_new_take (contents, len);
          g_hash_table_insert (files, (char *) rel, bytes);
        }
      g_hash_table_insert (site->uploads, g_strdup (l->data), g_bytes_ref (bytes));
    }
  g_list_free (members);
  return TRUE;
}

static void
site_post_free (gpointer data)
{
  KqSitePost *p = data;

  g_clear_pointer (&p->categories, g_array_unref);
  g_clear_pointer (&p->tags, g_array_unref);
  g_free (p->title_key);
  g_free (p->search);
  g_free (p->json);
  g_free (p->json_embed);
  g_free (p);
}

static void
site_data_free (KqSiteData *site)
{
  g_clear_pointer (&site->posts, g_ptr_array_unref);
  g_clear_pointer (&site->post_by_id, g_hash_table_unref);
  g_clear_pointer (&site->post_by_path, g_hash_table_unref);
  g_clear_pointer (&site->private_media, g_hash_table_unref);
  g_clear_pointer (&site->uploads, g_hash_table_unref);
  g_clear_pointer (&site->root_node, json_node_unref);
  g_free (site->dir);
  g_free (site);
}

static KqSiteData *
site_data_load (const char  *dir,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *file = g_build_filename (dir, "site.json", NULL);
  KqSiteData *site;
  JsonObject *extra, *embedded;
  JsonArray *posts, *priv;
  guint n;

  if (!json_parser_load_from_file (parser, file, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a site", file);
      return NULL;
    }

  site = g_new0 (KqSiteData, 1);
  site->dir = g_strdup (dir);
  site->root_node = json_node_ref (json_parser_get_root (parser));
  site->root = json_node_get_object (site->root_node);
  site->name = json_object_get_string_member (site->root, "name");
  site->description = json_object_get_string_member (site->root, "description");
  site->modified_gmt = json_object_get_string_member (site->root, "modified_gmt");
  site->categories = json_object_get_array_member (site->root, "categories");
  site->tags = json_object_get_array_member (site->root, "tags");
  site->users = json_object_get_array_member (site->root, "users");
  site->media = json_object_get_array_member (site->root, "media");
  site->comments = json_object_get_array_member (site->root, "comments");
  site->posts = g_ptr_array_new_with_free_func (site_post_free);
  site->post_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  site->post_by_path = g_hash_table_new (g_str_hash, g_str_equal);
  site->private_media = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  site->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_bytes_unref);

  priv = json_object_get_array_member (site->root, "private_media");
  for (guint i = 0; i < json_array_get_length (priv); i++)
    {
      gint64 *id = g_new (gint64, 1);
      *id = json_array_get_int_element (priv, i);
      g_hash_table_add (site->private_media, id);
    }

  extra = json_object_get_object_member (site->root, "extra");
  embedded = json_object_get_object_member (site->root, "embedded");
  posts = json_object_get_array_member (site->root, "posts");
  n = json_array_get_length (posts);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (posts, i);
      KqSitePost *p = g_new0 (KqSitePost, 1);
      g_autofree char *key = NULL;
      JsonObject *x;

      p->id = json_object_get_int_member (o, "id");
      key = g_strdup_printf ("%" G_GINT64_FORMAT, p->id);
      x = json_object_get_object_member (extra, key);
      p->post = o;
      p->embedded = json_object_get_object_member (embedded, key);
      p->date_gmt = json_object_get_string_member (o, "date_gmt");
      p->date = json_object_get_string_member (o, "date");
      p->modified_gmt = json_object_get_string_member (o, "modified_gmt");
      p->slug = json_object_get_string_member (o, "slug");
      p->title_rendered = json_object_get_string_member (json_object_get_object_member (o, "title"),
                                                         "rendered");
      p->search = _kq_site_fold (json_object_get_string_member (x, "search"));
      p->title_key = _kq_site_fold (p->title_rendered);
      p->path = json_object_get_string_member (x, "path");
      p->rss_title = json_object_get_string_member (x, "rss_title");
      p->rss_description = json_object_get_string_member (x, "rss_description");
      p->author_name = json_object_get_string_member (x, "author_name");
      p->comment_count = json_object_get_int_member (x, "comment_count");
      p->categories = int_array (o, "categories");
      p->tags = int_array (o, "tags");
      p->author = json_object_get_int_member (o, "author");
      p->sticky = json_object_get_boolean_member (o, "sticky");
      p->json = serialise_post (o, NULL);
      p->json_embed = serialise_post (o, p->embedded);
      g_ptr_array_add (site->posts, p);
      g_hash_table_insert (site->post_by_id, &p->id, p);
      g_hash_table_insert (site->post_by_path, (char *) p->path, p);
    }

  if (!load_uploads (site, json_object_get_object_member (site->root, "uploads"), error))
    {
      site_data_free (site);
      return NULL;
    }

  return site;
}

KqSiteData *
_kq_site_data_get (const char  *dir,
                   GError     **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&sites_mutex);
  KqSiteData *site;

  if (sites == NULL)
    sites = g_hash_table_new (g_str_hash, g_str_equal);

  site = g_hash_table_lookup (sites, dir);
  if (site == NULL)
    {
      site = site_data_load (dir, error);
      if (site != NULL)
        g_hash_table_insert (sites, site->dir, site);
    }
  return site;
}
