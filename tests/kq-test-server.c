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

/*
 * The test site's server: requests, the answers every part shares, the
 * object and its API. The WordPress REST API is in kq-test-server-rest.c,
 * feeds and HTML pages in kq-test-server-pages.c, fault injection in
 * kq-test-server-faults.c, the site's data in kq-test-server-site.c.
 */

/* ------------------------------------------------------------------------ */
/* Small helpers */

static void
fault_free (gpointer data)
{
  Fault *f = data;

  g_free (f->prefix);
  g_free (f);
}

const char *
_kq_test_server_param (GHashTable *query,
                       const char *name)
{
  return query ? g_hash_table_lookup (query, name) : NULL;
}

gboolean
_kq_test_server_is_rest_path (const char *path)
{
  return g_str_has_prefix (path, "/wp-json");
}

char *
_kq_test_server_subst (KqTestServer *self,
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

GDateTime *
_kq_test_server_parse_gmt (const char *iso)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return g_date_time_new_from_iso8601 (iso, utc);
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

void
_kq_test_server_send_cacheable (KqTestServer      *self,
                                SoupServerMessage *msg,
                                const char        *content_type,
                                char              *body /* transfer full */,
                                const char        *modified_gmt)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, body, -1);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", sum);
  g_autoptr(GDateTime) lm = _kq_test_server_parse_gmt (modified_gmt ? modified_gmt : self->site->modified_gmt);
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

/* ------------------------------------------------------------------------ */
/* Requests */

void
_kq_test_server_handle_request (KqTestServer      *self,
                                SoupServerMessage *msg,
                                const char        *path,
                                GHashTable        *query)
{
  const char *rest_route = _kq_test_server_param (query, "rest_route");

  if (g_str_equal (path, "/") && rest_route != NULL)
    {
      g_autofree char *rp = g_strconcat ("/wp-json", rest_route, NULL);

      _kq_test_server_handle_rest (self, msg, rp, query);
    }
  else if (_kq_test_server_is_rest_path (path))
    _kq_test_server_handle_rest (self, msg, path, query);
  else if (g_str_has_prefix (path, "/wp-content/uploads/"))
    _kq_test_server_handle_upload (self, msg, path);
  else if (g_str_has_prefix (path, "/vi/") && g_str_has_suffix (path, "/hqdefault.jpg"))
    /* A YouTube poster (i.ytimg.com/vi/<id>/hqdefault.jpg on the internet). */
    _kq_test_server_handle_upload (self, msg, "/wp-content/uploads/video-poster.png");
  else
    _kq_test_server_handle_site (self, msg, path, query);
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
kq_test_server_get_request_count_exact (KqTestServer *self,
                                        const char   *full)
{
  guint n = 0;

  g_return_val_if_fail (KQ_IS_TEST_SERVER (self), 0);
  g_return_val_if_fail (full != NULL, 0);

  for (guint i = 0; i < self->request_fulls->len; i++)
    if (g_str_equal (full, g_ptr_array_index (self->request_fulls, i)))
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

gboolean
_kq_test_server_is_published (KqTestServer *self,
                              KqSitePost   *post)
{
  for (guint i = 0; i < self->unpublished && i < self->site->posts->len; i++)
    if (g_ptr_array_index (self->site->posts, i) == post)
      return FALSE;

  return TRUE;
}

void
kq_test_server_set_unpublished (KqTestServer *self,
                                guint         n_newest)
{
  g_return_if_fail (KQ_IS_TEST_SERVER (self));

  self->unpublished = n_newest;
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
