/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bundle.h -- a OneRoster set delivered as one .zip file (OneRoster 1.2.1
 * sec. 2.2: every CSV at the root of the archive, no folders). */
#ifndef MLG_CLI_BUNDLE_H
#define MLG_CLI_BUNDLE_H

#include <stddef.h>

/* bundle_is_zip(): 1 if path is a regular file that starts with a zip local
 * header ("PK\3\4"). */
int bundle_is_zip(const char *path);

/* bundle_extract(): extract the *.csv entries at the root of `zip` into a
 * new private temporary directory, whose path is written to dir (cap
 * bytes).  Entries in folders or with other names are reported and left
 * out.  Returns an exit code (diagnostics printed). */
int bundle_extract(const char *zip, char *dir, size_t cap);

/* bundle_remove(): delete what bundle_extract() made. */
void bundle_remove(const char *dir);

#endif
