/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reader_oneroster.c -- a OneRoster 1.2 CSV set (a directory; bundles are
 * extracted by bundle.c): mapping files, referential checks, results. */
#include "engine_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A small id -> list-of-strings multimap. */
typedef struct multimap {
    strtab   keys;
    int32_t *head;  /* per key: first entry or -1 */
    int32_t *tail;  /* per key: last entry (appends in O(1)) */
    size_t   hcap;
    int32_t *next;
    char   **val;
    char   **val2;  /* a second value column (NULL when none) */
    size_t   n, cap;
} multimap;

static void mm_init(multimap *m)
{
    memset(m, 0, sizeof *m);
    strtab_init(&m->keys);
}

static void mm_free(multimap *m)
{
    strtab_free(&m->keys);
    for (size_t i = 0; i < m->n; i++) {
        free(m->val[i]);
        free(m->val2[i]);
    }
    free(m->val);
    free(m->val2);
    free(m->next);
    free(m->head);
    free(m->tail);
}

static void mm_add(multimap *m, const char *k, const char *v, const char *v2)
{
    int added;
    int32_t ki = strtab_intern(&m->keys, k, strlen(k), &added);
    if ((size_t)ki >= m->hcap) {
        size_t old = m->hcap;
        m->hcap = m->hcap ? m->hcap * 2 : 256;
        while ((size_t)ki >= m->hcap)
            m->hcap *= 2;
        m->head = xrealloc(m->head, m->hcap * sizeof *m->head);
        m->tail = xrealloc(m->tail, m->hcap * sizeof *m->tail);
        for (size_t i = old; i < m->hcap; i++)
            m->head[i] = m->tail[i] = -1;
    }
    size_t cap0 = m->cap;
    GROW(m->val, m->cap, m->n + 1);
    if (m->cap != cap0) { /* grow the parallel arrays only with val */
        m->next = xrealloc(m->next, m->cap * sizeof *m->next);
        m->val2 = xrealloc(m->val2, m->cap * sizeof *m->val2);
    }
    m->val[m->n] = xstrdup(v);
    m->val2[m->n] = v2 && v2[0] ? xstrdup(v2) : NULL;
    /* append at the tail to keep file order */
    m->next[m->n] = -1;
    if (m->head[ki] < 0)
        m->head[ki] = (int32_t)m->n;
    else
        m->next[m->tail[ki]] = (int32_t)m->n;
    m->tail[ki] = (int32_t)m->n;
    m->n++;
}

static int32_t mm_first(const multimap *m, const char *k)
{
    int32_t ki = strtab_get(&m->keys, k, strlen(k));
    return ki < 0 ? -1 : m->head[ki];
}

static int col_of(const csv_reader *r, const char *name)
{
    for (size_t k = 0; k < r->nfields; k++)
        if (strcmp(r->field[k], name) == 0)
            return (int)k;
    return -1;
}

/* Load a mapping file of OneRoster set `dir` into m: key column -> value
 * column (and vcol2, when given and present, as the second value).  Rows
 * with `status` tobedeleted are left out (unless --keep-deleted), and so
 * are rows whose column `only_col` is not `only_val` (enrollments: role
 * student).  A malformed row is reported and ignored (one bad row does not
 * stop the run; *n_bad counts them).  A missing file: *present = 0 and
 * EXIT_OK.  A header without the columns: EXIT_DATA. */
static int load_map(engine *e, const char *dir, const char *file, const char *kcol,
                    const char *vcol, const char *vcol2, const char *only_col,
                    const char *only_val, multimap *m, int *present, int64_t *n_bad)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    *present = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return EXIT_OK;
    if (e->or_shown) /* name files inside a bundle as BUNDLE.zip:FILE */
        snprintf(path, sizeof path, "%s:%s", e->or_shown, file);
    *present = 1;
    csv_reader r;
    if (csv_open(&r, f, e->max_record) != 0) {
        fclose(f);
        return EXIT_NOMEM;
    }
    int rc = csv_next(&r);
    int kc = rc == CSV_OK ? col_of(&r, kcol) : -1, vc = rc == CSV_OK ? col_of(&r, vcol) : -1;
    int v2 = rc == CSV_OK && vcol2 ? col_of(&r, vcol2) : -1;
    int oc = rc == CSV_OK && only_col ? col_of(&r, only_col) : -1;
    int sc = rc == CSV_OK ? col_of(&r, "status") : -1;
    int ret = EXIT_OK;
    if (kc >= 0 && v2 < 0 && vcol2 && !strcmp(vcol2, "dueDate"))
        v2 = col_of(&r, "assignDate"); /* sets without dueDate */
    int v_empty = 0; /* lineItems.csv without classSourcedId: class unknown */
    if (kc >= 0 && vc < 0 && !strcmp(vcol, "classSourcedId")) {
        vc = kc;
        v_empty = 1;
    }
    if (kc < 0 || vc < 0) {
        diag_at(path, 1, "header must name the columns %s and %s", kcol, vcol);
        ret = EXIT_DATA;
    } else {
        size_t ncols = r.nfields;
        while ((rc = csv_next(&r)) != CSV_EOF) {
            if (rc == CSV_IOERR || rc == CSV_FATAL) {
                diag_at(path, r.rec_line, "%s", rc == CSV_IOERR ? "read error" : r.reason);
                ret = rc == CSV_IOERR ? EXIT_IO : EXIT_DATA;
                break;
            }
            if (rc != CSV_OK || r.nfields != ncols || !r.field[kc][0] || !r.field[vc][0]) {
                diag_at(path, r.rec_line, "%s (mapping row ignored)",
                        rc == CSV_BAD           ? r.reason
                        : r.nfields != ncols    ? "wrong number of fields"
                        : !r.field[kc][0]       ? "empty key"
                                                : "empty value");
                (*n_bad)++;
                continue;
            }
            if (sc >= 0 && !strcmp(r.field[sc], "tobedeleted") && !e->oneroster_keep_deleted)
                continue;
            if (oc >= 0 && strcmp(r.field[oc], only_val) != 0)
                continue;
            mm_add(m, r.field[kc], v_empty ? "" : r.field[vc], v2 >= 0 ? r.field[v2] : NULL);
        }
    }
    csv_close(&r);
    fclose(f);
    return ret;
}

/* Is (key, val) in m? */
static int mm_has(const multimap *m, const char *k, const char *v)
{
    for (int32_t i = mm_first(m, k); i >= 0; i = m->next[i])
        if (!strcmp(m->val[i], v))
            return 1;
    return 0;
}

int engine_read_oneroster(engine *e, const char *dir)
{
    enum { M_LI_LO, M_RES_LO, M_LI, M_USERS, M_CLASSES, M_ENROL, M_N };
    multimap mm[M_N];
    int present[M_N];
    for (int k = 0; k < M_N; k++)
        mm_init(&mm[k]);
    int64_t n_bad = 0;
    int ret = load_map(e, dir, "lineItemLearningObjectiveIds.csv", "lineItemSourcedId",
                       "learningObjectiveId", NULL, NULL, NULL, &mm[M_LI_LO],
                       &present[M_LI_LO], &n_bad);
    if (ret == EXIT_OK) /* per-objective scores in the second value */
        ret = load_map(e, dir, "resultLearningObjectiveIds.csv", "resultSourcedId",
                       "learningObjectiveId", "score", NULL, NULL, &mm[M_RES_LO],
                       &present[M_RES_LO], &n_bad);
    if (ret == EXIT_OK) /* line item -> its class, with its due date */
        ret = load_map(e, dir, "lineItems.csv", "sourcedId", "classSourcedId", "dueDate", NULL,
                       NULL, &mm[M_LI], &present[M_LI], &n_bad);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "users.csv", "sourcedId", "sourcedId", NULL, NULL, NULL,
                       &mm[M_USERS], &present[M_USERS], &n_bad);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "classes.csv", "sourcedId", "sourcedId", NULL, NULL, NULL,
                       &mm[M_CLASSES], &present[M_CLASSES], &n_bad);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "enrollments.csv", "userSourcedId", "classSourcedId", NULL,
                       "role", "student", &mm[M_ENROL], &present[M_ENROL], &n_bad);
    multimap man; /* manifest.csv: propertyName -> value */
    int man_present = 0;
    mm_init(&man);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "manifest.csv", "propertyName", "value", NULL, NULL, NULL, &man,
                       &man_present, &n_bad);
    if (ret == EXIT_OK && man_present) {
        int32_t v = mm_first(&man, "oneroster.version");
        if (v < 0 || strncmp(man.val[v], "1.2", 3) != 0)
            diag("%s: manifest.csv: oneroster.version is %s%s%s, not 1.2: read as 1.2",
                 e->or_shown ? e->or_shown : dir, v < 0 ? "missing" : "'",
                 v < 0 ? "" : man.val[v], v < 0 ? "" : "'");
        int32_t r = mm_first(&man, "file.results");
        if (r >= 0 && !strcmp(man.val[r], "absent")) {
            diag("%s: manifest.csv: file.results is absent: no results to read",
                 e->or_shown ? e->or_shown : dir);
            ret = EXIT_DATA;
        }
    }
    mm_free(&man);
    if (ret == EXIT_OK && !present[M_LI_LO] && !present[M_RES_LO]) {
        diag("%s: neither lineItemLearningObjectiveIds.csv nor resultLearningObjectiveIds.csv: "
             "cannot tell which learning target a result is evidence for",
             e->or_shown ? e->or_shown : dir);
        ret = EXIT_DATA;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    FILE *f = ret == EXIT_OK ? fopen(path, "rb") : NULL;
    if (e->or_shown)
        snprintf(path, sizeof path, "%s:results.csv", e->or_shown);
    if (ret == EXIT_OK && !f) {
        diag("%s: cannot open: %s", path, strerror(errno));
        ret = EXIT_IO;
    }
    csv_reader r;
    if (f && csv_open(&r, f, e->max_record) != 0)
        ret = EXIT_NOMEM;
    free(e->label_owned);
    e->label_owned = xstrdup(path);
    e->in_label = e->label_owned;
    e->unsorted = 1; /* results are ordered by line item, not by student */
    strtab seen;     /* result sourcedId -> its line */
    strtab_init(&seen);
    if (ret == EXIT_OK) {
        int rc = csv_next(&r);
        int c_id = col_of(&r, "sourcedId"), c_st = col_of(&r, "status"),
            c_li = col_of(&r, "lineItemSourcedId"), c_stu = col_of(&r, "studentSourcedId"),
            c_ss = col_of(&r, "scoreStatus"), c_sc = col_of(&r, "score"),
            c_dt = col_of(&r, "scoreDate"), c_cl = col_of(&r, "classSourcedId"),
            c_miss = col_of(&r, "missing");
        if (rc != CSV_OK || c_id < 0 || c_li < 0 || c_stu < 0 || c_sc < 0) {
            diag_at(path, 1, "header must name sourcedId, lineItemSourcedId, studentSourcedId "
                             "and score (OneRoster 1.2 results.csv)");
            ret = EXIT_DATA;
        }
        size_t ncols = r.nfields;
        while (ret == EXIT_OK && (rc = csv_next(&r)) != CSV_EOF) {
            e->n_read++;
            if (rc == CSV_IOERR || rc == CSV_FATAL) {
                diag_at(path, r.rec_line, "%s", rc == CSV_IOERR ? "read error" : r.reason);
                e->n_rejected++;
                ret = rc == CSV_IOERR ? EXIT_IO : EXIT_DATA;
                break;
            }
            if (rc == CSV_BAD) {
                engine_reject(e, r.rec_line, "%s", r.reason);
                continue;
            }
            if (r.nfields != ncols) {
                engine_reject(e, r.rec_line, "expected %zu fields, got %zu", ncols, r.nfields);
                continue;
            }
            const char *st = c_st >= 0 ? r.field[c_st] : "";
            if (!strcmp(st, "tobedeleted") && !e->oneroster_keep_deleted) {
                e->n_skipped++;
                continue;
            }
            if (st[0] && strcmp(st, "active") && strcmp(st, "tobedeleted")) {
                engine_reject(e, r.rec_line, "status '%.40s' is not active or tobedeleted", st);
                continue;
            }
            const char *rid = r.field[c_id], *li = r.field[c_li], *stu = r.field[c_stu];
            if (!rid[0]) {
                engine_reject(e, r.rec_line, "empty sourcedId");
                continue;
            }
            int32_t first = strtab_get(&seen, rid, strlen(rid));
            if (first >= 0 && e->duplicates != DUP_KEEP) {
                if (e->duplicates == DUP_ERROR) {
                    engine_reject(e, r.rec_line, "sourcedId '%s' again (first on line %d)", rid,
                                  first);
                } else {
                    e->n_skipped++;
                    if (++e->n_duplicates <= SHOW_REJECTS)
                        diag_at(path, r.rec_line,
                                "sourcedId '%s' again (first on line %d): skipped (see "
                                "--duplicates)",
                                rid, first);
                }
                continue;
            }
            if (first < 0)
                strtab_put(&seen, rid, strlen(rid), (int32_t)r.rec_line);
            /* referential checks, each only when its file is in the set */
            int32_t lirow = mm_first(&mm[M_LI], li);
            if (present[M_LI] && lirow < 0) {
                engine_reject(e, r.rec_line, "lineItemSourcedId '%s' is not in lineItems.csv",
                              li);
                continue;
            }
            if (present[M_USERS] && mm_first(&mm[M_USERS], stu) < 0) {
                engine_reject(e, r.rec_line, "studentSourcedId '%s' is not in users.csv", stu);
                continue;
            }
            const char *cls = c_cl >= 0 && r.field[c_cl][0] ? r.field[c_cl]
                              : lirow >= 0                  ? mm[M_LI].val[lirow]
                                                            : "";
            if (cls[0] && present[M_CLASSES] && mm_first(&mm[M_CLASSES], cls) < 0) {
                engine_reject(e, r.rec_line, "class '%s' is not in classes.csv", cls);
                continue;
            }
            if (cls[0] && present[M_ENROL] && !mm_has(&mm[M_ENROL], stu, cls)) {
                engine_reject(e, r.rec_line,
                              "student '%s' is not enrolled in class '%s' (enrollments.csv)", stu,
                              cls);
                continue;
            }
            const char *ss = c_ss >= 0 ? r.field[c_ss] : "";
            const char *status = "counted";
            if (!strcmp(ss, "exempt")) {
                if (!e->oneroster_exempt) {
                    e->n_skipped++;
                    continue;
                }
                status = "excused";
            } else if (!strcmp(ss, "not submitted")) {
                status = "missing";
            } else if (ss[0] && strcmp(ss, "fully graded") && strcmp(ss, "submitted") &&
                       strcmp(ss, "partially graded")) {
                engine_reject(e, r.rec_line, "unknown scoreStatus '%.40s'", ss);
                continue;
            }
            const char *miss = c_miss >= 0 ? r.field[c_miss] : "";
            if (!strcmp(miss, "true")) {
                if (strcmp(status, "excused") != 0)
                    status = "missing"; /* OneRoster 1.2: the work is missing */
            } else if (miss[0] && strcmp(miss, "false") != 0) {
                engine_reject(e, r.rec_line, "missing '%.40s' is not true or false", miss);
                continue;
            }
            const char *date = c_dt >= 0 ? r.field[c_dt] : "";
            if (!date[0] && lirow >= 0 && mm[M_LI].val2[lirow])
                date = mm[M_LI].val2[lirow];
            if (!date[0]) {
                engine_reject(e, r.rec_line, "no scoreDate and no lineItem dueDate");
                continue;
            }
            int32_t lo = mm_first(&mm[M_RES_LO], rid);
            multimap *src = &mm[M_RES_LO];
            if (lo < 0) {
                lo = mm_first(&mm[M_LI_LO], li);
                src = &mm[M_LI_LO];
            }
            if (lo < 0) {
                engine_reject(e, r.rec_line,
                              "result '%s' has no learning objective (neither in "
                              "resultLearningObjectiveIds.csv nor, for line item '%s', in "
                              "lineItemLearningObjectiveIds.csv)",
                              rid, li);
                continue;
            }
            /* one evidence row per learning objective; all or nothing */
            int bad = 0;
            for (int32_t k = lo; k >= 0; k = src->next[k]) {
                int nt;
                if (engine_find_target(e, src->val[k], strlen(src->val[k]), &nt) < 0) {
                    engine_reject(e, r.rec_line, "unknown target '%s'", src->val[k]);
                    bad = 1;
                    break;
                }
            }
            if (bad)
                continue;
            int64_t before_rej = e->n_rejected, before_used = e->n_used,
                    before_skip = e->n_skipped;
            size_t before_rows = e->nrows;
            for (int32_t k = lo; k >= 0 && e->n_rejected == before_rej; k = src->next[k]) {
                /* resultLearningObjectiveIds' own score, else the result's */
                const char *sc = src->val2[k] ? src->val2[k] : r.field[c_sc];
                ret = engine_take(e, r.rec_line, stu, strlen(stu), src->val[k], strlen(src->val[k]),
                           date, strlen(date), sc, strlen(sc), NULL, 0, status, NULL);
                if (ret != EXIT_OK)
                    break;
            }
            /* a result counts once, however many objectives it feeds:
             * rejected (and none of its rows kept), skipped by --until, or
             * used */
            int used = e->n_used > before_used, until = e->n_skipped > before_skip;
            e->n_used = before_used;
            e->n_skipped = before_skip;
            if (e->n_rejected != before_rej) {
                e->n_rejected = before_rej + 1;
                e->nrows = before_rows; /* all or nothing (rows are only
                                           appended here: unsorted mode) */
            } else if (!used && until) {
                e->n_skipped++;
            } else {
                e->n_used++;
            }
        }
        e->n_read += r.blank;
        e->n_skipped += r.blank;
        if (f)
            csv_close(&r);
    }
    if (f)
        fclose(f);
    strtab_free(&seen);
    for (int k = 0; k < M_N; k++)
        mm_free(&mm[k]);
    if (n_bad)
        diag("%s: %lld mapping rows ignored (see above)", e->or_shown ? e->or_shown : dir,
             (long long)n_bad);
    if (ret == EXIT_OK)
        ret = engine_finish(e);
    return ret;
}

