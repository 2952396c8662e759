/* SPDX-License-Identifier: GPL-3.0-or-later */
/* marks.c -- `mlg compute`'s mark writer: each student's marks as CSV,
 * JSON, JSON Lines, a report or OneRoster results (the engine's per-student
 * callback, with its cache of rendered texts), and the OneRoster line
 * items. */
#include "compute_internal.h"

#include <mlg_policy.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

void marks_free(cstate *c)
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

void marks_on_student(engine *e, int32_t s, const ev_t *rows, size_t nrows, const double *tv,
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
void marks_write_line_items(engine *ep, cstate *c, FILE *lif, FILE *llf, FILE *manf)
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
