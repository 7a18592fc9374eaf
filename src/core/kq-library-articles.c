/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-library"

#include "config.h"

#include <glib/gi18n.h>

#include "kq-article-model.h"
#include "kq-comment.h"
#include "kq-html.h"
#include "kq-library-private.h"

/*
 * What the library does to articles: open one (its body from the cache, else
 * the site, else the bookmark's copy), find one by id or by a link of
 * another's body, read state, bookmarks (a user's save: never cancelled),
 * export and import, clearing the cache, comments, probing a new site.
 */

static gboolean
is_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Kept for offline reading and the next time (never cancelled with a view). */
static void
save_article (KqLibrary *self,
              KqArticle *article)
{
  /* The worker reads the article until it is done: it keeps a reference. */
  g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (one, g_object_ref (article));
  kq_store_upsert_articles_async (_kq_library_get_store (self), one,
                                  _kq_library_get_cancellable (self), NULL, NULL);
}

/* Opening an article */

static void
on_post_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqLibrary *self = g_task_get_source_object (task);
  KqArticle *article = g_task_get_task_data (task);
  g_autoptr(KqArticle) full = NULL;
  GError *error = NULL;

  full = kq_source_get_post_finish (KQ_SOURCE (object), result, &error);
  if (full == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  kq_article_model_update_from (article, full);
  save_article (self, full);
  g_task_return_boolean (task, TRUE);
}

static void
fetch_post (GTask *task)
{
  KqLibrary *self = g_task_get_source_object (task);
  KqArticle *article = g_task_get_task_data (task);

  /* Offline, or another site's (a bookmark): what there is. */
  if (kq_library_get_offline (self) || !kq_library_is_from_source (self, article))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  kq_source_get_post_async (_kq_library_get_source (self), kq_article_get_id (article),
                            g_task_get_cancellable (task), on_post_cb, task);
}

static void
on_cached_body_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqArticle *article = g_task_get_task_data (task);
  g_autoptr(KqArticle) full = NULL;
  g_autoptr(GError) error = NULL;

  full = kq_store_get_article_finish (KQ_STORE (object), result, &error);
  if (is_cancelled (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL && !g_error_matches (error, KQ_STORE_ERROR, KQ_STORE_ERROR_NOT_FOUND))
    g_warning ("Could not read the article from the cache: %s", error->message);

  /* The body came another way meanwhile. */
  if (kq_article_get_body_html (article) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (full == NULL || kq_article_get_body_html (full) == NULL)
    {
      fetch_post (g_steal_pointer (&task));
      return;
    }

  kq_article_model_update_from (article, full);
  g_task_return_boolean (task, TRUE);
}

void
kq_library_open_article_async (KqLibrary           *self,
                               KqArticle           *article,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (KQ_IS_ARTICLE (article));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_library_open_article_async);
  g_task_set_task_data (task, g_object_ref (article), g_object_unref);

  if (!kq_article_get_read (article))
    kq_library_set_read (self, article, TRUE);

  if (kq_article_get_body_html (article) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Lists carry no body: from the cache, or else from the site. */
  if (kq_article_get_source (article) == NULL)
    {
      fetch_post (g_steal_pointer (&task));
      return;
    }

  kq_store_get_article_async (_kq_library_get_store (self), kq_article_get_source (article),
                              kq_article_get_id (article), cancellable, on_cached_body_cb,
                              g_steal_pointer (&task));
}

gboolean
kq_library_open_article_finish (KqLibrary     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Finding an article by id */

/* A post the site gave (by id or by link): kept, then the answer. */
static void
return_site_post (GTask     *task,
                  KqArticle *article,
                  GError    *error)
{
  if (article == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  save_article (g_task_get_source_object (task), article);
  g_task_return_pointer (task, article, g_object_unref);
}

static void
on_found_on_site_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  KqArticle *article = kq_source_get_post_finish (KQ_SOURCE (object), result, &error);

  return_site_post (task, article, error);
}

static void
on_found_in_store_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqLibrary *self = g_task_get_source_object (task);
  GCancellable *cancellable;
  KqArticle *article;
  GError *error = NULL;
  gint64 id;

  article = kq_store_get_article_finish (KQ_STORE (object), result, &error);
  if (article != NULL)
    {
      g_task_return_pointer (task, article, g_object_unref);
      return;
    }
  if (is_cancelled (error) || kq_library_get_offline (self))
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_error (&error);
  cancellable = g_task_get_cancellable (task);
  id = (gint64) GPOINTER_TO_SIZE (g_task_get_task_data (task));
  kq_source_get_post_async (_kq_library_get_source (self), id, cancellable, on_found_on_site_cb,
                            g_steal_pointer (&task));
}

void
kq_library_find_article_async (KqLibrary           *self,
                               gint64               id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_library_find_article_async);
  g_task_set_task_data (task, GSIZE_TO_POINTER ((gsize) id), NULL);
  kq_store_get_article_async (_kq_library_get_store (self), kq_library_get_source_url (self),
                              id, cancellable, on_found_in_store_cb, task);
}

/**
 * kq_library_find_article_finish:
 *
 * Returns: (transfer full): the article, or NULL with @error set
 */
KqArticle *
kq_library_find_article_finish (KqLibrary     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Following a link to another article */

static void
on_link_found_on_site_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  KqArticle *article = kq_source_get_post_by_link_finish (KQ_SOURCE (object), result, &error);

  return_site_post (task, article, error);
}

static void
on_link_found_in_store_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqLibrary *self = g_task_get_source_object (task);
  KqArticle *from = g_object_get_data (G_OBJECT (task), "kq-from");
  const char *uri = g_task_get_task_data (task);
  GCancellable *cancellable;
  KqArticle *article;
  GError *error = NULL;

  article = kq_store_get_article_by_link_finish (KQ_STORE (object), result, &error);
  if (article != NULL)
    {
      g_task_return_pointer (task, article, g_object_unref);
      return;
    }
  if (is_cancelled (error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);

  /* Not cached: ask the site, if the link is of the site read. */
  if (kq_library_get_offline (self) || !kq_library_is_from_source (self, from))
    {
      g_task_return_new_error (task, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND,
                               _("This page is not an article of the site"));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  kq_source_get_post_by_link_async (_kq_library_get_source (self), uri, cancellable,
                                    on_link_found_on_site_cb, g_steal_pointer (&task));
}

void
kq_library_resolve_link_async (KqLibrary           *self,
                               KqArticle           *from,
                               const char          *uri,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (KQ_IS_ARTICLE (from));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_library_resolve_link_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);
  g_object_set_data_full (G_OBJECT (task), "kq-from", g_object_ref (from), g_object_unref);

  if (kq_article_get_source (from) == NULL)
    {
      g_task_return_new_error (task, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND,
                               _("This page is not an article of the site"));
      g_object_unref (task);
      return;
    }

  kq_store_get_article_by_link_async (_kq_library_get_store (self), kq_article_get_source (from),
                                      uri, cancellable, on_link_found_in_store_cb, task);
}

/**
 * kq_library_resolve_link_finish:
 *
 * Returns: (transfer full): the article linked, or NULL with @error set
 */
KqArticle *
kq_library_resolve_link_finish (KqLibrary     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Read state */

static void
on_read_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KqLibrary) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kq_store_set_read_finish (KQ_STORE (object), result, &error))
    {
      if (!is_cancelled (error))
        g_warning ("Could not save the read state: %s", error->message);
      return;
    }

  _kq_library_queue_counts (self);
}

void
kq_library_set_read (KqLibrary *self,
                     KqArticle *article,
                     gboolean   read)
{
  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (KQ_IS_ARTICLE (article));

  kq_article_set_read (article, read);
  /* The reader's state, like a bookmark: written even when closing. */
  kq_store_set_read_async (_kq_library_get_store (self), kq_article_get_source (article),
                           kq_article_get_id (article), read, NULL, on_read_saved_cb,
                           g_object_ref (self));
}

static void
on_marked_all_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  kq_store_mark_all_read_finish (KQ_STORE (object), result, &error);
  _kq_library_queue_counts (g_task_get_source_object (task));
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

typedef struct
{
  KqLibrary *self;
  gboolean   one_by_one;
} MarkRead;

static void
mark_one_read (gpointer data,
               gpointer user_data)
{
  KqArticle *article = data;
  MarkRead *mark = user_data;

  if (mark->one_by_one && !kq_article_get_read (article))
    kq_library_set_read (mark->self, article, TRUE);
  kq_article_set_read (article, TRUE);
}

void
kq_library_mark_all_read_async (KqLibrary           *self,
                                KqArticleFeed       *feed,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KqArticleFeedKind kind;
  MarkRead mark = { self, FALSE };

  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (KQ_IS_ARTICLE_FEED (feed));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, kq_library_mark_all_read_async);

  /* A category or the latest as a whole in the store (its cached articles
   * not listed too); bookmarks and search results one by one (they may come
   * from other sources or lists). */
  kind = kq_article_feed_get_kind (feed);
  mark.one_by_one = kind == KQ_ARTICLE_FEED_BOOKMARKS || kind == KQ_ARTICLE_FEED_SEARCH;
  _kq_article_feed_foreach (feed, mark_one_read, &mark);

  if (mark.one_by_one)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  kq_store_mark_all_read_async (_kq_library_get_store (self), kq_article_feed_get_source_url (feed),
                                kind == KQ_ARTICLE_FEED_CATEGORY
                                ? kq_article_feed_get_category_id (feed) : 0,
                                NULL, on_marked_all_read_cb,
                                g_steal_pointer (&task));
}

gboolean
kq_library_mark_all_read_finish (KqLibrary     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Bookmarks */

/* Shows @bookmarked at once (the star, the Favoris lists), before the store
 * has it; and back when the store could not. */
static void
show_bookmarked (KqLibrary *self,
                 KqArticle *article,
                 gboolean   bookmarked)
{
  g_autoptr(GPtrArray) feeds = _kq_library_dup_feeds (self);

  kq_article_set_bookmarked (article, bookmarked);
  for (guint i = 0; i < feeds->len; i++)
    _kq_article_feed_bookmark_changed (g_ptr_array_index (feeds, i), article, bookmarked);
}

static void
on_bookmark_saved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqLibrary *self = g_task_get_source_object (task);
  KqArticle *article = g_task_get_task_data (task);
  gboolean bookmarked = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "kq-bookmarked"));
  GError *error = NULL;
  gboolean done = bookmarked
    ? kq_store_add_bookmark_finish (KQ_STORE (object), result, &error)
    : kq_store_remove_bookmark_finish (KQ_STORE (object), result, &error);

  /* Not saved: the star and the lists say so again (the count is read back). */
  if (!done)
    show_bookmarked (self, article, !bookmarked);
  _kq_library_count_bookmarks (self);
  if (!done)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
kq_library_set_bookmarked_async (KqLibrary           *self,
                                 KqArticle           *article,
                                 gboolean             bookmarked,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  guint count;
  GTask *task;

  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (KQ_IS_ARTICLE (article));

  bookmarked = !!bookmarked;
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, kq_library_set_bookmarked_async);
  g_task_set_task_data (task, g_object_ref (article), g_object_unref);
  g_object_set_data (G_OBJECT (task), "kq-bookmarked", GINT_TO_POINTER (bookmarked));

  /* Shown at once: the star, the count, the Favoris list. */
  show_bookmarked (self, article, bookmarked);
  count = kq_library_get_bookmark_count (self);
  _kq_library_set_bookmark_count (self, bookmarked ? count + 1 : count > 0 ? count - 1 : 0);

  /* A user's save: no cancellable, whatever happens to the window. */
  if (bookmarked)
    kq_store_add_bookmark_async (_kq_library_get_store (self), article, NULL,
                                 on_bookmark_saved_cb, task);
  else
    kq_store_remove_bookmark_async (_kq_library_get_store (self), kq_article_get_source (article),
                                    kq_article_get_id (article), NULL, on_bookmark_saved_cb, task);
}

gboolean
kq_library_set_bookmarked_finish (KqLibrary     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Export and import */

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gint64 n;

  if (g_task_get_source_tag (G_TASK (result)) == kq_store_export_bookmarks_html_async)
    n = kq_store_export_bookmarks_html_finish (KQ_STORE (object), result, &error);
  else
    n = kq_store_export_bookmarks_finish (KQ_STORE (object), result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

void
kq_library_export_bookmarks_async (KqLibrary           *self,
                                   GFile               *file,
                                   gboolean             html,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_library_export_bookmarks_async);
  if (html)
    kq_store_export_bookmarks_html_async (_kq_library_get_store (self), file, cancellable,
                                          on_exported_cb, task);
  else
    kq_store_export_bookmarks_async (_kq_library_get_store (self), file, cancellable,
                                     on_exported_cb, task);
}

gint64
kq_library_export_bookmarks_finish (KqLibrary     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
reload_feeds (KqLibrary         *self,
              gboolean           all,
              KqArticleFeedKind  kind)
{
  g_autoptr(GPtrArray) feeds = _kq_library_dup_feeds (self);

  for (guint i = 0; i < feeds->len; i++)
    {
      KqArticleFeed *feed = g_ptr_array_index (feeds, i);

      if (all || kq_article_feed_get_kind (feed) == kind)
        kq_article_feed_reload (feed);
    }
}

static void
on_imported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqLibrary *self = g_task_get_source_object (task);
  GError *error = NULL;
  gint64 n;

  n = kq_store_import_bookmarks_finish (KQ_STORE (object), result, &error);
  _kq_library_count_bookmarks (self);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  reload_feeds (self, FALSE, KQ_ARTICLE_FEED_BOOKMARKS);
  g_task_return_int (task, n);
}

void
kq_library_import_bookmarks_async (KqLibrary           *self,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_library_import_bookmarks_async);
  kq_store_import_bookmarks_async (_kq_library_get_store (self), file, cancellable,
                                   on_imported_cb, task);
}

gint64
kq_library_import_bookmarks_finish (KqLibrary     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* Clearing the cache */

static void
on_cache_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!kq_store_clear_cache_finish (KQ_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Categories and every list from the site again. */
  _kq_library_reload_categories (g_task_get_source_object (task));
  reload_feeds (g_task_get_source_object (task), TRUE, 0);
  g_task_return_boolean (task, TRUE);
}

void
kq_library_clear_cache_async (KqLibrary           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KQ_IS_LIBRARY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_library_clear_cache_async);
  kq_store_clear_cache_async (_kq_library_get_store (self), cancellable, on_cache_cleared_cb, task);
}

gboolean
kq_library_clear_cache_finish (KqLibrary     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Comments */

typedef struct
{
  GPtrArray *comments;
  char      *base;             /* the article's link */
  char      *youtube_posters;  /* the library's, as for article bodies */
} CommentBodies;

static void
comment_bodies_free (gpointer data)
{
  CommentBodies *bodies = data;

  g_clear_pointer (&bodies->comments, g_ptr_array_unref);
  g_free (bodies->base);
  g_free (bodies->youtube_posters);
  g_free (bodies);
}

/* Each comment's content into blocks, with the options article bodies get,
 * on a worker thread: a page of hostile comments never holds the main loop. */
static void
parse_comment_bodies_thread (GTask        *task,
                             gpointer      source_object,
                             gpointer      task_data,
                             GCancellable *cancellable)
{
  CommentBodies *bodies = task_data;
  KqHtmlOptions opts = { .youtube_posters = bodies->youtube_posters };

  for (guint i = 0; i < bodies->comments->len; i++)
    {
      KqComment *comment = g_ptr_array_index (bodies->comments, i);
      const char *link = kq_comment_get_link (comment);
      g_autoptr(KqHtmlDocument) document = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      document = kq_html_parse (kq_comment_get_content_html (comment), -1,
                                link != NULL ? link : bodies->base, &opts);
      kq_comment_set_document (comment, document);
    }

  g_task_return_pointer (task, g_ptr_array_ref (bodies->comments),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
on_comments_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  KqLibrary *self = g_task_get_source_object (task);
  CommentBodies *bodies = g_task_get_task_data (task);
  GError *error = NULL;

  bodies->comments = kq_source_list_comments_finish (KQ_SOURCE (object), result, &error);
  if (bodies->comments == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  bodies->youtube_posters = g_strdup (self->youtube_posters);
  g_task_run_in_thread (task, parse_comment_bodies_thread);
  g_object_unref (task);
}

void
kq_library_list_comments_async (KqLibrary           *self,
                                KqArticle           *article,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  CommentBodies *bodies;
  GTask *task;

  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (KQ_IS_ARTICLE (article));

  bodies = g_new0 (CommentBodies, 1);
  bodies->base = g_strdup (kq_article_get_link (article));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_library_list_comments_async);
  g_task_set_task_data (task, bodies, comment_bodies_free);
  kq_source_list_comments_async (_kq_library_get_source (self), kq_article_get_id (article),
                                 cancellable, on_comments_cb, task);
}

/**
 * kq_library_list_comments_finish:
 *
 * Returns: (transfer full): a GPtrArray of KqComment, or NULL with @error set
 */
GPtrArray *
kq_library_list_comments_finish (KqLibrary     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Probing another site */

static void
on_probed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *probe = KQ_SOURCE (object);
  GError *error = NULL;

  if (!kq_source_discover_finish (probe, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_object_set_data (G_OBJECT (task), "kq-is-feed",
                     GINT_TO_POINTER (kq_source_get_mode (probe) == KQ_SOURCE_MODE_FEED));
  g_task_return_pointer (task, g_strdup (kq_source_get_url (probe)), g_free);
}

void
kq_library_probe_source_async (KqLibrary           *self,
                               const char          *url,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(KqSource) probe = NULL;
  GTask *task;

  g_return_if_fail (KQ_IS_LIBRARY (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_library_probe_source_async);
  probe = kq_source_new (_kq_library_get_http (self), url);
  kq_source_discover_async (probe, cancellable, on_probed_cb, task);
}

/**
 * kq_library_probe_source_finish:
 * @is_feed: (out) (optional): a plain feed rather than a WordPress site
 *
 * Returns: (transfer full): the address to read, or NULL with @error set
 */
char *
kq_library_probe_source_finish (KqLibrary     *self,
                                GAsyncResult  *result,
                                gboolean      *is_feed,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (is_feed != NULL)
    *is_feed = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "kq-is-feed"));

  return g_task_propagate_pointer (G_TASK (result), error);
}
