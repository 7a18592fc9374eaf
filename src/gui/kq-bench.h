/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kq-article-list.h"
#include "kq-article-view.h"

G_BEGIN_DECLS

/* Benchmark hooks, inert unless KIOSQUE_BENCHMARK=1: see kq-bench.c. */

gboolean kq_bench_enabled          (void);
void     kq_bench_mark_after_paint (GtkWidget     *widget,
                                    const char    *event);
void     kq_bench_watch            (GtkWindow     *window,
                                    KqArticleList *list,
                                    KqArticleView *view);

G_END_DECLS
