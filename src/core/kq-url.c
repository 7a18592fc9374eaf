/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-url"

#include "config.h"

#include <string.h>

#include "kq-url-private.h"

#define URI_FLAGS (G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE)

/* What a browser does first: strip leading/trailing C0 controls and spaces,
 * remove tabs and newlines anywhere. Other control characters: refused. */
static char *
clean_input (const char *url)
{
  const char *start = url;
  const char *end = url + strlen (url);
  GString *out;

  while (start < end && (guchar) *start <= 0x20)
    start++;
  while (end > start && (guchar) end[-1] <= 0x20)
    end--;

  out = g_string_sized_new (end - start);
  for (const char *p = start; p < end; p++)
    {
      guchar c = (guchar) *p;

      if (c == '\t' || c == '\n' || c == '\r')
        continue;
      if (c < 0x20 || c == 0x7f)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, (char) c);
    }

  return g_string_free (out, FALSE);
}

/* The length of the scheme @url starts with ("https:" gives 5), or 0.
 * Not g_uri_peek_scheme(): it interns every scheme it is shown, for the
 * life of the process, and hostile pages can show millions. */
static gsize
scheme_length (const char *url)
{
  gsize i;

  if (!g_ascii_isalpha (url[0]))
    return 0;
  for (i = 1; g_ascii_isalnum (url[i]) || url[i] == '+' || url[i] == '-' || url[i] == '.'; i++)
    ;
  return url[i] == ':' ? i : 0;
}

static gboolean
is_http_scheme (const char *scheme)
{
  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0);
}

static gboolean
host_is_valid (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;

  for (const char *p = host; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (".-_:[]", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* Percent-encodes whatever is not allowed in a URI (", <, >, `, {, }, |,
 * \, ^, spaces, non-ASCII), so that the result is plain ASCII. Takes @url. */
static char *
escape_unsafe (char *url)
{
  static const char allowed[] = "-._~:/?#[]@!$&'()*+,;=%";
  GString *out;

  if (url == NULL)
    return NULL;

  out = g_string_sized_new (strlen (url));
  for (const char *p = url; *p; p++)
    {
      guchar c = (guchar) *p;

      if (g_ascii_isalnum (c) || (c < 0x80 && strchr (allowed, c) != NULL))
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "%%%02X", c);
    }
  g_free (url);

  return g_string_free (out, FALSE);
}

/* GUri refuses to write a host followed by a path without a leading '/',
 * or a path starting with "//" without a host ("p:/.//" resolves to it). */
static gboolean
is_writable (GUri *uri)
{
  const char *path = g_uri_get_path (uri);

  if (g_uri_get_host (uri) == NULL)
    return path[0] != '/' || path[1] != '/';
  return path[0] == '\0' || path[0] == '/';
}

char *
_kq_url_resolve (const char *base,
                 const char *ref,
                 GUriFlags   flags)
{
  g_autoptr(GUri) base_uri = NULL;
  g_autoptr(GUri) uri = NULL;

  flags |= G_URI_FLAGS_ENCODED;
  if (ref == NULL)
    return NULL;
  if (base != NULL && (base_uri = g_uri_parse (base, flags, NULL)) == NULL)
    return NULL;
  uri = g_uri_parse_relative (base_uri, ref, flags, NULL);
  if (uri == NULL || !is_writable (uri))
    return NULL;

  return g_uri_to_string (uri);
}

/* Parses an absolute URL and rebuilds it without user info, with a
 * lower-case host; NULL unless it is a usable http(s) URL. */
static char *
normalise_absolute (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) rebuilt = NULL;
  g_autofree char *host = NULL;

  uri = g_uri_parse (url, URI_FLAGS, NULL);
  if (uri == NULL)
    return NULL;
  if (!is_http_scheme (g_uri_get_scheme (uri)))
    return NULL;
  if (!host_is_valid (g_uri_get_host (uri)))
    return NULL;
  /* The relaxed parser ends the host at a ';' ("https://a;b.fr/x" is host
   * "a", path ";b.fr/x"): a browser sees a host with a ';', invalid. */
  if (!is_writable (uri))
    return NULL;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  rebuilt = g_uri_build (URI_FLAGS,
                         g_uri_get_scheme (uri),
                         NULL,
                         host,
                         g_uri_get_port (uri),
                         g_uri_get_path (uri),
                         g_uri_get_query (uri),
                         g_uri_get_fragment (uri));

  return escape_unsafe (g_uri_to_string (rebuilt));
}

/* Fast path, for the common shapes in article bodies: a path, query and
 * fragment of plain URI characters without dot segments. GUri would return
 * them unchanged. */
static gboolean
is_plain_path (const char *p)
{
  static const char allowed[] = "-._~:/?#[]@!$&'()*+,;=%";
  const char *segment = p;

  if (*p != '/')
    return FALSE;

  for (; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '?' || c == '#')
        break;
      if (c == '/')
        {
          gsize n = p - segment;

          /* "/." and "/.." segments are left to GUri. */
          if ((n == 2 && segment[1] == '.') || (n == 3 && segment[1] == '.' && segment[2] == '.'))
            return FALSE;
          segment = p;
          continue;
        }
      if (!g_ascii_isalnum (c) && (c >= 0x80 || strchr (allowed, c) == NULL))
        return FALSE;
    }
  {
    gsize n = p - segment;

    if ((n == 2 && segment[1] == '.') || (n == 3 && segment[1] == '.' && segment[2] == '.'))
      return FALSE;
  }
  for (; *p; p++)
    {
      guchar c = (guchar) *p;

      if (!g_ascii_isalnum (c) && (c >= 0x80 || strchr (allowed, c) == NULL))
        return FALSE;
    }
  return TRUE;
}

/* "http(s)://host" with a lower-case host and no port, user info or
 * anything unusual; returns the length of that origin or 0. */
static gsize
plain_origin_length (const char *url)
{
  const char *p;

  if (strncmp (url, "https://", 8) == 0)
    p = url + 8;
  else if (strncmp (url, "http://", 7) == 0)
    p = url + 7;
  else
    return 0;

  if (*p == '\0' || *p == '/' || *p == '.' || *p == '-')
    return 0;
  for (; *p && *p != '/'; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '-'))
        return 0;
    }

  return p - url;
}

static char *
sanitize_fast (const char *url,
               const char *clean_base)
{
  gsize origin;

  if (url[0] == 'h')
    {
      origin = plain_origin_length (url);
      if (origin > 0 && is_plain_path (url + origin))
        return g_strdup (url);
    }
  else if (url[0] == '/' && url[1] != '/' && clean_base != NULL)
    {
      origin = plain_origin_length (clean_base);
      if (origin > 0 && is_plain_path (url))
        {
          char *out = g_malloc (origin + strlen (url) + 1);

          memcpy (out, clean_base, origin);
          strcpy (out + origin, url);
          return out;
        }
    }
  return NULL;
}

static char *
sanitize (const char *url,
          const char *base,
          gboolean    base_is_clean)
{
  g_autofree char *clean = NULL;
  gsize scheme_len;
  g_autofree char *base_abs = NULL;
  g_autofree char *resolved = NULL;

  if (url == NULL)
    return NULL;

  {
    char *fast = sanitize_fast (url, base_is_clean ? base : NULL);

    if (fast != NULL)
      return fast;
  }

  clean = clean_input (url);
  if (clean == NULL || *clean == '\0')
    return NULL;

  scheme_len = scheme_length (clean);
  if (scheme_len > 0)
    {
      if (!((scheme_len == 4 && g_ascii_strncasecmp (clean, "http", 4) == 0) ||
            (scheme_len == 5 && g_ascii_strncasecmp (clean, "https", 5) == 0)))
        return NULL;
      /* "https:foo" style (scheme, no authority) is relative to a base of
       * the same scheme in old browsers; refuse it, it is never meant. */
      if (strncmp (clean + scheme_len, "://", 3) != 0)
        return NULL;
      return normalise_absolute (clean);
    }

  /* Relative: needs an http(s) base. */
  if (base == NULL)
    return NULL;
  if (!base_is_clean)
    {
      base_abs = sanitize (base, NULL, FALSE);
      if (base_abs == NULL)
        return NULL;
      base = base_abs;
    }

  resolved = _kq_url_resolve (base, clean, URI_FLAGS);
  if (resolved == NULL)
    return NULL;

  return normalise_absolute (resolved);
}

char *
kq_html_sanitize_url (const char *url,
                      const char *base)
{
  return sanitize (url, base, FALSE);
}

char *
_kq_url_sanitize_with_clean_base (const char *url,
                                  const char *clean_base)
{
  return sanitize (url, clean_base, TRUE);
}

gboolean
kq_url_is_http (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, URI_FLAGS, NULL);

  return uri != NULL &&
         is_http_scheme (g_uri_get_scheme (uri)) &&
         host_is_valid (g_uri_get_host (uri));
}
