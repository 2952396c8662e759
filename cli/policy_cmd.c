/* SPDX-License-Identifier: GPL-3.0-or-later */
/* policy_cmd.c -- `mlg policy`: the effective district policy (the
 * declared rules that decide every mark, include/mlg_policy.h), and the
 * --policy option shared by compute, check and explain. */
#include "cli.h"
#include "engine.h"
#include "options.h"

#include <mlg_policy.h>
#include <mlg_rollup.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_policy[] =
    "usage: mlg policy show [--policy FILE|NAME]\n"
    "       mlg policy hash [--policy FILE|NAME]\n"
    "\n"
    "show  print the effective policy as canonical JSON (keys sorted): the\n"
    "      scales, method, rounding, roll-up rules, N/A table, periods,\n"
    "      Attachment B year, evidence rule, notice thresholds and\n"
    "      attendance rule that decide every mark.\n"
    "hash  print its name and SHA-256 content hash, as outputs record them.\n"
    "\n"
    "--policy takes a JSON file or the name of a shipped policy; the default\n"
    "is lausd-bul-2332.7 (BUL-2332.7, data/policy/lausd-bul-2332.7.json).\n"
    "docs/policy.md documents every field with its bulletin line.\n";

/* Largest policy file read (bytes). */
#define POLICY_MAX_BYTES (1u << 20)

int cli_policy_load(const char *arg, mlg_policy **out)
{
    mlg_errinfo err;
    if (!arg)
        arg = MLG_POLICY_DEFAULT;
    if (mlg_policy_builtin_text(arg)) {
        if (mlg_policy_builtin(arg, out, &err) != MLG_OK) {
            diag("policy %s: %s", arg, err.message);
            return EXIT_INTERNAL;
        }
        return EXIT_OK;
    }
    FILE *f = fopen(arg, "rb");
    if (!f) {
        diag("%s: cannot open: %s (not a file nor a shipped policy name)", arg,
             strerror(errno));
        return EXIT_IO;
    }
    char *buf = xmalloc(POLICY_MAX_BYTES + 1);
    const size_t n = fread(buf, 1, POLICY_MAX_BYTES + 1, f);
    const int bad = ferror(f);
    fclose(f);
    if (bad) {
        diag("%s: read error", arg);
        free(buf);
        return EXIT_IO;
    }
    if (n > POLICY_MAX_BYTES) {
        diag("%s: larger than %u bytes", arg, POLICY_MAX_BYTES);
        free(buf);
        return EXIT_DATA;
    }
    const int s = mlg_policy_parse(buf, n, out, &err);
    free(buf);
    if (s != MLG_OK) {
        if (err.row >= 0)
            diag_at(arg, err.row + 1, "%s", err.message);
        else
            diag("%s: %s", arg, err.message);
        return EXIT_DATA;
    }
    return EXIT_OK;
}

int cli_policy_apply(const char *arg, engine *ep, ev_opts *o, char *label, size_t size)
{
    mlg_policy *pol = NULL;
    const int rc = cli_policy_load(arg, &pol);
    if (rc != EXIT_OK)
        return rc;
    snprintf(label, size, "%s sha256:%s", mlg_policy_name(pol), mlg_policy_hash(pol));
    ep->policy = pol;     /* its rules for catalogue nodes without one */
    ep->policy_rules = 1;
    o->policy = pol;      /* its method, unless -m names one */
    return EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
    const char *what = NULL, *path = NULL, *val;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage_policy, stdout);
            return EXIT_OK;
        } else if (opt_val(argc, argv, &i, "--policy", &val)) {
            path = val;
        } else if (!what && (!strcmp(argv[i], "show") ||
                             !strcmp(argv[i], "hash"))) {
            what = argv[i];
        } else {
            diag("unknown argument '%s' (see mlg policy --help)", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!what) {
        diag("mlg policy needs show or hash (see mlg policy --help)");
        return EXIT_USAGE;
    }
    mlg_policy *p = NULL;
    int rc = cli_policy_load(path, &p);
    if (rc != EXIT_OK)
        return rc;
    if (!strcmp(what, "show"))
        fputs(mlg_policy_canonical(p), stdout);
    else
        printf("%s sha256:%s\n", mlg_policy_name(p), mlg_policy_hash(p));
    mlg_policy_free(p);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        diag("stdout: write error");
        return EXIT_IO;
    }
    return EXIT_OK;
}
