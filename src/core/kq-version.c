/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kq-version.h"

/* The User-Agent every request sends: honest about who we are. */
const char *
kq_version_get_user_agent (void)
{
  return "Kiosque/" PACKAGE_VERSION " (+" WEBSITE_URL ")";
}
