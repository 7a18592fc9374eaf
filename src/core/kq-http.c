/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-http"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "kq-http.h"
#include "kq-version.h"

#define DEFAULT_CONNECT_TIMEOUT_MS (15 * 1000)
#define DEFAULT_TOTAL_TIMEOUT_MS   (30 * 1000)
#define DEFAULT_MAX_BODY_SIZE      (20 * 1000 * 1000)
#define DEFAULT_MAX_RETRY_WAIT_MS  (30 * 1000)
/* Not in libsoup 3.0's SoupStatus. */
#define STATUS_TOO_MANY_REQUESTS   429
#define MAX_REDIRECTS              5
#define MAX_RETRIES                2
#define READ_CHUNK_SIZE            (64 * 1024)
/* Bodies kept for conditional GETs: bounded so that a long session stays small
 * (scrolling 2,000 articles kept some 40 pages of posts, tens of MB, for
 * revalidations that mostly never come). */
#define MAX_KEPT_ENTRIES           256
#define MAX_KEPT_BYTES             (8 * 1000 * 1000)

typedef struct
{
  char               *etag;
  char               *last_modified;
  GBytes             *body;
  SoupMessageHeaders *headers;   /* of the 200 that gave the body; NULL when preloaded */
  guint               status;
  char               *final_uri;
  guint64             age;       /* insertion order, for eviction */
} KeptEntry;

struct _KqHttp
{
  GObject      parent_instance;

  SoupSession *session;
  GHashTable  *kept;             /* url → KeptEntry */
  gsize        kept_bytes;
  guint64      kept_counter;

  guint        connect_timeout_ms;
  guint        total_timeout_ms;
  guint        max_retry_wait_ms;
  gsize        max_body_size;
};

G_DEFINE_FINAL_TYPE (KqHttp, kq_http, G_TYPE_OBJECT)

G_DEFINE_QUARK (kq-http-error-quark, kq_http_error)

enum {
  VALIDATOR_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

typedef struct
{
  KqHttp       *self;
  GMainContext *context;
  char         *url;               /* as asked: the key of the kept validators */
  GUri         *current;           /* the current hop */
  KqHttpFlags   flags;
  guint         redirects;
  guint         retries;

  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  goffset       expected_length;   /* -1 when unknown */

  /* One per attempt (and per retry wait): cancelled by the timers, by the
   * caller's cancellable and when an attempt is abandoned. */
  GCancellable *attempt_cancellable;
  GCancellable *user_cancellable;
  gulong        user_cancelled_id;

  GSource      *response_timer;
  GSource      *total_timer;
  GSource      *wait_timer;
  GSource      *wait_cancel_source;
  gboolean      timed_out;
} Request;

static void start_attempt (GTask *task);

static void
kept_entry_free (gpointer data)
{
  KeptEntry *entry = data;

  g_free (entry->etag);
  g_free (entry->last_modified);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_clear_pointer (&entry->headers, soup_message_headers_unref);
  g_free (entry->final_uri);
  g_free (entry);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
stop_timers (Request *req)
{
  destroy_source (&req->response_timer);
  destroy_source (&req->total_timer);
  destroy_source (&req->wait_timer);
  destroy_source (&req->wait_cancel_source);
}

/* Cancels what the current attempt still has in flight (a redirect's or a
 * retried answer's body, a body above the cap) and forgets it. */
static void
abandon_attempt (Request *req)
{
  stop_timers (req);
  if (req->attempt_cancellable != NULL)
    g_cancellable_cancel (req->attempt_cancellable);
  g_clear_object (&req->attempt_cancellable);
  g_clear_object (&req->stream);
  g_clear_object (&req->msg);
  g_clear_pointer (&req->buffer, g_byte_array_unref);
}

static void
request_free (gpointer data)
{
  Request *req = data;

  if (req->user_cancelled_id != 0)
    g_cancellable_disconnect (req->user_cancellable, req->user_cancelled_id);
  abandon_attempt (req);
  g_clear_object (&req->user_cancellable);
  g_clear_pointer (&req->context, g_main_context_unref);
  g_clear_pointer (&req->current, g_uri_unref);
  g_free (req->url);
  g_free (req);
}

static char *
describe_site (const char *uri)
{
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;

  if (parsed != NULL && g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0')
    return g_strdup (g_uri_get_host (parsed));

  return g_strdup (uri != NULL ? uri : "");
}

static GError *
new_error (KqHttpError  code,
           const char  *uri,
           guint        status)
{
  g_autofree char *site = describe_site (uri);

  /* Translators: in these messages %s is a site's host name (kulturegeek.fr)
   * and %u an HTTP status code. */
  switch (code)
    {
    case KQ_HTTP_ERROR_INVALID_URL:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("“%s” is not a web address Kiosque can open."),
                          uri != NULL ? uri : "");
    case KQ_HTTP_ERROR_UNREACHABLE:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("Cannot reach the site %s. Check your Internet connection."), site);
    case KQ_HTTP_ERROR_TIMEOUT:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("The site %s is not responding. Try again later."), site);
    case KQ_HTTP_ERROR_NOT_FOUND:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("This page does not exist (any more) on the site %s."), site);
    case KQ_HTTP_ERROR_FORBIDDEN:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("The site %s refuses access to this page."), site);
    case KQ_HTTP_ERROR_CLIENT:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("The site %s could not answer this request (error %u)."), site, status);
    case KQ_HTTP_ERROR_SERVER:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("The site %s is having trouble right now (error %u). Try again later."),
                          site, status);
    case KQ_HTTP_ERROR_RATE_LIMITED:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("The site %s is receiving too many requests. Try again in a moment."), site);
    case KQ_HTTP_ERROR_TOO_LARGE:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("The page sent by the site %s is too large to be opened."), site);
    case KQ_HTTP_ERROR_TOO_MANY_REDIRECTS:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("The site %s keeps sending Kiosque to another address: the page cannot be opened."),
                          site);
    case KQ_HTTP_ERROR_TRUNCATED:
      return g_error_new (KQ_HTTP_ERROR, code,
                          _("The download from the site %s stopped before the end. Try again."), site);
    case KQ_HTTP_ERROR_FAILED:
    default:
      return g_error_new (KQ_HTTP_ERROR, KQ_HTTP_ERROR_FAILED,
                          _("Could not load the page from the site %s."), site);
    }
}

GError *
kq_http_error_new_for_status (guint       status,
                              const char *uri)
{
  switch (status)
    {
    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_GONE:
      return new_error (KQ_HTTP_ERROR_NOT_FOUND, uri, status);
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      return new_error (KQ_HTTP_ERROR_FORBIDDEN, uri, status);
    case STATUS_TOO_MANY_REQUESTS:
      return new_error (KQ_HTTP_ERROR_RATE_LIMITED, uri, status);
    default:
      if (status >= 400 && status < 500)
        return new_error (KQ_HTTP_ERROR_CLIENT, uri, status);
      if (status >= 500 && status < 600)
        return new_error (KQ_HTTP_ERROR_SERVER, uri, status);
      return new_error (KQ_HTTP_ERROR_FAILED, uri, status);
    }
}

static char *
current_uri_string (Request *req)
{
  return g_uri_to_string (req->current);
}

/* Turns a GIO/libsoup error into a KQ_HTTP_ERROR; cancellation stays as is. */
static GError *
map_transport_error (Request      *req,
                     const GError *error,
                     gboolean      in_body)
{
  g_autofree char *uri = current_uri_string (req);

  g_debug ("GET %s failed%s: %s (%s %d)", uri, in_body ? " while reading the body" : "",
           error->message, g_quark_to_string (error->domain), error->code);

  if (req->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return new_error (KQ_HTTP_ERROR_TIMEOUT, uri, 0);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (in_body)
    return new_error (KQ_HTTP_ERROR_TRUNCATED, uri, 0);
  if (error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR ||
      error->domain == G_IO_ERROR)
    return new_error (KQ_HTTP_ERROR_UNREACHABLE, uri, 0);
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    return new_error (KQ_HTTP_ERROR_TOO_MANY_REDIRECTS, uri, 0);

  return new_error (KQ_HTTP_ERROR_FAILED, uri, 0);
}

static void
fail (GTask  *task,
      GError *error)
{
  Request *req = g_task_get_task_data (task);

  abandon_attempt (req);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
timer_fired_cb (gpointer user_data)
{
  Request *req = user_data;

  g_debug ("GET %s: timed out", req->url);
  req->timed_out = TRUE;
  if (req->attempt_cancellable != NULL)
    g_cancellable_cancel (req->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

static GSource *
add_timer (Request     *req,
           guint        ms,
           GSourceFunc  func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, req, NULL);
  g_source_set_static_name (source, "[kq-http] timer");
  g_source_attach (source, req->context);

  return source;
}

static void
on_user_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  Request *req = user_data;

  /* Runs where the caller cancelled (the main thread): stop what is in flight. */
  if (req->attempt_cancellable != NULL)
    g_cancellable_cancel (req->attempt_cancellable);
}

static SoupMessageHeaders *
copy_headers (SoupMessageHeaders *headers)
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
  entry->headers = headers != NULL ? copy_headers (headers) : NULL;
  entry->status = status;
  entry->final_uri = g_strdup (final_uri != NULL ? final_uri : url);
  entry->age = ++self->kept_counter;

  self->kept_bytes += g_bytes_get_size (body);
  g_hash_table_insert (self->kept, g_strdup (url), entry);
  evict_kept (self);

  return g_hash_table_lookup (self->kept, url);
}

static void
return_response (GTask          *task,
                 KqHttpResponse *response)
{
  Request *req = g_task_get_task_data (task);

  g_debug ("GET %s → %u (%" G_GSIZE_FORMAT " bytes%s)", req->url,
           kq_http_response_get_status (response),
           g_bytes_get_size (kq_http_response_get_body (response)),
           kq_http_response_get_not_modified (response) ? ", not modified" : "");

  abandon_attempt (req);
  g_task_return_pointer (task, response, g_object_unref);
  g_object_unref (task);
}

/* Only for CONDITIONAL requests: keep (or forget) the validators and tell. */
static void
update_validators (Request            *req,
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
      g_signal_emit (self, signals [VALIDATOR_CHANGED], 0, req->url, NULL, NULL);
      return;
    }

  changed = old == NULL ||
            g_strcmp0 (old->etag, etag) != 0 ||
            g_strcmp0 (old->last_modified, last_modified) != 0;

  keep (self, req->url, etag, last_modified, body, headers, status, final_uri);

  if (changed)
    g_signal_emit (self, signals [VALIDATOR_CHANGED], 0, req->url, etag, last_modified);
}

static void
finish_not_modified (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  KqHttp *self = req->self;
  KeptEntry *entry = g_hash_table_lookup (self->kept, req->url);
  SoupMessageHeaders *fresh = soup_message_get_response_headers (req->msg);
  g_autoptr(SoupMessageHeaders) merged = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *final_uri = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  const char *etag, *last_modified;
  guint status;

  if (entry == NULL)
    {
      /* A 304 to a request we did not make conditional. */
      g_autofree char *uri = current_uri_string (req);
      fail (task, new_error (KQ_HTTP_ERROR_FAILED, uri, SOUP_STATUS_NOT_MODIFIED));
      return;
    }

  /* The kept headers, updated with the 304's own (RFC 9111 §4.3.4). */
  merged = copy_headers (entry->headers);
  soup_message_headers_iter_init (&iter, fresh);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Content-Length") == 0 ||
          g_ascii_strcasecmp (name, "Content-Encoding") == 0 ||
          g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
        continue;
      soup_message_headers_replace (merged, name, value);
    }

  body = g_bytes_ref (entry->body);
  status = entry->status != 0 ? entry->status : SOUP_STATUS_OK;
  final_uri = g_strdup (entry->final_uri);
  etag = soup_message_headers_get_one (fresh, "ETag");
  last_modified = soup_message_headers_get_one (fresh, "Last-Modified");

  /* A 304 may carry updated validators. */
  if ((etag != NULL && g_strcmp0 (etag, entry->etag) != 0) ||
      (last_modified != NULL && g_strcmp0 (last_modified, entry->last_modified) != 0))
    update_validators (req, status, merged, body, final_uri);

  return_response (task, kq_http_response_new (status, final_uri, merged, body, TRUE));
}

static void
finish_body (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  guint status = soup_message_get_status (req->msg);
  g_autofree char *final_uri = current_uri_string (req);
  g_autoptr(GBytes) body = NULL;

  body = g_byte_array_free_to_bytes (g_steal_pointer (&req->buffer));

  if (status >= 400)
    {
      if ((req->flags & KQ_HTTP_FLAGS_ERROR_BODY) == 0)
        {
          fail (task, kq_http_error_new_for_status (status, final_uri));
          return;
        }
    }
  else if ((req->flags & KQ_HTTP_FLAGS_CONDITIONAL) != 0 && status == SOUP_STATUS_OK)
    update_validators (req, status, headers, body, final_uri);

  return_response (task, kq_http_response_new (status, final_uri, headers, body, FALSE));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (bytes == NULL)
    {
      fail (g_steal_pointer (&task), map_transport_error (req, error, TRUE));
      return;
    }

  size = g_bytes_get_size (bytes);

  if (size == 0)
    {
      /* libsoup reports a premature close itself (G_IO_ERROR_PARTIAL_INPUT);
       * this is a second guard for identity bodies. */
      if (req->expected_length >= 0 &&
          soup_message_headers_get_one (soup_message_get_response_headers (req->msg),
                                        "Content-Encoding") == NULL &&
          (goffset)req->buffer->len < req->expected_length)
        {
          g_autofree char *uri = current_uri_string (req);
          fail (g_steal_pointer (&task), new_error (KQ_HTTP_ERROR_TRUNCATED, uri, 0));
          return;
        }

      finish_body (g_steal_pointer (&task));
      return;
    }

  if (req->buffer->len + size > req->self->max_body_size)
    {
      g_autofree char *uri = current_uri_string (req);
      g_debug ("GET %s: body above %" G_GSIZE_FORMAT " bytes, stopping", req->url,
               req->self->max_body_size);
      fail (g_steal_pointer (&task), new_error (KQ_HTTP_ERROR_TOO_LARGE, uri, 0));
      return;
    }

  g_byte_array_append (req->buffer, g_bytes_get_data (bytes, NULL), size);

  g_input_stream_read_bytes_async (req->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   req->attempt_cancellable, read_cb,
                                   g_steal_pointer (&task));
}

static void
read_body (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);

  req->expected_length = -1;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    req->expected_length = soup_message_headers_get_content_length (headers);

  /* Compressed or not, an announced length above the cap is refused before
   * reading anything. */
  if (req->expected_length > (goffset)req->self->max_body_size)
    {
      g_autofree char *uri = current_uri_string (req);
      g_debug ("GET %s: Content-Length %" G_GOFFSET_FORMAT " above the cap", req->url,
               req->expected_length);
      fail (task, new_error (KQ_HTTP_ERROR_TOO_LARGE, uri, 0));
      return;
    }

  req->buffer = g_byte_array_sized_new (req->expected_length > 0
                                        ? (guint)req->expected_length : READ_CHUNK_SIZE);

  g_input_stream_read_bytes_async (req->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   req->attempt_cancellable, read_cb, task);
}

/* Milliseconds to wait as a Retry-After header says; -1 without a usable one. */
static gint64
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;
  GTimeSpan span;

  if (value == NULL)
    return -1;

  value += strspn (value, " \t");
  if (g_ascii_isdigit (*value))
    {
      char *end = NULL;

      seconds = g_ascii_strtoull (value, &end, 10);
      end += strspn (end, " \t");
      if (*end != '\0' || seconds > G_MAXUINT32)
        return -1;
      return (gint64)seconds * 1000;
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;

  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (date, now);

  return span > 0 ? span / 1000 : 0;
}

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  stop_timers (req);
  g_clear_object (&req->attempt_cancellable);
  req->retries++;
  start_attempt (task);

  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));

  return G_SOURCE_REMOVE;
}

/* 429/503: wait and try again, or give up. Returns FALSE when giving up. */
static gboolean
maybe_retry (GTask *task,
             guint  status)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  gint64 wait_ms = parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"));

  if ((req->flags & KQ_HTTP_FLAGS_NO_RETRY) != 0 || req->retries >= MAX_RETRIES)
    return FALSE;

  /* Without Retry-After: 1 s, then 2 s. */
  if (wait_ms < 0)
    wait_ms = MIN ((gint64)1000 << req->retries, (gint64)req->self->max_retry_wait_ms);

  /* Asked to come back later than we are willing to wait: retrying sooner
   * would only add to the site's load. */
  if (wait_ms > req->self->max_retry_wait_ms)
    return FALSE;

  g_debug ("GET %s → %u, retrying in %" G_GINT64_FORMAT " ms", req->url, status, wait_ms);

  abandon_attempt (req);

  /* The wait has its own cancellable so that the caller's cancel ends it. */
  req->attempt_cancellable = g_cancellable_new ();
  if (req->user_cancellable != NULL && g_cancellable_is_cancelled (req->user_cancellable))
    g_cancellable_cancel (req->attempt_cancellable);

  req->wait_timer = g_timeout_source_new ((guint)wait_ms);
  g_source_set_callback (req->wait_timer, wait_done_cb, task, NULL);
  g_source_set_static_name (req->wait_timer, "[kq-http] retry wait");
  g_source_attach (req->wait_timer, req->context);

  req->wait_cancel_source = g_cancellable_source_new (req->attempt_cancellable);
  g_source_set_callback (req->wait_cancel_source, G_SOURCE_FUNC (wait_cancelled_cb), task, NULL);
  g_source_attach (req->wait_cancel_source, req->context);

  return TRUE;
}

static gboolean
follow_redirect (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autofree char *uri = current_uri_string (req);
  g_autoptr(GUri) next = NULL;
  const char *scheme;

  if (location == NULL)
    return FALSE;

  if (++req->redirects > MAX_REDIRECTS)
    {
      fail (task, new_error (KQ_HTTP_ERROR_TOO_MANY_REDIRECTS, uri, 0));
      return TRUE;
    }

  next = g_uri_parse_relative (req->current, location, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = next != NULL ? g_uri_get_scheme (next) : NULL;
  if (next == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (next) == NULL || *g_uri_get_host (next) == '\0')
    {
      fail (task, new_error (KQ_HTTP_ERROR_FAILED, uri, 0));
      return TRUE;
    }

  g_debug ("GET %s: redirected to %s", uri, location);

  abandon_attempt (req);
  g_clear_pointer (&req->current, g_uri_unref);
  req->current = g_steal_pointer (&next);
  start_attempt (task);

  return TRUE;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  destroy_source (&req->response_timer);

  if (req->stream == NULL)
    {
      fail (task, map_transport_error (req, error, FALSE));
      return;
    }

  status = soup_message_get_status (req->msg);

  if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED &&
      follow_redirect (task))
    return;

  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      finish_not_modified (task);
      return;
    }

  if ((status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE) &&
      maybe_retry (task, status))
    return;

  if (status >= 400 && (req->flags & KQ_HTTP_FLAGS_ERROR_BODY) == 0)
    {
      g_autofree char *uri = current_uri_string (req);
      fail (task, kq_http_error_new_for_status (status, uri));
      return;
    }

  read_body (task);
}

static void
start_attempt (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  KqHttp *self = req->self;
  SoupMessageHeaders *headers;
  KeptEntry *entry;

  g_assert (req->msg == NULL);

  req->timed_out = FALSE;
  req->attempt_cancellable = g_cancellable_new ();
  if (req->user_cancellable != NULL && g_cancellable_is_cancelled (req->user_cancellable))
    g_cancellable_cancel (req->attempt_cancellable);

  req->msg = soup_message_new_from_uri (SOUP_METHOD_GET, req->current);
  /* Redirects are followed here, to count them and refuse other schemes. */
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (req->msg);

  entry = (req->flags & KQ_HTTP_FLAGS_CONDITIONAL) != 0
          ? g_hash_table_lookup (self->kept, req->url) : NULL;
  if (entry != NULL && entry->body != NULL)
    {
      if (entry->etag != NULL)
        soup_message_headers_replace (headers, "If-None-Match", entry->etag);
      if (entry->last_modified != NULL)
        soup_message_headers_replace (headers, "If-Modified-Since", entry->last_modified);
    }

  req->response_timer = add_timer (req, self->connect_timeout_ms, timer_fired_cb);
  req->total_timer = add_timer (req, self->total_timeout_ms, timer_fired_cb);

  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                           req->attempt_cancellable, send_cb, task);
}

static void
kq_http_dispose (GObject *object)
{
  KqHttp *self = (KqHttp *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kq_http_parent_class)->dispose (object);
}

static void
kq_http_finalize (GObject *object)
{
  KqHttp *self = (KqHttp *)object;

  g_clear_pointer (&self->kept, g_hash_table_unref);

  G_OBJECT_CLASS (kq_http_parent_class)->finalize (object);
}

static void
kq_http_class_init (KqHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kq_http_dispose;
  object_class->finalize = kq_http_finalize;

  signals [VALIDATOR_CHANGED] =
    g_signal_new ("validator-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
update_session_timeout (KqHttp *self)
{
  /* A safety net under our own timers: libsoup's I/O inactivity timeout. */
  guint seconds = (MAX (self->connect_timeout_ms, self->total_timeout_ms) + 999) / 1000 + 1;

  g_object_set (self->session, "timeout", seconds, NULL);
}

static void
kq_http_init (KqHttp *self)
{
  self->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
  self->total_timeout_ms = DEFAULT_TOTAL_TIMEOUT_MS;
  self->max_retry_wait_ms = DEFAULT_MAX_RETRY_WAIT_MS;
  self->max_body_size = DEFAULT_MAX_BODY_SIZE;
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, kept_entry_free);

  /* SoupContentDecoder (gzip, deflate) is part of every libsoup 3 session. */
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", kq_version_get_user_agent (),
                                "accept-language", "fr",
                                "max-conns-per-host", 6,
                                NULL);
  update_session_timeout (self);
}

KqHttp *
kq_http_new (void)
{
  return g_object_new (KQ_TYPE_HTTP, NULL);
}

static GUri *
parse_web_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL)
    return NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      host == NULL || *host == '\0')
    return NULL;

  return g_steal_pointer (&uri);
}

void
kq_http_get_async (KqHttp              *self,
                   const char          *url,
                   KqHttpFlags          flags,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *req;

  g_return_if_fail (KQ_IS_HTTP (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_http_get_async);
  g_task_set_name (task, "[kq-http] get");

  req = g_new0 (Request, 1);
  req->self = self;
  req->context = g_main_context_ref_thread_default ();
  req->url = g_strdup (url);
  req->flags = flags;
  req->expected_length = -1;
  g_task_set_task_data (task, req, request_free);

  req->current = parse_web_url (url);
  if (req->current == NULL)
    {
      g_task_return_error (task, new_error (KQ_HTTP_ERROR_INVALID_URL, url, 0));
      return;
    }

  if (cancellable != NULL)
    {
      req->user_cancellable = g_object_ref (cancellable);
      req->user_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_user_cancelled),
                                                      req, NULL);
    }

  g_debug ("GET %s%s", url, (flags & KQ_HTTP_FLAGS_CONDITIONAL) != 0 ? " (conditional)" : "");

  start_attempt (g_steal_pointer (&task));
}

KqHttpResponse *
kq_http_get_finish (KqHttp        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (KQ_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kq_http_set_validator (KqHttp     *self,
                       const char *url,
                       const char *etag,
                       const char *last_modified,
                       GBytes     *body)
{
  g_return_if_fail (KQ_IS_HTTP (self));
  g_return_if_fail (url != NULL);

  if (body == NULL || (etag == NULL && last_modified == NULL))
    {
      forget_kept (self, url);
      return;
    }

  keep (self, url, etag, last_modified, body, NULL, SOUP_STATUS_OK, url);
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

void
kq_http_set_timeouts (KqHttp *self,
                      guint   connect_timeout_ms,
                      guint   total_timeout_ms)
{
  g_return_if_fail (KQ_IS_HTTP (self));
  g_return_if_fail (connect_timeout_ms > 0 && total_timeout_ms > 0);

  self->connect_timeout_ms = connect_timeout_ms;
  self->total_timeout_ms = total_timeout_ms;
  update_session_timeout (self);
}

void
kq_http_set_max_body_size (KqHttp *self,
                           gsize   max_bytes)
{
  g_return_if_fail (KQ_IS_HTTP (self));
  g_return_if_fail (max_bytes > 0);

  self->max_body_size = max_bytes;
}

gsize
kq_http_get_max_body_size (KqHttp *self)
{
  g_return_val_if_fail (KQ_IS_HTTP (self), 0);

  return self->max_body_size;
}

void
kq_http_set_max_retry_wait (KqHttp *self,
                            guint   max_wait_ms)
{
  g_return_if_fail (KQ_IS_HTTP (self));

  self->max_retry_wait_ms = max_wait_ms;
}
