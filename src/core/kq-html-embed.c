/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kq-html-private.h"
#include "kq-url.h"

static gboolean
is_valid_id (const char *id)
{
  gsize len = 0;

  if (id == NULL)
    return FALSE;
  for (const char *p = id; *p; p++, len++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
        return FALSE;
    }
  return len > 0 && len <= 64;
}

/* The @n-th path segment (0-based), newly allocated, or NULL. */
static char *
path_segment (const char *path,
              guint       n)
{
  g_auto(GStrv) parts = NULL;
  guint k = 0;

  if (path == NULL)
    return NULL;

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (k++ == n)
        return g_strdup (parts[i]);
    }
  return NULL;
}

static char *
query_param (GUri       *uri,
             const char *name)
{
  g_autoptr(GHashTable) params = NULL;
  const char *query = g_uri_get_query (uri);

  if (query == NULL)
    return NULL;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return NULL;

  return g_strdup (g_hash_table_lookup (params, name));
}

static gboolean
host_is (const char *host,
         const char *domain)
{
  gsize hl = strlen (host);
  gsize dl = strlen (domain);

  if (hl == dl)
    return g_ascii_strcasecmp (host, domain) == 0;
  if (hl > dl && host[hl - dl - 1] == '.')
    return g_ascii_strcasecmp (host + hl - dl, domain) == 0;
  return FALSE;
}

static char *
youtube_id (GUri       *uri,
            const char *host)
{
  const char *path = g_uri_get_path (uri);
  g_autofree char *first = path_segment (path, 0);

  if (host_is (host, "youtu.be"))
    return g_steal_pointer (&first);

  if (first == NULL)
    return NULL;
  if (g_str_equal (first, "watch"))
    return query_param (uri, "v");
  if (g_str_equal (first, "embed") || g_str_equal (first, "shorts") ||
      g_str_equal (first, "v") || g_str_equal (first, "live"))
    return path_segment (path, 1);

  return NULL;
}

static char *
vimeo_id (GUri       *uri,
          const char *host)
{
  const char *path = g_uri_get_path (uri);
  g_autofree char *last = NULL;

  /* player.vimeo.com/video/ID, vimeo.com/ID, vimeo.com/channels/x/ID */
  for (guint i = 0;; i++)
    {
      char *seg = path_segment (path, i);

      if (seg == NULL)
        break;
      if (seg[0] != '\0' && strspn (seg, "0123456789") == strlen (seg))
        {
          g_free (last);
          last = seg;
        }
      else
        g_free (seg);
    }

  return g_steal_pointer (&last);
}

static char *
dailymotion_id (GUri       *uri,
                const char *host)
{
  const char *path = g_uri_get_path (uri);
  g_autofree char *first = path_segment (path, 0);
  char *id = NULL;

  if (host_is (host, "dai.ly"))
    id = g_steal_pointer (&first);
  else if (first != NULL && g_str_equal (first, "embed"))
    id = path_segment (path, 2);
  else if (first != NULL && g_str_equal (first, "video"))
    id = path_segment (path, 1);
  else
    id = query_param (uri, "video");

  /* "x7tgad0_un-titre" → "x7tgad0" */
  if (id != NULL && strchr (id, '_') != NULL)
    *strchr (id, '_') = '\0';

  return id;
}

gboolean
_kq_html_detect_embed (const char       *url,
                       const char       *youtube_posters,
                       KqEmbedProvider  *provider,
                       char            **target,
                       char            **video_id,
                       char            **thumbnail_url)
{
  g_autofree char *clean = kq_html_sanitize_url (url, NULL);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *id = NULL;
  const char *host;

  *provider = KQ_EMBED_PROVIDER_OTHER;
  *target = NULL;
  *video_id = NULL;
  *thumbnail_url = NULL;

  if (clean == NULL)
    return FALSE;

  uri = g_uri_parse (clean, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return FALSE;
  host = g_uri_get_host (uri);

  if (host_is (host, "youtube.com") || host_is (host, "youtube-nocookie.com") ||
      host_is (host, "youtu.be"))
    {
      id = youtube_id (uri, host);
      if (is_valid_id (id))
        {
          *provider = KQ_EMBED_PROVIDER_YOUTUBE;
          *target = g_strdup_printf ("https://www.youtube.com/watch?v=%s", id);
          *thumbnail_url = g_strdup_printf ("%s%s/hqdefault.jpg", youtube_posters, id);
          *video_id = g_steal_pointer (&id);
          return TRUE;
        }
    }
  else if (host_is (host, "vimeo.com"))
    {
      id = vimeo_id (uri, host);
      if (is_valid_id (id))
        {
          *provider = KQ_EMBED_PROVIDER_VIMEO;
          *target = g_strdup_printf ("https://vimeo.com/%s", id);
          *video_id = g_steal_pointer (&id);
          return TRUE;
        }
    }
  else if (host_is (host, "dailymotion.com") || host_is (host, "dai.ly"))
    {
      id = dailymotion_id (uri, host);
      if (is_valid_id (id))
        {
          *provider = KQ_EMBED_PROVIDER_DAILYMOTION;
          *target = g_strdup_printf ("https://www.dailymotion.com/video/%s", id);
          *thumbnail_url = g_strdup_printf ("https://www.dailymotion.com/thumbnail/video/%s", id);
          *video_id = g_steal_pointer (&id);
          return TRUE;
        }
    }
  else if (host_is (host, "twitter.com") || host_is (host, "x.com"))
    {
      *provider = KQ_EMBED_PROVIDER_TWITTER;
      id = query_param (uri, "id");
      /* platform.twitter.com/embed/Tweet.html?id=N */
      if (id != NULL && strspn (id, "0123456789") == strlen (id) && *id != '\0')
        *target = g_strdup_printf ("https://twitter.com/i/status/%s", id);
      else
        *target = g_steal_pointer (&clean);
      return TRUE;
    }

  *provider = KQ_EMBED_PROVIDER_OTHER;
  *target = g_steal_pointer (&clean);
  return TRUE;
}

/* srcset, after the HTML "parse a srcset attribute" algorithm, simplified. */

typedef struct {
  char   *url;
  double  width;   /* w descriptor, 0 if none */
  double  density; /* x descriptor, 0 if none */
} Candidate;

static void
candidate_clear (gpointer data)
{
  Candidate *c = data;

  g_free (c->url);
}

static GArray *
parse_srcset (const char *srcset)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (Candidate));
  const char *p = srcset;

  g_array_set_clear_func (out, candidate_clear);

  while (*p)
    {
      const char *url_start;
      const char *url_end;
      Candidate c = { 0, };
      gboolean bad = FALSE;

      while (*p && (g_ascii_isspace (*p) || *p == ','))
        p++;
      if (*p == '\0')
        break;

      url_start = p;
      while (*p && !g_ascii_isspace (*p))
        p++;
      url_end = p;

      if (url_end > url_start && url_end[-1] == ',')
        {
          while (url_end > url_start && url_end[-1] == ',')
            url_end--;
        }
      else
        {
          /* Descriptors up to the next comma. */
          while (*p && *p != ',')
            {
              const char *d;
              char *end = NULL;
              double value;

              while (*p && g_ascii_isspace (*p))
                p++;
              d = p;
              while (*p && !g_ascii_isspace (*p) && *p != ',')
                p++;
              if (p == d)
                continue;

              value = g_ascii_strtod (d, &end);
              if (end == p - 1 && (*end == 'w' || *end == 'W') && value > 0 && value < 100000)
                c.width = value;
              else if (end == p - 1 && (*end == 'x' || *end == 'X') && value > 0 && value < 100)
                c.density = value;
              else if (end == p - 1 && (*end == 'h' || *end == 'H'))
                ;
              else
                bad = TRUE;
            }
        }

      if (url_end > url_start && !bad && !(c.width > 0 && c.density > 0))
        {
          c.url = g_strndup (url_start, url_end - url_start);
          g_array_append_val (out, c);
        }
    }

  return out;
}

char *
_kq_html_pick_srcset (const char *srcset,
                      guint       width,
                      guint       target_width)
{
  g_autoptr(GArray) candidates = NULL;
  const Candidate *best_above = NULL;
  const Candidate *largest = NULL;
  double best_above_w = 0, largest_w = 0;

  if (srcset == NULL || *srcset == '\0')
    return NULL;

  candidates = parse_srcset (srcset);
  for (guint i = 0; i < candidates->len; i++)
    {
      const Candidate *c = &g_array_index (candidates, Candidate, i);
      double density = c->density > 0 ? c->density : 1.0;
      double w;

      if (c->width > 0)
        w = c->width;
      else
        w = density * (width > 0 ? width : target_width);

      if (w >= target_width && (best_above == NULL || w < best_above_w))
        {
          best_above = c;
          best_above_w = w;
        }
      if (largest == NULL || w > largest_w)
        {
          largest = c;
          largest_w = w;
        }
    }

  if (best_above != NULL)
    return g_strdup (best_above->url);
  if (largest != NULL)
    return g_strdup (largest->url);
  return NULL;
}
