/* SPDX-License-Identifier: GPL-3.0-or-later */
/* options.h -- the command-line options shared by the subcommands that read
 * evidence (compute, check, explain): one parser instead of a copy of the
 * same argv loop in each. */
#ifndef MLG_CLI_OPTIONS_H
#define MLG_CLI_OPTIONS_H

#include "engine.h"

typedef struct ev_opts {
    const char *cmd;          /* "compute", ... (diagnostics) */
    const char *cat_path;     /* -c/--catalogue */
    const char *method;       /* -m/--method/--preset */
    int         method_given; /* 1: -m/--method/--preset was given */
    const struct mlg_policy *policy; /* set by the subcommand (--policy):
                                        its method unless method_given */
    const char *rejects;      /* --rejects FILE (opened by the subcommand) */
    const char *pkeys[64], *pvals[64];  /* --PARAM VALUE method parameters */
    size_t      np;
    int         progress;     /* --progress 1, --no-progress 0, else -1 */
} ev_opts;

void ev_opts_init(ev_opts *o, const char *cmd);

/* ev_option(): if argv[*i] is a shared option, apply it to e or o (advancing
 * *i past its value) and return 1.  Returns 0 for a positional argument
 * ("-" or not starting with '-'), -1 after printing a usage diagnostic for
 * an unknown option or a bad value.  Call it after the subcommand's own
 * options: an unknown "--KEY VALUE" is taken as a method parameter. */
int ev_option(engine *e, ev_opts *o, int argc, char **argv, int *i);

/* scale_parse(): a built-in scale name (ccs4, tk, eld4, tk_eld, behavior)
 * or a custom scale written as its level values in ascending order, each
 * optionally with a label: "0,1,2,3" or "1=B,2=D,3=P,4=A" (mlg_scale_init():
 * scores from the lowest to the highest value, cuts at the midpoints).
 * 0 ok, -1 bad text (out untouched). */
int scale_parse(const char *text, mlg_scale *out);

/* scale_same(): 1 if a and b have the same levels (values, cuts, labels)
 * and score range. */
int scale_same(const mlg_scale *a, const mlg_scale *b);

/* ev_opts_apply(): the method or preset (the policy's method when o->policy
 * is set and no -m was given), then the method parameters, then the
 * catalogue file (read by engine_prepare()).  Returns an exit code. */
int ev_opts_apply(engine *e, ev_opts *o);

#endif
