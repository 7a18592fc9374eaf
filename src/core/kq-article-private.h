/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kq-article.h"

G_BEGIN_DECLS

/* Setters that take their string instead of copying it, for the parsers
 * that build thousands of articles (internal API). */
void _kq_article_take_excerpt   (KqArticle *self,
                                 char      *excerpt);
void _kq_article_take_body_html (KqArticle *self,
                                 char      *body_html);

G_END_DECLS
