/* SPDX-License-Identifier: GPL-3.0-or-later */
/* version.c -- runtime twins of the version macros. */
#include "mlg.h"

int mlg_version_number(void) { return MLG_VERSION_NUMBER; }

const char *mlg_version_string(void) { return MLG_VERSION_STRING; }
