/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <string.h>

#include "kq-html-private.h"
#include "kq-text-private.h"
#include "kq-typography.h"

/* Blocks and containers: the open paragraph as pending runs, whitespace
 * collapsing as browsers do, line breaks, and closing a paragraph into runs
 * (trimmed, typeset) or a bare-URL embed. */

/* Blocks */

KqBlock *
_kq_html_new_block (KqHtmlBuilder *b,
                    KqBlockKind    kind)
{
  b->n_blocks++;
  if (b->n_blocks >= b->opts.max_blocks && !b->stop)
    {
      b->stop = TRUE;
      b->truncated = TRUE;
    }
  return _kq_block_new (kind);
}

void
_kq_html_add_block (KqHtmlContainer *c,
                    KqBlock         *block)
{
  if (c->blocks != NULL)
    g_ptr_array_add (c->blocks, block);
  else
    kq_block_unref (block);
}

/* Runs */

static void
pending_run_clear (gpointer data)
{
  KqHtmlPendingRun *run = data;

  g_free (run->href);
}

static KqHtmlPendingRun *
last_run (KqHtmlContainer *c)
{
  if (c->runs == NULL || c->runs->len == 0)
    return NULL;
  return &g_array_index (c->runs, KqHtmlPendingRun, c->runs->len - 1);
}

/* Appends a run at the end of the text buffer. */
static KqHtmlPendingRun *
push_run (KqHtmlContainer *c,
          KqRunFlags       flags,
          const char      *href)
{
  KqHtmlPendingRun run = { 0, };

  if (c->runs == NULL)
    {
      c->runs = g_array_new (FALSE, TRUE, sizeof (KqHtmlPendingRun));
      g_array_set_clear_func (c->runs, pending_run_clear);
    }
  if (c->text == NULL)
    c->text = g_string_sized_new (256);

  run.flags = flags;
  run.href = g_strdup (href);
  run.start = c->text->len;
  g_array_append_val (c->runs, run);

  return last_run (c);
}

static void
push_break_run (KqHtmlContainer *c)
{
  KqHtmlPendingRun *run = push_run (c, KQ_RUN_LINE_BREAK, NULL);

  g_string_append_c (c->text, '\n');
  run->len = 1;
}

/* Drops the last run (and its text). */
static void
pop_run (KqHtmlContainer *c)
{
  g_string_truncate (c->text, last_run (c)->start);
  g_array_set_size (c->runs, c->runs->len - 1);
}

/* The run to append text in @in's style to: the last one, or a new one. */
static KqHtmlPendingRun *
run_for (KqHtmlContainer    *c,
         const KqHtmlInline *in)
{
  KqHtmlPendingRun *last = last_run (c);
  KqRunFlags flags = in->flags & ~KQ_RUN_LINE_BREAK;

  if (in->href == NULL)
    flags &= ~KQ_RUN_LINK;

  if (last != NULL && last->flags == flags && g_strcmp0 (last->href, in->href) == 0)
    return last;

  return push_run (c, flags, (flags & KQ_RUN_LINK) ? in->href : NULL);
}

static void
trim_trailing_spaces (KqHtmlContainer *c)
{
  while (c->runs != NULL && c->runs->len > 0)
    {
      KqHtmlPendingRun *last = last_run (c);

      if (last->flags & KQ_RUN_LINE_BREAK)
        return;
      while (last->len > 0 && c->text->str[last->start + last->len - 1] == ' ')
        last->len--;
      g_string_truncate (c->text, last->start + last->len);
      if (last->len > 0)
        return;
      pop_run (c);
    }
}

void
_kq_html_append_break (KqHtmlContainer *c)
{
  guint trailing_breaks = 0;

  trim_trailing_spaces (c);
  c->at_space = TRUE;

  if (c->runs == NULL || c->runs->len == 0)
    return;

  for (guint i = c->runs->len; i > 0; i--)
    {
      if (!(g_array_index (c->runs, KqHtmlPendingRun, i - 1).flags & KQ_RUN_LINE_BREAK))
        break;
      trailing_breaks++;
    }
  /* At most one blank line. */
  if (trailing_breaks >= 2)
    return;

  push_break_run (c);
}

/* In inline-only containers a block element starts on a new line. */
void
_kq_html_soft_break (KqHtmlContainer *c)
{
  KqHtmlPendingRun *last = last_run (c);

  if (last != NULL && !(last->flags & KQ_RUN_LINE_BREAK))
    _kq_html_append_break (c);
}

gboolean
_kq_html_is_collapsible (char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

void
_kq_html_append_text (KqHtmlContainer    *c,
                      const char         *text,
                      const KqHtmlInline *in)
{
  g_autofree char *mapped = NULL;
  KqHtmlPendingRun *run;

  if (text == NULL || *text == '\0')
    return;

  /* C1 controls (&#146;, or bytes labelled wrongly) stand for Windows-1252
   * characters, as HTML5 reads them. */
  mapped = _kq_text_map_c1 (text);
  if (mapped != NULL)
    text = mapped;

  if (c->pre)
    {
      /* Whitespace kept; newlines become line breaks. */
      const char *p = text;

      while (*p)
        {
          const char *nl = strchr (p, '\n');
          gsize len = nl != NULL ? (gsize) (nl - p) : strlen (p);

          if (len > 0)
            {
              run = run_for (c, in);
              for (gsize k = 0; k < len; k++)
                if ((guchar) p[k] >= 0x20 || p[k] == '\t')
                  g_string_append_c (c->text, p[k] == '\t' ? ' ' : p[k]);
              run->len = c->text->len - run->start;
            }
          if (nl == NULL)
            break;
          push_break_run (c);
          p = nl + 1;
        }
      c->at_space = FALSE;
      return;
    }

  /* Collapsing as a browser does: the first whitespace of a sequence is
   * kept, in the style of the text it appears in; none at the start of a
   * paragraph or after a line break (trailing ones are trimmed later). */
  /* Skip what would add nothing (whitespace after whitespace). */
  if (c->at_space)
    {
      while (*text && ((guchar) *text <= 0x20 || (guchar) *text == 0x7f))
        text++;
      if (*text == '\0')
        return;
    }

  {
    gsize text_len = strlen (text);
    gsize old_len;
    gboolean at_space;
    char *out;

    const char *end = text + text_len;

    run = run_for (c, in);
    old_len = c->text->len;
    g_string_set_size (c->text, old_len + text_len);
    out = c->text->str + old_len;

    /* In a local: stores through @out could alias c->at_space. */
    at_space = c->at_space;
    for (const char *p = text; p < end; p++)
      {
        guchar ch = (guchar) *p;

        if (G_LIKELY (ch > 0x20 && ch != 0x7f))
          {
            *out++ = (char) ch;
            at_space = FALSE;
          }
        else if ((ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') && !at_space)
          {
            *out++ = ' ';
            at_space = TRUE;
          }
      }
    c->at_space = at_space;
    g_string_truncate (c->text, out - c->text->str);
    run->len += c->text->len - old_len;

    /* A new run that received nothing (only control characters). */
    if (run->len == 0)
      pop_run (c);
  }
}

static gboolean
is_blank_char (gunichar ch)
{
  return g_unichar_isspace (ch) || ch == 0x00A0 || ch == 0x202F || ch == 0x200B ||
         ch == 0xFEFF || ch == 0x2060 || ch == 0x00AD;
}

/* The open runs, trimmed, as KqRun (typeset unless @plain); NULL when
 * blank. */
static GPtrArray *
finish_runs (KqHtmlContainer *c,
             gboolean         plain)
{
  GArray *pending = c->runs;
  const char *text;
  GPtrArray *runs;
  g_autofree gsize *starts_heap = NULL;
  g_autofree gboolean *code_heap = NULL;
  g_autofree char **typeset_heap = NULL;
  gsize starts_local[33];
  gboolean code_local[32];
  char *typeset_local[32];
  gsize *starts;
  gboolean *code;
  char **typeset;
  gboolean blank = TRUE;
  guint first = 0;
  guint n = 0;

  trim_trailing_spaces (c);
  while (c->runs != NULL && c->runs->len > 0 &&
         (last_run (c)->flags & KQ_RUN_LINE_BREAK))
    {
      pop_run (c);
      trim_trailing_spaces (c);
    }

  if (pending == NULL)
    return NULL;
  text = c->text != NULL ? c->text->str : "";

  /* Leading breaks and spaces. */
  while (first < pending->len)
    {
      KqHtmlPendingRun *run = &g_array_index (pending, KqHtmlPendingRun, first);

      if (run->flags & KQ_RUN_LINE_BREAK)
        {
          first++;
          continue;
        }
      while (run->len > 0 && text[run->start] == ' ')
        {
          run->start++;
          run->len--;
        }
      if (run->len > 0)
        break;
      first++;
    }

  for (guint i = first; i < pending->len && blank; i++)
    {
      KqHtmlPendingRun *run = &g_array_index (pending, KqHtmlPendingRun, i);
      const char *end = text + run->start + run->len;

      if (run->flags & KQ_RUN_LINE_BREAK)
        continue;
      for (const char *p = text + run->start; p < end && blank; p = g_utf8_next_char (p))
        blank = is_blank_char (g_utf8_get_char (p));
    }
  if (blank)
    return NULL;

  /* The runs kept lie one after the other in the text (only empty ones are
   * left out): typeset in place; what typography leaves alone is copied
   * once, into its run's own allocation. */
  if (pending->len - first < G_N_ELEMENTS (code_local))
    {
      starts = starts_local;
      code = code_local;
      typeset = typeset_local;
    }
  else
    {
      starts = starts_heap = g_new (gsize, pending->len - first + 1);
      code = code_heap = g_new (gboolean, pending->len - first);
      typeset = typeset_heap = g_new (char *, pending->len - first);
    }
  for (guint i = first; i < pending->len; i++)
    {
      KqHtmlPendingRun *run = &g_array_index (pending, KqHtmlPendingRun, i);

      if (run->len == 0 && !(run->flags & KQ_RUN_LINE_BREAK))
        continue;
      g_assert (n == 0 || run->start == starts[n]);
      starts[n] = run->start;
      starts[n + 1] = run->start + run->len;
      code[n] = (run->flags & KQ_RUN_CODE) != 0;
      n++;
    }

  g_assert (text[starts[n]] == '\0');
  if (plain)
    memset (typeset, 0, n * sizeof (char *));
  else
    kq_typography_apply_fr_spans (text, starts, code, n, typeset);

  runs = g_ptr_array_new_full (n, (GDestroyNotify) _kq_run_free);
  n = 0;
  for (guint i = first; i < pending->len; i++)
    {
      KqHtmlPendingRun *run = &g_array_index (pending, KqHtmlPendingRun, i);
      KqRun *out;

      if (run->len == 0 && !(run->flags & KQ_RUN_LINE_BREAK))
        continue;
      if (typeset[n] != NULL)
        {
          out = g_new (KqRun, 1);
          out->flags = run->flags;
          out->text = typeset[n];
          out->href = g_steal_pointer (&run->href);
        }
      else
        {
          out = _kq_run_new_inline (run->flags, text + run->start, run->len,
                                    g_steal_pointer (&run->href));
        }
      n++;
      g_ptr_array_add (runs, out);
    }

  return runs;
}

/* Takes the container's open runs: trims them, drops them if blank,
 * applies typography. Returns a GPtrArray of KqRun, or NULL. The runs and
 * the text buffer are kept for the next paragraph. */
static GPtrArray *
take_runs (KqHtmlBuilder   *b,
           KqHtmlContainer *c)
{
  GPtrArray *runs = finish_runs (c, b->opts.no_typography);

  c->at_space = TRUE;
  if (c->runs != NULL)
    g_array_set_size (c->runs, 0);
  if (c->text != NULL)
    g_string_truncate (c->text, 0);

  return runs;
}

void
_kq_html_container_init (KqHtmlContainer *c,
                         GPtrArray       *blocks)
{
  memset (c, 0, sizeof *c);
  c->blocks = blocks;
  c->inline_only = blocks == NULL;
  c->at_space = TRUE;
}

void
_kq_html_container_clear (KqHtmlContainer *c)
{
  g_clear_pointer (&c->runs, g_array_unref);
  if (c->text != NULL)
    g_string_free (g_steal_pointer (&c->text), TRUE);
}

KqBlock *
_kq_html_embed_from_url (KqHtmlBuilder *b,
                         const char    *url,
                         gboolean       known_only)
{
  KqEmbedProvider provider;
  g_autofree char *target = NULL;
  g_autofree char *video_id = NULL;
  g_autofree char *thumbnail = NULL;
  KqBlock *block;

  if (!_kq_html_detect_embed (url, b->opts.youtube_posters, &provider, &target, &video_id,
                              &thumbnail))
    return NULL;
  if (known_only && provider == KQ_EMBED_PROVIDER_OTHER)
    return NULL;

  block = _kq_html_new_block (b, KQ_BLOCK_EMBED);
  block->provider = provider;
  block->url = g_steal_pointer (&target);
  block->video_id = g_steal_pointer (&video_id);
  block->thumbnail_url = g_steal_pointer (&thumbnail);

  return block;
}

/* A paragraph that is only a URL (WordPress auto-embeds those). */
const char *
_kq_html_runs_single_url (GPtrArray *runs)
{
  const KqRun *run;

  if (runs->len != 1)
    return NULL;
  run = g_ptr_array_index (runs, 0);
  if (run->flags & (KQ_RUN_LINE_BREAK | KQ_RUN_CODE))
    return NULL;
  if (!g_str_has_prefix (run->text, "http://") && !g_str_has_prefix (run->text, "https://"))
    return NULL;
  for (const char *p = run->text; *p; p++)
    if (g_ascii_isspace (*p) || (guchar) *p >= 0x80)
      return NULL;
  return run->text;
}

/* Ends the open paragraph of a block container. */
void
_kq_html_flush (KqHtmlBuilder   *b,
                KqHtmlContainer *c)
{
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  const char *url;
  KqBlock *block = NULL;

  if (c->inline_only || c->runs == NULL)
    return;

  runs = take_runs (b, c);
  if (runs == NULL)
    return;

  url = _kq_html_runs_single_url (runs);
  if (url != NULL)
    block = _kq_html_embed_from_url (b, url, TRUE);

  if (block != NULL)
    {
      _kq_html_add_block (c, block);
      return;
    }

  /* A paragraph too long for one label: several, one after the other. */
  parts = _kq_html_split_runs (runs, KQ_HTML_MAX_PARAGRAPH);
  for (guint i = 0; i < (parts != NULL ? parts->len : 1); i++)
    {
      block = _kq_html_new_block (b, KQ_BLOCK_PARAGRAPH);
      block->runs = parts != NULL ? g_ptr_array_ref (g_ptr_array_index (parts, i))
                                  : g_steal_pointer (&runs);
      block->align = c->align;
      _kq_html_add_block (c, block);
    }
}

/* Walks @node's children into a new inline-only container; returns its runs
 * (or NULL when blank). Images met on the way are added to @figures, or
 * dropped when it is NULL. */
GPtrArray *
_kq_html_collect_runs (KqHtmlBuilder      *b,
                       xmlNode            *node,
                       const KqHtmlInline *in,
                       guint               depth,
                       GPtrArray          *figures)
{
  KqHtmlContainer sub;
  GPtrArray *runs;

  _kq_html_container_init (&sub, NULL);
  sub.figures = figures;
  _kq_html_walk_children (b, &sub, node, in, depth);
  runs = take_runs (b, &sub);
  _kq_html_container_clear (&sub);
  /* A heading, a caption, a cell: one label each, never megabytes. */
  _kq_html_truncate_runs (runs, KQ_HTML_MAX_PARAGRAPH);

  return runs;
}

void
_kq_html_append_runs (KqHtmlBuilder  *b,
                      GPtrArray     **dest,
                      GPtrArray      *src)
{
  if (src == NULL || src->len == 0)
    return;

  if (*dest == NULL)
    {
      *dest = g_ptr_array_ref (src);
      return;
    }

  g_ptr_array_add (*dest, _kq_run_new (KQ_RUN_LINE_BREAK, "\n", NULL));
  for (guint i = 0; i < src->len; i++)
    {
      const KqRun *run = g_ptr_array_index (src, i);

      g_ptr_array_add (*dest, _kq_run_new (run->flags, run->text, run->href));
    }
}
