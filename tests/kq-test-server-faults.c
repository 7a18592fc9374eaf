/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-test-server"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libsoup/soup.h>

#include "kq-test-server.h"
#include "kq-test-server-private.h"

/* Fault injection: the answers a test chooses instead of the normal ones. */

static GHashTable *
copy_query (GHashTable *query)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer k, v;

  if (query)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &k, &v))
        g_hash_table_insert (copy, g_strdup (k), g_strdup (v));
    }
  return copy;
}

static void
pending_free (Pending *p)
{
  if (p->source)
    {
      g_source_destroy (p->source);
      g_source_unref (p->source);
    }
  g_clear_signal_handler (&p->finished_id, p->msg);
  g_clear_signal_handler (&p->disconnected_id, p->msg);
  g_clear_signal_handler (&p->wrote_chunk_id, p->msg);
  g_clear_object (&p->msg);
  g_clear_pointer (&p->query, g_hash_table_unref);
  g_clear_pointer (&p->body, g_bytes_unref);
  g_free (p->path);
  g_free (p);
}

void
_kq_test_server_pending_done (Pending *p)
{
  p->self->pending = g_list_remove (p->self->pending, p);
  pending_free (p);
}

static void
on_pending_gone_cb (SoupServerMessage *msg,
                    Pending           *p)
{
  _kq_test_server_pending_done (p);
}

static Pending *
pending_new (KqTestServer      *self,
             SoupServerMessage *msg,
             KqTestFault        fault,
             guint              param_value)
{
  Pending *p = g_new0 (Pending, 1);

  p->self = self;
  p->msg = g_object_ref (msg);
  p->fault = fault;
  p->param = param_value;
  p->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_pending_gone_cb), p);
  p->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_pending_gone_cb), p);
  self->pending = g_list_prepend (self->pending, p);
  return p;
}

static void
pending_add_timeout (Pending     *p,
                     guint        ms,
                     GSourceFunc  func)
{
  if (p->source)
    {
      g_source_destroy (p->source);
      g_source_unref (p->source);
    }
  p->source = g_timeout_source_new (ms);
  g_source_set_callback (p->source, func, p, NULL);
  g_source_attach (p->source, p->self->context);
}

static gboolean
on_delay_done_cb (gpointer data)
{
  Pending *p = data;
  KqTestServer *self = p->self;
  SoupServerMessage *msg = g_object_ref (p->msg);
  g_autofree char *path = g_steal_pointer (&p->path);
  g_autoptr(GHashTable) query = g_steal_pointer (&p->query);

  g_clear_pointer (&p->source, g_source_unref);
  _kq_test_server_pending_done (p);
  _kq_test_server_handle_request (self, msg, path, query);
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static gboolean
on_drip_cb (gpointer data)
{
  Pending *p = data;
  SoupMessageBody *body = soup_server_message_get_response_body (p->msg);
  gsize size = g_bytes_get_size (p->body);
  gsize n = MIN (DRIP_BYTES, size - p->offset);

  if (n > 0)
    {
      soup_message_body_append (body, SOUP_MEMORY_COPY,
                                (const char *) g_bytes_get_data (p->body, NULL) + p->offset, n);
      p->offset += n;
    }
  if (p->offset >= size)
    {
      SoupServerMessage *msg = g_object_ref (p->msg);

      g_clear_pointer (&p->source, g_source_unref);
      soup_message_body_complete (body);
      _kq_test_server_pending_done (p);
      soup_server_message_unpause (msg);
      g_object_unref (msg);
      return G_SOURCE_REMOVE;
    }
  soup_server_message_unpause (p->msg);
  return G_SOURCE_CONTINUE;
}

static void
huge_append_next (Pending *p)
{
  static char *filler;
  SoupMessageBody *body = soup_server_message_get_response_body (p->msg);
  guint64 left = p->total - p->offset;

  if (g_once_init_enter (&filler))
    {
      char *f = g_malloc (HUGE_CHUNK);

      for (guint i = 0; i < HUGE_CHUNK; i += 2)
        {
          f[i] = '0';
          f[i + 1] = ',';
        }
      g_once_init_leave (&filler, f);
    }

  if (p->offset == 0)
    {
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "[", 1);
      p->offset = 1;
    }
  else if (left > HUGE_CHUNK + 2)
    {
      soup_message_body_append (body, SOUP_MEMORY_STATIC, filler, HUGE_CHUNK);
      p->offset += HUGE_CHUNK;
    }
  else if (left > 0)
    {
      /* "0,0,…0]": left - 2 bytes of "0," pairs (left is odd here), then "0]". */
      soup_message_body_append (body, SOUP_MEMORY_STATIC, filler, left - 2);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "0]", 2);
      p->offset += left;
      soup_message_body_complete (body);
    }
}

static void
on_huge_wrote_chunk_cb (SoupServerMessage *msg,
                        Pending           *p)
{
  if (p->offset < p->total)
    {
      huge_append_next (p);
      soup_server_message_unpause (msg);
    }
}

static GBytes *
gzip_bomb (void)
{
  static GBytes *bomb;

  if (g_once_init_enter (&bomb))
    {
      /* 1 GiB of zeros. Deflate output for identical input after a sync
       * flush is identical, so two 1 MiB chunks are compressed and the
       * second repeated; the trailer holds the CRC-32 of 2^30 zero bytes. */
      g_autoptr(GZlibCompressor) c = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9);
      static const guint8 header[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3 };
      static const guint8 trailer[] = { 0xb0, 0xc2, 0x64, 0x5b, 0, 0, 0, 0x40 };
      g_autofree char *zeros = g_malloc0 (1024 * 1024);
      gsize out_size = 64 * 1024;
      g_autofree char *buf = g_malloc (out_size);
      GByteArray *chunks[3];
      GByteArray *all = g_byte_array_new ();

      for (guint k = 0; k < 3; k++)
        {
          gsize in_off = 0;
          gboolean last = k == 2;

          chunks[k] = g_byte_array_new ();
          for (;;)
            {
              gsize read = 0, written = 0;
              GConverterResult r;

              r = g_converter_convert (G_CONVERTER (c), zeros + in_off,
                                       last ? 0 : 1024 * 1024 - in_off,
                                       buf, out_size,
                                       last ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_FLUSH,
                                       &read, &written, NULL);
              g_assert (r != G_CONVERTER_ERROR);
              in_off += read;
              g_byte_array_append (chunks[k], (guint8 *) buf, written);
              if (r == G_CONVERTER_FINISHED || (r == G_CONVERTER_FLUSHED && in_off == 1024 * 1024))
                break;
            }
        }

      g_byte_array_append (all, header, sizeof header);
      g_byte_array_append (all, chunks[0]->data, chunks[0]->len);
      for (guint i = 1; i < 1024; i++)
        g_byte_array_append (all, chunks[1]->data, chunks[1]->len);
      g_byte_array_append (all, chunks[2]->data, chunks[2]->len);
      g_byte_array_append (all, trailer, sizeof trailer);
      for (guint k = 0; k < 3; k++)
        g_byte_array_unref (chunks[k]);
      g_once_init_leave (&bomb, g_byte_array_free_to_bytes (all));
    }
  return bomb;
}

typedef struct {
  GIOStream *stream;
  GBytes    *data;
} RawWrite;

static void
on_raw_closed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RawWrite *w = user_data;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  g_object_unref (w->stream);
  g_bytes_unref (w->data);
  g_free (w);
}

static void
on_raw_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RawWrite *w = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close_async (w->stream, G_PRIORITY_DEFAULT, NULL, on_raw_closed_cb, w);
}

/* Takes the connection from libsoup and writes @data on it, then closes it. */
static void
write_raw_and_close (SoupServerMessage *msg,
                     GBytes            *data)
{
  RawWrite *w = g_new0 (RawWrite, 1);

  w->stream = soup_server_message_steal_connection (msg);
  w->data = g_bytes_ref (data);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (w->stream),
                                   g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                   G_PRIORITY_DEFAULT, NULL, on_raw_written_cb, w);
}

static void
reset_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  GSocket *socket = NULL;

  if (G_IS_SOCKET_CONNECTION (stream))
    socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
  else if (stream)
    socket = g_object_get_data (G_OBJECT (stream), "GSocket");
  if (socket)
    {
      struct linger l = { 1, 0 };

      /* SO_LINGER 0: close() sends RST instead of FIN. */
      if (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0)
        g_debug ("setsockopt: %s", g_strerror (errno));
      g_socket_close (socket, NULL);
    }
  if (stream)
    g_io_stream_close (stream, NULL, NULL);
}

static void
header_to_raw_cb (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  GString *out = user_data;

  if (g_ascii_strcasecmp (name, "Content-Length") == 0 ||
      g_ascii_strcasecmp (name, "Transfer-Encoding") == 0 ||
      g_ascii_strcasecmp (name, "Connection") == 0)
    return;
  g_string_append_printf (out, "%s: %s\r\n", name, value);
}

static const char php_warning[] =
  "<br />\n<b>Warning</b>:  Undefined array key \"categorie\" in "
  "<b>/var/www/html/wp-content/plugins/extension-maison/extension.php</b> on line <b>42</b><br />\n";

static const char html_instead[] =
  "<!DOCTYPE html>\n<html lang=\"fr\">\n<head><meta charset=\"UTF-8\"><title>Un instant…</title></head>\n"
  "<body><h1>Vérification de votre navigateur</h1>\n"
  "<p>Ce contrôle de sécurité ne prend que quelques secondes. Merci de patienter.</p>\n"
  "</body>\n</html>\n";

/* A page no WordPress sends (per_page stops at 100): @n small posts, one a
 * minute back from a fixed date, as a hostile or broken site could (14 MB
 * for 100,000: under the HTTP cap, so that the page is read). */
static char *
many_posts (KqTestServer *self,
            guint         n)
{
  GString *body = g_string_sized_new ((gsize) n * 120 + 2);
  g_autoptr(GDateTime) newest = g_date_time_new_utc (2026, 11, 30, 12, 0, 0);

  g_string_append_c (body, '[');
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_minutes (newest, -(int) i);
      g_autofree char *iso = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");
      guint id = 5000000 + i;

      g_string_append_printf (body,
                              "%s{\"id\":%u,\"date_gmt\":\"%s\",\"link\":\"%s/?p=%u\","
                              "\"title\":{\"rendered\":\"Brève n\\u00b0%u\"}}",
                              i > 0 ? "," : "", id, iso,
                              kq_test_server_get_url (self), id, id);
    }
  g_string_append_c (body, ']');

  return g_string_free (body, FALSE);
}

/* @n comments on the post asked for, a page of them as asked. */
static void
many_comments (KqTestServer      *self,
               SoupServerMessage *msg,
               GHashTable        *query,
               guint              n)
{
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *post = _kq_test_server_param (query, "post");
  const char *page_param = _kq_test_server_param (query, "page");
  const char *per_page_param = _kq_test_server_param (query, "per_page");
  guint page = page_param ? (guint) CLAMP (g_ascii_strtoull (page_param, NULL, 10), 1, 100000) : 1;
  guint per_page = per_page_param ?
                   (guint) CLAMP (g_ascii_strtoull (per_page_param, NULL, 10), 1, 100) : 10;
  guint pages = MAX ((n + per_page - 1) / per_page, 1);
  g_autoptr(GDateTime) first = g_date_time_new_utc (2026, 11, 1, 8, 0, 0);
  g_autofree char *total = g_strdup_printf ("%u", n);
  g_autofree char *total_pages = g_strdup_printf ("%u", pages);
  GString *body = g_string_new ("[");

  for (guint i = (page - 1) * per_page; i < MIN (page * per_page, n); i++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_minutes (first, (int) i);
      g_autofree char *iso = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");

      g_string_append_printf (body,
                              "%s{\"id\":%u,\"post\":%s,\"parent\":0,"
                              "\"author_name\":\"Lecteur %u\",\"date_gmt\":\"%s\","
                              "\"link\":\"%s/?p=%s#comment-%u\","
                              "\"content\":{\"rendered\":\"<p>Avis n\\u00b0%u\\u00a0: "
                              "d\\u00e9j\\u00e0 essay\\u00e9, et plut\\u00f4t convaincu "
                              "par l\\u2019autonomie.<\\/p>\"}}",
                              body->len > 1 ? "," : "", 9000000 + i, post ? post : "0", i + 1, iso,
                              kq_test_server_get_url (self), post ? post : "0", 9000000 + i,
                              i + 1);
    }
  g_string_append_c (body, ']');

  soup_message_headers_replace (resp, "X-WP-Total", total);
  soup_message_headers_replace (resp, "X-WP-TotalPages", total_pages);
  _kq_test_server_set_text (msg, SOUP_STATUS_OK, JSON_TYPE, g_string_free (body, FALSE));
}

void
_kq_test_server_apply_fault (KqTestServer      *self,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             Fault             *fault)
{
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);

  switch (fault->fault)
    {
    case KQ_TEST_FAULT_DELAY:
      {
        Pending *p = pending_new (self, msg, fault->fault, fault->param);

        p->path = g_strdup (path);
        p->query = copy_query (query);
        soup_server_message_pause (msg);
        pending_add_timeout (p, fault->param, on_delay_done_cb);
      }
      break;

    case KQ_TEST_FAULT_NOT_FOUND:
      _kq_test_server_send_not_found (self, msg, path);
      break;

    case KQ_TEST_FAULT_SERVER_ERROR:
      if (_kq_test_server_is_rest_path (path))
        _kq_test_server_send_json_error (self, msg, 500, "internal_server_error",
                         "<p>Il y a eu une erreur critique sur ce site.</p>", NULL);
      else
        _kq_test_server_send_html_page (self, msg, 500, "Erreur critique – Kiosque Tech", NULL,
                        "<p>Il y a eu une erreur critique sur ce site.</p>");
      break;

    case KQ_TEST_FAULT_RATE_LIMIT:
      {
        g_autofree char *after = g_strdup_printf ("%u", fault->param);

        soup_message_headers_replace (resp, "Retry-After", after);
        _kq_test_server_send_html_page (self, msg, 429, "Trop de requêtes", NULL,
                        "<h1>Trop de requêtes</h1>\n<p>Merci de réessayer dans quelques instants.</p>");
      }
      break;

    case KQ_TEST_FAULT_TRUNCATED:
      {
        g_autoptr(GBytes) body = NULL;
        g_autoptr(GBytes) raw = NULL;
        GString *out = g_string_new (NULL);
        guint status;
        gsize size;

        _kq_test_server_handle_request (self, msg, path, query);
        body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
        size = g_bytes_get_size (body);
        status = soup_server_message_get_status (msg);
        g_string_append_printf (out, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
        soup_message_headers_foreach (resp, header_to_raw_cb, out);
        g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                                MAX (size, 2));
        g_string_append_len (out, g_bytes_get_data (body, NULL), size / 2);
        raw = g_string_free_to_bytes (out);
        write_raw_and_close (msg, raw);
      }
      break;

    case KQ_TEST_FAULT_INVALID_JSON:
      {
        g_autoptr(GBytes) body = NULL;
        GString *out = g_string_new (php_warning);

        _kq_test_server_handle_request (self, msg, path, query);
        body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
        g_string_append_len (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body) / 2);
        soup_message_headers_remove (resp, "ETag");
        soup_message_headers_remove (resp, "Last-Modified");
        _kq_test_server_set_text (msg, SOUP_STATUS_OK, JSON_TYPE, g_string_free (out, FALSE));
      }
      break;

    case KQ_TEST_FAULT_HTML_INSTEAD:
      _kq_test_server_set_text (msg, SOUP_STATUS_OK, HTML_TYPE, g_strdup (html_instead));
      break;

    case KQ_TEST_FAULT_HUGE_BODY:
      {
        Pending *p = pending_new (self, msg, fault->fault, fault->param);
        SoupMessageBody *body = soup_server_message_get_response_body (msg);

        /* An odd length so that the body is a valid JSON array of zeros. */
        p->total = (guint64) (fault->param ? fault->param : 64) * 1024 * 1024 + 1;
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_message_headers_set_content_type (resp, "application/json", NULL);
        soup_message_headers_set_encoding (resp, SOUP_ENCODING_CONTENT_LENGTH);
        soup_message_headers_set_content_length (resp, p->total);
        soup_message_body_set_accumulate (body, FALSE);
        p->wrote_chunk_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_huge_wrote_chunk_cb), p);
        huge_append_next (p);
      }
      break;

    case KQ_TEST_FAULT_REDIRECT_LOOP:
      {
        g_autoptr(GHashTable) q = copy_query (query);
        gboolean looped = g_hash_table_remove (q, "boucle");
        g_autofree char *location = NULL;
        g_autofree char *encoded = NULL;

        if (!looped)
          g_hash_table_insert (q, g_strdup ("boucle"), g_strdup ("1"));
        encoded = g_hash_table_size (q) ? soup_form_encode_hash (q) : NULL;
        location = g_strconcat (self->url, path, encoded ? "?" : "", encoded, NULL);
        soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
      }
      break;

    case KQ_TEST_FAULT_SLOW_DRIP:
      {
        Pending *p = pending_new (self, msg, fault->fault, fault->param);
        SoupMessageBody *body = soup_server_message_get_response_body (msg);

        _kq_test_server_handle_request (self, msg, path, query);
        p->body = soup_message_body_flatten (body);
        soup_message_body_truncate (body);
        soup_message_headers_remove (resp, "Content-Length");
        soup_message_headers_set_encoding (resp, SOUP_ENCODING_CHUNKED);
        soup_server_message_pause (msg);
        pending_add_timeout (p, fault->param ? fault->param : 100, on_drip_cb);
      }
      break;

    case KQ_TEST_FAULT_RESET:
      reset_connection (msg);
      break;

    case KQ_TEST_FAULT_GZIP_BOMB:
      {
        GBytes *bomb = gzip_bomb ();

        soup_message_headers_replace (resp, "Content-Encoding", "gzip");
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                          g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb));
      }
      break;

    case KQ_TEST_FAULT_BARE_NOT_MODIFIED:
      _kq_test_server_handle_request (self, msg, path, query);
      if (soup_server_message_get_status (msg) == SOUP_STATUS_NOT_MODIFIED)
        {
          soup_message_headers_remove (resp, "X-WP-Total");
          soup_message_headers_remove (resp, "X-WP-TotalPages");
          soup_message_headers_remove (resp, "Link");
          soup_message_headers_remove (resp, "Content-Type");
        }
      break;

    case KQ_TEST_FAULT_MANY_POSTS:
      {
        guint n = fault->param ? fault->param : 100000;
        g_autofree char *total = g_strdup_printf ("%u", n);

        soup_message_headers_replace (resp, "X-WP-Total", total);
        soup_message_headers_replace (resp, "X-WP-TotalPages", "1");
        _kq_test_server_set_text (msg, SOUP_STATUS_OK, JSON_TYPE, many_posts (self, n));
      }
      break;

    case KQ_TEST_FAULT_MANY_COMMENTS:
      many_comments (self, msg, query, fault->param ? fault->param : 1000);
      break;

    case KQ_TEST_FAULT_NONE:
    default:
      _kq_test_server_handle_request (self, msg, path, query);
      break;
    }
}

