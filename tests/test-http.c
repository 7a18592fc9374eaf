/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "kq-http.h"
#include "kq-i18n.h"
#include "kq-test-server.h"
#include "kq-version.h"

/* Every wait is bounded: a hang fails the test instead of blocking the suite. */
#define WATCHDOG_SECONDS 15

#define POSTS_PATH "/wp-json/wp/v2/posts"

/* A test server and a KqHttp; with the "echo" set-up, also a tiny server
 * of our own (echo_headers_cb) at @echo_url. */
typedef struct
{
  KqTestServer *server;
  KqHttp       *http;
  char         *posts_url;   /* POSTS_PATH on the test server */
  SoupServer   *echo;
  char         *echo_url;
} Fixture;

static char *start_echo_server (SoupServer **out);

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = kq_test_server_new (&error);
  g_assert_no_error (error);
  g_assert_nonnull (f->server);
  f->http = kq_http_new ();
  f->posts_url = g_strconcat (kq_test_server_get_url (f->server), POSTS_PATH, NULL);
}

static void
fixture_setup_echo (Fixture       *f,
                    gconstpointer  data)
{
  fixture_setup (f, data);
  f->echo_url = start_echo_server (&f->echo);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->http);
  g_clear_object (&f->server);
  g_clear_object (&f->echo);
  g_free (f->posts_url);
  g_free (f->echo_url);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  g_error ("watchdog: the test did not finish within %d s", WATCHDOG_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  guint watchdog = g_timeout_add_seconds (WATCHDOG_SECONDS, watchdog_cb, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);

  return *slot;
}

/* GET and wait, with the time it took in seconds. */
static KqHttpResponse *
get (KqHttp        *http,
     const char    *url,
     KqHttpFlags    flags,
     GCancellable  *cancellable,
     double        *elapsed,
     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  KqHttpResponse *response;

  kq_http_get_async (http, url, flags, cancellable, got_result_cb, &result);
  wait_for_result (&result);
  response = kq_http_get_finish (http, result, error);
  if (elapsed != NULL)
    *elapsed = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;

  return response;
}

static char *
server_url (Fixture    *f,
            const char *path)
{
  return g_strconcat (kq_test_server_get_url (f->server), path, NULL);
}

static void assert_readable_error (const GError *error,
                                   KqHttpError   code);

/* GETs the posts while the server answers with @fault (@param, always):
 * the request must fail with a readable @code. Returns the seconds it took. */
static double
get_posts_fails (Fixture     *f,
                 KqTestFault  fault,
                 guint        param,
                 KqHttpError  code)
{
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  double elapsed;

  kq_test_server_clear_faults (f->server);
  kq_test_server_add_fault (f->server, POSTS_PATH, fault, param, 0);
  response = get (f->http, f->posts_url, KQ_HTTP_FLAGS_NONE, NULL, &elapsed, &error);
  g_assert_null (response);
  assert_readable_error (error, code);
  return elapsed;
}

static void
assert_readable_error (const GError *error,
                       KqHttpError   code)
{
  g_assert_error (error, KQ_HTTP_ERROR, (int)code);
  g_assert_nonnull (error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* A sentence, not a code: long enough, one line, no leftover format. */
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), >, 15);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strstr (error->message, "%"));
  g_assert_true (g_unichar_isupper (g_utf8_get_char (error->message)) ||
                 g_utf8_get_char (error->message) == 0x201C /* “ */ ||
                 g_utf8_get_char (error->message) == 0x00AB /* « */);
}

/* ---------------------------------------------------------------------- */

static void
test_ok (Fixture       *f,
         gconstpointer  data)
{
  g_autofree char *url = server_url (f, "/wp-json/wp/v2/posts?per_page=5");
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *body;

  response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kq_http_response_get_status (response), ==, 200);
  g_assert_false (kq_http_response_get_not_modified (response));
  g_assert_cmpstr (kq_http_response_get_content_type (response), ==, "application/json");
  g_assert_cmpstr (kq_http_response_get_uri (response), ==, url);
  g_assert_nonnull (kq_http_response_get_header (response, "X-WP-TotalPages"));
  g_assert_cmpstr (kq_http_response_get_header (response, "x-wp-totalpages"), ==,
                   kq_http_response_get_header (response, "X-WP-TOTALPAGES"));
  g_assert_null (kq_http_response_get_header (response, "X-Not-There"));

  body = g_bytes_get_data (kq_http_response_get_body (response), &size);
  g_assert_cmpuint (size, >, 100);
  g_assert_true (body[0] == '[');
}

static void
test_invalid_url (Fixture       *f,
                  gconstpointer  data)
{
  const char *urls[] = { "", "ftp://127.0.0.1/x", "not a url", "file:///etc/passwd",
                         "javascript:alert(1)", "http://", "/relative/path" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(KqHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      response = get (f->http, urls[i], KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
      g_assert_null (response);
      assert_readable_error (error, KQ_HTTP_ERROR_INVALID_URL);
    }
}

static void
test_status_errors (Fixture       *f,
                    gconstpointer  data)
{
  struct {
    KqTestFault fault;
    KqHttpError code;
  } cases[] = {
    { KQ_TEST_FAULT_NOT_FOUND, KQ_HTTP_ERROR_NOT_FOUND },
    { KQ_TEST_FAULT_SERVER_ERROR, KQ_HTTP_ERROR_SERVER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    get_posts_fails (f, cases[i].fault, 0, cases[i].code);

  /* A page that does not exist at all. */
  {
    g_autofree char *url = server_url (f, "/nowhere/at/all/");
    g_autoptr(GError) error = NULL;
    g_autoptr(KqHttpResponse) response = NULL;

    kq_test_server_clear_faults (f->server);
    response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
    g_assert_null (response);
    assert_readable_error (error, KQ_HTTP_ERROR_NOT_FOUND);
  }
}

static void
test_error_body (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = server_url (f, "/wp-json/wp/v2/posts?page=9999");
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) status_error = NULL;

  /* WordPress answers 400 past the last page; with ERROR_BODY the caller reads it. */
  response = get (f->http, url, KQ_HTTP_FLAGS_ERROR_BODY, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kq_http_response_get_status (response), ==, 400);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (kq_http_response_get_body (response), NULL),
                                  g_bytes_get_size (kq_http_response_get_body (response)),
                                  "rest_post_invalid_page_number"));

  status_error = kq_http_error_new_for_status (400, url);
  assert_readable_error (status_error, KQ_HTTP_ERROR_CLIENT);

  g_clear_object (&response);
  response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
  g_assert_null (response);
  assert_readable_error (error, KQ_HTTP_ERROR_CLIENT);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  double elapsed;

  kq_http_set_timeouts (f->http, 500, 5000);
  elapsed = get_posts_fails (f, KQ_TEST_FAULT_DELAY, 3000, KQ_HTTP_ERROR_TIMEOUT);
  g_assert_cmpfloat (elapsed, >=, 0.4);
  g_assert_cmpfloat (elapsed, <, 2.0);
}

static void
test_slow_drip (Fixture       *f,
                gconstpointer  data)
{
  double elapsed;

  /* Headers come at once, then 16 bytes every 100 ms: only the total
   * timeout can stop it. */
  kq_http_set_timeouts (f->http, 5000, 1000);
  elapsed = get_posts_fails (f, KQ_TEST_FAULT_SLOW_DRIP, 100, KQ_HTTP_ERROR_TIMEOUT);
  g_assert_cmpfloat (elapsed, >=, 0.9);
  g_assert_cmpfloat (elapsed, <, 3.0);
}

/* Sends @n slow GETs of the categories (answered after @delay_ms each),
 * results in @results. */
static void
start_slow_requests (Fixture       *f,
                     guint          n,
                     guint          delay_ms,
                     GAsyncResult **results)
{
  g_autofree char *url = server_url (f, "/wp-json/wp/v2/categories");

  kq_test_server_add_fault (f->server, "/wp-json/wp/v2/categories", KQ_TEST_FAULT_DELAY,
                            delay_ms, 0);
  for (guint i = 0; i < n; i++)
    kq_http_get_async (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, got_result_cb, &results[i]);
}

/* The session's six connections to the host are busy with slow answers,
 * two rounds of six at 1.2 s: a request behind them waits about 2.4 s for
 * a connection, longer than its timeouts, but the site answers it at once.
 * The timeouts count from when it is sent, so it succeeds, and so do the
 * second round's. */
static void
test_queued_not_timed_out (Fixture       *f,
                           gconstpointer  data)
{
  GAsyncResult *slow[12] = { NULL };
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  double elapsed;

  kq_http_set_timeouts (f->http, 2000, 2500);
  start_slow_requests (f, G_N_ELEMENTS (slow), 1200, slow);

  response = get (f->http, f->posts_url, KQ_HTTP_FLAGS_NONE, NULL, &elapsed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kq_http_response_get_status (response), ==, 200);
  /* It did wait for the two rounds, longer than its timeouts. */
  g_assert_cmpfloat (elapsed, >=, 2.0);

  for (guint i = 0; i < G_N_ELEMENTS (slow); i++)
    {
      g_autoptr(KqHttpResponse) slow_response = NULL;

      slow_response = kq_http_get_finish (f->http, wait_for_result (&slow[i]), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (kq_http_response_get_status (slow_response), ==, 200);
      g_clear_object (&slow[i]);
    }
}

/* Nothing waits for ever: behind six requests the site takes 1.5 s to
 * answer, a request whose queue timeout is 300 ms fails without being
 * sent, before any of them is answered; the six still get their answers. */
static void
test_queue_timeout (Fixture       *f,
                    gconstpointer  data)
{
  GAsyncResult *slow[6] = { NULL };
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  kq_http_set_timeouts (f->http, 5000, 5000);
  kq_test_server_reset_request_counts (f->server);
  start_slow_requests (f, G_N_ELEMENTS (slow), 1500, slow);
  /* For the next request only: the six may take their time to connect. */
  kq_http_set_queue_timeout (f->http, 300);

  response = get (f->http, f->posts_url, KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
  g_assert_null (response);
  assert_readable_error (error, KQ_HTTP_ERROR_TIMEOUT);
  for (guint i = 0; i < G_N_ELEMENTS (slow); i++)
    g_assert_null (slow[i]);
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, POSTS_PATH), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (slow); i++)
    {
      g_autoptr(KqHttpResponse) slow_response = NULL;

      g_clear_error (&error);
      slow_response = kq_http_get_finish (f->http, wait_for_result (&slow[i]), &error);
      g_assert_no_error (error);
      g_clear_object (&slow[i]);
    }
}

/* A caller that gives up on a request waiting for a connection (behind
 * six slow ones) is answered at once, not when a connection frees up. */
static void
test_cancel_queued (Fixture       *f,
                    gconstpointer  data)
{
  GAsyncResult *slow[6] = { NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kq_http_set_timeouts (f->http, 5000, 5000);
  kq_test_server_reset_request_counts (f->server);
  start_slow_requests (f, G_N_ELEMENTS (slow), 1500, slow);

  kq_http_get_async (f->http, f->posts_url, KQ_HTTP_FLAGS_NONE, cancellable, got_result_cb, &result);
  g_cancellable_cancel (cancellable);
  response = kq_http_get_finish (f->http, wait_for_result (&result), &error);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  for (guint i = 0; i < G_N_ELEMENTS (slow); i++)
    g_assert_null (slow[i]);
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, POSTS_PATH), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (slow); i++)
    {
      g_autoptr(KqHttpResponse) slow_response = NULL;

      g_clear_error (&error);
      slow_response = kq_http_get_finish (f->http, wait_for_result (&slow[i]), &error);
      g_assert_no_error (error);
      g_clear_object (&slow[i]);
    }
}

static void
test_rate_limit_retry (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *url = server_url (f, "/wp-json/wp/v2/categories");
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  double elapsed;

  /* 429 with Retry-After: 1 once, then the real answer. */
  kq_test_server_add_fault (f->server, "/wp-json/wp/v2/categories", KQ_TEST_FAULT_RATE_LIMIT, 1, 1);
  kq_test_server_reset_request_counts (f->server);

  response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, &elapsed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kq_http_response_get_status (response), ==, 200);
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/wp-json/wp/v2/categories"), ==, 2);
  /* It waited about what the server said. */
  g_assert_cmpfloat (elapsed, >=, 0.95);
  g_assert_cmpfloat (elapsed, <, 3.0);
}

static void
test_rate_limit_gives_up (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *url = server_url (f, "/wp-json/wp/v2/categories");
  double elapsed;

  /* Always 429, Retry-After: 0 → the first try and two retries, then an error. */
  {
    g_autoptr(KqHttpResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    kq_test_server_add_fault (f->server, "/wp-json/wp/v2/categories", KQ_TEST_FAULT_RATE_LIMIT, 0, 0);
    kq_test_server_reset_request_counts (f->server);
    response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, &elapsed, &error);
    g_assert_null (response);
    assert_readable_error (error, KQ_HTTP_ERROR_RATE_LIMITED);
    g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/wp-json/wp/v2/categories"), ==, 3);
  }

  /* NO_RETRY: one request only. */
  {
    g_autoptr(KqHttpResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    kq_test_server_reset_request_counts (f->server);
    response = get (f->http, url, KQ_HTTP_FLAGS_NO_RETRY, NULL, &elapsed, &error);
    g_assert_null (response);
    assert_readable_error (error, KQ_HTTP_ERROR_RATE_LIMITED);
    g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/wp-json/wp/v2/categories"), ==, 1);
  }

  /* Retry-After longer than we are willing to wait: fail at once. */
  {
    g_autoptr(KqHttpResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    kq_test_server_clear_faults (f->server);
    kq_test_server_add_fault (f->server, "/wp-json/wp/v2/categories", KQ_TEST_FAULT_RATE_LIMIT, 60, 0);
    kq_http_set_max_retry_wait (f->http, 2000);
    kq_test_server_reset_request_counts (f->server);
    response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, &elapsed, &error);
    g_assert_null (response);
    assert_readable_error (error, KQ_HTTP_ERROR_RATE_LIMITED);
    g_assert_cmpuint (kq_test_server_get_request_count (f->server, "/wp-json/wp/v2/categories"), ==, 1);
    g_assert_cmpfloat (elapsed, <, 1.0);
  }
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_rate_limit_cancel_wait (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *url = server_url (f, "/wp-json/wp/v2/categories");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  double elapsed;

  kq_test_server_add_fault (f->server, "/wp-json/wp/v2/categories", KQ_TEST_FAULT_RATE_LIMIT, 10, 0);
  g_timeout_add (300, cancel_cb, cancellable);

  response = get (f->http, url, KQ_HTTP_FLAGS_NONE, cancellable, &elapsed, &error);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (elapsed, <, 1.5);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  get_posts_fails (f, KQ_TEST_FAULT_TRUNCATED, 0, KQ_HTTP_ERROR_TRUNCATED);
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  double elapsed;

  /* 64 MiB streamed against the default 20 MB cap. */
  g_assert_cmpuint (kq_http_get_max_body_size (f->http), ==, 20 * 1000 * 1000);
  elapsed = get_posts_fails (f, KQ_TEST_FAULT_HUGE_BODY, 64, KQ_HTTP_ERROR_TOO_LARGE);
  g_assert_cmpfloat (elapsed, <, 5.0);

  /* A small cap stops long before the end: not all 64 MiB were read. */
  {
    g_autoptr(KqHttpResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    kq_http_set_max_body_size (f->http, 256 * 1024);
    response = get (f->http, f->posts_url, KQ_HTTP_FLAGS_NONE, NULL, &elapsed, &error);
    g_assert_null (response);
    assert_readable_error (error, KQ_HTTP_ERROR_TOO_LARGE);
    g_assert_cmpfloat (elapsed, <, 1.0);
  }
}

static void
test_gzip_bomb (Fixture       *f,
                gconstpointer  data)
{
  double elapsed;

  /* A small compressed body that inflates to 1 GiB: the inflated size counts. */
  elapsed = get_posts_fails (f, KQ_TEST_FAULT_GZIP_BOMB, 0, KQ_HTTP_ERROR_TOO_LARGE);
  g_assert_cmpfloat (elapsed, <, 5.0);
}

static void
test_redirect_loop (Fixture       *f,
                    gconstpointer  data)
{
  kq_test_server_reset_request_counts (f->server);
  get_posts_fails (f, KQ_TEST_FAULT_REDIRECT_LOOP, 0, KQ_HTTP_ERROR_TOO_MANY_REDIRECTS);
  /* The first request and five redirects followed. */
  g_assert_cmpuint (kq_test_server_get_request_count (f->server, POSTS_PATH), ==, 6);
}

static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  get_posts_fails (f, KQ_TEST_FAULT_RESET, 0, KQ_HTTP_ERROR_UNREACHABLE);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint port;

  /* A port that was free a moment ago: nobody listens there. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  any = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
  g_assert_null (response);
  assert_readable_error (error, KQ_HTTP_ERROR_UNREACHABLE);
}

typedef struct
{
  guint  count;
  char  *url;
  char  *etag;
  char  *last_modified;
} ValidatorSeen;

static void
on_validator_changed (KqHttp        *http,
                      const char    *url,
                      const char    *etag,
                      const char    *last_modified,
                      ValidatorSeen *seen)
{
  seen->count++;
  g_free (seen->url);
  g_free (seen->etag);
  g_free (seen->last_modified);
  seen->url = g_strdup (url);
  seen->etag = g_strdup (etag);
  seen->last_modified = g_strdup (last_modified);
}

static void
test_conditional (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = server_url (f, "/wp-json/wp/v2/posts?per_page=3");
  g_autoptr(KqHttpResponse) first = NULL;
  g_autoptr(KqHttpResponse) second = NULL;
  g_autoptr(KqHttpResponse) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  ValidatorSeen seen = { 0, };

  g_signal_connect (f->http, "validator-changed", G_CALLBACK (on_validator_changed), &seen);

  first = get (f->http, url, KQ_HTTP_FLAGS_CONDITIONAL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (kq_http_response_get_not_modified (first));
  g_assert_nonnull (kq_http_response_get_header (first, "ETag"));
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_cmpstr (seen.url, ==, url);
  g_assert_cmpstr (seen.etag, ==, kq_http_response_get_header (first, "ETag"));
  g_assert_true (kq_http_get_validator (f->http, url, &etag, NULL));
  g_assert_cmpstr (etag, ==, seen.etag);

  second = get (f->http, url, KQ_HTTP_FLAGS_CONDITIONAL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kq_http_response_get_not_modified (second));
  g_assert_cmpuint (kq_http_response_get_status (second), ==, 200);
  g_assert_true (g_bytes_equal (kq_http_response_get_body (first),
                                kq_http_response_get_body (second)));
  /* Headers of the kept answer are still there (pagination). */
  g_assert_cmpstr (kq_http_response_get_header (second, "X-WP-TotalPages"), ==,
                   kq_http_response_get_header (first, "X-WP-TotalPages"));
  g_assert_cmpstr (kq_http_response_get_content_type (second), ==, "application/json");
  /* Same validators: no new signal. */
  g_assert_cmpuint (seen.count, ==, 1);

  /* Without the flag: a plain GET, a full answer. */
  plain = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (kq_http_response_get_not_modified (plain));
  g_assert_true (g_bytes_equal (kq_http_response_get_body (first),
                                kq_http_response_get_body (plain)));

  g_free (seen.url);
  g_free (seen.etag);
  g_free (seen.last_modified);
}

static void
test_preloaded_validator (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *url = server_url (f, "/wp-json/wp/v2/categories");
  g_autoptr(KqHttp) other = kq_http_new ();
  g_autoptr(KqHttpResponse) first = NULL;
  g_autoptr(KqHttpResponse) second = NULL;
  g_autoptr(GBytes) kept = g_bytes_new_static ("[\"kept\"]", 8);
  g_autoptr(GError) error = NULL;

  first = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kq_http_response_get_header (first, "ETag"));

  /* As the store would do on the next start. */
  kq_http_set_validator (other, url, kq_http_response_get_header (first, "ETag"), NULL, kept);
  second = get (other, url, KQ_HTTP_FLAGS_CONDITIONAL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kq_http_response_get_not_modified (second));
  g_assert_true (g_bytes_equal (kept, kq_http_response_get_body (second)));

  /* Forgetting: a full answer again. */
  g_clear_object (&second);
  kq_http_set_validator (other, url, NULL, NULL, NULL);
  g_assert_false (kq_http_get_validator (other, url, NULL, NULL));
  second = get (other, url, KQ_HTTP_FLAGS_CONDITIONAL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (kq_http_response_get_not_modified (second));
  g_assert_true (g_bytes_equal (kq_http_response_get_body (first),
                                kq_http_response_get_body (second)));
}

/* The headers a 304 needs again go with the validators, through a restart. */
static void
test_preloaded_validator_headers (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(KqHttp) other = kq_http_new ();
  g_autoptr(KqHttpResponse) first = NULL;
  g_autoptr(KqHttpResponse) second = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *filtered = NULL;

  first = get (f->http, f->posts_url, KQ_HTTP_FLAGS_CONDITIONAL, NULL, NULL, &error);
  g_assert_no_error (error);
  headers = kq_http_get_validator_headers (f->http, f->posts_url);
  body = kq_http_get_validator_body (f->http, f->posts_url);
  g_assert_nonnull (headers);
  expected = g_strdup_printf ("X-WP-TotalPages: %s\n",
                              kq_http_response_get_header (first, "X-WP-TotalPages"));
  g_assert_nonnull (strstr (headers, expected));
  g_assert_nonnull (strstr (headers, "X-WP-Total: "));
  g_assert_nonnull (strstr (headers, "Link: "));
  g_assert_nonnull (strstr (headers, "Content-Type: application/json"));
  /* Only those: not the validators themselves, nor the rest. */
  g_assert_null (strstr (headers, "ETag"));
  g_assert_null (strstr (headers, "Date"));
  g_assert_null (kq_http_get_validator_headers (f->http, "http://127.0.0.1:1/unknown"));

  /* A restart, behind a cache that sends bare 304s. */
  kq_test_server_add_fault (f->server, POSTS_PATH, KQ_TEST_FAULT_BARE_NOT_MODIFIED, 0, 0);
  kq_http_set_validator_full (other, f->posts_url, kq_http_response_get_header (first, "ETag"),
                              NULL, body, headers);
  second = get (other, f->posts_url, KQ_HTTP_FLAGS_CONDITIONAL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kq_http_response_get_not_modified (second));
  g_assert_cmpstr (kq_http_response_get_header (second, "X-WP-TotalPages"), ==,
                   kq_http_response_get_header (first, "X-WP-TotalPages"));
  g_assert_cmpstr (kq_http_response_get_header (second, "X-WP-Total"), ==,
                   kq_http_response_get_header (first, "X-WP-Total"));
  g_assert_cmpstr (kq_http_response_get_content_type (second), ==, "application/json");

  /* Without them (the old API), the bare 304 has none. */
  g_clear_object (&second);
  kq_http_set_validator (other, f->posts_url, kq_http_response_get_header (first, "ETag"), NULL,
                         body);
  g_assert_null (kq_http_get_validator_headers (other, f->posts_url));
  second = get (other, f->posts_url, KQ_HTTP_FLAGS_CONDITIONAL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kq_http_response_get_not_modified (second));
  g_assert_null (kq_http_response_get_header (second, "X-WP-TotalPages"));

  /* Lines that are not headers a 304 needs are dropped. */
  kq_http_set_validator_full (other, f->posts_url, "\"x\"", NULL, body,
                              "Set-Cookie: a=b\nnot a header\n x-wp-total :  3 \n");
  filtered = kq_http_get_validator_headers (other, f->posts_url);
  g_assert_cmpstr (filtered, ==, "x-wp-total: 3\n");
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *url = f->posts_url;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  double elapsed;

  /* While the server is thinking. */
  {
    g_autoptr(KqHttpResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    kq_test_server_add_fault (f->server, POSTS_PATH, KQ_TEST_FAULT_DELAY, 2000, 1);
    g_timeout_add (100, cancel_cb, cancellable);
    response = get (f->http, url, KQ_HTTP_FLAGS_NONE, cancellable, &elapsed, &error);
    g_assert_null (response);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpfloat (elapsed, <, 1.0);
  }

  /* Already cancelled. */
  {
    g_autoptr(KqHttpResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    response = get (f->http, url, KQ_HTTP_FLAGS_NONE, cancellable, NULL, &error);
    g_assert_null (response);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  /* While the body drips in. */
  {
    g_autoptr(GCancellable) other = g_cancellable_new ();
    g_autoptr(KqHttpResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    kq_test_server_clear_faults (f->server);
    kq_test_server_add_fault (f->server, POSTS_PATH, KQ_TEST_FAULT_SLOW_DRIP, 50, 1);
    g_timeout_add (300, cancel_cb, other);
    response = get (f->http, url, KQ_HTTP_FLAGS_NONE, other, &elapsed, &error);
    g_assert_null (response);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpfloat (elapsed, <, 1.5);
  }

  /* The session is still usable afterwards. */
  {
    g_autoptr(KqHttpResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (kq_http_response_get_status (response), ==, 200);
  }
}

static gboolean
tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static void
test_main_loop_responsive (Fixture       *f,
                           gconstpointer  data)
{
  const char *url = f->posts_url;
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint ticks = 0;
  guint tick_id;
  double elapsed;

  kq_test_server_add_fault (f->server, POSTS_PATH, KQ_TEST_FAULT_DELAY, 2000, 1);
  tick_id = g_timeout_add (100, tick_cb, &ticks);

  response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, &elapsed, &error);
  g_source_remove (tick_id);

  g_assert_no_error (error);
  g_assert_cmpuint (kq_http_response_get_status (response), ==, 200);
  g_assert_cmpfloat (elapsed, >=, 1.9);
  /* 2 s at 100 ms: the loop kept turning the whole time. */
  g_assert_cmpuint (ticks, >=, 15);
}

/* A tiny server of our own that reports the request headers it got. */
static void
echo_headers_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *body = g_strdup_printf ("%s\n%s\n%s",
                                           soup_message_headers_get_one (headers, "User-Agent"),
                                           soup_message_headers_get_one (headers, "Accept-Language"),
                                           soup_message_headers_get_one (headers, "Accept-Encoding"));

  if (g_strcmp0 (path, "/retry-date") == 0 && GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (server), "served")) == 0)
    {
      /* 503 with an HTTP date one second ahead. */
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 2);
      g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

      g_object_set_data (G_OBJECT (server), "served", GUINT_TO_POINTER (1));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", date);
      soup_server_message_set_status (msg, 503, NULL);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, body, strlen (body));
}

static char *
start_echo_server (SoupServer **out)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  soup_server_add_handler (server, NULL, echo_headers_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  *out = g_steal_pointer (&server);

  return g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

static void
test_request_headers (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->echo_url, "/headers", NULL);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;

  response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (kq_http_response_get_body (response), NULL),
                    g_bytes_get_size (kq_http_response_get_body (response)));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==, kq_version_get_user_agent ());
  g_assert_true (g_str_has_prefix (lines[0], "Kiosque/"));
  g_assert_cmpstr (lines[1], ==, "fr");
  g_assert_nonnull (strstr (lines[2], "gzip"));
}

static void
test_retry_after_date (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->echo_url, "/retry-date", NULL);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  double elapsed;

  response = get (f->http, url, KQ_HTTP_FLAGS_NONE, NULL, &elapsed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kq_http_response_get_status (response), ==, 200);
  /* The date has a one-second resolution: between 1 and 2 s. */
  g_assert_cmpfloat (elapsed, >=, 0.9);
  g_assert_cmpfloat (elapsed, <, 3.5);
}

int
main (int   argc,
      char *argv[])
{
  kq_i18n_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kq/http/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_ECHO(path, func) \
  g_test_add ("/kq/http/" path, Fixture, NULL, fixture_setup_echo, func, fixture_teardown)

  ADD ("ok", test_ok);
  ADD ("invalid-url", test_invalid_url);
  ADD ("status-errors", test_status_errors);
  ADD ("error-body", test_error_body);
  ADD ("timeout", test_timeout);
  ADD ("slow-drip", test_slow_drip);
  ADD ("queued-not-timed-out", test_queued_not_timed_out);
  ADD ("queue-timeout", test_queue_timeout);
  ADD ("cancel-queued", test_cancel_queued);
  ADD ("rate-limit-retry", test_rate_limit_retry);
  ADD ("rate-limit-gives-up", test_rate_limit_gives_up);
  ADD ("rate-limit-cancel-wait", test_rate_limit_cancel_wait);
  ADD_ECHO ("retry-after-date", test_retry_after_date);
  ADD ("truncated", test_truncated);
  ADD ("too-large", test_too_large);
  ADD ("gzip-bomb", test_gzip_bomb);
  ADD ("redirect-loop", test_redirect_loop);
  ADD ("reset", test_reset);
  ADD ("refused", test_refused);
  ADD ("conditional", test_conditional);
  ADD ("preloaded-validator", test_preloaded_validator);
  ADD ("preloaded-validator-headers", test_preloaded_validator_headers);
  ADD ("cancel", test_cancel);
  ADD ("main-loop-responsive", test_main_loop_responsive);
  ADD_ECHO ("request-headers", test_request_headers);

#undef ADD
#undef ADD_ECHO

  return g_test_run ();
}
