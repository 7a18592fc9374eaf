/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kq-article.h"
#include "kq-category.h"

G_BEGIN_DECLS

/*
 * KqStore: the offline cache (articles, categories, read state, HTTP
 * validators, full-text index) and the bookmarks, in one SQLite database.
 *
 * One connection lives on the store's own worker thread; every call is
 * `_async`/`_finish` and the callback runs on the thread-default main context
 * of the caller. Jobs run in the order they were queued, so calls made right
 * after kq_store_open_async() see the opened database.
 *
 * Source identity: the site URL without trailing slash, as in KqArticle's
 * "source". Article and category ids are the site's ids, unique per source.
 *
 * Bookmarks live in their own table with their own copy of the article, and
 * a JSON backup ("kiosque-bookmarks.json", format in kq-store.c and HACKING)
 * is rewritten atomically next to the database after each change.
 */

#define KQ_STORE_ERROR (kq_store_error_quark ())

typedef enum {
  KQ_STORE_ERROR_FAILED,        /* any other SQLite or I/O failure */
  KQ_STORE_ERROR_FUTURE_SCHEMA, /* made by a newer Kiosque: refused, file untouched */
  KQ_STORE_ERROR_READ_ONLY,     /* the data folder or the file cannot be written */
  KQ_STORE_ERROR_DISK_FULL,     /* no space left */
  KQ_STORE_ERROR_CORRUPT,       /* damaged database (open recovers from it itself) */
  KQ_STORE_ERROR_NOT_FOUND,     /* get_article: no such article */
  KQ_STORE_ERROR_INVALID_FILE,  /* import: not a Kiosque bookmarks file */
} KqStoreError;

/* Around each match in search snippets (U+E000, U+E001, private use). */
#define KQ_STORE_HIGHLIGHT_START "\xee\x80\x80"
#define KQ_STORE_HIGHLIGHT_END   "\xee\x80\x81"

/* The database file's schema version this build reads and writes. */
#define KQ_STORE_SCHEMA_VERSION 5

/*
 * One search hit: the article (with read/bookmarked filled) and a short
 * plain-text snippet of the best-matching column with the matched words
 * between KQ_STORE_HIGHLIGHT_START and KQ_STORE_HIGHLIGHT_END.
 */
typedef struct {
  KqArticle *article;
  char      *snippet;
  double     rank;   /* bm25: lower is better; results come sorted */
} KqSearchResult;

#define KQ_TYPE_SEARCH_RESULT (kq_search_result_get_type ())
GType           kq_search_result_get_type (void) G_GNUC_CONST;
KqSearchResult *kq_search_result_copy     (const KqSearchResult *result);
void            kq_search_result_free     (KqSearchResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqSearchResult, kq_search_result_free)

/*
 * Escapes @snippet for Pango markup and turns the highlight markers into
 * <b>…</b>. Free with g_free().
 */
char           *kq_store_snippet_to_markup (const char *snippet);

#define KQ_TYPE_STORE (kq_store_get_type ())

G_DECLARE_FINAL_TYPE (KqStore, kq_store, KQ, STORE, GObject)

GQuark      kq_store_error_quark       (void);

/*
 * @path: the database file, or NULL for $XDG_DATA_HOME/kiosque/kiosque.db.
 * Nothing is touched until kq_store_open_async() (or the first call) runs.
 */
KqStore    *kq_store_new               (const char *path);
const char *kq_store_get_path          (KqStore    *self);
/* Where the bookmarks backup is written: "kiosque-bookmarks.json" beside the database. */
const char *kq_store_get_backup_path   (KqStore    *self);
/*
 * "recovered": TRUE once open found the database damaged, moved it aside
 * (kq_store_get_corrupt_path()) and started a new one with the bookmarks
 * restored from the backup. The app should tell the user.
 */
gboolean    kq_store_get_recovered     (KqStore    *self);
/*
 * At every open the store takes in what the bookmarks backup has that the
 * database lacks (a new or rebuilt database, one killed before its restore
 * was committed, one that lost its last changes with a damaged -wal): how
 * many were added, and how many of the backup's entries could not be read.
 * Known once open has finished.
 */
gint64      kq_store_get_restored      (KqStore    *self,
                                        gint64     *not_restored);
const char *kq_store_get_corrupt_path  (KqStore    *self);
/*
 * "in-memory": TRUE when the file could not be used (read-only folder, disk
 * full, database from a newer version): the store then works from an
 * in-memory database so the app keeps running; nothing is saved.
 */
gboolean    kq_store_get_in_memory     (KqStore    *self);
/* FALSE: list results (articles, by ids, search, bookmarks) without body_html. */
void        kq_store_set_list_bodies   (KqStore    *self,
                                        gboolean    list_bodies);
gboolean    kq_store_get_list_bodies   (KqStore    *self);

/*
 * Opens (creating, migrating, checking and if needed recovering) the
 * database. Returns TRUE when the file is in use. On FALSE, @error says why
 * (KQ_STORE_ERROR_FUTURE_SCHEMA, _READ_ONLY, _DISK_FULL, _FAILED; translated)
 * and the store still works from memory ("in-memory" is TRUE).
 */
void        kq_store_open_async        (KqStore              *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean    kq_store_open_finish       (KqStore              *self,
                                        GAsyncResult         *result,
                                        GError              **error);

/*
 * Inserts or updates a page of articles (GPtrArray of KqArticle, any
 * sources) in one transaction, with their category links and full-text
 * index. On success @new_ids and @updated_ids (optional, GArray of gint64
 * article ids, in the order given) say what changed; unchanged articles are
 * in neither. An article without body (a list fetched without content)
 * keeps the body already cached; one without category ids keeps its links.
 * The worker reads the articles: do not change them until the callback.
 */
void        kq_store_upsert_articles_async  (KqStore              *self,
                                             GPtrArray            *articles,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
/* The same for a page of a list (finish with kq_store_upsert_articles_finish()):
 * an article the cache never had, older than the newest it had of its
 * source, is history (scrolled into, a category's, a search's) and kept read,
 * so that browsing never makes the unread counts climb. */
void        kq_store_upsert_listed_async    (KqStore              *self,
                                             GPtrArray            *articles,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    kq_store_upsert_articles_finish (KqStore              *self,
                                             GAsyncResult         *result,
                                             GArray              **new_ids,
                                             GArray              **updated_ids,
                                             GError              **error);

/*
 * Replaces the categories of @source with @categories (GPtrArray of
 * KqCategory) in this order: the site's order becomes "position".
 */
void        kq_store_upsert_categories_async  (KqStore              *self,
                                               const char           *source,
                                               GPtrArray            *categories,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    kq_store_upsert_categories_finish (KqStore              *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* The categories of @source in the site's order, with "unread-count" filled. */
void        kq_store_list_categories_async  (KqStore              *self,
                                             const char           *source,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray  *kq_store_list_categories_finish (KqStore              *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/*
 * Articles of @source (NULL: every source) in @category_id (0: all), newest
 * first, @offset then at most @limit of them (0: no limit); full articles
 * (body included) with "read" and "bookmarked" filled. Returns a GPtrArray
 * of KqArticle (maybe empty).
 */
void        kq_store_list_articles_async  (KqStore              *self,
                                           const char           *source,
                                           gint64                category_id,
                                           guint                 offset,
                                           guint                 limit,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GPtrArray  *kq_store_list_articles_finish (KqStore              *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* One article; KQ_STORE_ERROR_NOT_FOUND if it is not cached. Falls back to the bookmark's copy. */
void        kq_store_get_article_async  (KqStore              *self,
                                         const char           *source,
                                         gint64                id,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
KqArticle  *kq_store_get_article_finish (KqStore              *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/*
 * The article of @source whose permalink is @link, a fragment, a trailing
 * slash and http/https aside; KQ_STORE_ERROR_NOT_FOUND if it is not cached.
 * Falls back to the bookmarks' copies.
 */
void        kq_store_get_article_by_link_async  (KqStore              *self,
                                                 const char           *source,
                                                 const char           *link,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
KqArticle  *kq_store_get_article_by_link_finish (KqStore              *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* The cached articles among @ids, in the order of @ids (missing ones skipped). */
void        kq_store_get_articles_by_ids_async  (KqStore              *self,
                                                 const char           *source,
                                                 const gint64         *ids,
                                                 guint                 n_ids,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray  *kq_store_get_articles_by_ids_finish (KqStore              *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Read state, kept apart from the cache: it survives pruning and clear_cache. */
void        kq_store_set_read_async  (KqStore              *self,
                                      const char           *source,
                                      gint64                article_id,
                                      gboolean              read,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean    kq_store_set_read_finish (KqStore              *self,
                                      GAsyncResult         *result,
                                      GError              **error);
/* Marks every cached article of @source in @category_id (0: all) read; returns how many changed. */
void        kq_store_mark_all_read_async  (KqStore              *self,
                                           const char           *source,
                                           gint64                category_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gint64      kq_store_mark_all_read_finish (KqStore              *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* How many cached articles of @source in @category_id (0: all of them) are unread. */
void        kq_store_count_unread_async   (KqStore              *self,
                                           const char           *source,
                                           gint64                category_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gint64      kq_store_count_unread_finish  (KqStore              *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/*
 * Bookmarks. add copies the article (title, excerpt, body, link, date,
 * author, categories, thumbnail and image, every image URL of the body) with
 * the date saved; adding again refreshes the copy and keeps the date saved.
 * Written with synchronous=FULL, then the JSON backup is rewritten.
 */
void        kq_store_add_bookmark_async     (KqStore              *self,
                                             KqArticle            *article,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    kq_store_add_bookmark_finish    (KqStore              *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void        kq_store_remove_bookmark_async  (KqStore              *self,
                                             const char           *source,
                                             gint64                article_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    kq_store_remove_bookmark_finish (KqStore              *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* GPtrArray of KqArticle (bookmarked TRUE, read filled), newest saved first. */
void        kq_store_list_bookmarks_async   (KqStore              *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray  *kq_store_list_bookmarks_finish  (KqStore              *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* FALSE with @error set on failure, FALSE without error when not bookmarked. */
void        kq_store_is_bookmarked_async    (KqStore              *self,
                                             const char           *source,
                                             gint64                article_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    kq_store_is_bookmarked_finish   (KqStore              *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* When a bookmark (from list_bookmarks / get_article) was saved; NULL otherwise. */
GDateTime  *kq_store_article_get_saved_date (KqArticle            *article);

/*
 * Full-text search over title, excerpt and body text of the cached
 * articles: case- and accent-insensitive, the last word matched as a prefix
 * (as the user types), any user input accepted (FTS syntax is quoted away).
 * @source NULL: every source. Returns a GPtrArray of KqSearchResult, best
 * first (bm25, title weighs most).
 */
void        kq_store_search_async  (KqStore              *self,
                                    const char           *source,
                                    const char           *query,
                                    guint                 limit,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
GPtrArray  *kq_store_search_finish (KqStore              *self,
                                    GAsyncResult         *result,
                                    GError              **error);

/*
 * HTTP validators per URL for KqHttp's conditional GET (connect KqHttp's
 * "validator-changed" to set_validator_full, preload with list_validators
 * and kq_http_set_validator_full()).
 * @body may be NULL. get_validator_finish returns FALSE without error when
 * nothing is known for the URL.
 */
void        kq_store_set_validator_async  (KqStore              *self,
                                           const char           *url,
                                           const char           *etag,
                                           const char           *last_modified,
                                           GBytes               *body,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
/* Also keeps the response headers a 304 needs again (nullable, as
 * kq_http_get_validator_headers() gives them); finish with
 * kq_store_set_validator_finish(). */
void        kq_store_set_validator_full_async (KqStore              *self,
                                               const char           *url,
                                               const char           *etag,
                                               const char           *last_modified,
                                               GBytes               *body,
                                               const char           *headers,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    kq_store_set_validator_finish (KqStore              *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void        kq_store_get_validator_async  (KqStore              *self,
                                           const char           *url,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    kq_store_get_validator_finish (KqStore              *self,
                                           GAsyncResult         *result,
                                           char                **etag,
                                           char                **last_modified,
                                           GBytes              **body,
                                           GError              **error);

typedef struct {
  char   *url;
  char   *etag;           /* nullable */
  char   *last_modified;  /* nullable */
  GBytes *body;           /* nullable */
  char   *headers;        /* nullable: kq_http_get_validator_headers()'s lines */
} KqStoreValidator;

/* The validators kept at most (the most recently set; older ones are dropped). */
#define KQ_STORE_MAX_VALIDATORS 200

void        kq_store_validator_free        (KqStoreValidator *validator);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqStoreValidator, kq_store_validator_free)

/*
 * What discovery found for a source, kept between starts so that the next
 * one reads the site at once (KqSource: kq_source_restore_discovery()):
 * its mode ("wp-rest", "wp-feed", "feed": kq_source_mode_to_string()), its
 * REST API root, its main feed and its title (nullable). get_discovery_finish
 * returns NULL without error when nothing is kept for @source.
 */
typedef struct {
  char *mode;
  char *api_root;         /* nullable */
  char *feed_url;         /* nullable */
  char *title;            /* nullable: the site's name or the feed's title */
} KqStoreDiscovery;

void        kq_store_discovery_free        (KqStoreDiscovery *discovery);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqStoreDiscovery, kq_store_discovery_free)

void              kq_store_set_discovery_async  (KqStore              *self,
                                                 const char           *source,
                                                 const char           *mode,
                                                 const char           *api_root,
                                                 const char           *feed_url,
                                                 const char           *title,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean          kq_store_set_discovery_finish (KqStore              *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void              kq_store_get_discovery_async  (KqStore              *self,
                                                 const char           *source,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
KqStoreDiscovery *kq_store_get_discovery_finish (KqStore              *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Every validator kept, GPtrArray of KqStoreValidator (to preload KqHttp at start). */
void        kq_store_list_validators_async  (KqStore              *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray  *kq_store_list_validators_finish (KqStore              *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/*
 * Retention: deletes cached articles older than @max_age_seconds (0: no
 * age limit) and beyond the newest @max_count (0: no count limit). Never
 * bookmarks, never their cached article. Returns how many were deleted.
 */
void        kq_store_prune_async  (KqStore              *self,
                                   gint64                max_age_seconds,
                                   guint                 max_count,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gint64      kq_store_prune_finish (KqStore              *self,
                                   GAsyncResult         *result,
                                   GError              **error);

/* Empties the cache (articles, categories, validators, index): keeps bookmarks and read state. */
void        kq_store_clear_cache_async  (KqStore              *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    kq_store_clear_cache_finish (KqStore              *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* Calls back once every job queued before it has run (and its callback too). */
void        kq_store_flush_async        (KqStore              *self,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    kq_store_flush_finish       (KqStore              *self,
                                         GAsyncResult         *result,
                                         GError              **error);
/*
 * Bookmarks to/from a JSON file (format documented in kq-store.c).
 * export returns the number written; import merges (a bookmark already
 * there, same source and id, is kept as is) and returns the number added.
 */
void        kq_store_export_bookmarks_async       (KqStore              *self,
                                                   GFile                *file,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64      kq_store_export_bookmarks_finish      (KqStore              *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        kq_store_import_bookmarks_async       (KqStore              *self,
                                                   GFile                *file,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64      kq_store_import_bookmarks_finish      (KqStore              *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Netscape bookmark file (what browsers import), UTF-8. Returns the number written. */
void        kq_store_export_bookmarks_html_async  (KqStore              *self,
                                                   GFile                *file,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64      kq_store_export_bookmarks_html_finish (KqStore              *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
