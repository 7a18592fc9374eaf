/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include "kq-store-private.h"

/*
 * The store's worker: a dedicated GThread popping jobs from a GAsyncQueue.
 * It owns the KqStoreDb (and so the one sqlite3 connection), opens it before
 * the first job, and returns each result through GTask, which calls back on
 * the caller's thread-default main context. A job without a function stops
 * the thread.
 */

typedef struct {
  KqStoreJobFunc  func;
  GTask          *task;
} Job;

typedef struct {
  GAsyncQueue *queue;
  KqStoreDb   *db;
} Worker;

enum {
  RESULT_NONE,
  RESULT_POINTER,
  RESULT_BOOLEAN,
  RESULT_INT,
};


static KqStoreJobData *
result_slot (GTask *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);

  g_assert (data->result_type == RESULT_NONE && data->error == NULL);
  return data;
}

void
_kq_store_return_pointer (GTask          *task,
                          gpointer        result,
                          GDestroyNotify  destroy)
{
  KqStoreJobData *data = result_slot (task);

  data->result_type = RESULT_POINTER;
  data->result = result;
  data->result_destroy = destroy;
}

void
_kq_store_return_boolean (GTask    *task,
                          gboolean  value)
{
  KqStoreJobData *data = result_slot (task);

  data->result_type = RESULT_BOOLEAN;
  data->result_int = value;
}

void
_kq_store_return_int (GTask  *task,
                      gssize  value)
{
  KqStoreJobData *data = result_slot (task);

  data->result_type = RESULT_INT;
  data->result_int = value;
}

void
_kq_store_return_error (GTask  *task,
                        GError *error)
{
  KqStoreJobData *data = result_slot (task);

  g_assert (error != NULL);
  data->error = error;
}

/* On the caller's context: hand the result to the task (which calls back at once). */
static gboolean
deliver_cb (gpointer user_data)
{
  Job *job = user_data;
  KqStoreJobData *data = g_task_get_task_data (job->task);

  if (data->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&data->error));
  else
    switch (data->result_type)
      {
      case RESULT_POINTER:
        data->result_type = RESULT_NONE;
        g_task_return_pointer (job->task, g_steal_pointer (&data->result), data->result_destroy);
        break;
      case RESULT_BOOLEAN:
        g_task_return_boolean (job->task, data->result_int);
        break;
      case RESULT_INT:
        g_task_return_int (job->task, data->result_int);
        break;
      default:
        g_assert_not_reached ();
      }
  return G_SOURCE_REMOVE;
}

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_free (job);
}

/*
 * Runs @func on @context's thread, always later. Not g_main_context_invoke():
 * when nobody holds the context at that moment, it runs the function right
 * here on the worker, which could then drop the last reference to the store.
 */
void
_kq_store_run_on_context (GMainContext   *context,
                GSourceFunc     func,
                gpointer        data,
                GDestroyNotify  notify)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[kq-store] result");
  g_source_attach (source, context);
}

static gpointer
worker_thread (gpointer user_data)
{
  Worker *worker = user_data;
  KqStoreDb *db = worker->db;
  Job *job;

  while ((job = g_async_queue_pop (worker->queue))->func != NULL)
    {
      GTask *task = job->task;
      GCancellable *cancellable = g_task_get_cancellable (task);

      if (!db->opened)
        {
          _kq_store_db_open (db);
          _kq_store_opened (db, task);
        }

      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        _kq_store_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                           "Operation was cancelled"));
      else
        {
          db->cancellable = cancellable;
          job->func (db, task);
          db->cancellable = NULL;
          /* A job must never leave a transaction open, and must return something. */
          g_assert (db->db == NULL || sqlite3_get_autocommit (db->db));
        }

      /* The job (and its task reference) now belongs to the caller's context. */
      _kq_store_run_on_context (g_task_get_context (task), deliver_cb, job,
                                (GDestroyNotify) job_free);
    }

  g_free (job);
  _kq_store_db_free (db);
  g_async_queue_unref (worker->queue);
  g_free (worker);
  return NULL;
}

GThread *
_kq_store_worker_start (GAsyncQueue *queue,
                        const char  *path)
{
  Worker *worker = g_new0 (Worker, 1);

  worker->queue = g_async_queue_ref (queue);
  worker->db = _kq_store_db_new (path);
  return g_thread_new ("kq-store", worker_thread, worker);
}

/* Takes @task. */
void
_kq_store_worker_push (GAsyncQueue    *queue,
                       KqStoreJobFunc  func,
                       GTask          *task)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->task = task;
  g_async_queue_push (queue, job);
}

/* Stops the worker, which closes the database, and waits for it. */
void
_kq_store_worker_stop (GAsyncQueue *queue,
                       GThread     *thread)
{
  g_async_queue_push (queue, g_new0 (Job, 1));
  g_thread_join (thread);
}
