/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-http"

#include "config.h"

#include <string.h>

#include "kq-http-private.h"

/* Bodies kept for conditional GETs: bounded so that a long session stays small
 * (scrolling 2,000 articles kept some 40 pages of posts, tens of MB, for
 * revalidations that mostly never come). */
#define MAX_KEPT_ENTRIES           256
#define MAX_KEPT_BYTES             (8 * 1000 * 1000)

/* The headers of a 200 that a 304 reusing its body needs again, and so are
 * persisted with the validators: WordPress' totals, the type, the links. */
static gboolean
is_reused_header (const char *name)
{
  static const char * const names[] = {
    "X-WP-Total", "X-WP-TotalPages", "Content-Type", "Link",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/*
 * Validators for conditional GETs: the ETag / Last-Modified of a URL with the
 * body (and headers) of the 200 that gave them, bounded in count and bytes,
 * preloaded from the store or updated by answers (signal "validator-changed").
 */

void
_kq_http_kept_entry_free (gpointer data)
{
  KeptEntry *entry = data;

  g_free (entry->etag);
  g_free (entry->last_modified);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_clear_pointer (&entry->headers, soup_message_headers_unref);
  g_free (entry->final_uri);
  g_free (entry);
}

SoupMessageHeaders *
_kq_http_copy_headers (SoupMessageHeaders *headers)
{
  SoupMessageHeaders *copy = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  if (headers == NULL)
    return copy;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (copy, name, value);

  return copy;
}

static void
evict_kept (KqHttp *self)
{
  while (g_hash_table_size (self->kept) > MAX_KEPT_ENTRIES || self->kept_bytes > MAX_KEPT_BYTES)
    {
      GHashTableIter iter;
      gpointer key, value;
      const char *oldest_key = NULL;
      KeptEntry *oldest = NULL;

      g_hash_table_iter_init (&iter, self->kept);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          KeptEntry *entry = value;

          if (oldest == NULL || entry->age < oldest->age)
            {
              oldest = entry;
              oldest_key = key;
            }
        }

      if (oldest == NULL)
        break;

      self->kept_bytes -= oldest->body != NULL ? g_bytes_get_size (oldest->body) : 0;
      g_hash_table_remove (self->kept, oldest_key);
    }
}

static void
forget_kept (KqHttp     *self,
             const char *url)
{
  KeptEntry *entry = g_hash_table_lookup (self->kept, url);

  if (entry == NULL)
    return;

  self->kept_bytes -= entry->body != NULL ? g_bytes_get_size (entry->body) : 0;
  g_hash_table_remove (self->kept, url);
}

static KeptEntry *
keep (KqHttp             *self,
      const char         *url,
      const char         *etag,
      const char         *last_modified,
      GBytes             *body,
      SoupMessageHeaders *headers,
      guint               status,
      const char         *final_uri)
{
  KeptEntry *entry;

  forget_kept (self, url);

  entry = g_new0 (KeptEntry, 1);
  entry->etag = g_strdup (etag);
  entry->last_modified = g_strdup (last_modified);
  entry->body = g_bytes_ref (body);
  entry->headers = headers != NULL ? _kq_http_copy_headers (headers) : NULL;
  entry->status = status;
  entry->final_uri = g_strdup (final_uri != NULL ? final_uri : url);
  entry->age = ++self->kept_counter;

  self->kept_bytes += g_bytes_get_size (body);
  g_hash_table_insert (self->kept, g_strdup (url), entry);
  evict_kept (self);

  return g_hash_table_lookup (self->kept, url);
}

/* Only for CONDITIONAL requests: keep (or forget) the validators and tell. */
void
_kq_http_update_validators (Request            *req,
                            guint               status,
                            SoupMessageHeaders *headers,
                            GBytes             *body,
                            const char         *final_uri)
{
  KqHttp *self = req->self;
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");
  KeptEntry *old = g_hash_table_lookup (self->kept, req->url);
  gboolean changed;

  if (etag == NULL && last_modified == NULL)
    {
      if (old == NULL)
        return;
      forget_kept (self, req->url);
      _kq_http_emit_validator_changed (self, req->url, NULL, NULL);
      return;
    }

  changed = old == NULL ||
            g_strcmp0 (old->etag, etag) != 0 ||
            g_strcmp0 (old->last_modified, last_modified) != 0;

  keep (self, req->url, etag, last_modified, body, headers, status, final_uri);

  if (changed)
    _kq_http_emit_validator_changed (self, req->url, etag, last_modified);
}

void
kq_http_set_validator (KqHttp     *self,
                       const char *url,
                       const char *etag,
                       const char *last_modified,
                       GBytes     *body)
{
  kq_http_set_validator_full (self, url, etag, last_modified, body, NULL);
}

/* "Name: value" lines → headers (those a 304 needs only); NULL when none. */
static SoupMessageHeaders *
parse_kept_headers (const char *text)
{
  g_auto(GStrv) lines = NULL;
  SoupMessageHeaders *headers = NULL;

  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      g_strstrip (lines[i]);
      if (!is_reused_header (lines[i]))
        continue;
      if (headers == NULL)
        headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      soup_message_headers_replace (headers, lines[i], g_strstrip (colon + 1));
    }
  return headers;
}

void
kq_http_set_validator_full (KqHttp     *self,
                            const char *url,
                            const char *etag,
                            const char *last_modified,
                            GBytes     *body,
                            const char *headers)
{
  g_autoptr(SoupMessageHeaders) kept_headers = NULL;

  g_return_if_fail (KQ_IS_HTTP (self));
  g_return_if_fail (url != NULL);

  if (body == NULL || (etag == NULL && last_modified == NULL))
    {
      forget_kept (self, url);
      return;
    }

  kept_headers = parse_kept_headers (headers);
  keep (self, url, etag, last_modified, body, kept_headers, SOUP_STATUS_OK, url);
}

char *
kq_http_get_validator_headers (KqHttp     *self,
                               const char *url)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;
  KeptEntry *entry;
  GString *text = NULL;

  g_return_val_if_fail (KQ_IS_HTTP (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  entry = g_hash_table_lookup (self->kept, url);
  if (entry == NULL || entry->headers == NULL)
    return NULL;

  soup_message_headers_iter_init (&iter, entry->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (!is_reused_header (name) || strpbrk (value, "\r\n") != NULL)
        continue;
      if (text == NULL)
        text = g_string_new (NULL);
      g_string_append_printf (text, "%s: %s\n", name, value);
    }
  return text != NULL ? g_string_free (text, FALSE) : NULL;
}

gboolean
kq_http_get_validator (KqHttp      *self,
                       const char  *url,
                       char       **etag,
                       char       **last_modified)
{
  KeptEntry *entry;

  g_return_val_if_fail (KQ_IS_HTTP (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  entry = g_hash_table_lookup (self->kept, url);
  if (etag != NULL)
    *etag = entry != NULL ? g_strdup (entry->etag) : NULL;
  if (last_modified != NULL)
    *last_modified = entry != NULL ? g_strdup (entry->last_modified) : NULL;

  return entry != NULL;
}

GBytes *
kq_http_get_validator_body (KqHttp     *self,
                            const char *url)
{
  KeptEntry *entry;

  g_return_val_if_fail (KQ_IS_HTTP (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  entry = g_hash_table_lookup (self->kept, url);

  return entry != NULL && entry->body != NULL ? g_bytes_ref (entry->body) : NULL;
}
