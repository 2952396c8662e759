/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oneroster.h -- writing a OneRoster 1.2 CSV set (delta mode) of marks:
 * identifiers, timestamps, manifest.csv and the line-item files. */
#ifndef MLG_CLI_ONEROSTER_H
#define MLG_CLI_ONEROSTER_H

#include "util.h"

#include <stdint.h>

/* The references a result and a line item need (OneRoster 1.2.1 requires
 * them in lineItems.csv); ids of the receiving SIS, given with --class-id
 * etc. */
typedef struct or_refs {
    const char *class_id, *school_id, *category_id, *session_id;
} or_refs;

/* or_guid(): a OneRoster GUID (< 256 characters of 0-9 a-z A-Z . - _ / @)
 * naming `a` (and, if b is not NULL, `a` then `b`): characters outside
 * 0-9 A-Z a-z . - _ are written @XX (hex) and the parts joined with '/', so
 * the id is stable and different texts never share one.  Over 255
 * characters, "mlg@" and a 128-bit hash.  buf >= 256 bytes. */
void or_guid(char *buf, const char *a, const char *b);

/* or_timestamp(): now as a OneRoster DateTime, YYYY-MM-DDTHH:MM:SS.000Z
 * (UTC), or the time SOURCE_DATE_EPOCH (seconds) names when it is set, for
 * reproducible output.  buf >= 32 bytes. */
void or_timestamp(char *buf);

/* or_write_manifest(): dir/manifest.csv for a delta set holding lineItems,
 * lineItemLearningObjectiveIds, results and resultLearningObjectiveIds,
 * written to out (an outfile the caller opened for that name and commits);
 * dir names the file in diagnostics. */
void or_write_manifest(FILE *out, const char *dir);

#endif
