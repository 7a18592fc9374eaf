/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kq-article.h"
#include "kq-category.h"
#include "kq-comment.h"
#include "kq-feed.h"

G_BEGIN_DECLS

/*
 * Models → stable JSON for kiosque-inspect and the golden tests: fields in a
 * fixed order, absent values as null, dates as ISO 8601 UTC
 * ("2024-03-05T09:30:00Z"), two-space indentation, final newline.
 */

typedef enum {
  KQ_INSPECT_KIND_FEED,
  KQ_INSPECT_KIND_WP_POSTS,
  KQ_INSPECT_KIND_WP_POST,
  KQ_INSPECT_KIND_WP_CATEGORIES,
  KQ_INSPECT_KIND_WP_COMMENTS,
} KqInspectKind;

JsonNode   *kq_inspect_json_article    (KqArticle     *article);
JsonNode   *kq_inspect_json_category   (KqCategory    *category);
JsonNode   *kq_inspect_json_comment    (KqComment     *comment);
JsonNode   *kq_inspect_json_feed       (KqFeed        *feed);
/* A JSON array of the models in @array (KqArticle, KqCategory or KqComment). */
JsonNode   *kq_inspect_json_list       (GPtrArray     *array);
char       *kq_inspect_json_to_string  (JsonNode      *node);

/* Parses @data as @kind and returns the JSON text, or NULL with @error. */
char       *kq_inspect_parse           (KqInspectKind  kind,
                                        GBytes        *data,
                                        const char    *source,
                                        const char    *base_url,
                                        GError       **error);

/* "KQ_FEED_ERROR_INVALID"-style name of @error's domain and code. */
char       *kq_inspect_error_name      (const GError  *error);

G_END_DECLS
