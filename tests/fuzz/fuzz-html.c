/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: article HTML → sanitised block document, its JSON and
 * text forms. */
#include "config.h"

#include "kq-html.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(KqHtmlDocument) doc = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  doc = kq_html_parse ((const char *) data, size, "https://example.org/2026/11/article/", NULL);
  g_assert (doc != NULL);
  json = kq_html_document_to_json (doc);
  text = kq_html_document_to_text (doc);
  g_assert (g_utf8_validate (json, -1, NULL));
  g_assert (g_utf8_validate (text, -1, NULL));

  return 0;
}
