/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "kq-html-private.h"
#include "kq-typography.h"
#include "kq-url-private.h"

/*
 * The walker. Recursive with an explicit depth limit: an element deeper
 * than max_depth has its text collected iteratively and appended as plain
 * text. Output goes into a Container: either a list of blocks with an open
 * paragraph (a list of pending runs), or inline-only (headings, captions,
 * table cells, citations) where block elements turn into line breaks.
 */

typedef enum {
  E_INLINE,     /* unknown or neutral inline: keep text */
  E_FLAG,       /* b, i, code…: adds a run flag */
  E_DROP,
  E_BLOCK,      /* div-like: ends the paragraph */
  E_A,
  E_BR,
  E_IMG,
  E_Q,
  E_P,
  E_HEADING,
  E_BLOCKQUOTE,
  E_UL,
  E_OL,
  E_PRE,
  E_HR,
  E_TABLE,
  E_FIGURE,
  E_IFRAME,
  E_VIDEO,
  E_AUDIO,
} ElemType;

typedef struct {
  const char *name;
  ElemType    type;
  KqRunFlags  flag;
} ElemInfo;

static const ElemInfo elements[] = {
  { "a", E_A, 0 }, { "abbr", E_INLINE, 0 }, { "acronym", E_INLINE, 0 },
  { "address", E_BLOCK, 0 }, { "applet", E_DROP, 0 }, { "area", E_DROP, 0 },
  { "article", E_BLOCK, 0 }, { "aside", E_BLOCK, 0 }, { "audio", E_AUDIO, 0 },
  { "b", E_FLAG, KQ_RUN_BOLD }, { "base", E_DROP, 0 }, { "basefont", E_DROP, 0 },
  { "big", E_INLINE, 0 }, { "blockquote", E_BLOCKQUOTE, 0 }, { "body", E_BLOCK, 0 },
  { "br", E_BR, 0 }, { "button", E_DROP, 0 }, { "canvas", E_DROP, 0 },
  { "caption", E_BLOCK, 0 }, { "center", E_BLOCK, 0 }, { "cite", E_FLAG, KQ_RUN_ITALIC },
  { "code", E_FLAG, KQ_RUN_CODE }, { "col", E_DROP, 0 }, { "colgroup", E_DROP, 0 },
  { "datalist", E_DROP, 0 }, { "dd", E_BLOCK, 0 }, { "del", E_FLAG, KQ_RUN_STRIKE },
  { "details", E_BLOCK, 0 }, { "dfn", E_FLAG, KQ_RUN_ITALIC }, { "dialog", E_DROP, 0 },
  { "dir", E_UL, 0 }, { "div", E_BLOCK, 0 }, { "dl", E_BLOCK, 0 }, { "dt", E_BLOCK, 0 },
  { "em", E_FLAG, KQ_RUN_ITALIC }, { "embed", E_INLINE, 0 }, { "fieldset", E_DROP, 0 },
  { "figcaption", E_BLOCK, 0 }, { "figure", E_FIGURE, 0 }, { "footer", E_BLOCK, 0 },
  { "form", E_DROP, 0 }, { "frame", E_DROP, 0 }, { "frameset", E_DROP, 0 },
  { "h1", E_HEADING, 0 }, { "h2", E_HEADING, 0 }, { "h3", E_HEADING, 0 },
  { "h4", E_HEADING, 0 }, { "h5", E_HEADING, 0 }, { "h6", E_HEADING, 0 },
  { "head", E_DROP, 0 }, { "header", E_BLOCK, 0 }, { "hgroup", E_BLOCK, 0 },
  { "hr", E_HR, 0 }, { "html", E_BLOCK, 0 }, { "i", E_FLAG, KQ_RUN_ITALIC },
  { "iframe", E_IFRAME, 0 }, { "img", E_IMG, 0 }, { "input", E_DROP, 0 },
  { "ins", E_FLAG, KQ_RUN_UNDERLINE }, { "kbd", E_FLAG, KQ_RUN_CODE }, { "keygen", E_INLINE, 0 },
  { "legend", E_BLOCK, 0 }, { "li", E_BLOCK, 0 }, { "link", E_DROP, 0 },
  { "main", E_BLOCK, 0 }, { "map", E_DROP, 0 }, { "menu", E_UL, 0 }, { "meta", E_DROP, 0 },
  { "meter", E_DROP, 0 }, { "nav", E_BLOCK, 0 }, { "noembed", E_DROP, 0 },
  { "noframes", E_DROP, 0 }, { "noscript", E_DROP, 0 }, { "object", E_DROP, 0 },
  { "ol", E_OL, 0 }, { "optgroup", E_DROP, 0 }, { "option", E_DROP, 0 },
  { "output", E_DROP, 0 }, { "p", E_P, 0 }, { "param", E_DROP, 0 }, { "pre", E_PRE, 0 },
  { "progress", E_DROP, 0 }, { "q", E_Q, 0 }, { "rp", E_DROP, 0 }, { "s", E_FLAG, KQ_RUN_STRIKE },
  { "samp", E_FLAG, KQ_RUN_CODE }, { "script", E_DROP, 0 }, { "section", E_BLOCK, 0 },
  { "select", E_DROP, 0 }, { "slot", E_DROP, 0 }, { "source", E_INLINE, 0 },
  { "strike", E_FLAG, KQ_RUN_STRIKE }, { "strong", E_FLAG, KQ_RUN_BOLD },
  { "style", E_DROP, 0 }, { "sub", E_FLAG, KQ_RUN_SUBSCRIPT }, { "summary", E_BLOCK, 0 },
  { "sup", E_FLAG, KQ_RUN_SUPERSCRIPT }, { "svg", E_DROP, 0 }, { "table", E_TABLE, 0 },
  { "tbody", E_BLOCK, 0 }, { "td", E_BLOCK, 0 }, { "template", E_DROP, 0 },
  { "textarea", E_DROP, 0 }, { "tfoot", E_BLOCK, 0 }, { "th", E_BLOCK, 0 },
  { "thead", E_BLOCK, 0 }, { "title", E_DROP, 0 }, { "tr", E_BLOCK, 0 },
  { "track", E_INLINE, 0 }, { "tt", E_FLAG, KQ_RUN_CODE }, { "u", E_FLAG, KQ_RUN_UNDERLINE },
  { "ul", E_UL, 0 }, { "var", E_FLAG, KQ_RUN_ITALIC }, { "video", E_VIDEO, 0 },
  { "wbr", E_INLINE, 0 }, { "xmp", E_PRE, 0 },
};

static const ElemInfo inline_info = { NULL, E_INLINE, 0 };

typedef struct {
  KqHtmlOptions  opts;
  const char    *base_url;
  guint          n_blocks;
  gboolean       truncated;
  gboolean       stop;
  guint          nesting;   /* quotes and lists open around the walker */
} Builder;

typedef struct {
  KqRunFlags  flags;
  char       *href;
  GString    *text;
} PendingRun;

typedef struct {
  GPtrArray *blocks;        /* KqBlock*; NULL when inline-only */
  GArray    *runs;          /* PendingRun; NULL when no open paragraph */
  KqAlign    align;
  guint      inline_only : 1;
  guint      pre : 1;
  guint      at_space : 1;      /* nothing yet, or ends in a space or break */
} Container;

typedef struct {
  KqRunFlags  flags;
  const char *href;
} Inline;

static void walk_node     (Builder *b, Container *c, xmlNode *node, const Inline *in, guint depth);
static void walk_children (Builder *b, Container *c, xmlNode *node, const Inline *in, guint depth);
static void walk_block    (Builder *b, Container *c, xmlNode *node, const Inline *in, guint depth,
                           gboolean paragraph);

/* Quotes and lists nest at most this deep; deeper ones become paragraphs
 * of the enclosing block (the view builds one widget level per level). */
#define MAX_BLOCK_NESTING 16

/* Element lookup */

static GHashTable *
element_table (void)
{
  static GHashTable *table = NULL;

  if (g_once_init_enter (&table))
    {
      GHashTable *t = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < G_N_ELEMENTS (elements); i++)
        g_hash_table_insert (t, (gpointer) elements[i].name, (gpointer) &elements[i]);
      g_once_init_leave (&table, t);
    }

  return table;
}

static const ElemInfo *
element_info (xmlNode *node)
{
  const ElemInfo *info;

  if (node->name == NULL)
    return &inline_info;
  info = g_hash_table_lookup (element_table (), node->name);

  return info != NULL ? info : &inline_info;
}

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->name != NULL &&
         g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

/* Attributes, without allocating. Valueless attributes give "". */
static const char *
attr (xmlNode    *node,
      const char *name)
{
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    {
      /* libxml2's HTML parser lower-cases attribute names. */
      if (a->name == NULL || strcmp ((const char *) a->name, name) != 0)
        continue;
      if (a->children != NULL && a->children->type == XML_TEXT_NODE && a->children->content != NULL)
        return (const char *) a->children->content;
      return "";
    }
  return NULL;
}

static gboolean
has_class (xmlNode    *node,
           const char *klass)
{
  const char *classes = attr (node, "class");
  gsize len = strlen (klass);

  if (classes == NULL)
    return FALSE;

  for (const char *p = classes; *p;)
    {
      const char *start;

      while (*p && g_ascii_isspace (*p))
        p++;
      start = p;
      while (*p && !g_ascii_isspace (*p))
        p++;
      if ((gsize) (p - start) == len && strncmp (start, klass, len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The value of CSS property @prop in a style attribute, lower-cased and
 * without spaces, or NULL. */
static char *
style_value (const char *style,
             const char *prop)
{
  g_auto(GStrv) decls = NULL;

  if (style == NULL)
    return NULL;

  decls = g_strsplit (style, ";", 32);
  for (guint i = 0; decls[i] != NULL; i++)
    {
      char *colon = strchr (decls[i], ':');
      g_autofree char *raw = NULL;
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;
      raw = g_strndup (decls[i], colon - decls[i]);
      name = g_ascii_strdown (g_strstrip (raw), -1);
      if (g_str_equal (name, prop))
        {
          g_autofree char *value = g_ascii_strdown (colon + 1, -1);
          GString *out = g_string_new (NULL);

          for (const char *p = value; *p; p++)
            if (!g_ascii_isspace (*p))
              g_string_append_c (out, *p);
          return g_string_free (out, FALSE);
        }
    }
  return NULL;
}

static gboolean
is_hidden (xmlNode *node)
{
  const char *style;

  if (attr (node, "hidden") != NULL)
    return TRUE;
  if (has_class (node, "screen-reader-text") || has_class (node, "sr-only"))
    return TRUE;

  style = attr (node, "style");
  if (style != NULL)
    {
      g_autofree char *display = style_value (style, "display");
      g_autofree char *visibility = style_value (style, "visibility");

      if (display != NULL && g_str_has_prefix (display, "none"))
        return TRUE;
      if (visibility != NULL && g_str_has_prefix (visibility, "hidden"))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_dropped (xmlNode *node)
{
  return element_info (node)->type == E_DROP || is_hidden (node);
}

static KqRunFlags
style_flags (xmlNode *node)
{
  const char *style = attr (node, "style");
  g_autofree char *weight = NULL;
  g_autofree char *font_style = NULL;
  g_autofree char *decoration = NULL;
  g_autofree char *decoration_line = NULL;
  g_autofree char *valign = NULL;
  KqRunFlags flags = 0;

  if (style == NULL)
    return 0;

  weight = style_value (style, "font-weight");
  font_style = style_value (style, "font-style");
  decoration = style_value (style, "text-decoration");
  decoration_line = style_value (style, "text-decoration-line");
  valign = style_value (style, "vertical-align");

  if (weight != NULL &&
      (g_str_has_prefix (weight, "bold") || g_str_equal (weight, "600") ||
       g_str_equal (weight, "700") || g_str_equal (weight, "800") || g_str_equal (weight, "900")))
    flags |= KQ_RUN_BOLD;
  if (font_style != NULL && (g_str_has_prefix (font_style, "italic") ||
                             g_str_has_prefix (font_style, "oblique")))
    flags |= KQ_RUN_ITALIC;
  if ((decoration != NULL && strstr (decoration, "underline") != NULL) ||
      (decoration_line != NULL && strstr (decoration_line, "underline") != NULL))
    flags |= KQ_RUN_UNDERLINE;
  if ((decoration != NULL && strstr (decoration, "line-through") != NULL) ||
      (decoration_line != NULL && strstr (decoration_line, "line-through") != NULL))
    flags |= KQ_RUN_STRIKE;
  if (valign != NULL && g_str_equal (valign, "super"))
    flags |= KQ_RUN_SUPERSCRIPT;
  if (valign != NULL && g_str_equal (valign, "sub"))
    flags |= KQ_RUN_SUBSCRIPT;

  return flags;
}

static KqAlign
element_align (xmlNode *node)
{
  const char *align = attr (node, "align");
  g_autofree char *text_align = style_value (attr (node, "style"), "text-align");

  if (has_class (node, "aligncenter") || has_class (node, "has-text-align-center") ||
      is_element (node, "center"))
    return KQ_ALIGN_CENTER;
  if (has_class (node, "alignleft") || has_class (node, "has-text-align-left"))
    return KQ_ALIGN_LEFT;
  if (has_class (node, "alignright") || has_class (node, "has-text-align-right"))
    return KQ_ALIGN_RIGHT;

  if (align == NULL)
    align = text_align;
  if (align != NULL)
    {
      if (g_ascii_strcasecmp (align, "center") == 0 || g_ascii_strcasecmp (align, "middle") == 0)
        return KQ_ALIGN_CENTER;
      if (g_ascii_strcasecmp (align, "left") == 0)
        return KQ_ALIGN_LEFT;
      if (g_ascii_strcasecmp (align, "right") == 0)
        return KQ_ALIGN_RIGHT;
    }
  return KQ_ALIGN_NONE;
}

/* A non-negative integer attribute ("640", "640px"); 0 when absent or odd. */
static guint
uint_attr (xmlNode    *node,
           const char *name)
{
  const char *value = attr (node, name);
  guint64 n = 0;

  if (value == NULL)
    return 0;
  while (g_ascii_isspace (*value))
    value++;
  if (!g_ascii_isdigit (*value))
    return 0;
  for (; g_ascii_isdigit (*value); value++)
    {
      n = n * 10 + (*value - '0');
      if (n > 100000)
        return 0;
    }
  return (guint) n;
}

/* Whitespace-collapsed, trimmed copy; NULL when blank. */
static char *
collapse_whitespace (const char *text)
{
  GString *out;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = out->len > 0;
          continue;
        }
      if ((guchar) *p < 0x20 || *p == 0x7f)
        continue;
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* An embed's or media's title: collapsed, typeset. */
static char *
make_title (Builder    *b,
            const char *text)
{
  g_autofree char *collapsed = collapse_whitespace (text);

  if (collapsed == NULL || b->opts.no_typography)
    return g_steal_pointer (&collapsed);
  return kq_typography_apply_fr (collapsed);
}

/* Iterative text collection for flattened subtrees and <pre>: skips dropped
 * elements, turns <br> into "\n". */
static void
collect_text (xmlNode *root,
              GString *out)
{
  xmlNode *cur = root->children;

  while (cur != NULL)
    {
      gboolean descend = FALSE;

      if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE)
        {
          if (cur->content != NULL)
            g_string_append (out, (const char *) cur->content);
        }
      else if (cur->type == XML_ELEMENT_NODE)
        {
          if (is_element (cur, "br"))
            g_string_append_c (out, '\n');
          else if (!is_dropped (cur) && cur->children != NULL)
            descend = TRUE;
        }

      if (descend)
        {
          cur = cur->children;
          continue;
        }

      while (cur != NULL && cur != root && cur->next == NULL)
        cur = cur->parent;
      if (cur == NULL || cur == root)
        break;
      cur = cur->next;
    }
}

/* Blocks */

static KqBlock *
new_block (Builder     *b,
           KqBlockKind  kind)
{
  b->n_blocks++;
  if (b->n_blocks >= b->opts.max_blocks && !b->stop)
    {
      b->stop = TRUE;
      b->truncated = TRUE;
    }
  return _kq_block_new (kind);
}

static void
add_block (Container *c,
           KqBlock   *block)
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
  PendingRun *run = data;

  g_free (run->href);
  if (run->text != NULL)
    g_string_free (run->text, TRUE);
}

static GArray *
pending_runs_new (void)
{
  GArray *runs = g_array_new (FALSE, TRUE, sizeof (PendingRun));

  g_array_set_clear_func (runs, pending_run_clear);
  return runs;
}

static PendingRun *
last_run (Container *c)
{
  if (c->runs == NULL || c->runs->len == 0)
    return NULL;
  return &g_array_index (c->runs, PendingRun, c->runs->len - 1);
}

static GString *
run_for (Container    *c,
         const Inline *in)
{
  PendingRun *last = last_run (c);
  PendingRun run = { 0, };
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
trim_trailing_spaces (Container *c)
{
  while (c->runs != NULL && c->runs->len > 0)
    {
      PendingRun *last = last_run (c);

      if (last->flags & KQ_RUN_LINE_BREAK)
        return;
      while (last->text->len > 0 && last->text->str[last->text->len - 1] == ' ')
        g_string_truncate (last->text, last->text->len - 1);
      if (last->text->len > 0)
        return;
      g_array_set_size (c->runs, c->runs->len - 1);
    }
}

static void
append_break (Container *c)
{
  PendingRun run = { 0, };
  guint trailing_breaks = 0;

  trim_trailing_spaces (c);
  c->at_space = TRUE;

  if (c->runs == NULL || c->runs->len == 0)
    return;

  for (guint i = c->runs->len; i > 0; i--)
    {
      if (!(g_array_index (c->runs, PendingRun, i - 1).flags & KQ_RUN_LINE_BREAK))
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
static void
soft_break (Container *c)
{
  PendingRun *last = last_run (c);

  if (last != NULL && !(last->flags & KQ_RUN_LINE_BREAK))
    append_break (c);
}

static gboolean
is_collapsible (char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

static void
append_text (Container    *c,
             const char   *text,
             const Inline *in)
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
            PendingRun br = { KQ_RUN_LINE_BREAK, NULL, g_string_new ("\n") };

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
        else if (is_collapsible (ch) && !c->at_space)
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
take_runs (Builder   *b,
           Container *c)
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
      PendingRun *run = &g_array_index (pending, PendingRun, first);

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
      PendingRun *run = &g_array_index (pending, PendingRun, i);

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
      PendingRun *run = &g_array_index (pending, PendingRun, i);
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

static void
container_init (Container *c,
                GPtrArray *blocks)
{
  memset (c, 0, sizeof *c);
  c->blocks = blocks;
  c->inline_only = blocks == NULL;
  c->at_space = TRUE;
}

static void
container_clear (Container *c)
{
  g_clear_pointer (&c->runs, g_array_unref);
}

static KqBlock *
embed_from_url (Builder    *b,
                const char *url,
                gboolean    known_only)
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

  block = new_block (b, KQ_BLOCK_EMBED);
  block->provider = provider;
  block->url = g_steal_pointer (&target);
  block->video_id = g_steal_pointer (&video_id);
  block->thumbnail_url = g_steal_pointer (&thumbnail);

  return block;
}

/* A paragraph that is only a URL (WordPress auto-embeds those). */
static const char *
runs_single_url (GPtrArray *runs)
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
static void
flush (Builder   *b,
       Container *c)
{
  g_autoptr(GPtrArray) runs = NULL;
  const char *url;
  KqBlock *block = NULL;

  if (c->inline_only || c->runs == NULL)
    return;

  runs = take_runs (b, c);
  if (runs == NULL)
    return;

  url = runs_single_url (runs);
  if (url != NULL)
    block = embed_from_url (b, url, TRUE);

  if (block == NULL)
    {
      block = new_block (b, KQ_BLOCK_PARAGRAPH);
      block->runs = g_steal_pointer (&runs);
      block->align = c->align;
    }
  add_block (c, block);
}

/* Walks @node's children into a new inline-only container; returns its runs
 * (or NULL when blank). */
static GPtrArray *
collect_runs (Builder      *b,
              xmlNode      *node,
              const Inline *in,
              guint         depth)
{
  Container sub;
  GPtrArray *runs;

  container_init (&sub, NULL);
  walk_children (b, &sub, node, in, depth);
  runs = take_runs (b, &sub);
  container_clear (&sub);

  return runs;
}

static void
append_runs (Builder    *b,
             GPtrArray **dest,
             GPtrArray  *src)
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

/* Element handlers */

static void
handle_heading (Builder      *b,
                Container    *c,
                xmlNode      *node,
                const Inline *in,
                guint         depth)
{
  GPtrArray *runs;
  KqBlock *block;

  flush (b, c);
  runs = collect_runs (b, node, in, depth);
  if (runs == NULL)
    return;

  block = new_block (b, KQ_BLOCK_HEADING);
  block->level = CLAMP (node->name[1] - '0', 1, 6);
  block->runs = runs;
  block->align = element_align (node);
  add_block (c, block);
}

static gboolean
is_citation_element (xmlNode *node)
{
  return is_element (node, "cite") || is_element (node, "footer") ||
         is_element (node, "figcaption");
}

/* Fills a QUOTE/PULLQUOTE from @node's children: <cite>, <footer> and
 * <figcaption> children are the citation; with @flatten, nested
 * blockquotes add to the same quote (pullquote markup). */
static void
fill_quote (Builder      *b,
            KqBlock      *quote,
            xmlNode      *node,
            const Inline *in,
            guint         depth,
            gboolean      flatten)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  Container sub;

  container_init (&sub, blocks);

  b->nesting++;
  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    {
      if (child->type == XML_ELEMENT_NODE && is_citation_element (child) && !is_hidden (child))
        {
          g_autoptr(GPtrArray) runs = NULL;

          flush (b, &sub);
          runs = collect_runs (b, child, in, depth + 1);
          append_runs (b, &quote->citation, runs);
        }
      else if (flatten && is_element (child, "blockquote") && depth + 1 < b->opts.max_depth)
        {
          flush (b, &sub);
          for (guint i = 0; i < blocks->len; i++)
            _kq_block_add_child (quote, kq_block_ref (g_ptr_array_index (blocks, i)));
          g_ptr_array_set_size (blocks, 0);
          fill_quote (b, quote, child, in, depth + 1, TRUE);
        }
      else
        walk_node (b, &sub, child, in, depth + 1);
    }
  b->nesting--;
  flush (b, &sub);
  container_clear (&sub);

  for (guint i = 0; i < blocks->len; i++)
    _kq_block_add_child (quote, kq_block_ref (g_ptr_array_index (blocks, i)));
}

static char *
first_link (xmlNode    *node,
            const char *must_contain)
{
  /* Iterative search for an <a href> containing @must_contain. */
  xmlNode *cur = node->children;
  char *found = NULL;

  while (cur != NULL)
    {
      if (cur->type == XML_ELEMENT_NODE)
        {
          const char *href = is_element (cur, "a") ? attr (cur, "href") : NULL;

          if (href != NULL && (must_contain == NULL || strstr (href, must_contain) != NULL))
            {
              g_free (found);
              found = g_strdup (href);
            }
          if (cur->children != NULL)
            {
              cur = cur->children;
              continue;
            }
        }
      while (cur != NULL && cur != node && cur->next == NULL)
        cur = cur->parent;
      if (cur == NULL || cur == node)
        break;
      cur = cur->next;
    }

  return found;
}

static gboolean
handle_social_embed (Builder   *b,
                     Container *c,
                     xmlNode   *node)
{
  g_autofree char *url = NULL;
  g_autofree char *resolved = NULL;
  KqBlock *block;

  if (has_class (node, "twitter-tweet") || has_class (node, "twitter-video"))
    url = first_link (node, "/status/");
  else if (has_class (node, "instagram-media"))
    url = g_strdup (attr (node, "data-instgrm-permalink"));
  else if (has_class (node, "tiktok-embed"))
    url = g_strdup (attr (node, "cite"));
  else
    return FALSE;

  if (url == NULL)
    url = first_link (node, NULL);
  resolved = _kq_url_sanitize_with_clean_base (url, b->base_url);
  if (resolved == NULL)
    return FALSE;

  flush (b, c);
  block = embed_from_url (b, resolved, FALSE);
  if (block == NULL)
    return FALSE;

  /* The post's text, as the card's title. */
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (is_element (child, "p"))
        {
          g_autoptr(GString) text = g_string_new (NULL);

          collect_text (child, text);
          block->title = make_title (b, text->str);
          break;
        }
    }

  add_block (c, block);
  return TRUE;
}

static void
handle_blockquote (Builder      *b,
                   Container    *c,
                   xmlNode      *node,
                   const Inline *in,
                   guint         depth)
{
  KqBlock *quote;
  gboolean pull;

  if (c->inline_only || b->nesting >= MAX_BLOCK_NESTING)
    {
      walk_block (b, c, node, in, depth, FALSE);
      return;
    }

  if (handle_social_embed (b, c, node))
    return;

  flush (b, c);
  pull = has_class (node, "wp-block-pullquote");
  quote = new_block (b, pull ? KQ_BLOCK_PULLQUOTE : KQ_BLOCK_QUOTE);
  fill_quote (b, quote, node, in, depth, pull);

  if (quote->children == NULL && quote->citation == NULL)
    kq_block_unref (quote);
  else
    add_block (c, quote);
}

static void
handle_list (Builder      *b,
             Container    *c,
             xmlNode      *node,
             const Inline *in,
             guint         depth,
             gboolean      ordered)
{
  KqBlock *list;
  KqBlock *item = NULL;
  Container sub;
  g_autoptr(GPtrArray) item_blocks = NULL;

  if (c->inline_only || b->nesting >= MAX_BLOCK_NESTING)
    {
      walk_block (b, c, node, in, depth, FALSE);
      return;
    }

  flush (b, c);
  list = new_block (b, KQ_BLOCK_LIST);
  list->ordered = ordered;
  if (ordered && attr (node, "start") != NULL)
    {
      const char *text = attr (node, "start");
      char *end = NULL;
      gint64 start = g_ascii_strtoll (text, &end, 10);

      if (end != text && *end == '\0')
        list->start = (int) CLAMP (start, -100000, 100000);
    }

  item_blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  container_init (&sub, item_blocks);

#define END_ITEM()                                                              \
  G_STMT_START {                                                                \
    if (item != NULL)                                                           \
      {                                                                         \
        flush (b, &sub);                                                        \
        for (guint _i = 0; _i < item_blocks->len; _i++)                        \
          _kq_block_add_child (item, kq_block_ref (g_ptr_array_index (item_blocks, _i))); \
        g_ptr_array_set_size (item_blocks, 0);                                  \
        if (item->children != NULL)                                             \
          _kq_block_add_child (list, item);                                     \
        else                                                                    \
          kq_block_unref (item);                                                \
        item = NULL;                                                            \
      }                                                                         \
  } G_STMT_END

  b->nesting++;
  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    {
      if (is_element (child, "li"))
        {
          END_ITEM ();
          if (is_hidden (child))
            continue;
          item = new_block (b, KQ_BLOCK_LIST_ITEM);
          walk_children (b, &sub, child, in, depth + 1);
          END_ITEM ();
        }
      else
        {
          /* Loose content: into the current loose item, or a new one. */
          if (child->type == XML_TEXT_NODE)
            {
              gboolean blank = TRUE;

              for (const char *p = (const char *) child->content; p && *p && blank; p++)
                blank = is_collapsible (*p);
              if (blank)
                continue;
            }
          else if (child->type != XML_ELEMENT_NODE)
            continue;

          if (item == NULL)
            item = new_block (b, KQ_BLOCK_LIST_ITEM);
          walk_node (b, &sub, child, in, depth + 1);
        }
    }
  b->nesting--;
  END_ITEM ();
#undef END_ITEM

  container_clear (&sub);

  if (list->children == NULL)
    kq_block_unref (list);
  else
    add_block (c, list);
}

static void
handle_pre (Builder      *b,
            Container    *c,
            xmlNode      *node,
            const Inline *in,
            guint         depth)
{
  g_autoptr(GString) text = NULL;
  KqBlock *block;
  Inline code_in = { in->flags | KQ_RUN_CODE, in->href };

  if (has_class (node, "wp-block-verse"))
    {
      gboolean was_pre = c->pre;

      flush (b, c);
      c->pre = TRUE;
      walk_children (b, c, node, in, depth);
      flush (b, c);
      c->pre = was_pre;
      return;
    }

  text = g_string_new (NULL);
  collect_text (node, text);

  /* A single leading newline is not content; trailing whitespace neither. */
  if (text->len > 0 && text->str[0] == '\n')
    g_string_erase (text, 0, 1);
  while (text->len > 0 && g_ascii_isspace (text->str[text->len - 1]))
    g_string_truncate (text, text->len - 1);
  if (text->len == 0)
    return;

  if (c->inline_only)
    {
      gboolean was_pre = c->pre;

      soft_break (c);
      c->pre = TRUE;
      append_text (c, text->str, &code_in);
      c->pre = was_pre;
      soft_break (c);
      return;
    }

  flush (b, c);
  block = new_block (b, KQ_BLOCK_CODE);
  block->text = g_string_free (g_steal_pointer (&text), FALSE);
  add_block (c, block);
}

static void
handle_hr (Builder   *b,
           Container *c)
{
  if (c->inline_only)
    {
      soft_break (c);
      return;
    }

  flush (b, c);
  if (c->blocks->len > 0 &&
      kq_block_get_kind (g_ptr_array_index (c->blocks, c->blocks->len - 1)) == KQ_BLOCK_SEPARATOR)
    return;
  add_block (c, new_block (b, KQ_BLOCK_SEPARATOR));
}

static void
add_table_row (Builder      *b,
               KqBlock      *table,
               xmlNode      *tr,
               const Inline *in,
               guint         depth,
               gboolean      in_head)
{
  KqBlock *row;
  gboolean all_th = TRUE;

  if (is_hidden (tr))
    return;

  row = new_block (b, KQ_BLOCK_TABLE_ROW);
  for (xmlNode *cell = tr->children; cell != NULL && !b->stop; cell = cell->next)
    {
      gboolean th = is_element (cell, "th");
      KqBlock *block;

      if (!th && !is_element (cell, "td"))
        continue;
      if (!th)
        all_th = FALSE;

      block = new_block (b, KQ_BLOCK_TABLE_CELL);
      block->header = th || in_head;
      block->runs = collect_runs (b, cell, in, depth + 1);
      _kq_block_add_child (row, block);
    }

  row->header = in_head || (all_th && row->children != NULL);
  if (row->children == NULL)
    kq_block_unref (row);
  else
    _kq_block_add_child (table, row);
}

static void
handle_table (Builder      *b,
              Container    *c,
              xmlNode      *node,
              const Inline *in,
              guint         depth)
{
  KqBlock *table;

  if (c->inline_only)
    {
      soft_break (c);
      walk_children (b, c, node, in, depth);
      soft_break (c);
      return;
    }

  flush (b, c);
  table = new_block (b, KQ_BLOCK_TABLE);

  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    {
      if (is_element (child, "caption"))
        {
          g_autoptr(GPtrArray) runs = collect_runs (b, child, in, depth + 1);

          append_runs (b, &table->caption, runs);
        }
      else if (is_element (child, "tr"))
        add_table_row (b, table, child, in, depth + 1, FALSE);
      else if ((is_element (child, "thead") || is_element (child, "tbody") ||
                is_element (child, "tfoot")) && !is_hidden (child) && depth + 2 < b->opts.max_depth)
        {
          gboolean head = is_element (child, "thead");

          for (xmlNode *tr = child->children; tr != NULL && !b->stop; tr = tr->next)
            if (is_element (tr, "tr"))
              add_table_row (b, table, tr, in, depth + 2, head);
        }
    }

  if (table->children == NULL)
    kq_block_unref (table);
  else
    add_block (c, table);
}

static gboolean
is_tracking_pixel (xmlNode *node,
                   guint    width,
                   guint    height)
{
  const char *w = attr (node, "width");
  const char *h = attr (node, "height");

  /* width="0" parses as 0 = unknown; check the attribute text too. */
  if ((w != NULL && g_ascii_strtoll (w, NULL, 10) <= 2 && g_ascii_isdigit (*w)) ||
      (h != NULL && g_ascii_strtoll (h, NULL, 10) <= 2 && g_ascii_isdigit (*h)))
    return TRUE;

  return (width > 0 && width <= 2) || (height > 0 && height <= 2);
}

static const char *
lazy_attr (xmlNode     *node,
           const char  *plain,
           const char **lazy_names)
{
  const char *value = attr (node, plain);

  if (value != NULL && *value != '\0' && !g_str_has_prefix (value, "data:"))
    return value;
  for (guint i = 0; lazy_names[i] != NULL; i++)
    {
      const char *lazy = attr (node, lazy_names[i]);

      if (lazy != NULL && *lazy != '\0')
        return lazy;
    }
  return value;
}

static void
handle_img (Builder      *b,
            Container    *c,
            xmlNode      *node,
            const Inline *in)
{
  static const char *lazy_src[] = { "data-src", "data-lazy-src", "data-original", NULL };
  static const char *lazy_srcset[] = { "data-srcset", "data-lazy-srcset", NULL };
  const char *src = lazy_attr (node, "src", lazy_src);
  const char *srcset = lazy_attr (node, "srcset", lazy_srcset);
  const char *alt = attr (node, "alt");
  guint width = uint_attr (node, "width");
  guint height = uint_attr (node, "height");
  g_autofree char *url = NULL;
  g_autofree char *picked = NULL;
  KqBlock *block;

  if (is_tracking_pixel (node, width, height))
    return;

  /* WordPress emoji images: keep the character. */
  if (has_class (node, "wp-smiley") || has_class (node, "emoji"))
    {
      append_text (c, alt, in);
      return;
    }

  if (c->inline_only)
    return;

  picked = _kq_html_pick_srcset (srcset, width, b->opts.target_image_width);
  if (picked != NULL)
    url = _kq_url_sanitize_with_clean_base (picked, b->base_url);
  if (url == NULL)
    url = _kq_url_sanitize_with_clean_base (src, b->base_url);
  if (url == NULL)
    return;

  flush (b, c);
  block = new_block (b, KQ_BLOCK_IMAGE);
  block->url = g_steal_pointer (&url);
  block->width = width;
  block->height = height;
  block->align = element_align (node);
  if (in->href != NULL)
    block->link = g_strdup (in->href);
  block->alt = collapse_whitespace (alt);
  add_block (c, block);
}

static void
handle_iframe (Builder   *b,
               Container *c,
               xmlNode   *node)
{
  static const char *lazy_src[] = { "data-src", "data-lazy-src", NULL };
  const char *src = lazy_attr (node, "src", lazy_src);
  const char *title = attr (node, "title");
  g_autofree char *url = _kq_url_sanitize_with_clean_base (src, b->base_url);
  KqBlock *block;

  if (url == NULL || c->inline_only)
    return;

  flush (b, c);
  block = embed_from_url (b, url, FALSE);
  if (block == NULL)
    return;
  block->title = make_title (b, title);
  block->width = uint_attr (node, "width");
  block->height = uint_attr (node, "height");
  add_block (c, block);
}

static void
handle_media (Builder   *b,
              Container *c,
              xmlNode   *node,
              gboolean   audio)
{
  g_autofree char *url = _kq_url_sanitize_with_clean_base (attr (node, "src"), b->base_url);
  const char *title = attr (node, "title");
  KqBlock *block;

  /* libxml2 does not know <source> is void: later ones nest in earlier ones. */
  for (xmlNode *child = node->children; child != NULL && url == NULL;)
    {
      xmlNode *next = NULL;

      if (is_element (child, "source"))
        {
          url = _kq_url_sanitize_with_clean_base (attr (child, "src"), b->base_url);
          next = child->children;
        }
      child = next != NULL ? next : child->next;
    }

  if (url == NULL || c->inline_only)
    return;

  flush (b, c);
  block = new_block (b, KQ_BLOCK_MEDIA);
  block->media_kind = audio ? KQ_MEDIA_AUDIO : KQ_MEDIA_VIDEO;
  block->url = g_steal_pointer (&url);
  if (!audio)
    block->thumbnail_url = _kq_url_sanitize_with_clean_base (attr (node, "poster"), b->base_url);
  if (title == NULL)
    title = attr (node, "aria-label");
  block->title = make_title (b, title);
  block->width = uint_attr (node, "width");
  block->height = uint_attr (node, "height");
  add_block (c, block);
}

static gboolean
is_caption_element (xmlNode *node)
{
  return is_element (node, "figcaption") ||
         has_class (node, "wp-caption-text") ||
         has_class (node, "gallery-caption") ||
         has_class (node, "blocks-gallery-caption");
}

static gboolean
is_figure_like (xmlNode *node)
{
  return is_element (node, "figure") ||
         has_class (node, "wp-caption") ||
         has_class (node, "gallery") ||
         has_class (node, "tiled-gallery") ||
         has_class (node, "gallery-item");
}

static gboolean
is_gallery (xmlNode *node)
{
  return has_class (node, "wp-block-gallery") || has_class (node, "gallery") ||
         has_class (node, "tiled-gallery") || has_class (node, "blocks-gallery-grid");
}

static void
collect_images (KqBlock   *block,
                GPtrArray *images)
{
  GPtrArray *children = kq_block_get_children (block);

  if (block->kind == KQ_BLOCK_IMAGE)
    {
      g_ptr_array_add (images, kq_block_ref (block));
      return;
    }
  for (guint i = 0; i < children->len; i++)
    collect_images (g_ptr_array_index (children, i), images);
}

static void
handle_figure (Builder      *b,
               Container    *c,
               xmlNode      *node,
               const Inline *in,
               guint         depth)
{
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GPtrArray) caption = NULL;
  g_autoptr(GPtrArray) images = NULL;
  KqAlign align = element_align (node);
  Container sub;
  guint n_media = 0;
  KqBlock *only = NULL;

  if (c->inline_only)
    {
      soft_break (c);
      walk_children (b, c, node, in, depth);
      soft_break (c);
      return;
    }

  if (has_class (node, "wp-block-pullquote"))
    {
      KqBlock *quote;

      flush (b, c);
      quote = new_block (b, KQ_BLOCK_PULLQUOTE);
      fill_quote (b, quote, node, in, depth, TRUE);
      if (quote->children == NULL && quote->citation == NULL)
        kq_block_unref (quote);
      else
        add_block (c, quote);
      return;
    }

  flush (b, c);
  blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  container_init (&sub, blocks);

  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    {
      if (child->type == XML_ELEMENT_NODE && is_caption_element (child) && !is_hidden (child))
        {
          g_autoptr(GPtrArray) runs = NULL;

          flush (b, &sub);
          runs = collect_runs (b, child, in, depth + 1);
          append_runs (b, &caption, runs);
        }
      else
        walk_node (b, &sub, child, in, depth + 1);
    }
  flush (b, &sub);
  container_clear (&sub);

  images = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  for (guint i = 0; i < blocks->len; i++)
    {
      KqBlock *block = g_ptr_array_index (blocks, i);

      collect_images (block, images);
      if (block->kind == KQ_BLOCK_IMAGE || block->kind == KQ_BLOCK_EMBED ||
          block->kind == KQ_BLOCK_MEDIA || block->kind == KQ_BLOCK_TABLE ||
          block->kind == KQ_BLOCK_CODE)
        {
          n_media++;
          only = block;
        }
    }

  /* An embed block whose iframe was not rendered: its wrapper holds the URL. */
  if (has_class (node, "wp-block-embed") && n_media == 0 && blocks->len == 1 &&
      kq_block_get_kind (g_ptr_array_index (blocks, 0)) == KQ_BLOCK_PARAGRAPH)
    {
      const char *url = runs_single_url (kq_block_get_runs (g_ptr_array_index (blocks, 0)));
      KqBlock *embed = url != NULL ? embed_from_url (b, url, FALSE) : NULL;

      if (embed != NULL)
        {
          g_ptr_array_set_size (blocks, 0);
          g_ptr_array_add (blocks, embed);
          n_media = 1;
          only = embed;
        }
    }

  /* A gallery of one image is that image, with the gallery's caption when it
   * has none of its own. */
  if (images->len == 1 && is_gallery (node))
    {
      if (caption != NULL && kq_block_get_caption (images->pdata[0])->len == 0)
        ((KqBlock *) images->pdata[0])->caption = g_steal_pointer (&caption);
      n_media = 1;
      only = images->pdata[0];
    }
  else if ((is_gallery (node) && images->len > 0) || images->len >= 2)
    {
      KqBlock *gallery;

      gallery = new_block (b, KQ_BLOCK_GALLERY);
      for (guint i = 0; i < images->len; i++)
        _kq_block_add_child (gallery, kq_block_ref (images->pdata[i]));
      gallery->caption = g_steal_pointer (&caption);
      add_block (c, gallery);

      /* Whatever else was there (text), after the gallery. */
      for (guint i = 0; i < blocks->len; i++)
        {
          KqBlock *block = g_ptr_array_index (blocks, i);
          g_autoptr(GPtrArray) inner = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);

          collect_images (block, inner);
          if (inner->len == 0)
            add_block (c, kq_block_ref (block));
        }
      return;
    }

  if (n_media == 1 && blocks->len == 1 && only != NULL)
    {
      if (only->align == KQ_ALIGN_NONE)
        only->align = align;
      if (caption != NULL && only->caption == NULL)
        only->caption = g_steal_pointer (&caption);
    }

  for (guint i = 0; i < blocks->len; i++)
    add_block (c, kq_block_ref (g_ptr_array_index (blocks, i)));

  if (caption != NULL)
    {
      KqBlock *para = new_block (b, KQ_BLOCK_PARAGRAPH);

      para->runs = g_steal_pointer (&caption);
      add_block (c, para);
    }
}

static void
flatten (Builder      *b,
         Container    *c,
         xmlNode      *node,
         const Inline *in)
{
  g_autoptr(GString) text = g_string_new (NULL);

  b->truncated = TRUE;
  collect_text (node, text);
  append_text (c, text->str, in);
}

static void
walk_children (Builder      *b,
               Container    *c,
               xmlNode      *node,
               const Inline *in,
               guint         depth)
{
  for (xmlNode *child = node->children; child != NULL && !b->stop; child = child->next)
    walk_node (b, c, child, in, depth);
}

static void
walk_block (Builder      *b,
            Container    *c,
            xmlNode      *node,
            const Inline *in,
            guint         depth,
            gboolean      paragraph)
{
  KqAlign saved = c->align;
  KqAlign align = element_align (node);
  Inline styled = { in->flags | style_flags (node), in->href };

  if (c->inline_only)
    {
      soft_break (c);
      walk_children (b, c, node, &styled, depth);
      soft_break (c);
      return;
    }

  /* text-align inherits, as in CSS. */
  flush (b, c);
  if (align != KQ_ALIGN_NONE)
    c->align = align;
  walk_children (b, c, node, &styled, depth);
  flush (b, c);
  c->align = saved;
}

static void
walk_node (Builder      *b,
           Container    *c,
           xmlNode      *node,
           const Inline *in,
           guint         depth)
{
  const ElemInfo *info;

  if (b->stop)
    return;

  switch (node->type)
    {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
      append_text (c, (const char *) node->content, in);
      return;

    case XML_ELEMENT_NODE:
      break;

    default:
      return;
    }

  info = element_info (node);
  if (info->type == E_DROP || is_hidden (node))
    return;

  if (depth >= b->opts.max_depth)
    {
      flatten (b, c, node, in);
      return;
    }
  depth++;

  switch (info->type)
    {
    case E_DROP:
      break;

    case E_INLINE:
    case E_FLAG:
      {
        Inline styled = { in->flags | info->flag | style_flags (node), in->href };

        walk_children (b, c, node, &styled, depth);
      }
      break;

    case E_A:
      {
        g_autofree char *href = _kq_url_sanitize_with_clean_base (attr (node, "href"), b->base_url);
        Inline linked = { in->flags | style_flags (node), in->href };

        if (href != NULL)
          {
            linked.flags |= KQ_RUN_LINK;
            linked.href = href;
          }
        walk_children (b, c, node, &linked, depth);
      }
      break;

    case E_BR:
      append_break (c);
      break;

    case E_Q:
      /* French quotation marks, spaced by the typography pass. */
      append_text (c, "«", in);
      walk_children (b, c, node, in, depth);
      append_text (c, "»", in);
      break;

    case E_IMG:
      handle_img (b, c, node, in);
      break;

    case E_P:
      walk_block (b, c, node, in, depth, TRUE);
      break;

    case E_BLOCK:
      if (is_figure_like (node))
        handle_figure (b, c, node, in, depth);
      else if (has_class (node, "wp-block-pullquote") || has_class (node, "twitter-tweet"))
        handle_blockquote (b, c, node, in, depth);
      else
        walk_block (b, c, node, in, depth, FALSE);
      break;

    case E_HEADING:
      if (c->inline_only)
        walk_block (b, c, node, in, depth, FALSE);
      else
        handle_heading (b, c, node, in, depth);
      break;

    case E_BLOCKQUOTE:
      handle_blockquote (b, c, node, in, depth);
      break;

    case E_UL:
    case E_OL:
      if (has_class (node, "blocks-gallery-grid"))
        walk_block (b, c, node, in, depth, FALSE);
      else
        handle_list (b, c, node, in, depth, info->type == E_OL);
      break;

    case E_PRE:
      handle_pre (b, c, node, in, depth);
      break;

    case E_HR:
      handle_hr (b, c);
      break;

    case E_TABLE:
      handle_table (b, c, node, in, depth);
      break;

    case E_FIGURE:
      handle_figure (b, c, node, in, depth);
      break;

    case E_IFRAME:
      handle_iframe (b, c, node);
      break;

    case E_VIDEO:
    case E_AUDIO:
      handle_media (b, c, node, info->type == E_AUDIO);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Input preparation */

static char *
sniff_charset (const char *html,
               gsize       len)
{
  gsize n = MIN (len, 2048);
  g_autofree char *head = g_ascii_strdown (html, n);
  const char *p = head;

  while ((p = strstr (p, "charset")) != NULL)
    {
      const char *start;
      const char *tag = p;

      p += strlen ("charset");
      while (*p == ' ')
        p++;
      if (*p != '=')
        continue;
      p++;
      while (*p == ' ' || *p == '"' || *p == '\'')
        p++;
      start = p;
      while (*p && (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == ':' || *p == '.'))
        p++;

      /* Only inside a <meta …> tag. */
      while (tag > head && *tag != '<' && *tag != '>')
        tag--;
      if (*tag != '<' || strncmp (tag, "<meta", 5) != 0)
        continue;
      if (p > start)
        return g_strndup (start, p - start);
    }
  return NULL;
}

/* Valid UTF-8 without NUL bytes from at most @max bytes of input: returns a
 * new buffer, or NULL when @html's first *len bytes can be used as they are.
 * *len is updated either way. */
static char *
prepare_input (const char *html,
               gsize      *len_inout,
               gsize       max,
               gboolean   *truncated)
{
  gsize len = *len_inout;
  g_autofree char *charset = NULL;
  g_autofree char *converted = NULL;
  g_autoptr(GString) clean = NULL;
  const char *src = html;
  gsize src_len;

  if (len > max)
    {
      *truncated = TRUE;
      len = max;
      /* Cut before a character that straddles the limit. */
      while (len > 0 && ((guchar) html[len] & 0xC0) == 0x80)
        len--;
    }
  src_len = len;

  charset = sniff_charset (html, len);
  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "utf8") != 0)
    {
      const char *from = charset;
      gsize written = 0;

      /* As browsers do: Latin-1 labels mean Windows-1252. */
      if (g_ascii_strcasecmp (charset, "iso-8859-1") == 0 ||
          g_ascii_strcasecmp (charset, "latin1") == 0 ||
          g_ascii_strcasecmp (charset, "us-ascii") == 0)
        from = "WINDOWS-1252";

      converted = g_convert_with_fallback (html, len, "UTF-8", from, "?", NULL, &written, NULL);
      if (converted != NULL)
        {
          src = converted;
          src_len = written;
        }
    }

  if (g_utf8_validate_len (src, src_len, NULL))
    {
      *len_inout = src_len;
      return src == converted ? g_steal_pointer (&converted) : NULL;
    }

  clean = g_string_sized_new (src_len + 1);
  for (gsize i = 0; i < src_len;)
    {
      const char *end;
      gsize chunk;

      if (src[i] == '\0')
        {
          i++;
          continue;
        }
      if (g_utf8_validate_len (src + i, src_len - i, &end))
        {
          g_string_append_len (clean, src + i, src_len - i);
          break;
        }
      chunk = end - (src + i);
      g_string_append_len (clean, src + i, chunk);
      i += chunk;
      if (i < src_len && src[i] != '\0')
        {
          g_string_append (clean, "\xef\xbf\xbd");
          i++;
          /* Skip continuation bytes of the broken sequence. */
          while (i < src_len && ((guchar) src[i] & 0xC0) == 0x80)
            i++;
        }
    }

  *len_inout = clean->len;
  return g_string_free (g_steal_pointer (&clean), FALSE);
}

static void
resolve_options (KqHtmlOptions       *out,
                 const KqHtmlOptions *opts)
{
  memset (out, 0, sizeof *out);
  if (opts != NULL)
    *out = *opts;
  if (out->target_image_width == 0)
    out->target_image_width = KQ_HTML_DEFAULT_IMAGE_WIDTH;
  if (out->max_input_bytes == 0)
    out->max_input_bytes = KQ_HTML_DEFAULT_MAX_INPUT;
  if (out->max_depth == 0)
    out->max_depth = KQ_HTML_DEFAULT_MAX_DEPTH;
  if (out->max_blocks == 0)
    out->max_blocks = KQ_HTML_DEFAULT_MAX_BLOCKS;
  /* libxml2 takes an int length. */
  out->max_input_bytes = MIN (out->max_input_bytes, (gsize) G_MAXINT / 4);
}

static void
on_quiet_structured_error (void        *user_data,
                           xmlErrorPtr  xml_error)
{
  g_autofree char *message = NULL;

  /* The parsers' own errors: their context's handler already saw them,
   * or the parse options asked for silence. */
  if (xml_error == NULL || xml_error->domain == XML_FROM_PARSER ||
      xml_error->domain == XML_FROM_HTML || xml_error->domain == XML_FROM_NAMESPACE)
    return;
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;
  message = g_strdup (xml_error->message ? xml_error->message : "");
  g_debug ("libxml2 (domain %d, code %d): %s", xml_error->domain, xml_error->code,
           g_strchomp (message));
}

static void G_GNUC_PRINTF (2, 3)
on_quiet_generic_error (void       *user_data,
                        const char *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("libxml2: %s", g_strchomp (message));
}

void
_kq_xml_quiet_begin (KqXmlQuiet *saved)
{
  saved->structured = xmlStructuredError;
  saved->structured_data = xmlStructuredErrorContext;
  saved->generic = xmlGenericError;
  saved->generic_data = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc (NULL, on_quiet_structured_error);
  xmlSetGenericErrorFunc (NULL, on_quiet_generic_error);
}

void
_kq_xml_quiet_end (KqXmlQuiet *saved)
{
  xmlSetStructuredErrorFunc (saved->structured_data, saved->structured);
  xmlSetGenericErrorFunc (saved->generic_data, saved->generic);
}

/**
 * kq_html_parse:
 * @html: (array length=len): the HTML body
 * @len: length in bytes, or -1 if NUL-terminated
 * @base_url: (nullable): the article's URL, to resolve relative links
 * @opts: (nullable): options
 *
 * Returns: (transfer full): the block document, never NULL
 */
KqHtmlDocument *
kq_html_parse (const char          *html,
               gssize               len,
               const char          *base_url,
               const KqHtmlOptions *opts)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) kq_block_unref);
  g_autofree char *input = NULL;
  g_autofree char *base = NULL;
  Builder b = { 0, };
  Container top;
  Inline in = { 0, NULL };
  KqXmlQuiet quiet;
  htmlDocPtr doc;
  xmlNode *root;

  resolve_options (&b.opts, opts);

  if (html == NULL)
    return _kq_html_document_new (g_steal_pointer (&blocks), 0, FALSE);
  if (len < 0)
    len = strlen (html);

  base = kq_html_sanitize_url (base_url, NULL);
  b.base_url = base;

  {
    gsize input_len = len;

    input = prepare_input (html, &input_len, b.opts.max_input_bytes, &b.truncated);
    if (input_len == 0)
      return _kq_html_document_new (g_steal_pointer (&blocks), 0, b.truncated);

    _kq_xml_quiet_begin (&quiet);
    doc = htmlReadMemory (input != NULL ? input : html, (int) input_len, NULL, "UTF-8",
                          HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                          HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT |
                          /* Lifts libxml2's depth limit of 256, beyond which it
                           * stops parsing and loses the rest of the article;
                           * our own walker flattens deep content instead. The
                           * other limits HUGE lifts are covered by our input cap. */
                          XML_PARSE_HUGE);
    _kq_xml_quiet_end (&quiet);
  }
  if (doc == NULL)
    return _kq_html_document_new (g_steal_pointer (&blocks), 0, b.truncated);

  root = xmlDocGetRootElement (doc);
  container_init (&top, blocks);
  if (root != NULL)
    walk_node (&b, &top, root, &in, 0);
  flush (&b, &top);
  container_clear (&top);

  xmlFreeDoc (doc);

  return _kq_html_document_new (g_steal_pointer (&blocks), b.n_blocks, b.truncated);
}

typedef struct {
  char          *html;
  gsize          len;
  char          *base_url;
  KqHtmlOptions  opts;
  gboolean       has_opts;
} ParseData;

static void
parse_data_free (ParseData *data)
{
  g_free (data->html);
  g_free (data->base_url);
  g_free (data);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *data = task_data;
  KqHtmlDocument *doc;

  if (g_task_return_error_if_cancelled (task))
    return;

  doc = kq_html_parse (data->html, data->len, data->base_url,
                       data->has_opts ? &data->opts : NULL);

  if (g_task_return_error_if_cancelled (task))
    {
      kq_html_document_unref (doc);
      return;
    }

  g_task_return_pointer (task, doc, (GDestroyNotify) kq_html_document_unref);
}

void
kq_html_parse_async (const char          *html,
                     gssize               len,
                     const char          *base_url,
                     const KqHtmlOptions *opts,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ParseData *data;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ParseData, 1);
  if (html != NULL)
    {
      data->len = len < 0 ? strlen (html) : (gsize) len;
      data->html = g_malloc (data->len + 1);
      memcpy (data->html, html, data->len);
      data->html[data->len] = '\0';
    }
  data->base_url = g_strdup (base_url);
  if (opts != NULL)
    {
      data->opts = *opts;
      data->has_opts = TRUE;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kq_html_parse_async);
  g_task_set_name (task, "kq_html_parse_async");
  g_task_set_task_data (task, data, (GDestroyNotify) parse_data_free);
  g_task_run_in_thread (task, parse_thread);
}

/**
 * kq_html_parse_finish:
 *
 * Returns: (transfer full): the document, or NULL with @error set when the
 * operation was cancelled
 */
KqHtmlDocument *
kq_html_parse_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kq_html_parse_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
