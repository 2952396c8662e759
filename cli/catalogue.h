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
 * method's rounding and decimals (`params`).  Prints diagnostics naming the
 * file and line (or CASE item) and returns EXIT_OK or an exit code. */
int catalogue_load(const char *path, const mlg_scale *scale, const mlg_method_params *params,
                   mlg_catalogue **out);

#endif
