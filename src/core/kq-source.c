/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-source"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kq-feed-parser.h"
#include "kq-source.h"
#include "kq-url.h"
#include "kq-wp-parser.h"

#define DEFAULT_PER_PAGE     20
#define MAX_PER_PAGE         100
/* Bounds for the collections we walk page by page. */
#define MAX_CATEGORY_PAGES   20
#define MAX_COMMENT_PAGES    10
/* Articles seen in feed modes, to answer get_post without a REST API. */
#define MAX_SEEN_ARTICLES    2000

struct _KqSource
{
  GObject       parent_instance;

  KqHttp       *http;
  char         *url;            /* normalised site URL, no trailing slash */
  KqSourceMode  mode;
  char         *api_root;       /* REST root, "…/wp-json/" or "…/?rest_route=/" */
  char         *feed_url;       /* the main feed (WP_FEED and FEED) */
  char         *title;
  guint         per_page;

  GPtrArray    *categories;     /* last list, for the feed links in WP_FEED mode */
  GHashTable   *seen;           /* id → KqArticle, feed modes only */
  GHashTable   *first_links;    /* feed URL → first item's link on page 1 */

  GCancellable *cancellable;    /* discovery; cancelled in dispose */
  GPtrArray    *discover_waiters;
};

G_DEFINE_FINAL_TYPE (KqSource, kq_source, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (KqSourceMode, kq_source_mode,
                    G_DEFINE_ENUM_VALUE (KQ_SOURCE_MODE_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (KQ_SOURCE_MODE_WP_REST, "wp-rest"),
                    G_DEFINE_ENUM_VALUE (KQ_SOURCE_MODE_WP_FEED, "wp-feed"),
                    G_DEFINE_ENUM_VALUE (KQ_SOURCE_MODE_FEED, "feed"))

enum {
  PROP_0,
  PROP_HTTP,
  PROP_URL,
  PROP_MODE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef enum {
  OP_CATEGORIES,
  OP_POSTS,
  OP_SEARCH,
  OP_POST,
  OP_COMMENTS,
  OP_POST_BY_LINK,
} OpKind;

typedef struct
{
  OpKind          kind;
  gint64          id;           /* category, post */
  guint           page;
  char           *query;
  guint           total_pages;
  guint           next_page;    /* categories and comments: pages walked */
  char           *feed_url;
  GPtrArray      *results;
  KqHttpResponse *response;
} Op;

static void op_dispatch (GTask *task);

static void
op_free (gpointer data)
{
  Op *op = data;

  g_free (op->query);
  g_free (op->feed_url);
  g_clear_pointer (&op->results, g_ptr_array_unref);
  g_clear_object (&op->response);
  g_free (op);
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

static char *
normalise_url (const char *url)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (url));
  g_autofree char *with_scheme = NULL;
  gsize len;

  if (strstr (trimmed, "://") == NULL && *trimmed != '\0')
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_steal_pointer (&trimmed);

  len = strlen (with_scheme);
  while (len > 0 && with_scheme[len - 1] == '/' &&
         (len < 3 || strncmp (with_scheme + len - 3, "://", 3) != 0))
    with_scheme[--len] = '\0';

  return g_steal_pointer (&with_scheme);
}

static gboolean
looks_like_json (GBytes *body)
{
  gsize size;
  const guchar *data = g_bytes_get_data (body, &size);
  gsize i = 0;

  /* A UTF-8 byte order mark is allowed. */
  if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    i = 3;
  while (i < size && g_ascii_isspace (data[i]))
    i++;

  return i < size && (data[i] == '{' || data[i] == '[');
}

static char *
site_name (KqSource *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL)
    return g_strdup (g_uri_get_host (uri));
  return g_strdup (self->url);
}

static GError *
new_not_json_error (KqSource *self)
{
  g_autofree char *site = site_name (self);

  return g_error_new (KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                      _("The site %s sent a web page where Kiosque expected its articles. Try again later."),
                      site);
}

/* Parser errors carry technical details: keep those in the debug log and
 * give the reader a sentence. WordPress error objects already say what
 * happened and are kept. */
static GError *
reader_error (KqSource *self,
              GError   *error)
{
  g_autofree char *site = NULL;

  if (error->domain == KQ_HTTP_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KQ_WP_ERROR, KQ_WP_ERROR_API))
    return error;

  g_debug ("%s: %s", self->url, error->message);
  site = site_name (self);
  g_clear_error (&error);

  return g_error_new (KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                      _("The site %s sent data Kiosque cannot read. Try again later."), site);
}

static char *
build_api_url (KqSource   *self,
               const char *route,
               const char *query)
{
  g_assert (self->api_root != NULL);

  /* Sites without pretty permalinks announce "https://site/?rest_route=/". */
  if (strstr (self->api_root, "rest_route=") != NULL)
    {
      g_autofree char *base = g_strdup (self->api_root);
      gsize len = strlen (base);

      if (len > 0 && base[len - 1] == '/')
        base[len - 1] = '\0';
      return g_strconcat (base, "/", route, query != NULL ? "&" : "", query, NULL);
    }

  return g_strconcat (self->api_root, g_str_has_suffix (self->api_root, "/") ? "" : "/",
                      route, query != NULL ? "?" : "", query, NULL);
}

static char *
add_query (const char *url,
           const char *query)
{
  return g_strconcat (url, strchr (url, '?') != NULL ? "&" : "?", query, NULL);
}

static guint
header_uint (KqHttpResponse *response,
             const char     *name)
{
  const char *value = kq_http_response_get_header (response, name);
  g_autofree char *copy = NULL;
  guint64 number = 0;

  if (value == NULL)
    return 0;
  copy = g_strstrip (g_strdup (value));
  if (!g_ascii_string_to_unsigned (copy, 10, 0, G_MAXUINT, &number, NULL))
    return 0;

  return (guint)number;
}

static void
remember_articles (KqSource  *self,
                   GPtrArray *articles)
{
  if (g_hash_table_size (self->seen) > MAX_SEEN_ARTICLES)
    g_hash_table_remove_all (self->seen);

  for (guint i = 0; i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);
      gint64 *key = g_new (gint64, 1);

      *key = kq_article_get_id (article);
      g_hash_table_replace (self->seen, key, g_object_ref (article));
    }
}

/* A permalink's path without its trailing slashes, for comparisons that
 * ignore the scheme, the host's spelling and the fragment. */
static char *
link_path (const char *link)
{
  g_autoptr(GUri) uri = link ? g_uri_parse (link, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autofree char *path = NULL;
  gsize len;

  if (uri == NULL)
    return NULL;
  path = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  if (path == NULL)
    return NULL;
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  return g_steal_pointer (&path);
}

static gboolean
same_permalink (const char *a,
                const char *b)
{
  g_autofree char *path_a = link_path (a);
  g_autofree char *path_b = link_path (b);

  return path_a != NULL && *path_a != '\0' && g_strcmp0 (path_a, path_b) == 0;
}

static KqArticle *
find_by_link (GPtrArray  *articles,
              const char *link)
{
  for (guint i = 0; articles != NULL && i < articles->len; i++)
    if (same_permalink (kq_article_get_link (g_ptr_array_index (articles, i)), link))
      return g_ptr_array_index (articles, i);

  return NULL;
}

/* Derived categories (see list_categories_from_feed()) need ids that stay
 * the same from one run to the next and never meet WordPress's positive ids. */
static gint64
derived_category_id (const char *slug)
{
  guint32 hash = 5381;

  for (const char *p = slug; *p != '\0'; p++)
    hash = hash * 33 + (guchar)*p;

  return -(gint64)(hash & 0x7fffffff) - 1;
}

static char *
slugify (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *slug = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          g_string_append_c (slug, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }

  return g_string_free (slug, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Discovery                                                              */

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
static void
scan_html_head (GBytes  *body,
                char   **api_root,
                char   **feed_url,
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
set_mode (KqSource     *self,
          KqSourceMode  mode)
{
  if (self->mode == mode)
    return;

  g_debug ("%s: mode %s", self->url, kq_source_mode_to_string (mode));
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODE]);
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
  if (response == NULL)
    {
      discovery_complete (self, reader_error (self, g_steal_pointer (&error)));
      return;
    }

  if (!kq_feed_parser_looks_like_feed (kq_http_response_get_body (response)))
    {
      g_autofree char *site = site_name (self);

      discovery_complete (self, g_error_new (KQ_FEED_ERROR, KQ_FEED_ERROR_NOT_A_FEED,
                                             _("Kiosque found neither articles nor a news feed on the site %s."),
                                             site));
      return;
    }

  g_free (self->feed_url);
  self->feed_url = g_strdup (kq_http_response_get_uri (response));
  /* A WordPress site whose REST API is missing or blocked still has its
   * category and search feeds; any other site is read as its feed alone. */
  set_mode (self, d->wordpress ? KQ_SOURCE_MODE_WP_FEED : KQ_SOURCE_MODE_FEED);
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
      looks_like_json (kq_http_response_get_body (response)))
    {
      /* The REST API works: it is also a WordPress site. */
      d->wordpress = TRUE;
      set_mode (self, KQ_SOURCE_MODE_WP_REST);
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

  fall_back_to_feed (task);
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

  if (kq_http_response_get_status (response) < 300 && kq_feed_parser_looks_like_feed (body))
    {
      g_free (self->feed_url);
      self->feed_url = g_strdup (d->base_uri);
      set_mode (self, KQ_SOURCE_MODE_FEED);
      discovery_complete (self, NULL);
      return;
    }

  link = kq_http_response_get_header (response, "Link");
  if (link != NULL)
    api_root = find_api_link_header (link);

  {
    g_autofree char *html_api = NULL;

    scan_html_head (body, &html_api, &d->feed_url, &d->wordpress);
    if (api_root == NULL)
      api_root = g_steal_pointer (&html_api);
  }

  g_free (self->api_root);
  if (api_root != NULL)
    {
      self->api_root = resolve (d->base_uri, api_root);
      d->wordpress = TRUE;
    }
  if (self->api_root == NULL)
    self->api_root = g_strconcat (self->url, "/wp-json/", NULL);

  api_index = build_api_url (self, "wp/v2/", NULL);
  g_debug ("%s: checking the REST API at %s", self->url, api_index);

  kq_http_get_async (self->http, api_index, KQ_HTTP_FLAGS_NONE, self->cancellable,
                     api_probe_cb, g_steal_pointer (&task));
}

static void
start_discovery (KqSource *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, NULL, NULL);

  g_task_set_source_tag (task, start_discovery);
  g_task_set_task_data (task, g_new0 (Discovery, 1), discovery_free);

  g_debug ("%s: discovering", self->url);

  /* Error answers are read too: a site whose homepage fails may still
   * answer under /wp-json/. */
  kq_http_get_async (self->http, self->url, KQ_HTTP_FLAGS_ERROR_BODY, self->cancellable,
                     homepage_cb, g_steal_pointer (&task));
}

/* ---------------------------------------------------------------------- */
/* Operations                                                             */

static GPtrArray *
empty_array (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static void
return_results (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&op->results),
                         (GDestroyNotify)g_ptr_array_unref);
}

/* Feed pages past the first: WordPress's feeds take ?paged=N. A feed that
 * ignores it would give page 1 again: that counts as the end. */
static gboolean
is_repeated_first_page (KqSource  *self,
                        Op        *op,
                        GPtrArray *items)
{
  const char *first = items->len > 0 ? kq_article_get_link (g_ptr_array_index (items, 0)) : NULL;

  if (op->page <= 1)
    {
      if (first != NULL)
        g_hash_table_replace (self->first_links, g_strdup (op->feed_url), g_strdup (first));
      return FALSE;
    }

  return first != NULL &&
         g_strcmp0 (g_hash_table_lookup (self->first_links, op->feed_url), first) == 0;
}

static void
feed_parsed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(KqFeed) feed = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  feed = kq_feed_parser_parse_finish (result, &error);
  if (feed == NULL)
    {
      g_task_return_error (task, reader_error (self, g_steal_pointer (&error)));
      return;
    }

  if (self->mode == KQ_SOURCE_MODE_FEED && self->title == NULL && kq_feed_get_title (feed) != NULL)
    self->title = g_strdup (kq_feed_get_title (feed));

  items = kq_feed_get_items (feed);
  remember_articles (self, items);

  if (op->kind == OP_CATEGORIES)
    {
      /* Feed mode without REST categories: see list_categories_from_feed(). */
      GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (guint i = 0; i < items->len; i++)
        {
          const char * const *item_names = kq_article_get_category_names (g_ptr_array_index (items, i));

          for (guint j = 0; item_names != NULL && item_names[j] != NULL; j++)
            {
              gpointer count;

              if (*item_names[j] == '\0')
                continue;
              if (!g_hash_table_lookup_extended (counts, item_names[j], NULL, &count))
                {
                  char *key = g_strdup (item_names[j]);

                  g_hash_table_insert (counts, key, GUINT_TO_POINTER (0));
                  g_ptr_array_add (names, key);
                  count = GUINT_TO_POINTER (0);
                }
              g_hash_table_insert (counts, g_strdup (item_names[j]),
                                   GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
            }
        }

      for (guint i = 0; i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);
          g_autofree char *slug = slugify (name);
          g_autofree char *link = NULL;
          KqCategory *category;

          if (*slug == '\0')
            continue;

          link = g_strconcat (self->url, "/category/", slug, "/", NULL);
          category = kq_category_new ();
          kq_category_set_id (category, derived_category_id (slug));
          kq_category_set_source (category, self->url);
          kq_category_set_name (category, name);
          kq_category_set_slug (category, slug);
          kq_category_set_link (category, link);
          kq_category_set_count (category,
                                 GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)));
          kq_category_set_position (category, op->results->len);
          g_ptr_array_add (op->results, category);
        }
      g_hash_table_unref (counts);

      g_clear_pointer (&self->categories, g_ptr_array_unref);
      self->categories = g_ptr_array_ref (op->results);
      return_results (task);
      return;
    }

  if (op->kind == OP_POST_BY_LINK)
    {
      KqArticle *article = find_by_link (items, op->query);

      if (article != NULL)
        g_task_return_pointer (task, g_object_ref (article), g_object_unref);
      else
        g_task_return_error (task, kq_http_error_new_for_status (404, op->query));
      return;
    }

  if (op->kind == OP_POST)
    {
      for (guint i = 0; i < items->len; i++)
        {
          KqArticle *article = g_ptr_array_index (items, i);

          if (kq_article_get_id (article) == op->id)
            {
              g_task_return_pointer (task, g_object_ref (article), g_object_unref);
              return;
            }
        }

      g_task_return_error (task, kq_http_error_new_for_status (404, op->feed_url));
      return;
    }

  if (op->kind == OP_COMMENTS)
    {
      g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func (g_object_unref);

      /* A post's comment feed: no threading information in RSS. */
      for (guint i = 0; i < items->len; i++)
        {
          KqArticle *item = g_ptr_array_index (items, i);
          KqComment *comment = kq_comment_new ();
          const char *content = kq_article_get_body_html (item);

          kq_comment_set_id (comment, kq_article_get_id (item));
          kq_comment_set_post_id (comment, op->id);
          kq_comment_set_author (comment, kq_article_get_author (item));
          kq_comment_set_date (comment, kq_article_get_date (item));
          kq_comment_set_content_html (comment, content != NULL && *content != '\0'
                                                ? content : kq_article_get_excerpt (item));
          kq_comment_set_link (comment, kq_article_get_link (item));
          g_ptr_array_add (comments, comment);
        }

      g_task_return_pointer (task, kq_comment_thread (comments), (GDestroyNotify)g_ptr_array_unref);
      return;
    }

  /* OP_POSTS, OP_SEARCH */
  if (self->mode == KQ_SOURCE_MODE_FEED)
    {
      op->total_pages = 1;
      for (guint i = 0; i < items->len; i++)
        {
          KqArticle *article = g_ptr_array_index (items, i);

          /* A plain feed has no server-side search: match words locally,
           * accents and case ignored. */
          if (op->kind == OP_SEARCH &&
              (kq_article_get_title (article) == NULL ||
               !g_str_match_string (op->query, kq_article_get_title (article), TRUE)) &&
              (kq_article_get_excerpt (article) == NULL ||
               !g_str_match_string (op->query, kq_article_get_excerpt (article), TRUE)))
            continue;

          g_ptr_array_add (op->results, g_object_ref (article));
        }
      return_results (task);
      return;
    }

  if (is_repeated_first_page (self, op, items))
    {
      op->total_pages = op->page - 1;
      return_results (task);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (op->results, g_object_ref (g_ptr_array_index (items, i)));

  /* Feeds do not say how many pages there are: one more while pages are not empty. */
  op->total_pages = items->len > 0 ? op->page + 1 : op->page - 1;
  return_results (task);
}

static void
feed_fetched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);

  /* Comments through feeds are a best effort: a site without comment
   * feeds simply shows none. */
  if (op->kind == OP_COMMENTS &&
      (g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND) ||
       g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_FORBIDDEN) ||
       (response != NULL && !kq_feed_parser_looks_like_feed (kq_http_response_get_body (response)))))
    {
      g_debug ("%s: no comment feed for post %" G_GINT64_FORMAT, self->url, op->id);
      return_results (task);
      return;
    }

  if (response == NULL)
    {
      /* Past the last page, WordPress answers 404. */
      if (op->page > 1 && g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND))
        {
          op->total_pages = op->page - 1;
          return_results (task);
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  body = kq_http_response_get_body (response);
  if (!kq_feed_parser_looks_like_feed (body))
    {
      g_autofree char *site = site_name (self);

      g_task_return_new_error (task, KQ_FEED_ERROR, KQ_FEED_ERROR_NOT_A_FEED,
                               _("The site %s sent a web page where Kiosque expected its news feed. Try again later."),
                               site);
      return;
    }

  kq_feed_parser_parse_async (body, self->url, kq_http_response_get_uri (response),
                              g_task_get_cancellable (task), feed_parsed_cb,
                              g_object_ref (task));
}

static void
fetch_feed (GTask      *task,
            const char *feed_url,
            guint       page)
{
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  g_free (op->feed_url);
  op->feed_url = g_strdup (feed_url);

  if (page > 1)
    {
      g_autofree char *paged = g_strdup_printf ("paged=%u", page);
      url = add_query (feed_url, paged);
    }
  else
    url = g_strdup (feed_url);

  kq_http_get_async (self->http, url, KQ_HTTP_FLAGS_CONDITIONAL, g_task_get_cancellable (task),
                     feed_fetched_cb, g_object_ref (task));
}

static KqCategory *
find_category (KqSource *self,
               gint64    id)
{
  for (guint i = 0; self->categories != NULL && i < self->categories->len; i++)
    {
      KqCategory *category = g_ptr_array_index (self->categories, i);

      if (kq_category_get_id (category) == id)
        return category;
    }

  return NULL;
}

static void categories_page_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
fetch_categories_page (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *query = g_strdup_printf ("per_page=100&page=%u", op->next_page);
  g_autofree char *url = build_api_url (self, "wp/v2/categories", query);

  kq_http_get_async (self->http, url, KQ_HTTP_FLAGS_CONDITIONAL, g_task_get_cancellable (task),
                     categories_page_cb, g_object_ref (task));
}

/* In WP_FEED mode, categories come from the REST API when its categories
 * endpoint still answers (some sites block only the posts); otherwise they
 * are derived from the main feed: every distinct <category> name of its
 * items, in order of first appearance, with a slug made from the name, a
 * link "<site>/category/<slug>/" (WordPress's default category base, whose
 * feed is link + "feed/") and a stable negative id from the slug. WordPress
 * lists tags in the same <category> elements, so tags show up too: there is
 * no way to tell them apart in RSS. */
static void
list_categories_from_feed (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);

  g_debug ("%s: deriving categories from the feed", self->url);
  fetch_feed (task, self->feed_url, 1);
}

static void
categories_page_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);

  if (response != NULL && !looks_like_json (kq_http_response_get_body (response)))
    error = new_not_json_error (self);
  else if (response != NULL)
    page = kq_wp_parser_parse_categories (kq_http_response_get_body (response), self->url, &error);

  if (page == NULL)
    {
      if (self->mode == KQ_SOURCE_MODE_WP_FEED && op->next_page == 1 &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("%s: no REST categories (%s)", self->url, error->message);
          list_categories_from_feed (task);
          return;
        }

      g_task_return_error (task, reader_error (self, g_steal_pointer (&error)));
      return;
    }

  if (op->next_page == 1)
    op->total_pages = MIN (MAX (header_uint (response, "X-WP-TotalPages"), 1), MAX_CATEGORY_PAGES);

  for (guint i = 0; i < page->len; i++)
    {
      KqCategory *category = g_ptr_array_index (page, i);

      kq_category_set_position (category, op->results->len);
      g_ptr_array_add (op->results, g_object_ref (category));
    }

  if (op->next_page < op->total_pages && page->len > 0)
    {
      op->next_page++;
      fetch_categories_page (task);
      return;
    }

  g_clear_pointer (&self->categories, g_ptr_array_unref);
  self->categories = g_ptr_array_ref (op->results);
  return_results (task);
}

static void
posts_parsed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;

  posts = kq_wp_parser_parse_posts_finish (result, &error);
  if (posts == NULL)
    {
      g_task_return_error (task, reader_error (self, g_steal_pointer (&error)));
      return;
    }

  if (op->kind == OP_POST_BY_LINK)
    {
      KqArticle *article = find_by_link (posts, op->query);

      if (article != NULL)
        g_task_return_pointer (task, g_object_ref (article), g_object_unref);
      else
        g_task_return_error (task, kq_http_error_new_for_status (404, op->query));
      return;
    }

  op->total_pages = header_uint (op->response, "X-WP-TotalPages");
  /* A 304 answered from a body preloaded at start has only the 304's own
   * headers, often without X-WP-TotalPages: a full page may have more. */
  if (op->total_pages == 0 && posts->len > 0)
    op->total_pages = kq_http_response_get_not_modified (op->response) &&
                      posts->len >= self->per_page ? op->page + 1 : op->page;

  g_clear_pointer (&op->results, g_ptr_array_unref);
  op->results = g_steal_pointer (&posts);
  return_results (task);
}

static void
posts_fetched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;
  GBytes *body;

  op->response = kq_http_get_finish (KQ_HTTP (object), result, &error);
  if (op->response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = kq_http_response_get_status (op->response);
  body = kq_http_response_get_body (op->response);

  if (status >= 400)
    {
      /* Past the last page WordPress answers 400 rest_post_invalid_page_number. */
      if (status == 400 && looks_like_json (body))
        {
          g_autoptr(GPtrArray) unused = kq_wp_parser_parse_posts (body, self->url, &error);

          if (g_error_matches (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID_PAGE))
            {
              op->total_pages = header_uint (op->response, "X-WP-TotalPages");
              if (op->total_pages == 0 || op->total_pages >= op->page)
                op->total_pages = op->page - 1;
              return_results (task);
              return;
            }
        }

      g_task_return_error (task, kq_http_error_new_for_status (status,
                                                               kq_http_response_get_uri (op->response)));
      return;
    }

  if (op->kind == OP_POST)
    {
      g_autoptr(KqArticle) article = NULL;

      if (!looks_like_json (body))
        {
          g_task_return_error (task, new_not_json_error (self));
          return;
        }

      /* One post is small: parsed here. */
      article = kq_wp_parser_parse_post (body, self->url, &error);
      if (article == NULL)
        g_task_return_error (task, reader_error (self, g_steal_pointer (&error)));
      else
        g_task_return_pointer (task, g_steal_pointer (&article), g_object_unref);
      return;
    }

  if (!looks_like_json (body))
    {
      g_task_return_error (task, new_not_json_error (self));
      return;
    }

  kq_wp_parser_parse_posts_async (body, self->url, g_task_get_cancellable (task),
                                  posts_parsed_cb, g_object_ref (task));
}

static void comments_page_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
fetch_comments_page (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *query = g_strdup_printf ("post=%" G_GINT64_FORMAT "&per_page=100&page=%u",
                                            op->id, op->next_page);
  g_autofree char *url = build_api_url (self, "wp/v2/comments", query);

  kq_http_get_async (self->http, url, KQ_HTTP_FLAGS_CONDITIONAL, g_task_get_cancellable (task),
                     comments_page_cb, g_object_ref (task));
}

static void
comments_page_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!looks_like_json (kq_http_response_get_body (response)))
    {
      g_task_return_error (task, new_not_json_error (self));
      return;
    }

  page = kq_wp_parser_parse_comments (kq_http_response_get_body (response), &error);
  if (page == NULL)
    {
      g_task_return_error (task, reader_error (self, g_steal_pointer (&error)));
      return;
    }

  if (op->next_page == 1)
    op->total_pages = MIN (MAX (header_uint (response, "X-WP-TotalPages"), 1), MAX_COMMENT_PAGES);

  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (op->results, g_object_ref (g_ptr_array_index (page, i)));

  if (op->next_page < op->total_pages && page->len > 0)
    {
      op->next_page++;
      fetch_comments_page (task);
      return;
    }

  /* Threads can span pages: thread the whole set once more. */
  if (op->total_pages > 1)
    {
      GPtrArray *threaded = kq_comment_thread (op->results);

      g_ptr_array_unref (op->results);
      op->results = threaded;
    }

  return_results (task);
}

static void
dispatch_rest (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *url = NULL;

  switch (op->kind)
    {
    case OP_CATEGORIES:
      op->next_page = 1;
      fetch_categories_page (task);
      return;

    case OP_COMMENTS:
      op->next_page = 1;
      fetch_comments_page (task);
      return;

    case OP_POST:
      {
        g_autofree char *route = g_strdup_printf ("wp/v2/posts/%" G_GINT64_FORMAT, op->id);
        url = build_api_url (self, route, "_embed=1");
      }
      break;

    case OP_POST_BY_LINK:
      {
        /* WordPress resolves a permalink by its last segment, the slug. */
        g_autofree char *path = link_path (op->query);
        const char *slug = path != NULL ? strrchr (path, '/') : NULL;
        g_autofree char *escaped = NULL;

        slug = slug != NULL ? slug + 1 : path;
        if (slug == NULL || *slug == '\0')
          {
            g_task_return_error (task, kq_http_error_new_for_status (404, op->query));
            return;
          }
        escaped = g_uri_escape_string (slug, NULL, FALSE);
        g_string_printf (query, "slug=%s&_embed=1", escaped);
        url = build_api_url (self, "wp/v2/posts", query->str);
      }
      break;

    case OP_POSTS:
    case OP_SEARCH:
      g_string_printf (query, "_embed=1&per_page=%u&page=%u", self->per_page, op->page);
      if (op->kind == OP_POSTS && op->id != 0)
        g_string_append_printf (query, "&categories=%" G_GINT64_FORMAT, op->id);
      if (op->kind == OP_SEARCH)
        {
          g_autofree char *escaped = g_uri_escape_string (op->query, NULL, FALSE);
          g_string_append_printf (query, "&search=%s", escaped);
        }
      url = build_api_url (self, "wp/v2/posts", query->str);
      break;

    default:
      g_assert_not_reached ();
    }

  kq_http_get_async (self->http, url, KQ_HTTP_FLAGS_CONDITIONAL | KQ_HTTP_FLAGS_ERROR_BODY,
                     g_task_get_cancellable (task), posts_fetched_cb, g_object_ref (task));
}

static void
categories_for_feed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;

  categories = kq_source_list_categories_finish (KQ_SOURCE (object), result, &error);
  if (categories == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  op_dispatch (task);
}

static void
dispatch_feed (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  gboolean plain = self->mode == KQ_SOURCE_MODE_FEED;

  switch (op->kind)
    {
    case OP_CATEGORIES:
      if (plain)
        {
          return_results (task);
          return;
        }
      /* REST categories first, if that endpoint answers. */
      op->next_page = 1;
      if (self->api_root != NULL)
        fetch_categories_page (task);
      else
        list_categories_from_feed (task);
      return;

    case OP_POSTS:
      if (plain && op->page > 1)
        {
          op->total_pages = 1;
          return_results (task);
          return;
        }
      if (!plain && op->id != 0)
        {
          KqCategory *category = find_category (self, op->id);
          g_autofree char *feed_url = NULL;
          const char *link;

          if (category == NULL && self->categories == NULL)
            {
              /* The category's link comes from the category list. */
              kq_source_list_categories_async (self, g_task_get_cancellable (task),
                                               categories_for_feed_cb, g_object_ref (task));
              return;
            }
          if (category == NULL || (link = kq_category_get_link (category)) == NULL)
            {
              g_task_return_error (task, kq_http_error_new_for_status (404, self->url));
              return;
            }

          feed_url = g_strconcat (link, g_str_has_suffix (link, "/") ? "" : "/", "feed/", NULL);
          fetch_feed (task, feed_url, op->page);
          return;
        }
      fetch_feed (task, self->feed_url, plain ? 1 : op->page);
      return;

    case OP_SEARCH:
      if (plain)
        {
          if (op->page > 1)
            {
              op->total_pages = 1;
              return_results (task);
              return;
            }
          fetch_feed (task, self->feed_url, 1);
        }
      else
        {
          g_autofree char *escaped = g_uri_escape_string (op->query, NULL, FALSE);
          g_autofree char *feed_url = g_strdup_printf ("%s/?s=%s&feed=rss2", self->url, escaped);

          fetch_feed (task, feed_url, op->page);
        }
      return;

    case OP_POST_BY_LINK:
      {
        GHashTableIter iter;
        gpointer value;

        g_hash_table_iter_init (&iter, self->seen);
        while (g_hash_table_iter_next (&iter, NULL, &value))
          if (same_permalink (kq_article_get_link (value), op->query))
            {
              g_task_return_pointer (task, g_object_ref (value), g_object_unref);
              return;
            }
        /* Not seen yet: look in the main feed. */
        fetch_feed (task, self->feed_url, 1);
      }
      return;

    case OP_POST:
      {
        KqArticle *article = g_hash_table_lookup (self->seen, &op->id);

        if (article != NULL)
          {
            g_task_return_pointer (task, g_object_ref (article), g_object_unref);
            return;
          }
        /* Not seen yet: look in the main feed. */
        fetch_feed (task, self->feed_url, 1);
      }
      return;

    case OP_COMMENTS:
      if (plain || op->id <= 0)
        {
          return_results (task);
          return;
        }
      {
        /* A post's comment feed is its permalink + "feed/"; "?p=ID&feed=rss2"
         * redirects there when the post was not seen yet. */
        KqArticle *article = g_hash_table_lookup (self->seen, &op->id);
        const char *link = article != NULL ? kq_article_get_link (article) : NULL;
        g_autofree char *feed_url = NULL;

        if (link != NULL && kq_url_is_http (link) && strchr (link, '?') == NULL)
          feed_url = g_strconcat (link, g_str_has_suffix (link, "/") ? "" : "/", "feed/", NULL);
        else
          feed_url = g_strdup_printf ("%s/?p=%" G_GINT64_FORMAT "&feed=rss2", self->url, op->id);
        fetch_feed (task, feed_url, 1);
      }
      return;

    default:
      g_assert_not_reached ();
    }
}

static void
op_dispatch (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);

  if (g_task_return_error_if_cancelled (task))
    return;

  switch (self->mode)
    {
    case KQ_SOURCE_MODE_WP_REST:
      dispatch_rest (task);
      break;
    case KQ_SOURCE_MODE_WP_FEED:
    case KQ_SOURCE_MODE_FEED:
      dispatch_feed (task);
      break;
    case KQ_SOURCE_MODE_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
}

static void
discovered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_source_discover_finish (KQ_SOURCE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  op_dispatch (task);
}

static void
op_start (KqSource            *self,
          Op                  *op,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  op->results = empty_array ();
  g_task_set_task_data (task, op, op_free);

  if (self->mode == KQ_SOURCE_MODE_UNKNOWN)
    kq_source_discover_async (self, cancellable, discovered_cb, g_steal_pointer (&task));
  else
    op_dispatch (task);
}

static GPtrArray *
op_finish (KqSource      *self,
           GAsyncResult  *result,
           gpointer       source_tag,
           guint         *total_pages,
           GError       **error)
{
  GPtrArray *array;

  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  array = g_task_propagate_pointer (G_TASK (result), error);
  if (total_pages != NULL)
    {
      Op *op = g_task_get_task_data (G_TASK (result));
      *total_pages = array != NULL ? op->total_pages : 0;
    }

  return array;
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
kq_source_dispose (GObject *object)
{
  KqSource *self = (KqSource *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (kq_source_parent_class)->dispose (object);
}

static void
kq_source_finalize (GObject *object)
{
  KqSource *self = (KqSource *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->discover_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->first_links, g_hash_table_unref);
  g_free (self->url);
  g_free (self->api_root);
  g_free (self->feed_url);
  g_free (self->title);

  G_OBJECT_CLASS (kq_source_parent_class)->finalize (object);
}

static void
kq_source_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KqSource *self = KQ_SOURCE (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      g_value_set_object (value, self->http);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_source_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  KqSource *self = KQ_SOURCE (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      self->http = g_value_dup_object (value);
      break;
    case PROP_URL:
      self->url = normalise_url (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kq_source_class_init (KqSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kq_source_dispose;
  object_class->finalize = kq_source_finalize;
  object_class->get_property = kq_source_get_property;
  object_class->set_property = kq_source_set_property;

  properties [PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL, KQ_TYPE_HTTP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, KQ_TYPE_SOURCE_MODE, KQ_SOURCE_MODE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kq_source_init (KqSource *self)
{
  self->per_page = DEFAULT_PER_PAGE;
  self->cancellable = g_cancellable_new ();
  self->discover_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->first_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---------------------------------------------------------------------- */
/* Public API                                                             */

const char *
kq_source_mode_to_string (KqSourceMode mode)
{
  switch (mode)
    {
    case KQ_SOURCE_MODE_WP_REST:
      return "wp-rest";
    case KQ_SOURCE_MODE_WP_FEED:
      return "wp-feed";
    case KQ_SOURCE_MODE_FEED:
      return "feed";
    case KQ_SOURCE_MODE_UNKNOWN:
    default:
      return "unknown";
    }
}

KqSource *
kq_source_new (KqHttp     *http,
               const char *url)
{
  g_return_val_if_fail (KQ_IS_HTTP (http), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  return g_object_new (KQ_TYPE_SOURCE, "http", http, "url", url, NULL);
}

const char *
kq_source_get_url (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);

  return self->url;
}

KqSourceMode
kq_source_get_mode (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), KQ_SOURCE_MODE_UNKNOWN);

  return self->mode;
}

KqHttp *
kq_source_get_http (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);

  return self->http;
}

void
kq_source_set_per_page (KqSource *self,
                        guint     per_page)
{
  g_return_if_fail (KQ_IS_SOURCE (self));

  self->per_page = CLAMP (per_page, 1, MAX_PER_PAGE);
}

const char *
kq_source_get_title (KqSource *self)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);

  return self->title;
}

void
kq_source_discover_async (KqSource            *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KQ_IS_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_source_discover_async);

  if (self->mode != KQ_SOURCE_MODE_UNKNOWN)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Callers asking at the same time share one discovery; each one's
   * cancellation shows when it ends (GTask checks the cancellable). */
  g_ptr_array_add (self->discover_waiters, g_steal_pointer (&task));
  if (self->discover_waiters->len == 1)
    start_discovery (self);
}

gboolean
kq_source_discover_finish (KqSource      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kq_source_list_categories_async (KqSource            *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Op *op;

  g_return_if_fail (KQ_IS_SOURCE (self));

  op = g_new0 (Op, 1);
  op->kind = OP_CATEGORIES;
  op_start (self, op, kq_source_list_categories_async, cancellable, callback, user_data);
}

GPtrArray *
kq_source_list_categories_finish (KqSource      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return op_finish (self, result, kq_source_list_categories_async, NULL, error);
}

void
kq_source_list_posts_async (KqSource            *self,
                            gint64               category_id,
                            guint                page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Op *op;

  g_return_if_fail (KQ_IS_SOURCE (self));

  op = g_new0 (Op, 1);
  op->kind = OP_POSTS;
  op->id = category_id;
  op->page = MAX (page, 1);
  op_start (self, op, kq_source_list_posts_async, cancellable, callback, user_data);
}

GPtrArray *
kq_source_list_posts_finish (KqSource      *self,
                             GAsyncResult  *result,
                             guint         *total_pages,
                             GError       **error)
{
  return op_finish (self, result, kq_source_list_posts_async, total_pages, error);
}

void
kq_source_search_async (KqSource            *self,
                        const char          *query,
                        guint                page,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Op *op;

  g_return_if_fail (KQ_IS_SOURCE (self));
  g_return_if_fail (query != NULL);

  op = g_new0 (Op, 1);
  op->kind = OP_SEARCH;
  op->query = g_strstrip (g_strdup (query));
  op->page = MAX (page, 1);
  op_start (self, op, kq_source_search_async, cancellable, callback, user_data);
}

GPtrArray *
kq_source_search_finish (KqSource      *self,
                         GAsyncResult  *result,
                         guint         *total_pages,
                         GError       **error)
{
  return op_finish (self, result, kq_source_search_async, total_pages, error);
}

void
kq_source_get_post_async (KqSource            *self,
                          gint64               id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Op *op;

  g_return_if_fail (KQ_IS_SOURCE (self));

  op = g_new0 (Op, 1);
  op->kind = OP_POST;
  op->id = id;
  op_start (self, op, kq_source_get_post_async, cancellable, callback, user_data);
}

KqArticle *
kq_source_get_post_finish (KqSource      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* "?p=ID" in a link: the post's id, or 0. */
static gint64
link_post_id (const char *link)
{
  g_autoptr(GUri) uri = g_uri_parse (link, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *p;
  guint64 id = 0;

  if (uri == NULL || g_uri_get_query (uri) == NULL)
    return 0;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL || (p = g_hash_table_lookup (params, "p")) == NULL ||
      !g_ascii_string_to_unsigned (p, 10, 1, G_MAXINT64, &id, NULL))
    return 0;

  return (gint64) id;
}

void
kq_source_get_post_by_link_async (KqSource            *self,
                                  const char          *link,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Op *op;

  g_return_if_fail (KQ_IS_SOURCE (self));
  g_return_if_fail (link != NULL);

  op = g_new0 (Op, 1);
  op->kind = OP_POST_BY_LINK;
  op->query = g_strdup (link);
  /* A short link ("?p=123") names the post itself. */
  if ((op->id = link_post_id (link)) > 0)
    op->kind = OP_POST;
  op_start (self, op, kq_source_get_post_by_link_async, cancellable, callback, user_data);
}

KqArticle *
kq_source_get_post_by_link_finish (KqSource      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (KQ_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kq_source_list_comments_async (KqSource            *self,
                               gint64               post_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Op *op;

  g_return_if_fail (KQ_IS_SOURCE (self));

  op = g_new0 (Op, 1);
  op->kind = OP_COMMENTS;
  op->id = post_id;
  op_start (self, op, kq_source_list_comments_async, cancellable, callback, user_data);
}

GPtrArray *
kq_source_list_comments_finish (KqSource      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return op_finish (self, result, kq_source_list_comments_async, NULL, error);
}
