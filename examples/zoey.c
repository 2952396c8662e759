/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zoey.c -- the bulletin's worked example (BUL-2332.7, Attachment A).
 *
 * Zoey's four assessments on Operations and Algebraic Thinking, learning
 * target 1, are 1, 2, 3, 3.  Her current proficiency level is 3, "not the
 * 2.25 an average gives".  This program prints that target under every
 * method libmlg offers, so the difference between methods is visible. */
#include <mlg.h>

#include <stdio.h>

int main(void)
{
    const int32_t day[] = {19610, 19624, 19638, 19652}; /* fortnightly */
    const double score[] = {1, 2, 3, 3};
    const size_t n = sizeof score / sizeof score[0];
    mlg_scale ccs;
    int rc = mlg_scale_builtin(MLG_SCALE_CCS4, &ccs);
    if (rc != MLG_OK) {
        fprintf(stderr, "zoey: %s\n", mlg_strerror(rc));
        return 1;
    }

    printf("Zoey, OA learning target 1, evidence 1 2 3 3 (BUL-2332.7 Att. A)\n");
    printf("%-20s %10s  %s\n", "method", "value", "level");
    for (int32_t m = 0; m < MLG_METHOD_COUNT; m++) {
        mlg_method_params p;
        mlg_result r;
        mlg_errinfo err;
        if (mlg_method_params_init(&p, m) != MLG_OK)
            return 1;
        rc = mlg_series_compute(n, day, score, NULL, NULL, &ccs, &p, &r, &err);
        if (rc != MLG_OK) {
            fprintf(stderr, "zoey: %s: %s\n", mlg_method_name(m), err.message);
            return 1;
        }
        if (r.level == MLG_LEVEL_NA)
            printf("%-20s %10s  N/A\n", mlg_method_name(m), "-");
        else
            printf("%-20s %10.4f  %s\n", mlg_method_name(m), r.value,
                   ccs.label[r.level]);
    }
    return 0;
}
