/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-http"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-http-private.h"

/*
 * KQ_HTTP_ERROR: errors a reader understands, from HTTP statuses and from
 * transport failures.
 */

static char *
describe_site (const char *uri)
{
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;

  if (parsed != NULL && g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0')
    return g_strdup (g_uri_get_host (parsed));

  return g_strdup (uri != NULL ? uri : "");
}

GError *
_kq_http_error_new (KqHttpError  code,
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
      return _kq_http_error_new (KQ_HTTP_ERROR_NOT_FOUND, uri, status);
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      return _kq_http_error_new (KQ_HTTP_ERROR_FORBIDDEN, uri, status);
    case STATUS_TOO_MANY_REQUESTS:
      return _kq_http_error_new (KQ_HTTP_ERROR_RATE_LIMITED, uri, status);
    default:
      if (status >= 400 && status < 500)
        return _kq_http_error_new (KQ_HTTP_ERROR_CLIENT, uri, status);
      if (status >= 500 && status < 600)
        return _kq_http_error_new (KQ_HTTP_ERROR_SERVER, uri, status);
      return _kq_http_error_new (KQ_HTTP_ERROR_FAILED, uri, status);
    }
}

/* Turns a GIO/libsoup error into a KQ_HTTP_ERROR; cancellation stays as is. */
GError *
_kq_http_map_transport_error (Request      *req,
                              const GError *error,
                              gboolean      in_body)
{
  g_autofree char *uri = _kq_http_current_uri (req);

  g_debug ("GET %s failed%s: %s (%s %d)", uri, in_body ? " while reading the body" : "",
           error->message, g_quark_to_string (error->domain), error->code);

  if (req->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return _kq_http_error_new (KQ_HTTP_ERROR_TIMEOUT, uri, 0);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (in_body)
    return _kq_http_error_new (KQ_HTTP_ERROR_TRUNCATED, uri, 0);
  if (error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR ||
      error->domain == G_IO_ERROR)
    return _kq_http_error_new (KQ_HTTP_ERROR_UNREACHABLE, uri, 0);
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    return _kq_http_error_new (KQ_HTTP_ERROR_TOO_MANY_REDIRECTS, uri, 0);

  return _kq_http_error_new (KQ_HTTP_ERROR_FAILED, uri, 0);
}
