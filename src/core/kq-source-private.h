/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kq-source.h"

G_BEGIN_DECLS

struct _KqSource
{
  GObject       parent_instance;

  KqHttp       *http;
  char         *url;            /* normalised site URL, no trailing slash */
  KqSourceMode  mode;
  char         *api_root;       /* REST root, "…/wp-json/" or "…/?rest_route=/" */
  char         *feed_url;       /* the main feed (WP_FEED and FEED) */
  char         *title;
  guint         per_page;

  GPtrArray    *categories;     /* last list, for the feed links in WP_FEED mode */
  GHashTable   *seen;           /* id → KqArticle, feed modes only */
  GHashTable   *first_links;    /* feed URL → first item's link on page 1 */

  gboolean      restored;       /* mode from an earlier start, not yet confirmed */

  GCancellable *cancellable;    /* discovery; cancelled in dispose */
  GPtrArray    *discover_waiters;
};

typedef enum {
  OP_CATEGORIES,
  OP_POSTS,
  OP_SEARCH,
  OP_POST,
  OP_COMMENTS,
  OP_POST_BY_LINK,
} KqSourceOpKind;

typedef struct
{
  KqSourceOpKind          kind;
  gint64          id;           /* category, post */
  guint           page;
  char           *query;
  guint           total_pages;
  guint           next_page;    /* categories and comments: pages walked */
  char           *feed_url;
  gboolean        categories_asked; /* WP_FEED: the category list was asked for once */
  KqSourceMode    restored_mode;    /* the kept mode it was started in, if any */
  GPtrArray      *results;
  KqHttpResponse *response;
} KqSourceOp;

/* kq-source.c */
void       _kq_source_set_mode             (KqSource     *self,
                                            KqSourceMode  mode);
/* Runs the operation of @task (its task data, a KqSourceOp) in the current mode. */
void       _kq_source_dispatch             (GTask        *task);
/* Returns the operation's results array. */
void       _kq_source_return_results       (GTask        *task);
void       _kq_source_return_categories    (GTask        *task);
gboolean   _kq_source_looks_like_json      (GBytes       *body);
char      *_kq_source_site_name            (KqSource     *self);
/* Takes @error; returns it, or a sentence a reader understands instead. */
GError    *_kq_source_reader_error         (KqSource     *self,
                                            GError       *error);
char      *_kq_source_link_path            (const char   *link);
gboolean   _kq_source_same_permalink       (const char   *a,
                                            const char   *b);
void       _kq_source_return_post_by_link  (GTask        *task,
                                            GPtrArray    *articles);

/* kq-source-discovery.c */
void       _kq_source_start_discovery      (KqSource     *self);

/* kq-source-rest.c */
char      *_kq_source_build_api_url        (KqSource     *self,
                                            const char   *route,
                                            const char   *query);
void       _kq_source_fetch_categories_page (GTask       *task);
void       _kq_source_dispatch_rest        (GTask        *task);

/* kq-source-feed.c */
void       _kq_source_list_categories_from_feed (GTask   *task);
void       _kq_source_dispatch_feed        (GTask        *task);

G_END_DECLS
