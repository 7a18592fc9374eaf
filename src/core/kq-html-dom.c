/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kq-html"

#include "config.h"

#include <string.h>

#include "kq-html-private.h"
#include "kq-typography.h"

/* Reading libxml2 nodes: the element table, attributes, classes, inline
 * styles, hidden elements, alignment, plain text of a subtree. */

static const KqHtmlElemInfo elements[] = {
  { "a", KQ_HTML_E_A, 0 }, { "abbr", KQ_HTML_E_INLINE, 0 }, { "acronym", KQ_HTML_E_INLINE, 0 },
  { "address", KQ_HTML_E_BLOCK, 0 }, { "applet", KQ_HTML_E_DROP, 0 }, { "area", KQ_HTML_E_DROP, 0 },
  { "article", KQ_HTML_E_BLOCK, 0 }, { "aside", KQ_HTML_E_BLOCK, 0 }, { "audio", KQ_HTML_E_AUDIO, 0 },
  { "b", KQ_HTML_E_FLAG, KQ_RUN_BOLD }, { "base", KQ_HTML_E_DROP, 0 }, { "basefont", KQ_HTML_E_DROP, 0 },
  { "big", KQ_HTML_E_INLINE, 0 }, { "blockquote", KQ_HTML_E_BLOCKQUOTE, 0 }, { "body", KQ_HTML_E_BLOCK, 0 },
  { "br", KQ_HTML_E_BR, 0 }, { "button", KQ_HTML_E_DROP, 0 }, { "canvas", KQ_HTML_E_DROP, 0 },
  { "caption", KQ_HTML_E_BLOCK, 0 }, { "center", KQ_HTML_E_BLOCK, 0 }, { "cite", KQ_HTML_E_FLAG, KQ_RUN_ITALIC },
  { "code", KQ_HTML_E_FLAG, KQ_RUN_CODE }, { "col", KQ_HTML_E_DROP, 0 }, { "colgroup", KQ_HTML_E_DROP, 0 },
  { "datalist", KQ_HTML_E_DROP, 0 }, { "dd", KQ_HTML_E_BLOCK, 0 }, { "del", KQ_HTML_E_FLAG, KQ_RUN_STRIKE },
  { "details", KQ_HTML_E_BLOCK, 0 }, { "dfn", KQ_HTML_E_FLAG, KQ_RUN_ITALIC }, { "dialog", KQ_HTML_E_DROP, 0 },
  { "dir", KQ_HTML_E_UL, 0 }, { "div", KQ_HTML_E_BLOCK, 0 }, { "dl", KQ_HTML_E_BLOCK, 0 }, { "dt", KQ_HTML_E_BLOCK, 0 },
  { "em", KQ_HTML_E_FLAG, KQ_RUN_ITALIC }, { "embed", KQ_HTML_E_INLINE, 0 }, { "fieldset", KQ_HTML_E_DROP, 0 },
  { "figcaption", KQ_HTML_E_BLOCK, 0 }, { "figure", KQ_HTML_E_FIGURE, 0 }, { "footer", KQ_HTML_E_BLOCK, 0 },
  { "form", KQ_HTML_E_DROP, 0 }, { "frame", KQ_HTML_E_DROP, 0 }, { "frameset", KQ_HTML_E_DROP, 0 },
  { "h1", KQ_HTML_E_HEADING, 0 }, { "h2", KQ_HTML_E_HEADING, 0 }, { "h3", KQ_HTML_E_HEADING, 0 },
  { "h4", KQ_HTML_E_HEADING, 0 }, { "h5", KQ_HTML_E_HEADING, 0 }, { "h6", KQ_HTML_E_HEADING, 0 },
  { "head", KQ_HTML_E_DROP, 0 }, { "header", KQ_HTML_E_BLOCK, 0 }, { "hgroup", KQ_HTML_E_BLOCK, 0 },
  { "hr", KQ_HTML_E_HR, 0 }, { "html", KQ_HTML_E_BLOCK, 0 }, { "i", KQ_HTML_E_FLAG, KQ_RUN_ITALIC },
  { "iframe", KQ_HTML_E_IFRAME, 0 }, { "img", KQ_HTML_E_IMG, 0 }, { "input", KQ_HTML_E_DROP, 0 },
  { "ins", KQ_HTML_E_FLAG, KQ_RUN_UNDERLINE }, { "kbd", KQ_HTML_E_FLAG, KQ_RUN_CODE }, { "keygen", KQ_HTML_E_INLINE, 0 },
  { "legend", KQ_HTML_E_BLOCK, 0 }, { "li", KQ_HTML_E_BLOCK, 0 }, { "link", KQ_HTML_E_DROP, 0 },
  { "main", KQ_HTML_E_BLOCK, 0 }, { "map", KQ_HTML_E_DROP, 0 }, { "menu", KQ_HTML_E_UL, 0 }, { "meta", KQ_HTML_E_DROP, 0 },
  { "meter", KQ_HTML_E_DROP, 0 }, { "nav", KQ_HTML_E_BLOCK, 0 }, { "noembed", KQ_HTML_E_DROP, 0 },
  { "noframes", KQ_HTML_E_DROP, 0 }, { "noscript", KQ_HTML_E_DROP, 0 }, { "object", KQ_HTML_E_DROP, 0 },
  { "ol", KQ_HTML_E_OL, 0 }, { "optgroup", KQ_HTML_E_DROP, 0 }, { "option", KQ_HTML_E_DROP, 0 },
  { "output", KQ_HTML_E_DROP, 0 }, { "p", KQ_HTML_E_P, 0 }, { "param", KQ_HTML_E_DROP, 0 }, { "pre", KQ_HTML_E_PRE, 0 },
  { "progress", KQ_HTML_E_DROP, 0 }, { "q", KQ_HTML_E_Q, 0 }, { "rp", KQ_HTML_E_DROP, 0 }, { "s", KQ_HTML_E_FLAG, KQ_RUN_STRIKE },
  { "samp", KQ_HTML_E_FLAG, KQ_RUN_CODE }, { "script", KQ_HTML_E_DROP, 0 }, { "section", KQ_HTML_E_BLOCK, 0 },
  { "select", KQ_HTML_E_DROP, 0 }, { "slot", KQ_HTML_E_DROP, 0 }, { "source", KQ_HTML_E_INLINE, 0 },
  { "strike", KQ_HTML_E_FLAG, KQ_RUN_STRIKE }, { "strong", KQ_HTML_E_FLAG, KQ_RUN_BOLD },
  { "style", KQ_HTML_E_DROP, 0 }, { "sub", KQ_HTML_E_FLAG, KQ_RUN_SUBSCRIPT }, { "summary", KQ_HTML_E_BLOCK, 0 },
  { "sup", KQ_HTML_E_FLAG, KQ_RUN_SUPERSCRIPT }, { "svg", KQ_HTML_E_DROP, 0 }, { "table", KQ_HTML_E_TABLE, 0 },
  { "tbody", KQ_HTML_E_BLOCK, 0 }, { "td", KQ_HTML_E_BLOCK, 0 }, { "template", KQ_HTML_E_DROP, 0 },
  { "textarea", KQ_HTML_E_DROP, 0 }, { "tfoot", KQ_HTML_E_BLOCK, 0 }, { "th", KQ_HTML_E_BLOCK, 0 },
  { "thead", KQ_HTML_E_BLOCK, 0 }, { "title", KQ_HTML_E_DROP, 0 }, { "tr", KQ_HTML_E_BLOCK, 0 },
  { "track", KQ_HTML_E_INLINE, 0 }, { "tt", KQ_HTML_E_FLAG, KQ_RUN_CODE }, { "u", KQ_HTML_E_FLAG, KQ_RUN_UNDERLINE },
  { "ul", KQ_HTML_E_UL, 0 }, { "var", KQ_HTML_E_FLAG, KQ_RUN_ITALIC }, { "video", KQ_HTML_E_VIDEO, 0 },
  { "wbr", KQ_HTML_E_INLINE, 0 }, { "xmp", KQ_HTML_E_PRE, 0 },
};

static const KqHtmlElemInfo inline_info = { NULL, KQ_HTML_E_INLINE, 0 };

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

const KqHtmlElemInfo *
_kq_html_element_info (xmlNode *node)
{
  const KqHtmlElemInfo *info;

  if (node->name == NULL)
    return &inline_info;
  info = g_hash_table_lookup (element_table (), node->name);

  return info != NULL ? info : &inline_info;
}

gboolean
_kq_html_is_element (xmlNode    *node,
                     const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->name != NULL &&
         g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static const char *
attr_value (xmlAttr *a)
{
  if (a->children != NULL && a->children->type == XML_TEXT_NODE && a->children->content != NULL)
    return (const char *) a->children->content;
  return "";
}

/* Attributes, without allocating. Valueless attributes give "". */
const char *
_kq_html_attr (xmlNode    *node,
               const char *name)
{
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    {
      /* libxml2's HTML parser lower-cases attribute names. */
      if (a->name == NULL || strcmp ((const char *) a->name, name) != 0)
        continue;
      return attr_value (a);
    }
  return NULL;
}

/* Whether the space-separated list @classes holds @klass. */
static gboolean
class_list_has (const char *classes,
                const char *klass)
{
  gsize len = strlen (klass);

  for (const char *p = strstr (classes, klass); p != NULL; p = strstr (p + 1, klass))
    if ((p == classes || g_ascii_isspace (p[-1])) && (p[len] == '\0' || g_ascii_isspace (p[len])))
      return TRUE;
  return FALSE;
}

gboolean
_kq_html_has_class (xmlNode    *node,
                    const char *klass)
{
  const char *classes = _kq_html_attr (node, "class");

  return classes != NULL && class_list_has (classes, klass);
}

/* Whether @node has one of @klasses (NULL-terminated). */
gboolean
_kq_html_has_any_class (xmlNode            *node,
                        const char * const *klasses)
{
  const char *classes = _kq_html_attr (node, "class");

  if (classes == NULL)
    return FALSE;
  for (guint i = 0; klasses[i] != NULL; i++)
    if (class_list_has (classes, klasses[i]))
      return TRUE;
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

gboolean
_kq_html_is_hidden (xmlNode *node)
{
  const char *classes = NULL;
  const char *style = NULL;

  /* One pass over the attributes (most elements have none). */
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    {
      const char *name = (const char *) a->name;

      if (name == NULL)
        continue;
      if (strcmp (name, "hidden") == 0)
        return TRUE;
      if (classes == NULL && strcmp (name, "class") == 0)
        classes = attr_value (a);
      else if (style == NULL && strcmp (name, "style") == 0)
        style = attr_value (a);
    }

  if (classes != NULL &&
      (class_list_has (classes, "screen-reader-text") || class_list_has (classes, "sr-only")))
    return TRUE;

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
  return _kq_html_element_info (node)->type == KQ_HTML_E_DROP || _kq_html_is_hidden (node);
}

KqRunFlags
_kq_html_style_flags (xmlNode *node)
{
  const char *style = _kq_html_attr (node, "style");
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

KqAlign
_kq_html_element_align (xmlNode *node)
{
  const char *align = _kq_html_attr (node, "align");
  const char *classes = _kq_html_attr (node, "class");
  g_autofree char *text_align = style_value (_kq_html_attr (node, "style"), "text-align");

  if ((classes != NULL && (class_list_has (classes, "aligncenter") ||
                           class_list_has (classes, "has-text-align-center"))) ||
      _kq_html_is_element (node, "center"))
    return KQ_ALIGN_CENTER;
  if (classes != NULL && (class_list_has (classes, "alignleft") ||
                          class_list_has (classes, "has-text-align-left")))
    return KQ_ALIGN_LEFT;
  if (classes != NULL && (class_list_has (classes, "alignright") ||
                          class_list_has (classes, "has-text-align-right")))
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
guint
_kq_html_uint_attr (xmlNode    *node,
                    const char *name)
{
  const char *value = _kq_html_attr (node, name);
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
char *
_kq_html_collapse_whitespace (const char *text)
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
char *
_kq_html_make_title (KqHtmlBuilder *b,
                     const char    *text)
{
  g_autofree char *collapsed = _kq_html_collapse_whitespace (text);

  if (collapsed == NULL || b->opts.no_typography)
    return g_steal_pointer (&collapsed);
  return kq_typography_apply_fr (collapsed);
}

/* Iterative text collection for flattened subtrees and <pre>: skips dropped
 * elements, turns <br> into "\n". */
void
_kq_html_collect_text (xmlNode *root,
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
          if (_kq_html_is_element (cur, "br"))
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
