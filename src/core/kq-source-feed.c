/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-source"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kq-feed-parser.h"
#include "kq-source-private.h"
#include "kq-url.h"

/* WP_FEED and FEED modes: a WordPress site's RSS feeds, or a plain feed. */

/* Articles seen in feed modes, to answer get_post without a REST API: a
 * feed's worth (KQ_FEED_MAX_ITEMS). */
#define MAX_SEEN_ARTICLES    KQ_FEED_MAX_ITEMS

static char *
add_query (const char *url,
           const char *query)
{
  return g_strconcat (url, strchr (url, '?') != NULL ? "&" : "?", query, NULL);
}

static void
remember_articles (KqSource  *self,
                   GPtrArray *articles)
{
  if (g_hash_table_size (self->seen) > MAX_SEEN_ARTICLES)
    g_hash_table_remove_all (self->seen);

  for (guint i = 0; i < articles->len; i++)
    {
      KqArticle *article = g_ptr_array_index (articles, i);
      gint64 *key = g_new (gint64, 1);

      *key = kq_article_get_id (article);
      g_hash_table_replace (self->seen, key, g_object_ref (article));
    }
}

/* Derived categories (see _kq_source_list_categories_from_feed()) need ids that stay
 * the same from one run to the next and never meet WordPress's positive ids. */
static gint64
derived_category_id (const char *slug)
{
  guint32 hash = 5381;

  for (const char *p = slug; *p != '\0'; p++)
    hash = hash * 33 + (guchar)*p;

  return -(gint64)(hash & 0x7fffffff) - 1;
}

static char *
slugify (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *slug = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          g_string_append_c (slug, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }

  return g_string_free (slug, FALSE);
}

/* Feed pages past the first: WordPress's feeds take ?paged=N. A feed that
 * ignores it would give page 1 again: that counts as the end. */
static gboolean
is_repeated_first_page (KqSource   *self,
                        KqSourceOp *op,
                        GPtrArray  *items)
{
  const char *first = items->len > 0 ? kq_article_get_link (g_ptr_array_index (items, 0)) : NULL;

  if (op->page <= 1)
    {
      if (first != NULL)
        g_hash_table_replace (self->first_links, g_strdup (op->feed_url), g_strdup (first));
      return FALSE;
    }

  return first != NULL &&
         g_strcmp0 (g_hash_table_lookup (self->first_links, op->feed_url), first) == 0;
}

static KqCategory *
find_category_by_name (KqSource   *self,
                       const char *name)
{
  for (guint i = 0; self->categories != NULL && i < self->categories->len; i++)
    {
      KqCategory *category = g_ptr_array_index (self->categories, i);

      if (g_strcmp0 (kq_category_get_name (category), name) == 0)
        return category;
    }

  return NULL;
}

/* WP_FEED: feed items name their categories (<category>); the store links
 * articles to categories by id, for the category lists and their unread
 * counts offline. The ids come from the category list by name, and a
 * category's own feed adds that category. */
static void
link_categories (KqSource   *self,
                 KqSourceOp *op,
                 GPtrArray  *items)
{
  gint64 listed = op->kind == OP_POSTS ? op->id : 0;

  for (guint i = 0; i < items->len; i++)
    {
      KqArticle *article = g_ptr_array_index (items, i);
      const char * const *names = kq_article_get_category_names (article);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      gboolean has_listed = FALSE;

      for (guint j = 0; names != NULL && names[j] != NULL; j++)
        {
          KqCategory *category = find_category_by_name (self, names[j]);
          gint64 id;

          if (category == NULL)
            continue;
          id = kq_category_get_id (category);
          has_listed |= id == listed;
          g_array_append_val (ids, id);
        }
      if (listed != 0 && !has_listed)
        g_array_append_val (ids, listed);
      if (ids->len > 0)
        kq_article_set_category_ids (article, (const gint64 *) (gpointer) ids->data, ids->len);
    }
}

static void
feed_parsed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  g_autoptr(KqFeed) feed = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  feed = kq_feed_parser_parse_finish (result, &error);
  if (feed == NULL)
    {
      g_task_return_error (task, _kq_source_reader_error (self, g_steal_pointer (&error)));
      return;
    }

  if (self->mode == KQ_SOURCE_MODE_FEED && self->title == NULL && kq_feed_get_title (feed) != NULL)
    self->title = g_strdup (kq_feed_get_title (feed));

  items = kq_feed_get_items (feed);
  if (self->mode == KQ_SOURCE_MODE_WP_FEED && op->kind != OP_CATEGORIES && op->kind != OP_COMMENTS)
    link_categories (self, op, items);
  remember_articles (self, items);

  if (op->kind == OP_CATEGORIES)
    {
      /* Feed mode without REST categories: see _kq_source_list_categories_from_feed(). */
      GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (guint i = 0; i < items->len; i++)
        {
          const char * const *item_names = kq_article_get_category_names (g_ptr_array_index (items, i));

          for (guint j = 0; item_names != NULL && item_names[j] != NULL; j++)
            {
              gpointer count;

              if (*item_names[j] == '\0')
                continue;
              if (!g_hash_table_lookup_extended (counts, item_names[j], NULL, &count))
                {
                  char *key = g_strdup (item_names[j]);

                  g_hash_table_insert (counts, key, GUINT_TO_POINTER (0));
                  g_ptr_array_add (names, key);
                  count = GUINT_TO_POINTER (0);
                }
              g_hash_table_insert (counts, g_strdup (item_names[j]),
                                   GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
            }
        }

      for (guint i = 0; i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);
          g_autofree char *slug = slugify (name);
          g_autofree char *link = NULL;
          KqCategory *category;

          if (*slug == '\0')
            continue;

          /* WordPress redirects this to the category's page, whatever
           * its category base ("/category/", "/rubrique/"…). */
          link = g_strconcat (self->url, "/?category_name=", slug, NULL);
          category = kq_category_new ();
          kq_category_set_id (category, derived_category_id (slug));
          kq_category_set_source (category, self->url);
          kq_category_set_name (category, name);
          kq_category_set_slug (category, slug);
          kq_category_set_link (category, link);
          kq_category_set_count (category,
                                 GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)));
          kq_category_set_position (category, op->results->len);
          g_ptr_array_add (op->results, category);
        }
      g_hash_table_unref (counts);

      _kq_source_return_categories (task);
      return;
    }

  if (op->kind == OP_POST_BY_LINK)
    {
      _kq_source_return_post_by_link (task, items);
      return;
    }

  if (op->kind == OP_POST)
    {
      for (guint i = 0; i < items->len; i++)
        {
          KqArticle *article = g_ptr_array_index (items, i);

          if (kq_article_get_id (article) == op->id)
            {
              g_task_return_pointer (task, g_object_ref (article), g_object_unref);
              return;
            }
        }

      g_task_return_error (task, kq_http_error_new_for_status (404, op->feed_url));
      return;
    }

  if (op->kind == OP_COMMENTS)
    {
      g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func (g_object_unref);

      /* A post's comment feed: no threading information in RSS. */
      for (guint i = 0; i < items->len; i++)
        {
          KqArticle *item = g_ptr_array_index (items, i);
          KqComment *comment = kq_comment_new ();
          const char *content = kq_article_get_body_html (item);

          kq_comment_set_id (comment, kq_article_get_id (item));
          kq_comment_set_post_id (comment, op->id);
          kq_comment_set_author (comment, kq_article_get_author (item));
          kq_comment_set_date (comment, kq_article_get_date (item));
          kq_comment_set_content_html (comment, content != NULL && *content != '\0'
                                                ? content : kq_article_get_excerpt (item));
          kq_comment_set_link (comment, kq_article_get_link (item));
          g_ptr_array_add (comments, comment);
        }

      g_task_return_pointer (task, kq_comment_thread (comments), (GDestroyNotify)g_ptr_array_unref);
      return;
    }

  /* OP_POSTS, OP_SEARCH */
  if (self->mode == KQ_SOURCE_MODE_FEED)
    {
      op->total_pages = 1;
      for (guint i = 0; i < items->len; i++)
        {
          KqArticle *article = g_ptr_array_index (items, i);

          /* A plain feed has no server-side search: match words locally,
           * accents and case ignored. */
          if (op->kind == OP_SEARCH &&
              (kq_article_get_title (article) == NULL ||
               !g_str_match_string (op->query, kq_article_get_title (article), TRUE)) &&
              (kq_article_get_excerpt (article) == NULL ||
               !g_str_match_string (op->query, kq_article_get_excerpt (article), TRUE)))
            continue;

          g_ptr_array_add (op->results, g_object_ref (article));
        }
      _kq_source_return_results (task);
      return;
    }

  if (is_repeated_first_page (self, op, items))
    {
      op->total_pages = op->page - 1;
      _kq_source_return_results (task);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (op->results, g_object_ref (g_ptr_array_index (items, i)));

  /* Feeds do not say how many pages there are: one more while pages are not empty. */
  op->total_pages = items->len > 0 ? op->page + 1 : op->page - 1;
  _kq_source_return_results (task);
}

static void
feed_fetched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  g_autoptr(KqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  response = kq_http_get_finish (KQ_HTTP (object), result, &error);

  /* Comments through feeds are a best effort: a site without comment
   * feeds simply shows none. */
  if (op->kind == OP_COMMENTS &&
      (g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND) ||
       g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_FORBIDDEN) ||
       (response != NULL && !kq_feed_parser_looks_like_feed (kq_http_response_get_body (response)))))
    {
      g_debug ("%s: no comment feed for post %" G_GINT64_FORMAT, self->url, op->id);
      _kq_source_return_results (task);
      return;
    }

  if (response == NULL)
    {
      /* Past the last page, WordPress answers 404. */
      if (op->page > 1 && g_error_matches (error, KQ_HTTP_ERROR, KQ_HTTP_ERROR_NOT_FOUND))
        {
          op->total_pages = op->page - 1;
          _kq_source_return_results (task);
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  body = kq_http_response_get_body (response);
  if (!kq_feed_parser_looks_like_feed (body))
    {
      g_autofree char *site = _kq_source_site_name (self);

      g_task_return_new_error (task, KQ_FEED_ERROR, KQ_FEED_ERROR_NOT_A_FEED,
                               _("The site %s sent a web page where Kiosque expected its news feed. Try again later."),
                               site);
      return;
    }

  kq_feed_parser_parse_async (body, self->url, kq_http_response_get_uri (response),
                              g_task_get_cancellable (task), feed_parsed_cb,
                              g_object_ref (task));
}

static void
fetch_feed (GTask      *task,
            const char *feed_url,
            guint       page)
{
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  g_free (op->feed_url);
  op->feed_url = g_strdup (feed_url);

  if (page > 1)
    {
      g_autofree char *paged = g_strdup_printf ("paged=%u", page);
      url = add_query (feed_url, paged);
    }
  else
    url = g_strdup (feed_url);

  kq_http_get_async (self->http, url, KQ_HTTP_FLAGS_CONDITIONAL, g_task_get_cancellable (task),
                     feed_fetched_cb, g_object_ref (task));
}

static KqCategory *
find_category (KqSource *self,
               gint64    id)
{
  for (guint i = 0; self->categories != NULL && i < self->categories->len; i++)
    {
      KqCategory *category = g_ptr_array_index (self->categories, i);

      if (kq_category_get_id (category) == id)
        return category;
    }

  return NULL;
}

/* In WP_FEED mode, categories come from the REST API when its categories
 * endpoint still answers (some sites block only the posts); otherwise they
 * are derived from the main feed: every distinct <category> name of its
 * items, in order of first appearance, with a slug made from the name, a
 * link "<site>/?category_name=<slug>" (which WordPress redirects to the
 * category's page whatever its category base; its feed adds "&feed=rss2")
 * and a stable negative id from the slug. WordPress
 * lists tags in the same <category> elements, so tags show up too: there is
 * no way to tell them apart in RSS. */
void
_kq_source_list_categories_from_feed (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);

  g_debug ("%s: deriving categories from the feed", self->url);
  fetch_feed (task, self->feed_url, 1);
}

static void
categories_for_feed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KqSourceOp *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;

  categories = kq_source_list_categories_finish (KQ_SOURCE (object), result, &error);
  /* A category's feed needs the list; the main feed and search do without
   * (their articles are then linked on a later load). */
  if (categories == NULL &&
      (op->id != 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    g_debug ("Articles without their categories: %s", error->message);

  _kq_source_dispatch (task);
}

/* Lists the categories, then dispatches @task again. */
static void
ask_categories_first (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);

  op->categories_asked = TRUE;
  kq_source_list_categories_async (self, g_task_get_cancellable (task),
                                   categories_for_feed_cb, g_object_ref (task));
}

/* A category's feed in the query form, which every WordPress answers
 * whatever its permalinks and category base (a derived category's
 * "/category/<slug>/feed/" 404s on a site whose base is "/rubrique/"):
 * "?cat=ID" for a category the site listed, "?category_name=SLUG" for one
 * derived from the feed's <category> names. */
static char *
category_feed_url (KqSource   *self,
                   KqCategory *category)
{
  gint64 id = kq_category_get_id (category);
  const char *slug = kq_category_get_slug (category);
  g_autofree char *escaped = NULL;

  if (id > 0)
    return g_strdup_printf ("%s/?cat=%" G_GINT64_FORMAT "&feed=rss2", self->url, id);
  escaped = g_uri_escape_string (slug != NULL ? slug : "", NULL, FALSE);
  return g_strdup_printf ("%s/?category_name=%s&feed=rss2", self->url, escaped);
}

void
_kq_source_dispatch_feed (GTask *task)
{
  KqSource *self = g_task_get_source_object (task);
  KqSourceOp *op = g_task_get_task_data (task);
  gboolean plain = self->mode == KQ_SOURCE_MODE_FEED;

  switch (op->kind)
    {
    case OP_CATEGORIES:
      if (plain)
        {
          _kq_source_return_results (task);
          return;
        }
      /* REST categories first, if that endpoint answers. */
      op->next_page = 1;
      if (self->api_root != NULL)
        _kq_source_fetch_categories_page (task);
      else
        _kq_source_list_categories_from_feed (task);
      return;

    case OP_POSTS:
      if (plain && op->page > 1)
        {
          op->total_pages = 1;
          _kq_source_return_results (task);
          return;
        }
      if (!plain && op->id != 0)
        {
          KqCategory *category = find_category (self, op->id);
          g_autofree char *feed_url = NULL;

          if (category == NULL && self->categories == NULL)
            {
              /* The category's slug comes from the category list. */
              ask_categories_first (task);
              return;
            }
          if (category == NULL)
            {
              g_task_return_error (task, kq_http_error_new_for_status (404, self->url));
              return;
            }

          feed_url = category_feed_url (self, category);
          fetch_feed (task, feed_url, op->page);
          return;
        }
      if (!plain && self->categories == NULL && !op->categories_asked)
        {
          /* Its articles are linked to categories from the list. */
          ask_categories_first (task);
          return;
        }
      fetch_feed (task, self->feed_url, plain ? 1 : op->page);
      return;

    case OP_SEARCH:
      if (plain)
        {
          if (op->page > 1)
            {
              op->total_pages = 1;
              _kq_source_return_results (task);
              return;
            }
          fetch_feed (task, self->feed_url, 1);
        }
      else
        {
          g_autofree char *escaped = g_uri_escape_string (op->query, NULL, FALSE);
          g_autofree char *feed_url = g_strdup_printf ("%s/?s=%s&feed=rss2", self->url, escaped);

          if (self->categories == NULL && !op->categories_asked)
            {
              ask_categories_first (task);
              return;
            }
          fetch_feed (task, feed_url, op->page);
        }
      return;

    case OP_POST_BY_LINK:
      {
        GHashTableIter iter;
        gpointer value;

        g_hash_table_iter_init (&iter, self->seen);
        while (g_hash_table_iter_next (&iter, NULL, &value))
          if (_kq_source_same_permalink (kq_article_get_link (value), op->query))
            {
              g_task_return_pointer (task, g_object_ref (value), g_object_unref);
              return;
            }
        /* Not seen yet: look in the main feed. */
        fetch_feed (task, self->feed_url, 1);
      }
      return;

    case OP_POST:
      {
        KqArticle *article = g_hash_table_lookup (self->seen, &op->id);

        if (article != NULL)
          {
            g_task_return_pointer (task, g_object_ref (article), g_object_unref);
            return;
          }
        /* Not seen yet: look in the main feed. */
        fetch_feed (task, self->feed_url, 1);
      }
      return;

    case OP_COMMENTS:
      if (plain || op->id <= 0)
        {
          _kq_source_return_results (task);
          return;
        }
      {
        /* A post's comment feed is its permalink + "feed/"; "?p=ID&feed=rss2"
         * redirects there when the post was not seen yet. */
        KqArticle *article = g_hash_table_lookup (self->seen, &op->id);
        const char *link = article != NULL ? kq_article_get_link (article) : NULL;
        g_autofree char *feed_url = NULL;

        if (link != NULL && kq_url_is_http (link) && strchr (link, '?') == NULL)
          feed_url = g_strconcat (link, g_str_has_suffix (link, "/") ? "" : "/", "feed/", NULL);
        else
          feed_url = g_strdup_printf ("%s/?p=%" G_GINT64_FORMAT "&feed=rss2", self->url, op->id);
        fetch_feed (task, feed_url, 1);
      }
      return;

    default:
      g_assert_not_reached ();
    }
}
