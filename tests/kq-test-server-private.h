/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

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

G_END_DECLS
