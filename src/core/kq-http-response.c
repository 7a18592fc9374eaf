/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-http"

#include "config.h"

#include "kq-http-response.h"

struct _KqHttpResponse
{
  GObject             parent_instance;

  guint               status;
  char               *uri;
  GBytes             *body;
  char               *content_type;
  GHashTable         *joined;   /* lower-case name → value (repeats joined), immutable */
  gboolean            not_modified;
};

G_DEFINE_FINAL_TYPE (KqHttpResponse, kq_http_response, G_TYPE_OBJECT)

static void
add_header_cb (const char *name,
               const char *value,
               gpointer    user_data)
{
  GHashTable *joined = user_data;
  g_autofree char *key = g_ascii_strdown (name, -1);
  const char *previous = g_hash_table_lookup (joined, key);

  if (previous != NULL)
    g_hash_table_insert (joined, g_steal_pointer (&key), g_strconcat (previous, ", ", value, NULL));
  else
    g_hash_table_insert (joined, g_steal_pointer (&key), g_strdup (value));
}

static void
kq_http_response_finalize (GObject *object)
{
  KqHttpResponse *self = (KqHttpResponse *)object;

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->joined, g_hash_table_unref);

  G_OBJECT_CLASS (kq_http_response_parent_class)->finalize (object);
}

static void
kq_http_response_class_init (KqHttpResponseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kq_http_response_finalize;
}

static void
kq_http_response_init (KqHttpResponse *self)
{
}

KqHttpResponse *
kq_http_response_new (guint               status,
                      const char         *uri,
                      SoupMessageHeaders *headers,
                      GBytes             *body,
                      gboolean            not_modified)
{
  KqHttpResponse *self;
  const char *content_type;

  self = g_object_new (KQ_TYPE_HTTP_RESPONSE, NULL);
  self->status = status;
  self->uri = g_strdup (uri);
  self->not_modified = !!not_modified;
  self->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  self->joined = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Copied once so that the response stays immutable (and readable from a
   * worker thread). */
  if (headers != NULL)
    soup_message_headers_foreach (headers, add_header_cb, self->joined);

  content_type = headers != NULL ? soup_message_headers_get_content_type (headers, NULL) : NULL;
  if (content_type != NULL)
    self->content_type = g_ascii_strdown (content_type, -1);

  return self;
}

guint
kq_http_response_get_status (KqHttpResponse *self)
{
  g_return_val_if_fail (KQ_IS_HTTP_RESPONSE (self), 0);

  return self->status;
}

GBytes *
kq_http_response_get_body (KqHttpResponse *self)
{
  g_return_val_if_fail (KQ_IS_HTTP_RESPONSE (self), NULL);

  return self->body;
}

const char *
kq_http_response_get_header (KqHttpResponse *self,
                             const char     *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (KQ_IS_HTTP_RESPONSE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  key = g_ascii_strdown (name, -1);

  return g_hash_table_lookup (self->joined, key);
}

const char *
kq_http_response_get_content_type (KqHttpResponse *self)
{
  g_return_val_if_fail (KQ_IS_HTTP_RESPONSE (self), NULL);

  return self->content_type;
}

const char *
kq_http_response_get_uri (KqHttpResponse *self)
{
  g_return_val_if_fail (KQ_IS_HTTP_RESPONSE (self), NULL);

  return self->uri;
}

gboolean
kq_http_response_get_not_modified (KqHttpResponse *self)
{
  g_return_val_if_fail (KQ_IS_HTTP_RESPONSE (self), FALSE);

  return self->not_modified;
}
