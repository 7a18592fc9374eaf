/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-test-server"

#include "config.h"

#include <string.h>

#include "kq-test-server-private.h"

/* The site as a browser and a feed reader see it: RSS feeds, HTML pages, uploads. */

static char *
rfc822 (const char *iso_gmt)
{
  static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) dt = _kq_test_server_parse_gmt (iso_gmt);

  return g_strdup_printf ("%s, %02d %s %d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

static void
send_feed (KqTestServer      *self,
           SoupServerMessage *msg,
           GHashTable        *query,
           const char        *title_xml,
           const char        *self_url,
           const char        *link,
           GPtrArray         *posts)
{
  guint paged = 1;
  guint from, to;
  const char *paged_str = _kq_test_server_param (query, "paged");
  g_autoptr(GString) out = g_string_sized_new (65536);
  g_autofree char *build_date = NULL;
  g_autofree char *self_xml = g_markup_escape_text (self_url, -1);
  g_autofree char *link_xml = g_markup_escape_text (link, -1);

  if (paged_str)
    paged = MAX (1, (guint) g_ascii_strtoull (paged_str, NULL, 10));
  from = MIN ((paged - 1) * FEED_PER_PAGE, posts->len);
  to = MIN (from + FEED_PER_PAGE, posts->len);
  if (paged > 1 && from >= posts->len)
    {
      _kq_test_server_send_not_found (self, msg, "/feed/");
      return;
    }

  build_date = rfc822 (to > from ? _kq_test_server_max_modified (posts, from, to) : self->site->modified_gmt);
  g_string_append_printf (out,
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"\n"
    "\txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    "\txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n"
    "\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
    "\txmlns:atom=\"http://www.w3.org/2005/Atom\"\n"
    "\txmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\"\n"
    "\txmlns:slash=\"http://purl.org/rss/1.0/modules/slash/\"\n"
    "\t>\n\n<channel>\n"
    "\t<title>%s</title>\n"
    "\t<atom:link href=\"%s\" rel=\"self\" type=\"application/rss+xml\" />\n"
    "\t<link>%s</link>\n"
    "\t<description>%s</description>\n"
    "\t<lastBuildDate>%s</lastBuildDate>\n"
    "\t<language>fr-FR</language>\n"
    "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n"
    "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
    "\t<generator>https://wordpress.org/?v=6.7.1</generator>\n\n"
    "<image>\n\t<url>{{SITE}}/wp-content/uploads/avatars/camille-rousseau-96.png</url>\n"
    "\t<title>%s</title>\n\t<link>%s</link>\n\t<width>32</width>\n\t<height>32</height>\n</image> \n",
    title_xml, self_xml, link_xml, self->site->description, build_date, title_xml, link_xml);

  for (guint i = from; i < to; i++)
    {
      KqSitePost *p = g_ptr_array_index (posts, i);
      g_autofree char *pub = rfc822 (p->date_gmt);
      JsonObject *content = json_object_get_object_member (p->post, "content");
      const char *link_post = json_object_get_string_member (p->post, "link");
      JsonObject *emb_terms;

      g_string_append_printf (out,
        "\t<item>\n"
        "\t\t<title>%s</title>\n"
        "\t\t<link>%s</link>\n"
        "\t\t\t\t\t<comments>%s#respond</comments>\n"
        "\t\t\n"
        "\t\t<dc:creator><![CDATA[%s]]></dc:creator>\n"
        "\t\t<pubDate>%s</pubDate>\n",
        p->rss_title, link_post, link_post, p->author_name, pub);
      emb_terms = p->embedded;
      {
        JsonArray *terms = json_object_get_array_member (emb_terms, "wp:term");

        for (guint t = 0; terms && t < json_array_get_length (terms); t++)
          {
            JsonArray *group = json_array_get_array_element (terms, t);

            for (guint k = 0; k < json_array_get_length (group); k++)
              {
                JsonObject *term = json_array_get_object_element (group, k);

                g_string_append_printf (out, "\t\t<category><![CDATA[%s]]></category>\n",
                                        json_object_get_string_member (term, "name"));
              }
          }
      }
      g_string_append_printf (out,
        "\t\t<guid isPermaLink=\"false\">{{SITE}}/?p=%" G_GINT64_FORMAT "</guid>\n\n"
        "\t\t\t\t\t<description><![CDATA[%s]]></description>\n"
        "\t\t\t\t\t\t\t\t\t\t<content:encoded><![CDATA[%s]]></content:encoded>\n"
        "\t\t\t\t\t\n"
        "\t\t\t\t\t<wfw:commentRss>%sfeed/</wfw:commentRss>\n"
        "\t\t\t<slash:comments>%u</slash:comments>\n"
        "\t\t\n"
        "\t\t\n"
        "\t\t<post-id xmlns=\"com-wordpress:feed-additions:1\">%" G_GINT64_FORMAT "</post-id>\t</item>\n",
        p->id, p->rss_description, json_object_get_string_member (content, "rendered"),
        link_post, p->comment_count, p->id);
    }
  g_string_append (out, "\t</channel>\n</rss>\n");

  _kq_test_server_send_cacheable (self, msg, RSS_TYPE, _kq_test_server_subst (self, out->str, FALSE),
                  to > from ? _kq_test_server_max_modified (posts, from, to) : NULL);
}

static char *
head_links (KqTestServer *self,
            const char   *extra)
{
  GString *head = g_string_new (NULL);

  g_string_append_printf (head,
    "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"%s &raquo; Flux\" href=\"%s/feed/\" />\n"
    "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"%s &raquo; Flux des commentaires\" "
    "href=\"%s/comments/feed/\" />\n",
    self->site->name, self->url, self->site->name, self->url);
  if (self->rest_enabled)
    g_string_append_printf (head, "<link rel=\"https://api.w.org/\" href=\"%s/wp-json/\" />\n", self->url);
  g_string_append_printf (head, "<meta name=\"generator\" content=\"WordPress 6.7.1\" />\n");
  g_string_append_printf (head, "<meta property=\"og:site_name\" content=\"%s\" />\n",
                          self->site->name);
  if (extra)
    g_string_append (head, extra);
  return g_string_free (head, FALSE);
}

static void
append_post_list_html (GString   *out,
                       GPtrArray *posts,
                       guint      from,
                       guint      to)
{
  for (guint i = from; i < MIN (to, posts->len); i++)
    {
      KqSitePost *p = g_ptr_array_index (posts, i);
      JsonObject *excerpt = json_object_get_object_member (p->post, "excerpt");

      g_string_append_printf (out,
        "<article id=\"post-%" G_GINT64_FORMAT "\" class=\"post\">\n"
        "<h2 class=\"entry-title\"><a href=\"%s\" rel=\"bookmark\">%s</a></h2>\n"
        "<time datetime=\"%s+00:00\">%s</time>\n%s</article>\n",
        p->id, json_object_get_string_member (p->post, "link"), p->title_rendered,
        p->date_gmt, p->date, json_object_get_string_member (excerpt, "rendered"));
    }
}

static void
send_page (KqTestServer      *self,
           SoupServerMessage *msg,
           const char        *title,
           const char        *head_extra,
           const char        *body)
{
  g_autofree char *head = head_links (self, head_extra);
  g_autofree char *head_s = _kq_test_server_subst (self, head, FALSE);
  g_autofree char *body_s = _kq_test_server_subst (self, body, FALSE);

  if (self->rest_enabled)
    {
      g_autofree char *api = g_strdup_printf ("<%s/wp-json/>; rel=\"https://api.w.org/\"", self->url);

      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Link", api);
    }
  _kq_test_server_send_html_page (self, msg, SOUP_STATUS_OK, title, head_s, body_s);
}

void
_kq_test_server_handle_site (KqTestServer      *self,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query)
{
  const char *s = _kq_test_server_param (query, "s");
  const char *feed = _kq_test_server_param (query, "feed");
  const char *p = _kq_test_server_param (query, "p");
  const char *cat = _kq_test_server_param (query, "cat");
  const char *category_name = _kq_test_server_param (query, "category_name");
  g_autofree char *cat_from_name = NULL;

  /* "?category_name=SLUG" is "?cat=ID" by the category's slug. */
  if (category_name != NULL && cat == NULL)
    {
      JsonObject *category = _kq_site_category_by_path (self->site, category_name);

      if (category == NULL)
        {
          _kq_test_server_send_not_found (self, msg, path);
          return;
        }
      cat = cat_from_name = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             json_object_get_int_member (category, "id"));
    }

  if (g_str_equal (path, "/") && p != NULL)
    {
      gint64 id = g_ascii_strtoll (p, NULL, 10);
      KqSitePost *post = g_hash_table_lookup (self->site->post_by_id, &id);

      if (post == NULL || !_kq_test_server_is_published (self, post))
        {
          _kq_test_server_send_not_found (self, msg, path);
          return;
        }
      {
        g_autofree char *loc = g_strconcat (self->url, post->path, NULL);

        soup_server_message_set_redirect (msg, SOUP_STATUS_MOVED_PERMANENTLY, loc);
      }
      return;
    }

  if (g_str_equal (path, "/") && s != NULL)
    {
      g_autoptr(GHashTable) q = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) posts = NULL;
      g_autofree char *esc = g_markup_escape_text (s, -1);

      g_hash_table_insert (q, (char *) "search", (char *) s);
      posts = _kq_test_server_select_posts (self, q);
      if (feed != NULL)
        {
          g_autofree char *title = g_strdup_printf ("%s &#187; Résultats de recherche pour &#171;&#160;%s&#160;&#187;",
                                                    self->site->name, esc);
          g_autofree char *esc_uri = g_uri_escape_string (s, NULL, TRUE);
          g_autofree char *self_url = g_strdup_printf ("%s/?s=%s&feed=rss2", self->url, esc_uri);

          send_feed (self, msg, query, title, self_url, self->url, posts);
        }
      else
        {
          g_autoptr(GString) body = g_string_new (NULL);
          g_autofree char *title = g_strdup_printf ("Résultats de recherche pour « %s » – %s", esc, self->site->name);

          g_string_append_printf (body, "<h1>Résultats de recherche pour « %s »</h1>\n", esc);
          append_post_list_html (body, posts, 0, 10);
          send_page (self, msg, title, NULL, body->str);
        }
      return;
    }

  if ((g_str_equal (path, "/") && feed != NULL && cat == NULL) ||
      g_str_equal (path, "/feed/") || g_str_equal (path, "/feed"))
    {
      g_autoptr(GPtrArray) posts = _kq_test_server_select_posts (self, NULL);
      g_autofree char *self_url = g_strdup_printf ("%s/feed/", self->url);

      send_feed (self, msg, query, self->site->name, self_url, self->url, posts);
      return;
    }

  if (g_str_equal (path, "/"))
    {
      g_autoptr(GPtrArray) posts = NULL;
      g_autoptr(GString) body = g_string_new (NULL);

      if (cat != NULL)
        {
          g_autoptr(GHashTable) q = g_hash_table_new (g_str_hash, g_str_equal);

          g_hash_table_insert (q, (char *) "categories", (char *) cat);
          posts = _kq_test_server_select_posts (self, q);
          if (feed != NULL)
            {
              g_autofree char *self_url = g_strdup_printf ("%s/?cat=%s&feed=rss2", self->url, cat);

              send_feed (self, msg, query, self->site->name, self_url, self->url, posts);
              return;
            }
        }
      else
        {
          posts = _kq_test_server_select_posts (self, NULL);
        }
      g_string_append_printf (body, "<h1 class=\"site-title\">%s</h1>\n", self->site->name);
      append_post_list_html (body, posts, 0, 10);
      send_page (self, msg, self->site->name, NULL, body->str);
      return;
    }

  if (g_str_has_prefix (path, "/category/"))
    {
      g_autofree char *rel = g_strdup (path + strlen ("/category/"));
      gboolean is_feed = FALSE;
      JsonObject *category;
      gsize len;

      /* Strip slashes and a trailing "feed" segment. */
      len = strlen (rel);
      while (len > 0 && rel[len - 1] == '/')
        rel[--len] = '\0';
      if (g_str_has_suffix (rel, "/feed") || g_str_equal (rel, "feed"))
        {
          is_feed = TRUE;
          len = len >= 5 ? len - 5 : 0;
          rel[len] = '\0';
          while (len > 0 && rel[len - 1] == '/')
            rel[--len] = '\0';
        }
      category = *rel ? _kq_site_category_by_path (self->site, rel) : NULL;
      if (category == NULL)
        {
          _kq_test_server_send_not_found (self, msg, path);
          return;
        }
      {
        g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   json_object_get_int_member (category, "id"));
        g_autoptr(GHashTable) q = g_hash_table_new (g_str_hash, g_str_equal);
        g_autoptr(GPtrArray) posts = NULL;
        g_autofree char *link = _kq_test_server_subst (self, json_object_get_string_member (category, "link"), FALSE);
        const char *name = json_object_get_string_member (category, "name");

        g_hash_table_insert (q, (char *) "categories", id_str);
        posts = _kq_test_server_select_posts (self, q);
        if (is_feed)
          {
            g_autofree char *title = g_strdup_printf ("%s &#187; %s", self->site->name, name);
            g_autofree char *self_url = g_strconcat (link, "feed/", NULL);
            g_autofree char *link_no_slash = g_strndup (link, strlen (link) - 1);

            send_feed (self, msg, query, title, self_url, link_no_slash, posts);
          }
        else
          {
            g_autoptr(GString) body = g_string_new (NULL);
            g_autofree char *title = g_strdup_printf ("Archives des %s – %s", name, self->site->name);
            g_autofree char *head = NULL;

            head = g_strdup_printf (
              "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"%s &raquo; Flux de la catégorie %s\" "
              "href=\"%sfeed/\" />\n%s",
              self->site->name, name, link,
              self->rest_enabled ? "" : "");
            if (self->rest_enabled)
              {
                g_autofree char *api = g_strdup_printf (
                  "<link rel=\"alternate\" title=\"JSON\" type=\"application/json\" "
                  "href=\"%s/wp-json/wp/v2/categories/%s\" />\n", self->url, id_str);
                char *tmp = g_strconcat (head, api, NULL);

                g_free (head);
                head = tmp;
              }
            g_string_append_printf (body, "<h1 class=\"page-title\">%s</h1>\n", name);
            append_post_list_html (body, posts, 0, 10);
            send_page (self, msg, title, head, body->str);
          }
      }
      return;
    }

  {
    g_autofree char *key = g_str_has_suffix (path, "/") ? g_strdup (path) : g_strconcat (path, "/", NULL);
    KqSitePost *post = g_hash_table_lookup (self->site->post_by_path, key);

    if (post != NULL && _kq_test_server_is_published (self, post))
      {
        JsonObject *content = json_object_get_object_member (post->post, "content");
        g_autoptr(GString) body = g_string_new (NULL);
        g_autoptr(GString) head = g_string_new (NULL);
        g_autofree char *title = g_strdup_printf ("%s – %s", post->title_rendered, self->site->name);
        JsonObject *emb = post->embedded;
        JsonArray *fm = json_object_get_array_member (emb, "wp:featuredmedia");

        if (self->rest_enabled)
          g_string_append_printf (head,
            "<link rel=\"alternate\" title=\"JSON\" type=\"application/json\" "
            "href=\"%s/wp-json/wp/v2/posts/%" G_GINT64_FORMAT "\" />\n", self->url, post->id);
        g_string_append_printf (head, "<link rel=\"canonical\" href=\"{{SITE}}%s\" />\n"
                                "<meta property=\"og:title\" content=\"%s\" />\n",
                                post->path, post->title_rendered);
        if (fm && json_object_has_member (json_array_get_object_element (fm, 0), "source_url"))
          g_string_append_printf (head, "<meta property=\"og:image\" content=\"%s\" />\n",
                                  json_object_get_string_member (json_array_get_object_element (fm, 0),
                                                                 "source_url"));
        g_string_append_printf (body,
          "<article id=\"post-%" G_GINT64_FORMAT "\">\n<h1 class=\"entry-title\">%s</h1>\n"
          "<p class=\"byline\">Par %s, le <time datetime=\"%s+00:00\">%s</time></p>\n"
          "<div class=\"entry-content\">\n%s</div>\n</article>\n",
          post->id, post->title_rendered, post->author_name, post->date_gmt, post->date,
          json_object_get_string_member (content, "rendered"));
        send_page (self, msg, title, head->str, body->str);
        return;
      }
  }

  _kq_test_server_send_not_found (self, msg, path);
}

void
_kq_test_server_handle_upload (KqTestServer      *self,
                               SoupServerMessage *msg,
                               const char        *path)
{
  const char *rel = path + strlen ("/wp-content/uploads/");
  GBytes *bytes = g_hash_table_lookup (self->site->uploads, rel);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *type = "application/octet-stream";
  g_autofree char *sum = NULL;
  g_autofree char *etag = NULL;
  const char *inm;

  if (bytes == NULL)
    {
      _kq_test_server_send_not_found (self, msg, path);
      return;
    }
  if (g_str_has_suffix (rel, ".png"))
    type = "image/png";
  else if (g_str_has_suffix (rel, ".jpg") || g_str_has_suffix (rel, ".jpeg"))
    type = "image/jpeg";
  else if (g_str_has_suffix (rel, ".gif"))
    type = "image/gif";
  else if (g_str_has_suffix (rel, ".webp"))
    type = "image/webp";

  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, bytes);
  etag = g_strdup_printf ("\"%s\"", sum);
  soup_message_headers_replace (resp, "ETag", etag);
  soup_message_headers_replace (resp, "Cache-Control", "max-age=31536000");
  inm = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");
  if (inm && strstr (inm, etag))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}
