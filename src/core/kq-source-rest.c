/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-source"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kq-source-private.h"
#include "kq-wp-parser.h"

/* WP_REST mode: the WordPress REST API (/wp-json/wp/v2/). */

/* Bounds for the collections we walk page by page. */
#define MAX_CATEGORY_PAGES   20
#define MAX_COMMENT_PAGES    10

static GError *
new_not_json_error (KqSource *self)
{
  g_autofree char *site = _kq_source_site_name (self);

  return g_error_new (KQ_WP_ERROR, KQ_WP_ERROR_INVALID,
                      _("The site %s sent a web page where Kiosque expected its articles. Try again later."),
                      site);
}

char *
_kq_source_build_api_url (KqSource   *self,
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

static void categories_page_cb (GObject *object, GAsyncResult *result, gpointer user_data);

void
_kq_source_fetch_categories_page (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  g_autofree char *query = g_strdup_printf ("per_page=100&page=%u", op->next_page);
  g_autofree char *url = _kq_source_build_api_url (self, "wp/v2/categories", query);

  kq_http_get_async (self->http, url, KQ_HTTP_FLAGS_CONDITIONAL, g_task_get_cancellable (task),
                     categories_page_cb, g_object_ref (task));
}

static void
categories_page_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);

  if (response != NULL && !_kq_source_looks_like_json (kq_http_response_get_body (response)))
    error = new_not_json_error (self);
  else if (response != NULL)
    page = kq_wp_parser_parse_categories (kq_http_response_get_body (response), self->url, &error);

  if (page == NULL)
    {
      if (self->mode == KQ_SOURCE_MODE_WP_FEED && op->next_page == 1 &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("%s: no REST categories (%s)", self->url, error->message);
          _kq_source_list_categories_from_feed (task);
          return;
        }

      g_task_return_error (task, _kq_source_reader_error (self, g_steal_pointer (&error)));
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
      _kq_source_fetch_categories_page (task);
      return;
    }

  _kq_source_return_categories (task);
}

static void
posts_parsed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;

  posts = kq_wp_parser_parse_posts_finish (result, &error);
  if (posts == NULL)
    {
      g_task_return_error (task, _kq_source_reader_error (self, g_steal_pointer (&error)));
      return;
    }

  if (op->kind == OP_POST_BY_LINK)
    {
      _kq_source_return_post_by_link (task, posts);
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
  _kq_source_return_results (task);
}

static void
posts_fetched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
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
      if (status == 400 && _kq_source_looks_like_json (body))
        {
          G_GNUC_UNUSED g_autoptr(GPtrArray) unused =
            kq_wp_parser_parse_posts (body, self->url, &error);

          if (g_error_matches (error, KQ_WP_ERROR, KQ_WP_ERROR_INVALID_PAGE))
            {
              op->total_pages = header_uint (op->response, "X-WP-TotalPages");
              if (op->total_pages == 0 || op->total_pages >= op->page)
                op->total_pages = op->page - 1;
              _kq_source_return_results (task);
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

      if (!_kq_source_looks_like_json (body))
        {
          g_task_return_error (task, new_not_json_error (self));
          return;
        }

      /* One post is small: parsed here. */
      article = kq_wp_parser_parse_post (body, self->url, &error);
      if (article == NULL)
        g_task_return_error (task, _kq_source_reader_error (self, g_steal_pointer (&error)));
      else
        g_task_return_pointer (task, g_steal_pointer (&article), g_object_unref);
      return;
    }

  if (!_kq_source_looks_like_json (body))
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
  KqSourceOp *op = g_task_get_task_data (task);
  g_autofree char *query = g_strdup_printf ("post=%" G_GINT64_FORMAT "&per_page=100&page=%u",
                                            op->id, op->next_page);
  g_autofree char *url = _kq_source_build_api_url (self, "wp/v2/comments", query);

  kq_http_get_async (self->http, url, KQ_HTTP_FLAGS_CONDITIONAL, g_task_get_cancellable (task),
                     comments_page_cb, g_object_ref (task));
}

static void
comments_parsed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  page = kq_wp_parser_parse_comments_finish (result, &error);
  if (page == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, _kq_source_reader_error (self, g_steal_pointer (&error)));
      return;
    }

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

  _kq_source_return_results (task);
}

static void
comments_page_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!_kq_source_looks_like_json (kq_http_response_get_body (response)))
    {
      g_task_return_error (task, new_not_json_error (self));
      return;
    }

  if (op->next_page == 1)
    op->total_pages = MIN (MAX (header_uint (response, "X-WP-TotalPages"), 1), MAX_COMMENT_PAGES);

  /* Parsed on a worker thread (the library parses each content there too). */
  kq_wp_parser_parse_comments_async (kq_http_response_get_body (response),
                                     g_task_get_cancellable (task), comments_parsed_cb,
                                     g_object_ref (task));
}

void
_kq_source_dispatch_rest (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *url = NULL;

  switch (op->kind)
    {
    case OP_CATEGORIES:
      op->next_page = 1;
      _kq_source_fetch_categories_page (task);
      return;

    case OP_COMMENTS:
      op->next_page = 1;
      fetch_comments_page (task);
      return;

    case OP_POST:
      {
        g_autofree char *route = g_strdup_printf ("wp/v2/posts/%" G_GINT64_FORMAT, op->id);
        url = _kq_source_build_api_url (self, route, "_embed=1");
      }
      break;

    case OP_POST_BY_LINK:
      {
        /* WordPress resolves a permalink by its last segment, the slug. */
        g_autofree char *path = _kq_source_link_path (op->query);
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
        url = _kq_source_build_api_url (self, "wp/v2/posts", query->str);
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
      url = _kq_source_build_api_url (self, "wp/v2/posts", query->str);
      break;

    default:
      g_assert_not_reached ();
    }

  kq_http_get_async (self->http, url, KQ_HTTP_FLAGS_CONDITIONAL | KQ_HTTP_FLAGS_ERROR_BODY,
                     g_task_get_cancellable (task), posts_fetched_cb, g_object_ref (task));
}
