/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kq-article-list.h"
#include "kq-test-ui.h"
#include "kq-test-window.h"

/* The template child @name of @window; asserts that it exists. */
gpointer
kq_test_window_child (gpointer    window,
                      const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), KQ_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

GListModel *
kq_test_window_list_model (KqWindow *window)
{
  return kq_article_list_get_model (kq_test_window_child (window, "article_list"));
}

guint
kq_test_window_n_items (KqWindow *window)
{
  GListModel *model = kq_test_window_list_model (window);

  return model ? g_list_model_get_n_items (model) : 0;
}

/* The article at @position in the list (not a new reference), NULL for any other row. */
KqArticle *
kq_test_window_article_at (KqWindow *window,
                           guint     position)
{
  g_autoptr(GObject) item = g_list_model_get_item (kq_test_window_list_model (window), position);

  return KQ_IS_ARTICLE (item) ? KQ_ARTICLE (item) : NULL;
}

gboolean
kq_test_window_is_mapped (gpointer window)
{
  return gtk_widget_get_mapped (GTK_WIDGET (window));
}

/* No main window is left. */
gboolean
kq_test_window_is_gone (gpointer data)
{
  return kq_test_ui_find_toplevel (KQ_TYPE_WINDOW) == NULL;
}

/* No refresh is running. */
gboolean
kq_test_window_is_idle (gpointer window)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (kq_test_window_child (window,
                                                                            "refresh_stack")),
                    "button") == 0;
}

/* The spinner turns: something is loading. */
gboolean
kq_test_window_is_loading (gpointer window)
{
  return !kq_test_window_is_idle (window);
}

/* The list shows articles and no refresh is running. */
gboolean
kq_test_window_has_articles_idle (gpointer window)
{
  return kq_test_window_n_items (window) > 0 && kq_test_window_is_idle (window) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (kq_test_window_child (window, "list_stack")),
                    "list") == 0;
}

/* A registered, non-unique application that never refreshes on its own. */
KqApplication *
kq_test_window_new_application (void)
{
  g_autoptr(GError) error = NULL;
  KqApplication *app = kq_application_new ();

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_settings_set_uint (kq_application_get_settings (app), "refresh-interval", 0);

  return app;
}

/* A new main window of @app on the site at @url, 1200×800, presented and mapped.
 * YouTube posters come from the same server (/vi/<id>/hqdefault.jpg), never
 * from i.ytimg.com. */
KqWindow *
kq_test_window_open (KqApplication *app,
                     const char    *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  KqWindow *window;

  kq_application_set_source_url (app, url);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      g_autofree char *posters = g_strdup_printf ("%s://%s:%d/vi/", g_uri_get_scheme (uri),
                                                  g_uri_get_host (uri), g_uri_get_port (uri));

      kq_library_set_youtube_posters (kq_application_get_library (app), posters);
    }
  window = kq_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_mapped, window, 5000));

  return window;
}

static gboolean
library_is_closed (gpointer app)
{
  return !kq_application_get_closing (app);
}

/* Closes @window and waits until it is gone and, the application not
 * running in the background, its library has written its last changes and
 * closed the store (the next window is a restart). */
void
kq_test_window_close (KqWindow *window)
{
  KqApplication *app = KQ_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));

  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (kq_test_ui_wait_for (kq_test_window_is_gone, NULL, 5000));
  g_assert_true (kq_test_ui_wait_for (library_is_closed, app, 5000));
}
