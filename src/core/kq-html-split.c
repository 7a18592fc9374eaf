/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <string.h>

#include "kq-html-private.h"

/*
 * Paragraphs too long to lay out at once.
 *
 * One label lays out its whole text whenever it is measured: a paragraph of
 * 1–4 MB (a dump, a page without markup) froze the article view for 11–25 s.
 * A paragraph longer than KQ_HTML_MAX_PARAGRAPH bytes becomes consecutive
 * paragraphs that a reader takes for one text, each at least half full: cut
 * after a sentence or at a line break, else at a space, in plain text (a link
 * or a bold phrase stays whole), else between two runs, else at a space of
 * any run but a link, else (one huge word) between two characters. A run cut
 * in two keeps its flags and link on both sides. One pass: linear in the
 * paragraph's text.
 */

typedef struct
{
  GString *text;    /* the runs' text, one after the other */
  GArray  *starts;  /* guint: where each run starts in it; one more: the end */
  GPtrArray *runs;
} Flat;

static gboolean
is_plain (const KqRun *run)
{
  return run->flags == 0;
}

static gboolean
ends_sentence (const char *text,
               gsize       p)
{
  return (p >= 1 && strchr (".!?;", text[p - 1]) != NULL) ||
         (p >= 2 && strchr (")\"", text[p - 1]) != NULL && strchr (".!?", text[p - 2]) != NULL) ||
         (p >= 2 && memcmp (text + p - 2, "»", 2) == 0) ||
         (p >= 3 && memcmp (text + p - 3, "…", 3) == 0);
}

/* Where the part starting at @start ends: the last good place in its second
 * half, best first — after a sentence or at a line break (in plain text), at
 * a space in plain text, between two runs, at a space in any run but a link,
 * else between two characters. */
static gsize
find_cut (Flat  *flat,
          gsize  start,
          gsize  max)
{
  const char *text = flat->text->str;
  gsize hi = start + max;
  gsize lo = start + max / 2;
  gsize best[4] = { 0, 0, 0, 0 };
  guint r = flat->runs->len - 1;

  g_assert (hi < flat->text->len);

  for (gsize p = hi; p > lo; p--)
    {
      const KqRun *run;
      gboolean at_start;

      while (g_array_index (flat->starts, guint, r) > p)
        r--;
      run = g_ptr_array_index (flat->runs, r);
      at_start = g_array_index (flat->starts, guint, r) == p;

      if (best[0] == 0 &&
          ((at_start && (run->flags & KQ_RUN_LINE_BREAK)) ||
           (text[p] == ' ' && is_plain (run) && ends_sentence (text, p))))
        {
          best[0] = p;
          break;
        }
      if (best[1] == 0 && text[p] == ' ' && is_plain (run))
        best[1] = p;
      if (best[2] == 0 && at_start)
        best[2] = p;
      if (best[3] == 0 && text[p] == ' ' && !(run->flags & KQ_RUN_LINK))
        best[3] = p;
    }

  for (guint i = 0; i < G_N_ELEMENTS (best); i++)
    if (best[i] != 0)
      return best[i];

  while (hi > start + 1 && ((guchar) text[hi] & 0xC0) == 0x80)
    hi--;
  return hi;
}

/* Adds the runs of [start, end) to @parts as one paragraph's. */
static void
add_part (Flat      *flat,
          GPtrArray *parts,
          guint     *r,
          gsize      start,
          gsize      end)
{
  const char *text = flat->text->str;
  GPtrArray *part = _kq_runs_new ();

  while (end > start && text[end - 1] == ' ')
    end--;

  for (; *r < flat->runs->len; (*r)++)
    {
      const KqRun *run = g_ptr_array_index (flat->runs, *r);
      gsize run_start = g_array_index (flat->starts, guint, *r);
      gsize run_end = g_array_index (flat->starts, guint, *r + 1);
      gsize from = MAX (start, run_start), to = MIN (end, run_end);

      if (run_start >= end)
        break;
      if (to <= from)
        continue;
      /* No line break to begin a paragraph. */
      if ((run->flags & KQ_RUN_LINE_BREAK) && part->len == 0)
        continue;
      g_ptr_array_add (part, _kq_run_new_inline (run->flags, text + from, to - from,
                                                 g_strdup (run->href)));
      if (run_end > end)
        break;
    }

  /* Nor to end one. */
  while (part->len > 0 &&
         ((KqRun *) g_ptr_array_index (part, part->len - 1))->flags & KQ_RUN_LINE_BREAK)
    g_ptr_array_remove_index (part, part->len - 1);

  if (part->len > 0)
    g_ptr_array_add (parts, part);
  else
    g_ptr_array_unref (part);
}

/**
 * _kq_html_split_runs:
 * @runs: (element-type KqRun): a paragraph's runs
 * @max: the bytes of text one paragraph may hold (at least 16)
 *
 * Returns: (transfer full) (nullable) (element-type GPtrArray): the runs of
 * each paragraph @runs becomes, or NULL when they hold at most @max bytes.
 */
GPtrArray *
_kq_html_split_runs (GPtrArray *runs,
                     gsize      max)
{
  g_autoptr(GPtrArray) parts = NULL;
  Flat flat = { NULL, NULL, runs };
  gsize total = 0, start = 0;
  guint r = 0;

  g_return_val_if_fail (max >= 16, NULL);

  if (runs == NULL)
    return NULL;
  for (guint i = 0; i < runs->len; i++)
    total += strlen (((KqRun *) g_ptr_array_index (runs, i))->text);
  if (total <= max || total >= G_MAXUINT)
    return NULL;

  flat.text = g_string_sized_new (total + 1);
  flat.starts = g_array_sized_new (FALSE, FALSE, sizeof (guint), runs->len + 1);
  for (guint i = 0; i < runs->len; i++)
    {
      guint at = flat.text->len;

      g_array_append_val (flat.starts, at);
      g_string_append (flat.text, ((KqRun *) g_ptr_array_index (runs, i))->text);
    }
  g_array_append_val (flat.starts, flat.text->len);

  parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  while (flat.text->len - start > max)
    {
      gsize cut = find_cut (&flat, start, max);

      add_part (&flat, parts, &r, start, cut);
      start = cut;
      /* The space or line break where it was cut goes. */
      if (flat.text->str[start] == ' ' || flat.text->str[start] == '\n')
        start++;
    }
  add_part (&flat, parts, &r, start, flat.text->len);

  g_string_free (flat.text, TRUE);
  g_array_unref (flat.starts);

  return g_steal_pointer (&parts);
}

/**
 * _kq_html_truncate_runs:
 * @runs: (element-type KqRun): the runs of a heading, a caption, a cell…
 * @max: the bytes of text they may hold
 *
 * Text that is not a paragraph is never cut into several blocks (a heading
 * in two would be two headings): past @max bytes, it ends there, between
 * two characters, with "…". No heading or caption of a real page is that
 * long; a hostile one would freeze the label that lays it out.
 *
 * Returns: TRUE when @runs was cut
 */
gboolean
_kq_html_truncate_runs (GPtrArray *runs,
                        gsize      max)
{
  gsize total = 0;

  if (runs == NULL)
    return FALSE;

  for (guint i = 0; i < runs->len; i++)
    {
      KqRun *run = g_ptr_array_index (runs, i);
      gsize len = strlen (run->text);
      g_autofree char *kept = NULL;
      const char *end;

      if (total + len <= max)
        {
          total += len;
          continue;
        }

      /* Between two characters, at most @max bytes in all. */
      end = run->text + (max - total);
      while (end > run->text && (*end & 0xc0) == 0x80)
        end--;
      kept = g_strdup_printf ("%.*s…", (int) (end - run->text), run->text);
      runs->pdata[i] = _kq_run_new (run->flags, kept, run->href);
      _kq_run_free (run);
      g_ptr_array_set_size (runs, i + 1);
      return TRUE;
    }

  return FALSE;
}
