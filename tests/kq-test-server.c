/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-test-server"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libsoup/soup.h>

#include "kq-test-server.h"
#include "kq-test-server-private.h"

#ifndef KQ_TEST_SITE_DIR_DEFAULT
#error "KQ_TEST_SITE_DIR_DEFAULT must be defined by the build"
#endif

G_DEFINE_FINAL_TYPE (KqTestServer, kq_test_server, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------ */
/* Small helpers */

static void
fault_free (gpointer data)
{
  Fault *f = data;

  g_free (f->prefix);
  g_free (f);
}

static const char *
param (GHashTable *query,
       const char *name)
{
  return query ? g_hash_table_lookup (query, name) : NULL;
}

gboolean
_kq_test_server_is_rest_path (const char *path)
{
  return g_str_has_prefix (path, "/wp-json");
}

static char *
subst (KqTestServer *self,
       const char   *text,
       gboolean      json)
{
  const char *url = json ? self->url_json : self->url;
  GString *out = g_string_sized_new (strlen (text) + 256);
  const char *p = text;
  const char *hit;

  while ((hit = strstr (p, "{{SITE}}")) != NULL)
    {
      g_string_append_len (out, p, hit - p);
      g_string_append (out, url);
      p = hit + strlen ("{{SITE}}");
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

static GDateTime *
parse_gmt (const char *iso)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return g_date_time_new_from_iso8601 (iso, utc);
}

static char *
rfc822 (const char *iso_gmt)
{
  static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) dt = parse_gmt (iso_gmt);

  return g_strdup_printf ("%s, %02d %s %d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

void
_kq_test_server_set_text (SoupServerMessage *msg,
          guint              status,
          const char        *content_type,
          char              *body /* transfer full */)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
send_cacheable (KqTestServer      *self,
                SoupServerMessage *msg,
                const char        *content_type,
                char              *body /* transfer full */,
                const char        *modified_gmt)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, body, -1);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", sum);
  g_autoptr(GDateTime) lm = parse_gmt (modified_gmt ? modified_gmt : self->site->modified_gmt);
  g_autofree char *lm_str = soup_date_time_to_string (lm, SOUP_DATE_HTTP);
  const char *inm = soup_message_headers_get_one (req, "If-None-Match");
  const char *ims = soup_message_headers_get_one (req, "If-Modified-Since");
  gboolean not_modified = FALSE;

  soup_message_headers_replace (resp, "ETag", etag);
  soup_message_headers_replace (resp, "Last-Modified", lm_str);

  if (inm != NULL)
    {
      not_modified = strstr (inm, etag) != NULL || g_strcmp0 (inm, "*") == 0;
    }
  else if (ims != NULL)
    {
      g_autoptr(GDateTime) since = soup_date_time_new_from_http_string (ims);

      not_modified = since != NULL && g_date_time_compare (lm, since) <= 0;
    }

  if (not_modified && soup_server_message_get_method (msg) == SOUP_METHOD_GET)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      g_free (body);
      return;
    }
  _kq_test_server_set_text (msg, SOUP_STATUS_OK, content_type, body);
}

void
_kq_test_server_send_json_error (KqTestServer      *self,
                 SoupServerMessage *msg,
                 guint              status,
                 const char        *code,
                 const char        *message,
                 JsonObject        *params /* transfer full, nullable */)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *o = json_object_new ();
  JsonObject *data = json_object_new ();

  json_object_set_string_member (o, "code", code);
  json_object_set_string_member (o, "message", message);
  json_object_set_int_member (data, "status", status);
  if (params)
    json_object_set_object_member (data, "params", params);
  json_object_set_object_member (o, "data", data);
  json_node_take_object (node, o);
  _kq_test_server_set_text (msg, status, JSON_TYPE, _kq_site_to_wp_json (node));
}

void
_kq_test_server_send_html_page (KqTestServer      *self,
                SoupServerMessage *msg,
                guint              status,
                const char        *title,
                const char        *head_extra,
                const char        *body_html)
{
  char *page = g_strdup_printf (
    "<!DOCTYPE html>\n<html lang=\"fr-FR\">\n<head>\n<meta charset=\"UTF-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>%s</title>\n%s</head>\n<body>\n"
    "<header><a href=\"%s/\">%s</a></header>\n<main>\n%s\n</main>\n"
    "<footer><p>%s</p></footer>\n</body>\n</html>\n",
    title, head_extra ? head_extra : "", self->url, self->site->name, body_html,
    self->site->description);

  _kq_test_server_set_text (msg, status, HTML_TYPE, page);
}

void
_kq_test_server_send_not_found (KqTestServer      *self,
                SoupServerMessage *msg,
                const char        *path)
{
  if (_kq_test_server_is_rest_path (path) && self->rest_enabled)
    _kq_test_server_send_json_error (self, msg, 404, "rest_no_route",
                     "Aucune route ne correspond à l’adresse et à la méthode demandées.", NULL);
  else
    _kq_test_server_send_html_page (self, msg, 404, "Page introuvable – Kiosque Tech", NULL,
                    "<h1>Oups, cette page est introuvable.</h1>\n"
                    "<p>Le contenu a peut-être été déplacé ou supprimé.</p>");
}

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
  const char *v = param (query, name);
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
  const char *v = param (query, "_fields");

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
  v = param (query, "_embed");
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
static GPtrArray *
select_posts (KqTestServer *self,
              GHashTable   *query)
{
  g_autoptr(GArray) cats = id_list (param (query, "categories"));
  g_autoptr(GArray) cats_ex = id_list (param (query, "categories_exclude"));
  g_autoptr(GArray) tags = id_list (param (query, "tags"));
  g_autoptr(GArray) include = id_list (param (query, "include"));
  g_autoptr(GArray) exclude = id_list (param (query, "exclude"));
  g_autoptr(GArray) authors = id_list (param (query, "author"));
  const char *search = param (query, "search");
  const char *slug = param (query, "slug");
  const char *after = param (query, "after");
  const char *before = param (query, "before");
  const char *sticky = param (query, "sticky");
  g_auto(GStrv) slugs = slug ? g_strsplit (slug, ",", -1) : NULL;
  GPtrArray *out = g_ptr_array_new ();
  SortSpec spec = { param (query, "orderby"), g_strcmp0 (param (query, "order"), "asc") == 0, include };

  for (guint i = 0; i < self->site->posts->len; i++)
    {
      KqSitePost *p = g_ptr_array_index (self->site->posts, i);

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

static const char *
max_modified (GPtrArray *posts,
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

  posts = select_posts (self, query);
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
  send_cacheable (self, msg, JSON_TYPE, subst (self, body->str, TRUE),
                  max_modified (posts, from, to));
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

  if (p == NULL)
    {
      _kq_test_server_send_json_error (self, msg, 404, "rest_post_invalid_id",
                       "Identifiant de publication non valide.", NULL);
      return;
    }
  append_post (body, p, embed, rels, fields);
  send_cacheable (self, msg, JSON_TYPE, subst (self, body->str, TRUE), p->modified_gmt);
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
  const char *order = param (query, "order");
  ObjSort sort = { param (query, "orderby") ? param (query, "orderby") : default_orderby,
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
  send_cacheable (self, msg, JSON_TYPE, subst (self, body->str, TRUE), NULL);
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
  send_cacheable (self, msg, JSON_TYPE, subst (self, body->str, TRUE), NULL);
}

static void
rest_terms (KqTestServer      *self,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            JsonArray         *terms)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GArray) include = id_list (param (query, "include"));
  g_autoptr(GArray) exclude = id_list (param (query, "exclude"));
  const char *hide = param (query, "hide_empty");
  const char *parent = param (query, "parent");
  const char *slug = param (query, "slug");
  const char *search = param (query, "search");
  const char *post = param (query, "post");
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
  g_autoptr(GArray) posts = id_list (param (query, "post"));
  g_autoptr(GArray) include = id_list (param (query, "include"));
  const char *parent = param (query, "parent");
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
  g_autoptr(GArray) include = id_list (param (query, "include"));
  g_autoptr(GArray) parents = id_list (param (query, "parent"));
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

    send_cacheable (self, msg, JSON_TYPE, subst (self, text, TRUE), NULL);
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

static void
handle_rest (KqTestServer      *self,
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

/* ------------------------------------------------------------------------ */
/* Feeds and HTML pages */

static void
send_feed (KqTestServer      *self,
           SoupServerMessage *msg,
           GHashTable        *query,
           const char        *title_xml,
           const char        *self_url,
           const char        *link,
           GPtrArray         *posts)
{
  guint paged = 1;
  guint from, to;
  const char *paged_str = param (query, "paged");
  g_autoptr(GString) out = g_string_sized_new (65536);
  g_autofree char *build_date = NULL;
  g_autofree char *self_xml = g_markup_escape_text (self_url, -1);
  g_autofree char *link_xml = g_markup_escape_text (link, -1);

  if (paged_str)
    paged = MAX (1, (guint) g_ascii_strtoull (paged_str, NULL, 10));
  from = MIN ((paged - 1) * FEED_PER_PAGE, posts->len);
  to = MIN (from + FEED_PER_PAGE, posts->len);
  if (paged > 1 && from >= posts->len)
    {
      _kq_test_server_send_not_found (self, msg, "/feed/");
      return;
    }

  build_date = rfc822 (to > from ? max_modified (posts, from, to) : self->site->modified_gmt);
  g_string_append_printf (out,
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"\n"
    "\txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    "\txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n"
    "\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
    "\txmlns:atom=\"http://www.w3.org/2005/Atom\"\n"
    "\txmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\"\n"
    "\txmlns:slash=\"http://purl.org/rss/1.0/modules/slash/\"\n"
    "\t>\n\n<channel>\n"
    "\t<title>%s</title>\n"
    "\t<atom:link href=\"%s\" rel=\"self\" type=\"application/rss+xml\" />\n"
    "\t<link>%s</link>\n"
    "\t<description>%s</description>\n"
    "\t<lastBuildDate>%s</lastBuildDate>\n"
    "\t<language>fr-FR</language>\n"
    "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n"
    "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
    "\t<generator>https://wordpress.org/?v=6.7.1</generator>\n\n"
    "<image>\n\t<url>{{SITE}}/wp-content/uploads/avatars/camille-rousseau-96.png</url>\n"
    "\t<title>%s</title>\n\t<link>%s</link>\n\t<width>32</width>\n\t<height>32</height>\n</image> \n",
    title_xml, self_xml, link_xml, self->site->description, build_date, title_xml, link_xml);

  for (guint i = from; i < to; i++)
    {
      KqSitePost *p = g_ptr_array_index (posts, i);
      g_autofree char *pub = rfc822 (p->date_gmt);
      JsonObject *content = json_object_get_object_member (p->post, "content");
      const char *link_post = json_object_get_string_member (p->post, "link");
      JsonObject *emb_terms;

      g_string_append_printf (out,
        "\t<item>\n"
        "\t\t<title>%s</title>\n"
        "\t\t<link>%s</link>\n"
        "\t\t\t\t\t<comments>%s#respond</comments>\n"
        "\t\t\n"
        "\t\t<dc:creator><![CDATA[%s]]></dc:creator>\n"
        "\t\t<pubDate>%s</pubDate>\n",
        p->rss_title, link_post, link_post, p->author_name, pub);
      emb_terms = p->embedded;
      {
        JsonArray *terms = json_object_get_array_member (emb_terms, "wp:term");

        for (guint t = 0; terms && t < json_array_get_length (terms); t++)
          {
            JsonArray *group = json_array_get_array_element (terms, t);

            for (guint k = 0; k < json_array_get_length (group); k++)
              {
                JsonObject *term = json_array_get_object_element (group, k);

                g_string_append_printf (out, "\t\t<category><![CDATA[%s]]></category>\n",
                                        json_object_get_string_member (term, "name"));
              }
          }
      }
      g_string_append_printf (out,
        "\t\t<guid isPermaLink=\"false\">{{SITE}}/?p=%" G_GINT64_FORMAT "</guid>\n\n"
        "\t\t\t\t\t<description><![CDATA[%s]]></description>\n"
        "\t\t\t\t\t\t\t\t\t\t<content:encoded><![CDATA[%s]]></content:encoded>\n"
        "\t\t\t\t\t\n"
        "\t\t\t\t\t<wfw:commentRss>%sfeed/</wfw:commentRss>\n"
        "\t\t\t<slash:comments>%u</slash:comments>\n"
        "\t\t\n"
        "\t\t\n"
        "\t\t<post-id xmlns=\"com-wordpress:feed-additions:1\">%" G_GINT64_FORMAT "</post-id>\t</item>\n",
        p->id, p->rss_description, json_object_get_string_member (content, "rendered"),
        link_post, p->comment_count, p->id);
    }
  g_string_append (out, "\t</channel>\n</rss>\n");

  send_cacheable (self, msg, RSS_TYPE, subst (self, out->str, FALSE),
                  to > from ? max_modified (posts, from, to) : NULL);
}

static char *
head_links (KqTestServer *self,
            const char   *extra)
{
  GString *head = g_string_new (NULL);

  g_string_append_printf (head,
    "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"%s &raquo; Flux\" href=\"%s/feed/\" />\n"
    "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"%s &raquo; Flux des commentaires\" "
    "href=\"%s/comments/feed/\" />\n",
    self->site->name, self->url, self->site->name, self->url);
  if (self->rest_enabled)
    g_string_append_printf (head, "<link rel=\"https://api.w.org/\" href=\"%s/wp-json/\" />\n", self->url);
  g_string_append_printf (head, "<meta name=\"generator\" content=\"WordPress 6.7.1\" />\n");
  if (extra)
    g_string_append (head, extra);
  return g_string_free (head, FALSE);
}

static void
append_post_list_html (GString   *out,
                       GPtrArray *posts,
                       guint      from,
                       guint      to)
{
  for (guint i = from; i < MIN (to, posts->len); i++)
    {
      KqSitePost *p = g_ptr_array_index (posts, i);
      JsonObject *excerpt = json_object_get_object_member (p->post, "excerpt");

      g_string_append_printf (out,
        "<article id=\"post-%" G_GINT64_FORMAT "\" class=\"post\">\n"
        "<h2 class=\"entry-title\"><a href=\"%s\" rel=\"bookmark\">%s</a></h2>\n"
        "<time datetime=\"%s+00:00\">%s</time>\n%s</article>\n",
        p->id, json_object_get_string_member (p->post, "link"), p->title_rendered,
        p->date_gmt, p->date, json_object_get_string_member (excerpt, "rendered"));
    }
}

static void
send_page (KqTestServer      *self,
           SoupServerMessage *msg,
           const char        *title,
           const char        *head_extra,
           const char        *body)
{
  g_autofree char *head = head_links (self, head_extra);
  g_autofree char *head_s = subst (self, head, FALSE);
  g_autofree char *body_s = subst (self, body, FALSE);

  if (self->rest_enabled)
    {
      g_autofree char *api = g_strdup_printf ("<%s/wp-json/>; rel=\"https://api.w.org/\"", self->url);

      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Link", api);
    }
  _kq_test_server_send_html_page (self, msg, SOUP_STATUS_OK, title, head_s, body_s);
}

static void
handle_site (KqTestServer      *self,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query)
{
  const char *s = param (query, "s");
  const char *feed = param (query, "feed");
  const char *p = param (query, "p");
  const char *cat = param (query, "cat");

  if (g_str_equal (path, "/") && p != NULL)
    {
      gint64 id = g_ascii_strtoll (p, NULL, 10);
      KqSitePost *post = g_hash_table_lookup (self->site->post_by_id, &id);

      if (post == NULL)
        {
          _kq_test_server_send_not_found (self, msg, path);
          return;
        }
      {
        g_autofree char *loc = g_strconcat (self->url, post->path, NULL);

        soup_server_message_set_redirect (msg, SOUP_STATUS_MOVED_PERMANENTLY, loc);
      }
      return;
    }

  if (g_str_equal (path, "/") && s != NULL)
    {
      g_autoptr(GHashTable) q = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) posts = NULL;
      g_autofree char *esc = g_markup_escape_text (s, -1);

      g_hash_table_insert (q, (char *) "search", (char *) s);
      posts = select_posts (self, q);
      if (feed != NULL)
        {
          g_autofree char *title = g_strdup_printf ("%s &#187; Résultats de recherche pour &#171;&#160;%s&#160;&#187;",
                                                    self->site->name, esc);
          g_autofree char *esc_uri = g_uri_escape_string (s, NULL, TRUE);
          g_autofree char *self_url = g_strdup_printf ("%s/?s=%s&feed=rss2", self->url, esc_uri);

          send_feed (self, msg, query, title, self_url, self->url, posts);
        }
      else
        {
          g_autoptr(GString) body = g_string_new (NULL);
          g_autofree char *title = g_strdup_printf ("Résultats de recherche pour « %s » – %s", esc, self->site->name);

          g_string_append_printf (body, "<h1>Résultats de recherche pour « %s »</h1>\n", esc);
          append_post_list_html (body, posts, 0, 10);
          send_page (self, msg, title, NULL, body->str);
        }
      return;
    }

  if ((g_str_equal (path, "/") && feed != NULL && cat == NULL) ||
      g_str_equal (path, "/feed/") || g_str_equal (path, "/feed"))
    {
      g_autoptr(GPtrArray) posts = select_posts (self, NULL);
      g_autofree char *self_url = g_strdup_printf ("%s/feed/", self->url);

      send_feed (self, msg, query, self->site->name, self_url, self->url, posts);
      return;
    }

  if (g_str_equal (path, "/"))
    {
      g_autoptr(GPtrArray) posts = NULL;
      g_autoptr(GString) body = g_string_new (NULL);

      if (cat != NULL)
        {
          g_autoptr(GHashTable) q = g_hash_table_new (g_str_hash, g_str_equal);

          g_hash_table_insert (q, (char *) "categories", (char *) cat);
          posts = select_posts (self, q);
          if (feed != NULL)
            {
              g_autofree char *self_url = g_strdup_printf ("%s/?cat=%s&feed=rss2", self->url, cat);

              send_feed (self, msg, query, self->site->name, self_url, self->url, posts);
              return;
            }
        }
      else
        {
          posts = select_posts (self, NULL);
        }
      g_string_append_printf (body, "<h1 class=\"site-title\">%s</h1>\n", self->site->name);
      append_post_list_html (body, posts, 0, 10);
      send_page (self, msg, self->site->name, NULL, body->str);
      return;
    }

  if (g_str_has_prefix (path, "/category/"))
    {
      g_autofree char *rel = g_strdup (path + strlen ("/category/"));
      gboolean is_feed = FALSE;
      JsonObject *category;
      gsize len;

      /* Strip slashes and a trailing "feed" segment. */
      len = strlen (rel);
      while (len > 0 && rel[len - 1] == '/')
        rel[--len] = '\0';
      if (g_str_has_suffix (rel, "/feed") || g_str_equal (rel, "feed"))
        {
          is_feed = TRUE;
          len = len >= 5 ? len - 5 : 0;
          rel[len] = '\0';
          while (len > 0 && rel[len - 1] == '/')
            rel[--len] = '\0';
        }
      category = *rel ? _kq_site_category_by_path (self->site, rel) : NULL;
      if (category == NULL)
        {
          _kq_test_server_send_not_found (self, msg, path);
          return;
        }
      {
        g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   json_object_get_int_member (category, "id"));
        g_autoptr(GHashTable) q = g_hash_table_new (g_str_hash, g_str_equal);
        g_autoptr(GPtrArray) posts = NULL;
        g_autofree char *link = subst (self, json_object_get_string_member (category, "link"), FALSE);
        const char *name = json_object_get_string_member (category, "name");

        g_hash_table_insert (q, (char *) "categories", id_str);
        posts = select_posts (self, q);
        if (is_feed)
          {
            g_autofree char *title = g_strdup_printf ("%s &#187; %s", self->site->name, name);
            g_autofree char *self_url = g_strconcat (link, "feed/", NULL);
            g_autofree char *link_no_slash = g_strndup (link, strlen (link) - 1);

            send_feed (self, msg, query, title, self_url, link_no_slash, posts);
          }
        else
          {
            g_autoptr(GString) body = g_string_new (NULL);
            g_autofree char *title = g_strdup_printf ("Archives des %s – %s", name, self->site->name);
            g_autofree char *head = NULL;

            head = g_strdup_printf (
              "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"%s &raquo; Flux de la catégorie %s\" "
              "href=\"%sfeed/\" />\n%s",
              self->site->name, name, link,
              self->rest_enabled ? "" : "");
            if (self->rest_enabled)
              {
                g_autofree char *api = g_strdup_printf (
                  "<link rel=\"alternate\" title=\"JSON\" type=\"application/json\" "
                  "href=\"%s/wp-json/wp/v2/categories/%s\" />\n", self->url, id_str);
                char *tmp = g_strconcat (head, api, NULL);

                g_free (head);
                head = tmp;
              }
            g_string_append_printf (body, "<h1 class=\"page-title\">%s</h1>\n", name);
            append_post_list_html (body, posts, 0, 10);
            send_page (self, msg, title, head, body->str);
          }
      }
      return;
    }

  {
    g_autofree char *key = g_str_has_suffix (path, "/") ? g_strdup (path) : g_strconcat (path, "/", NULL);
    KqSitePost *post = g_hash_table_lookup (self->site->post_by_path, key);

    if (post != NULL)
      {
        JsonObject *content = json_object_get_object_member (post->post, "content");
        g_autoptr(GString) body = g_string_new (NULL);
        g_autoptr(GString) head = g_string_new (NULL);
        g_autofree char *title = g_strdup_printf ("%s – %s", post->title_rendered, self->site->name);
        JsonObject *emb = post->embedded;
        JsonArray *fm = json_object_get_array_member (emb, "wp:featuredmedia");

        if (self->rest_enabled)
          g_string_append_printf (head,
            "<link rel=\"alternate\" title=\"JSON\" type=\"application/json\" "
            "href=\"%s/wp-json/wp/v2/posts/%" G_GINT64_FORMAT "\" />\n", self->url, post->id);
        g_string_append_printf (head, "<link rel=\"canonical\" href=\"{{SITE}}%s\" />\n"
                                "<meta property=\"og:title\" content=\"%s\" />\n",
                                post->path, post->title_rendered);
        if (fm && json_object_has_member (json_array_get_object_element (fm, 0), "source_url"))
          g_string_append_printf (head, "<meta property=\"og:image\" content=\"%s\" />\n",
                                  json_object_get_string_member (json_array_get_object_element (fm, 0),
                                                                 "source_url"));
        g_string_append_printf (body,
          "<article id=\"post-%" G_GINT64_FORMAT "\">\n<h1 class=\"entry-title\">%s</h1>\n"
          "<p class=\"byline\">Par %s, le <time datetime=\"%s+00:00\">%s</time></p>\n"
          "<div class=\"entry-content\">\n%s</div>\n</article>\n",
          post->id, post->title_rendered, post->author_name, post->date_gmt, post->date,
          json_object_get_string_member (content, "rendered"));
        send_page (self, msg, title, head->str, body->str);
        return;
      }
  }

  _kq_test_server_send_not_found (self, msg, path);
}

static void
handle_upload (KqTestServer      *self,
               SoupServerMessage *msg,
               const char        *path)
{
  const char *rel = path + strlen ("/wp-content/uploads/");
  GBytes *bytes = g_hash_table_lookup (self->site->uploads, rel);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *type = "application/octet-stream";
  g_autofree char *sum = NULL;
  g_autofree char *etag = NULL;
  const char *inm;

  if (bytes == NULL)
    {
      _kq_test_server_send_not_found (self, msg, path);
      return;
    }
  if (g_str_has_suffix (rel, ".png"))
    type = "image/png";
  else if (g_str_has_suffix (rel, ".jpg") || g_str_has_suffix (rel, ".jpeg"))
    type = "image/jpeg";
  else if (g_str_has_suffix (rel, ".gif"))
    type = "image/gif";
  else if (g_str_has_suffix (rel, ".webp"))
    type = "image/webp";

  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, bytes);
  etag = g_strdup_printf ("\"%s\"", sum);
  soup_message_headers_replace (resp, "ETag", etag);
  soup_message_headers_replace (resp, "Cache-Control", "max-age=31536000");
  inm = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");
  if (inm && strstr (inm, etag))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

void
_kq_test_server_handle_request (KqTestServer      *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query)
{
  const char *rest_route = param (query, "rest_route");

  if (g_str_equal (path, "/") && rest_route != NULL)
    {
      g_autofree char *rp = g_strconcat ("/wp-json", rest_route, NULL);

      handle_rest (self, msg, rp, query);
    }
  else if (_kq_test_server_is_rest_path (path))
    handle_rest (self, msg, path, query);
  else if (g_str_has_prefix (path, "/wp-content/uploads/"))
    handle_upload (self, msg, path);
  else
    handle_site (self, msg, path, query);
}

/* Like soup_form_decode() but keeps valueless keys ("?_embed"), as PHP does. */
static GHashTable *
parse_query (const char *query)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) parts = NULL;

  if (query == NULL)
    return out;
  parts = g_strsplit (query, "&", -1);
  for (guint i = 0; parts[i]; i++)
    {
      char *eq = strchr (parts[i], '=');
      char *key, *value;

      if (*parts[i] == '\0')
        continue;
      if (eq)
        *eq = '\0';
      g_strdelimit (parts[i], "+", ' ');
      if (eq)
        g_strdelimit (eq + 1, "+", ' ');
      key = g_uri_unescape_string (parts[i], NULL);
      value = eq ? g_uri_unescape_string (eq + 1, NULL) : g_strdup ("");
      if (key == NULL || value == NULL || g_hash_table_contains (out, key))
        {
          g_free (key);
          g_free (value);
          continue;
        }
      g_hash_table_insert (out, key, value);
    }
  return out;
}

static gboolean
prefix_matches (const char *prefix,
                const char *path,
                const char *full)
{
  return g_str_has_prefix (strchr (prefix, '?') ? full : path, prefix);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  KqTestServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *q = g_uri_get_query (uri);
  char *full = q ? g_strconcat (path, "?", q, NULL) : g_strdup (path);
  Fault fault = { NULL, KQ_TEST_FAULT_NONE, 0, 0 };

  g_autoptr(GHashTable) params = parse_query (q);

  g_ptr_array_add (self->request_paths, g_strdup (path));
  g_ptr_array_add (self->request_fulls, full);
  g_debug ("%s %s", soup_server_message_get_method (msg), full);

  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *f = g_ptr_array_index (self->faults, i);

      if (!prefix_matches (f->prefix, path, full))
        continue;
      fault = *f;
      fault.prefix = NULL;
      if (f->remaining > 0 && --f->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);
      break;
    }

  _kq_test_server_apply_fault (self, msg, path, params, &fault);
}

/* ------------------------------------------------------------------------ */
/* GObject */

static void
kq_test_server_dispose (GObject *object)
{
  KqTestServer *self = KQ_TEST_SERVER (object);

  while (self->pending)
    _kq_test_server_pending_done (self->pending->data);
  if (self->server)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (kq_test_server_parent_class)->dispose (object);
}

static void
on_request_finished_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        KqTestServer      *self)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = g_uri_get_path (uri);
  const char *q = g_uri_get_query (uri);

  if (soup_server_message_get_status (msg) != SOUP_STATUS_NOT_MODIFIED)
    return;

  g_ptr_array_add (self->not_modified_paths, g_strdup (path));
  g_ptr_array_add (self->not_modified_fulls, q ? g_strconcat (path, "?", q, NULL) : g_strdup (path));
}

static void
kq_test_server_finalize (GObject *object)
{
  KqTestServer *self = KQ_TEST_SERVER (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->request_paths, g_ptr_array_unref);
  g_clear_pointer (&self->request_fulls, g_ptr_array_unref);
  g_clear_pointer (&self->not_modified_paths, g_ptr_array_unref);
  g_clear_pointer (&self->not_modified_fulls, g_ptr_array_unref);
  g_free (self->url);
  g_free (self->url_json);

  G_OBJECT_CLASS (kq_test_server_parent_class)->finalize (object);
}

static void
kq_test_server_class_init (KqTestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kq_test_server_dispose;
  object_class->finalize = kq_test_server_finalize;
}

static void
kq_test_server_init (KqTestServer *self)
{
  self->rest_enabled = TRUE;
  self->faults = g_ptr_array_new_with_free_func (fault_free);
  self->request_paths = g_ptr_array_new_with_free_func (g_free);
  self->request_fulls = g_ptr_array_new_with_free_func (g_free);
  self->not_modified_paths = g_ptr_array_new_with_free_func (g_free);
  self->not_modified_fulls = g_ptr_array_new_with_free_func (g_free);
  self->context = g_main_context_ref_thread_default ();
}

/* ------------------------------------------------------------------------ */
/* Public API */

KqTestServer *
kq_test_server_new_for_port (guint    port,
                             GError **error)
{
  g_autoptr(KqTestServer) self = g_object_new (KQ_TYPE_TEST_SERVER, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  const char *dir = g_getenv ("KQ_TEST_SITE_DIR");
  GSList *uris;

  if (dir == NULL || *dir == '\0')
    dir = KQ_TEST_SITE_DIR_DEFAULT;

  /* Clients of this server connect to 127.0.0.1 directly. Without this, the
   * first GSocketClient connection loads GNOME's proxy module, which aborts
   * when the tests' GSETTINGS_SCHEMA_DIR lacks org.gnome.system.proxy. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);
  self->site = _kq_site_data_get (dir, error);
  if (self->site == NULL)
    return NULL;

  self->server = soup_server_new ("server-header", "Apache", NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (on_request_finished_cb), self);
  if (!soup_server_listen (self->server, address, 0, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->url_json = g_strdup_printf ("http:\\/\\/127.0.0.1:%u", self->port);

  return g_steal_pointer (&self);
}

KqTestServer *
kq_test_server_new (GError **error)
{
  return kq_test_server_new_for_port (0, error);
}

const char *
kq_test_server_get_url (KqTestServer *self)
{
  g_return_val_if_fail (KQ_IS_TEST_SERVER (self), NULL);
  return self->url;
}

guint
kq_test_server_get_port (KqTestServer *self)
{
  g_return_val_if_fail (KQ_IS_TEST_SERVER (self), 0);
  return self->port;
}

const char *
kq_test_server_get_site_dir (KqTestServer *self)
{
  g_return_val_if_fail (KQ_IS_TEST_SERVER (self), NULL);
  return self->site->dir;
}

void
kq_test_server_add_fault (KqTestServer *self,
                          const char   *path_prefix,
                          KqTestFault   fault,
                          guint         param_value,
                          guint         times)
{
  Fault *f;

  g_return_if_fail (KQ_IS_TEST_SERVER (self));
  g_return_if_fail (path_prefix != NULL);

  f = g_new0 (Fault, 1);
  f->prefix = g_strdup (path_prefix);
  f->fault = fault;
  f->param = param_value;
  f->remaining = times;
  g_ptr_array_add (self->faults, f);
}

void
kq_test_server_clear_faults (KqTestServer *self)
{
  g_return_if_fail (KQ_IS_TEST_SERVER (self));
  g_ptr_array_set_size (self->faults, 0);
}

void
kq_test_server_set_rest_enabled (KqTestServer *self,
                                 gboolean      enabled)
{
  g_return_if_fail (KQ_IS_TEST_SERVER (self));
  self->rest_enabled = !!enabled;
}

gboolean
kq_test_server_get_rest_enabled (KqTestServer *self)
{
  g_return_val_if_fail (KQ_IS_TEST_SERVER (self), FALSE);
  return self->rest_enabled;
}

guint
kq_test_server_get_request_count (KqTestServer *self,
                                  const char   *path_prefix)
{
  guint n = 0;

  g_return_val_if_fail (KQ_IS_TEST_SERVER (self), 0);
  g_return_val_if_fail (path_prefix != NULL, 0);

  for (guint i = 0; i < self->request_paths->len; i++)
    if (prefix_matches (path_prefix, g_ptr_array_index (self->request_paths, i),
                        g_ptr_array_index (self->request_fulls, i)))
      n++;
  return n;
}

guint
kq_test_server_get_not_modified_count (KqTestServer *self,
                                       const char   *path_prefix)
{
  guint n = 0;

  g_return_val_if_fail (KQ_IS_TEST_SERVER (self), 0);
  g_return_val_if_fail (path_prefix != NULL, 0);

  for (guint i = 0; i < self->not_modified_paths->len; i++)
    if (prefix_matches (path_prefix, g_ptr_array_index (self->not_modified_paths, i),
                        g_ptr_array_index (self->not_modified_fulls, i)))
      n++;
  return n;
}

void
kq_test_server_reset_request_counts (KqTestServer *self)
{
  g_return_if_fail (KQ_IS_TEST_SERVER (self));
  g_ptr_array_set_size (self->request_paths, 0);
  g_ptr_array_set_size (self->request_fulls, 0);
  g_ptr_array_set_size (self->not_modified_paths, 0);
  g_ptr_array_set_size (self->not_modified_fulls, 0);
}
