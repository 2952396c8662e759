/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.h -- subcommands of the mlg command. */
#ifndef MLG_CLI_H
#define MLG_CLI_H

#include <mlg.h>

#include "util.h"

int cmd_score(int argc, char **argv);
int cmd_compute(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_policy(int argc, char **argv);

/* policy_cmd.c: the --policy option (a JSON file or a shipped policy name;
 * NULL = lausd-bul-2332.7) into *out.  Returns an exit code (diagnostic
 * printed on error). */
struct mlg_policy;
int cli_policy_load(const char *arg, struct mlg_policy **out);
/* policy_cmd.c: --policy for compute and explain: load it, write its
 * "NAME sha256:HASH" into label, and give the run its rules (ep) and its
 * method (o, unless -m names one).  Returns an exit code. */
struct engine;
struct ev_opts;
int cli_policy_apply(const char *arg, struct engine *ep, struct ev_opts *o, char *label,
                     size_t size);

/* Shared: apply a method name or preset name to *p.  0 ok, else prints a
 * usage diagnostic and returns -1. */
int method_or_preset(const char *name, mlg_method_params *p);
/* Shared: "--key value" method parameter (key without the dashes).
 * 1 applied, 0 not a parameter key, -1 bad value (diagnostic printed). */
int method_param(mlg_method_params *p, const char *key, const char *value);

/* Argument helpers: is argv[*i] the option `name` (as "--name VALUE" or
 * "--name=VALUE")?  Sets *val and advances *i past the value. */
int opt_val(int argc, char **argv, int *i, const char *name, const char **val);

/* The method-parameter key an argument "--KEY" names (the library's static
 * string, from mlg_method_param_info()), or NULL if it names none. */
const char *method_param_key(const char *arg);
/* The same for a bare key "KEY" (no dashes). */
const char *param_key_lookup(const char *name);

#endif
