/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Which renderer GTK draws with, decided before GTK makes one (main()):
 * GTK 4.8's GL renderer on a machine without a GPU runs on Mesa's software
 * rasterizer (llvmpipe), compiles shaders before the first frame and redraws
 * the whole window in software for every frame; the cairo renderer is much
 * faster there. On a real GPU, GTK's own choice stays. GSK_RENDERER, when
 * set, always wins.
 */

typedef enum
{
  KQ_RENDERER_GTK_CHOICE,     /* a GPU: GTK chooses */
  KQ_RENDERER_CAIRO_SOFTWARE, /* no GPU: cairo */
  KQ_RENDERER_ENVIRONMENT,    /* GSK_RENDERER was set */
} KqRendererChoice;

/* Decides from the environment and @sys_root's /sys/class/drm (NULL for
 * "/"); reads a few links, opens no device. */
KqRendererChoice kq_renderer_decide    (const char *sys_root);
/* Decides and, for KQ_RENDERER_CAIRO_SOFTWARE, sets GSK_RENDERER=cairo;
 * to be called before GTK starts. */
KqRendererChoice kq_renderer_choose    (void);
/* What was chosen, in words for a bug report (About's troubleshooting). */
char            *kq_renderer_describe  (void);

G_END_DECLS
