/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define KQ_TYPE_HTTP_RESPONSE (kq_http_response_get_type ())

G_DECLARE_FINAL_TYPE (KqHttpResponse, kq_http_response, KQ, HTTP_RESPONSE, GObject)

/*
 * The result of a successful KqHttp GET: an immutable object.
 *
 * When a conditional GET was answered with 304 Not Modified, the response
 * carries the body (and the headers, updated with the 304's own) that were
 * kept from the earlier 200: get_status() then returns that kept status (200)
 * and get_not_modified() TRUE.
 */

/* @headers (nullable) is copied; @body NULL means an empty body. */
KqHttpResponse *kq_http_response_new              (guint               status,
                                                   const char         *uri,
                                                   SoupMessageHeaders *headers,
                                                   GBytes             *body,
                                                   gboolean            not_modified);

guint           kq_http_response_get_status       (KqHttpResponse     *self);
/* Never NULL (an empty GBytes for an empty body). */
GBytes         *kq_http_response_get_body         (KqHttpResponse     *self);
/* Case-insensitive; NULL when absent. Repeated headers are joined with ", ". */
const char     *kq_http_response_get_header       (KqHttpResponse     *self,
                                                   const char         *name);
/* The media type only, lower case, without parameters ("application/json"); NULL if none. */
const char     *kq_http_response_get_content_type (KqHttpResponse     *self);
/* The final URL, after redirects. */
const char     *kq_http_response_get_uri          (KqHttpResponse     *self);
gboolean        kq_http_response_get_not_modified (KqHttpResponse     *self);

G_END_DECLS
