/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-source"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kq-feed-parser.h"
#include "kq-source-private.h"
#include "kq-text-private.h"

/*
 * Discovery: what the source URL is. The homepage (a feed itself: FEED mode),
 * its REST API announced in a Link header or the head (WP_REST when it
 * answers), else its feed (WP_FEED for a WordPress site, FEED otherwise).
 */

/* "<https://site/wp-json/>; rel="https://api.w.org/", <…>; rel=…" */
static char *
find_api_link_header (const char *value)
{
  const char *p = value;

  while (p != NULL && (p = strchr (p, '<')) != NULL)
    {
      const char *end = strchr (p, '>');
      const char *next;
      g_autofree char *params = NULL;

      if (end == NULL)
        break;

      next = strchr (end, '<');
      params = next != NULL ? g_strndup (end + 1, next - end - 1) : g_strdup (end + 1);
      if (strstr (params, "rel=\"https://api.w.org/\"") != NULL ||
          strstr (params, "rel=https://api.w.org/") != NULL)
        return g_strndup (p + 1, end - p - 1);

      p = next;
    }

  return NULL;
}

static char *
attribute_value (const char *tag,
                 const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\\s%s\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))",
                                              name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (regex == NULL || !g_regex_match (regex, tag, 0, &match))
    return NULL;

  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *value = g_match_info_fetch (match, i);

      if (value != NULL && *value != '\0')
        {
          /* Only &amp; shows up in the URLs we look for. */
          g_auto(GStrv) parts = g_strsplit (value, "&amp;", -1);
          return g_strjoinv ("&", parts);
        }
    }

  return NULL;
}

/* Looks through the <link> tags of the page's head for the REST API root
 * (rel="https://api.w.org/") and the main RSS feed (rel="alternate"). */
/* The site's name: what SEO plugins put in og:site_name, else the
 * homepage's title up to its tagline ("Site – tagline"). */
static char *
find_site_name (const char *head)
{
  g_autoptr(GRegex) meta = g_regex_new ("<meta\\b[^>]*>", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) title = g_regex_new ("<title[^>]*>([^<]{1,300})</title>", G_REGEX_CASELESS, 0,
                                         NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *name = NULL;
  const char *separators[] = { " \xe2\x80\x93 ", " \xe2\x80\x94 ", " | ", " - " };

  for (g_regex_match (meta, head, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL))
    {
      g_autofree char *tag = g_match_info_fetch (match, 0);
      g_autofree char *property = attribute_value (tag, "property");

      if (property != NULL && g_ascii_strcasecmp (property, "og:site_name") == 0)
        {
          name = attribute_value (tag, "content");
          break;
        }
    }
  g_clear_pointer (&match, g_match_info_unref);

  if (name == NULL && g_regex_match (title, head, 0, &match))
    {
      name = g_match_info_fetch (match, 1);
      for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
        {
          char *cut = strstr (name, separators[i]);

          if (cut != NULL)
            *cut = '\0';
        }
    }
  if (name == NULL)
    return NULL;

  {
    g_autofree char *decoded = _kq_text_decode_entities (name, -1);

    g_strstrip (decoded);
    return *decoded != '\0' ? g_steal_pointer (&decoded) : NULL;
  }
}

static void
scan_html_head (GBytes  *body,
                char   **api_root,
                char   **feed_url,
                char   **site_name,
                gboolean *wordpress)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  g_autofree char *head = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  const char *end;

  *api_root = NULL;
  *feed_url = NULL;
  *site_name = NULL;

  if (data == NULL || size == 0)
    {
      *wordpress = FALSE;
      return;
    }

  /* The head is enough, and bounded. */
  head = g_strndup (data, MIN (size, 512 * 1024));
  if ((end = strstr (head, "</head>")) != NULL || (end = strstr (head, "</HEAD>")) != NULL)
    head[end - head] = '\0';
  if (!g_utf8_validate (head, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (head, -1);
      g_free (head);
      head = g_steal_pointer (&valid);
    }

  *site_name = find_site_name (head);
  *wordpress = strstr (head, "wp-content") != NULL || strstr (head, "wp-includes") != NULL ||
               strstr (head, "api.w.org") != NULL || strstr (head, "WordPress") != NULL;

  regex = g_regex_new ("<link\\b[^>]*>", G_REGEX_CASELESS, 0, NULL);
  if (!g_regex_match (regex, head, 0, &match))
    return;

  do
    {
      g_autofree char *tag = g_match_info_fetch (match, 0);
      g_autofree char *rel = attribute_value (tag, "rel");
      g_autofree char *href = attribute_value (tag, "href");
      g_autofree char *type = attribute_value (tag, "type");

      if (rel == NULL || href == NULL)
        continue;

      if (*api_root == NULL && g_ascii_strcasecmp (rel, "https://api.w.org/") == 0)
        *api_root = g_steal_pointer (&href);
      else if (*feed_url == NULL && g_ascii_strcasecmp (rel, "alternate") == 0 &&
               type != NULL && (g_ascii_strcasecmp (type, "application/rss+xml") == 0 ||
                                g_ascii_strcasecmp (type, "application/atom+xml") == 0) &&
               strstr (href, "/comments/") == NULL)
        *feed_url = g_steal_pointer (&href);
    }
  while (g_match_info_next (match, NULL));
}

typedef struct
{
  char    *base_uri;     /* the homepage's final URL */
  char    *feed_url;     /* advertised feed, if any */
  guint    homepage_status;
  gboolean wordpress;
} Discovery;

static void
discovery_free (gpointer data)
{
  Discovery *d = data;

  g_free (d->base_uri);
  g_free (d->feed_url);
  g_free (d);
}

static char *
resolve (const char *base,
         const char *reference)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (NULL, reference, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL && base != NULL)
    {
      g_autoptr(GUri) base_uri = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);

      if (base_uri != NULL)
        uri = g_uri_parse_relative (base_uri, reference, G_URI_FLAGS_NONE, NULL);
    }

  return uri != NULL ? g_uri_to_string (uri) : NULL;
}

static void
discovery_complete (KqSource *self,
                    GError   *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->discover_waiters);

  self->discover_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (waiter, g_error_copy (error));
      else
        g_task_return_boolean (waiter, TRUE);
    }

  g_clear_error (&error);
}

static void
feed_probe_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Discovery *d = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);
  /* The homepage answered, the feed is not there: what is true is that
   * there is nothing to read at this address, not that a page is missing
   * (or, when the homepage itself is missing, that it is). */
  if (d->homepage_status >= 400 &&
      (g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND) ||
       g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_FORBIDDEN)))
    {
      discovery_complete (self, kq_http_error_new_for_status (d->homepage_status, self->url));
      return;
    }
  if (response == NULL &&
      !g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND) &&
      !g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_FORBIDDEN))
    {
      discovery_complete (self, _kq_source_reader_error (self, g_steal_pointer (&error)));
      return;
    }

  if (response == NULL || !kq_feed_parser_looks_like_feed (kq_http_response_get_body (response)))
    {
      g_autofree char *site = _kq_source_site_name (self);

      if (error != NULL)
        g_debug ("%s: no feed: %s", self->url, error->message);
      discovery_complete (self, g_error_new (KQ_SOURCE_ERROR, KQ_SOURCE_ERROR_NOTHING_TO_READ,
                                             _("Kiosque found neither articles nor a news feed on the site %s."),
                                             site));
      return;
    }

  g_free (self->feed_url);
  self->feed_url = g_strdup (kq_http_response_get_uri (response));
  /* A WordPress site whose REST API is missing or blocked still has its
   * category and search feeds; any other site is read as its feed alone. */
  _kq_source_set_mode (self, d->wordpress ? KQ_SOURCE_MODE_WP_FEED : KQ_SOURCE_MODE_FEED);
  discovery_complete (self, NULL);
}

static void
fall_back_to_feed (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  Discovery *d = g_task_get_task_data (task);
  g_autofree char *feed_url = NULL;

  if (d->feed_url != NULL)
    feed_url = resolve (d->base_uri, d->feed_url);
  if (feed_url == NULL)
    {
      feed_url = g_strconcat (self->url, "/feed/", NULL);
      /* WordPress serves /feed/ even when its head does not say so. */
      d->wordpress = TRUE;
    }

  g_debug ("%s: no usable REST API, trying the feed %s", self->url, feed_url);

  kq_http_get_async (self->http, feed_url, KQ_HTTP_FLAGS_CONDITIONAL, self->cancellable,
                     feed_probe_cb, g_object_ref (task));
}

/* Whether a REST index ({"namespaces": ["oembed/1.0", "wp/v2", …], …})
 * lists "wp/v2". A scan, not a parse: the index lists every route of the
 * site and may be large; "namespaces" holds only strings. */
static gboolean
index_lists_wp_v2 (GBytes *body)
{
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  const char *end = data + size;
  const char *p;
  const char *close;

  if (data == NULL || (p = g_strstr_len (data, size, "\"namespaces\"")) == NULL)
    return FALSE;
  for (p += strlen ("\"namespaces\""); p < end && (g_ascii_isspace (*p) || *p == ':'); p++)
    ;
  if (p >= end || *p != '[' || (close = memchr (p, ']', end - p)) == NULL)
    return FALSE;
  /* WordPress escapes slashes in JSON ("wp\/v2"); others need not. */
  return g_strstr_len (p, close - p, "\"wp/v2\"") != NULL ||
         g_strstr_len (p, close - p, "\"wp\\/v2\"") != NULL;
}

static void
index_probe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Discovery *d = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      discovery_complete (self, g_steal_pointer (&error));
      return;
    }

  if (response != NULL && kq_http_response_get_status (response) < 300 &&
      index_lists_wp_v2 (kq_http_response_get_body (response)))
    {
      g_debug ("%s: wp/v2 did not answer, but the API index lists it", self->url);
      d->wordpress = TRUE;
      _kq_source_set_mode (self, KQ_SOURCE_MODE_WP_REST);
      discovery_complete (self, NULL);
      return;
    }

  fall_back_to_feed (task);
}

static void
api_probe_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Discovery *d = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      discovery_complete (self, g_steal_pointer (&error));
      return;
    }

  if (response != NULL &&
      kq_http_response_get_status (response) < 300 &&
      _kq_source_looks_like_json (kq_http_response_get_body (response)))
    {
      /* The REST API works: it is also a WordPress site. */
      d->wordpress = TRUE;
      _kq_source_set_mode (self, KQ_SOURCE_MODE_WP_REST);
      discovery_complete (self, NULL);
      return;
    }

  /* An unreachable site stays unreachable through its feed too. */
  if (g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_UNREACHABLE) ||
      g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_TIMEOUT))
    {
      discovery_complete (self, g_steal_pointer (&error));
      return;
    }

  /* wp/v2's own index may be blocked (or fail) while the API root's index
   * lists it and its routes answer: trust the index. */
  g_debug ("%s: wp/v2 did not answer, asking the API index %s", self->url, self->api_root);
  kq_http_get_async (self->http, self->api_root, KQ_HTTP_FLAGS_NONE, self->cancellable,
                     index_probe_cb, g_steal_pointer (&task));
}

static void
homepage_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Discovery *d = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *api_root = NULL;
  g_autofree char *api_index = NULL;
  const char *link;
  GBytes *body;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);
  if (response == NULL)
    {
      discovery_complete (self, g_steal_pointer (&error));
      return;
    }

  body = kq_http_response_get_body (response);
  d->base_uri = g_strdup (kq_http_response_get_uri (response));
  d->homepage_status = kq_http_response_get_status (response);

  if (kq_http_response_get_status (response) < 300 && kq_feed_parser_looks_like_feed (body))
    {
      g_free (self->feed_url);
      self->feed_url = g_strdup (d->base_uri);
      _kq_source_set_mode (self, KQ_SOURCE_MODE_FEED);
      discovery_complete (self, NULL);
      return;
    }

  link = kq_http_response_get_header (response, "Link");
  if (link != NULL)
    api_root = find_api_link_header (link);

  {
    g_autofree char *html_api = NULL;
    g_autofree char *site_name = NULL;

    scan_html_head (body, &html_api, &d->feed_url, &site_name, &d->wordpress);
    if (api_root == NULL)
      api_root = g_steal_pointer (&html_api);
    /* A feed's own title wins (FEED mode); a site has its name. */
    if (self->title == NULL && site_name != NULL)
      self->title = g_steal_pointer (&site_name);
  }

  g_clear_pointer (&self->api_root, g_free);
  if (api_root != NULL)
    {
      self->api_root = resolve (d->base_uri, api_root);
      d->wordpress = TRUE;
    }
  if (self->api_root == NULL)
    self->api_root = g_strconcat (self->url, "/wp-json/", NULL);

  api_index = _kq_source_build_api_url (self, "wp/v2/", NULL);
  g_debug ("%s: checking the REST API at %s", self->url, api_index);

  kq_http_get_async (self->http, api_index, KQ_HTTP_FLAGS_NONE, self->cancellable,
                     api_probe_cb, g_steal_pointer (&task));
}

void
_kq_source_start_discovery (KqSource *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, NULL, NULL);

  g_task_set_source_tag (task, _kq_source_start_discovery);
  g_task_set_task_data (task, g_new0 (Discovery, 1), discovery_free);

  g_debug ("%s: discovering", self->url);

  /* Error answers are read too: a site whose homepage fails may still
   * answer under /wp-json/. */
  kq_http_get_async (self->http, self->url, KQ_HTTP_FLAGS_ERROR_BODY, self->cancellable,
                     homepage_cb, g_steal_pointer (&task));
}
