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

/* kq-window.c */
void     _kq_window_start_view        (KqWindow      *self);
void     _kq_window_refresh           (KqWindow      *self,
                                       gboolean       background);
void     _kq_window_load_categories   (KqWindow      *self);
void     _kq_window_queue_counts      (KqWindow      *self);
void     _kq_window_open_article      (KqWindow      *self,
                                       KqArticle     *article);
void     _kq_window_update_loading    (KqWindow      *self);
void     _kq_window_toast             (KqWindow      *self,
                                       const char    *title,
                                       const char    *button_label,
                                       const char    *action_name);

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
