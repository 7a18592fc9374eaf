/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-text"

#include "config.h"

#include <string.h>
#include <libxml/HTMLparser.h>

#include "kq-text-private.h"

/* HTML5 maps these C1 references to Windows-1252 characters. */
static const gunichar cp1252_c1[32] = {
  0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Inline elements: they do not separate words. Everything else does. */
static const char * const inline_tags[] = {
  "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i",
  "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
  "time", "tt", "u", "var", "wbr", NULL
};

gunichar
_kq_text_windows_1252 (guchar byte)
{
  if (byte >= 0x80 && byte <= 0x9F)
    return cp1252_c1[byte - 0x80];
  return byte;
}

char *
_kq_text_map_c1 (const char *text)
{
  GString *out = NULL;
  const char *done = text;

  if (text == NULL)
    return NULL;

  for (const char *p = strchr (text, '\xc2'); p != NULL; p = strchr (p + 1, '\xc2'))
    {
      guchar next = (guchar) p[1];

      if (next < 0x80 || next > 0x9F)
        continue;
      if (out == NULL)
        out = g_string_sized_new (strlen (text) + 8);
      g_string_append_len (out, done, p - done);
      g_string_append_unichar (out, cp1252_c1[next - 0x80]);
      done = p + 2;
      p++;
    }
  if (out == NULL)
    return NULL;
  g_string_append (out, done);

  return g_string_free (out, FALSE);
}

static gunichar
sanitize_code_point (guint64 cp)
{
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0xFFFD;
  if (cp >= 0x80 && cp <= 0x9F)
    return cp1252_c1[cp - 0x80];
  return (gunichar) cp;
}

/* Parses one reference starting at @p (which points at '&'). On success
 * returns the length consumed and sets @out. Returns 0 if it is not a
 * reference (the '&' is then literal text). */
static gsize
parse_reference (const char *p,
                 const char *end,
                 gunichar   *out)
{
  const char *q = p + 1;

  if (q < end && *q == '#')
    {
      gboolean hex = FALSE;
      guint64 value = 0;
      guint digits = 0;

      q++;
      if (q < end && (*q == 'x' || *q == 'X'))
        {
          hex = TRUE;
          q++;
        }
      while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
        {
          if (value <= 0x10FFFF)
            value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q) : *q - '0');
          digits++;
          q++;
        }
      if (digits == 0)
        return 0;
      *out = sanitize_code_point (value);
      if (q < end && *q == ';')
        q++;
      return q - p;
    }
  else
    {
      char name[33];
      gsize n = 0;
      const htmlEntityDesc *desc;

      while (q < end && g_ascii_isalnum (*q) && n < sizeof name - 1)
        name[n++] = *q++;
      name[n] = '\0';
      if (n == 0 || q >= end || *q != ';')
        return 0;
      q++;
      if (strcmp (name, "apos") == 0)
        {
          *out = '\'';
          return q - p;
        }
      desc = htmlEntityLookup ((const xmlChar *) name);
      if (desc == NULL)
        return 0;
      *out = desc->value;
      return q - p;
    }
}

static void
decode_into (GString    *out,
             const char *text,
             gsize       len)
{
  const char *p = text;
  const char *end = text + len;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      gunichar c;
      gsize used;

      if (amp == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, amp - p);
      used = parse_reference (amp, end, &c);
      if (used == 0)
        {
          g_string_append_c (out, '&');
          p = amp + 1;
        }
      else
        {
          g_string_append_unichar (out, c);
          p = amp + used;
        }
    }
}

char *
_kq_text_decode_entities (const char *text,
                          gssize      len)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  if (len < 0)
    len = strlen (text);
  valid = g_utf8_make_valid (text, len);
  out = g_string_sized_new (strlen (valid));
  decode_into (out, valid, strlen (valid));
  return g_string_free (out, FALSE);
}

static gboolean
is_inline_tag (const char *name)
{
  char lower[8];
  gsize n = 0;

  /* Inline tag names are short: anything longer is not one. */
  for (; name[n] != '\0'; n++)
    {
      if (n >= sizeof lower - 1)
        return FALSE;
      lower[n] = g_ascii_tolower (name[n]);
    }
  lower[n] = '\0';
  /* Most tags of a body (p, h2, li, img, figure…) are not: rule them out
   * by their first letter. */
  if (n == 0 || strchr ("abcdefikmqstuvw", lower[0]) == NULL)
    return FALSE;

  for (guint i = 0; inline_tags[i] != NULL; i++)
    if (inline_tags[i][0] == lower[0] && strcmp (lower, inline_tags[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Finds the end of a tag starting at @p ('<'), honouring quoted attribute
 * values. Returns the position after '>' or @end. */
static const char *
skip_tag (const char *p,
          const char *end)
{
  char quote = 0;
  char prev = 0;

  for (p++; p < end; p++)
    {
      if (quote)
        {
          if (*p == quote)
            quote = 0;
        }
      else if ((*p == '"' || *p == '\'') && prev == '=')
        quote = *p; /* Quotes only matter around attribute values. */
      else if (*p == '>')
        return p + 1;
      if (!g_ascii_isspace (*p))
        prev = *p;
    }
  return end;
}

static const char *
find_ci (const char *p,
         const char *end,
         const char *needle)
{
  gsize n = strlen (needle);

  for (; p + n <= end; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return p;
  return NULL;
}

/* Removes tags and comments, keeps references as written. */
static char *
strip_tags (const char *html,
            gsize       len)
{
  GString *out = g_string_sized_new (len);
  const char *p = html;
  const char *end = html + len;

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);
      char name[16];
      gsize n = 0;
      const char *q;
      gboolean closing = FALSE;

      if (lt == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, lt - p);
      q = lt + 1;

      if (q < end && *q == '!')
        {
          if (q + 2 < end && q[1] == '-' && q[2] == '-')
            {
              const char *close = find_ci (q + 3, end, "-->");
              p = close ? close + 3 : end;
            }
          else
            p = skip_tag (lt, end);
          continue;
        }
      if (q < end && *q == '?')
        {
          p = skip_tag (lt, end);
          continue;
        }
      if (q < end && *q == '/')
        {
          closing = TRUE;
          q++;
        }
      if (q >= end || !g_ascii_isalpha (*q))
        {
          /* Not a tag: a literal '<' as a browser would show it. */
          g_string_append_c (out, '<');
          p = lt + 1;
          continue;
        }
      while (q < end && (g_ascii_isalnum (*q) || *q == '-') && n < sizeof name - 1)
        name[n++] = *q++;
      name[n] = '\0';
      p = skip_tag (lt, end);

      if (!closing && (g_ascii_strcasecmp (name, "script") == 0 ||
                       g_ascii_strcasecmp (name, "style") == 0))
        {
          g_autofree char *close_tag = g_strconcat ("</", name, NULL);
          const char *close = find_ci (p, end, close_tag);

          p = close ? skip_tag (close, end) : end;
          g_string_append_c (out, ' ');
          continue;
        }
      if (!is_inline_tag (name))
        g_string_append_c (out, ' ');
    }

  return g_string_free (out, FALSE);
}

char *
_kq_text_from_html (const char *html)
{
  g_autofree char *valid = NULL;
  g_autofree char *stripped = NULL;
  g_autoptr(GString) decoded = NULL;
  const char *text = html;
  gsize len;
  GString *out;
  const char *p;
  gboolean pending_space = FALSE;

  if (html == NULL)
    return NULL;

  /* Each step only when there is something for it to do (no copies). */
  len = strlen (text);
  if (!g_utf8_validate_len (text, len, NULL))
    {
      text = valid = g_utf8_make_valid (text, len);
      len = strlen (text);
    }
  if (memchr (text, '<', len) != NULL)
    {
      text = stripped = strip_tags (text, len);
      len = strlen (text);
    }
  if (memchr (text, '&', len) != NULL)
    {
      decoded = g_string_sized_new (len);
      decode_into (decoded, text, len);
      text = decoded->str;
      len = decoded->len;
    }

  /* Collapse ASCII whitespace runs; keep no-break spaces inside the text
   * (French typography) but trim every kind of space at both ends. */
  out = g_string_sized_new (len);
  for (p = text; *p != '\0'; )
    {
      guchar byte = *p;
      gunichar c;

      /* Runs of visible ASCII are copied as they are. */
      if (byte > 0x20 && byte < 0x7F)
        {
          const char *run = p;

          while ((guchar) *p > 0x20 && (guchar) *p < 0x7F)
            p++;
          if (pending_space && out->len > 0)
            g_string_append_c (out, ' ');
          pending_space = FALSE;
          g_string_append_len (out, run, p - run);
          continue;
        }

      /* ASCII fast path. */
      if (byte < 0x80)
        {
          p++;
          if (byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r' || byte == '\f' ||
              byte == '\v')
            {
              pending_space = TRUE;
              continue;
            }
          if (byte < 0x20 || byte == 0x7F)
            continue;
          if (pending_space && out->len > 0)
            g_string_append_c (out, ' ');
          pending_space = FALSE;
          g_string_append_c (out, byte);
          continue;
        }

      c = g_utf8_get_char (p);
      p = g_utf8_next_char (p);
      /* C1 controls are mislabelled Windows-1252; other controls go. */
      if (c >= 0x80 && c <= 0x9F)
        c = cp1252_c1[c - 0x80];
      if (c == 0xFFFD)
        continue;
      if (out->len == 0 && g_unichar_isspace (c))
        continue;
      if (pending_space && out->len > 0)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  /* Trim trailing Unicode spaces (e.g. a final &nbsp;). */
  while (out->len > 0)
    {
      char *last = g_utf8_find_prev_char (out->str, out->str + out->len);

      if (last == NULL || !g_unichar_isspace (g_utf8_get_char (last)))
        break;
      g_string_truncate (out, last - out->str);
    }

  return g_string_free (out, FALSE);
}

static gboolean
strip_suffix (char       *text,
              gsize      *len,
              const char *suffix)
{
  gsize n = strlen (suffix);

  if (*len < n || strcmp (text + *len - n, suffix) != 0)
    return FALSE;
  *len -= n;
  text[*len] = '\0';
  return TRUE;
}

static void
trim_trailing_spaces (char  *text,
                      gsize *len)
{
  while (*len > 0)
    {
      char *prev = g_utf8_find_prev_char (text, text + *len);

      if (prev == NULL || !g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      *len = prev - text;
      text[*len] = '\0';
    }
}

char *
_kq_text_excerpt (const char *html,
                  guint       max_words)
{
  static const char * const endings[] = { "[\u2026]", "[...]", "\u2026", "..." };
  g_autofree char *text = _kq_text_from_html (html);
  gboolean ellipsis = FALSE;
  gsize len;

  if (text == NULL)
    return NULL;

  /* WordPress marks where it cut with "[…]": anything after it (the
   * "L’article … est apparu en premier sur …" footer) is not the excerpt. */
  for (guint i = 0; i < 2; i++)
    {
      char *mark = strstr (text, endings[i]);

      if (mark != NULL)
        {
          *mark = '\0';
          ellipsis = TRUE;
        }
    }
  /* "Premières phrases… Lire la suite": a theme's "more" link after the
   * ellipsis is not part of the excerpt. */
  if (!ellipsis)
    {
      char *last = g_strrstr (text, "\u2026");

      if (last != NULL && last[strlen ("\u2026")] != '\0')
        {
          char *rest = last + strlen ("\u2026");
          gboolean in_word = FALSE;
          guint n_words = 0;

          for (const char *p = rest; *p != '\0'; p = g_utf8_next_char (p))
            {
              gboolean space = g_unichar_isspace (g_utf8_get_char (p));

              if (!space && !in_word)
                n_words++;
              in_word = !space;
            }
          if (n_words <= 4)
            *rest = '\0';
        }
    }

  len = strlen (text);
  for (guint i = 0; i < G_N_ELEMENTS (endings) && !ellipsis; i++)
    ellipsis = strip_suffix (text, &len, endings[i]);
  trim_trailing_spaces (text, &len);

  if (max_words > 0)
    {
      guint words = 0;
      gboolean in_word = FALSE;

      for (char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        {
          gboolean space = g_unichar_isspace (g_utf8_get_char (p));

          if (!space && !in_word && ++words > max_words)
            {
              len = p - text;
              text[len] = '\0';
              trim_trailing_spaces (text, &len);
              ellipsis = TRUE;
              break;
            }
          in_word = !space;
        }
    }

  /* Words can be absurdly long too. */
  if (max_words > 0 && len > max_words * 16)
    {
      const char *cut = text;
      glong chars = 0;

      while (*cut != '\0' && chars < (glong) max_words * 12)
        {
          cut = g_utf8_next_char (cut);
          chars++;
        }
      if (*cut != '\0')
        {
          len = cut - text;
          text[len] = '\0';
          trim_trailing_spaces (text, &len);
          ellipsis = TRUE;
        }
    }

  if (len == 0)
    return NULL;
  if (ellipsis)
    return g_strconcat (text, "\u2026", NULL);
  return g_steal_pointer (&text);
}

/* Unicode spaces in UTF-8 (after U+0080): U+00A0, U+1680, U+2000–U+200A,
 * U+2028, U+2029, U+202F, U+205F, U+3000. Returns the sequence length. */
static gsize
utf8_space_length (const guchar *p)
{
  if (p[0] == 0xC2 && p[1] == 0xA0)
    return 2;
  if (p[0] == 0xE2 && p[1] == 0x80 && p[2] != '\0' &&
      (p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF))
    return 3;
  if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F)
    return 3;
  if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
    return 3;
  if (p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80)
    return 3;
  return 0;
}

/* What _kq_text_count_words() makes of a byte: runs of letters and digits,
 * of spaces and of other ASCII characters are read in tight loops; the rest
 * ('<', '&', NUL, non-ASCII) case by case. */
enum {
  BYTE_SPECIAL,
  BYTE_ALNUM,
  BYTE_SPACE,
  BYTE_PUNCT,
};

static const guchar *
byte_classes (void)
{
  static guchar classes[256];
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      for (guint c = 1; c < 0x80; c++)
        classes[c] = g_ascii_isalnum (c) ? BYTE_ALNUM
                     : g_ascii_isspace (c) ? BYTE_SPACE
                     : BYTE_PUNCT;
      classes['<'] = classes['&'] = BYTE_SPECIAL;
      g_once_init_leave (&ready, 1);
    }
  return classes;
}

/* A byte-level scan (no copies, no decoding): this runs on every article
 * body the parsers produce. Same rules as _kq_text_from_html(): tags and
 * comments removed, script/style dropped, non-inline tags separate words;
 * &nbsp; and its numeric forms separate words, other references are
 * letters; non-ASCII characters other than spaces count as letters. */
guint
_kq_text_count_words (const char *html)
{
  const guchar *p = (const guchar *) html;
  const char *end;
  const guchar *classes = byte_classes ();
  guint words = 0;
  gboolean in_word = FALSE;
  gboolean word_has_alnum = FALSE;

  if (html == NULL)
    return 0;
  end = html + strlen (html);

#define END_WORD() G_STMT_START { \
    if (in_word && word_has_alnum) words++; \
    in_word = FALSE; word_has_alnum = FALSE; \
  } G_STMT_END

  while (*p != '\0')
    {
      switch (classes[*p])
        {
        case BYTE_ALNUM:
          in_word = word_has_alnum = TRUE;
          do
            p++;
          while (classes[*p] == BYTE_ALNUM);
          continue;

        case BYTE_SPACE:
          END_WORD ();
          do
            p++;
          while (classes[*p] == BYTE_SPACE);
          continue;

        case BYTE_PUNCT:
          in_word = TRUE;
          p++;
          continue;

        default:
          break;
        }

      if (*p == '<')
        {
          const guchar *q = p + 1;
          char name[16];
          gsize n = 0;
          gboolean closing = FALSE;

          if (*q == '!')
            {
              if (q[1] == '-' && q[2] == '-')
                {
                  const char *close = strstr ((const char *) q + 3, "-->");
                  p = close ? (const guchar *) close + 3 : (const guchar *) end;
                }
              else
                p = (const guchar *) skip_tag ((const char *) p, end);
              END_WORD ();
              continue;
            }
          if (*q == '/')
            {
              closing = TRUE;
              q++;
            }
          if (!g_ascii_isalpha (*q) && *q != '?')
            {
              /* A literal '<': punctuation inside or between words. */
              in_word = TRUE;
              p++;
              continue;
            }
          while ((g_ascii_isalnum (*q) || *q == '-') && n < sizeof name - 1)
            name[n++] = *q++;
          name[n] = '\0';
          p = (const guchar *) skip_tag ((const char *) p, end);

          if (!closing && (g_ascii_strcasecmp (name, "script") == 0 ||
                           g_ascii_strcasecmp (name, "style") == 0))
            {
              g_autofree char *close_tag = g_strconcat ("</", name, NULL);
              const char *close = find_ci ((const char *) p, end, close_tag);

              p = (const guchar *) (close ? skip_tag (close, end) : end);
              END_WORD ();
              continue;
            }
          if (n == 0 || !is_inline_tag (name))
            END_WORD ();
          continue;
        }

      if (*p == '&')
        {
          gunichar c = 0;
          gsize used = parse_reference ((const char *) p,
                                        (const char *) p + strnlen ((const char *) p, 40), &c);

          if (used > 0 && (c == 0xA0 || g_unichar_isspace (c)))
            {
              END_WORD ();
              p += used;
              continue;
            }
          in_word = TRUE;
          if (used > 0 && g_unichar_isalnum (c))
            word_has_alnum = TRUE;
          p += used > 0 ? used : 1;
          continue;
        }

      /* Latin letters with accents (U+00C0 to U+02AF but × and ÷), the
       * usual non-ASCII in French text, without decoding them. */
      if (*p >= 0xC3 && *p <= 0xCA && (p[1] & 0xC0) == 0x80 &&
          !(*p == 0xC3 && (p[1] == 0x97 || p[1] == 0xB7)) && !(*p == 0xCA && p[1] > 0xAF))
        {
          in_word = word_has_alnum = TRUE;
          p += 2;
          continue;
        }

      {
        gsize space = utf8_space_length (p);

        if (space > 0)
          {
            END_WORD ();
            p += space;
            continue;
          }
        gunichar c = g_utf8_get_char_validated ((const char *) p, end - (const char *) p);

        in_word = TRUE;
        if (c == (gunichar) -1 || c == (gunichar) -2)
          {
            p++;
            continue;
          }
        if (g_unichar_isalnum (c))
          word_has_alnum = TRUE;
        p = (const guchar *) g_utf8_next_char (p);
      }
    }
  END_WORD ();
#undef END_WORD

  return words;
}

gint64
_kq_text_hash63 (const char *str)
{
  guint64 hash = G_GUINT64_CONSTANT (14695981039346656037);
  gint64 result;

  for (const guchar *p = (const guchar *) (str ? str : ""); *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= G_GUINT64_CONSTANT (1099511628211);
    }

  result = (gint64) (hash & G_GUINT64_CONSTANT (0x7FFFFFFFFFFFFFFF));
  return result == 0 ? 1 : result;
}

static inline gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether the escape at @p (pointing at a backslash inside a string) is
 * one JSON allows. A backslash at the very end is left to json-glib, which
 * reports the unterminated string. */
static gboolean
json_escape_valid (const char *p,
                   const char *end)
{
  if (end - p < 2)
    return TRUE;
  if (strchr ("\"\\/bfnrt", p[1]) != NULL && p[1] != '\0')
    return TRUE;
  if (p[1] != 'u')
    return FALSE;
  for (int i = 2; i < 6; i++)
    if (p + i >= end || !g_ascii_isxdigit (p[i]))
      return p + i >= end;
  return TRUE;
}

KqJsonShape
_kq_text_json_shape (const char *data,
                     gsize       len,
                     guint       max_depth)
{
  const char *end = data + len;
  const char *next_quote = NULL;  /* the next '"' from where a string is read */
  gboolean in_string = FALSE;
  gboolean started = FALSE;   /* the top-level value has begun */
  gboolean closed = FALSE;    /* ... and is over */
  guint depth = 0;
  gsize i = 0;

  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  for (; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          /* Strings are most of the bytes: jump to the next backslash or
           * quote (each found once: linear whatever the input). */
          const char *p = data + i;
          const char *backslash;

          if (next_quote == NULL || next_quote < p)
            {
              next_quote = memchr (p, '"', end - p);
              if (next_quote == NULL)
                next_quote = end;
            }
          backslash = memchr (p, '\\', next_quote - p);
          if (backslash != NULL)
            {
              i = backslash - data;
              if (!json_escape_valid (backslash, end))
                return KQ_JSON_SHAPE_BAD_ESCAPE;
              i++;
            }
          else if (next_quote < end)
            {
              i = next_quote - data;
              in_string = FALSE;
              closed = depth == 0;
            }
          else
            break;
        }
      else if (depth > 0)
        {
          if (c == '"')
            in_string = TRUE;
          else if (c == '[' || c == '{')
            {
              if (++depth > max_depth)
                return KQ_JSON_SHAPE_TOO_DEEP;
            }
          else if (c == ']' || c == '}')
            closed = --depth == 0;
        }
      /* Top level: one value (object, array, string or scalar), then only
       * white space. */
      else if (is_json_space (c))
        closed = started;
      else if (closed)
        return KQ_JSON_SHAPE_TRAILING;
      else if (c == '"' || c == '[' || c == '{')
        {
          /* After a scalar ("1[2]"): a second value. */
          if (started)
            return KQ_JSON_SHAPE_TRAILING;
          started = TRUE;
          if (c == '"')
            in_string = TRUE;
          else
            depth = 1;
        }
      else if (!started && strchr ("-0123456789tfn", c) == NULL)
        /* Not JSON at all ("<!DOCTYPE html>…"): json-glib stops at the
         * first character and says why. */
        return KQ_JSON_SHAPE_OK;
      else
        started = TRUE;
    }
  return KQ_JSON_SHAPE_OK;
}

/* The code unit of a "\uXXXX" escape at @p (pointing at the backslash), or
 * -1 when there is not one there. */
static int
json_escape_unit (const char *p,
                  const char *end)
{
  int unit = 0;

  if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
    return -1;
  for (int i = 2; i < 6; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      unit = unit * 16 + digit;
    }
  return unit;
}

static gboolean
has_unicode_escape (const char *p,
                    const char *end)
{
  while ((p = memchr (p, '\\', end - p)) != NULL && p + 1 < end)
    {
      if (p[1] == 'u')
        return TRUE;
      p += 2;
    }
  return FALSE;
}

char *
_kq_text_json_fix_surrogates (const char *data,
                              gsize       len,
                              gsize      *out_len)
{
  const char *end = data + len;
  const char *copied = data;
  gboolean in_string = FALSE;
  GString *out = NULL;

  /* Almost every document has no surrogate escape at all. (Not
   * g_strstr_len (): it stops at a NUL byte, and JSON from the network can
   * hold one before the escape.) */
  if (!has_unicode_escape (data, end))
    return NULL;

  for (const char *p = data; p < end; p++)
    {
      int unit;

      if (!in_string)
        {
          in_string = *p == '"';
          continue;
        }
      if (*p == '"')
        {
          in_string = FALSE;
          continue;
        }
      if (*p != '\\')
        continue;

      unit = json_escape_unit (p, end);
      if (unit >= 0xD800 && unit <= 0xDBFF)
        {
          int low = json_escape_unit (p + 6, end);

          if (low >= 0xDC00 && low <= 0xDFFF)
            {
              p += 11;
              continue;
            }
        }
      else if (unit < 0xDC00 || unit > 0xDFFF)
        {
          /* Any other escape: skip the escaped character. */
          p++;
          continue;
        }

      if (out == NULL)
        out = g_string_sized_new (len);
      g_string_append_len (out, copied, p - copied);
      g_string_append (out, "\\uFFFD");
      p += 5;
      copied = p + 1;
    }

  if (out == NULL)
    return NULL;
  g_string_append_len (out, copied, end - copied);
  *out_len = out->len;
  return g_string_free (out, FALSE);
}
