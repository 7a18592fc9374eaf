/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <string.h>

#include "kq-html-private.h"
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
  if (run->text != NULL)
    g_string_free (run->text, TRUE);
}

static GArray *
pending_runs_new (void)
{
  GArray *runs = g_array_new (FALSE, TRUE, sizeof (KqHtmlPendingRun));

  g_array_set_clear_func (runs, pending_run_clear);
  return runs;
}

static KqHtmlPendingRun *
last_run (KqHtmlContainer *c)
{
  if (c->runs == NULL || c->runs->len == 0)
    return NULL;
  return &g_array_index (c->runs, KqHtmlPendingRun, c->runs->len - 1);
}

static GString *
run_for (KqHtmlContainer    *c,
         const KqHtmlInline *in)
{
  KqHtmlPendingRun *last = last_run (c);
  KqHtmlPendingRun run = { 0, };
  KqRunFlags flags = in->flags & ~KQ_RUN_LINE_BREAK;

  if (in->href == NULL)
    flags &= ~KQ_RUN_LINK;

  if (last != NULL && last->flags == flags && g_strcmp0 (last->href, in->href) == 0)
    return last->text;

  if (c->runs == NULL)
    c->runs = pending_runs_new ();
  run.flags = flags;
  run.href = (flags & KQ_RUN_LINK) ? g_strdup (in->href) : NULL;
  run.text = g_string_new (NULL);
  g_array_append_val (c->runs, run);

  return run.text;
}

static void
trim_trailing_spaces (KqHtmlContainer *c)
{
  while (c->runs != NULL && c->runs->len > 0)
    {
      KqHtmlPendingRun *last = last_run (c);

      if (last->flags & KQ_RUN_LINE_BREAK)
        return;
      while (last->text->len > 0 && last->text->str[last->text->len - 1] == ' ')
        g_string_truncate (last->text, last->text->len - 1);
      if (last->text->len > 0)
        return;
      g_array_set_size (c->runs, c->runs->len - 1);
    }
}

void
_kq_html_append_break (KqHtmlContainer *c)
{
  KqHtmlPendingRun run = { 0, };
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

  run.flags = KQ_RUN_LINE_BREAK;
  run.text = g_string_new ("\n");
  g_array_append_val (c->runs, run);
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
  GString *chunk = NULL;

  if (text == NULL || *text == '\0')
    return;

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
              GString *run = run_for (c, in);

              for (gsize k = 0; k < len; k++)
                if ((guchar) p[k] >= 0x20 || p[k] == '\t')
                  g_string_append_c (run, p[k] == '\t' ? ' ' : p[k]);
            }
          if (nl == NULL)
            break;
          {
            KqHtmlPendingRun br = { KQ_RUN_LINE_BREAK, NULL, g_string_new ("\n") };

            if (c->runs == NULL)
              c->runs = pending_runs_new ();
            g_array_append_val (c->runs, br);
          }
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
    char *out;

    chunk = run_for (c, in);
    old_len = chunk->len;
    g_string_set_size (chunk, old_len + text_len);
    out = chunk->str + old_len;

    for (const char *p = text; *p; p++)
      {
        guchar ch = (guchar) *p;

        if (ch > 0x20 && ch != 0x7f)
          {
            *out++ = (char) ch;
            c->at_space = FALSE;
          }
        else if (_kq_html_is_collapsible (ch) && !c->at_space)
          {
            *out++ = ' ';
            c->at_space = TRUE;
          }
      }
    g_string_truncate (chunk, out - chunk->str);

    /* A new run that received nothing (only control characters). */
    if (chunk->len == 0)
      g_array_set_size (c->runs, c->runs->len - 1);
  }
}

static gboolean
is_blank_char (gunichar ch)
{
  return g_unichar_isspace (ch) || ch == 0x00A0 || ch == 0x202F || ch == 0x200B ||
         ch == 0xFEFF || ch == 0x2060 || ch == 0x00AD;
}

/* Takes the container's open runs: trims them, drops them if blank,
 * applies typography. Returns a GPtrArray of KqRun, or NULL. */
static GPtrArray *
take_runs (KqHtmlBuilder   *b,
           KqHtmlContainer *c)
{
  g_autoptr(GArray) pending = NULL;
  GPtrArray *runs;
  gboolean blank = TRUE;
  guint first = 0;

  trim_trailing_spaces (c);
  while (c->runs != NULL && c->runs->len > 0 &&
         (last_run (c)->flags & KQ_RUN_LINE_BREAK))
    {
      g_array_set_size (c->runs, c->runs->len - 1);
      trim_trailing_spaces (c);
    }

  pending = g_steal_pointer (&c->runs);
  c->at_space = TRUE;
  if (pending == NULL)
    return NULL;

  /* Leading breaks and spaces. */
  while (first < pending->len)
    {
      KqHtmlPendingRun *run = &g_array_index (pending, KqHtmlPendingRun, first);

      if (run->flags & KQ_RUN_LINE_BREAK)
        {
          first++;
          continue;
        }
      while (run->text->len > 0 && run->text->str[0] == ' ')
        g_string_erase (run->text, 0, 1);
      if (run->text->len > 0)
        break;
      first++;
    }

  for (guint i = first; i < pending->len && blank; i++)
    {
      KqHtmlPendingRun *run = &g_array_index (pending, KqHtmlPendingRun, i);

      if (run->flags & KQ_RUN_LINE_BREAK)
        continue;
      for (const char *p = run->text->str; *p && blank; p = g_utf8_next_char (p))
        blank = is_blank_char (g_utf8_get_char (p));
    }
  if (blank)
    return NULL;

  runs = _kq_runs_new ();
  for (guint i = first; i < pending->len; i++)
    {
      KqHtmlPendingRun *run = &g_array_index (pending, KqHtmlPendingRun, i);
      KqRun *out;

      if (run->text->len == 0 && !(run->flags & KQ_RUN_LINE_BREAK))
        continue;
      out = g_new0 (KqRun, 1);
      out->flags = run->flags;
      out->text = g_string_free (g_steal_pointer (&run->text), FALSE);
      out->href = g_steal_pointer (&run->href);
      g_ptr_array_add (runs, out);
    }

  if (!b->opts.no_typography)
    {
      g_autofree char **segments = g_new0 (char *, runs->len + 1);
      g_autofree gboolean *code = g_new0 (gboolean, runs->len + 1);

      for (guint i = 0; i < runs->len; i++)
        {
          KqRun *run = g_ptr_array_index (runs, i);

          segments[i] = run->text;
          code[i] = (run->flags & KQ_RUN_CODE) != 0;
        }
      kq_typography_apply_fr_segments (segments, code, runs->len);
      for (guint i = 0; i < runs->len; i++)
        ((KqRun *) g_ptr_array_index (runs, i))->text = segments[i];
    }

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

  if (!_kq_html_detect_embed (url, &provider, &target, &video_id, &thumbnail))
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

  if (block == NULL)
    {
      block = _kq_html_new_block (b, KQ_BLOCK_PARAGRAPH);
      block->runs = g_steal_pointer (&runs);
      block->align = c->align;
    }
  _kq_html_add_block (c, block);
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
