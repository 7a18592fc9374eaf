/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-inspect"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "kq-http.h"
#include "kq-inspect-json.h"
#include "kq-inspect.h"
#include "kq-source.h"

/*
 * kiosque-inspect site URL [--page N] [--category ID] [--search WORDS]
 *                          [--per-page N] [--post ID] [--comments POST_ID]
 *
 * What a KqSource finds at URL: its mode, its categories and one page of
 * posts (the first by default), as JSON:
 *   { "url", "mode", "title", "categories": [...], "page", "total_pages",
 *     "posts": [...], "post": {...}, "comments": [...] }
 * ("post" and "comments" only when asked for).
 */

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

GBytes *
kq_inspect_fetch_url (const char  *url,
                      char       **final_uri,
                      GError     **error)
{
  g_autoptr(KqHttp) http = kq_http_new ();
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  kq_http_get_async (http, url, KQ_HTTP_FLAGS_NONE, NULL, got_result_cb, &result);
  response = kq_http_get_finish (http, wait_for (&result), error);
  if (response == NULL)
    return NULL;

  if (final_uri != NULL)
    *final_uri = g_strdup (kq_http_response_get_uri (response));

  return g_bytes_ref (kq_http_response_get_body (response));
}

/* "feed FILE|URL": a URL is fetched with KqHttp, a file goes to kq_inspect_feed(). */
int
kq_inspect_feed_or_url (int    argc,
                        char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *final_uri = NULL;
  g_autofree char *json = NULL;
  const char *url = NULL;
  const char *source = NULL;

  /* The positional argument decides; options with a value are skipped. */
  for (int i = 1; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--source") == 0 || g_strcmp0 (argv[i], "--base-url") == 0)
        {
          if (g_strcmp0 (argv[i], "--source") == 0 && i + 1 < argc)
            source = argv[i + 1];
          i++;
        }
      else if (g_str_has_prefix (argv[i], "--source="))
        source = argv[i] + strlen ("--source=");
      else if (g_str_has_prefix (argv[i], "http://") || g_str_has_prefix (argv[i], "https://"))
        url = argv[i];
    }

  if (url == NULL)
    return kq_inspect_feed (argc, argv);

  body = kq_inspect_fetch_url (url, &final_uri, &error);
  if (body == NULL)
    return kq_inspect_fail (error->message);

  json = kq_inspect_parse (KQ_INSPECT_KIND_FEED, body, source != NULL ? source : url, final_uri,
                           &error);
  if (json == NULL)
    return kq_inspect_fail (error->message);

  return kq_inspect_print (json);
}

static int
fail_with_error (const GError *error)
{
  g_autofree char *name = kq_inspect_error_name (error);
  g_autofree char *message = g_strdup_printf ("%s (%s)", error->message, name);

  return kq_inspect_fail (message);
}

static gboolean
parse_id (const char *text,
          gint64     *out)
{
  return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, out, NULL);
}

int
kq_inspect_site (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KqHttp) http = NULL;
  g_autoptr(KqSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *category_text = NULL;
  g_autofree char *post_text = NULL;
  g_autofree char *comments_text = NULL;
  g_autofree char *search = NULL;
  gint64 category_id = 0;
  int page = 1;
  int per_page = 0;
  guint total_pages = 0;
  GOptionEntry entries[] = {
    { "page", 0, 0, G_OPTION_ARG_INT, &page, N_("Page of posts (1 is the first)"), "N" },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category_text, N_("Only this category’s posts"), "ID" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Search instead of listing"), N_("WORDS") },
    { "per-page", 0, 0, G_OPTION_ARG_INT, &per_page, N_("Posts per page"), "N" },
    { "post", 0, 0, G_OPTION_ARG_STRING, &post_text, N_("Also fetch this post"), "ID" },
    { "comments", 0, 0, G_OPTION_ARG_STRING, &comments_text, N_("Also list this post’s comments"), "ID" },
    { NULL }
  };

  context = g_option_context_new (_("URL"));
  g_option_context_set_summary (context, _("Shows what Kiosque finds on a site: its mode, its categories and a page of posts."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return kq_inspect_fail (error->message);
  if (argc != 2)
    return kq_inspect_fail (_("Expected exactly one site URL."));
  if (page < 1)
    return kq_inspect_fail (_("The page must be 1 or more."));
  if (category_text != NULL && !parse_id (category_text, &category_id))
    return kq_inspect_fail (_("A category is given by its number."));

  http = kq_http_new ();
  source = kq_source_new (http, argv[1]);
  if (per_page > 0)
    kq_source_set_per_page (source, per_page);

  {
    g_autoptr(GAsyncResult) result = NULL;

    kq_source_list_categories_async (source, NULL, got_result_cb, &result);
    categories = kq_source_list_categories_finish (source, wait_for (&result), &error);
    if (categories == NULL)
      return fail_with_error (error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;

    if (search != NULL)
      {
        kq_source_search_async (source, search, page, NULL, got_result_cb, &result);
        posts = kq_source_search_finish (source, wait_for (&result), &total_pages, &error);
      }
    else
      {
        kq_source_list_posts_async (source, category_id, page, NULL, got_result_cb, &result);
        posts = kq_source_list_posts_finish (source, wait_for (&result), &total_pages, &error);
      }
    if (posts == NULL)
      return fail_with_error (error);
  }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, kq_source_get_url (source));
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, kq_source_mode_to_string (kq_source_get_mode (source)));
  json_builder_set_member_name (builder, "title");
  if (kq_source_get_title (source) != NULL)
    json_builder_add_string_value (builder, kq_source_get_title (source));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "categories");
  json_builder_add_value (builder, kq_inspect_json_list (categories));
  if (search != NULL)
    {
      json_builder_set_member_name (builder, "search");
      json_builder_add_string_value (builder, search);
    }
  if (category_id != 0)
    {
      json_builder_set_member_name (builder, "category");
      json_builder_add_int_value (builder, category_id);
    }
  json_builder_set_member_name (builder, "page");
  json_builder_add_int_value (builder, page);
  json_builder_set_member_name (builder, "total_pages");
  json_builder_add_int_value (builder, total_pages);
  json_builder_set_member_name (builder, "posts");
  json_builder_add_value (builder, kq_inspect_json_list (posts));

  if (post_text != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(KqArticle) article = NULL;
      gint64 id;

      if (!parse_id (post_text, &id))
        return kq_inspect_fail (_("A post is given by its number."));
      kq_source_get_post_async (source, id, NULL, got_result_cb, &result);
      article = kq_source_get_post_finish (source, wait_for (&result), &error);
      if (article == NULL)
        return fail_with_error (error);
      json_builder_set_member_name (builder, "post");
      json_builder_add_value (builder, kq_inspect_json_article (article));
    }

  if (comments_text != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) comments = NULL;
      gint64 id;

      if (!parse_id (comments_text, &id))
        return kq_inspect_fail (_("A post is given by its number."));
      kq_source_list_comments_async (source, id, NULL, got_result_cb, &result);
      comments = kq_source_list_comments_finish (source, wait_for (&result), &error);
      if (comments == NULL)
        return fail_with_error (error);
      json_builder_set_member_name (builder, "comments");
      json_builder_add_value (builder, kq_inspect_json_list (comments));
    }

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = kq_inspect_json_to_string (root);

  return kq_inspect_print (text);
}
