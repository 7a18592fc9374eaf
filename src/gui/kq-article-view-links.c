/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-article-view"

#include "config.h"

#include <string.h>

#include "kq-article-view-private.h"
#include "kq-url.h"

/* Links: which ones are the site's articles, and opening the others in the browser. */

static void
on_launched_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree char *uri = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

gboolean
_kq_article_view_default_launcher (KqArticleView *self,
                                   const char    *uri,
                                   gpointer       user_data)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  g_autoptr(GdkAppLaunchContext) context = gdk_display_get_app_launch_context (display);

  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           on_launched_cb, g_strdup (uri));
  return TRUE;
}

static gboolean
same_site (GUri       *a,
           const char *url)
{
  g_autoptr(GUri) b = NULL;

  if (url == NULL || (b = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) == NULL)
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_host (a) ? g_uri_get_host (a) : "",
                             g_uri_get_host (b) ? g_uri_get_host (b) : "") == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

void
kq_article_view_set_uri_launcher (KqArticleView  *self,
                                  KqUriLauncher   launcher,
                                  gpointer        user_data,
                                  GDestroyNotify  destroy)
{
  g_return_if_fail (KQ_IS_ARTICLE_VIEW (self));

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);

  self->launcher = launcher != NULL ? launcher : _kq_article_view_default_launcher;
  self->launcher_data = launcher != NULL ? user_data : NULL;
  self->launcher_destroy = launcher != NULL ? destroy : NULL;
}

gboolean
kq_article_view_open_uri (KqArticleView *self,
                          const char    *uri)
{
  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  /* Only the web: never javascript:, file:, data: or an app's scheme. */
  if (uri == NULL || !kq_url_is_http (uri))
    {
      g_debug ("Refusing to open %s", uri);
      return FALSE;
    }

  return self->launcher (self, uri, self->launcher_data);
}

gboolean
kq_article_view_is_article_link (KqArticleView *self,
                                 const char    *uri)
{
  static const char * const not_articles[] = {
    "/wp-content/", "/wp-json/", "/wp-admin/", "/wp-login", "/wp-includes/", "/category/",
    "/tag/", "/author/", "/feed", "/page/", "/comments/", "/search/",
  };
  static const char * const file_suffixes[] = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".zip", ".mp4", ".mp3", ".xml",
  };
  g_autoptr(GUri) parsed = NULL;
  const char *path;
  const char *query;

  g_return_val_if_fail (KQ_IS_ARTICLE_VIEW (self), FALSE);

  if (self->article == NULL || uri == NULL || !kq_url_is_http (uri))
    return FALSE;
  if ((parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL)) == NULL)
    return FALSE;
  if (!same_site (parsed, kq_article_get_source (self->article)) &&
      !same_site (parsed, kq_article_get_link (self->article)))
    return FALSE;

  path = g_uri_get_path (parsed);
  query = g_uri_get_query (parsed);

  /* "?p=123" is a post, whatever the path. */
  if (query != NULL && (g_str_has_prefix (query, "p=") || strstr (query, "&p=") != NULL))
    return TRUE;
  if (path == NULL || *path == '\0' || g_str_equal (path, "/"))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (not_articles); i++)
    if (g_str_has_prefix (path, not_articles[i]))
      return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (file_suffixes); i++)
    {
      g_autofree char *lower = g_ascii_strdown (path, -1);

      if (g_str_has_suffix (lower, file_suffixes[i]))
        return FALSE;
    }

  return TRUE;
}
