/* SPDX-License-Identifier: GPL-3.0-or-later */
/* options.c -- the options shared by compute, check and explain. */
#include "options.h"

#include "cli.h"

#include <mlg_policy.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int opt_val(int argc, char **argv, int *i, const char *name, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        diag("option %s needs a value (see --help)", name);
        exit(EXIT_USAGE);
    }
    *val = argv[++*i];
    return 1;
}

void ev_opts_init(ev_opts *o, const char *cmd)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->method = "decaying_average";
    o->progress = -1;
}

static int bad(const ev_opts *o, const char *fmt, const char *what)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, what);
    diag("%s (see mlg %s --help)", msg, o->cmd);
    return -1;
}

int scale_parse(const char *text, mlg_scale *out)
{
    if (mlg_scale_from_name(text, out) == MLG_OK)
        return 0;
    double v[MLG_SCALE_MAX_LEVELS];
    char lab[MLG_SCALE_MAX_LEVELS][MLG_LABEL_SIZE];
    size_t n = 0;
    char *d = xstrdup(text), *save = NULL;
    int ok = 1;
    for (char *t = strtok_r(d, ",", &save); t && ok; t = strtok_r(NULL, ",", &save)) {
        if (n == MLG_SCALE_MAX_LEVELS) {
            ok = 0;
            break;
        }
        char *eq = strchr(t, '=');
        if (eq)
            *eq = '\0';
        if (parse_double(t, strlen(t), &v[n]) != 0 ||
            (eq && (!eq[1] || strlen(eq + 1) >= MLG_LABEL_SIZE))) {
            ok = 0;
            break;
        }
        snprintf(lab[n], sizeof lab[n], "%s", eq ? eq + 1 : "");
        n++;
    }
    free(d);
    mlg_scale s;
    if (!ok || n == 0 || mlg_scale_init(&s, n, v) != MLG_OK)
        return -1;
    for (size_t k = 0; k < n; k++)
        if (lab[k][0])
            memcpy(s.label[k], lab[k], sizeof lab[k]);
    if (mlg_scale_validate(&s) != MLG_OK)
        return -1;
    *out = s;
    return 0;
}

int scale_same(const mlg_scale *a, const mlg_scale *b)
{
    if (a->n_levels != b->n_levels || a->score_min != b->score_min ||
        a->score_max != b->score_max || a->na_allowed != b->na_allowed || strcmp(a->id, b->id))
        return 0;
    for (int32_t k = 0; k < a->n_levels; k++)
        if (a->value[k] != b->value[k] || a->cut[k] != b->cut[k] ||
            strcmp(a->label[k], b->label[k]) != 0)
            return 0;
    return 1;
}

/* --columns student_id=Student ID,target_id=Standard,... */
static int parse_columns(engine *e, const char *text)
{
    static const char *names[7] = {"student_id", "target_id", "assessed_at", "score",
                                   "weight",     "status",    "kind"};
    char *d = xstrdup(text), *save = NULL;
    int bad_pair = 0;
    for (char *t = strtok_r(d, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '=');
        int c = -1;
        if (eq) {
            *eq = '\0';
            for (int k = 0; k < 7; k++)
                if (!strcmp(t, names[k]))
                    c = k;
        }
        if (c < 0 || !eq[1]) {
            bad_pair = 1;
            break;
        }
        free(e->col_name[c]);
        e->col_name[c] = xstrdup(eq + 1);
    }
    free(d);
    return bad_pair ? -1 : 0;
}

int ev_option(engine *e, ev_opts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *val;
    if (a[0] != '-' || a[1] == '\0')
        return 0;
    if (opt_val(argc, argv, i, "--catalogue", &val) || opt_val(argc, argv, i, "--catalog", &val) ||
        opt_val(argc, argv, i, "-c", &val)) {
        o->cat_path = val;
    } else if (opt_val(argc, argv, i, "--method", &val) ||
               opt_val(argc, argv, i, "--preset", &val) || opt_val(argc, argv, i, "-m", &val)) {
        o->method = val;
        o->method_given = 1;
    } else if (opt_val(argc, argv, i, "--scale", &val)) {
        if (scale_parse(val, &e->scale) != 0)
            return bad(o, "unknown scale '%s' (ccs4, tk, eld4, tk_eld, behavior, or ascending "
                          "level values such as 1,2,3,4 or 1=B,2=D,3=P,4=A)",
                       val);
    } else if (opt_val(argc, argv, i, "--until", &val)) {
        if (parse_date(val, strlen(val), &e->day_max) != 0)
            return bad(o, "--until: '%s' is not a date YYYY-MM-DD", val);
    } else if (opt_val(argc, argv, i, "--rejects", &val)) {
        o->rejects = val;
    } else if (opt_val(argc, argv, i, "--duplicates", &val)) {
        if (!strcmp(val, "error"))
            e->duplicates = DUP_ERROR;
        else if (!strcmp(val, "warn"))
            e->duplicates = DUP_WARN;
        else if (!strcmp(val, "keep"))
            e->duplicates = DUP_KEEP;
        else
            return bad(o, "--duplicates: want error, warn or keep, got '%s'", val);
    } else if (opt_val(argc, argv, i, "--delimiter", &val) ||
               opt_val(argc, argv, i, "-d", &val)) {
        if (!strcmp(val, "tab") || !strcmp(val, "\\t") || !strcmp(val, "\t"))
            e->delim = '\t';
        else if (!strcmp(val, "auto"))
            e->delim = 0;
        else if (strlen(val) == 1 && strchr(",;|", val[0]))
            e->delim = val[0];
        else
            return bad(o, "--delimiter: want , ; | tab or auto, got '%s'", val);
    } else if (opt_val(argc, argv, i, "--columns", &val)) {
        if (parse_columns(e, val) != 0)
            return bad(o, "--columns: want NAME=HEADER pairs separated by commas, NAME one of "
                          "student_id, target_id, assessed_at, score, weight, status, kind; got '%s'",
                       val);
    } else if (!strcmp(a, "--strict")) {
        e->strict = 1;
    } else if (!strcmp(a, "--unsorted")) {
        e->unsorted = 1;
    } else if (!strcmp(a, "--progress")) {
        o->progress = 1;
    } else if (!strcmp(a, "--no-progress")) {
        o->progress = 0;
    } else if (!strcmp(a, "--keep-deleted")) {
        e->oneroster_keep_deleted = 1;
    } else if (!strcmp(a, "--skip-exempt")) {
        e->oneroster_exempt = 0;
    } else if (opt_val(argc, argv, i, "--threads", &val)) {
        char *end;
        long t = strtol(val, &end, 10);
        if (!val[0] || *end || t < 0 || t > 1024)
            return bad(o, "--threads: want a count 0..1024, got '%s'", val);
        e->threads = (int32_t)t;
    } else if (opt_val(argc, argv, i, "--max-record", &val)) {
        char *end;
        long long m = strtoll(val, &end, 10);
        if (!val[0] || *end || m < 64 || m > (1LL << 30))
            return bad(o, "--max-record: want 64..1073741824 bytes, got '%s'", val);
        e->max_record = (size_t)m;
    } else if (a[1] == '-' && a[2]) {
        const char *key = method_param_key(a);
        if (!key)
            return bad(o, "unknown option %s", a);
        if (o->np == 64)
            return bad(o, "too many method parameters at %s", a);
        if (*i + 1 >= argc)
            return bad(o, "option %s needs a value", a);
        o->pkeys[o->np] = key;
        o->pvals[o->np++] = argv[++*i];
    } else {
        return bad(o, "unknown option %s", a);
    }
    return 1;
}

int ev_opts_apply(engine *e, ev_opts *o)
{
    if (o->policy && !o->method_given)
        mlg_policy_method(o->policy, &e->params); /* the declared policy's method */
    else if (method_or_preset(o->method, &e->params) != 0)
        return EXIT_USAGE;
    for (size_t k = 0; k < o->np; k++)
        if (method_param(&e->params, o->pkeys[k], o->pvals[k]) < 0)
            return EXIT_USAGE;
    e->progress = o->progress >= 0 ? o->progress : isatty(2);
    if (o->cat_path)
        return engine_load_catalogue(e, o->cat_path);
    return EXIT_OK;
}

/* ------------------------------------------- method names and keys -- */
/* The library's key for parameter `name`, or NULL: the keys come from
 * mlg_method_param_info() (every method accepts every key), so the tool
 * keeps no list of its own. */
const char *param_key_lookup(const char *name)
{
    mlg_param_info pi;
    for (size_t k = 0; k < mlg_method_param_count(); k++)
        if (mlg_method_param_info(MLG_METHOD_MEAN, k, &pi) == MLG_OK &&
            strcmp(name, pi.key) == 0)
            return pi.key;
    return NULL;
}

const char *method_param_key(const char *arg)
{
    if (arg[0] != '-' || arg[1] != '-')
        return NULL;
    return param_key_lookup(arg + 2);
}

int method_or_preset(const char *name, mlg_method_params *p)
{
    int32_t m;
    if (mlg_method_from_name(name, &m) == MLG_OK && mlg_method_params_init(p, m) == MLG_OK)
        return 0;
    if (mlg_preset_init(name, p) == MLG_OK)
        return 0;
    fprintf(stderr, "mlg: unknown method or preset '%s'; methods:", name);
    for (int32_t k = 0; k < MLG_METHOD_COUNT; k++)
        if (mlg_method_name(k))
            fprintf(stderr, " %s", mlg_method_name(k));
    fprintf(stderr, "; presets:");
    for (size_t k = 0; mlg_preset_name(k); k++)
        fprintf(stderr, " %s", mlg_preset_name(k));
    fputc('\n', stderr);
    return -1;
}

int method_param(mlg_method_params *p, const char *key, const char *value)
{
    if (!param_key_lookup(key))
        return 0;
    int rc = mlg_method_params_set(p, key, value);
    if (rc != MLG_OK) {
        mlg_param_info pi;
        const char *help = "";
        for (size_t k = 0; k < mlg_method_param_count(); k++)
            if (mlg_method_param_info(p->method, k, &pi) == MLG_OK &&
                strcmp(pi.key, key) == 0)
                help = pi.words[0] ? pi.words : "";
        if (help[0])
            diag("--%s %s: %s (one of %s)", key, value, mlg_strerror(rc),
                 help);
        else
            diag("--%s %s: %s", key, value, mlg_strerror(rc));
        return -1;
    }
    return 1;
}
