/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text helpers shared by the models and the parsers (internal API). */

/* Decodes HTML character references (named, decimal, hexadecimal) in @text.
 * Unknown references are kept as written; invalid code points become U+FFFD;
 * &nbsp; becomes U+00A0. Returns a new UTF-8 string (invalid UTF-8 in the
 * input is replaced). */
char  *_kq_text_decode_entities (const char *text,
                                 gssize      len);

/* HTML fragment → one line of plain text: tags removed (script/style and
 * comments dropped), references decoded, whitespace runs (including
 * non-breaking spaces at the ends) collapsed to one space and trimmed.
 * NULL gives NULL. */
char  *_kq_text_from_html       (const char *html);

/* An excerpt as plain text: like _kq_text_from_html(), a trailing "[…]",
 * "[...]", "..." becomes "…" (spaces before it removed); with @max_words
 * non-zero, longer text is cut after that many words and gets "…". Empty
 * text gives NULL. */
char  *_kq_text_excerpt         (const char *html,
                                 guint       max_words);

/* What a byte that is not UTF-8 was meant to be: Windows-1252's character
 * (what mislabelled pages are written in; 0x92 is ’). */
gunichar _kq_text_windows_1252  (guchar      byte);

/* @text with its C1 controls (U+0080–U+009F, from &#146; or mislabelled
 * bytes) as the Windows-1252 characters they stand for, as HTML5 reads
 * them; NULL when it has none. */
char  *_kq_text_map_c1          (const char *text);

/* Counts words in the plain text of an HTML fragment: runs of
 * non-space characters that hold at least one letter or digit. */
guint  _kq_text_count_words     (const char *html);

/* A search query as sent to a site or the index (kq-text-query.c): its first
 * words, whole, within these bounds. */
#define KQ_TEXT_MAX_QUERY_BYTES 256
#define KQ_TEXT_MAX_QUERY_WORDS 16

char  *_kq_text_bound_query     (const char *query);

/* FNV-1a 64-bit hash of @str masked to 63 bits, never 0. */
gint64 _kq_text_hash63          (const char *str);

typedef enum {
  KQ_JSON_SHAPE_OK,
  KQ_JSON_SHAPE_TOO_DEEP,   /* more than max_depth nested objects/arrays */
  KQ_JSON_SHAPE_TRAILING,   /* more than white space after the first
                             * top-level value */
  KQ_JSON_SHAPE_BAD_ESCAPE, /* a backslash in a string that JSON does not
                             * allow ("\x", "\u12", "\u:8ab") */
} KqJsonShape;

/* A quick scan of JSON text before json-glib sees it: json-glib 1.6
 * recurses once per nesting level (a stack overflow on deep documents)
 * and takes "{…}{…}" or "1 [2]" as its first value, leaking the others;
 * its scanner misreads an invalid "\u" escape and can leak the string it
 * was reading (found by fuzz-bookmarks-import). */
KqJsonShape _kq_text_json_shape (const char *data,
                                 gsize       len,
                                 guint       max_depth);

/* json-glib 1.6 turns a "\uD800" escape that is not half of a surrogate
 * pair into invalid UTF-8, or misreads the characters after it. Returns a
 * copy of @data where such escapes are "\uFFFD" (and sets *out_len), or
 * NULL when there are none. */
char       *_kq_text_json_fix_surrogates (const char *data,
                                          gsize       len,
                                          gsize      *out_len);

G_END_DECLS
