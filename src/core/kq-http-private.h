/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "kq-http.h"

G_BEGIN_DECLS

/* What the parts of KqHttp share (internal API): the request in
 * kq-http.c, errors in kq-http-errors.c, validators in kq-http-kept.c,
 * retries in kq-http-retry.c. */

/* Not in libsoup 3.0's SoupStatus. */
#define STATUS_TOO_MANY_REQUESTS   429

typedef struct
{
  char               *etag;
  char               *last_modified;
  GBytes             *body;
  SoupMessageHeaders *headers;   /* of the 200 that gave the body; preloaded: those kept, or NULL */
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
  guint        queue_timeout_ms;
  guint        max_retry_wait_ms;
  gsize        max_body_size;
  GHashTable  *wait_until;       /* host → gint64*: monotonic µs a Retry-After asked to wait */
};

typedef struct
{
  KqHttp       *self;
  GTask        *task;              /* unowned: the task owns the request */
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

  /* Waiting for a connection (libsoup's queue, behind the other requests
   * to the host) counts against queue_timer only; the other two start when
   * the request leaves the queue. */
  GSource      *queue_timer;
  GSource      *queue_cancel_source;
  gboolean      sending;
  GSource      *response_timer;
  GSource      *total_timer;
  GSource      *wait_timer;
  GSource      *wait_cancel_source;
  gboolean      timed_out;
} Request;

/* kq-http.c */
void                _kq_http_emit_validator_changed (KqHttp             *self,
                                                     const char         *url,
                                                     const char         *etag,
                                                     const char         *last_modified);
char               *_kq_http_current_uri            (Request            *req);
void                _kq_http_start_attempt          (GTask              *task);
void                _kq_http_stop_timers            (Request            *req);
/* Cancels what the current attempt still has in flight and forgets it. */
void                _kq_http_abandon_attempt        (Request            *req);
/* Ends @task with @error (taking it). */
void                _kq_http_fail                   (GTask              *task,
                                                     GError             *error);

/* kq-http-errors.c */
GError             *_kq_http_error_new              (KqHttpError         code,
                                                     const char         *uri,
                                                     guint               status);
/* Turns a GIO/libsoup error into a KQ_HTTP_ERROR; cancellation stays as is. */
GError             *_kq_http_map_transport_error    (Request            *req,
                                                     const GError       *error,
                                                     gboolean            in_body);

/* kq-http-kept.c */
void                _kq_http_kept_entry_free        (gpointer            data);
SoupMessageHeaders *_kq_http_copy_headers           (SoupMessageHeaders *headers);
/* Only for CONDITIONAL requests: keep (or forget) the validators and tell. */
void                _kq_http_update_validators      (Request            *req,
                                                     guint               status,
                                                     SoupMessageHeaders *headers,
                                                     GBytes             *body,
                                                     const char         *final_uri);

/* kq-http-retry.c */
/* 429/503: wait and try again, or give up. Returns FALSE when giving up. */
gboolean            _kq_http_maybe_retry            (GTask              *task,
                                                     guint               status);

G_END_DECLS
