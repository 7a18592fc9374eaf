/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kq-test-wait.h"

static gboolean
on_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
kq_test_wait_for (gboolean (*condition) (gpointer data),
                  gpointer   data,
                  guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout_cb, &timed_out);
  gboolean met;

  while (!(met = condition (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);

  return met;
}

void
kq_test_wait_keep_result (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GAsyncResult **kept = user_data;

  g_assert_null (*kept);
  *kept = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
kq_test_wait_result (GAsyncResult **result,
                     guint          timeout_ms)
{
  g_assert_true (kq_test_wait_for (has_result, result, timeout_ms));

  return g_steal_pointer (result);
}
