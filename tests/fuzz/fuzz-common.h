/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks shared by the fuzz targets: what the parsers hand to the rest of
 * the app must be valid UTF-8 (GTK, SQLite FTS and GRegex rely on it). */
#pragma once

#include <glib-object.h>

/* Every string and string-array property of @object is NULL or valid UTF-8. */
static inline void
fuzz_assert_object_utf8 (gpointer object)
{
  g_autofree GParamSpec **specs = NULL;
  guint n_specs = 0;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      if (!(specs[i]->flags & G_PARAM_READABLE))
        continue;
      if (specs[i]->value_type == G_TYPE_STRING)
        {
          g_autofree char *value = NULL;

          g_object_get (object, specs[i]->name, &value, NULL);
          if (value != NULL && !g_utf8_validate (value, -1, NULL))
            g_error ("%s:%s is not valid UTF-8", G_OBJECT_TYPE_NAME (object), specs[i]->name);
        }
      else if (specs[i]->value_type == G_TYPE_STRV)
        {
          g_auto(GStrv) values = NULL;

          g_object_get (object, specs[i]->name, &values, NULL);
          for (guint j = 0; values != NULL && values[j] != NULL; j++)
            if (!g_utf8_validate (values[j], -1, NULL))
              g_error ("%s:%s[%u] is not valid UTF-8", G_OBJECT_TYPE_NAME (object),
                       specs[i]->name, j);
        }
    }
}

/* The same for every object of @array (may be NULL). */
static inline void
fuzz_assert_array_utf8 (GPtrArray *array)
{
  for (guint i = 0; array != NULL && i < array->len; i++)
    fuzz_assert_object_utf8 (g_ptr_array_index (array, i));
}
