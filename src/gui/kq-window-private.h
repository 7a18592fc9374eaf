/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kq-article-list.h"
#include "kq-article-model.h"
#include "kq-article-view.h"
#include "kq-http.h"
#include "kq-sidebar.h"
#include "kq-source.h"
#include "kq-store.h"
#include "kq-window.h"

G_BEGIN_DECLS

/* Articles read from the cache at once, per page. */
#define KQ_WINDOW_CACHE_PAGE 50

struct _KqWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  KqHttp               *http;
  KqSource             *source;
  KqStore              *store;
  KqImageLoader        *image_loader;
  gboolean              offline;
  GCancellable         *cancellable;       /* the window's lifetime */
  GCancellable         *load_cancellable;  /* the list being loaded; one per load */
  GCancellable         *link_cancellable;  /* the article link being followed */
  guint                 generation;        /* bumped with each new list */

  /* The list shown */
  KqSidebarKind         kind;
  gint64                category_id;
  char                 *search_text;       /* non-NULL while searching */
  KqArticleModel       *model;             /* category, bookmarks or local search results */
  KqArticleModel       *site_model;        /* search: the site's results */
  GtkStringList        *site_header;
  GListModel           *shown_model;
  guint                 page;              /* network pages merged */
  guint                 total_pages;
  guint                 store_offset;      /* offline paging through the cache */
  guint                 n_loading;
  gboolean              loaded_once;

  KqArticle            *article;           /* open in the article pane */
  gboolean              history_step;      /* opening a link or Back/Forward: history kept */
  KqArticle            *removed_bookmark;  /* for Undo */
  guint                 bookmark_count;
  gint64                restore_article_id;
  double                restore_scroll;
  guint                 refresh_timer_id;
  guint                 counts_timeout_id;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_pane;
  GtkWidget            *list_pane;
  GtkWidget            *article_pane;
  GtkStack             *sidebar_stack;
  GtkStack             *list_stack;
  GtkStack             *article_stack;
  GtkWidget            *article_back_button;
  GtkWidget            *list_back_button;
  KqSidebar            *sidebar;
  KqArticleList        *article_list;
  AdwWindowTitle       *list_title;
  AdwWindowTitle       *article_title;
  AdwStatusPage        *list_empty;
  AdwStatusPage        *list_error;
  GtkStack             *refresh_stack;
  GtkSpinner           *loading_spinner;
  GtkRevealer          *offline_revealer;
  GtkToggleButton      *bookmark_button;
  KqArticleView        *article_view;
};

/* One load of the list shown (a page from the cache or the site, a search):
 * its answer is dropped once the window shows another list. */
typedef struct
{
  KqWindow  *self;
  guint      generation;
  guint      page;
  gboolean   refresh;
  gboolean   background;
  guint      total_pages;
  GPtrArray *articles;
} KqWindowLoad;

/* kq-window.c */
gboolean _kq_window_is_cancelled      (GError        *error);
void     _kq_window_update_loading    (KqWindow      *self);
void     _kq_window_loading_begin     (KqWindow      *self);
void     _kq_window_loading_end       (KqWindow      *self);
void     _kq_window_toast             (KqWindow      *self,
                                       const char    *title,
                                       const char    *button_label,
                                       const char    *action_name);

/* kq-window-lists.c */
KqWindowLoad *_kq_window_load_new     (KqWindow      *self,
                                       guint          page);
void     _kq_window_load_free         (KqWindowLoad  *load);
/* Whether the answer still belongs to the list shown. */
gboolean _kq_window_load_is_current   (KqWindowLoad  *load);
/* Cancels what the previous list had in flight and starts a new generation. */
void     _kq_window_reset_load        (KqWindow      *self);
guint    _kq_window_n_shown           (KqWindow      *self);
void     _kq_window_update_list_page  (KqWindow      *self,
                                       gboolean       done);
void     _kq_window_show_error_page   (KqWindow      *self,
                                       GError        *error);
void     _kq_window_update_more       (KqWindow      *self);
void     _kq_window_start_view        (KqWindow      *self);
void     _kq_window_refresh           (KqWindow      *self,
                                       gboolean       background);
void     _kq_window_load_more         (KqWindow      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KqWindowLoad, _kq_window_load_free)

/* kq-window-search.c */
void     _kq_window_start_search      (KqWindow      *self);
void     _kq_window_search_site       (KqWindow      *self,
                                       guint          page);

/* kq-window-categories.c */
void     _kq_window_read_categories   (KqWindow      *self);
void     _kq_window_load_categories   (KqWindow      *self);
void     _kq_window_queue_counts      (KqWindow      *self);

/* kq-window-article.c */
void     _kq_window_open_article      (KqWindow      *self,
                                       KqArticle     *article);
void     _kq_window_close_article     (KqWindow      *self);
/* KqArticleView::open-article-link */
gboolean _kq_window_open_article_link (KqWindow      *self,
                                       const char    *uri,
                                       KqArticleView *view);
/* KqArticleView::open-history-article */
gboolean _kq_window_open_history_article (KqWindow      *self,
                                          KqArticle     *article,
                                          KqArticleView *view);

/* kq-window-actions.c */
void     _kq_window_class_add_actions (GtkWidgetClass *widget_class);
void     _kq_window_update_bookmark_count (KqWindow  *self);
void     _kq_window_set_bookmarked    (KqWindow      *self,
                                       KqArticle     *article,
                                       gboolean       bookmarked);
void     _kq_window_notify_new        (KqWindow      *self,
                                       GPtrArray     *articles,
                                       guint          n_new);
/* What the export and import file choosers do with the chosen file. */
void     _kq_window_export_bookmarks  (KqWindow      *self,
                                       GFile         *file,
                                       gboolean       html);
void     _kq_window_import_bookmarks  (KqWindow      *self,
                                       GFile         *file);

G_END_DECLS
