/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-typography"

#include "config.h"

#include <string.h>

#include "kq-typography.h"

/*
 * The segments are concatenated into one UTF-8 buffer; only the trigger
 * characters (; : ! ? « ») are examined, with their neighbours, so the cost
 * is a byte scan plus a little work per mark. Edits are recorded by byte
 * offset and applied to the segments that own them.
 */

#define NBSP  0x00A0
#define NNBSP 0x202F

typedef enum {
  EDIT_REPLACE,       /* the space at offset becomes `c` */
  EDIT_INSERT_BEFORE, /* `c` goes before the mark at offset */
  EDIT_INSERT_AFTER,  /* `c` goes after the mark at offset (whose length is len) */
} EditKind;

typedef struct {
  gsize    offset;
  gsize    len;
  EditKind kind;
  gunichar c;
} Edit;

typedef struct {
  const char    *text;    /* concatenation */
  gsize          len;
  const gsize   *starts;  /* segment start offsets, n + 1 entries */
  const gboolean *protected_segments;
  guint          n;
} Buffer;

static gboolean
is_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == NBSP || c == NNBSP ||
         c == 0x2009 /* thin */ || c == 0x2007 || c == 0x200A ||
         (c >= 0x80 && g_unichar_isspace (c));
}

static gboolean
is_after_ok (gunichar next)
{
  return next == 0 || is_space (next) || next == '!' || next == '?' ||
         (next < 0x80 && strchr (")]}\"',.", (int) next) != NULL) ||
         next == 0x00BB /* » */ || next == 0x201D /* ” */ || next == 0x2019 /* ’ */ ||
         next == 0x2026 /* … */;
}

static gboolean
is_opening (gunichar c)
{
  return (c < 0x80 && c != 0 && strchr ("([{\"'", (int) c) != NULL) ||
         c == 0x00AB /* « */ || c == 0x201C /* “ */ || c == 0x2018 /* ‘ */;
}

static gboolean
is_high_punct (gunichar c)
{
  return c == ';' || c == ':' || c == '!' || c == '?';
}

static gunichar
char_before (const Buffer *buf,
             gsize         offset)
{
  const char *p;

  if (offset == 0)
    return 0;
  p = g_utf8_find_prev_char (buf->text, buf->text + offset);
  return p != NULL ? g_utf8_get_char (p) : 0;
}

static gunichar
char_at (const Buffer *buf,
         gsize         offset)
{
  return offset < buf->len ? g_utf8_get_char (buf->text + offset) : 0;
}

static guint
segment_of (const Buffer *buf,
            gsize         offset)
{
  guint lo = 0, hi = buf->n;

  /* Last segment whose start <= offset (empty segments skipped naturally). */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (buf->starts[mid] <= offset)
        lo = mid;
      else
        hi = mid;
    }
  while (lo + 1 < buf->n && buf->starts[lo + 1] <= offset)
    lo++;
  return lo;
}

static gboolean
is_protected (const Buffer *buf,
              gsize         offset)
{
  return buf->protected_segments != NULL && buf->protected_segments[segment_of (buf, offset)];
}

static gboolean
prefix_at (const Buffer *buf,
           gsize         offset,
           const char   *ascii)
{
  gsize n = strlen (ascii);

  return offset + n <= buf->len && g_ascii_strncasecmp (buf->text + offset, ascii, n) == 0;
}

/* Whether the mark at @offset is inside a URL-looking token (http://…,
 * https://…, ftp://…, www.…), which runs to the next space, « or ». */
static gboolean
in_url (const Buffer *buf,
        gsize         offset)
{
  gsize start = offset;

  while (start > 0)
    {
      gunichar prev = char_before (buf, start);

      if (is_space (prev) || prev == 0x00AB || prev == 0x00BB)
        break;
      start = g_utf8_find_prev_char (buf->text, buf->text + start) - buf->text;
    }

  for (gsize p = start; p < offset; p = g_utf8_next_char (buf->text + p) - buf->text)
    {
      gunichar before = char_before (buf, p);

      if (p > start && before != 0 && g_unichar_isalnum (before))
        continue;
      if (prefix_at (buf, p, "http://") || prefix_at (buf, p, "https://") ||
          prefix_at (buf, p, "ftp://") || prefix_at (buf, p, "www."))
        return TRUE;
    }
  return FALSE;
}

/* "&name;" or "&#123;" ending at @offset (the ';'). */
static gboolean
looks_like_entity (const Buffer *buf,
                   gsize         offset)
{
  gsize k = offset;

  while (k > 0 && (g_ascii_isalnum (buf->text[k - 1]) || buf->text[k - 1] == '#'))
    k--;

  return k > 0 && k < offset && buf->text[k - 1] == '&';
}

static void
add_edit (GArray   *edits,
          gsize     offset,
          gsize     len,
          EditKind  kind,
          gunichar  c)
{
  Edit edit = { offset, len, kind, c };

  g_array_append_val (edits, edit);
}

static void
plan_mark (const Buffer *buf,
           gsize         offset,
           gsize         len,
           gunichar      c,
           GArray       *edits)
{
  gsize prev_offset = offset > 0 ? (gsize) (g_utf8_find_prev_char (buf->text, buf->text + offset) - buf->text) : 0;
  gunichar prev = char_before (buf, offset);
  gunichar next = char_at (buf, offset + len);

  if (is_protected (buf, offset))
    return;

  if (is_high_punct (c))
    {
      gunichar want = c == ':' ? NBSP : NNBSP;

      if (!is_after_ok (next))
        return;
      if (c == ':' && next == ':')
        return;
      if (is_high_punct (prev))
        return;
      /* Literal entities shown as text: "&amp;" */
      if (c == ';' && looks_like_entity (buf, offset))
        return;
      /* Emoticons: " ;)" " :)" */
      if ((c == ';' || c == ':') && (next == ')' || next == '(') && (prev == 0 || is_space (prev)))
        return;
      if (in_url (buf, offset))
        return;

      if (prev == ' ')
        {
          if (!is_protected (buf, prev_offset))
            add_edit (edits, prev_offset, 1, EDIT_REPLACE, want);
        }
      else if (prev == 0 || is_space (prev) || is_opening (prev))
        ;
      else
        add_edit (edits, offset, len, EDIT_INSERT_BEFORE, want);
    }
  else if (c == 0x00BB) /* » */
    {
      if (prev == ' ')
        {
          if (!is_protected (buf, prev_offset))
            add_edit (edits, prev_offset, 1, EDIT_REPLACE, NNBSP);
        }
      else if (prev == 0 || is_space (prev) || prev == 0x00AB)
        ;
      else
        add_edit (edits, offset, len, EDIT_INSERT_BEFORE, NNBSP);
    }
  else if (c == 0x00AB) /* « */
    {
      if (next == ' ')
        {
          if (!is_protected (buf, offset + len))
            add_edit (edits, offset + len, 1, EDIT_REPLACE, NNBSP);
        }
      else if (next == 0 || is_space (next) || next == 0x00BB)
        ;
      else
        add_edit (edits, offset, len, EDIT_INSERT_AFTER, NNBSP);
    }
}

static int
compare_edits (gconstpointer a,
               gconstpointer b)
{
  const Edit *x = a;
  const Edit *y = b;

  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  return (int) x->kind - (int) y->kind;
}

/* The bytes that may start a mark: ; : ! ? and the lead byte of « ». */
static const guint8 may_be_mark[256] = {
  [';'] = 1, [':'] = 1, ['!'] = 1, ['?'] = 1, [0xC2] = 1,
};

/* The edits @buf needs, in order; NULL when none. */
static GArray *
plan_edits (const Buffer *buf)
{
  GArray *edits = NULL;

  for (gsize i = 0; i < buf->len; i++)
    {
      guchar ch;

      /* Most text has no mark: skip to the next candidate (the text ends
       * with a NUL byte, and holds none before). */
      i += strcspn (buf->text + i, ";:!?\xc2");
      if (i >= buf->len)
        break;
      if (!may_be_mark[(guchar) buf->text[i]])
        continue;
      ch = (guchar) buf->text[i];
      if (edits == NULL)
        edits = g_array_new (FALSE, FALSE, sizeof (Edit));
      if (ch != 0xC2)
        plan_mark (buf, i, 1, ch, edits);
      else if (i + 1 < buf->len &&
               ((guchar) buf->text[i + 1] == 0xAB || (guchar) buf->text[i + 1] == 0xBB))
        {
          plan_mark (buf, i, 2, (guchar) buf->text[i + 1] == 0xAB ? 0x00AB : 0x00BB, edits);
          i++;
        }
    }

  if (edits != NULL && edits->len == 0)
    g_clear_pointer (&edits, g_array_unref);
  if (edits != NULL)
    g_array_sort (edits, compare_edits);
  return edits;
}

/* Segment @s with the edits from *@e that fall in it (advancing *@e). */
static char *
rebuild_segment (const Buffer *buf,
                 guint         s,
                 const GArray *edits,
                 guint        *e)
{
  gsize end = buf->starts[s + 1];
  GString *out = g_string_sized_new (end - buf->starts[s] + 16);
  gsize pos = buf->starts[s];

  while (*e < edits->len && g_array_index (edits, Edit, *e).offset < end)
    {
      const Edit *edit = &g_array_index (edits, Edit, (*e)++);

      /* Two marks may want the same space ("« ?"): the first wins. */
      if (edit->offset < pos)
        continue;

      switch (edit->kind)
        {
        case EDIT_REPLACE:
          g_string_append_len (out, buf->text + pos, edit->offset - pos);
          g_string_append_unichar (out, edit->c);
          pos = edit->offset + edit->len;
          break;
        case EDIT_INSERT_BEFORE:
          g_string_append_len (out, buf->text + pos, edit->offset - pos);
          g_string_append_unichar (out, edit->c);
          pos = edit->offset;
          break;
        case EDIT_INSERT_AFTER:
          g_string_append_len (out, buf->text + pos, edit->offset + edit->len - pos);
          g_string_append_unichar (out, edit->c);
          pos = edit->offset + edit->len;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_string_append_len (out, buf->text + pos, end - pos);

  return g_string_free (out, FALSE);
}

void
kq_typography_apply_fr_segments (char           **segments,
                                 const gboolean  *protected_segments,
                                 guint            n_segments)
{
  g_autoptr(GString) all = NULL;
  g_autofree gsize *starts = NULL;
  g_autoptr(GArray) edits = NULL;
  Buffer buf;
  guint e = 0;

  g_return_if_fail (segments != NULL || n_segments == 0);

  if (n_segments == 0)
    return;

  all = g_string_new (NULL);
  starts = g_new0 (gsize, n_segments + 1);
  for (guint s = 0; s < n_segments; s++)
    {
      starts[s] = all->len;
      if (segments[s] != NULL)
        g_string_append (all, segments[s]);
    }
  starts[n_segments] = all->len;

  buf.text = all->str;
  buf.len = all->len;
  buf.starts = starts;
  buf.protected_segments = protected_segments;
  buf.n = n_segments;

  edits = plan_edits (&buf);
  if (edits == NULL)
    return;

  /* Rebuild the segments that own an edit. */
  for (guint s = 0; s < n_segments && e < edits->len; s++)
    {
      if (segments[s] == NULL || g_array_index (edits, Edit, e).offset >= starts[s + 1])
        continue;

      g_free (segments[s]);
      segments[s] = rebuild_segment (&buf, s, edits, &e);
    }
}

void
kq_typography_apply_fr_spans (const char      *text,
                              const gsize     *starts,
                              const gboolean  *protected_segments,
                              guint            n_segments,
                              char           **out)
{
  g_autoptr(GArray) edits = NULL;
  g_autofree gsize *heap = NULL;
  gsize local[33];
  gsize *relative;
  Buffer buf;
  guint e = 0;

  g_return_if_fail (n_segments == 0 || (text != NULL && starts != NULL && out != NULL));

  if (n_segments == 0)
    return;

  /* Offsets from the first segment's start, as in a concatenation. */
  relative = n_segments < G_N_ELEMENTS (local) ? local : (heap = g_new (gsize, n_segments + 1));
  for (guint s = 0; s <= n_segments; s++)
    relative[s] = starts[s] - starts[0];

  buf.text = text + starts[0];
  buf.len = relative[n_segments];
  buf.starts = relative;
  buf.protected_segments = protected_segments;
  buf.n = n_segments;

  edits = plan_edits (&buf);
  for (guint s = 0; s < n_segments; s++)
    {
      if (edits != NULL && e < edits->len &&
          g_array_index (edits, Edit, e).offset < relative[s + 1])
        out[s] = rebuild_segment (&buf, s, edits, &e);
      else
        out[s] = NULL;
    }
}

char *
kq_typography_apply_fr (const char *text)
{
  char *segments[1];

  if (text == NULL)
    return NULL;

  segments[0] = g_strdup (text);
  kq_typography_apply_fr_segments (segments, NULL, 1);

  return segments[0];
}
