/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reader.c -- long CSV evidence: the header (column mapping), each
 * record's fate (blank, empty, duplicate columns, rejected, taken), row
 * validation (ids, dates, scores, weights, status) and UTF-16 input. */
#include "engine_internal.h"

#include <mlg_policy.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* engine_find_target(), and *stored: the copy of the id kept in tids (for
 * take()'s one-entry cache; stable until the engine is freed). */
static int32_t find_target(engine *e, const char *id, size_t len, int *not_target,
                           const char **stored)
{
    *not_target = 0;
    int32_t t = strtab_find(&e->tids, id, len, stored);
    if (t >= 0)
        return t;
    if (!e->have_cat) {
        int added;
        t = strtab_intern(&e->tids, id, len, &added);
        *stored = e->tids.names[t];
        return t;
    }
    size_t tt;
    char *tmp = xmalloc(len + 1);
    memcpy(tmp, id, len);
    tmp[len] = '\0';
    int rc = mlg_catalogue_find_target(e->mcat, tmp, &tt);
    if (rc == MLG_OK) {
        *stored = strtab_put(&e->tids, id, len, (int32_t)tt);
        free(tmp);
        return (int32_t)tt;
    }
    if (rc == MLG_EINVAL)
        *not_target = 1;
    else if (rc == MLG_EDUPLICATE)
        *not_target = 2;
    free(tmp);
    return -1;
}

/* Evidence id -> target index; -1 unknown (reason in why), -2 not a leaf. */
int32_t engine_find_target(engine *e, const char *id, size_t len, int *not_target)
{
    const char *stored;
    return find_target(e, id, len, not_target, &stored);
}

/* A score given as a level label of the target's scale (E/B/D/I on TK,
 * C/S/R on behaviours, B/M/L on TK ELD, "3" on CCS): its level's value. */
static int letter_score(const mlg_scale *sc, const char *s, size_t n, double *out)
{
    char buf[MLG_LABEL_SIZE];
    int32_t lv;
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (mlg_scale_find_label(sc, buf, &lv) != MLG_OK)
        return 0;
    *out = sc->value[lv];
    return 1;
}

/* The status vocabulary is the library's (mlg_evidence_status_from_name). */
static int parse_status(const char *s, int16_t *st)
{
    int32_t v;
    if (mlg_evidence_status_from_name(s, &v) != MLG_OK)
        return -1;
    *st = (int16_t)v; /* MLG_EVIDENCE_*: 0 to 2 (ev_t keeps 16 bits) */
    return 0;
}

/* Validate and accept one evidence row given as text fields. */
int engine_take(engine *e, int64_t line, const char *sid, size_t slen, const char *tid,
                size_t tlen, const char *date, size_t dlen, const char *score, size_t sclen,
                const char *weight, size_t wlen, const char *status, const char *kind)
{
    ev_t ev;
    ev.line = line;
    ev.extra = e->row_extra;
    ev.kind = MLG_KIND_MARK;
    if (kind && !strcmp(kind, "level")) {
        ev.kind = MLG_KIND_LEVEL;
    } else if (kind && kind[0] && strcmp(kind, "mark")) {
        engine_reject(e, line, "unknown kind '%.40s' (mark, level)", kind);
        return EXIT_OK;
    }
    ev.weight = 1.0;
    ev.status = MLG_EVIDENCE_COUNTED;
    if (slen == 0) {
        engine_reject(e, line, "empty student_id");
        return EXIT_OK;
    }
    if (tlen == 0) {
        engine_reject(e, line, "empty target_id");
        return EXIT_OK;
    }
    int nt = 0;
    /* One-entry cache: the target of the previous row (grouped input
     * repeats it for 2 to 3 rows); last_tid is tids' own copy of the id. */
    if (e->last_tid && tlen == e->last_tlen && strtab_bytes_eq(tid, e->last_tid, tlen)) {
        ev.target = e->last_target;
    } else {
        const char *stored = NULL;
        ev.target = find_target(e, tid, tlen, &nt, &stored);
        if (ev.target >= 0) {
            e->last_tid = stored;
            e->last_tlen = tlen;
            e->last_target = ev.target;
        }
    }
    if (ev.target < 0) {
        engine_reject(e, line, "%s target '%.*s'",
                      nt == 1   ? "not a learning target (a domain or composite):"
                      : nt == 2 ? "ambiguous short id for"
                                : "unknown",
                      (int)tlen, tid);
        return EXIT_OK;
    }
    if (parse_date(date, dlen, &ev.day) != 0) {
        engine_reject(e, line, "bad date '%.*s' (want a real calendar date YYYY-MM-DD)",
                      (int)(dlen > 40 ? 40 : dlen), date);
        return EXIT_OK;
    }
    if (status && parse_status(status, &ev.status) != 0) {
        engine_reject(e, line, "unknown status '%.40s' (counted, excused, missing)", status);
        return EXIT_OK;
    }
    /* Scores are read on the target's own scale (a catalogue's per-node
     * scales: C/S/R behaviours beside 4..1 targets in one run). */
    const mlg_scale *tsc = engine_target_scale(e, ev.target);
    if (status && (!strcmp(status, "E") || !strcmp(status, "M"))) {
        /* On a scale with a level "E" (TK: Exploring) or "M" (TK ELD:
         * Middle) the one-letter status is ambiguous. */
        int32_t lv;
        if (mlg_scale_find_label(tsc, status, &lv) == MLG_OK) {
            engine_reject(e, line, "status '%s' is also a level of the scale %s: write %s",
                          status, tsc->id, status[0] == 'E' ? "excused" : "missing");
            return EXIT_OK;
        }
    }
    if (sclen == 0 && ev.status != MLG_EVIDENCE_COUNTED) {
        ev.score = NAN;
    } else {
        int rc = parse_double(score, sclen, &ev.score);
        if (rc == -1 && letter_score(tsc, score, sclen, &ev.score))
            rc = 0; /* a level label of the scale: E/B/D/I, C/S/R, B/M/L */
        if (rc != 0) {
            engine_reject(e, line, rc == -2 ? "score '%.*s' is NaN or infinite"
                                            : "score '%.*s' is not a number",
                          (int)(sclen > 40 ? 40 : sclen), score);
            return EXIT_OK;
        }
        if (ev.status == MLG_EVIDENCE_COUNTED &&
            (ev.score < tsc->score_min || ev.score > tsc->score_max)) {
            engine_reject(e, line, "score %.*s outside the scale %s [%g, %g]", (int)sclen, score,
                          tsc->id, tsc->score_min, tsc->score_max);
            return EXIT_OK;
        }
    }
    if (weight && wlen) {
        int rc = parse_double(weight, wlen, &ev.weight);
        if (rc != 0 || ev.weight < 0) {
            engine_reject(e, line, "weight '%.*s' is not a finite number >= 0",
                          (int)(wlen > 40 ? 40 : wlen), weight);
            return EXIT_OK;
        }
        if (ev.weight != 1.0)
            e->any_weight = 1;
    }
    if (ev.status != MLG_EVIDENCE_COUNTED)
        e->any_status = 1;
    if (ev.kind == MLG_KIND_LEVEL)
        e->any_level = e->any_status = 1; /* levels supersede through status */
    if (ev.day > e->day_max) {
        e->n_skipped++;
        return EXIT_OK;
    }
    return engine_accept(e, sid, slen, &ev);
}

/* 1 if every field of the record is empty. */
static int record_empty(const csv_reader *r)
{
    for (size_t k = 0; k < r->nfields; k++)
        if (r->flen[k])
            return 0;
    return 1;
}

int engine_read_csv(engine *e, FILE *f)
{
    e->dedup_rows = 1;
    csv_reader r;
    if (csv_open(&r, f, e->max_record) != 0)
        return EXIT_NOMEM;
    r.delim = e->delim;
    if (e->range_begin == 0 && e->range_end >= 0)
        r.limit = e->range_end;
    int rc = csv_next(&r);
    if (rc == CSV_EOF) {
        diag_at(e->in_label, 0, "empty input: no header line (want "
                                "student_id,target_id,assessed_at,score[,weight,status])");
        csv_close(&r);
        return EXIT_DATA;
    }
    if (rc != CSV_OK) {
        diag_at(e->in_label, r.rec_line, "%s", rc == CSV_BAD ? r.reason : "read error");
        csv_close(&r);
        return rc == CSV_IOERR ? EXIT_IO : EXIT_DATA;
    }
    enum { C_STUDENT, C_TARGET, C_DATE, C_SCORE, C_WEIGHT, C_STATUS, C_KIND, C_N };
    static const char *names[C_N] = {"student_id", "target_id", "assessed_at", "score",
                                     "weight",     "status",    "kind"};
    int col[C_N];
    for (int c = 0; c < C_N; c++)
        col[c] = -1;
    for (size_t k = 0; k < r.nfields; k++)
        for (int c = 0; c < C_N; c++)
            if (strcmp(r.field[k], e->col_name[c] ? e->col_name[c] : names[c]) == 0)
                col[c] = (int)k;
    if (col[C_DATE] < 0 && !e->col_name[C_DATE])
        for (size_t k = 0; k < r.nfields; k++)
            if (!strcmp(r.field[k], "date") || !strcmp(r.field[k], "day"))
                col[C_DATE] = (int)k;
    for (int c = 0; c < C_N; c++) {
        if (col[c] < 0 && (c < 4 || e->col_name[c])) {
            if (e->col_name[c])
                diag_at(e->in_label, r.rec_line,
                        "header has no column '%s' (named for %s by --columns)",
                        e->col_name[c], names[c]);
            else
                diag_at(e->in_label, r.rec_line,
                        "header has no column '%s' (want student_id,target_id,assessed_at,"
                        "score[,weight,status], or map yours with --columns "
                        "student_id=...,target_id=...)",
                        names[c]);
            csv_close(&r);
            return EXIT_DATA;
        }
    }
    size_t ncols = r.nfields;
    /* columns the evidence does not use (an assignment id, a comment) */
    size_t *extra = xmalloc((ncols ? ncols : 1) * sizeof *extra), n_extra = 0;
    for (size_t k = 0; k < ncols; k++) {
        int used = 0;
        for (int c = 0; c < C_N; c++)
            used |= col[c] == (int)k;
        if (!used)
            extra[n_extra++] = k;
    }
    int ret = EXIT_OK;
    int show = e->progress;
    int64_t total = -1, base = 0; /* input bytes, when known */
    struct stat st;
    if (show && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        base = e->range_begin > 0 ? e->range_begin : 0;
        total = (e->range_end >= 0 ? e->range_end : (int64_t)st.st_size) - base;
    }
    if (e->range_begin > 0) {
        if (fseeko(f, (off_t)e->range_begin, SEEK_SET) != 0) {
            diag_at(e->in_label, 0, "cannot seek: %s", strerror(errno));
            csv_close(&r);
            return EXIT_IO;
        }
        csv_restart(&r, e->range_end >= 0 ? e->range_end - e->range_begin : -1);
    }
    while ((rc = csv_next(&r)) != CSV_EOF) {
        e->n_read++;
        if (show && (e->n_read & 0xFFFF) == 0)
            engine_progress(e, r.pos0 >= 0 ? r.pos0 + (int64_t)r.start - base : -1, total, 0);
        if (rc == CSV_IOERR) {
            diag_at(e->in_label, r.line, "read error: %s", strerror(errno));
            e->n_rejected++; /* the row being read: read, not used */
            ret = EXIT_IO;
            break;
        }
        if (rc == CSV_FATAL) {
            diag_at(e->in_label, engine_abs_line(e, r.rec_line), "%s", r.reason);
            e->n_rejected++;
            ret = EXIT_DATA;
            break;
        }
        if (rc == CSV_BAD) {
            engine_reject(e, r.rec_line, "%s", r.reason);
            continue;
        }
        if (r.nfields != ncols) {
            if (r.nfields == 1 && r.flen[0] == 0) {
                e->n_skipped++; /* "\"\"" alone: an empty record */
                continue;
            }
            engine_reject(e, r.rec_line, "expected %zu fields, got %zu%s", ncols, r.nfields,
                          r.rec_end > r.rec_line ? " (the record spans several lines: a stray "
                                                   "quote?)"
                                                 : "");
            continue;
        }
        if (record_empty(&r)) {
            e->n_skipped++; /* a spreadsheet's empty row: ",,,," */
            continue;
        }
        if (n_extra) {
            /* FNV-1a over the columns not read, each with its length */
            uint64_t h = 1469598103934665603ull;
            for (size_t q = 0; q < n_extra; q++) {
                size_t k = extra[q], len = r.flen[k];
                for (size_t b = 0; b < sizeof len; b++)
                    h = (h ^ ((len >> (8 * b)) & 0xFF)) * 1099511628211ull;
                for (size_t b = 0; b < len; b++)
                    h = (h ^ (unsigned char)r.field[k][b]) * 1099511628211ull;
            }
            e->row_extra = h;
        }
        ret = engine_take(e, r.rec_line, r.field[col[C_STUDENT]], r.flen[col[C_STUDENT]],
                   r.field[col[C_TARGET]], r.flen[col[C_TARGET]], r.field[col[C_DATE]],
                   r.flen[col[C_DATE]], r.field[col[C_SCORE]], r.flen[col[C_SCORE]],
                   col[C_WEIGHT] >= 0 ? r.field[col[C_WEIGHT]] : NULL,
                   col[C_WEIGHT] >= 0 ? r.flen[col[C_WEIGHT]] : 0,
                   col[C_STATUS] >= 0 ? r.field[col[C_STATUS]] : NULL,
                   col[C_KIND] >= 0 ? r.field[col[C_KIND]] : NULL);
        if (ret != EXIT_OK)
            break;
    }
    if (show && ret == EXIT_OK)
        engine_progress(e, total, total, 1); /* the last state: 100% */
    free(extra);
    /* blank lines: read and skipped */
    e->n_read += r.blank;
    e->n_skipped += r.blank;
    csv_close(&r);
    if (ret == EXIT_OK)
        ret = engine_finish(e);
    return ret;
}

/* UTF-16 input with a byte-order mark (what spreadsheet programs save as
 * "Unicode text"): the rest of f converted to UTF-8 in a temporary file.
 * big: 1 for FE FF.  NULL after a diagnostic on bad UTF-16. */
FILE *engine_utf16_to_utf8(engine *e, FILE *f, int big)
{
    FILE *t = tmpfile();
    if (!t) {
        diag("cannot create a temporary file: %s", strerror(errno));
        return NULL;
    }
    int64_t unit = 1; /* after the BOM */
    for (;;) {
        int a = getc(f);
        if (a == EOF)
            break;
        int b = getc(f);
        if (b == EOF) {
            diag_at(e->in_label, 0, "UTF-16 input ends in half a character (byte %lld)",
                    (long long)(2 * unit));
            fclose(t);
            return NULL;
        }
        uint32_t c = big ? (uint32_t)(a << 8 | b) : (uint32_t)(b << 8 | a);
        if (c >= 0xD800 && c <= 0xDBFF) {
            int a2 = getc(f), b2 = getc(f);
            uint32_t lo = a2 == EOF || b2 == EOF ? 0
                          : big ? (uint32_t)(a2 << 8 | b2) : (uint32_t)(b2 << 8 | a2);
            if (lo < 0xDC00 || lo > 0xDFFF) {
                diag_at(e->in_label, 0, "invalid UTF-16: unpaired surrogate at byte %lld",
                        (long long)(2 * unit));
                fclose(t);
                return NULL;
            }
            c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
            unit++;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            diag_at(e->in_label, 0, "invalid UTF-16: unpaired surrogate at byte %lld",
                    (long long)(2 * unit));
            fclose(t);
            return NULL;
        }
        unit++;
        if (c < 0x80) {
            putc((int)c, t);
        } else if (c < 0x800) {
            putc((int)(0xC0 | c >> 6), t);
            putc((int)(0x80 | (c & 0x3F)), t);
        } else if (c < 0x10000) {
            putc((int)(0xE0 | c >> 12), t);
            putc((int)(0x80 | ((c >> 6) & 0x3F)), t);
            putc((int)(0x80 | (c & 0x3F)), t);
        } else {
            putc((int)(0xF0 | c >> 18), t);
            putc((int)(0x80 | ((c >> 12) & 0x3F)), t);
            putc((int)(0x80 | ((c >> 6) & 0x3F)), t);
            putc((int)(0x80 | (c & 0x3F)), t);
        }
    }
    if (ferror(f) || ferror(t) || fflush(t) != 0) {
        diag_at(e->in_label, 0, "read error: %s", strerror(errno));
        fclose(t);
        return NULL;
    }
    rewind(t);
    return t;
}

