/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compute.c -- `mlg compute`: evidence + catalogue -> marks.  The command:
 * its usage, options and outputs; the marks are written by marks.c, a large
 * file read in parallel by split.c. */
#include "cli.h"
#include "compute_internal.h"
#include "options.h"
#include "outfile.h"

#include <mlg_policy.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    ep->on_student = marks_on_student;
    ep->user = &c;
    ep->t0 = now_seconds();
    rc = split_read(ep, &c, input, cat_path, parallel ? split_min : -1);
    if (rc < 0)
        rc = engine_read(ep, input);
    att_free(&c.att);
    marks_free(&c);
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
        marks_write_line_items(ep, &c, li_f.f, ll_f.f, man_f.f);
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
