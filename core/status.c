/* SPDX-License-Identifier: GPL-3.0-or-later */
/* status.c -- status codes to text (mlg_strerror, mlg_errname). */
#include "mlg.h"

#include <stddef.h>

static const struct {
    const char *name;
    const char *text;
} status_table[MLG_STATUS_COUNT] = {
    [MLG_OK] = {"MLG_OK", "success"},
    [MLG_ENULL] = {"MLG_ENULL", "a required pointer argument was NULL"},
    [MLG_EINVAL] = {"MLG_EINVAL", "an argument or parameter is out of range"},
    [MLG_ENAN] = {"MLG_ENAN", "a value is NaN or infinite"},
    [MLG_ESCALE] = {"MLG_ESCALE", "a score lies outside the scale's range"},
    [MLG_EORDER] = {"MLG_EORDER", "a day is earlier than the one before it"},
    [MLG_EEMPTY] = {"MLG_EEMPTY", "an input that must be non-empty is empty"},
    [MLG_EOVERFLOW] = {"MLG_EOVERFLOW", "a count or size is too large"},
    [MLG_ENOMEM] = {"MLG_ENOMEM", "out of memory"},
    [MLG_ENUMERIC] = {"MLG_ENUMERIC", "a numerical routine failed"},
    [MLG_EFORMAT] = {"MLG_EFORMAT", "malformed text or file"},
    [MLG_ENOTFOUND] = {"MLG_ENOTFOUND", "unknown name or id"},
    [MLG_EPOLICY] = {"MLG_EPOLICY", "a report-card policy is violated"},
    [MLG_EWEIGHT] = {"MLG_EWEIGHT", "an evidence weight is negative"},
    [MLG_EDOMAIN] = {"MLG_EDOMAIN", "input outside the method's domain"},
    [MLG_ESIZE] = {"MLG_ESIZE", "an output buffer is too small"},
    [MLG_EDUPLICATE] = {"MLG_EDUPLICATE", "a duplicate id or key"},
    [MLG_ECYCLE] = {"MLG_ECYCLE", "the catalogue's parent links form a cycle"},
    [MLG_ESTATUS] = {"MLG_ESTATUS", "an evidence status code is unknown"},
};

const char *mlg_strerror(int status)
{
    if (status < 0 || status >= MLG_STATUS_COUNT)
        return "unknown status code";
    return status_table[status].text;
}

const char *mlg_errname(int status)
{
    if (status < 0 || status >= MLG_STATUS_COUNT)
        return "MLG_UNKNOWN";
    return status_table[status].name;
}
