/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-feed-date"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kq-feed-date-private.h"

static const struct {
  const char *name;
  int         minutes;
} zones[] = {
  { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
  { "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
  { "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
  { "AKST", -540 }, { "AKDT", -480 }, { "HST", -600 }, { "AST", -240 }, { "ADT", -180 },
  { "NST", -210 }, { "NDT", -150 },
  { "WET", 0 }, { "WEST", 60 }, { "BST", 60 }, { "IST", 60 },
  { "CET", 60 }, { "CEST", 120 }, { "MET", 60 }, { "MEST", 120 }, { "MESZ", 120 }, { "MEZ", 60 },
  { "EET", 120 }, { "EEST", 180 }, { "MSK", 180 },
  { "JST", 540 }, { "KST", 540 }, { "HKT", 480 }, { "SGT", 480 },
  { "AWST", 480 }, { "ACST", 570 }, { "ACDT", 630 }, { "AEST", 600 }, { "AEDT", 660 },
  { "NZST", 720 }, { "NZDT", 780 },
};

static const char * const months_en[] = {
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};

/* French feeds sometimes localise their dates. */
static const char * const months_fr[] = {
  "janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"
};

static gboolean
is_day_name (const char *word)
{
  static const char * const days[] = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "lun", "mar", "mer", "jeu", "ven", "sam", "dim",
  };

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    if (g_ascii_strncasecmp (word, days[i], 3) == 0)
      return TRUE;
  return FALSE;
}

static int
parse_month (const char *word)
{
  g_autofree char *lower = g_utf8_strdown (word, -1);

  for (int i = 0; i < 12; i++)
    if (g_str_has_prefix (lower, months_en[i]))
      return i + 1;
  for (int i = 0; i < 12; i++)
    if (g_str_has_prefix (lower, months_fr[i]))
      return i + 1;
  if (g_str_has_prefix (lower, "fev") || g_str_has_prefix (lower, "fév"))
    return 2;
  if (g_str_has_prefix (lower, "aou"))
    return 8;
  if (g_str_has_prefix (lower, "dec"))
    return 12;
  return 0;
}

/* "+0200", "-05:30", "GMT", "CEST", "Z", "GMT+2"… → minutes east of UTC. */
static gboolean
parse_zone (const char *word,
            int        *minutes)
{
  const char *p = word;

  if (*p == '\0')
    {
      *minutes = 0;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    if (g_ascii_strncasecmp (p, zones[i].name, strlen (zones[i].name)) == 0 &&
        (p[strlen (zones[i].name)] == '\0' || p[strlen (zones[i].name)] == '+' ||
         p[strlen (zones[i].name)] == '-'))
      {
        *minutes = zones[i].minutes;
        p += strlen (zones[i].name);
        if (*p == '\0')
          return TRUE;
        break;
      }

  if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int hours = 0;
      int mins = 0;
      guint digits = 0;
      char buf[5] = { 0 };

      p++;
      while (*p && digits < 4)
        {
          if (g_ascii_isdigit (*p))
            buf[digits++] = *p;
          else if (*p != ':')
            return FALSE;
          p++;
        }
      if (*p != '\0' || digits == 0)
        return FALSE;
      if (digits <= 2)
        hours = atoi (buf);
      else
        {
          mins = atoi (buf + digits - 2);
          buf[digits - 2] = '\0';
          hours = atoi (buf);
        }
      if (hours > 14 || mins > 59)
        return FALSE;
      *minutes = sign * (hours * 60 + mins);
      return TRUE;
    }

  /* RFC 822 military zones: RFC 2822 says to treat them as UTC. */
  if (strlen (p) == 1 && g_ascii_isalpha (*p))
    {
      *minutes = 0;
      return TRUE;
    }
  return FALSE;
}

static GDateTime *
make_date (int year,
           int month,
           int day,
           int hour,
           int minute,
           int second,
           int offset_minutes)
{
  g_autoptr(GDateTime) as_utc = NULL;

  if (year < 1 || year > 9999 || offset_minutes < -24 * 60 || offset_minutes > 24 * 60)
    return NULL;
  /* The same fields in UTC, moved by the offset: what a time zone of that
   * offset would give, without building one per date. */
  as_utc = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (as_utc == NULL || offset_minutes == 0)
    return g_steal_pointer (&as_utc);
  return g_date_time_add_minutes (as_utc, -offset_minutes);
}

/* RFC 822 / 2822: "[Tue,] 5 Mar 2024 09:30[:00] [+0200|GMT|CEST]", with
 * leniency for missing seconds, two-digit years and "Mar 5 2024" order. */
static GDateTime *
parse_rfc822 (const char *str)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) words = NULL;
  GPtrArray *tokens;
  int day = 0, month = 0, year = -1, hour = 0, minute = 0, second = 0, offset = 0;
  gboolean have_time = FALSE;
  gboolean have_zone = FALSE;
  GDateTime *result = NULL;

  /* "mar.," is French for Tuesday, not March: a day name is followed by
   * a comma or ends with a dot, before the day of the month. */
  {
    GString *spaced = g_string_new (NULL);

    for (const char *p = str; *p; p++)
      if (*p == ',')
        g_string_append (spaced, ". ");
      else
        g_string_append_c (spaced, *p);
    g_free (copy);
    copy = g_string_free (spaced, FALSE);
  }
  words = g_strsplit_set (g_strstrip (copy), " \t\r\n", -1);
  tokens = g_ptr_array_new ();
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (tokens, words[i]);

  for (guint i = 0; i < tokens->len; i++)
    {
      char *word = g_ptr_array_index (tokens, i);
      gsize n = strlen (word);
      gboolean dotted = FALSE;

      while (n > 1 && word[n - 1] == '.')
        {
          word[--n] = '\0';
          dotted = TRUE;
        }

      if (strchr (word, ':') != NULL && !have_time && g_ascii_isdigit (*word))
        {
          int fields = sscanf (word, "%d:%d:%d", &hour, &minute, &second);

          if (fields < 2 || hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0 ||
              second < 0)
            goto out;
          if (second == 60)
            second = 59;
          have_time = TRUE;
        }
      else if (g_ascii_isdigit (*word))
        {
          guint64 value;

          if (!g_ascii_string_to_unsigned (word, 10, 0, 99999, &value, NULL))
            goto out;
          if (day == 0 && value >= 1 && value <= 31 && strlen (word) <= 2 && year < 0 &&
              (month == 0 || i + 1 < tokens->len))
            day = value;
          else if (year < 0)
            {
              year = value;
              if (strlen (word) <= 2)
                year += year < 50 ? 2000 : 1900;
            }
          else
            goto out;
        }
      else if (g_ascii_isalpha (*word) || (guchar) *word >= 0x80)
        {
          int m = month == 0 && !(day == 0 && dotted && is_day_name (word))
                  ? parse_month (word) : 0;

          if (m > 0 && strlen (word) >= 3)
            month = m;
          else if (have_time && !have_zone && parse_zone (word, &offset))
            have_zone = TRUE;
          /* Anything else (day names, "à") is ignored. */
        }
      else if ((*word == '+' || *word == '-') && have_time && !have_zone)
        {
          if (!parse_zone (word, &offset))
            goto out;
          have_zone = TRUE;
        }
    }

  if (day > 0 && month > 0 && year > 0)
    result = make_date (year, month, day, hour, minute, second, offset);

out:
  g_ptr_array_unref (tokens);
  return result;
}

static GDateTime *
parse_iso8601 (const char *str)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *copy = NULL;
  gsize len;

  while (g_ascii_isspace (*str))
    str++;
  if (!g_ascii_isdigit (*str))
    return NULL;
  copy = g_strstrip (g_strdup (str));
  len = strlen (copy);
  if (len < 10)
    return NULL;
  utc = g_time_zone_new_utc ();
  if (len == 10)
    {
      g_autofree char *full = g_strconcat (copy, "T00:00:00Z", NULL);
      date = g_date_time_new_from_iso8601 (full, utc);
    }
  else
    {
      if (copy[10] == ' ')
        copy[10] = 'T';
      date = g_date_time_new_from_iso8601 (copy, utc);
      if (date == NULL && len == 16)
        {
          /* "2024-03-05T09:30" without seconds. */
          g_autofree char *full = g_strconcat (copy, ":00", NULL);
          date = g_date_time_new_from_iso8601 (full, utc);
        }
    }
  return date ? g_date_time_to_utc (date) : NULL;
}

/* Reads exactly @n digits at *@p (advancing it); -1 if they are not there. */
static int
read_digits (const char **p,
             guint        n)
{
  int value = 0;

  for (guint i = 0; i < n; i++, (*p)++)
    {
      if (!g_ascii_isdigit (**p))
        return -1;
      value = value * 10 + (**p - '0');
    }
  return value;
}

/* The form nearly every feed uses, "Wed, 06 Mar 2024 07:45:10 +0000" (or
 * GMT, UT, UTC, Z; a one-digit day), read straight away. FALSE for anything
 * else, that goes through parse_rfc822 (), which reads this form the same. */
static gboolean
parse_rfc822_common (const char  *p,
                     GDateTime  **result)
{
  int day, month = 0, year, hour, minute, second, offset = 0;

  while (g_ascii_isspace (*p))
    p++;
  for (guint i = 0; i < 3; i++, p++)
    if (!g_ascii_isalpha (*p))
      return FALSE;
  if (*p++ != ',' || *p++ != ' ')
    return FALSE;
  if ((day = read_digits (&p, g_ascii_isdigit (p[1]) ? 2 : 1)) < 1 || day > 31 || *p++ != ' ')
    return FALSE;
  for (int i = 0; i < 12; i++)
    if (g_ascii_strncasecmp (p, months_en[i], 3) == 0)
      month = i + 1;
  if (month == 0 || p[3] != ' ')
    return FALSE;
  p += 4;
  if ((year = read_digits (&p, 4)) < 1 || *p++ != ' ' ||
      (hour = read_digits (&p, 2)) < 0 || hour > 23 || *p++ != ':' ||
      (minute = read_digits (&p, 2)) < 0 || minute > 59 || *p++ != ':' ||
      (second = read_digits (&p, 2)) < 0 || second > 60 || *p++ != ' ')
    return FALSE;

  if (*p == '+' || *p == '-')
    {
      int sign = *p++ == '-' ? -1 : 1;
      int hours = read_digits (&p, 2);
      int mins = hours >= 0 ? read_digits (&p, 2) : -1;

      if (hours < 0 || hours > 14 || mins < 0 || mins > 59)
        return FALSE;
      offset = sign * (hours * 60 + mins);
    }
  else if (strncmp (p, "GMT", 3) == 0 || strncmp (p, "UTC", 3) == 0)
    p += 3;
  else if (strncmp (p, "UT", 2) == 0)
    p += 2;
  else if (*p == 'Z')
    p++;
  else
    return FALSE;
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  *result = make_date (year, month, day, hour, minute, second == 60 ? 59 : second, offset);
  return TRUE;
}

/**
 * _kq_feed_date_parse:
 * @text: a date as feeds write them
 *
 * ISO 8601 / RFC 3339 ("2024-03-05T09:30:00+01:00", no zone = UTC, a date
 * alone = midnight UTC) or RFC 822 / 2822 ("Tue, 05 Mar 2024 09:30:00 GMT",
 * any zone name or offset, seconds optional, two-digit years), whatever the
 * element claims to hold.
 *
 * Returns: (nullable): the date in UTC, or NULL if it cannot be read.
 */
GDateTime *
_kq_feed_date_parse (const char *text)
{
  GDateTime *date;

  if (text == NULL || strlen (text) > 64)
    return NULL;
  if (parse_rfc822_common (text, &date))
    return date;
  date = parse_iso8601 (text);
  if (date == NULL)
    date = parse_rfc822 (text);
  return date;
}
