/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kq-test-server.h"

G_BEGIN_DECLS

/* Site data shared (read-only) by every KqTestServer of the process. */

typedef struct {
  gint64      id;
  JsonObject *post;        /* REST object without _embedded */
  JsonObject *embedded;    /* its _embedded object */
  const char *date_gmt;
  const char *modified_gmt;
  const char *date;
  const char *slug;
  const char *title_rendered;
  char       *title_key;   /* folded plain title, for orderby=title */
  char       *search;      /* folded title + excerpt + content text */
  const char *path;        /* permalink path "/2026/11/28/slug/" */
  const char *rss_title;
  const char *rss_description;
  const char *author_name;
  guint       comment_count;
  GArray     *categories;  /* gint64 */
  GArray     *tags;        /* gint64 */
  gint64      author;
  gboolean    sticky;
  char       *json;        /* serialised (WordPress escaping), with {{SITE}} */
  char       *json_embed;  /* same with _embedded */
} KqSitePost;

typedef struct {
  char       *dir;
  JsonNode   *root_node;
  JsonObject *root;
  const char *name;
  const char *description;
  const char *modified_gmt;
  GPtrArray  *posts;            /* KqSitePost*, date_gmt descending */
  GHashTable *post_by_id;       /* gint64* → KqSitePost* */
  GHashTable *post_by_path;     /* "/yyyy/mm/dd/slug/" → KqSitePost* */
  JsonArray  *categories;
  JsonArray  *tags;
  JsonArray  *users;
  JsonArray  *media;
  JsonArray  *comments;
  GHashTable *private_media;    /* gint64* set */
  GHashTable *uploads;          /* "2026/11/x-150x150.png" → GBytes* */
} KqSiteData;

KqSiteData *_kq_site_data_get          (const char  *dir,
                                        GError     **error);
char       *_kq_site_fold              (const char  *text);
gboolean    _kq_site_post_matches      (KqSitePost  *post,
                                        const char  *search);
/* json-glib output with WordPress escaping ("\/" and "\u00e9"). */
char       *_kq_site_to_wp_json        (JsonNode    *node);
JsonObject *_kq_site_find_by_id        (JsonArray   *array,
                                        gint64       id);
JsonObject *_kq_site_category_by_path  (KqSiteData  *site,
                                        const char  *path);


/* The server object, shared by the kq-test-server*.c files. */

#define HTML_TYPE "text/html; charset=UTF-8"
#define JSON_TYPE "application/json; charset=UTF-8"
#define RSS_TYPE "application/rss+xml; charset=UTF-8"
#define FEED_PER_PAGE 20
#define DRIP_BYTES 16
#define HUGE_CHUNK (64 * 1024)

typedef struct {
  char        *prefix;
  KqTestFault  fault;
  guint        param;
  guint        remaining; /* 0 = always */
} Fault;

typedef struct {
  KqTestServer      *self;
  SoupServerMessage *msg;
  GSource           *source;
  gulong             finished_id;
  gulong             disconnected_id;
  gulong             wrote_chunk_id;
  KqTestFault        fault;
  guint              param;
  char              *path;
  GHashTable        *query;
  GBytes            *body;
  gsize              offset;
  guint64            total;
} Pending;

struct _KqTestServer
{
  GObject       parent_instance;

  SoupServer   *server;
  GMainContext *context;
  KqSiteData   *site;
  char         *url;
  char         *url_json;
  guint         port;
  gboolean      rest_enabled;
  GPtrArray    *faults;
  GPtrArray    *request_paths;
  GPtrArray    *request_fulls;
  GPtrArray    *not_modified_paths;   /* answered 304 */
  GPtrArray    *not_modified_fulls;
  GList        *pending;
  guint         unpublished;          /* the newest posts not published yet */
};

/* kq-test-server.c */
/* Whether @post is on the site (not one of the newest kept back). */
gboolean     _kq_test_server_is_published    (KqTestServer      *self,
                                              KqSitePost        *post);
void         _kq_test_server_handle_request  (KqTestServer      *self,
                                              SoupServerMessage *msg,
                                              const char        *path,
                                              GHashTable        *query);
/* A query parameter, or NULL (@query may be NULL). */
const char  *_kq_test_server_param           (GHashTable        *query,
                                              const char        *name);
gboolean     _kq_test_server_is_rest_path    (const char        *path);
/* @text with {{SITE}} replaced by the server's URL (JSON-escaped if @json). */
char        *_kq_test_server_subst           (KqTestServer      *self,
                                              const char        *text,
                                              gboolean           json);
GDateTime   *_kq_test_server_parse_gmt       (const char        *iso);
void         _kq_test_server_set_text        (SoupServerMessage *msg,
                                              guint              status,
                                              const char        *content_type,
                                              char              *body);
/* 200 with ETag and Last-Modified, or 304 for a matching conditional GET. */
void         _kq_test_server_send_cacheable  (KqTestServer      *self,
                                              SoupServerMessage *msg,
                                              const char        *content_type,
                                              char              *body,
                                              const char        *modified_gmt);
void         _kq_test_server_send_json_error (KqTestServer      *self,
                                              SoupServerMessage *msg,
                                              guint              status,
                                              const char        *code,
                                              const char        *message,
                                              JsonObject        *params);
void         _kq_test_server_send_html_page  (KqTestServer      *self,
                                              SoupServerMessage *msg,
                                              guint              status,
                                              const char        *title,
                                              const char        *head_extra,
                                              const char        *body_html);
void         _kq_test_server_send_not_found  (KqTestServer      *self,
                                              SoupServerMessage *msg,
                                              const char        *path);

/* kq-test-server-rest.c */
void         _kq_test_server_handle_rest     (KqTestServer      *self,
                                              SoupServerMessage *msg,
                                              const char        *path,
                                              GHashTable        *query);
/* Posts matching the WordPress collection parameters, sorted. */
GPtrArray   *_kq_test_server_select_posts    (KqTestServer      *self,
                                              GHashTable        *query);
const char  *_kq_test_server_max_modified    (GPtrArray         *posts,
                                              guint              from,
                                              guint              to);

/* kq-test-server-pages.c */
void         _kq_test_server_handle_site     (KqTestServer      *self,
                                              SoupServerMessage *msg,
                                              const char        *path,
                                              GHashTable        *query);
void         _kq_test_server_handle_upload   (KqTestServer      *self,
                                              SoupServerMessage *msg,
                                              const char        *path);

/* kq-test-server-faults.c */
void         _kq_test_server_apply_fault     (KqTestServer      *self,
                                              SoupServerMessage *msg,
                                              const char        *path,
                                              GHashTable        *query,
                                              Fault             *fault);
void         _kq_test_server_pending_done    (Pending           *p);

G_END_DECLS
