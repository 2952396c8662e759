/* SPDX-License-Identifier: GPL-3.0-or-later */
/* catalogue.h -- read a learning-target catalogue file (CSV or CASE 1.1
 * CFPackage JSON) into the library's mlg_catalogue.  The command keeps no
 * catalogue model of its own: every question about nodes, ids, aliases,
 * kinds, parents and scales is asked of the mlg_catalogue built here. */
#ifndef MLG_CLI_CATALOGUE_H
#define MLG_CLI_CATALOGUE_H

#include <mlg.h>
#include <mlg_rollup.h>

/* catalogue_load(): read `path` (a CASE CFPackage when the file starts with
 * '{' after an optional UTF-8 byte-order mark or the name ends in .json,
 * else CSV) and build a finalised catalogue in *out.  Kinds follow the
 * links (MLG_NODE_AUTO) unless a CSV `kind` column names them; nodes
 * without their own scale get `scale`; targets level their values with the
 * method's rounding and decimals (`params`).  Nodes whose file declares no
 * na_allowed take BUL-2332.7 sec. II.A's value for their subject
 * (mlg_policy_subject_guess(), mlg_bulletin_subject_na_allowed(); nodes of
 * no known subject, and targets, allow N/A); a scale without N/A (TK) makes
 * every node above the targets na_allowed 0.  With `policy` non-NULL, a
 * domain, subject or composite without a rule of its own takes the
 * policy's rule for its kind (mlg_policy_rule()).  With `subjects`
 * non-NULL, *subjects receives one string per node (node order), the CSV
 * `subject` column (a policy subject code such as "eld", not checked here)
 * or NULL where it is empty or absent (always NULL for CASE); free each
 * and the array.  Prints diagnostics
 * naming the file and line (or CASE item) and returns EXIT_OK or an exit
 * code. */
struct mlg_policy;
int catalogue_load(const char *path, const mlg_scale *scale, const mlg_method_params *params,
                   const struct mlg_policy *policy, mlg_catalogue **out, char ***subjects);

#endif
