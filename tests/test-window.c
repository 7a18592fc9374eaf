/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "kq-application.h"
#include "kq-test-ui.h"
#include "kq-window.h"

static KqApplication *app;

static GtkWidget *
template_child (gpointer    window,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), KQ_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
is_gone (gpointer data)
{
  return kq_test_ui_find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

static gboolean
exists (gpointer data)
{
  return kq_test_ui_find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static KqWindow *
open_window (void)
{
  KqWindow *window = kq_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kq_test_ui_wait_for (is_mapped, window, 5000));

  return window;
}

static void
close_window (KqWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (kq_test_ui_wait_for (is_gone, GSIZE_TO_POINTER (KQ_TYPE_WINDOW), 5000));
}

static void
test_three_panes (void)
{
  KqWindow *window = open_window ();
  AdwLeaflet *leaflet = ADW_LEAFLET (template_child (window, "leaflet"));
  const char *panes[] = { "sidebar", "list", "article" };
  const char *pane_widgets[] = { "sidebar_pane", "list_pane", "article_pane" };

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  kq_test_ui_iterate (200);

  /* Wide: every pane is on screen side by side. */
  g_assert_false (adw_leaflet_get_folded (leaflet));
  for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
    {
      GtkWidget *pane = template_child (window, pane_widgets[i]);

      g_assert_true (adw_leaflet_get_child_by_name (leaflet, panes[i]) == pane);
      g_assert_true (gtk_widget_get_mapped (pane));
      g_assert_cmpint (gtk_widget_get_width (pane), >, 100);
    }

  /* Each pane shows its empty state for now. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child (window, "list_stack"))), ==, "empty");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child (window, "article_stack"))), ==, "empty");

  /* Narrow: the leaflet folds to one pane, with a back button. */
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 600);
  kq_test_ui_iterate (300);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  adw_leaflet_set_visible_child_name (leaflet, "article");
  kq_test_ui_iterate (100);
  g_assert_true (gtk_widget_get_visible (template_child (window, "article_back_button")));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL);
  kq_test_ui_iterate (400);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");

  close_window (window);
}

static void
check_shortcuts_once (GtkWidget  *widget,
                      GHashTable *seen)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_shortcuts_once (child, seen);

  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *title = NULL;

      g_object_get (widget, "accelerator", &accelerator, "title", &title, NULL);
      if (accelerator == NULL || *accelerator == '\0')
        return;
      /* (The window's search page copies each shortcut: same title.) */
      if (g_hash_table_contains (seen, accelerator) &&
          g_strcmp0 (g_hash_table_lookup (seen, accelerator), title) != 0)
        g_error ("%s is listed twice (“%s” and “%s”)", accelerator, title,
                 (char *) g_hash_table_lookup (seen, accelerator));
      g_hash_table_insert (seen, g_strdup (accelerator), g_strdup (title));
    }
}

static void
test_about_and_shortcuts (void)
{
  KqWindow *window = open_window ();
  GtkWindow *about;
  GtkWindow *shortcuts;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (kq_test_ui_wait_for (exists, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW), 5000));
  about = kq_test_ui_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  gtk_window_close (about);
  g_assert_true (kq_test_ui_wait_for (is_gone, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW), 5000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (kq_test_ui_wait_for (exists, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW), 5000));
  shortcuts = kq_test_ui_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_true (kq_test_ui_wait_for (is_mapped, shortcuts, 5000));
  /* Each key listed with the one thing it does. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

    check_shortcuts_once (GTK_WIDGET (shortcuts), seen);
    g_assert_true (g_hash_table_contains (seen, "<alt>Left"));
  }
  gtk_widget_set_visible (GTK_WIDGET (shortcuts), FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (kq_test_ui_wait_for (exists, GSIZE_TO_POINTER (ADW_TYPE_PREFERENCES_WINDOW), 5000));
  gtk_window_close (kq_test_ui_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW));
  g_assert_true (kq_test_ui_wait_for (is_gone, GSIZE_TO_POINTER (ADW_TYPE_PREFERENCES_WINDOW), 5000));

  close_window (window);
}

static void
test_size_persisted (void)
{
  GSettings *settings = kq_application_get_settings (app);
  KqWindow *window = open_window ();
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 913, 611);
  kq_test_ui_iterate (100);
  close_window (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 913);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 611);

  /* A new window (as after a restart) comes back at that size. */
  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 913);
  g_assert_cmpint (height, ==, 611);
  close_window (window);
}

static void
test_style_preference (void)
{
  GSettings *settings = kq_application_get_settings (app);
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_settings_set_string (settings, "style", "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_settings_set_string (settings, "style", "light");
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_reset (settings, "style");
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_DEFAULT);
}

/* "_Retry" → "Retry", "__" → "_". */
static char *
strip_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] != '_')
            continue;
          p++;
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* Every visible button says what it does: a label without its mnemonic
 * underscore, or an accessible label or a tooltip when it shows an icon. */
static void
check_button_names (GtkWidget *widget,
                    guint     *n_checked)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_button_names (child, n_checked);

  if (!gtk_widget_get_visible (widget) ||
      !(GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)) ||
      GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))  /* a menu button's own toggle */
    return;

  (*n_checked)++;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      const char *label = gtk_button_get_label (GTK_BUTTON (widget));
      g_autofree char *expected = gtk_button_get_use_underline (GTK_BUTTON (widget))
                                  ? strip_mnemonic (label) : g_strdup (label);
      g_autofree char *mismatch = NULL;

      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
      if (mismatch != NULL)
        g_error ("Button “%s” is announced wrongly: %s", label, mismatch);
    }
  else
    {
      const char *tooltip = gtk_widget_get_tooltip_text (widget);

      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
          (tooltip == NULL || *tooltip == '\0'))
        g_error ("A %s (%s) has no accessible name", G_OBJECT_TYPE_NAME (widget),
                 gtk_widget_get_css_classes (widget)[0]);
    }
}

static void
test_accessible_names (void)
{
  KqWindow *window = open_window ();
  guint n_checked = 0;

  kq_test_ui_iterate (100);
  check_button_names (GTK_WIDGET (window), &n_checked);
  /* Header bars, the error page, the article view's buttons at least. */
  g_assert_cmpuint (n_checked, >=, 10);
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* The accessible properties are kept by GTK's test AT context only
   * (test_env turns accessibility off for the other tests). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  kq_test_ui_init (&argc, &argv);

  app = kq_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  /* No network in these tests: the cache only (empty here). */
  kq_application_set_offline (app, TRUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/kq/window/three-panes", test_three_panes);
  g_test_add_func ("/kq/window/about-and-shortcuts", test_about_and_shortcuts);
  g_test_add_func ("/kq/window/size-persisted", test_size_persisted);
  g_test_add_func ("/kq/window/style-preference", test_style_preference);
  g_test_add_func ("/kq/window/accessible-names", test_accessible_names);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
