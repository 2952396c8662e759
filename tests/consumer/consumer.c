/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consumer.c -- a program outside the libmlg tree that uses only an
 * installed libmlg (headers, libmlg.pc or the CMake package).  It checks
 * the bulletin's worked example and that header and library agree.
 *
 * BUL-2332.7, Attachment A: Zoey's evidence on one target is 1, 2, 3, 3.
 * Decaying average, weight 0.65 (the default), worked by hand:
 *   v1 = 1
 *   v2 = 0.35 * 1      + 0.65 * 2 = 1.65
 *   v3 = 0.35 * 1.65   + 0.65 * 3 = 2.5275
 *   v4 = 0.35 * 2.5275 + 0.65 * 3 = 2.834625  -> CCS level 3
 * The mean is 2.25, "the 2.25 an average gives". */
#include <mlg.h>

#include <math.h>
#include <stdio.h>

static int check(const char *what, int method, double want_value, int want_level)
{
    const int32_t day[] = {19610, 19624, 19638, 19652};
    const double score[] = {1, 2, 3, 3};
    mlg_method_params p;
    mlg_result r;
    int rc = mlg_method_params_init(&p, method);
    if (rc == MLG_OK)
        rc = mlg_series_compute(4, day, score, NULL, NULL, NULL, &p, &r, NULL);
    if (rc != MLG_OK) {
        fprintf(stderr, "consumer: %s: %s\n", what, mlg_strerror(rc));
        return 1;
    }
    if (fabs(r.value - want_value) > 1e-12 || r.level + 1 != want_level) {
        fprintf(stderr, "consumer: %s: value %.17g level %d, want %.17g level %d\n",
                what, r.value, r.level + 1, want_value, want_level);
        return 1;
    }
    printf("%s value %.6f level %d\n", what, r.value, r.level + 1);
    return 0;
}

int main(void)
{
    int bad = 0;
    if (mlg_version_number() != MLG_VERSION_NUMBER) {
        fprintf(stderr, "consumer: header %s, library %s\n", MLG_VERSION_STRING,
                mlg_version_string());
        bad = 1;
    }
    bad |= check("decaying_average", MLG_METHOD_DECAYING_AVERAGE, 2.834625, 3);
    bad |= check("mean", MLG_METHOD_MEAN, 2.25, 2);
    return bad;
}
