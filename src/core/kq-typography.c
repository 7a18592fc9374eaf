/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-typography"

#include "config.h"

#include <string.h>

#include "kq-typography.h"

#define NBSP  0x00A0
#define NNBSP 0x202F

typedef struct {
  gunichar c;
  guint    segment;
  gunichar replace;       /* 0: keep c */
  gunichar insert_before; /* 0: none */
  gunichar insert_after;  /* 0: none */
  guint    frozen : 1;    /* code or URL: never touched, triggers nothing */
} Char;

static gboolean
is_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == NBSP || c == NNBSP ||
         c == 0x2009 /* thin */ || c == 0x2007 || c == 0x200A || g_unichar_isspace (c);
}

/* What may follow high punctuation for it to be French punctuation rather
 * than part of a token (a;b, ?utm=, 12:30, std::). */
static gboolean
is_after_ok (gunichar next)
{
  return next == 0 || is_space (next) || next == '!' || next == '?' ||
         (next != 0 && strchr (")]}\"',.", (int) next) != NULL && next < 0x80) ||
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

static gboolean
has_prefix_at (const Char *chars, guint n, guint i, const char *ascii)
{
  for (guint k = 0; ascii[k] != '\0'; k++)
    {
      if (i + k >= n || g_unichar_tolower (chars[i + k].c) != (gunichar) ascii[k])
        return FALSE;
    }
  return TRUE;
}

/* Marks URL-looking spans (http://…, https://…, ftp://…, www.…) frozen up to
 * the next space. */
static void
freeze_urls (Char *chars, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      gboolean word_start = i == 0 || !g_unichar_isalnum (chars[i - 1].c);

      if (!word_start)
        continue;

      if (has_prefix_at (chars, n, i, "http://") || has_prefix_at (chars, n, i, "https://") ||
          has_prefix_at (chars, n, i, "ftp://") || has_prefix_at (chars, n, i, "www."))
        {
          while (i < n && !is_space (chars[i].c) && chars[i].c != 0x00AB && chars[i].c != 0x00BB)
            chars[i++].frozen = TRUE;
        }
    }
}

/* "&name;" or "&#123;" ending at @i (the ';'). */
static gboolean
looks_like_entity (const Char *chars,
                   guint       i)
{
  guint k = i;

  while (k > 0 && chars[k - 1].c < 0x80 &&
         (g_ascii_isalnum ((char) chars[k - 1].c) || chars[k - 1].c == '#'))
    k--;

  return k > 0 && k < i && chars[k - 1].c == '&';
}

static void
plan_edits (Char *chars, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      gunichar c = chars[i].c;
      gunichar prev = i > 0 ? chars[i - 1].c : 0;
      gunichar next = i + 1 < n ? chars[i + 1].c : 0;

      if (chars[i].frozen)
        continue;

      if (is_high_punct (c))
        {
          gunichar want = c == ':' ? NBSP : NNBSP;

          if (!is_after_ok (next))
            continue;
          if (c == ':' && next == ':')
            continue;
          if (is_high_punct (prev))
            continue;
          /* Literal entities shown as text: "&amp;" */
          if (c == ';' && looks_like_entity (chars, i))
            continue;
          /* Emoticons: " ;)" " :)" */
          if ((c == ';' || c == ':') && (next == ')' || next == '(') && (prev == 0 || is_space (prev)))
            continue;

          if (prev == ' ' && !chars[i - 1].frozen)
            chars[i - 1].replace = want;
          else if (prev == 0 || is_space (prev) || is_opening (prev))
            ;
          else
            chars[i].insert_before = want;
        }
      else if (c == 0x00BB) /* » */
        {
          if (prev == ' ' && !chars[i - 1].frozen)
            chars[i - 1].replace = NNBSP;
          else if (prev == 0 || is_space (prev) || prev == 0x00AB)
            ;
          else
            chars[i].insert_before = NNBSP;
        }
      else if (c == 0x00AB) /* « */
        {
          if (next == ' ' && !chars[i + 1].frozen)
            chars[i + 1].replace = NNBSP;
          else if (next == 0 || is_space (next) || next == 0x00BB)
            ;
          else
            chars[i].insert_after = NNBSP;
        }
    }
}

void
kq_typography_apply_fr_segments (char           **segments,
                                 const gboolean  *protected_segments,
                                 guint            n_segments)
{
  g_autoptr(GArray) chars = NULL;
  gboolean changed = FALSE;
  Char *v;
  guint n;

  g_return_if_fail (segments != NULL || n_segments == 0);

  chars = g_array_new (FALSE, TRUE, sizeof (Char));

  for (guint s = 0; s < n_segments; s++)
    {
      gboolean frozen = protected_segments != NULL && protected_segments[s];

      if (segments[s] == NULL)
        continue;
      for (const char *p = segments[s]; *p; p = g_utf8_next_char (p))
        {
          Char ch = { 0, };

          ch.c = g_utf8_get_char (p);
          ch.segment = s;
          ch.frozen = frozen;
          g_array_append_val (chars, ch);
        }
    }

  v = (Char *) (void *) chars->data;
  n = chars->len;
  freeze_urls (v, n);
  plan_edits (v, n);

  for (guint i = 0; i < n && !changed; i++)
    changed = v[i].replace || v[i].insert_before || v[i].insert_after;
  if (!changed)
    return;

  for (guint i = 0, s = 0; s < n_segments; s++)
    {
      GString *out;
      gboolean seg_changed = FALSE;
      guint start = i;

      if (segments[s] == NULL)
        continue;

      while (i < n && v[i].segment == s)
        {
          seg_changed |= v[i].replace || v[i].insert_before || v[i].insert_after;
          i++;
        }
      if (!seg_changed)
        continue;

      out = g_string_sized_new (strlen (segments[s]) + 8);
      for (guint k = start; k < i; k++)
        {
          if (v[k].insert_before)
            g_string_append_unichar (out, v[k].insert_before);
          g_string_append_unichar (out, v[k].replace ? v[k].replace : v[k].c);
          if (v[k].insert_after)
            g_string_append_unichar (out, v[k].insert_after);
        }
      g_free (segments[s]);
      segments[s] = g_string_free (out, FALSE);
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
