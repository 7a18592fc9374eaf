/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-http"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "kq-http-private.h"
#include "kq-version.h"

#define DEFAULT_CONNECT_TIMEOUT_MS (15 * 1000)
#define DEFAULT_TOTAL_TIMEOUT_MS   (30 * 1000)
/* Behind at most max-conns-per-host requests, each within its own timeouts. */
#define DEFAULT_QUEUE_TIMEOUT_MS   (60 * 1000)
#define DEFAULT_MAX_BODY_SIZE      (20 * 1000 * 1000)
#define DEFAULT_MAX_RETRY_WAIT_MS  (30 * 1000)
#define READ_CHUNK_SIZE            (64 * 1024)
#define MAX_REDIRECTS              5

G_DEFINE_FINAL_TYPE (KqHttp, kq_http, G_TYPE_OBJECT)

G_DEFINE_QUARK (kq-http-error-quark, kq_http_error)

enum {
  VALIDATOR_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

void
_kq_http_emit_validator_changed (KqHttp     *self,
                                 const char *url,
                                 const char *etag,
                                 const char *last_modified)
{
  g_signal_emit (self, signals [VALIDATOR_CHANGED], 0, url, etag, last_modified);
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

void
_kq_http_stop_timers (Request *req)
{
  destroy_source (&req->queue_timer);
  destroy_source (&req->queue_cancel_source);
  destroy_source (&req->response_timer);
  destroy_source (&req->total_timer);
  destroy_source (&req->wait_timer);
  destroy_source (&req->wait_cancel_source);
}

/* Cancels what the current attempt still has in flight (a redirect's or a
 * retried answer's body, a body above the cap) and forgets it. */
void
_kq_http_abandon_attempt (Request *req)
{
  _kq_http_stop_timers (req);
  if (req->attempt_cancellable != NULL)
    g_cancellable_cancel (req->attempt_cancellable);
  g_clear_object (&req->attempt_cancellable);
  g_clear_object (&req->stream);
  if (req->msg != NULL)
    g_signal_handlers_disconnect_by_data (req->msg, req);
  g_clear_object (&req->msg);
  g_clear_pointer (&req->buffer, g_byte_array_unref);
}

static void
request_free (gpointer data)
{
  Request *req = data;

  if (req->user_cancelled_id != 0)
    g_cancellable_disconnect (req->user_cancellable, req->user_cancelled_id);
  _kq_http_abandon_attempt (req);
  g_clear_object (&req->user_cancellable);
  g_clear_pointer (&req->context, g_main_context_unref);
  g_clear_pointer (&req->current, g_uri_unref);
  g_free (req->url);
  g_free (req);
}

char *
_kq_http_current_uri (Request *req)
{
  return g_uri_to_string (req->current);
}

void
_kq_http_fail (GTask  *task,
               GError *error)
{
  Request *req = g_task_get_task_data (task);

  _kq_http_abandon_attempt (req);
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

/* A message cancelled in libsoup's queue is only reported once a
 * connection to the host frees up: a request still waiting there when its
 * queue bound is reached, or when its caller cancels, ends now (send_cb()
 * then lets the message go). */
static gboolean
queue_timer_fired_cb (gpointer user_data)
{
  Request *req = user_data;
  g_autofree char *uri = _kq_http_current_uri (req);

  g_debug ("GET %s: no connection to the site within %u ms", req->url,
           req->self->queue_timeout_ms);
  g_clear_pointer (&req->queue_timer, g_source_unref);
  _kq_http_fail (req->task, _kq_http_error_new (KQ_HTTP_ERROR_TIMEOUT, uri, 0));

  return G_SOURCE_REMOVE;
}

static gboolean
queue_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  Request *req = user_data;

  g_debug ("GET %s: cancelled while waiting for a connection", req->url);
  g_clear_pointer (&req->queue_cancel_source, g_source_unref);
  _kq_http_fail (req->task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "Operation was cancelled"));

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

/* The request left libsoup's queue: it has a connection (or is making
 * one), so the site's own time starts now. */
static void
start_sending (Request *req)
{
  KqHttp *self = req->self;

  if (req->sending)
    return;

  req->sending = TRUE;
  destroy_source (&req->queue_timer);
  destroy_source (&req->queue_cancel_source);
  req->response_timer = add_timer (req, self->connect_timeout_ms, timer_fired_cb);
  req->total_timer = add_timer (req, self->total_timeout_ms, timer_fired_cb);
}

/* A new connection is being made for the message. */
static void
on_network_event_cb (SoupMessage        *msg,
                     GSocketClientEvent  event,
                     GIOStream          *connection,
                     gpointer            user_data)
{
  start_sending (user_data);
}

/* The message is written on a connection (new or kept alive). */
static void
on_starting_cb (SoupMessage *msg,
                gpointer     user_data)
{
  start_sending (user_data);
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

static void
return_response (GTask          *task,
                 KqHttpResponse *response)
{
  Request *req = g_task_get_task_data (task);

  g_debug ("GET %s → %u (%" G_GSIZE_FORMAT " bytes%s)", req->url,
           kq_http_response_get_status (response),
           g_bytes_get_size (kq_http_response_get_body (response)),
           kq_http_response_get_not_modified (response) ? ", not modified" : "");

  _kq_http_abandon_attempt (req);
  g_task_return_pointer (task, response, g_object_unref);
  g_object_unref (task);
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
      g_autofree char *uri = _kq_http_current_uri (req);
      _kq_http_fail (task,
                     _kq_http_error_new (KQ_HTTP_ERROR_FAILED, uri, SOUP_STATUS_NOT_MODIFIED));
      return;
    }

  /* The kept headers, updated with the 304's own (RFC 9111 §4.3.4). */
  merged = _kq_http_copy_headers (entry->headers);
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
    _kq_http_update_validators (req, status, merged, body, final_uri);

  return_response (task, kq_http_response_new (status, final_uri, merged, body, TRUE));
}

static void
finish_body (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  guint status = soup_message_get_status (req->msg);
  g_autofree char *final_uri = _kq_http_current_uri (req);
  g_autoptr(GBytes) body = NULL;

  body = g_byte_array_free_to_bytes (g_steal_pointer (&req->buffer));

  if (status >= 400)
    {
      if ((req->flags & KQ_HTTP_FLAGS_ERROR_BODY) == 0)
        {
          _kq_http_fail (task, kq_http_error_new_for_status (status, final_uri));
          return;
        }
    }
  else if ((req->flags & KQ_HTTP_FLAGS_CONDITIONAL) != 0 && status == SOUP_STATUS_OK)
    _kq_http_update_validators (req, status, headers, body, final_uri);

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
      _kq_http_fail (g_steal_pointer (&task), _kq_http_map_transport_error (req, error, TRUE));
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
          g_autofree char *uri = _kq_http_current_uri (req);
          _kq_http_fail (g_steal_pointer (&task),
                         _kq_http_error_new (KQ_HTTP_ERROR_TRUNCATED, uri, 0));
          return;
        }

      finish_body (g_steal_pointer (&task));
      return;
    }

  if (req->buffer->len + size > req->self->max_body_size)
    {
      g_autofree char *uri = _kq_http_current_uri (req);
      g_debug ("GET %s: body above %" G_GSIZE_FORMAT " bytes, stopping", req->url,
               req->self->max_body_size);
      _kq_http_fail (g_steal_pointer (&task), _kq_http_error_new (KQ_HTTP_ERROR_TOO_LARGE, uri, 0));
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
      g_autofree char *uri = _kq_http_current_uri (req);
      g_debug ("GET %s: Content-Length %" G_GOFFSET_FORMAT " above the cap", req->url,
               req->expected_length);
      _kq_http_fail (task, _kq_http_error_new (KQ_HTTP_ERROR_TOO_LARGE, uri, 0));
      return;
    }

  req->buffer = g_byte_array_sized_new (req->expected_length > 0
                                        ? (guint)req->expected_length : READ_CHUNK_SIZE);

  g_input_stream_read_bytes_async (req->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   req->attempt_cancellable, read_cb, task);
}

static gboolean
follow_redirect (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autofree char *uri = _kq_http_current_uri (req);
  g_autoptr(GUri) next = NULL;
  const char *scheme;

  if (location == NULL)
    return FALSE;

  if (++req->redirects > MAX_REDIRECTS)
    {
      _kq_http_fail (task, _kq_http_error_new (KQ_HTTP_ERROR_TOO_MANY_REDIRECTS, uri, 0));
      return TRUE;
    }

  next = g_uri_parse_relative (req->current, location, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = next != NULL ? g_uri_get_scheme (next) : NULL;
  if (next == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (next) == NULL || *g_uri_get_host (next) == '\0')
    {
      _kq_http_fail (task, _kq_http_error_new (KQ_HTTP_ERROR_FAILED, uri, 0));
      return TRUE;
    }

  g_debug ("GET %s: redirected to %s", uri, location);

  _kq_http_abandon_attempt (req);
  g_clear_pointer (&req->current, g_uri_unref);
  req->current = g_steal_pointer (&next);
  _kq_http_start_attempt (task);

  return TRUE;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  /* The send's own reference; the request's goes on from here. */
  g_autoptr(GTask) sending = user_data;
  GTask *task = sending;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;

  if (soup_session_get_async_result_message (SOUP_SESSION (object), result) != req->msg)
    {
      /* An attempt given up while it waited in the queue. */
      G_GNUC_UNUSED g_autoptr(GInputStream) stream =
        soup_session_send_finish (SOUP_SESSION (object), result, NULL);
      return;
    }

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  destroy_source (&req->queue_timer);
  destroy_source (&req->queue_cancel_source);
  destroy_source (&req->response_timer);

  if (req->stream == NULL)
    {
      _kq_http_fail (task, _kq_http_map_transport_error (req, error, FALSE));
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
      _kq_http_maybe_retry (task, status))
    return;

  if (status >= 400 && (req->flags & KQ_HTTP_FLAGS_ERROR_BODY) == 0)
    {
      g_autofree char *uri = _kq_http_current_uri (req);
      _kq_http_fail (task, kq_http_error_new_for_status (status, uri));
      return;
    }

  read_body (task);
}

/* KIOSQUE_TEST_LOOPBACK_ONLY=1 (set for every test in tests/meson.build):
 * a test must never reach the internet, so a request to any host but
 * 127.0.0.1 or localhost is a critical (fatal in tests) and fails. */
static gboolean
loopback_only (void)
{
  static gsize once = 0;
  static gboolean only;

  if (g_once_init_enter (&once))
    {
      only = g_strcmp0 (g_getenv ("KIOSQUE_TEST_LOOPBACK_ONLY"), "1") == 0;
      g_once_init_leave (&once, 1);
    }

  return only;
}

static gboolean
is_loopback (GUri *uri)
{
  const char *host = g_uri_get_host (uri);

  return host != NULL &&
         (g_str_equal (host, "127.0.0.1") || g_ascii_strcasecmp (host, "localhost") == 0);
}

void
_kq_http_start_attempt (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  KqHttp *self = req->self;
  SoupMessageHeaders *headers;
  KeptEntry *entry;

  g_assert (req->msg == NULL);

  if (loopback_only () && !is_loopback (req->current))
    {
      g_autofree char *uri = _kq_http_current_uri (req);

      g_critical ("KIOSQUE_TEST_LOOPBACK_ONLY: refusing a request to %s", uri);
      _kq_http_fail (task, g_error_new (KQ_HTTP_ERROR, KQ_HTTP_ERROR_UNREACHABLE,
                                        "Only 127.0.0.1 is reachable in tests: %s", uri));
      return;
    }

  req->timed_out = FALSE;
  req->sending = FALSE;
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

  /* The connect and total timeouts start when the message leaves the
   * queue: behind slow requests to the same host (all its connections
   * taken), a request would otherwise time out without being sent, and
   * the reader be told that the site does not answer. */
  g_signal_connect (req->msg, "network-event", G_CALLBACK (on_network_event_cb), req);
  g_signal_connect (req->msg, "starting", G_CALLBACK (on_starting_cb), req);
  req->queue_timer = add_timer (req, self->queue_timeout_ms, queue_timer_fired_cb);
  req->queue_cancel_source = g_cancellable_source_new (req->attempt_cancellable);
  g_source_set_callback (req->queue_cancel_source, G_SOURCE_FUNC (queue_cancelled_cb), req, NULL);
  g_source_set_static_name (req->queue_cancel_source, "[kq-http] cancelled in the queue");
  g_source_attach (req->queue_cancel_source, req->context);

  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                           req->attempt_cancellable, send_cb, g_object_ref (task));
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
  g_clear_pointer (&self->wait_until, g_hash_table_unref);

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
  self->queue_timeout_ms = DEFAULT_QUEUE_TIMEOUT_MS;
  self->max_retry_wait_ms = DEFAULT_MAX_RETRY_WAIT_MS;
  self->max_body_size = DEFAULT_MAX_BODY_SIZE;
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _kq_http_kept_entry_free);
  self->wait_until = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

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
  req->task = task;
  req->context = g_main_context_ref_thread_default ();
  req->url = g_strdup (url);
  req->flags = flags;
  req->expected_length = -1;
  g_task_set_task_data (task, req, request_free);

  req->current = parse_web_url (url);
  if (req->current == NULL)
    {
      g_task_return_error (task, _kq_http_error_new (KQ_HTTP_ERROR_INVALID_URL, url, 0));
      return;
    }

  if (cancellable != NULL)
    {
      req->user_cancellable = g_object_ref (cancellable);
      req->user_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_user_cancelled),
                                                      req, NULL);
    }

  g_debug ("GET %s%s", url, (flags & KQ_HTTP_FLAGS_CONDITIONAL) != 0 ? " (conditional)" : "");

  _kq_http_start_attempt (g_steal_pointer (&task));
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
kq_http_set_queue_timeout (KqHttp *self,
                           guint   queue_timeout_ms)
{
  g_return_if_fail (KQ_IS_HTTP (self));
  g_return_if_fail (queue_timeout_ms > 0);

  self->queue_timeout_ms = queue_timeout_ms;
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
