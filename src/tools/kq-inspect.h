/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * kiosque-inspect subcommands. Each one is a function
 *
 *   int kq_inspect_<name> (int argc, char **argv);   (argv[0] is the subcommand)
 *
 * that prints normalised JSON (see kq-inspect-json.h) on stdout, errors on
 * stderr through kq_inspect_fail(), and returns the exit status.
 *
 * Adding a subcommand is a 3-line change:
 *   1. src/tools/meson.build: add 'kq-inspect-<name>.c' to kiosque_inspect_sources;
 *   2. this header: declare  int kq_inspect_<name> (int argc, char **argv);
 *   3. kiosque-inspect.c: add a row to the `commands` table.
 */

int  kq_inspect_feed          (int          argc,
                               char       **argv);
int  kq_inspect_wp_posts      (int          argc,
                               char       **argv);
int  kq_inspect_wp_post       (int          argc,
                               char       **argv);
int  kq_inspect_wp_categories (int          argc,
                               char       **argv);
int  kq_inspect_wp_comments   (int          argc,
                               char       **argv);
/* Other areas' subcommands below. */
/* HTTP and sources (kq-inspect-site.c). */
int  kq_inspect_site          (int          argc,
                               char       **argv);
/* "feed" with a file or an http(s) URL. */
int  kq_inspect_feed_or_url   (int          argc,
                               char       **argv);
/* GETs @url with a fresh KqHttp (blocking the caller on a main loop). */
GBytes *kq_inspect_fetch_url  (const char  *url,
                               char       **final_uri,
                               GError     **error);

/* HTML → block document (kq-inspect-html.c). */
int  kq_inspect_html          (int          argc,
                               char       **argv);

/* Prints "kiosque-inspect: MESSAGE" on stderr; returns 1. */
int  kq_inspect_fail          (const char  *message);
/* Prints @json_text on stdout; returns 0. */
int  kq_inspect_print         (const char  *json_text);

G_END_DECLS
