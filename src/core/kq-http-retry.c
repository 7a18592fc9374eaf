/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-http"

#include "config.h"

#include <string.h>

#include "kq-http-private.h"

#define MAX_RETRIES                2

/*
 * Retrying a 429 or a 503: after Retry-After when the site gives one (and it
 * is not too far off), else after 1 s then 2 s; at most MAX_RETRIES times.
 */

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

  _kq_http_stop_timers (req);
  g_clear_object (&req->attempt_cancellable);
  req->retries++;
  _kq_http_start_attempt (task);

  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  _kq_http_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            "Operation was cancelled"));

  return G_SOURCE_REMOVE;
}

static void
remember_wait (Request *req,
               gint64   wait_ms)
{
  const char *host = g_uri_get_host (req->current);
  gint64 *until;

  if (host == NULL)
    return;
  until = g_new (gint64, 1);
  *until = g_get_monotonic_time () + wait_ms * 1000;
  g_hash_table_replace (req->self->wait_until, g_ascii_strdown (host, -1), until);
}

/**
 * kq_http_get_wait_until:
 * @url: any URL of the site
 *
 * Returns: the g_get_monotonic_time() before which the site's host asked
 * (Retry-After, longer than the requests wait) not to be asked again; 0 when
 * it did not, or that time has passed.
 */
gint64
kq_http_get_wait_until (KqHttp     *self,
                        const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  gint64 *until;

  g_return_val_if_fail (KQ_IS_HTTP (self), 0);
  g_return_val_if_fail (url != NULL, 0);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return 0;
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  until = g_hash_table_lookup (self->wait_until, host);
  if (until == NULL || *until <= g_get_monotonic_time ())
    return 0;

  return *until;
}

/* 429/503: wait and try again, or give up. Returns FALSE when giving up. */
gboolean
_kq_http_maybe_retry (GTask *task,
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
   * would only add to the site's load. Remembered for the host, so that
   * whoever schedules requests can wait (kq_http_get_wait_until()). */
  if (wait_ms > req->self->max_retry_wait_ms)
    {
      remember_wait (req, wait_ms);
      return FALSE;
    }

  g_debug ("GET %s → %u, retrying in %" G_GINT64_FORMAT " ms", req->url, status, wait_ms);

  _kq_http_abandon_attempt (req);

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
