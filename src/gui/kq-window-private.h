/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kq-article-list.h"
#include "kq-article-view.h"
#include "kq-library.h"
#include "kq-sidebar.h"
#include "kq-window.h"

G_BEGIN_DECLS

/*
 * The main window binds the library's state and one feed to its widgets; it
 * fetches, saves and pages nothing itself (kq-library.h does).
 */
struct _KqWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  KqLibrary            *library;
  GCancellable         *cancellable;       /* the window's lifetime */
  GCancellable         *link_cancellable;  /* the article link being followed */

  /* The list shown */
  KqSidebarKind         kind;
  gint64                category_id;
  char                 *search_text;       /* non-NULL while searching */
  KqArticleFeed        *feed;
  GtkStringList        *site_header;       /* search: the row above the site's results */
  GListModel           *shown_model;       /* the feed, or the search's parts flattened */
  char                 *more_error;        /* the next page failed: why */
  gulong                map_id;            /* binding the first list after the first frame */
  gulong                first_paint_id;
  GdkFrameClock        *first_paint_clock; /* weak */

  KqArticle            *article;           /* open in the article pane */
  guint                 n_article_loading; /* its body, a link followed */
  gboolean              history_step;      /* opening a link or Back/Forward: history kept */
  KqArticle            *removed_bookmark;  /* for Undo */
  gint64                restore_article_id;
  double                restore_offset;  /* of the restored article's row */

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
  GtkToggleButton      *unread_only_button;
  KqArticleView        *article_view;
};

/* kq-window.c */
gboolean _kq_window_is_cancelled      (GError        *error);
/* The spinner: the list loading, or the article pane. */
void     _kq_window_update_loading    (KqWindow      *self);
void     _kq_window_toast             (KqWindow      *self,
                                       const char    *title,
                                       const char    *button_label,
                                       const char    *action_name);

/* kq-window-lists.c */
/* Shows the list the sidebar selects (or the search): a new feed from the library. */
void     _kq_window_start_view        (KqWindow      *self);
void     _kq_window_refresh           (KqWindow      *self);
void     _kq_window_load_more         (KqWindow      *self);
void     _kq_window_drop_feed         (KqWindow      *self);
void     _kq_window_cancel_deferred_bind (KqWindow   *self);
/* The "Unread Only" button toggled: the list shown, and its kind's setting. */
void     _kq_window_unread_only_toggled (KqWindow    *self);

/* kq-window-article.c */
void     _kq_window_open_article      (KqWindow      *self,
                                       KqArticle     *article);
void     _kq_window_close_article     (KqWindow      *self);
void     _kq_window_clear_article     (KqWindow      *self);
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
/* Space (win.read-on) where no text or button takes it. */
void     _kq_window_add_key_controller (KqWindow     *self);
void     _kq_window_set_bookmarked    (KqWindow      *self,
                                       KqArticle     *article,
                                       gboolean       bookmarked);
/* What the export and import file choosers do with the chosen file. */
void     _kq_window_export_bookmarks  (KqWindow      *self,
                                       GFile         *file,
                                       gboolean       html);
void     _kq_window_import_bookmarks  (KqWindow      *self,
                                       GFile         *file);

G_END_DECLS
