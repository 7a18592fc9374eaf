/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-model"

#include "config.h"

#include "kq-model-private.h"

gboolean
_kq_model_set_string (GObject    *object,
                      char      **field,
                      const char *value,
                      GParamSpec *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
_kq_model_take_string (GObject    *object,
                       char      **field,
                       char       *value,
                       GParamSpec *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return FALSE;
    }
  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
_kq_model_set_uint (GObject    *object,
                    guint      *field,
                    guint       value,
                    GParamSpec *pspec)
{
  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
_kq_model_set_int64 (GObject    *object,
                     gint64     *field,
                     gint64      value,
                     GParamSpec *pspec)
{
  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
_kq_model_set_boolean (GObject    *object,
                       gboolean   *field,
                       gboolean    value,
                       GParamSpec *pspec)
{
  value = !!value;
  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
_kq_model_set_strv (GObject             *object,
                    char              ***field,
                    const char * const  *value,
                    GParamSpec          *pspec)
{
  if (value && !value[0])
    value = NULL;
  if (*field == NULL && value == NULL)
    return FALSE;
  if (*field && value && g_strv_equal ((const char * const *) *field, value))
    return FALSE;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
_kq_model_set_date (GObject    *object,
                    GDateTime **field,
                    GDateTime  *value,
                    GParamSpec *pspec)
{
  if (*field == value || (*field && value && g_date_time_equal (*field, value)))
    return FALSE;
  g_clear_pointer (field, g_date_time_unref);
  if (value)
    *field = g_date_time_to_utc (value);
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}
