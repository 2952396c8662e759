/* compute.c -- `mlg compute`: evidence + catalogue -> marks. */
#include "cli.h"
#include "engine.h"
#include "outfile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>

static const char usage_compute[] =
    "usage: mlg compute [EVIDENCE] [OPTIONS]\n"
    "\n"
    "Compute every student's marks: learning targets from their evidence with a\n"
    "method, then domains and composites with the catalogue's roll-up rules.\n"
    "\n"
    "EVIDENCE is a long CSV (header student_id,target_id,assessed_at,score and\n"
    "optionally weight,status; - or nothing = stdin) or a OneRoster 1.2 CSV\n"
    "directory (results.csv plus resultLearningObjectiveIds.csv and/or\n"
    "lineItemLearningObjectiveIds.csv, lineItems.csv for due dates).\n"
    "\n"
    "options:\n"
    "  -c, --catalogue FILE  targets/domains/composites: CSV id,parent,label,rule,\n"
    "                        weight,na_allowed or a CASE 1.1 CFPackage (.json).\n"
    "                        Without one, every target id is accepted and only\n"
    "                        target marks are written\n"
    "  -m, --method NAME     method or preset (default decaying_average); see\n"
    "                        `mlg score --all` for the list\n"
    "  --PARAM VALUE         method parameter: --n --tie --missing --weight\n"
    "                        --mastery --half_life_days --as_of --rounding\n"
    "                        --decimals --log_shift\n"
    "  --scale NAME          ccs4 (default), tk, eld4, tk_eld, behavior\n"
    "  -f, --format FMT      csv (default), json, jsonl, report (text for people),\n"
    "                        oneroster (results.csv + resultLearningObjectiveIds.csv\n"
    "                        + lineItems.csv into the directory given by -o)\n"
    "  -o, --output PATH     output file (directory for oneroster); default stdout\n"
    "  --kinds LIST          write only these kinds: target,domain,composite\n"
    "  --until DATE          ignore evidence dated after DATE (counted as skipped)\n"
    "  --rejects FILE        write every rejected row as CSV file,line,reason\n"
    "  --strict              stop with status 1 at the first rejected row\n"
    "  --unsorted            input not grouped by student: load it all (memory\n"
    "                        about 40 bytes per row); OneRoster input always is\n"
    "  --threads N           worker threads for the batch (0 = all cores)\n"
    "  --parallel            read a large (>= 64 MiB) sorted regular file in\n"
    "                        --threads byte ranges at once (same output; the\n"
    "                        later ranges are staged in temporary files)\n"
    "  --progress            progress line on stderr (default when it is a tty)\n"
    "  --no-progress         never show it\n"
    "  --max-record BYTES    longest accepted CSV record (default 1048576)\n"
    "  --no-neutralise       do not prefix ids starting with = + - @ with '\n"
    "  --keep-deleted        OneRoster: use rows with status tobedeleted\n"
    "  --skip-exempt         OneRoster: skip exempt results (default: excused)\n"
    "  -h, --help            this help\n"
    "\n"
    "Every row is used, skipped by an option, or rejected with its line and\n"
    "reason; stderr ends with 'read = used + rejected'.  Exit status 0, or 3\n"
    "when rows were rejected (1 under --strict); see docs/cli.md.\n";

typedef struct cstate {
    int      format;
    int      neutralise;
    int      kinds;      /* bit mask of 1 << KIND_* */
    out_t    out;        /* results.csv for oneroster */
    out_t    lo;         /* resultLearningObjectiveIds.csv */
    int      first;      /* JSON: no mark written yet */
    int64_t  marks;
    const char *method;
    const char *out_path;
} cstate;

static const char *level_label(const engine *e, int32_t level)
{
    return level == MLG_LEVEL_NA ? "N/A" : e->scale.label[level];
}

static void flags_text(char *buf, size_t size, int32_t f)
{
    buf[0] = '\0';
    static const struct { int32_t bit; const char *name; } fl[] = {
        {MLG_NODE_NA, "na"},
        {MLG_NODE_VIOLATION, "na_not_allowed"},
        {MLG_NODE_PARTIAL, "partial"},
        {MLG_NODE_GAP, "gap"},
        {MLG_NODE_BELOW_VIOLATION, "below_na_not_allowed"},
    };
    for (size_t k = 0; k < sizeof fl / sizeof fl[0]; k++) {
        if (f & fl[k].bit) {
            if (buf[0])
                strncat(buf, "|", size - strlen(buf) - 1);
            strncat(buf, fl[k].name, size - strlen(buf) - 1);
        }
    }
}

static void write_mark(engine *e, cstate *c, const char *student, const char *id,
                       const char *label, int32_t kind, double value, int32_t level, int64_t n,
                       int32_t flags, int32_t last_day)
{
    if (!(c->kinds & (1 << kind)))
        return;
    out_t *o = &c->out;
    int dec = e->params.decimals;
    char fbuf[96];
    flags_text(fbuf, sizeof fbuf, flags);
    c->marks++;
    switch (c->format) {
    case FMT_CSV:
        out_csv(o, student, c->neutralise);
        out_ch(o, ',');
        out_csv(o, id, c->neutralise);
        out_ch(o, ',');
        out_str(o, kind_name(kind));
        out_ch(o, ',');
        out_csv(o, label, c->neutralise);
        out_ch(o, ',');
        out_num(o, value, dec);
        out_ch(o, ',');
        out_csv(o, level_label(e, level), 0);
        out_ch(o, ',');
        out_i64(o, n);
        out_ch(o, ',');
        out_str(o, fbuf);
        out_ch(o, '\n');
        break;
    case FMT_JSON:
    case FMT_JSONL:
        if (c->format == FMT_JSON)
            out_str(o, c->first ? "\n  " : ",\n  ");
        c->first = 0;
        out_str(o, "{\"student_id\":");
        out_json_str(o, student);
        out_str(o, ",\"id\":");
        out_json_str(o, id);
        out_str(o, ",\"kind\":\"");
        out_str(o, kind_name(kind));
        out_str(o, "\",\"label\":");
        out_json_str(o, label);
        out_str(o, ",\"value\":");
        if (!isfinite(value))
            out_str(o, "null");
        else
            out_num(o, value, dec);
        out_str(o, ",\"level\":");
        if (level == MLG_LEVEL_NA)
            out_str(o, "null");
        else
            out_json_str(o, level_label(e, level));
        out_str(o, ",\"n\":");
        out_i64(o, n);
        out_str(o, ",\"flags\":");
        out_json_str(o, fbuf);
        out_ch(o, '}');
        if (c->format == FMT_JSONL)
            out_ch(o, '\n');
        break;
    case FMT_ONEROSTER: {
        char date[16];
        day_to_iso(last_day, date);
        /* sourcedId: student:node, unique per result */
        size_t sl = strlen(student) + strlen(id) + 2;
        char *sid = xmalloc(sl);
        snprintf(sid, sl, "%s:%s", student, id);
        out_csv(o, sid, c->neutralise);
        out_str(o, ",active,");
        out_str(o, date);
        out_str(o, "T00:00:00Z,");
        out_csv(o, id, c->neutralise);
        out_ch(o, ',');
        out_csv(o, student, c->neutralise);
        out_ch(o, ',');
        out_str(o, level == MLG_LEVEL_NA ? "exempt," : "fully graded,");
        out_num(o, value, dec);
        out_ch(o, ',');
        out_csv(o, level_label(e, level), 0);
        out_ch(o, ',');
        out_str(o, date);
        out_ch(o, ',');
        out_csv(o, fbuf, 0);
        out_ch(o, '\n');
        out_csv(&c->lo, sid, c->neutralise);
        out_str(&c->lo, ",local,");
        out_csv(&c->lo, id, c->neutralise);
        out_ch(&c->lo, '\n');
        free(sid);
        break;
    }
    case FMT_TEXT: {
        char line[512];
        int depth = 0;
        const char *indent = "";
        if (e->have_cat) {
            int32_t node = -1;
            for (int32_t k = 0; k < (int32_t)e->cat.n; k++)
                if (e->cat.node[k].id == id)
                    node = k;
            if (node >= 0)
                depth = e->cat.node[node].depth;
        }
        indent = depth == 0 ? "  " : depth == 1 ? "    " : "      ";
        char val[32] = "";
        if (!isnan(value))
            snprintf(val, sizeof val, "%.2f", value);
        snprintf(line, sizeof line, "%s%-*.*s %-42.42s %4s %6s %4lld  %s\n", indent,
                 18 - (int)strlen(indent) + 2, 18 - (int)strlen(indent) + 2, id, label,
                 level_label(e, level), val, (long long)n, fbuf);
        out_str(o, line);
        break;
    }
    }
}

static void on_student(engine *e, int32_t s, const ev_t *rows, size_t nrows, const double *tv,
                       const int32_t *tl, const int32_t *tn, const double *nv,
                       const int32_t *nl, const int32_t *nf)
{
    cstate *c = e->user;
    const char *sid = engine_student_id(e, s);
    int32_t last_day = INT32_MIN;
    for (size_t i = 0; i < nrows; i++)
        if (rows[i].day > last_day)
            last_day = rows[i].day;
    if (c->format == FMT_TEXT) {
        out_str(&c->out, "Student ");
        out_str(&c->out, sid);
        out_str(&c->out, "\n");
    }
    if (e->have_cat) {
        /* evidence counts per node: each target's used rows, summed upward */
        int64_t *cnt = xcalloc(e->N, sizeof *cnt);
        for (size_t t = 0; t < e->T; t++)
            for (int32_t k = e->t2node[t]; k >= 0; k = e->cat.node[k].parent_idx)
                cnt[k] += tn[t];
        for (size_t k = 0; k < e->N; k++) {
            const cat_node *nd = &e->cat.node[k];
            write_mark(e, c, sid, nd->id, nd->label, nd->kind, nv[k], nl[k], cnt[k], nf[k],
                       last_day);
        }
        free(cnt);
    } else {
        /* targets in the order of the student's rows (grouped by target) */
        for (size_t i = 0; i < nrows; i++) {
            if (i > 0 && rows[i].target == rows[i - 1].target)
                continue;
            int32_t t = rows[i].target;
            write_mark(e, c, sid, engine_target_id(e, t), "", KIND_TARGET, tv[t], tl[t], tn[t],
                       isnan(tv[t]) ? MLG_NODE_NA : 0, last_day);
        }
    }
    if (c->format == FMT_TEXT)
        out_ch(&c->out, '\n');
    if (c->out.err)
        check_write_errors(&c->out, c->out_path ? c->out_path : "stdout");
}

static int parse_kinds(const char *s)
{
    int k = 0;
    char *d = xstrdup(s);
    for (char *t = strtok(d, ","); t; t = strtok(NULL, ","))
        k |= !strcmp(t, "target") ? 1 << KIND_TARGET
             : !strcmp(t, "domain") ? 1 << KIND_DOMAIN
             : !strcmp(t, "composite") ? 1 << KIND_COMPOSITE
                                       : 1 << 8;
    free(d);
    return k;
}

/* ------------------------------------------------------ parallel read -- */
/* A large regular file of sorted evidence is cut into one byte range per
 * worker, at student boundaries, and each range is read and computed by its
 * own engine; worker 0 writes straight to the output, the others to
 * temporary files copied after it in order.  Used only when it cannot change
 * the result: CSV, JSON Lines or report output, grouped input, and no quote
 * character within --max-record bytes of a cut (so no quoted field can span
 * it).  Otherwise, and on any doubt, the file is read by one engine. */
#define SPLIT_MAX_WORKERS 16

typedef struct split_job {
    pthread_t tid;
    engine    e;
    cstate    c;
    const char *path;
    int64_t   begin, end;
    FILE     *tmp;
    int       rc;
} split_job;

static void *split_worker(void *arg)
{
    split_job *j = arg;
    j->rc = engine_read_range(&j->e, j->path, j->begin, j->end);
    out_flush(&j->c.out);
    if (j->c.out.err && j->rc == EXIT_OK)
        j->rc = EXIT_IO;
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

/* Returns -1 when the file is not split (the caller reads it normally),
 * else an exit code. */
static int read_split(engine *ep, cstate *c, const char *input, const char *cat_path,
                      int64_t split_min)
{
    struct stat st;
    if (!strcmp(input, "-") || stat(input, &st) != 0 || !S_ISREG(st.st_mode) ||
        split_min < 0 || st.st_size < split_min || ep->unsorted || ep->threads == 1 ||
        !(c->format == FMT_CSV || c->format == FMT_JSONL || c->format == FMT_TEXT))
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
    split_job *job = xcalloc((size_t)nw, sizeof *job);
    int rc = EXIT_OK;
    out_flush(&c->out);
    for (int w = 0; w < nw && rc == EXIT_OK; w++) {
        split_job *j = &job[w];
        engine_init(&j->e);
        j->e.scale = ep->scale;
        j->e.params = ep->params;
        j->e.threads = 1;
        j->e.strict = ep->strict;
        j->e.max_record = ep->max_record;
        j->e.day_max = ep->day_max;
        j->e.rejects = ep->rejects;
        j->e.on_student = ep->on_student;
        j->c = *c;
        j->c.first = w == 0 ? c->first : 0;
        j->c.marks = 0;
        j->e.user = &j->c;
        j->path = input;
        j->begin = cut[w];
        j->end = cut[w + 1];
        if (cat_path)
            rc = engine_load_catalogue(&j->e, cat_path);
        if (rc == EXIT_OK)
            rc = engine_prepare(&j->e);
        if (w > 0) {
            j->tmp = tmpfile();
            if (!j->tmp) {
                diag("cannot create a temporary file: %s", strerror(errno));
                rc = EXIT_IO;
                break;
            }
            out_init(&j->c.out, j->tmp);
        } else {
            out_init(&j->c.out, c->out.f);
        }
    }
    int started = 0;
    if (rc == EXIT_OK) {
        for (; started < nw; started++)
            if (pthread_create(&job[started].tid, NULL, split_worker, &job[started]) != 0)
                break;
        for (int w = 0; w < started; w++)
            pthread_join(job[w].tid, NULL);
        if (started < nw) {
            diag("cannot start a thread");
            rc = EXIT_INTERNAL;
        }
    }
    for (int w = 0; w < started && rc == EXIT_OK; w++)
        if (job[w].rc != EXIT_OK)
            rc = job[w].rc;
    /* the output in order: worker 0 wrote directly; append the others */
    for (int w = 1; w < started && rc == EXIT_OK; w++) {
        char buf[1 << 16];
        size_t got;
        rewind(job[w].tmp);
        while ((got = fread(buf, 1, sizeof buf, job[w].tmp)) > 0)
            out_mem(&c->out, buf, got);
        out_flush(&c->out);
    }
    /* a student in two ranges means the input was not grouped by student */
    for (int w = 1; w < started && rc == EXIT_OK; w++)
        for (size_t q = 0; q < job[w].e.students.n && rc == EXIT_OK; q++)
            for (int v = 0; v < w; v++) {
                const char *id = job[w].e.students.names[q];
                if (strtab_get(&job[v].e.students, id, strlen(id)) >= 0) {
                    diag_at(input, 0,
                            "student '%s' appears again after other students: the input "
                            "is not grouped by student; sort it or use --unsorted", id);
                    rc = EXIT_DATA;
                    break;
                }
            }
    for (int w = 0; w < nw; w++) {
        ep->n_read += job[w].e.n_read;
        ep->n_used += job[w].e.n_used;
        ep->n_rejected += job[w].e.n_rejected;
        ep->n_skipped += job[w].e.n_skipped;
        ep->n_shown += job[w].e.n_shown;
        ep->n_students_done += job[w].e.n_students_done;
        c->marks += job[w].c.marks;
        if (w > 0 && job[w].tmp) {
            fclose(job[w].tmp);
            out_free(&job[w].c.out);
        } else if (w == 0) {
            out_free(&job[w].c.out);
        }
        engine_free(&job[w].e);
    }
    free(job);
    ep->in_label = input;
    return rc;
}

static int cmd_compute_main(engine *ep, int argc, char **argv)
{
    cstate c;
    memset(&c, 0, sizeof c);
    c.neutralise = 1;
    c.kinds = 7;
    c.first = 1;
    c.method = "decaying_average";
    const char *input = NULL, *cat_path = NULL, *rejects = NULL, *val;
    const char *pkeys[64], *pvals[64];
    size_t np = 0;
    int progress = isatty(2) ? 1 : 0;
    int64_t split_min = -1; /* off unless --parallel */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_compute, stdout);
            return EXIT_OK;
        } else if (opt_val(argc, argv, &i, "--catalogue", &val) ||
                   opt_val(argc, argv, &i, "--catalog", &val) ||
                   opt_val(argc, argv, &i, "-c", &val)) {
            cat_path = val;
        } else if (opt_val(argc, argv, &i, "--method", &val) ||
                   opt_val(argc, argv, &i, "--preset", &val) ||
                   opt_val(argc, argv, &i, "-m", &val)) {
            c.method = val;
        } else if (opt_val(argc, argv, &i, "--scale", &val)) {
            if (mlg_scale_from_name(val, &ep->scale) != MLG_OK) {
                diag("unknown scale '%s' (ccs4, tk, eld4, tk_eld, behavior)", val);
                return EXIT_USAGE;
            }
        } else if (opt_val(argc, argv, &i, "--format", &val) ||
                   opt_val(argc, argv, &i, "-f", &val)) {
            c.format = !strcmp(val, "csv")         ? FMT_CSV
                       : !strcmp(val, "json")      ? FMT_JSON
                       : !strcmp(val, "jsonl")     ? FMT_JSONL
                       : !strcmp(val, "oneroster") ? FMT_ONEROSTER
                       : !strcmp(val, "report")    ? FMT_TEXT
                                                   : -1;
            if (c.format < 0) {
                diag("unknown format '%s' (csv, json, jsonl, report, oneroster)", val);
                return EXIT_USAGE;
            }
        } else if (opt_val(argc, argv, &i, "--output", &val) ||
                   opt_val(argc, argv, &i, "-o", &val)) {
            c.out_path = val;
        } else if (opt_val(argc, argv, &i, "--kinds", &val)) {
            c.kinds = parse_kinds(val);
            if (c.kinds & (1 << 8) || !c.kinds) {
                diag("--kinds: want a list of target, domain, composite");
                return EXIT_USAGE;
            }
        } else if (opt_val(argc, argv, &i, "--until", &val)) {
            if (parse_date(val, strlen(val), &ep->day_max) != 0) {
                diag("--until: '%s' is not a date YYYY-MM-DD", val);
                return EXIT_USAGE;
            }
        } else if (opt_val(argc, argv, &i, "--rejects", &val)) {
            rejects = val;
        } else if (!strcmp(a, "--strict")) {
            ep->strict = 1;
        } else if (!strcmp(a, "--unsorted")) {
            ep->unsorted = 1;
        } else if (!strcmp(a, "--progress")) {
            progress = 1;
        } else if (!strcmp(a, "--no-progress")) {
            progress = 0;
        } else if (!strcmp(a, "--no-neutralise") || !strcmp(a, "--no-neutralize")) {
            c.neutralise = 0;
        } else if (!strcmp(a, "--keep-deleted")) {
            ep->oneroster_keep_deleted = 1;
        } else if (!strcmp(a, "--skip-exempt")) {
            ep->oneroster_exempt = 0;
        } else if (opt_val(argc, argv, &i, "--threads", &val)) {
            char *end;
            long t = strtol(val, &end, 10);
            if (*end || t < 0 || t > 1024) {
                diag("--threads: want a count 0..1024, got '%s'", val);
                return EXIT_USAGE;
            }
            ep->threads = (int32_t)t;
        } else if (!strcmp(a, "--parallel")) {
            if (split_min < 0)
                split_min = (int64_t)64 << 20;
        } else if (opt_val(argc, argv, &i, "--split-min-bytes", &val)) {
            /* undocumented: lets the tests exercise the parallel reader */
            split_min = strtoll(val, NULL, 10);
        } else if (opt_val(argc, argv, &i, "--max-record", &val)) {
            char *end;
            long long m = strtoll(val, &end, 10);
            if (*end || m < 64 || m > (1LL << 30)) {
                diag("--max-record: want 64..1073741824 bytes, got '%s'", val);
                return EXIT_USAGE;
            }
            ep->max_record = (size_t)m;
        } else if (a[0] == '-' && a[1] == '-' && a[2]) {
            const char *key = method_param_key(a);
            if (!key || np == 64) {
                diag("unknown option %s (see mlg compute --help)", a);
                return EXIT_USAGE;
            }
            if (i + 1 >= argc) {
                diag("option %s needs a value", a);
                return EXIT_USAGE;
            }
            pkeys[np] = key;
            pvals[np++] = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            diag("unknown option %s (see mlg compute --help)", a);
            return EXIT_USAGE;
        } else if (!input) {
            input = a;
        } else {
            diag("more than one input ('%s' and '%s')", input, a);
            return EXIT_USAGE;
        }
    }
    if (!input)
        input = "-";
    if (method_or_preset(c.method, &ep->params) != 0)
        return EXIT_USAGE;
    for (size_t k = 0; k < np; k++)
        if (method_param(&ep->params, pkeys[k], pvals[k]) < 0)
            return EXIT_USAGE;
    if (c.format == FMT_ONEROSTER && (!c.out_path || !strcmp(c.out_path, "-"))) {
        diag("--format oneroster writes a directory: give it with -o DIR");
        return EXIT_USAGE;
    }
    ep->progress = progress;
    if (cat_path) {
        int rc = engine_load_catalogue(ep, cat_path);
        if (rc != EXIT_OK)
            return rc;
    }
    int rc = engine_prepare(ep);
    if (rc != EXIT_OK)
        return rc;
    /* Every output goes to a temporary file renamed into place on success
     * (outfile.h); none may name an input or another output. */
    outfile rej_f, out_f, lo_f, li_f;
    memset(&rej_f, 0, sizeof rej_f);
    memset(&lo_f, 0, sizeof lo_f);
    memset(&li_f, 0, sizeof li_f);
    const char *ins[3] = {input, cat_path, c.format == FMT_ONEROSTER ? NULL : c.out_path};
    if (rejects) {
        rc = outfile_open(&rej_f, rejects, ins, 3);
        if (rc != EXIT_OK)
            return rc;
        ep->rejects = rej_f.f;
        fputs("file,line,reason\n", ep->rejects);
    }
    if (c.format == FMT_ONEROSTER) {
        if (mkdir(c.out_path, 0777) != 0 && errno != EEXIST) {
            diag("%s: cannot create directory: %s", c.out_path, strerror(errno));
            outfile_abort(&rej_f);
            return EXIT_IO;
        }
        char p[4096];
        snprintf(p, sizeof p, "%s/results.csv", c.out_path);
        rc = outfile_open(&out_f, p, ins, 2);
        snprintf(p, sizeof p, "%s/resultLearningObjectiveIds.csv", c.out_path);
        if (rc == EXIT_OK)
            rc = outfile_open(&lo_f, p, ins, 2);
        snprintf(p, sizeof p, "%s/lineItems.csv", c.out_path);
        if (rc == EXIT_OK)
            rc = outfile_open(&li_f, p, ins, 2);
        if (rc == EXIT_OK) {
            out_init(&c.lo, lo_f.f);
            out_str(&c.lo, "resultSourcedId,source,learningObjectiveId\n");
        }
    } else {
        rc = outfile_open(&out_f, c.out_path, ins, 2);
    }
    if (rc != EXIT_OK) {
        outfile_abort(&rej_f);
        outfile_abort(&out_f);
        outfile_abort(&lo_f);
        return rc;
    }
    FILE *of = out_f.f;
    out_init(&c.out, of);
    switch (c.format) {
    case FMT_CSV:
        out_str(&c.out, "student_id,id,kind,label,value,level,n,flags\n");
        break;
    case FMT_JSON:
        out_str(&c.out, "{\"method\":");
        out_json_str(&c.out, c.method);
        out_str(&c.out, ",\"marks\":[");
        break;
    case FMT_ONEROSTER:
        out_str(&c.out, "sourcedId,status,dateLastModified,lineItemSourcedId,"
                        "studentSourcedId,scoreStatus,score,textScore,scoreDate,comment\n");
        break;
    case FMT_TEXT:
        out_str(&c.out, "Progress report: method ");
        out_str(&c.out, c.method);
        out_str(&c.out, ", scale ");
        out_str(&c.out, ep->scale.id);
        out_str(&c.out, "\n(level, value, evidence used, notes)\n\n");
        break;
    }
    ep->on_student = on_student;
    ep->user = &c;
    ep->t0 = now_seconds();
    rc = read_split(ep, &c, input, cat_path, split_min);
    if (rc < 0)
        rc = engine_read(ep, input);
    if (rc == EXIT_OK && c.format == FMT_JSON) {
        char tail[256];
        snprintf(tail, sizeof tail,
                 "\n],\"summary\":{\"read\":%lld,\"used\":%lld,\"skipped\":%lld,"
                 "\"rejected\":%lld}}\n",
                 (long long)ep->n_read, (long long)ep->n_used, (long long)ep->n_skipped,
                 (long long)ep->n_rejected);
        out_str(&c.out, tail);
    }
    check_write_errors(&c.out, c.out_path ? c.out_path : "stdout");
    if (c.format == FMT_ONEROSTER) {
        check_write_errors(&c.lo, "resultLearningObjectiveIds.csv");
        out_free(&c.lo);
        /* lineItems.csv: one line item per reported node */
        char p[4096];
        snprintf(p, sizeof p, "%s/lineItems.csv", c.out_path);
        out_t li;
        out_init(&li, li_f.f);
        out_str(&li, "sourcedId,status,dateLastModified,title,description,resultValueMin,"
                     "resultValueMax\n");
        size_t nn = ep->have_cat ? ep->cat.n : ep->tids.n;
        for (size_t k = 0; k < nn; k++) {
            int kind = ep->have_cat ? ep->cat.node[k].kind : KIND_TARGET;
            if (!(c.kinds & (1 << kind)))
                continue;
            const char *id = ep->have_cat ? ep->cat.node[k].id : ep->tids.names[k];
            out_csv(&li, id, c.neutralise);
            out_str(&li, ",active,1970-01-01T00:00:00Z,");
            out_csv(&li, ep->have_cat && ep->cat.node[k].label[0] ? ep->cat.node[k].label : id,
                    c.neutralise);
            out_ch(&li, ',');
            out_str(&li, kind_name(kind));
            out_ch(&li, ',');
            out_num(&li, ep->scale.score_min, 6);
            out_ch(&li, ',');
            out_num(&li, ep->scale.score_max, 6);
            out_ch(&li, '\n');
        }
        check_write_errors(&li, p);
        out_free(&li);
    }
    out_free(&c.out);
    /* Outputs appear only when the run succeeded (possibly with rejects). */
    if (rc == EXIT_OK) {
        /* every file written completely before any is renamed */
        rc = outfile_close(&out_f, c.out_path);
        if (rc == EXIT_OK)
            rc = outfile_close(&lo_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_close(&li_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_close(&rej_f, rejects);
        if (rc == EXIT_OK)
            rc = outfile_commit(&out_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_commit(&lo_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_commit(&li_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_commit(&rej_f, NULL);
        if (rc != EXIT_OK)
            ep->rejects = NULL; /* not "all are in the --rejects file" */
    }
    outfile_abort(&out_f);
    outfile_abort(&lo_f);
    outfile_abort(&li_f);
    outfile_abort(&rej_f);
    if (rc != EXIT_OK) {
        engine_summary(ep);
        return rc;
    }
    rc = engine_summary(ep);
    return rc;
}

int cmd_compute(int argc, char **argv)
{
    engine eng;
    engine_init(&eng);
    int rc = cmd_compute_main(&eng, argc, argv);
    engine_free(&eng);
    return rc;
}
