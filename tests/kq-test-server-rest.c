/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-test-server"

#include "config.h"

#include <string.h>

#include "kq-test-server-private.h"

/* The WordPress REST API (/wp-json/wp/v2/ and ?rest_route=). */

/* Parses a positive integer parameter; answers 400 rest_invalid_param otherwise. */
static gboolean
uint_param (KqTestServer      *self,
            SoupServerMessage *msg,
            GHashTable        *query,
            const char        *name,
            guint              def,
            guint              max,
            guint             *out)
{
  const char *v = _kq_test_server_param (query, name);
  guint64 n = 0;

  if (v == NULL)
    {
      *out = def;
      return TRUE;
    }
  if (g_ascii_string_to_unsigned (v, 10, 1, max, &n, NULL))
    {
      *out = (guint) n;
      return TRUE;
    }
  else
    {
      JsonObject *params = json_object_new ();
      g_autofree char *detail = NULL;
      g_autofree char *message = g_strdup_printf ("Paramètre(s) non valide(s) : %s", name);

      if (max == G_MAXUINT)
        detail = g_strdup_printf ("%s doit être supérieur ou égal à 1", name);
      else
        detail = g_strdup_printf ("%s doit être compris entre 1 (inclus) et %u (inclus)", name, max);
      json_object_set_string_member (params, name, detail);
      _kq_test_server_send_json_error (self, msg, 400, "rest_invalid_param", message, params);
      return FALSE;
    }
}

static GArray *
id_list (const char *value)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) parts = NULL;

  if (value == NULL)
    return ids;
  parts = g_strsplit (value, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      gint64 v = g_ascii_strtoll (g_strstrip (parts[i]), NULL, 10);

      if (v != 0)
        g_array_append_val (ids, v);
    }
  return ids;
}

static gboolean
ids_contain (GArray *ids,
             gint64  v)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == v)
      return TRUE;
  return FALSE;
}

static gboolean
ids_intersect (GArray *a,
               GArray *b)
{
  for (guint i = 0; i < a->len; i++)
    if (ids_contain (b, g_array_index (a, gint64, i)))
      return TRUE;
  return FALSE;
}

static char *
page_url (KqTestServer *self,
          const char   *path,
          GHashTable   *query,
          guint         page)
{
  GString *out = g_string_new (self->url);
  g_autoptr(GList) keys = query ? g_hash_table_get_keys (query) : NULL;
  gboolean first = TRUE;

  g_string_append (out, path);
  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l; l = l->next)
    {
      g_autofree char *k = NULL;
      g_autofree char *v = NULL;

      if (g_str_equal (l->data, "page"))
        continue;
      k = g_uri_escape_string (l->data, NULL, TRUE);
      v = g_uri_escape_string (g_hash_table_lookup (query, l->data), NULL, TRUE);
      g_string_append_printf (out, "%s%s=%s", first ? "?" : "&", k, v);
      first = FALSE;
    }
  g_string_append_printf (out, "%spage=%u", first ? "?" : "&", page);
  return g_string_free (out, FALSE);
}

static void
set_pagination_headers (KqTestServer      *self,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        guint              total,
                        guint              total_pages,
                        guint              page)
{
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  g_autofree char *t = g_strdup_printf ("%u", total);
  g_autofree char *tp = g_strdup_printf ("%u", total_pages);
  GString *link = g_string_new (NULL);

  soup_message_headers_replace (resp, "X-WP-Total", t);
  soup_message_headers_replace (resp, "X-WP-TotalPages", tp);
  if (page > 1 && page - 1 <= total_pages)
    {
      g_autofree char *u = page_url (self, path, query, page - 1);
      g_string_append_printf (link, "<%s>; rel=\"prev\"", u);
    }
  if (page < total_pages)
    {
      g_autofree char *u = page_url (self, path, query, page + 1);
      g_string_append_printf (link, "%s<%s>; rel=\"next\"", link->len ? ", " : "", u);
    }
  if (link->len)
    soup_message_headers_append (resp, "Link", link->str);
  g_string_free (link, TRUE);
}

static void
set_rest_headers (KqTestServer      *self,
                  SoupServerMessage *msg)
{
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  g_autofree char *api = g_strdup_printf ("<%s/wp-json/>; rel=\"https://api.w.org/\"", self->url);

  soup_message_headers_replace (resp, "X-Robots-Tag", "noindex");
  soup_message_headers_replace (resp, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (resp, "Access-Control-Expose-Headers",
                                "X-WP-Total, X-WP-TotalPages, Link");
  soup_message_headers_replace (resp, "Allow", "GET");
  soup_message_headers_append (resp, "Link", api);
}

static JsonObject *
filter_fields (JsonObject *src,
               GStrv       fields)
{
  JsonObject *dst = json_object_new ();

  for (guint i = 0; fields[i]; i++)
    {
      const char *f = g_strstrip (fields[i]);
      const char *dot = strchr (f, '.');

      if (dot)
        {
          g_autofree char *top = g_strndup (f, dot - f);
          JsonNode *sub = json_object_get_member (src, top);
          JsonObject *dsub;

          if (sub == NULL || !JSON_NODE_HOLDS_OBJECT (sub) ||
              !json_object_has_member (json_node_get_object (sub), dot + 1))
            continue;
          if (!json_object_has_member (dst, top))
            json_object_set_object_member (dst, top, json_object_new ());
          dsub = json_object_get_object_member (dst, top);
          json_object_set_member (dsub, dot + 1,
                                  json_node_ref (json_object_get_member (json_node_get_object (sub), dot + 1)));
        }
      else if (json_object_has_member (src, f) && !json_object_has_member (dst, f))
        {
          json_object_set_member (dst, f, json_node_ref (json_object_get_member (src, f)));
        }
    }
  return dst;
}

static GStrv
fields_param (GHashTable *query)
{
  const char *v = _kq_test_server_param (query, "_fields");

  return v && *v ? g_strsplit (v, ",", -1) : NULL;
}

static gboolean
embed_param (GHashTable  *query,
             GStrv       *rels)
{
  const char *v;

  *rels = NULL;
  if (query == NULL || !g_hash_table_contains (query, "_embed"))
    return FALSE;
  v = _kq_test_server_param (query, "_embed");
  if (v && *v && !g_str_equal (v, "1") && !g_str_equal (v, "true"))
    *rels = g_strsplit (v, ",", -1);
  return TRUE;
}

/* Appends one object: @embedded (nullable) added under "_embedded". */
static void
append_object (GString    *out,
               JsonObject *obj,
               JsonObject *embedded,
               GStrv       rels,
               GStrv       fields)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *full = json_object_new ();
  GList *members = json_object_get_members (obj);
  g_autofree char *text = NULL;

  for (GList *l = members; l; l = l->next)
    json_object_set_member (full, l->data, json_node_ref (json_object_get_member (obj, l->data)));
  g_list_free (members);

  if (embedded)
    {
      JsonObject *e = rels ? filter_fields (embedded, rels) : json_object_ref (embedded);

      if (json_object_get_size (e) > 0)
        json_object_set_object_member (full, "_embedded", e);
      else
        json_object_unref (e);
    }

  if (fields)
    {
      JsonObject *f = filter_fields (full, fields);

      json_object_unref (full);
      full = f;
    }
  json_node_take_object (node, full);
  text = _kq_site_to_wp_json (node);
  g_string_append (out, text);
}

static void
append_post (GString    *out,
             KqSitePost *p,
             gboolean    embed,
             GStrv       rels,
             GStrv       fields)
{
  if (fields == NULL && rels == NULL)
    g_string_append (out, embed ? p->json_embed : p->json);
  else
    append_object (out, p->post, embed ? p->embedded : NULL, rels, fields);
}

/* ------------------------------------------------------------------------ */
/* Posts */

typedef struct {
  const char *orderby;
  gboolean    asc;
  GArray     *include;
} SortSpec;


static int
compare_posts (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const KqSitePost *pa = *(KqSitePost **) a;
  const KqSitePost *pb = *(KqSitePost **) b;
  SortSpec *spec = user_data;
  int r = 0;

  if (g_strcmp0 (spec->orderby, "id") == 0)
    r = (pa->id > pb->id) - (pa->id < pb->id);
  else if (g_strcmp0 (spec->orderby, "title") == 0)
    r = g_strcmp0 (pa->title_key, pb->title_key);
  else if (g_strcmp0 (spec->orderby, "modified") == 0)
    r = g_strcmp0 (pa->modified_gmt, pb->modified_gmt);
  else if (g_strcmp0 (spec->orderby, "include") == 0 && spec->include)
    {
      guint ia = 0, ib = 0;

      for (guint i = 0; i < spec->include->len; i++)
        {
          if (g_array_index (spec->include, gint64, i) == pa->id)
            ia = i;
          if (g_array_index (spec->include, gint64, i) == pb->id)
            ib = i;
        }
      return (ia > ib) - (ia < ib);
    }
  if (r == 0)
    r = g_strcmp0 (pa->date_gmt, pb->date_gmt);
  if (r == 0)
    r = (pa->id > pb->id) - (pa->id < pb->id);
  return spec->asc ? r : -r;
}

/* Posts matching the WordPress collection parameters, sorted. */
GPtrArray *
_kq_test_server_select_posts (KqTestServer *self,
                              GHashTable   *query)
{
  g_autoptr(GArray) cats = id_list (_kq_test_server_param (query, "categories"));
  g_autoptr(GArray) cats_ex = id_list (_kq_test_server_param (query, "categories_exclude"));
  g_autoptr(GArray) tags = id_list (_kq_test_server_param (query, "tags"));
  g_autoptr(GArray) include = id_list (_kq_test_server_param (query, "include"));
  g_autoptr(GArray) exclude = id_list (_kq_test_server_param (query, "exclude"));
  g_autoptr(GArray) authors = id_list (_kq_test_server_param (query, "author"));
  const char *search = _kq_test_server_param (query, "search");
  const char *slug = _kq_test_server_param (query, "slug");
  const char *after = _kq_test_server_param (query, "after");
  const char *before = _kq_test_server_param (query, "before");
  const char *sticky = _kq_test_server_param (query, "sticky");
  g_auto(GStrv) slugs = slug ? g_strsplit (slug, ",", -1) : NULL;
  GPtrArray *out = g_ptr_array_new ();
  SortSpec spec = { _kq_test_server_param (query, "orderby"), g_strcmp0 (_kq_test_server_param (query, "order"), "asc") == 0, include };

  for (guint i = 0; i < self->site->posts->len; i++)
    {
      KqSitePost *p = g_ptr_array_index (self->site->posts, i);

      if (!_kq_test_server_is_published (self, p))
        continue;
      if (cats->len && !ids_intersect (p->categories, cats))
        continue;
      if (cats_ex->len && ids_intersect (p->categories, cats_ex))
        continue;
      if (tags->len && !ids_intersect (p->tags, tags))
        continue;
      if (include->len && !ids_contain (include, p->id))
        continue;
      if (exclude->len && ids_contain (exclude, p->id))
        continue;
      if (authors->len && !ids_contain (authors, p->author))
        continue;
      if (slugs && !g_strv_contains ((const char * const *) slugs, p->slug))
        continue;
      if (after && strncmp (p->date, after, 19) <= 0)
        continue;
      if (before && strncmp (p->date, before, 19) >= 0)
        continue;
      if (sticky && (g_str_equal (sticky, "true") || g_str_equal (sticky, "1")) != p->sticky)
        continue;
      if (search && *search && !_kq_site_post_matches (p, search))
        continue;
      g_ptr_array_add (out, p);
    }
  g_ptr_array_sort_with_data (out, compare_posts, &spec);
  return out;
}

const char *
_kq_test_server_max_modified (GPtrArray *posts,
                              guint      from,
                              guint      to)
{
  const char *max = NULL;

  for (guint i = from; i < to; i++)
    {
      KqSitePost *p = g_ptr_array_index (posts, i);

      if (max == NULL || strcmp (p->modified_gmt, max) > 0)
        max = p->modified_gmt;
    }
  return max;
}

static void
rest_posts (KqTestServer      *self,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query)
{
  g_autoptr(GPtrArray) posts = NULL;
  g_auto(GStrv) fields = fields_param (query);
  g_auto(GStrv) rels = NULL;
  gboolean embed = embed_param (query, &rels);
  guint page, per_page, total_pages, from, to;
  GString *body;

  if (!uint_param (self, msg, query, "page", 1, G_MAXUINT, &page) ||
      !uint_param (self, msg, query, "per_page", 10, 100, &per_page))
    return;

  posts = _kq_test_server_select_posts (self, query);
  total_pages = (posts->len + per_page - 1) / per_page;
  if (page > total_pages && posts->len > 0)
    {
      _kq_test_server_send_json_error (self, msg, 400, "rest_post_invalid_page_number",
                       "Le nombre de pages demandé est plus grand que le nombre de pages disponibles.",
                       NULL);
      return;
    }

  from = MIN ((page - 1) * per_page, posts->len);
  to = MIN (from + per_page, posts->len);
  body = g_string_sized_new (8192);
  g_string_append_c (body, '[');
  for (guint i = from; i < to; i++)
    {
      if (i > from)
        g_string_append_c (body, ',');
      append_post (body, g_ptr_array_index (posts, i), embed, rels, fields);
    }
  g_string_append_c (body, ']');

  set_pagination_headers (self, msg, path, query, posts->len, total_pages, page);
  _kq_test_server_send_cacheable (self, msg, JSON_TYPE, _kq_test_server_subst (self, body->str, TRUE),
                  _kq_test_server_max_modified (posts, from, to));
  g_string_free (body, TRUE);
}

static void
rest_post (KqTestServer      *self,
           SoupServerMessage *msg,
           gint64             id,
           GHashTable        *query)
{
  KqSitePost *p = g_hash_table_lookup (self->site->post_by_id, &id);
  g_auto(GStrv) fields = fields_param (query);
  g_auto(GStrv) rels = NULL;
  gboolean embed = embed_param (query, &rels);
  g_autoptr(GString) body = g_string_new (NULL);

  if (p != NULL && !_kq_test_server_is_published (self, p))
    p = NULL;
  if (p == NULL)
    {
      _kq_test_server_send_json_error (self, msg, 404, "rest_post_invalid_id",
                       "Identifiant de publication non valide.", NULL);
      return;
    }
  append_post (body, p, embed, rels, fields);
  _kq_test_server_send_cacheable (self, msg, JSON_TYPE, _kq_test_server_subst (self, body->str, TRUE), p->modified_gmt);
}

/* ------------------------------------------------------------------------ */
/* Other collections (terms, comments, media, users) */

typedef struct {
  const char *orderby;
  gboolean    asc;
} ObjSort;


static int
compare_objects (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  JsonObject *oa = *(JsonObject **) a;
  JsonObject *ob = *(JsonObject **) b;
  ObjSort *s = user_data;
  int r = 0;

  if (g_str_equal (s->orderby, "name") || g_str_equal (s->orderby, "slug") ||
      g_str_equal (s->orderby, "date_gmt") || g_str_equal (s->orderby, "date"))
    {
      const char *key = g_str_equal (s->orderby, "date") ? "date_gmt" : s->orderby;
      g_autofree char *fa = _kq_site_fold (json_object_get_string_member_with_default (oa, key, ""));
      g_autofree char *fb = _kq_site_fold (json_object_get_string_member_with_default (ob, key, ""));

      r = g_strcmp0 (fa, fb);
    }
  else if (g_str_equal (s->orderby, "count"))
    {
      gint64 ca = json_object_get_int_member_with_default (oa, "count", 0);
      gint64 cb = json_object_get_int_member_with_default (ob, "count", 0);

      r = (ca > cb) - (ca < cb);
    }
  if (r == 0)
    {
      gint64 ia = json_object_get_int_member (oa, "id");
      gint64 ib = json_object_get_int_member (ob, "id");

      r = (ia > ib) - (ia < ib);
    }
  return s->asc ? r : -r;
}

static void
send_collection (KqTestServer      *self,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 GPtrArray         *items,
                 const char        *default_orderby,
                 gboolean           default_asc,
                 const char        *invalid_page_code)
{
  g_auto(GStrv) fields = fields_param (query);
  const char *order = _kq_test_server_param (query, "order");
  ObjSort sort = { _kq_test_server_param (query, "orderby") ? _kq_test_server_param (query, "orderby") : default_orderby,
                   order ? g_str_equal (order, "asc") : default_asc };
  guint page, per_page, total_pages, from, to;
  g_autoptr(GString) body = g_string_new ("[");

  if (!uint_param (self, msg, query, "page", 1, G_MAXUINT, &page) ||
      !uint_param (self, msg, query, "per_page", 10, 100, &per_page))
    return;

  g_ptr_array_sort_with_data (items, compare_objects, &sort);
  total_pages = (items->len + per_page - 1) / per_page;
  if (invalid_page_code && page > total_pages && items->len > 0)
    {
      _kq_test_server_send_json_error (self, msg, 400, invalid_page_code,
                       "Le nombre de pages demandé est plus grand que le nombre de pages disponibles.",
                       NULL);
      return;
    }
  from = MIN ((page - 1) * per_page, items->len);
  to = MIN (from + per_page, items->len);
  for (guint i = from; i < to; i++)
    {
      if (i > from)
        g_string_append_c (body, ',');
      append_object (body, g_ptr_array_index (items, i), NULL, NULL, fields);
    }
  g_string_append_c (body, ']');
  set_pagination_headers (self, msg, path, query, items->len, total_pages, page);
  _kq_test_server_send_cacheable (self, msg, JSON_TYPE, _kq_test_server_subst (self, body->str, TRUE), NULL);
}

static void
send_object (KqTestServer      *self,
             SoupServerMessage *msg,
             GHashTable        *query,
             JsonObject        *obj)
{
  g_auto(GStrv) fields = fields_param (query);
  g_autoptr(GString) body = g_string_new (NULL);

  append_object (body, obj, NULL, NULL, fields);
  _kq_test_server_send_cacheable (self, msg, JSON_TYPE, _kq_test_server_subst (self, body->str, TRUE), NULL);
}

static void
rest_terms (KqTestServer      *self,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            JsonArray         *terms)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GArray) include = id_list (_kq_test_server_param (query, "include"));
  g_autoptr(GArray) exclude = id_list (_kq_test_server_param (query, "exclude"));
  const char *hide = _kq_test_server_param (query, "hide_empty");
  const char *parent = _kq_test_server_param (query, "parent");
  const char *slug = _kq_test_server_param (query, "slug");
  const char *search = _kq_test_server_param (query, "search");
  const char *post = _kq_test_server_param (query, "post");
  g_auto(GStrv) slugs = slug ? g_strsplit (slug, ",", -1) : NULL;
  g_autofree char *folded_search = search ? _kq_site_fold (search) : NULL;
  KqSitePost *post_obj = NULL;
  gboolean is_cat = json_array_get_length (terms) && terms == self->site->categories;

  if (post)
    {
      gint64 id = g_ascii_strtoll (post, NULL, 10);

      post_obj = g_hash_table_lookup (self->site->post_by_id, &id);
    }

  for (guint i = 0; i < json_array_get_length (terms); i++)
    {
      JsonObject *t = json_array_get_object_element (terms, i);
      gint64 id = json_object_get_int_member (t, "id");

      if (include->len && !ids_contain (include, id))
        continue;
      if (exclude->len && ids_contain (exclude, id))
        continue;
      if (hide && (g_str_equal (hide, "true") || g_str_equal (hide, "1")) &&
          json_object_get_int_member (t, "count") == 0)
        continue;
      if (parent && json_object_get_int_member_with_default (t, "parent", 0) != g_ascii_strtoll (parent, NULL, 10))
        continue;
      if (slugs && !g_strv_contains ((const char * const *) slugs, json_object_get_string_member (t, "slug")))
        continue;
      if (folded_search)
        {
          g_autofree char *name = _kq_site_fold (json_object_get_string_member (t, "name"));

          if (strstr (name, folded_search) == NULL)
            continue;
        }
      if (post && (post_obj == NULL || !ids_contain (is_cat ? post_obj->categories : post_obj->tags, id)))
        continue;
      g_ptr_array_add (items, t);
    }
  send_collection (self, msg, path, query, items, "name", TRUE, NULL);
}

static void
rest_comments (KqTestServer      *self,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GArray) posts = id_list (_kq_test_server_param (query, "post"));
  g_autoptr(GArray) include = id_list (_kq_test_server_param (query, "include"));
  const char *parent = _kq_test_server_param (query, "parent");
  guint n = json_array_get_length (self->site->comments);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *c = json_array_get_object_element (self->site->comments, i);

      if (posts->len && !ids_contain (posts, json_object_get_int_member (c, "post")))
        continue;
      if (include->len && !ids_contain (include, json_object_get_int_member (c, "id")))
        continue;
      if (parent && json_object_get_int_member (c, "parent") != g_ascii_strtoll (parent, NULL, 10))
        continue;
      g_ptr_array_add (items, c);
    }
  send_collection (self, msg, path, query, items, "date_gmt", FALSE, "rest_comment_invalid_page_number");
}

static void
rest_media (KqTestServer      *self,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GArray) include = id_list (_kq_test_server_param (query, "include"));
  g_autoptr(GArray) parents = id_list (_kq_test_server_param (query, "parent"));
  guint n = json_array_get_length (self->site->media);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *m = json_array_get_object_element (self->site->media, i);
      gint64 id = json_object_get_int_member (m, "id");

      if (g_hash_table_contains (self->site->private_media, &id))
        continue;
      if (include->len && !ids_contain (include, id))
        continue;
      if (parents->len && !ids_contain (parents, json_object_get_int_member (m, "post")))
        continue;
      g_ptr_array_add (items, m);
    }
  send_collection (self, msg, path, query, items, "date_gmt", FALSE, "rest_post_invalid_page_number");
}

static void
rest_users (KqTestServer      *self,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (self->site->users); i++)
    g_ptr_array_add (items, json_array_get_object_element (self->site->users, i));
  send_collection (self, msg, path, query, items, "name", TRUE, NULL);
}

static void
rest_index (KqTestServer      *self,
            SoupServerMessage *msg,
            gboolean           namespace_only)
{
  static const char *routes[] = { "posts", "categories", "tags", "comments", "media", "users", NULL };
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *o = json_object_new ();
  JsonObject *r = json_object_new ();
  JsonArray *ns = json_array_new ();

  for (guint i = 0; routes[i]; i++)
    {
      JsonObject *route = json_object_new ();
      JsonArray *methods = json_array_new ();
      JsonObject *links = json_object_new ();
      JsonArray *self_links = json_array_new ();
      JsonObject *href = json_object_new ();
      g_autofree char *key = g_strdup_printf ("/wp/v2/%s", routes[i]);
      g_autofree char *url = g_strdup_printf ("{{SITE}}/wp-json/wp/v2/%s", routes[i]);

      json_array_add_string_element (methods, "GET");
      json_object_set_string_member (route, "namespace", "wp/v2");
      json_object_set_array_member (route, "methods", methods);
      json_object_set_string_member (href, "href", url);
      json_array_add_object_element (self_links, href);
      json_object_set_array_member (links, "self", self_links);
      json_object_set_object_member (route, "_links", links);
      json_object_set_object_member (r, key, route);
    }

  if (namespace_only)
    {
      json_object_set_string_member (o, "namespace", "wp/v2");
    }
  else
    {
      json_object_set_string_member (o, "name", self->site->name);
      json_object_set_string_member (o, "description", self->site->description);
      json_object_set_string_member (o, "url", "{{SITE}}");
      json_object_set_string_member (o, "home", "{{SITE}}");
      json_object_set_int_member (o, "gmt_offset", 1);
      json_object_set_string_member (o, "timezone_string", "Europe/Paris");
      json_array_add_string_element (ns, "oembed/1.0");
      json_array_add_string_element (ns, "wp/v2");
      json_array_add_string_element (ns, "wp-site-health/v1");
      json_object_set_array_member (o, "namespaces", json_array_ref (ns));
      json_object_set_object_member (o, "authentication", json_object_new ());
    }
  json_array_unref (ns);
  json_object_set_object_member (o, "routes", r);
  json_node_take_object (node, o);
  {
    g_autofree char *text = _kq_site_to_wp_json (node);

    _kq_test_server_send_cacheable (self, msg, JSON_TYPE, _kq_test_server_subst (self, text, TRUE), NULL);
  }
}

static gboolean
parse_item_path (const char *rest,
                 const char *base,
                 gint64     *id)
{
  gsize len = strlen (base);
  const char *p;
  char *end = NULL;

  if (strncmp (rest, base, len) != 0 || rest[len] != '/')
    return FALSE;
  p = rest + len + 1;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  *id = g_ascii_strtoll (p, &end, 10);
  return *end == '\0' || g_str_equal (end, "/");
}

static gboolean
is_collection (const char *rest,
               const char *base)
{
  gsize len = strlen (base);

  return strncmp (rest, base, len) == 0 && (rest[len] == '\0' || g_str_equal (rest + len, "/"));
}

void
_kq_test_server_handle_rest (KqTestServer      *self,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query)
{
  const char *rest = path + strlen ("/wp-json");
  gint64 id = 0;

  if (!self->rest_enabled)
    {
      _kq_test_server_send_html_page (self, msg, 404, "Page introuvable – Kiosque Tech", NULL,
                      "<h1>Oups, cette page est introuvable.</h1>\n"
                      "<p>L’accès à l’API a été désactivé par l’administrateur du site.</p>");
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET &&
      soup_server_message_get_method (msg) != SOUP_METHOD_HEAD)
    {
      _kq_test_server_send_not_found (self, msg, path);
      return;
    }

  set_rest_headers (self, msg);

  if (*rest == '\0' || g_str_equal (rest, "/"))
    rest_index (self, msg, FALSE);
  else if (is_collection (rest, "/wp/v2"))
    rest_index (self, msg, TRUE);
  else if (is_collection (rest, "/wp/v2/posts"))
    rest_posts (self, msg, path, query);
  else if (parse_item_path (rest, "/wp/v2/posts", &id))
    rest_post (self, msg, id, query);
  else if (is_collection (rest, "/wp/v2/categories"))
    rest_terms (self, msg, path, query, self->site->categories);
  else if (is_collection (rest, "/wp/v2/tags"))
    rest_terms (self, msg, path, query, self->site->tags);
  else if (is_collection (rest, "/wp/v2/comments"))
    rest_comments (self, msg, path, query);
  else if (is_collection (rest, "/wp/v2/media"))
    rest_media (self, msg, path, query);
  else if (is_collection (rest, "/wp/v2/users"))
    rest_users (self, msg, path, query);
  else if (parse_item_path (rest, "/wp/v2/categories", &id) ||
           parse_item_path (rest, "/wp/v2/tags", &id))
    {
      JsonArray *a = g_str_has_prefix (rest, "/wp/v2/tags") ? self->site->tags : self->site->categories;
      JsonObject *t = _kq_site_find_by_id (a, id);

      if (t)
        send_object (self, msg, query, t);
      else
        _kq_test_server_send_json_error (self, msg, 404, "rest_term_invalid", "Le terme n’existe pas.", NULL);
    }
  else if (parse_item_path (rest, "/wp/v2/comments", &id))
    {
      JsonObject *c = _kq_site_find_by_id (self->site->comments, id);

      if (c)
        send_object (self, msg, query, c);
      else
        _kq_test_server_send_json_error (self, msg, 404, "rest_comment_invalid_id",
                         "Identifiant de commentaire non valide.", NULL);
    }
  else if (parse_item_path (rest, "/wp/v2/media", &id))
    {
      JsonObject *m = _kq_site_find_by_id (self->site->media, id);

      if (m && g_hash_table_contains (self->site->private_media, &id))
        _kq_test_server_send_json_error (self, msg, 401, "rest_forbidden",
                         "Désolé, vous n’avez pas l’autorisation de voir ce média.", NULL);
      else if (m)
        send_object (self, msg, query, m);
      else
        _kq_test_server_send_json_error (self, msg, 404, "rest_post_invalid_id",
                         "Identifiant de publication non valide.", NULL);
    }
  else if (parse_item_path (rest, "/wp/v2/users", &id))
    {
      JsonObject *u = _kq_site_find_by_id (self->site->users, id);

      if (u)
        send_object (self, msg, query, u);
      else
        _kq_test_server_send_json_error (self, msg, 404, "rest_user_invalid_id",
                         "Identifiant d’utilisateur non valide.", NULL);
    }
  else
    _kq_test_server_send_not_found (self, msg, path);
}
