/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * French typography: non-breaking spaces around high punctuation.
 *
 *  - before ; ! ? and before » , after « : NARROW NO-BREAK SPACE (U+202F);
 *  - before : : NO-BREAK SPACE (U+00A0);
 *  - an ordinary space there is replaced, a missing one is inserted, an
 *    existing no-break / narrow / thin space is kept (so it is idempotent).
 *
 * Left alone: URLs (http://…, www.…), times and ratios (12:30, 16/9, 1:2),
 * punctuation not followed by a space or the end (a;b, ?utm=), repeated marks
 * ("?!" gets one space), emoticon-like sequences (";)", ":-(", ":D").
 */

#define KQ_NBSP   "\xc2\xa0"     /* U+00A0 */
#define KQ_NNBSP  "\xe2\x80\xaf" /* U+202F */

/* Returns a newly allocated copy of @text with French typography applied. */
char *kq_typography_apply_fr      (const char  *text);

/*
 * Applies French typography across @n_segments consecutive pieces of text
 * (e.g. the runs of one paragraph), replacing segments[i] in place (freed and
 * reallocated when changed). Context flows across segments. Segments whose
 * @protected_segments[i] is TRUE (code) are never modified and their
 * characters trigger nothing. @protected_segments may be NULL.
 */
void  kq_typography_apply_fr_segments (char           **segments,
                                       const gboolean  *protected_segments,
                                       guint            n_segments);

/*
 * The same for segments that lie one after the other in @text: segment i is
 * [@starts[i], @starts[i + 1]) (@starts has @n_segments + 1 entries) and
 * @text[@starts[@n_segments]] is a NUL byte. Fills
 * @out[i] with segment i typeset, a new string, or NULL when typography
 * leaves it as it is. No copy of the text is made: for a caller that holds
 * the runs of a paragraph together already.
 */
void  kq_typography_apply_fr_spans    (const char      *text,
                                       const gsize     *starts,
                                       const gboolean  *protected_segments,
                                       guint            n_segments,
                                       char           **out);

G_END_DECLS
