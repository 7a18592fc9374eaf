/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "kq-date-format.h"
#include "kq-i18n.h"

/* Run twice by meson: in the C locale and in French (LANGUAGE=fr). */
static gboolean french;

typedef struct
{
  const char *date;     /* ISO 8601 */
  const char *english;
  const char *french;
} Case;

static void
test_relative (void)
{
  /* "now" is a Wednesday afternoon; TZ=UTC in the test environment. */
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2024-03-13T15:30:00Z", NULL);
  const Case cases[] = {
    { "2024-03-13T15:29:40Z", "just now",            "à l’instant" },
    { "2024-03-13T15:31:00Z", "just now",            "à l’instant" },
    { "2024-03-13T15:29:00Z", "1 min ago",           "il y a 1 min" },
    { "2024-03-13T15:25:00Z", "5 min ago",           "il y a 5 min" },
    { "2024-03-13T12:10:00Z", "3 h ago",             "il y a 3 h" },
    { "2024-03-13T00:05:00Z", "15 h ago",            "il y a 15 h" },
    { "2024-03-12T14:03:00Z", "yesterday at 14:03",  "hier à 14:03" },
    { "2024-03-12T23:59:00Z", "yesterday at 23:59",  "hier à 23:59" },
    { "2024-03-11T09:12:00Z", "Monday at 09:12",     "lundi à 09:12" },
    { "2024-03-01T08:00:00Z", "Mar 1",               "1 mars" },
    { "2024-01-02T08:00:00Z", "Jan 2",               "2 janv." },
    { "2021-07-19T10:00:00Z", "Jul 19, 2021",        "19 juil. 2021" },
    /* A date with another offset is shown in local time. */
    { "2024-03-12T16:03:00+02:00", "yesterday at 14:03", "hier à 14:03" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (cases[i].date, NULL);
      g_autofree char *text = NULL;

      g_assert_nonnull (date);
      text = kq_date_format_relative (date, now);
      g_test_message ("%s → %s", cases[i].date, text);
      g_assert_cmpstr (text, ==, french ? cases[i].french : cases[i].english);
    }
}

static void
test_default_now (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_now_utc ();
  g_autofree char *text = kq_date_format_relative (date, NULL);

  g_assert_cmpstr (text, ==, french ? "à l’instant" : "just now");
}

int
main (int   argc,
      char *argv[])
{
  const char *messages;

  kq_i18n_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  messages = setlocale (LC_MESSAGES, NULL);
  french = messages != NULL && g_str_has_prefix (messages, "fr");

  g_test_add_func ("/kq/date-format/relative", test_relative);
  g_test_add_func ("/kq/date-format/default-now", test_default_now);

  return g_test_run ();
}
