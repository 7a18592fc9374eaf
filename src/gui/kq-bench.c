/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-bench"

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "kq-application.h"
#include "kq-article-row.h"
#include "kq-bench.h"
#include "kq-thumbnail-loader.h"

/*
 * Benchmark hooks for tests/bench/bench-startup. Inert (one cached getenv)
 * unless KIOSQUE_BENCHMARK=1. Each event is printed at most once per process,
 * on stdout, as:
 *
 *   kiosque-bench EVENT USEC_SINCE_PROCESS_START CLOCK_MONOTONIC_USEC
 *
 * The first number counts from the process start as /proc/self/stat gives it
 * (10 ms grain; exec and dynamic linking included). The second is
 * g_get_monotonic_time (), which the benchmark compares with its own
 * CLOCK_MONOTONIC reading taken just before exec.
 *
 * Events (each on the frame clock's "after-paint", i.e. once it is on screen):
 *   first-frame         the main window's first frame
 *   first-rows-cache    the first frame after rows came from the cache
 *   first-rows-network  the first frame after rows came from the site
 *   list-idle           the first frame with rows listed and nothing loading
 *
 * Each is followed by "kiosque-bench-cpu EVENT MAIN_THREAD_CPU_USEC
 * PROCESS_CPU_USEC", the CPU time used so far (steadier than the wall clock
 * when other processes compete for the cores).
 *
 * KIOSQUE_BENCHMARK_SCROLL=N drives the memory scenario: the article list is
 * kept scrolled to its end (a reader dragging the scroll bar down), so it
 * loads page after page until it holds N rows; then it goes back to the top
 * and prints rows-loaded, opens the first article and prints article-shown
 * once that article's whole body is rendered and painted.
 *
 * KIOSQUE_BENCHMARK_BACKGROUND=1 then turns "run-in-background" on, closes
 * the window and prints window-closed (no frame to wait for): what memory
 * the application keeps with its library and no window.
 *
 * KIOSQUE_BENCHMARK_STALL=1 watches the main loop from the first frame on (a
 * high-priority timeout every 5 ms) and prints, with list-idle and
 * article-shown, "kiosque-bench-stall EVENT LONGEST_USEC": the longest time
 * the loop went without running it (what a reader feels as a frozen window).
 *
 * KIOSQUE_BENCHMARK_MEMORY=1 adds, 2 s after article-shown, a breakdown of
 * the heap on stderr: glibc's malloc_info () XML (one <heap> per arena),
 * mallinfo2 () totals, SQLite's own allocations and the thumbnail cache;
 * =trim does the same after malloc_trim (0), =exit then exits (under a heap
 * profiler, what is allocated at that point shows as leaked).
 */

static gboolean enabled;
static gint64 process_start_us;
static GHashTable *claimed;  /* event names printed or pending */

static struct
{
  GtkWindow     *window; /* weak */
  KqArticleList *list;   /* weak */
  KqArticleView *view;   /* weak */
  guint          target;
} driver;

typedef struct
{
  const char    *event;
  GdkFrameClock *clock;
  gulong         handler_id;
  GSourceFunc    then;
} PaintMark;

#define STALL_INTERVAL_MS 5

static struct
{
  guint  source_id;
  gint64 last_us;
  gint64 longest_us;
} stall;

static gboolean
stall_tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - stall.last_us - STALL_INTERVAL_MS * 1000;

  stall.longest_us = MAX (stall.longest_us, late);
  stall.last_us = now;

  return G_SOURCE_CONTINUE;
}

static void
start_stall_watch (void)
{
  if (stall.source_id != 0 || g_strcmp0 (g_getenv ("KIOSQUE_BENCHMARK_STALL"), "1") != 0)
    return;

  stall.last_us = g_get_monotonic_time ();
  stall.longest_us = 0;
  stall.source_id = g_timeout_add_full (G_PRIORITY_HIGH, STALL_INTERVAL_MS, stall_tick_cb,
                                        NULL, NULL);
}

static void
print_stall (const char *event)
{
  if (stall.source_id == 0)
    return;

  /* Up to now, the time since the last tick counts too. */
  stall_tick_cb (NULL);
  printf ("kiosque-bench-stall %s %" G_GINT64_FORMAT "\n", event, MAX (stall.longest_us, 0));
}

static gint64
read_process_start (void)
{
  g_autofree char *stat = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
    return 0;

  /* After the command in parentheses: field 3 (state) … field 22 (starttime). */
  p = strrchr (stat, ')');
  for (int field = 3; p != NULL && field <= 22; field++)
    p = strchr (p + 1, ' ');
  if (p == NULL)
    return 0;

  return (gint64) (g_ascii_strtoull (p + 1, NULL, 10) * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK));
}

gboolean
kq_bench_enabled (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      enabled = g_strcmp0 (g_getenv ("KIOSQUE_BENCHMARK"), "1") == 0;
      if (enabled)
        process_start_us = read_process_start ();
      g_once_init_leave (&initialized, 1);
    }

  return enabled;
}

static void
print_event (const char *event)
{
  gint64 monotonic = g_get_monotonic_time ();
  gint64 since_start = -1;
  struct timespec ts;

  if (process_start_us > 0 && clock_gettime (CLOCK_BOOTTIME, &ts) == 0)
    since_start = (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000 - process_start_us;

  printf ("kiosque-bench %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
          event, since_start, monotonic);
  if (g_str_equal (event, "first-frame"))
    start_stall_watch ();
  else if (g_str_equal (event, "list-idle") || g_str_equal (event, "article-shown"))
    print_stall (event);
  /* CPU time so far, steadier than the wall clock on a busy machine: the
   * main thread's, and the whole process's. */
  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
    {
      struct timespec all;

      if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &all) != 0)
        all.tv_sec = all.tv_nsec = 0;
      printf ("kiosque-bench-cpu %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", event,
              (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000,
              (gint64) all.tv_sec * G_USEC_PER_SEC + all.tv_nsec / 1000);
    }
  fflush (stdout);
}

/* TRUE the first time only; @event must be a static string. */
static gboolean
claim (const char *event)
{
  if (!kq_bench_enabled ())
    return FALSE;
  if (claimed == NULL)
    claimed = g_hash_table_new (g_str_hash, g_str_equal);

  return g_hash_table_add (claimed, (gpointer) event);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   PaintMark     *mark)
{
  g_signal_handler_disconnect (clock, mark->handler_id);
  print_event (mark->event);
  if (mark->then != NULL)
    g_idle_add (mark->then, NULL);
  g_object_unref (mark->clock);
  g_free (mark);
}

static void
attach_mark (GtkWidget *widget,
             PaintMark *mark)
{
  mark->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  mark->handler_id = g_signal_connect (mark->clock, "after-paint",
                                       G_CALLBACK (on_after_paint_cb), mark);
  gtk_widget_queue_draw (widget);
}

static void
on_realize_cb (GtkWidget *widget,
               PaintMark *mark)
{
  g_signal_handlers_disconnect_by_func (widget, on_realize_cb, mark);
  attach_mark (widget, mark);
}

static void
mark_after_paint (GtkWidget   *widget,
                  const char  *event,
                  GSourceFunc  then)
{
  PaintMark *mark;

  if (!claim (event))
    return;

  mark = g_new0 (PaintMark, 1);
  mark->event = event;
  mark->then = then;
  if (gtk_widget_get_frame_clock (widget) != NULL)
    attach_mark (widget, mark);
  else
    g_signal_connect_after (widget, "realize", G_CALLBACK (on_realize_cb), mark);
}

/**
 * kq_bench_mark_after_paint:
 * @event: a static string
 *
 * Prints @event once @widget's next frame is painted, once per process
 * (benchmark mode only).
 */
void
kq_bench_mark_after_paint (GtkWidget  *widget,
                           const char *event)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  mark_after_paint (widget, event, NULL);
}

static void
count_widgets (GtkWidget *widget,
               guint     *n_widgets,
               guint     *n_rows)
{
  (*n_widgets)++;
  if (KQ_IS_ARTICLE_ROW (widget))
    (*n_rows)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_widgets (child, n_widgets, n_rows);
}

static gboolean
report_memory_cb (gpointer data)
{
  struct mallinfo2 info;

  if (g_strcmp0 (g_getenv ("KIOSQUE_BENCHMARK_MEMORY"), "trim") == 0)
    {
      gint64 start = g_get_monotonic_time ();

      malloc_trim (0);
      fprintf (stderr, "kiosque-bench-memory malloc_trim %" G_GINT64_FORMAT " µs\n",
               g_get_monotonic_time () - start);
    }
  info = mallinfo2 ();

  fprintf (stderr, "kiosque-bench-memory malloc arena %zu mmap %zu in-use %zu free %zu "
           "top-pad %zu\n",
           info.arena, info.hblkhd, info.uordblks, info.fordblks, info.keepcost);
  fprintf (stderr, "kiosque-bench-memory sqlite used %lld highwater %lld\n",
           (long long) sqlite3_memory_used (), (long long) sqlite3_memory_highwater (0));
  fprintf (stderr, "kiosque-bench-memory thumbnails %zu\n",
           kq_thumbnail_loader_get_memory_usage ());
  if (driver.list != NULL && driver.view != NULL)
    {
      guint list_widgets = 0, rows = 0, view_widgets = 0, view_rows = 0;

      count_widgets (GTK_WIDGET (driver.list), &list_widgets, &rows);
      count_widgets (GTK_WIDGET (driver.view), &view_widgets, &view_rows);
      fprintf (stderr, "kiosque-bench-memory widgets list %u (%u article rows) view %u\n",
               list_widgets, rows, view_widgets);
    }
  malloc_info (0, stderr);
  fflush (stderr);

  /* Under a heap profiler: what is still allocated now shows as leaked. */
  if (g_strcmp0 (g_getenv ("KIOSQUE_BENCHMARK_MEMORY"), "exit") == 0)
    exit (0);

  return G_SOURCE_REMOVE;
}

static gboolean
close_window_cb (gpointer data)
{
  GtkApplication *app;

  if (driver.window == NULL)
    return G_SOURCE_REMOVE;

  app = gtk_window_get_application (driver.window);
  g_settings_set_boolean (kq_application_get_settings (KQ_APPLICATION (app)),
                          "run-in-background", TRUE);
  gtk_window_close (driver.window);
  kq_application_release_memory (KQ_APPLICATION (app));
  print_event ("window-closed");

  return G_SOURCE_REMOVE;
}

static gboolean
article_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  KqArticleView *view = KQ_ARTICLE_VIEW (widget);
  KqArticle *article = kq_article_view_get_article (view);

  if (article == NULL || kq_article_get_body_html (article) == NULL ||
      kq_article_view_get_rendering (view))
    return G_SOURCE_CONTINUE;

  mark_after_paint (widget, "article-shown",
                    g_strcmp0 (g_getenv ("KIOSQUE_BENCHMARK_BACKGROUND"), "1") == 0
                    ? close_window_cb : NULL);
  if (g_getenv ("KIOSQUE_BENCHMARK_MEMORY") != NULL)
    g_timeout_add_seconds (2, report_memory_cb, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
open_first_cb (gpointer data)
{
  if (driver.list == NULL || driver.view == NULL)
    return G_SOURCE_REMOVE;

  gtk_widget_add_tick_callback (GTK_WIDGET (driver.view), article_tick_cb, NULL, NULL);
  kq_article_list_select_position (driver.list, 0);

  return G_SOURCE_REMOVE;
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  KqArticleList *list = KQ_ARTICLE_LIST (widget);
  GListModel *model = kq_article_list_get_model (list);
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  if (n < driver.target)
    {
      /* The list asks for the next page itself when its end comes near. */
      if (n > 0)
        kq_article_list_set_scroll (list, G_MAXDOUBLE);
      return G_SOURCE_CONTINUE;
    }

  kq_article_list_scroll_to_top (list);
  mark_after_paint (widget, "rows-loaded", open_first_cb);
  return G_SOURCE_REMOVE;
}

/**
 * kq_bench_watch:
 *
 * Called once by the main window: prints first-frame and, with
 * KIOSQUE_BENCHMARK_SCROLL, drives the list and the article view.
 */
void
kq_bench_watch (GtkWindow     *window,
                KqArticleList *list,
                KqArticleView *view)
{
  const char *scroll;

  if (!kq_bench_enabled ())
    return;

  mark_after_paint (GTK_WIDGET (window), "first-frame", NULL);

  scroll = g_getenv ("KIOSQUE_BENCHMARK_SCROLL");
  driver.target = scroll != NULL ? (guint) CLAMP (atoi (scroll), 0, 1000000) : 0;
  if (driver.target == 0 || driver.list != NULL)
    return;

  g_set_weak_pointer (&driver.window, window);
  g_set_weak_pointer (&driver.list, list);
  g_set_weak_pointer (&driver.view, view);
  gtk_widget_add_tick_callback (GTK_WIDGET (list), scroll_tick_cb, NULL, NULL);
}
