/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-date-format"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-date-format.h"

/* Days between the local calendar dates of @a and @b (b − a). */
static int
days_between (GDateTime *a,
              GDateTime *b)
{
  g_autoptr(GDateTime) da = g_date_time_new_local (g_date_time_get_year (a),
                                                   g_date_time_get_month (a),
                                                   g_date_time_get_day_of_month (a), 12, 0, 0);
  g_autoptr(GDateTime) db = g_date_time_new_local (g_date_time_get_year (b),
                                                   g_date_time_get_month (b),
                                                   g_date_time_get_day_of_month (b), 12, 0, 0);

  return (int) ((g_date_time_difference (db, da) + G_TIME_SPAN_HOUR * 2) / G_TIME_SPAN_DAY);
}

/**
 * kq_date_format_relative:
 * @date: the date to show
 * @now: (nullable): the current time (tests pass a fixed one)
 *
 * Formats @date the way a news reader shows it, in the user's language and
 * time zone: "il y a 5 min", "il y a 3 h", "hier à 14:03", "mardi à 09:12",
 * "19 juil.", "19 juil. 2021".
 *
 * Returns: (transfer full): the text
 */
char *
kq_date_format_relative (GDateTime *date,
                         GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  GTimeSpan diff;
  int days;

  g_return_val_if_fail (date != NULL, NULL);

  local = g_date_time_to_local (date);
  local_now = now != NULL ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  diff = g_date_time_difference (local_now, local);
  days = days_between (local, local_now);

  if (diff < G_TIME_SPAN_MINUTE)
    {
      /* Slightly in the future (clock skew) counts as now too. */
      if (diff > -5 * G_TIME_SPAN_MINUTE)
        return g_strdup (_("just now"));
    }
  else if (diff < G_TIME_SPAN_HOUR)
    {
      int minutes = (int) (diff / G_TIME_SPAN_MINUTE);

      /* Translators: a short relative date, "il y a 5 min" */
      return g_strdup_printf (ngettext ("%d min ago", "%d min ago", minutes), minutes);
    }
  else if (days == 0)
    {
      int hours = (int) (diff / G_TIME_SPAN_HOUR);

      /* Translators: a short relative date, "il y a 3 h" */
      return g_strdup_printf (ngettext ("%d h ago", "%d h ago", hours), hours);
    }
  else if (days == 1)
    {
      /* Translators: a date in a list, a strftime format: "hier à 14:03" */
      return g_date_time_format (local, _("yesterday at %H:%M"));
    }
  else if (days > 1 && days < 7)
    {
      /* Translators: a date in a list, a strftime format: "mardi à 09:12" */
      return g_date_time_format (local, _("%A at %H:%M"));
    }

  if (g_date_time_get_year (local) == g_date_time_get_year (local_now))
    /* Translators: a date in a list this year, a strftime format: "19 juil." */
    return g_date_time_format (local, _("%b %-d"));

  /* Translators: a date in a list, a strftime format: "19 juil. 2021" */
  return g_date_time_format (local, _("%b %-d, %Y"));
}
