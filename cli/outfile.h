/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outfile.h -- output files that appear whole or not at all.
 *
 * Every file the mlg command writes (-o, --rejects, the OneRoster output
 * files, `mlg generate`) is opened with outfile_open().  A regular file, or a
 * name that does not exist yet, is written to a temporary file in the same
 * directory and renamed over the name by outfile_commit(), so
 *  - a reader never sees a half-written file,
 *  - two runs writing the same name leave one run's complete output (the one
 *    that finished last), never a mix,
 *  - a run that fails leaves the old file (or no file) in place.
 * Anything else (stdout, "-", a device such as /dev/null, a FIFO) is written
 * in place, and write errors are still detected at commit.  Temporary files
 * of a run that exits early (an error, SIGINT, SIGTERM, SIGHUP) are removed.
 */
#ifndef MLG_CLI_OUTFILE_H
#define MLG_CLI_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct outfile {
    FILE *f;       /* write here */
    char *path;    /* the name given (NULL for stdout) */
    char *tmp;     /* temporary name renamed to path on commit, or NULL */
    int   slot;    /* index in the exit-time cleanup list, or -1 */
    int   failed;  /* a write error was reported */
} outfile;

/* outfile_open(): open `path` for writing; NULL or "-" is stdout.  Refuses
 * (diagnostic, EXIT_USAGE) a path that names the same file as one of
 * inputs[0..n_inputs) (NULL entries and "-" are skipped), or that lies in an
 * input that is a directory (a OneRoster set).  Returns EXIT_OK, EXIT_USAGE
 * or EXIT_IO (cannot create; diagnostic printed). */
int outfile_open(outfile *o, const char *path, const char *const *inputs, size_t n_inputs);

/* outfile_close(): flush and close, reporting any write error: EXIT_OK, or
 * EXIT_IO after a diagnostic "NAME: write error: ..." (then the temporary
 * file is removed and the old file is left as it was).  Nothing is renamed
 * yet, so a run with several outputs closes them all and commits them only
 * when every one was written.  `what` names the file in diagnostics (NULL:
 * the path, or "stdout").  Closing twice is a no-op. */
int outfile_close(outfile *o, const char *what);

/* outfile_commit(): outfile_close() if still open, then rename the
 * temporary file into place.  Returns EXIT_OK or EXIT_IO (diagnostic
 * printed, temporary file removed). */
int outfile_commit(outfile *o, const char *what);

/* outfile_abort(): close and remove the temporary file (the old file, if
 * any, is left as it was).  A no-op on a closed or zeroed outfile. */
void outfile_abort(outfile *o);

/* same_file(): do the two paths name the same file (both existing: same
 * device and inode; otherwise the same directory and the same last
 * component)?  "-" names no file. */
int same_file(const char *a, const char *b);

#endif
