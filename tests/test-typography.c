/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-typography"

#include "config.h"

#include "kq-typography.h"

/* In the expectations, "~" stands for U+00A0 and "^" for U+202F. */
static char *
visible (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x00A0)
        g_string_append_c (out, '~');
      else if (c == 0x202F)
        g_string_append_c (out, '^');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

typedef struct {
  const char *input;
  const char *expected;
} Case;

static const Case cases[] = {
  /* Replacing ordinary spaces. */
  { "Vraiment ?", "Vraiment^?" },
  { "Incroyable !", "Incroyable^!" },
  { "un point ; un autre", "un point^; un autre" },
  { "Résultat : gagné", "Résultat~: gagné" },
  { "« Bonjour »", "«^Bonjour^»" },
  /* Inserting missing ones. */
  { "Vraiment?", "Vraiment^?" },
  { "Note: la suite", "Note~: la suite" },
  { "«Bonjour»", "«^Bonjour^»" },
  { "Quoi?!", "Quoi^?!" },
  { "Non !!!", "Non^!!!" },
  { "(vraiment ?)", "(vraiment^?)" },
  { "« Pourquoi ? »", "«^Pourquoi^?^»" },
  { "« ? »", "«^?^»" },
  { "« Adresse : www.exemple.fr »", "«^Adresse~: www.exemple.fr^»" },
  { "Il a dit «https://exemple.fr»", "Il a dit «^https://exemple.fr^»" },
  { "&amp; et &#233; restent ; collés", "&amp; et &#233; restent^; collés" },
  /* Times, ratios, tokens. */
  { "Rendez-vous à 12:30 précises", "Rendez-vous à 12:30 précises" },
  { "un rapport 16:9 ou 4:3", "un rapport 16:9 ou 4:3" },
  { "le score 2:1 ; ensuite", "le score 2:1^; ensuite" },
  { "std::vector et a;b", "std::vector et a;b" },
  { "page?id=3", "page?id=3" },
  /* URLs. */
  { "Voir https://exemple.fr/page?x=1;y=2 !", "Voir https://exemple.fr/page?x=1;y=2^!" },
  { "Lien http://exemple.fr: voilà", "Lien http://exemple.fr: voilà" },
  { "Site www.exemple.fr?", "Site www.exemple.fr?" },
  { "mailto:moi@exemple.fr", "mailto:moi@exemple.fr" },
  /* Emoticons. */
  { "Bien joué ;)", "Bien joué ;)" },
  { "Dommage :(", "Dommage :(" },
  { "Super :-)", "Super :-)" },
  { "Ha :D", "Ha :D" },
  /* Already right, or nothing to do. */
  { "Déjà\u00a0: bon", "Déjà~: bon" },
  { "Déjà\u202f? bon", "Déjà^? bon" },
  { "Fin\u2009!", "Fin\u2009!" },
  { "?", "?" },
  { ": début", ": début" },
  { "", "" },
  { "Sans ponctuation haute.", "Sans ponctuation haute." },
  /* Line breaks: nothing glued across them. */
  { "Question\n? non", "Question\n? non" },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = kq_typography_apply_fr (cases[i].input);
      g_autofree char *shown = visible (out);

      g_test_message ("%s → %s", cases[i].input, shown);
      g_assert_cmpstr (shown, ==, cases[i].expected);
    }
}

static void
test_idempotent (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *once = kq_typography_apply_fr (cases[i].input);
      g_autofree char *twice = kq_typography_apply_fr (once);

      g_assert_cmpstr (once, ==, twice);
    }
}

static void
test_null (void)
{
  g_assert_null (kq_typography_apply_fr (NULL));
}

static void
test_segments (void)
{
  /* "Bonjour " | "monde" (bold) | "!" : the space is in the first segment,
   * the mark in the last; the space is replaced where it is. */
  char *segments[] = { g_strdup ("Bonjour "), g_strdup ("monde"), g_strdup ("!"), NULL };
  g_autofree char *s0 = NULL;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;

  kq_typography_apply_fr_segments (segments, NULL, 3);
  s0 = visible (segments[0]);
  s1 = visible (segments[1]);
  s2 = visible (segments[2]);
  g_assert_cmpstr (s0, ==, "Bonjour ");
  g_assert_cmpstr (s1, ==, "monde");
  g_assert_cmpstr (s2, ==, "^!");

  for (guint i = 0; i < 3; i++)
    g_free (segments[i]);
}

/* Segments lying in one buffer (from an offset): the same result as the
 * concatenation, NULL for the segments left alone; every case above too. */
static void
test_spans (void)
{
  static const char *pieces[] = { "Bonjour ", "monde ! ", "« Oui » ", "dit-il : ", "code;x", "" };
  g_autoptr(GString) text = g_string_new ("xx");
  gsize starts[G_N_ELEMENTS (pieces) + 1];
  gboolean code[] = { FALSE, FALSE, FALSE, FALSE, TRUE, FALSE };
  char *out[G_N_ELEMENTS (pieces)] = { NULL, };
  char *segments[G_N_ELEMENTS (pieces)];
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;
  guint n = G_N_ELEMENTS (pieces);

  for (guint i = 0; i < n; i++)
    {
      starts[i] = text->len;
      g_string_append (text, pieces[i]);
    }
  starts[n] = text->len;

  kq_typography_apply_fr_spans (text->str, starts, code, n, out);
  g_assert_null (out[0]);
  s1 = visible (out[1]);
  g_assert_cmpstr (s1, ==, "monde^! ");
  s2 = visible (out[2]);
  g_assert_cmpstr (s2, ==, "«^Oui^» ");
  s3 = visible (out[3]);
  g_assert_cmpstr (s3, ==, "dit-il~: ");
  g_assert_null (out[4]);
  g_assert_null (out[5]);

  /* As kq_typography_apply_fr_segments() does it. */
  for (guint i = 0; i < n; i++)
    segments[i] = g_strdup (pieces[i]);
  kq_typography_apply_fr_segments (segments, code, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (out[i] != NULL ? out[i] : pieces[i], ==, segments[i]);
      g_free (segments[i]);
      g_free (out[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize one[] = { 0, strlen (cases[i].input) };
      char *typeset = NULL;
      g_autofree char *expected = kq_typography_apply_fr (cases[i].input);

      kq_typography_apply_fr_spans (cases[i].input, one, NULL, 1, &typeset);
      g_assert_cmpstr (typeset != NULL ? typeset : cases[i].input, ==, expected);
      g_free (typeset);
    }
}

static void
test_segments_protected (void)
{
  /* Code is never touched and triggers nothing, but the text around it is
   * still typeset. */
  char *segments[] = { g_strdup ("Tapez "), g_strdup ("a ? b : c"), g_strdup (" ; puis « ok »"), NULL };
  gboolean code[] = { FALSE, TRUE, FALSE };
  g_autofree char *s0 = NULL;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;

  kq_typography_apply_fr_segments (segments, code, 3);
  s0 = visible (segments[0]);
  s1 = visible (segments[1]);
  s2 = visible (segments[2]);
  g_assert_cmpstr (s0, ==, "Tapez ");
  g_assert_cmpstr (s1, ==, "a ? b : c");
  g_assert_cmpstr (s2, ==, "^; puis «^ok^»");

  for (guint i = 0; i < 3; i++)
    g_free (segments[i]);
}

static void
test_segments_space_in_code (void)
{
  /* The space before "!" belongs to a code segment: it stays ordinary and
   * nothing is inserted. */
  char *segments[] = { g_strdup ("ls -l "), g_strdup ("!"), NULL };
  gboolean code[] = { TRUE, FALSE };

  kq_typography_apply_fr_segments (segments, code, 2);
  g_assert_cmpstr (segments[0], ==, "ls -l ");
  g_assert_cmpstr (segments[1], ==, "!");

  for (guint i = 0; i < 2; i++)
    g_free (segments[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/kq/typography/cases", test_cases);
  g_test_add_func ("/kq/typography/idempotent", test_idempotent);
  g_test_add_func ("/kq/typography/null", test_null);
  g_test_add_func ("/kq/typography/segments", test_segments);
  g_test_add_func ("/kq/typography/spans", test_spans);
  g_test_add_func ("/kq/typography/segments-protected", test_segments_protected);
  g_test_add_func ("/kq/typography/segments-space-in-code", test_segments_space_in_code);

  return g_test_run ();
}
