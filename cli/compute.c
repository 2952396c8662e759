/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compute.c -- `mlg compute`: evidence + catalogue -> marks. */
#include "cli.h"
#include "oneroster.h"
#include "options.h"
#include "engine.h"
#include "attendance.h"
#include "outfile.h"

#include <mlg_policy.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h> /* mallopt(): read_split() */
#endif

static const char usage_compute[] =
    "usage: mlg compute [EVIDENCE] [OPTIONS]\n"
    "\n"
    "Compute every student's marks: learning targets from their evidence with a\n"
    "method, then domains and composites with the catalogue's roll-up rules.\n"
    "\n"
    "EVIDENCE is a long CSV (header student_id,target_id,assessed_at,score and\n"
    "optionally weight,status,kind; - or nothing = stdin; UTF-8 or UTF-16 with a\n"
    "BOM) or a OneRoster 1.2 CSV set, as a directory or a .zip bundle\n"
    "(results.csv plus resultLearningObjectiveIds.csv and/or\n"
    "lineItemLearningObjectiveIds.csv; lineItems, users, classes, enrollments\n"
    "and manifest.csv are checked).  A score may be a level label of the\n"
    "target's scale (the catalogue's scale column, else --scale; tk: E B D I,\n"
    "behavior: C S R, tk_eld: B M L); there a status E or M that\n"
    "is also a level is refused (write excused or missing).  kind is mark\n"
    "(default) or level: a current proficiency level supersedes the target's\n"
    "earlier evidence.\n"
    "\n";
/* The options, a second string: ISO C asks compilers for 4095 bytes. */
static const char usage_compute_options[] =
    "options:\n"
    "  -c, --catalogue FILE  targets/domains/composites: CSV id,parent,label,rule,\n"
    "                        weight,na_allowed[,kind,scale,aliases] (parent a|b:\n"
    "                        several) or a CASE 1.1 CFPackage (.json); evidence\n"
    "                        may name an item by code or identifier (urn:uuid:).\n"
    "                        Without one, every target id is accepted and only\n"
    "                        target marks are written\n"
    "      --attendance FILE  student_id,days_enrolled[,override]: students with\n"
    "                        fewer than 15 days (the policy's) get no marks: every\n"
    "                        mark N/A, flagged ag14 (BUL-2332.7 sec. I.F)\n"
    "      --policy FILE|NAME  a declared district policy (lausd-bul-2332.7):\n"
    "                        its method unless -m is given.  Every output\n"
    "                        records the policy (NAME sha256:HASH, or none):\n"
    "                        CSV column policy, JSON and JSON Lines field\n"
    "                        policy, report header, OneRoster results.csv\n"
    "                        column metadata.mlg.policy\n"
    "  -m, --method NAME     method or preset (default decaying_average); see\n"
    "                        `mlg score --all` for the list\n"
    "  --PARAM VALUE         method parameter: --n --tie --missing --weight\n"
    "                        --mastery --half_life_days --as_of --rounding\n"
    "                        --decimals --log_shift\n"
    "  --scale NAME          ccs4 (default), tk, eld4, tk_eld, behavior, or custom\n"
    "                        level values: 1,2,3,4 or 0=N,1=B,2=D,3=P; the scale\n"
    "                        of targets whose catalogue scale column is empty\n"
    "  --columns MAP         header names: student_id=Student ID,target_id=...\n"
    "                        (also assessed_at, score, weight, status, kind)\n"
    "  -d, --delimiter C     , ; | tab or auto (default: the header's)\n"
    "  --duplicates MODE     exact duplicate rows: warn (default: skip, counted),\n"
    "                        error (reject) or keep (use both)\n"
    "  -f, --format FMT      csv (default), json, jsonl, report (text for people),\n"
    "                        oneroster (a OneRoster 1.2 delta set with manifest.csv\n"
    "                        into the directory given by -o)\n"
    "  --class-id ID, --school-id ID, --category-id ID, --session-id ID\n"
    "                        oneroster: the SIS references of results/line items\n"
    "  -o, --output PATH     output file (directory for oneroster); default stdout\n"
    "  --kinds LIST          write only these kinds: target,domain,subject,composite\n"
    "  --until DATE          ignore evidence dated after DATE (counted as skipped)\n"
    "  --rejects FILE        write every rejected row as CSV file,line,reason\n"
    "  --strict              stop with status 1 at the first rejected row\n"
    "  --unsorted            input not grouped by student: load it all (memory\n"
    "                        about 100 bytes per row); OneRoster input always is\n"
    "  --threads N           worker threads for the batch (0 = all cores)\n"
    "  --parallel            the default: read a regular file of 64 MiB or more\n"
    "                        in --threads byte ranges at once (the same bytes\n"
    "                        out; see docs/cli.md for when it reads alone)\n"
    "  --no-parallel, --serial  one reader\n"
    "  --progress            progress on stderr: percent and ETA for a file (default\n"
    "                        when stderr is a tty)\n"
    "  --no-progress         never show it\n"
    "  --max-record BYTES    longest accepted CSV record (default 1048576)\n"
    "  --no-neutralise       do not prefix ids starting with = + - @ with '\n"
    "  --keep-deleted        OneRoster: use rows with status tobedeleted\n"
    "  --skip-exempt         OneRoster: skip exempt results (default: excused)\n"
    "  -h, --help            this help\n"
    "\n"
    "Every row is used, skipped (blank, empty, a duplicate, an option) or\n"
    "rejected with its line and reason; stderr ends with 'read = used +\n"
    "skipped + rejected'.  Exit status 0, or 3 when rows were rejected (1\n"
    "under --strict); see docs/cli.md.\n";

typedef struct cstate {
    int      format;
    int      neutralise;
    int      kinds;      /* bit mask of 1 << MLG_NODE_* */
    out_t    out;        /* results.csv for oneroster */
    out_t    lo;         /* resultLearningObjectiveIds.csv */
    int      first;      /* JSON: no mark written yet */
    int64_t  marks;
    const char *method;
    const char *out_path;
    char        policy[300]; /* "NAME sha256:HASH" of --policy, or "none" */
    att_table   att;         /* --attendance (sec. I.F) */
    /* oneroster: */
    char     now[32];    /* dateLastModified */
    or_refs  refs;       /* class, school, category, session ids */
    int32_t  max_day;    /* latest evidence day: the line items' dates */
    /* The rendered texts of this cstate's marks (below), made by its first
     * student: NULL until then, so read_split()'s copies for its workers
     * each make their own; freed by cstate_free_caches(). */
    struct mark_cache *mc;
} cstate;

/* Output flag of an AG-14 student's marks (CLI only, above the library's
 * MLG_NODE_* bits). */
#define FLAG_AG14 (1 << 20)

static void flags_text(char *buf, size_t size, int32_t f)
{
    buf[0] = '\0';
    /* Flag words are the library's (mlg_node_flag_name), lowest bit first;
     * ag14 (an AG-14 student's marks, sec. I.F) is this command's own. */
    for (int k = 0; k < 31; k++) {
        const int32_t bit = (int32_t)1 << k;
        const char *name = bit == FLAG_AG14 ? "ag14" : mlg_node_flag_name(bit);
        if (name && (f & bit)) {
            if (buf[0])
                strncat(buf, "|", size - strlen(buf) - 1);
            strncat(buf, name, size - strlen(buf) - 1);
        }
    }
}

/* ",source,learningObjectiveId" of a OneRoster objective: "case" and the
 * CASE identifier as urn:uuid: when the node has one (OneRoster 1.2.1: a
 * CASE id is a UUID URN), else "unknown" and the node id. */
static void out_lo_id(const engine *e, out_t *o, int32_t node, const char *id, int neutralise)
{
    const char *a = node >= 0 ? mlg_catalogue_node_alias(e->mcat, (size_t)node, 0) : NULL;
    if (a && strlen(a) == 36 && a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-') {
        out_str(o, ",case,urn:uuid:");
        out_str(o, a);
    } else {
        out_str(o, ",unknown,");
        out_csv(o, id, neutralise);
    }
}

/* ------------------------------------------------------ mark texts -- */
/* A CSV, JSON or JSON Lines mark is six pieces: the student's, the node's
 * (id, kind, label), the value, the level's, the count, and the flags'
 * (with the policy and the line end).  All but the value and the count are
 * one of few strings, rendered (quoted, neutralised, escaped) once and kept
 * in a mark_cache, so a mark is a handful of memcpy into out_reserve()'s
 * room.  The student's piece is rendered once per student; the node's once
 * per node (catalogue) or target index (without one: the engine interns
 * targets in order of appearance, so an index names the same id for the
 * engine's life); the level's once per label and the flags' once per flags
 * value, in small tables (a value they have no room for is rendered for
 * that mark alone).  For oneroster and report the flags' piece is just the
 * flag words.  One cache per cstate and engine, used by that engine's
 * thread only. */
typedef struct seg {
    size_t off, len;
    int    buf; /* 0: mark_cache.txt; 1, 2: the scratch buffer tmp[buf - 1] */
} seg;

#define MEMO_SLOTS 64 /* a power of two */
typedef struct memo {
    uint64_t      key[MEMO_SLOTS];
    seg           val[MEMO_SLOTS];
    unsigned char used[MEMO_SLOTS];
} memo;

typedef struct tbuf {
    char  *p;
    size_t len, cap;
} tbuf;

typedef struct mark_cache {
    const engine *e;     /* whose node and target indexes these are */
    tbuf     txt;        /* every kept text, each NUL-terminated */
    seg     *node;       /* per node or target index; len 0 = not rendered */
    size_t   n_node;
    memo     level;      /* by level label (its address; 1 = N/A) */
    memo     flags;      /* by flags value */
    tbuf     tmp[2];     /* a level's and a flags value's piece the tables
                            had no room for */
    tbuf     stu;        /* the current student's piece */
    int64_t *cnt;        /* catalogue: the student's evidence count per node */
    /* values: a mean of a few small scores is one of few numbers, so the
     * last text of each (direct-mapped by the double's bits) */
    struct vslot {
        uint64_t bits;
        unsigned char used, len;
        char     txt[TEXT_NUM_MAX];
    } val[256];
} mark_cache;

/* Room for n more bytes and a NUL at the end of b, and PIECE_PAD bytes
 * after them that copy_piece() may read. */
#define PIECE_PAD 16
static char *tbuf_room(tbuf *b, size_t n)
{
    if (b->cap - b->len < n + 1 + PIECE_PAD) {
        const size_t cap = (b->len + n + 1 + PIECE_PAD) * 2;
        b->p = xrealloc(b->p, cap);
        memset(b->p + b->cap, 0, cap - b->cap);
        b->cap = cap;
    }
    return b->p + b->len;
}

/* A piece into the output, PIECE_PAD bytes at a time: inline moves instead
 * of a memcpy call for the short pieces of a mark.  Reads and writes up to
 * PIECE_PAD - 1 bytes past the end (room the caller reserved). */
static inline char *copy_piece(char *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i += PIECE_PAD)
        memcpy(p + i, s + i, PIECE_PAD);
    return p + n;
}

/* Close the text written at b's end, up to `end`: NUL-terminated, kept. */
static seg tbuf_end(tbuf *b, char *end, int which)
{
    seg s = {b->len, (size_t)(end - (b->p + b->len)), which};
    *end = '\0';
    b->len += s.len + 1;
    return s;
}

static char *put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}
#define PUT_LIT(p, lit) put(p, lit, sizeof lit - 1)

static const char *seg_text(const mark_cache *mc, seg s)
{
    return (s.buf ? mc->tmp[s.buf - 1].p : mc->txt.p) + s.off;
}

static void cstate_free_caches(cstate *c)
{
    mark_cache *mc = c->mc;
    if (!mc)
        return;
    free(mc->txt.p);
    free(mc->node);
    free(mc->tmp[0].p);
    free(mc->tmp[1].p);
    free(mc->stu.p);
    free(mc->cnt);
    free(mc);
    c->mc = NULL;
}

static inline unsigned memo_hash(uint64_t key)
{
    return (unsigned)((key * 0x9E3779B97F4A7C15u) >> 58) & (MEMO_SLOTS - 1);
}

/* The common case, inline: key in its home slot. */
static inline int memo_hit(const memo *m, uint64_t key, seg *val)
{
    const unsigned q = memo_hash(key);
    if (!m->used[q] || m->key[q] != key)
        return 0;
    *val = m->val[q];
    return 1;
}

/* The slot of key in m: its own, or the free one it would take; -1 when the
 * table is full without it. */
static int memo_slot(const memo *m, uint64_t key)
{
    const unsigned h = memo_hash(key);
    for (unsigned i = 0; i < MEMO_SLOTS; i++) {
        const unsigned q = (h + i) & (MEMO_SLOTS - 1);
        if (!m->used[q] || m->key[q] == key)
            return (int)q;
    }
    return -1;
}

/* Render into the cache (keep) or, when the table is full, into scratch
 * buffer `which`, overwritten by the next such mark. */
static tbuf *memo_target(mark_cache *mc, int q, int which)
{
    if (q >= 0)
        return &mc->txt;
    mc->tmp[which - 1].len = 0;
    return &mc->tmp[which - 1];
}

static void memo_keep(memo *m, int q, uint64_t key, seg s)
{
    if (q < 0)
        return;
    m->used[q] = 1;
    m->key[q] = key;
    m->val[q] = s;
}

#define LEVEL_KEY(level, lab) ((level) == MLG_LEVEL_NA ? 1 : (uint64_t)(uintptr_t)(lab))

/* The level's piece: CSV ",LEVEL," or JSON ",\"level\":LEVEL,\"n\":" (null
 * for N/A). */
static seg level_piece(mark_cache *mc, const cstate *c, const char *lab, int32_t level)
{
    const uint64_t key = LEVEL_KEY(level, lab);
    const int q = memo_slot(&mc->level, key);
    if (q >= 0 && mc->level.used[q])
        return mc->level.val[q];
    tbuf *b = memo_target(mc, q, 1);
    const size_t n = strlen(lab);
    char *p = tbuf_room(b, TEXT_JSON_MAX(n) + TEXT_CSV_MAX(n) + 16);
    if (c->format == FMT_CSV) {
        *p++ = ',';
        p = text_csv(p, lab, 0);
        *p++ = ',';
    } else {
        p = PUT_LIT(p, ",\"level\":");
        p = level == MLG_LEVEL_NA ? PUT_LIT(p, "null") : text_json_str(p, lab);
        p = PUT_LIT(p, ",\"n\":");
    }
    const seg s = tbuf_end(b, p, q >= 0 ? 0 : 1);
    memo_keep(&mc->level, q, key, s);
    return s;
}

/* The flags' piece: CSV ",FLAGS,POLICY\n", JSON ",\"flags\":FLAGS}" (JSON
 * Lines also the policy, and the line end); else the flag words alone. */
static seg flags_piece(mark_cache *mc, const cstate *c, int32_t flags)
{
    const uint64_t key = (uint32_t)flags;
    const int q = memo_slot(&mc->flags, key);
    if (q >= 0 && mc->flags.used[q])
        return mc->flags.val[q];
    tbuf *b = memo_target(mc, q, 2);
    char fbuf[96];
    flags_text(fbuf, sizeof fbuf, flags);
    const size_t n = strlen(fbuf) + strlen(c->policy);
    char *p = tbuf_room(b, TEXT_JSON_MAX(n) + TEXT_CSV_MAX(n) + 32);
    switch (c->format) {
    case FMT_CSV:
        *p++ = ',';
        p = put(p, fbuf, strlen(fbuf));
        *p++ = ',';
        p = text_csv(p, c->policy, c->neutralise);
        *p++ = '\n';
        break;
    case FMT_JSON:
    case FMT_JSONL:
        p = PUT_LIT(p, ",\"flags\":");
        p = text_json_str(p, fbuf);
        if (c->format == FMT_JSONL) {
            /* each line stands alone: it names its policy */
            p = PUT_LIT(p, ",\"policy\":");
            p = text_json_str(p, c->policy);
        }
        *p++ = '}';
        if (c->format == FMT_JSONL)
            *p++ = '\n';
        break;
    default:
        p = put(p, fbuf, strlen(fbuf));
        break;
    }
    const seg s = tbuf_end(b, p, q >= 0 ? 0 : 2);
    memo_keep(&mc->flags, q, key, s);
    return s;
}

/* The node's piece: CSV "ID,KIND,LABEL," or JSON ",\"id\":ID,\"kind\":
 * \"KIND\",\"label\":LABEL,\"value\":"; idx is the node (catalogue) or the
 * target index. */
static seg node_piece(mark_cache *mc, const cstate *c, size_t idx, const char *id,
                      const char *label, int32_t kind)
{
    if (idx >= mc->n_node) {
        size_t n = mc->n_node ? mc->n_node : 64;
        while (n <= idx)
            n *= 2;
        mc->node = xrealloc(mc->node, n * sizeof *mc->node);
        memset(mc->node + mc->n_node, 0, (n - mc->n_node) * sizeof *mc->node);
        mc->n_node = n;
    }
    if (mc->node[idx].len)
        return mc->node[idx];
    const char *kn = engine_kind_name(kind);
    const size_t n = strlen(id) + strlen(label) + strlen(kn);
    char *p = tbuf_room(&mc->txt, TEXT_JSON_MAX(n) + 64);
    if (c->format == FMT_CSV) {
        p = text_csv(p, id, c->neutralise);
        *p++ = ',';
        p = put(p, kn, strlen(kn));
        *p++ = ',';
        p = text_csv(p, label, c->neutralise);
        *p++ = ',';
    } else {
        p = PUT_LIT(p, ",\"id\":");
        p = text_json_str(p, id);
        p = PUT_LIT(p, ",\"kind\":\"");
        p = put(p, kn, strlen(kn));
        p = PUT_LIT(p, "\",\"label\":");
        p = text_json_str(p, label);
        p = PUT_LIT(p, ",\"value\":");
    }
    mc->node[idx] = tbuf_end(&mc->txt, p, 0);
    return mc->node[idx];
}

/* One mark; node is the catalogue node (-1 without a catalogue), idx the
 * node or, without a catalogue, the target index. */
static void write_mark(engine *e, cstate *c, const char *student, size_t idx, const char *id,
                       const char *label, int32_t kind, int32_t node, double value,
                       int32_t level, int64_t n, int32_t flags, int32_t last_day)
{
    if (!(c->kinds & (1 << kind)))
        return;
    mark_cache *mc = c->mc;
    out_t *o = &c->out;
    int dec = e->params.decimals;
    const char *lab = engine_level_label(e, node, level);
    c->marks++;
    if (c->format == FMT_CSV || c->format == FMT_JSON || c->format == FMT_JSONL) {
        if (c->format == FMT_JSON)
            out_str(o, c->first ? "\n  " : ",\n  ");
        c->first = 0;
        const seg ns = idx < mc->n_node && mc->node[idx].len
                           ? mc->node[idx]
                           : node_piece(mc, c, idx, id, label, kind);
        seg ls, fs;
        if (!memo_hit(&mc->level, LEVEL_KEY(level, lab), &ls))
            ls = level_piece(mc, c, lab, level);
        if (!memo_hit(&mc->flags, (uint32_t)flags, &fs))
            fs = flags_piece(mc, c, flags);
        char *p = out_reserve(o, mc->stu.len + ns.len + TEXT_NUM_MAX + ls.len + TEXT_I64_MAX +
                                     fs.len + 4 * PIECE_PAD);
        p = copy_piece(p, mc->stu.p, mc->stu.len);
        p = copy_piece(p, seg_text(mc, ns), ns.len);
        if (c->format != FMT_CSV && !isfinite(value)) {
            p = PUT_LIT(p, "null");
        } else {
            uint64_t bits;
            memcpy(&bits, &value, sizeof bits);
            struct vslot *v = &mc->val[(bits * 0x9E3779B97F4A7C15u) >> 56];
            if (!v->used || v->bits != bits) {
                v->len = (unsigned char)(text_num(v->txt, value, dec) - v->txt);
                v->bits = bits;
                v->used = 1;
            }
            memcpy(p, v->txt, sizeof v->txt); /* within the reserved TEXT_NUM_MAX */
            p += v->len;
        }
        p = copy_piece(p, seg_text(mc, ls), ls.len);
        p = text_i64(p, n);
        p = copy_piece(p, seg_text(mc, fs), fs.len);
        out_commit(o, p);
        return;
    }
    const char *fbuf = seg_text(mc, flags_piece(mc, c, flags));
    switch (c->format) {
    case FMT_ONEROSTER: {
        /* results.csv and resultLearningObjectiveIds.csv rows in OneRoster
         * 1.2.1 column order (oneroster-1.2-case-1.1.md sec. 1.4) */
        char date[16], rid[256], lid[256];
        day_to_iso(last_day, date);
        if (last_day > c->max_day)
            c->max_day = last_day;
        or_guid(rid, student, id); /* stable: the same student and node */
        or_guid(lid, id, NULL);
        out_str(o, rid);
        out_str(o, ",active,");
        out_str(o, c->now);
        out_ch(o, ',');
        out_str(o, lid);
        out_ch(o, ',');
        out_csv(o, student, c->neutralise);
        out_str(o, level == MLG_LEVEL_NA ? ",exempt," : ",fully graded,");
        out_num(o, value, dec);
        out_ch(o, ',');
        out_str(o, date);
        out_ch(o, ',');
        out_csv(o, fbuf, 0);
        out_ch(o, ',');
        out_csv(o, lab, 0);
        out_ch(o, ',');
        out_csv(o, c->refs.class_id, 0);
        out_str(o, ",,,,,");
        out_csv(o, c->policy, c->neutralise);
        out_ch(o, '\n');
        out_str(&c->lo, rid);
        out_str(&c->lo, ",active,");
        out_str(&c->lo, c->now);
        out_ch(&c->lo, ',');
        out_str(&c->lo, rid);
        out_lo_id(e, &c->lo, node, id, c->neutralise);
        out_ch(&c->lo, ',');
        out_num(&c->lo, value, dec);
        out_ch(&c->lo, ',');
        out_csv(&c->lo, lab, 0);
        out_ch(&c->lo, '\n');
        break;
    }
    case FMT_TEXT: {
        char line[512];
        /* two spaces per level below the top, at most 8 levels deep */
        static const char spaces[] = "                  ";
        int depth = node >= 0 && e->node_depth ? e->node_depth[node] : 0;
        const char *indent = spaces + sizeof spaces - 1 - 2 * (size_t)(1 + (depth < 8 ? depth : 8));
        char val[32] = "";
        if (!isnan(value))
            snprintf(val, sizeof val, "%.2f", value);
        snprintf(line, sizeof line, "%s%-*.*s %-42.42s %4s %6s %4lld  %s\n", indent,
                 18 - (int)strlen(indent) + 2, 18 - (int)strlen(indent) + 2, id, label, lab, val,
                 (long long)n, fbuf);
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
    /* A cache made for another engine's indexes is that cstate's to free
     * (a copy made after it was filled): start this engine's own. */
    if (!c->mc || c->mc->e != e) {
        c->mc = xcalloc(1, sizeof *c->mc);
        c->mc->e = e;
    }
    mark_cache *mc = c->mc;
    const char *sid = engine_student_id(e, s);
    int32_t last_day = INT32_MIN; /* oneroster's scoreDate */
    if (c->format == FMT_ONEROSTER)
        for (size_t i = 0; i < nrows; i++)
            if (rows[i].day > last_day)
                last_day = rows[i].day;
    if (c->format == FMT_TEXT) {
        out_str(&c->out, "Student ");
        out_str(&c->out, sid);
        out_str(&c->out, "\n");
    }
    /* the student's piece: CSV "STUDENT," or JSON "{\"student_id\":STUDENT" */
    mc->stu.len = 0;
    if (c->format == FMT_CSV || c->format == FMT_JSON || c->format == FMT_JSONL) {
        const size_t n = strlen(sid);
        char *p = tbuf_room(&mc->stu, TEXT_JSON_MAX(n) + TEXT_CSV_MAX(n) + 16);
        if (c->format == FMT_CSV) {
            p = text_csv(p, sid, c->neutralise);
            *p++ = ',';
        } else {
            p = PUT_LIT(p, "{\"student_id\":");
            p = text_json_str(p, sid);
        }
        mc->stu.len = (size_t)(p - mc->stu.p);
    }
    /* Sec. I.F: a student with too few days enrolled gets no marks (AG-14):
     * every mark is N/A, flagged ag14. */
    const att_row *ar = att_find(&c->att, sid);
    const int ag14 = ar && ar->decision == MLG_ATTEND_AG14;
    if (e->have_cat) {
        /* evidence counts per node: each target's used rows, summed upward */
        if (!mc->cnt)
            mc->cnt = xmalloc((e->N ? e->N : 1) * sizeof *mc->cnt);
        int64_t *cnt = mc->cnt;
        memset(cnt, 0, e->N * sizeof *cnt);
        for (size_t t = 0; t < e->T; t++)
            if (tn[t])
                for (int64_t a = e->anc_off[t]; a < e->anc_off[t + 1]; a++)
                    cnt[e->anc[a]] += tn[t];
        for (size_t k = 0; k < e->N; k++) {
            if (ag14)
                write_mark(e, c, sid, k, mlg_catalogue_node_id(e->mcat, k),
                           mlg_catalogue_node_label(e->mcat, k), e->node_kind[k], (int32_t)k,
                           NAN, MLG_LEVEL_NA, 0, FLAG_AG14, last_day);
            else
                write_mark(e, c, sid, k, mlg_catalogue_node_id(e->mcat, k),
                           mlg_catalogue_node_label(e->mcat, k), e->node_kind[k], (int32_t)k,
                           nv[k], nl[k], cnt[k], nf[k], last_day);
        }
    } else {
        /* targets in the order of the student's rows (grouped by target) */
        for (size_t i = 0; i < nrows; i++) {
            if (i > 0 && rows[i].target == rows[i - 1].target)
                continue;
            int32_t t = rows[i].target;
            if (ag14)
                write_mark(e, c, sid, (size_t)t, engine_target_id(e, t), "", MLG_NODE_TARGET,
                           -1, NAN, MLG_LEVEL_NA, 0, FLAG_AG14, last_day);
            else
                write_mark(e, c, sid, (size_t)t, engine_target_id(e, t), "", MLG_NODE_TARGET,
                           -1, tv[t], tl[t], tn[t], isnan(tv[t]) ? MLG_NODE_NA : 0, last_day);
        }
    }
    if (c->format == FMT_TEXT)
        out_ch(&c->out, '\n');
    if (c->out.err)
        check_write_errors(&c->out, c->out_path ? c->out_path : "stdout");
}

/* lineItems.csv and lineItemLearningObjectiveIds.csv (one line item per
 * reported node, dated with the latest evidence) and manifest.csv. */
static void write_line_items(engine *ep, cstate *c, FILE *lif, FILE *llf, FILE *manf)
{
    char p[4096], p2[4096], date[16], lid[256];
    snprintf(p, sizeof p, "%s/lineItems.csv", c->out_path);
    snprintf(p2, sizeof p2, "%s/lineItemLearningObjectiveIds.csv", c->out_path);
    day_to_iso(c->max_day == INT32_MIN ? 0 : c->max_day, date);
    out_t li, ll;
    out_init(&li, lif);
    out_init(&ll, llf);
    out_str(&li, "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,"
                 "classSourcedId,categorySourcedId,academicSessionSourcedId,resultValueMin,"
                 "resultValueMax,schoolSourcedId\n");
    out_str(&ll, "sourcedId,status,dateLastModified,lineItemSourcedId,source,"
                 "learningObjectiveId\n");
    size_t nn = ep->have_cat ? ep->N : ep->tids.n;
    for (size_t k = 0; k < nn; k++) {
        int kind = ep->have_cat ? ep->node_kind[k] : MLG_NODE_TARGET;
        if (!(c->kinds & (1 << kind)))
            continue;
        const char *id = ep->have_cat ? mlg_catalogue_node_id(ep->mcat, k) : ep->tids.names[k];
        const char *label = ep->have_cat ? mlg_catalogue_node_label(ep->mcat, k) : "";
        const mlg_scale *sc = ep->have_cat ? &ep->scales[ep->node_scale[k]] : &ep->scale;
        or_guid(lid, id, NULL);
        out_str(&li, lid);
        out_str(&li, ",active,");
        out_str(&li, c->now);
        out_ch(&li, ',');
        out_csv(&li, label[0] ? label : id, c->neutralise);
        out_ch(&li, ',');
        out_str(&li, engine_kind_name(kind));
        for (int d = 0; d < 2; d++) {
            out_ch(&li, ',');
            out_str(&li, date);
        }
        const char *refs[3] = {c->refs.class_id, c->refs.category_id, c->refs.session_id};
        for (int q = 0; q < 3; q++) {
            out_ch(&li, ',');
            out_csv(&li, refs[q], 0);
        }
        out_ch(&li, ',');
        out_num(&li, sc->score_min, 6);
        out_ch(&li, ',');
        out_num(&li, sc->score_max, 6);
        out_ch(&li, ',');
        out_csv(&li, c->refs.school_id, 0);
        out_ch(&li, '\n');
        out_str(&ll, lid);
        out_str(&ll, ",active,");
        out_str(&ll, c->now);
        out_ch(&ll, ',');
        out_str(&ll, lid);
        out_lo_id(ep, &ll, ep->have_cat ? (int32_t)k : -1, id, c->neutralise);
        out_ch(&ll, '\n');
    }
    check_write_errors(&li, p);
    check_write_errors(&ll, p2);
    out_free(&li);
    out_free(&ll);
    or_write_manifest(manf, c->out_path);
}

static int parse_kinds(const char *s)
{
    int k = 0;
    char *d = xstrdup(s);
    for (char *t = strtok(d, ","); t; t = strtok(NULL, ",")) {
        int32_t kind;
        k |= mlg_node_kind_from_name(t, &kind) == MLG_OK ? 1 << kind : 1 << 8;
    }
    free(d);
    return k;
}

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
/* Below this a file is read by one reader (measured: docs/cli.md). */
#define SPLIT_MIN_DEFAULT ((int64_t)64 << 20)

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
static int read_split(engine *ep, cstate *c, const char *input, const char *cat_path,
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
        cstate_free_caches(&j->c);
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

static int cmd_compute_main(engine *ep, int argc, char **argv)
{
    cstate c;
    memset(&c, 0, sizeof c);
    c.neutralise = 1;
    c.kinds = 0xF; /* every MLG_NODE_* kind */
    c.first = 1;
    c.method = "decaying_average";
    c.max_day = INT32_MIN;
    c.refs.class_id = "mlg-class";
    c.refs.school_id = "mlg-school";
    c.refs.category_id = "mlg-category";
    c.refs.session_id = "mlg-session";
    snprintf(c.policy, sizeof c.policy, "none"); /* until --policy names one */
    or_timestamp(c.now);
    const char *input = NULL, *val;
    ev_opts o;
    ev_opts_init(&o, "compute");
    int parallel = 1; /* --parallel (the default) or --no-parallel */
    int64_t split_min = SPLIT_MIN_DEFAULT;
    const char *policy_arg = NULL, *att_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_compute, stdout);
            fputs(usage_compute_options, stdout);
            return EXIT_OK;
        } else if (opt_val(argc, argv, &i, "--policy", &val)) {
            policy_arg = val;
        } else if (opt_val(argc, argv, &i, "--attendance", &val)) {
            att_path = val;
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
                diag("--kinds: want a list of target, domain, subject, composite");
                return EXIT_USAGE;
            }
        } else if (opt_val(argc, argv, &i, "--class-id", &val)) {
            c.refs.class_id = val;
        } else if (opt_val(argc, argv, &i, "--school-id", &val)) {
            c.refs.school_id = val;
        } else if (opt_val(argc, argv, &i, "--category-id", &val)) {
            c.refs.category_id = val;
        } else if (opt_val(argc, argv, &i, "--session-id", &val)) {
            c.refs.session_id = val;
        } else if (!strcmp(a, "--no-neutralise") || !strcmp(a, "--no-neutralize")) {
            c.neutralise = 0;
        } else if (!strcmp(a, "--parallel")) {
            parallel = 1;
        } else if (!strcmp(a, "--no-parallel") || !strcmp(a, "--serial")) {
            parallel = 0;
        } else if (opt_val(argc, argv, &i, "--split-min-bytes", &val)) {
            /* undocumented: lets the tests exercise the parallel reader */
            split_min = strtoll(val, NULL, 10);
        } else if ((r = ev_option(ep, &o, argc, argv, &i)) != 0) {
            if (r < 0)
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
    if (policy_arg) {
        int prc = cli_policy_apply(policy_arg, ep, &o, c.policy, sizeof c.policy);
        if (prc != EXIT_OK)
            return prc;
        diag("policy %s", c.policy);
    }
    c.method = o.method;
    const char *cat_path = o.cat_path, *rejects = o.rejects;
    int rc0 = ev_opts_apply(ep, &o);
    if (rc0 != EXIT_OK)
        return rc0;
    if (o.policy && !o.method_given)
        c.method = mlg_method_name(ep->params.method);
    if (c.format == FMT_ONEROSTER && (!c.out_path || !strcmp(c.out_path, "-"))) {
        diag("--format oneroster writes a directory: give it with -o DIR");
        return EXIT_USAGE;
    }
    int rc = engine_prepare(ep);
    if (rc != EXIT_OK)
        return rc;
    if (att_path) {
        /* The days and the override rule of the policy (default
         * lausd-bul-2332.7: 15 days, override allowed). */
        mlg_policy *dp = NULL;
        mlg_policy_settings st;
        if (!ep->policy && (rc = cli_policy_load(NULL, &dp)) != EXIT_OK)
            return rc;
        mlg_policy_settings_get(ep->policy ? ep->policy : dp, &st);
        mlg_policy_free(dp);
        rc = att_read(&c.att, att_path, st.attendance_min_days, st.attendance_override);
        if (rc != EXIT_OK) {
            att_free(&c.att);
            return rc;
        }
    }
    /* Every output goes to a temporary file renamed into place on success
     * (outfile.h); none may name an input or another output.  Inputs: the
     * evidence, the catalogue, the attendance file, a policy file (not a
     * built-in policy's name), then -o (for --rejects). */
    outfile rej_f, out_f, lo_f, li_f, ll_f, man_f;
    memset(&rej_f, 0, sizeof rej_f);
    memset(&out_f, 0, sizeof out_f);
    memset(&lo_f, 0, sizeof lo_f);
    memset(&li_f, 0, sizeof li_f);
    memset(&ll_f, 0, sizeof ll_f);
    memset(&man_f, 0, sizeof man_f);
    const char *pol_file = policy_arg && access(policy_arg, F_OK) == 0 ? policy_arg : NULL;
    const char *ins[5] = {input, cat_path, att_path, pol_file,
                          c.format == FMT_ONEROSTER ? NULL : c.out_path};
    if (rejects) {
        rc = outfile_open(&rej_f, rejects, ins, 5);
        if (rc != EXIT_OK) {
            att_free(&c.att);
            return rc;
        }
        ep->rejects = rej_f.f;
        fputs("file,line,reason\n", ep->rejects);
    }
    if (c.format == FMT_ONEROSTER) {
        if (mkdir(c.out_path, 0777) != 0 && errno != EEXIST) {
            diag("%s: cannot create directory: %s", c.out_path, strerror(errno));
            outfile_abort(&rej_f);
            att_free(&c.att);
            return EXIT_IO;
        }
        /* the five files of the set, all opened before anything is read */
        static const char *const names[5] = {
            "results.csv", "resultLearningObjectiveIds.csv", "lineItems.csv",
            "lineItemLearningObjectiveIds.csv", "manifest.csv"};
        outfile *fs[5] = {&out_f, &lo_f, &li_f, &ll_f, &man_f};
        char p[4096];
        for (int k = 0; k < 5 && rc == EXIT_OK; k++) {
            snprintf(p, sizeof p, "%s/%s", c.out_path, names[k]);
            rc = outfile_open(fs[k], p, ins, 4);
        }
        if (rc == EXIT_OK) {
            out_init(&c.lo, lo_f.f);
            out_str(&c.lo, "sourcedId,status,dateLastModified,resultSourcedId,source,"
                           "learningObjectiveId,score,textScore\n");
        }
    } else {
        rc = outfile_open(&out_f, c.out_path, ins, 4);
    }
    if (rc != EXIT_OK) {
        outfile_abort(&rej_f);
        outfile_abort(&out_f);
        outfile_abort(&lo_f);
        outfile_abort(&li_f);
        outfile_abort(&ll_f);
        outfile_abort(&man_f);
        att_free(&c.att);
        return rc;
    }
    FILE *of = out_f.f;
    out_init(&c.out, of);
    switch (c.format) {
    case FMT_CSV:
        out_str(&c.out, "student_id,id,kind,label,value,level,n,flags,policy\n");
        break;
    case FMT_JSON:
        out_str(&c.out, "{\"method\":");
        out_json_str(&c.out, c.method);
        out_str(&c.out, ",\"policy\":");
        out_json_str(&c.out, c.policy);
        out_str(&c.out, ",\"marks\":[");
        break;
    case FMT_ONEROSTER:
        out_str(&c.out, "sourcedId,status,dateLastModified,lineItemSourcedId,"
                        "studentSourcedId,scoreStatus,score,scoreDate,comment,textScore,"
                        "classSourcedId,inProgress,incomplete,late,missing,"
                        "metadata.mlg.policy\n");
        break;
    case FMT_TEXT:
        out_str(&c.out, "Progress report: method ");
        out_str(&c.out, c.method);
        out_str(&c.out, ", scale ");
        out_str(&c.out, ep->scale.id);
        out_str(&c.out, ", policy ");
        out_str(&c.out, c.policy);
        out_str(&c.out, "\n(level, value, evidence used, notes)\n\n");
        break;
    }
    ep->on_student = on_student;
    ep->user = &c;
    ep->t0 = now_seconds();
    rc = read_split(ep, &c, input, cat_path, parallel ? split_min : -1);
    if (rc < 0)
        rc = engine_read(ep, input);
    att_free(&c.att);
    cstate_free_caches(&c);
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
        write_line_items(ep, &c, li_f.f, ll_f.f, man_f.f);
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
            rc = outfile_close(&ll_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_close(&man_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_close(&rej_f, rejects);
        if (rc == EXIT_OK)
            rc = outfile_commit(&out_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_commit(&lo_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_commit(&li_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_commit(&ll_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_commit(&man_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_commit(&rej_f, NULL);
        if (rc != EXIT_OK)
            ep->rejects = NULL; /* not "all are in the --rejects file" */
    }
    outfile_abort(&out_f);
    outfile_abort(&lo_f);
    outfile_abort(&li_f);
    outfile_abort(&ll_f);
    outfile_abort(&man_f);
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
