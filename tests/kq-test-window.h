/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kq-application.h"
#include "kq-article.h"
#include "kq-window.h"

G_BEGIN_DECLS

/* Helpers shared by the main window tests (test-main-window, test-window-reading,
 * test-window-data). The gboolean (gpointer) ones are conditions for kq_test_ui_wait_for(). */

gpointer        kq_test_window_child             (gpointer        window,
                                                  const char     *name);
GListModel     *kq_test_window_list_model        (KqWindow       *window);
guint           kq_test_window_n_items           (KqWindow       *window);
KqArticle      *kq_test_window_article_at        (KqWindow       *window,
                                                  guint           position);
gboolean        kq_test_window_is_mapped         (gpointer        window);
gboolean        kq_test_window_is_gone           (gpointer        data);
gboolean        kq_test_window_is_idle           (gpointer        window);
gboolean        kq_test_window_is_loading        (gpointer        window);
gboolean        kq_test_window_has_articles_idle (gpointer        window);
KqApplication  *kq_test_window_new_application   (void);
KqWindow       *kq_test_window_open              (KqApplication  *app,
                                                  const char     *url);
void            kq_test_window_close             (KqWindow       *window);

G_END_DECLS
