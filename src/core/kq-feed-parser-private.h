/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "kq-feed-parser.h"

G_BEGIN_DECLS

/* What the parts of the feed parser share (internal API, prefix _kq_fp_). */

#define NS_ATOM     "http://www.w3.org/2005/Atom"
/* Atom 0.3 (2003): still served by old blogs and some generators. */
#define NS_ATOM03   "http://purl.org/atom/ns#"
/* RSS 2.0 in a namespace, as UserLand's and Harvard's specifications once
 * suggested; the elements are RSS 2.0's. */
#define NS_RSS_USERLAND "http://backend.userland.com/rss2"
#define NS_RSS_HARVARD  "http://blogs.law.harvard.edu/tech/rss"
#define NS_RDF      "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS1     "http://purl.org/rss/1.0/"
#define NS_RSS090   "http://my.netscape.com/rdf/simple/0.9/"
#define NS_CONTENT  "http://purl.org/rss/1.0/modules/content/"
#define NS_DC       "http://purl.org/dc/elements/1.1/"
#define NS_SLASH    "http://purl.org/rss/1.0/modules/slash/"
#define NS_WFW      "http://wellformedweb.org/CommentAPI/"
#define NS_MEDIA    "http://search.yahoo.com/mrss/"
#define NS_THR      "http://purl.org/syndication/thread/1.0"

typedef enum {
  KIND_NONE,
  KIND_RSS,
  KIND_ATOM,
  KIND_RDF,
} FeedKind;

typedef struct
{
  int   line;
  int   column;
  char *message;
  guint count;
} ParseErrors;

typedef struct
{
  char  *url;
  guint  width;
  guint  height;
} Image;

typedef struct
{
  const char *source;
  char       *fallback_base;  /* the feed's own link, for relative URLs */
  FeedKind    kind;
} Context;

typedef struct
{
  char      *title;
  char      *link;
  char      *guid;
  char      *description;   /* HTML */
  char      *content;       /* HTML */
  char      *author;
  GDateTime *date;
  GDateTime *modified;
  GPtrArray *categories;
  Image      thumbnail;
  Image      image;
  Image      enclosure;
  Image      media;
  gint64     comments;      /* -1 unknown */
  gboolean   has_comments_link;
  gboolean   author_is_creator; /* author holds dc:creator names */
  gboolean   plain_description; /* Atom summary type="text" */
} Item;

/* XML nodes: names, attributes, text, URLs, dates (kq-feed-parser-nodes.c) */
gboolean    _kq_fp_is                    (xmlNode    *node,
                                          const char *ns,
                                          const char *name);
gboolean    _kq_fp_is_rss                (xmlNode    *node,
                                          const char *name);
gboolean    _kq_fp_is_atom               (xmlNode    *node,
                                          const char *name);
const char *_kq_fp_attr                  (xmlNode    *node,
                                          const char *name);
char       *_kq_fp_attr_dup              (xmlNode    *node,
                                          const char *name,
                                          const char *ns);
char       *_kq_fp_text_of               (xmlNode *node);
char       *_kq_fp_trimmed_text_of       (xmlNode *node);
char       *_kq_fp_plain_text_of         (xmlNode *node);
gint64      _kq_fp_count_of              (xmlNode *node);
char       *_kq_fp_resolve_url           (Context    *ctx,
                                          xmlNode    *node,
                                          const char *ref);
GDateTime  *_kq_fp_parse_date            (xmlNode *node);
gboolean    _kq_fp_is_blank              (const char *data,
                                          gsize       len);

/* Items → articles (kq-feed-parser-item.c) */
void        _kq_fp_replace               (char **field,
                                          char  *value);
void        _kq_fp_set_if_unset          (char **field,
                                          char  *value);
gboolean    _kq_fp_looks_like_image      (const char *type,
                                          const char *medium,
                                          const char *url);
void        _kq_fp_offer_image           (Context    *ctx,
                                          Image      *slot,
                                          xmlNode    *node,
                                          const char *url_attr);
void        _kq_fp_add_category          (Item       *item,
                                          const char *raw);
void        _kq_fp_read_media            (Context *ctx,
                                          Item    *item,
                                          xmlNode *node);
gboolean    _kq_fp_is_full               (KqFeed  *feed);
void        _kq_fp_add_item              (Context *ctx,
                                          KqFeed  *feed,
                                          Item    *item,
                                          xmlNode *node);

/* RSS 2.0, RSS 1.0 / RDF (kq-feed-parser-rss.c) */
void        _kq_fp_parse_rss             (Context *ctx,
                                          KqFeed  *feed,
                                          xmlNode *root);
void        _kq_fp_parse_rdf             (Context *ctx,
                                          KqFeed  *feed,
                                          xmlNode *root);

/* Atom (kq-feed-parser-atom.c) */
void        _kq_fp_parse_atom            (Context *ctx,
                                          KqFeed  *feed,
                                          xmlNode *root);

/* Input: libxml2 callbacks, recovery, encoding (kq-feed-parser-input.c) */
void        _kq_fp_on_xml_error          (void        *user_data,
                                          xmlErrorPtr  xml_error);
xmlEntity  *_kq_fp_on_get_entity         (void          *user_data,
                                          const xmlChar *name);
GString    *_kq_fp_escape_stray_markup   (const char *data,
                                          gsize       len);
gboolean    _kq_fp_has_declared_encoding (const char  *data,
                                          gsize        len,
                                          char       **label);
gboolean    _kq_fp_is_windows_1252_label (const char *label);
GString    *_kq_fp_decode_windows_1252   (const char *data,
                                          gsize       len);
void        _kq_fp_repair_utf8           (xmlNode *node);
gboolean    _kq_fp_looks_like_html       (xmlNode *root);

G_END_DECLS
