/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kq-store-private.h"
#include "kq-text-private.h"

/*
 * Full-text search jobs (FTS5). Worker thread only; parameterised SQL only.
 */

/* Search */

static gboolean
has_word_character (const char *token)
{
  for (const char *p = token; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/**
 * _kq_store_fts_query:
 * @query: what the user typed
 *
 * Turns user input into an FTS5 query that cannot be a syntax error: every
 * whitespace-separated word becomes a quoted string ("" inside doubled), so
 * operators (AND, OR, NOT, NEAR), column filters, parentheses, "-", "+",
 * "^" and quotes are just text; words without any letter or digit are
 * dropped; the last word is a prefix ("smartph" finds "smartphone"). Only
 * the first words count (KQ_TEXT_MAX_QUERY_WORDS, KQ_TEXT_MAX_QUERY_BYTES):
 * a pasted page would otherwise hold the store for seconds.
 *
 * Returns: the FTS5 query, or NULL when nothing is left to search.
 */
char *
_kq_store_fts_query (const char *query)
{
  g_autoptr(GString) fts = g_string_new (NULL);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  /* Its first words only (see _kq_text_bound_query()). */
  g_autofree char *bounded = _kq_text_bound_query (query);
  const char *p = bounded;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start)
        {
          g_autofree char *word = g_strndup (start, p - start);

          if (has_word_character (word))
            g_ptr_array_add (words, g_steal_pointer (&word));
        }
    }

  if (words->len == 0)
    return NULL;

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (i > 0)
        g_string_append_c (fts, ' ');
      g_string_append_c (fts, '"');
      for (const char *q = word; *q != '\0'; q++)
        {
          if (*q == '"')
            g_string_append_c (fts, '"');
          g_string_append_c (fts, *q);
        }
      g_string_append_c (fts, '"');
    }
  g_string_append_c (fts, '*');

  return g_string_free (g_steal_pointer (&fts), FALSE);
}

void
_kq_store_job_search (KqStoreDb *db,
                      GTask     *task)
{
  KqStoreJobData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_search_result_free);
  g_autofree char *fts = _kq_store_fts_query (data->text);
  g_autoptr(GArray) rids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GError *error = NULL;
  sqlite3_stmt *stmt;
  gint64 source_id = 0;
  int rc;

  if (data->source != NULL &&
      (source_id = _kq_store_db_source_id (db, data->source, FALSE, &error)) < 0)
    goto fail;
  if (fts == NULL || (data->source != NULL && source_id == 0))
    {
      _kq_store_return_pointer (task, g_steal_pointer (&results),
                                (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /*
   * Rank (bm25 with the weights set on the table: title 10, excerpt 4,
   * body 1) and snippet straight from the index: with ORDER BY rank alone
   * FTS5 sorts by itself and computes snippets for the returned rows only
   * (a common word may match thousands of articles). Columns come after.
   */
  if (!(stmt = _kq_store_db_prepare (db,
                                     "SELECT rowid, rank, snippet (articles_fts, -1, ?3, ?4, '…', 16)"
                                     " FROM articles_fts WHERE articles_fts MATCH ?1"
                                     " AND (?2 = 0 OR (SELECT source_id FROM articles"
                                     "  WHERE rid = articles_fts.rowid) = ?2)"
                                     " ORDER BY rank LIMIT ?5", &error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, fts, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, source_id);
  sqlite3_bind_text (stmt, 3, KQ_STORE_HIGHLIGHT_START, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, KQ_STORE_HIGHLIGHT_END, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, data->limit > 0 ? (gint64) data->limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KqSearchResult *result = g_new0 (KqSearchResult, 1);
      gint64 rid = sqlite3_column_int64 (stmt, 0);

      result->rank = sqlite3_column_double (stmt, 1);
      result->snippet = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_array_append_val (rids, rid);
      g_ptr_array_add (results, result);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      error = _kq_store_db_error (db, rc);
      goto fail;
    }

  for (guint i = 0; i < rids->len; i++)
    {
      KqSearchResult *result = g_ptr_array_index (results, i);

      if (!(stmt = _kq_store_db_prepare (db,
                                         KQ_STORE_SELECT_ARTICLES (data->light,
                                                                   " FROM articles a JOIN sources s"
                                                                   " ON s.id = a.source_id"
                                                                   " WHERE a.rid = ?1"), &error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (rids, gint64, i));
      if (!_kq_store_step_article (db, stmt, _kq_store_article_from_row, &result->article, &error))
        goto fail;
    }

  /* A row cannot vanish between the two statements (same job), but be safe. */
  for (guint i = results->len; i-- > 0;)
    if (((KqSearchResult *) g_ptr_array_index (results, i))->article == NULL)
      g_ptr_array_remove_index (results, i);

  _kq_store_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
  return;

fail:
  _kq_store_fail_job (db, task, error);
}
