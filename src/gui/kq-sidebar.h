/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  KQ_SIDEBAR_ALL,        /* "À la une": the latest, every category */
  KQ_SIDEBAR_CATEGORY,   /* one of the site's categories */
  KQ_SIDEBAR_BOOKMARKS,  /* "Favoris" */
} KqSidebarKind;

#define KQ_TYPE_SIDEBAR (kq_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (KqSidebar, kq_sidebar, KQ, SIDEBAR, GtkWidget)

KqSidebar  *kq_sidebar_new                (void);
/* GPtrArray of KqCategory in the site's order; keeps the selection when it still exists. */
void        kq_sidebar_set_categories     (KqSidebar     *self,
                                           GPtrArray     *categories);
guint       kq_sidebar_get_n_categories   (KqSidebar     *self);
void        kq_sidebar_set_bookmark_count (KqSidebar     *self,
                                           guint          count);
/* @count < 0: unknown (hidden). */
void        kq_sidebar_set_unread_count   (KqSidebar     *self,
                                           KqSidebarKind  kind,
                                           gint64         category_id,
                                           int            count);
int         kq_sidebar_get_unread_count   (KqSidebar     *self,
                                           KqSidebarKind  kind,
                                           gint64         category_id);
/* Selects the entry (emits "selected"); FALSE if there is no such entry. */
gboolean    kq_sidebar_select             (KqSidebar     *self,
                                           KqSidebarKind  kind,
                                           gint64         category_id);
/* The @index-th entry from the top (0: "À la une"), for Alt+1…9. */
gboolean    kq_sidebar_select_nth         (KqSidebar     *self,
                                           guint          index);
KqSidebarKind kq_sidebar_get_selected     (KqSidebar     *self,
                                           gint64        *category_id);
const char *kq_sidebar_get_selected_name  (KqSidebar     *self);
const char *kq_sidebar_get_search_text    (KqSidebar     *self);
void        kq_sidebar_set_search_text    (KqSidebar     *self,
                                           const char    *text);
void        kq_sidebar_focus_search       (KqSidebar     *self);

G_END_DECLS
