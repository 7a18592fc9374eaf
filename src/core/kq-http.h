/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-http-response.h"

G_BEGIN_DECLS

#define KQ_HTTP_ERROR (kq_http_error_quark ())

/* Every error's message is a translated sentence a reader understands. */
typedef enum {
  KQ_HTTP_ERROR_INVALID_URL,        /* not an http(s) URL */
  KQ_HTTP_ERROR_UNREACHABLE,        /* DNS, connection refused or reset, TLS */
  KQ_HTTP_ERROR_TIMEOUT,            /* connect or total timeout */
  KQ_HTTP_ERROR_NOT_FOUND,          /* 404, 410 */
  KQ_HTTP_ERROR_FORBIDDEN,          /* 401, 403 */
  KQ_HTTP_ERROR_CLIENT,             /* other 4xx */
  KQ_HTTP_ERROR_SERVER,             /* 5xx (503 after its retries) */
  KQ_HTTP_ERROR_RATE_LIMITED,       /* 429 after its retries */
  KQ_HTTP_ERROR_TOO_LARGE,          /* body (decompressed) above the cap */
  KQ_HTTP_ERROR_TOO_MANY_REDIRECTS,
  KQ_HTTP_ERROR_TRUNCATED,          /* body shorter than announced, premature close */
  KQ_HTTP_ERROR_FAILED,             /* anything else */
} KqHttpError;

typedef enum {
  KQ_HTTP_FLAGS_NONE        = 0,
  /* Send If-None-Match / If-Modified-Since from the validators kept for this
   * URL; a 304 returns the kept body with not_modified TRUE. Only requests
   * with this flag keep their validators and body. */
  KQ_HTTP_FLAGS_CONDITIONAL = 1 << 0,
  /* Do not retry 429/503: fail at once. */
  KQ_HTTP_FLAGS_NO_RETRY    = 1 << 1,
  /* Return 4xx/5xx answers (after retries) as a response with their body
   * instead of an error; the caller checks the status and can turn it into
   * an error with kq_http_error_new_for_status(). */
  KQ_HTTP_FLAGS_ERROR_BODY  = 1 << 2,
} KqHttpFlags;

#define KQ_TYPE_HTTP (kq_http_get_type ())

G_DECLARE_FINAL_TYPE (KqHttp, kq_http, KQ, HTTP, GObject)

/*
 * One per application: owns the SoupSession (libsoup 3, async only, on the
 * thread-default main context of the thread that created it; use it from
 * that thread only).
 *
 * GET only, http and https only. User-Agent from kq_version_get_user_agent(),
 * Accept-Language: fr, gzip/deflate decoded (the decoded size counts against
 * the body cap), at most 5 redirects, 429/503 retried at most twice after
 * Retry-After (seconds or HTTP date) or a short backoff; a Retry-After longer
 * than the maximum wait fails at once with RATE_LIMITED.
 * Cancelling ends the request quietly with G_IO_ERROR_CANCELLED.
 *
 * Signal "validator-changed" (const char *url, const char *etag (nullable),
 * const char *last_modified (nullable)): emitted when a CONDITIONAL request
 * got new validators for @url (both NULL: forget them), so that they can be
 * persisted (with kq_http_get_validator_body() and
 * kq_http_get_validator_headers()) and given back with
 * kq_http_set_validator_full() on the next start.
 */

GQuark          kq_http_error_quark           (void);

KqHttp         *kq_http_new                   (void);

void            kq_http_get_async             (KqHttp              *self,
                                               const char          *url,
                                               KqHttpFlags          flags,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KqHttpResponse *kq_http_get_finish            (KqHttp              *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Preloads (or, with @body NULL, forgets) the validators kept for @url. */
void            kq_http_set_validator         (KqHttp              *self,
                                               const char          *url,
                                               const char          *etag,
                                               const char          *last_modified,
                                               GBytes              *body);
/* Returns TRUE if validators are kept for @url; out parameters are owned by the caller. */
gboolean        kq_http_get_validator         (KqHttp              *self,
                                               const char          *url,
                                               char               **etag,
                                               char               **last_modified);

/* The body kept for @url with its validators (what a 304 gives back), or
 * NULL; persist it with the validators so that kq_http_set_validator() can
 * preload it on the next start. Free with g_bytes_unref(). */
GBytes         *kq_http_get_validator_body    (KqHttp              *self,
                                               const char          *url);

/* The response headers kept for @url that a 304 needs again (X-WP-Total,
 * X-WP-TotalPages, Content-Type, Link), as "Name: value\n" lines, or NULL
 * when none is known (validators preloaded without them). Persist them with
 * the validators and the body (from a "validator-changed" handler: they are
 * up to date when it runs). Free with g_free(). */
char           *kq_http_get_validator_headers (KqHttp              *self,
                                               const char          *url);
/* kq_http_set_validator() that also restores the headers
 * kq_http_get_validator_headers() gave (nullable), so that a 304 after a
 * restart answers with them (WordPress' page count for one). */
void            kq_http_set_validator_full    (KqHttp              *self,
                                               const char          *url,
                                               const char          *etag,
                                               const char          *last_modified,
                                               GBytes              *body,
                                               const char          *headers);

/* Limits (defaults: 15 s connect/response, 30 s total per attempt,
 * 60 s waiting for a connection, 20 MB body, 30 s maximum Retry-After
 * wait). Mostly for tests. The connect and total timeouts count from when
 * the request is sent: the time it waits for one of the session's
 * connections to the host (all taken by other requests) counts against the
 * queue timeout only. All end in KQ_HTTP_ERROR_TIMEOUT. */
void            kq_http_set_timeouts          (KqHttp              *self,
                                               guint                connect_timeout_ms,
                                               guint                total_timeout_ms);
void            kq_http_set_queue_timeout     (KqHttp              *self,
                                               guint                queue_timeout_ms);
void            kq_http_set_max_body_size     (KqHttp              *self,
                                               gsize                max_bytes);
gsize           kq_http_get_max_body_size     (KqHttp              *self);
void            kq_http_set_max_retry_wait    (KqHttp              *self,
                                               guint                max_wait_ms);

/* When the site of @url may be asked again after a Retry-After too long to
 * wait for (monotonic µs), or 0. */
gint64          kq_http_get_wait_until        (KqHttp              *self,
                                               const char          *url);
/* A KQ_HTTP_ERROR for an HTTP status ≥ 400 received from @uri. */
GError         *kq_http_error_new_for_status  (guint                status,
                                               const char          *uri);

G_END_DECLS
