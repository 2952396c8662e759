/* SPDX-License-Identifier: GPL-3.0-or-later */
/* errinfo.c -- filling the caller's optional mlg_errinfo. */
#include "mlg_internal.h"


int mlg__fail(mlg_errinfo *err, int status, int64_t group, int64_t row,
              const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->status = status;
        err->reserved = 0;
        err->group = group;
        err->row = row;
        va_start(ap, fmt);
        mlg__vsnprintf_c(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}
