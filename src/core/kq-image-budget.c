/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-image-loader"

#include "config.h"

#include "kq-image-loader.h"
#include "kq-image-loader-private.h"

/*
 * The decode budget: the bytes of pixels that decodes may hold at once,
 * summed over every decode running (each one reserves what its image will
 * take before it starts). A decode that does not fit waits in line, first
 * come first served, so that a large one is not passed over for ever; one
 * larger than the whole budget runs alone.
 *
 * Loaders on any thread may share a budget: the line is under a mutex and
 * each reservation is told on its own main context, never from inside the
 * call that released the bytes.
 */

struct _KqImageBudget
{
  gatomicrefcount ref_count;
  GMutex          mutex;
  gsize           limit;
  gsize           reserved;
  gsize           peak;
  GQueue          line;        /* KqImageReservation waiting, oldest first */
};

struct _KqImageReservation
{
  KqImageBudget *budget;
  gsize          cost;
  gboolean       granted;
  GList         *link;         /* in budget->line while it waits */
  GMainContext  *context;
  GSourceFunc    ready;
  gpointer       user_data;
  GSource       *ready_source; /* granted, not told yet */
};

KqImageBudget *
_kq_image_budget_new (gsize limit)
{
  KqImageBudget *budget = g_new0 (KqImageBudget, 1);

  g_atomic_ref_count_init (&budget->ref_count);
  g_mutex_init (&budget->mutex);
  g_queue_init (&budget->line);
  budget->limit = limit;

  return budget;
}

KqImageBudget *
_kq_image_budget_get_default (void)
{
  static KqImageBudget *budget;

  if (g_once_init_enter (&budget))
    g_once_init_leave (&budget, _kq_image_budget_new (KQ_IMAGE_LOADER_DEFAULT_DECODE_BUDGET));

  return budget;
}

KqImageBudget *
_kq_image_budget_ref (KqImageBudget *budget)
{
  g_atomic_ref_count_inc (&budget->ref_count);
  return budget;
}

void
_kq_image_budget_unref (KqImageBudget *budget)
{
  if (!g_atomic_ref_count_dec (&budget->ref_count))
    return;

  /* Every reservation holds a reference: none is left. */
  g_assert (budget->line.length == 0 && budget->reserved == 0);
  g_mutex_clear (&budget->mutex);
  g_free (budget);
}

gsize
_kq_image_budget_get_limit (KqImageBudget *budget)
{
  return budget->limit;
}

gsize
_kq_image_budget_get_peak (KqImageBudget *budget)
{
  gsize peak;

  g_mutex_lock (&budget->mutex);
  peak = budget->peak;
  g_mutex_unlock (&budget->mutex);

  return peak;
}

/* With the mutex held. */
static gboolean
fits (KqImageBudget *budget,
      gsize          cost)
{
  return budget->reserved == 0 || cost <= budget->limit - MIN (budget->limit, budget->reserved);
}

static void
take (KqImageBudget      *budget,
      KqImageReservation *reservation)
{
  reservation->granted = TRUE;
  budget->reserved += reservation->cost;
  budget->peak = MAX (budget->peak, budget->reserved);
}

static gboolean
on_ready_cb (gpointer user_data)
{
  KqImageReservation *reservation = user_data;
  KqImageBudget *budget = reservation->budget;
  GSourceFunc ready;
  gpointer data;

  g_mutex_lock (&budget->mutex);
  g_clear_pointer (&reservation->ready_source, g_source_unref);
  ready = reservation->ready;
  data = reservation->user_data;
  g_mutex_unlock (&budget->mutex);

  ready (data);

  return G_SOURCE_REMOVE;
}

/* With the mutex held: grants the first ones in line while they fit. */
static void
grant_waiting (KqImageBudget *budget)
{
  KqImageReservation *next;

  while ((next = g_queue_peek_head (&budget->line)) != NULL && fits (budget, next->cost))
    {
      g_queue_pop_head (&budget->line);
      next->link = NULL;
      take (budget, next);

      next->ready_source = g_idle_source_new ();
      g_source_set_callback (next->ready_source, on_ready_cb, next, NULL);
      g_source_set_static_name (next->ready_source, "[kq] image decode budget");
      g_source_attach (next->ready_source, next->context);
    }
}

KqImageReservation *
_kq_image_budget_reserve (KqImageBudget *budget,
                          gsize          cost,
                          GMainContext  *context,
                          GSourceFunc    ready,
                          gpointer       user_data,
                          gboolean      *granted)
{
  KqImageReservation *reservation = g_new0 (KqImageReservation, 1);

  reservation->budget = _kq_image_budget_ref (budget);
  reservation->cost = cost;
  reservation->context = g_main_context_ref (context);
  reservation->ready = ready;
  reservation->user_data = user_data;

  g_mutex_lock (&budget->mutex);
  if (budget->line.length == 0 && fits (budget, cost))
    take (budget, reservation);
  else
    {
      g_queue_push_tail (&budget->line, reservation);
      reservation->link = budget->line.tail;
      g_debug ("Decode of %" G_GSIZE_FORMAT " bytes waits: %" G_GSIZE_FORMAT " of %"
               G_GSIZE_FORMAT " taken", cost, budget->reserved, budget->limit);
    }
  *granted = reservation->granted;
  g_mutex_unlock (&budget->mutex);

  return reservation;
}

void
_kq_image_reservation_release (KqImageReservation *reservation)
{
  KqImageBudget *budget = reservation->budget;

  g_mutex_lock (&budget->mutex);
  if (reservation->link != NULL)
    g_queue_delete_link (&budget->line, reservation->link);
  if (reservation->ready_source != NULL)
    {
      g_source_destroy (reservation->ready_source);
      g_clear_pointer (&reservation->ready_source, g_source_unref);
    }
  if (reservation->granted)
    budget->reserved -= reservation->cost;
  grant_waiting (budget);
  g_mutex_unlock (&budget->mutex);

  g_main_context_unref (reservation->context);
  _kq_image_budget_unref (budget);
  g_free (reservation);
}
