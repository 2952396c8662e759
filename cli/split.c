/* SPDX-License-Identifier: GPL-3.0-or-later */
/* split.c -- `mlg compute`'s parallel reader: a large sorted file cut at
 * student boundaries into byte ranges, each read and computed by its own
 * engine in its own thread, the results merged into the serial run's bytes
 * (or dropped, and the file read again by one reader). */
#include "compute_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h> /* mallopt(): split_read() */
#endif

/* ------------------------------------------------------ parallel read -- */
/* A regular file of sorted evidence is cut into one byte range per worker,
 * at student boundaries, and each range is read and computed by its own
 * engine.  Every byte must be the serial reader's, so a worker writes
 * nothing itself but its marks: its diagnostics (diag_capture()) and
 * --rejects lines are kept and printed after the join, in range order, with
 * the limits of one reader (engine_split_emit()).  Worker 0 writes its
 * marks straight to the output when that is a regular file (it can be cut
 * back), the others (all of them for a pipe) to temporary files copied after
 * it in order.
 *
 * Order across ranges is the serial order when the workers' messages are of
 * one kind: rejected rows as read, duplicates (found when a chunk of
 * students is grouped) or rows the library refused (found when computed).
 * Two kinds interleave by chunk in the serial run, which a worker cannot
 * know.  Then, and on anything else a worker cannot reproduce (a student in
 * two ranges, a fatal error, --strict's first reject, a JSON mark after
 * empty ranges), the workers' work is dropped, the output cut back to where
 * it was and the file read again by one reader (docs/cli.md, "Parallel
 * reading").  --progress shows the workers' sum.  Not split at all: stdin
 * and pipes, OneRoster input or output, --unsorted, another delimiter,
 * UTF-16, or a quote character within --max-record bytes of a cut (a quoted
 * field could span it). */
#define SPLIT_MAX_WORKERS 16

typedef struct split_job {
    pthread_t tid;
    engine    e;
    cstate    c;
    const char *path;
    int64_t   begin, end;
    FILE     *tmp;      /* staged marks, or NULL: straight to the output */
    FILE     *rej;      /* its --rejects lines, or NULL */
    FILE     *dlog;     /* its diagnostics (open_memstream) */
    char     *dbuf;
    size_t    dlen;
    out_t     dout;
    int       rc;
    _Atomic int finished;
} split_job;

static void *split_worker(void *arg)
{
    split_job *j = arg;
    diag_capture(&j->dout);
    j->rc = engine_read_range(&j->e, j->path, j->begin, j->end);
    diag_capture(NULL);
    out_flush(&j->dout);
    out_flush(&j->c.out);
    if (j->c.out.err && j->rc == EXIT_OK)
        j->rc = EXIT_IO;
    atomic_store(&j->finished, 1);
    return NULL;
}

/* The first student boundary at or after byte `guess`, or -1 when none can be
 * proven safe within the window. */
static int64_t find_cut(FILE *f, int64_t size, int64_t guess, size_t max_record)
{
    int64_t lo = guess > (int64_t)max_record ? guess - (int64_t)max_record : 0;
    int64_t hi = guess + (int64_t)max_record < size ? guess + (int64_t)max_record : size;
    size_t n = (size_t)(hi - lo);
    char *b = xmalloc(n + 1);
    int64_t cut = -1;
    if (fseeko(f, (off_t)lo, SEEK_SET) != 0 || fread(b, 1, n, f) != n || memchr(b, '"', n)) {
        free(b);
        return -1;
    }
    b[n] = '\n';
    char *p = memchr(b + (guess - lo), '\n', n - (size_t)(guess - lo));
    if (p && p + 1 < b + n) {
        char *line = p + 1;
        char *c0 = memchr(line, ',', (size_t)(b + n - line));
        char *nl0 = memchr(line, '\n', (size_t)(b + n - line) + 1);
        if (c0 && c0 < nl0) {
            size_t idlen = (size_t)(c0 - line);
            const char *id = line;
            for (char *q = nl0 + 1; q < b + n; q = (char *)memchr(q, '\n', (size_t)(b + n - q) + 1) + 1) {
                char *c = memchr(q, ',', (size_t)(b + n - q));
                char *nl = memchr(q, '\n', (size_t)(b + n - q) + 1);
                if (nl == b + n)
                    break; /* last, possibly partial line of the window */
                if (!c || c > nl)
                    break;
                if ((size_t)(c - q) != idlen || memcmp(q, id, idlen) != 0) {
                    cut = lo + (int64_t)(q - b);
                    break;
                }
            }
        }
    }
    free(b);
    return cut;
}

/* Append a worker's temporary file to f.  0, or -1 on a read or write error. */
static int split_copy(FILE *from, FILE *f)
{
    char buf[1 << 16];
    size_t got;
    if (fflush(from) != 0 || fseeko(from, 0, SEEK_SET) != 0)
        return -1;
    while ((got = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, got, f) != got)
            return -1;
    return ferror(from) ? -1 : 0;
}

/* Can the workers' results stand for the serial run's, byte for byte? */
static int split_exact(const cstate *c, split_job *job, int nw)
{
    int64_t rej_read = 0, rej_part = 0, dups = 0, marks_before = 0;
    for (int w = 0; w < nw; w++) {
        split_job *j = &job[w];
        if (j->rc != EXIT_OK || j->e.split_strict || !j->dbuf ||
            !engine_split_check(&j->e, j->dbuf, j->dlen))
            return 0;
        rej_read += j->e.split_rej_read;
        rej_part += j->e.split_rej_part;
        dups += j->e.n_duplicates + j->e.split_rej_dup;
        /* a JSON mark starts with ",": one must come before it */
        if (c->format == FMT_JSON && w > 0 && j->c.marks > 0 && c->first && marks_before == 0)
            return 0;
        marks_before += j->c.marks;
    }
    if ((rej_read > 0) + (rej_part > 0) + (dups > 0) > 1)
        return 0;
    /* a student in two ranges: the input is not grouped by student (the
     * serial reader says where) */
    for (int w = 1; w < nw; w++)
        for (size_t q = 0; q < job[w].e.students.n; q++)
            for (int v = 0; v < w; v++) {
                const char *id = job[w].e.students.names[q];
                if (strtab_get(&job[v].e.students, id, strlen(id)) >= 0)
                    return 0;
            }
    return 1;
}

/* Returns -1 when the file is to be read by one reader (the caller reads it
 * normally: not split, or split and dropped), else an exit code. */
int split_read(engine *ep, cstate *c, const char *input, const char *cat_path,
               int64_t split_min)
{
    struct stat st;
    if (!strcmp(input, "-") || stat(input, &st) != 0 || !S_ISREG(st.st_mode) ||
        split_min < 0 || st.st_size < split_min || ep->unsorted || ep->threads == 1 ||
        (ep->delim && ep->delim != ',') ||
        !(c->format == FMT_CSV || c->format == FMT_JSON || c->format == FMT_JSONL ||
          c->format == FMT_TEXT))
        return -1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int nw = ep->threads > 0 ? ep->threads : (int)(cores > 0 ? cores : 1);
    if (nw > SPLIT_MAX_WORKERS)
        nw = SPLIT_MAX_WORKERS;
    if (nw < 2)
        return -1;
    int64_t size = (int64_t)st.st_size;
    int64_t cut[SPLIT_MAX_WORKERS + 1];
    FILE *f = fopen(input, "rb");
    if (!f)
        return -1;
    {
        /* the cuts look for ',' in UTF-8: only a comma-separated header,
         * and no UTF-16 (it is converted first) */
        char head[4096];
        size_t got = fread(head, 1, sizeof head, f);
        const char *nl = memchr(head, '\n', got);
        if (!nl || (!ep->delim && !memchr(head, ',', (size_t)(nl - head))) ||
            (got >= 2 && ((unsigned char)head[0] == 0xFF || (unsigned char)head[0] == 0xFE))) {
            fclose(f);
            return -1;
        }
    }
    cut[0] = 0;
    int k = 1;
    for (int w = 1; w < nw; w++) {
        int64_t x = find_cut(f, size, size / nw * w, ep->max_record);
        if (x < 0 || x <= cut[k - 1]) {
            fclose(f);
            return -1;
        }
        cut[k++] = x;
    }
    fclose(f);
    cut[k] = -1;
    nw = k;
    /* Two of the output, --rejects and stderr on one file (2>&1, --rejects -):
     * one reader interleaves them as it goes, the merge would not. */
    {
        struct stat a, b, d;
        int ho = fstat(fileno(c->out.f), &a) == 0, hr = ep->rejects &&
                 fstat(fileno(ep->rejects), &b) == 0, he = fstat(2, &d) == 0;
        if ((ho && hr && a.st_dev == b.st_dev && a.st_ino == b.st_ino) ||
            (ho && he && a.st_dev == d.st_dev && a.st_ino == d.st_ino) ||
            (hr && he && b.st_dev == d.st_dev && b.st_ino == d.st_ino))
            return -1;
    }
    /* Worker 0 writes to the output itself when it can be cut back to here
     * (a regular file); else it is staged like the others.  What is still
     * buffered (the header) is kept, to be put back as it was if the file
     * is read again: --strict's exit leaves it unwritten in the serial run. */
    FILE *of = c->out.f;
    struct stat ost;
    off_t pos0 = -1;
    size_t held = c->out.len;
    char *hold = xmalloc(held + 1);
    memcpy(hold, c->out.buf, held);
    if (fflush(of) == 0 && fstat(fileno(of), &ost) == 0 && S_ISREG(ost.st_mode))
        pos0 = ftello(of);
    if (pos0 >= 0)
        out_flush(&c->out);
    split_job *job = xcalloc((size_t)nw, sizeof *job);
    int rc = EXIT_OK;
    /* What the workers' catalogues say was said once by ep's: dropped. */
    char *sbuf = NULL;
    size_t slen = 0;
    FILE *sf = open_memstream(&sbuf, &slen);
    out_t sink;
    if (!sf)
        rc = EXIT_NOMEM;
    else {
        out_init(&sink, sf);
        diag_capture(&sink);
    }
    for (int w = 0; w < nw && rc == EXIT_OK; w++) {
        split_job *j = &job[w];
        engine_init(&j->e);
        j->e.scale = ep->scale;
        j->e.params = ep->params;
        j->e.threads = 1;
        j->e.strict = ep->strict;
        j->e.max_record = ep->max_record;
        j->e.day_max = ep->day_max;
        j->e.duplicates = ep->duplicates;
        j->e.delim = ep->delim;
        j->e.progress = ep->progress;
        /* --policy's rules for the worker's catalogue (borrowed: cleared
         * before engine_free()) */
        j->e.policy = ep->policy;
        j->e.policy_rules = ep->policy_rules;
        for (int q = 0; q < 7; q++)
            j->e.col_name[q] = ep->col_name[q] ? xstrdup(ep->col_name[q]) : NULL;
        j->e.on_student = ep->on_student;
        j->c = *c;
        memset(&j->c.out, 0, sizeof j->c.out); /* c's buffer is not the job's */
        j->c.first = w == 0 ? c->first : 0;
        j->c.marks = 0;
        j->e.user = &j->c;
        j->path = input;
        j->begin = cut[w];
        j->end = cut[w + 1];
        j->dlog = open_memstream(&j->dbuf, &j->dlen);
        if (!j->dlog) {
            rc = EXIT_NOMEM;
            break;
        }
        out_init(&j->dout, j->dlog);
        j->e.split_diag = &j->dout;
        if (cat_path)
            rc = engine_load_catalogue(&j->e, cat_path);
        if (rc == EXIT_OK)
            rc = engine_prepare(&j->e);
        if (rc == EXIT_OK && (w > 0 || pos0 < 0) && !(j->tmp = tmpfile()))
            rc = EXIT_IO;
        if (rc == EXIT_OK && ep->rejects && !(j->rej = tmpfile()))
            rc = EXIT_IO;
        j->e.rejects = j->rej;
        out_init(&j->c.out, j->tmp ? j->tmp : of);
    }
    if (sf) {
        diag_capture(NULL);
        out_free(&sink);
        fclose(sf);
        free(sbuf);
    }
    int started = 0;
#ifdef __GLIBC__
    /* A worker's growing tables (its students) live in its thread's arena,
     * where realloc() copies and leaves the old block resident: 196 MB
     * against 129 MB for the 2.1 GB file with two ranges.  Blocks of 1 MiB
     * and more mapped on their own grow in place (mremap) instead. */
    (void)mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
    if (rc == EXIT_OK) {
        for (; started < nw; started++)
            if (pthread_create(&job[started].tid, NULL, split_worker, &job[started]) != 0)
                break;
        /* --progress: the workers' sum, in one reader's words */
        ep->in_label = input;
        for (int all = !ep->progress; !all;) {
            int64_t done = 0, rows = 0;
            all = 1;
            for (int w = 0; w < started; w++) {
                all &= atomic_load(&job[w].finished);
                done += atomic_load_explicit(&job[w].e.split_done, memory_order_relaxed);
                rows += atomic_load_explicit(&job[w].e.split_rows, memory_order_relaxed);
            }
            ep->n_read = rows;
            if (done > 0)
                engine_progress(ep, done, size, 0);
            ep->n_read = 0;
            struct timespec ts = {0, 100 * 1000 * 1000};
            if (!all)
                nanosleep(&ts, NULL);
        }
        for (int w = 0; w < started; w++)
            pthread_join(job[w].tid, NULL);
    }
    for (int w = 0; w < nw; w++) {
        if (job[w].dlog) {
            out_flush(&job[w].dout);
            fclose(job[w].dlog); /* sets dbuf, dlen */
            job[w].dlog = NULL;
        }
    }
    /* (a worker that could not be set up or started: one reader, too) */
    if (rc == EXIT_OK && started == nw && split_exact(c, job, nw)) {
        /* The serial run's bytes: diagnostics, marks and rejects in range
         * order.  The diagnostics first: a reader that closes the pipe early
         * stops one reader after it printed them too.  A write error is the
         * one reader's: c->out's is reported by check_write_errors() (quiet
         * for a closed pipe), the --rejects file's by outfile_close(). */
        for (int w = 0; w < nw; w++)
            ep->n_read += job[w].e.n_read;
        if (ep->progress)
            engine_progress(ep, size, size, 1); /* the last state: 100% */
        int64_t dups_shown = 0;
        for (int w = 0; w < nw; w++)
            engine_split_emit(ep, job[w].dbuf, job[w].dlen, &dups_shown);
        out_flush(&c->out);
        for (int w = 0; w < nw; w++) {
            split_job *j = &job[w];
            if (j->tmp && !c->out.err && split_copy(j->tmp, of) != 0)
                c->out.err = errno ? errno : EIO;
            if (j->rej)
                (void)split_copy(j->rej, ep->rejects);
        }
        for (int w = 0; w < nw; w++) {
            ep->n_used += job[w].e.n_used;
            ep->n_rejected += job[w].e.n_rejected;
            ep->n_skipped += job[w].e.n_skipped;
            ep->n_duplicates += job[w].e.n_duplicates;
            ep->n_students_done += job[w].e.n_students_done;
            c->marks += job[w].c.marks;
        }
        if (c->marks > 0)
            c->first = 0;
        rc = EXIT_OK;
    } else {
        /* drop it all: the output back to where it was, then one reader */
        if (pos0 >= 0 && (fflush(of) != 0 || ftruncate(fileno(of), pos0) != 0 ||
                          fseeko(of, pos0, SEEK_SET) != 0)) {
            diag("%s: cannot truncate: %s", c->out_path ? c->out_path : "stdout",
                 strerror(errno));
            rc = EXIT_IO;
        } else {
            c->out.len = 0;
            out_mem(&c->out, hold, held);
            rc = -1;
        }
    }
    free(hold);
    for (int w = 0; w < nw; w++) {
        split_job *j = &job[w];
        marks_free(&j->c);
        out_free(&j->c.out);
        out_free(&j->dout);
        if (j->tmp)
            fclose(j->tmp);
        if (j->rej)
            fclose(j->rej);
        free(j->dbuf);
        j->e.policy = NULL; /* ep's */
        engine_free(&j->e);
    }
    free(job);
    if (rc != -1)
        ep->in_label = input;
    return rc;
}
