/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * KqTestServer: the project's fixture WordPress site (tests/site/), served by
 * a SoupServer on 127.0.0.1 on the thread-default main context of the thread
 * that creates it. WordPress semantics for /wp-json/wp/v2/{posts,categories,
 * tags,comments,media,users}, the HTML homepage, permalinks, category pages,
 * RSS 2.0 feeds (/feed/, /category/<slug>/feed/, /?cat=ID&feed=rss2,
 * /?category_name=SLUG&feed=rss2, /?s=WORD&feed=rss2) and the
 * images under /wp-content/uploads/. All URLs in the data use the server's own
 * URL. Faults are chosen by the test and never block the main loop.
 *
 * The site data comes from $KQ_TEST_SITE_DIR (site.json + images/), by default
 * the build's generated <build>/tests/site/.
 *
 * Creating a server sets GIO_USE_PROXY_RESOLVER=dummy (unless already set):
 * the system proxy module would abort under the tests' GSettings schema dir.
 */

#define KQ_TYPE_TEST_SERVER (kq_test_server_get_type ())

G_DECLARE_FINAL_TYPE (KqTestServer, kq_test_server, KQ, TEST_SERVER, GObject)

typedef enum {
  KQ_TEST_FAULT_NONE,
  KQ_TEST_FAULT_DELAY,          /* param: milliseconds before the normal answer */
  KQ_TEST_FAULT_NOT_FOUND,      /* 404 (JSON rest_no_route under /wp-json, HTML elsewhere) */
  KQ_TEST_FAULT_SERVER_ERROR,   /* 500 */
  KQ_TEST_FAULT_RATE_LIMIT,     /* 429 with Retry-After: param seconds */
  KQ_TEST_FAULT_TRUNCATED,      /* Content-Length of the full body, half of it sent, then close */
  KQ_TEST_FAULT_INVALID_JSON,   /* 200 application/json, body is not JSON */
  KQ_TEST_FAULT_HTML_INSTEAD,   /* 200 text/html page instead of the expected answer */
  KQ_TEST_FAULT_HUGE_BODY,      /* 200 application/json of param MiB (64 if 0), streamed */
  KQ_TEST_FAULT_REDIRECT_LOOP,  /* 302 alternating between the URL and URL with "boucle=1" */
  KQ_TEST_FAULT_SLOW_DRIP,      /* normal answer, chunked, 16 bytes every param ms (100 if 0) */
  KQ_TEST_FAULT_RESET,          /* connection closed (RST) without any response */
  KQ_TEST_FAULT_GZIP_BOMB,      /* Content-Encoding: gzip, inflates to 1 GiB + of zeros */
  KQ_TEST_FAULT_BARE_NOT_MODIFIED, /* normal answer, but a 304 keeps only its validators (no
                                    * X-WP-Total*, Link, Content-Type), as caches send it */
  KQ_TEST_FAULT_MANY_POSTS,     /* 200, a JSON array of param posts (100,000 if 0), small
                                 * ones (id, date, link, title), newest first, one page */
  KQ_TEST_FAULT_MANY_COMMENTS,  /* the comments of any post: param of them (1,000 if 0), in
                                 * pages as asked (page, per_page), a short paragraph each */
} KqTestFault;

KqTestServer *kq_test_server_new               (GError        **error);
/* Listens on a given port of 127.0.0.1 (0 = random); for the standalone program. */
KqTestServer *kq_test_server_new_for_port      (guint           port,
                                                GError        **error);

/* "http://127.0.0.1:PORT", no trailing slash. */
const char   *kq_test_server_get_url           (KqTestServer   *self);
guint         kq_test_server_get_port          (KqTestServer   *self);

/*
 * Every request whose path starts with @path_prefix (or, when the prefix holds
 * a '?', whose "path?query" starts with it) gets @fault, @times times (0 =
 * always). The oldest matching fault applies first.
 */
void          kq_test_server_add_fault         (KqTestServer   *self,
                                                const char     *path_prefix,
                                                KqTestFault     fault,
                                                guint           param,
                                                guint           times);
void          kq_test_server_clear_faults      (KqTestServer   *self);

/* FALSE: /wp-json/ answers 404 HTML (blocked API) and the homepage has no API link. */
void          kq_test_server_set_rest_enabled  (KqTestServer   *self,
                                                gboolean        enabled);
gboolean      kq_test_server_get_rest_enabled  (KqTestServer   *self);

/* Requests received so far whose path (or "path?query") starts with @path_prefix ("/" = all). */
guint         kq_test_server_get_request_count (KqTestServer   *self,
                                                const char     *path_prefix);
/* Requests received so far whose "path?query" (or path, without a query) is @full. */
guint         kq_test_server_get_request_count_exact (KqTestServer *self,
                                                      const char   *full);
/* Of those, the ones answered 304 Not Modified (a conditional request that matched). */
guint         kq_test_server_get_not_modified_count (KqTestServer *self,
                                                     const char   *path_prefix);
void          kq_test_server_reset_request_counts (KqTestServer *self);

/*
 * Keeps the @n_newest posts back, as if not published yet (every list, feed,
 * search and lookup leaves them out); 0 publishes them, as a site does
 * between two refreshes.
 */
void          kq_test_server_set_unpublished   (KqTestServer   *self,
                                                guint           n_newest);

/* The site's data, for tests that compute expectations (site.json as parsed). */
const char   *kq_test_server_get_site_dir      (KqTestServer   *self);

G_END_DECLS
