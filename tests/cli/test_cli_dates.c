/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_cli_dates.c -- the mlg command's parse_date() (cli/util.c) against
 * the straightforward version it replaced (kept below as the reference):
 * the same accept/reject decision and the same day for every date of the
 * years 0000 to 9999 (months 00 to 19, days 00 to 39, with and without a
 * time after it), for mutations of valid dates and for random strings;
 * and days_from_civil() against the original over years -2e6 to 2e6. */
#include "util.h"

#include <stdio.h>
#include <string.h>

/* ---- the reference: parse_date and days_from_civil as of cc0b053 ---- */
static int32_t ref_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int64_t)doe - 719468);
}

static int ref_is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int ref_parse_date(const char *s, size_t len, int32_t *day)
{
    if (len < 10)
        return -1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return -1;
        } else if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
    }
    if (len > 10 && s[10] != 'T' && s[10] != ' ')
        return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return -1;
    unsigned lim = mdays[m - 1] + (m == 2 && ref_is_leap(y) ? 1u : 0u);
    if (d > lim)
        return -1;
    *day = ref_days_from_civil(y, m, d);
    return 0;
}
/* ---------------------------------------------------------------------- */

static long n_checked, n_accepted, n_failed;

static void check(const char *s, size_t len)
{
    int32_t a = -12345, b = -12345;
    int ra = ref_parse_date(s, len, &a), rb = parse_date(s, len, &b);
    n_checked++;
    n_accepted += ra == 0;
    if (ra != rb || a != b) {
        if (n_failed++ < 20) {
            fprintf(stderr, "parse_date(\"");
            for (size_t i = 0; i < len; i++)
                fprintf(stderr, (unsigned char)s[i] < 32 || (unsigned char)s[i] > 126 ? "\\x%02x"
                                                                                      : "%c",
                        (unsigned char)s[i]);
            fprintf(stderr, "\", %zu): reference %d day %d, new %d day %d\n", len, ra, (int)a,
                    rb, (int)b);
        }
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

int main(void)
{
    static const char *tails[] = {"", "T", " ", "T08:30:00Z", " 12:00", "X", "-", "0", "t"};
    char buf[64];
    /* every year, month 00..19 and day 00..39, with each tail */
    for (int y = 0; y <= 9999; y++)
        for (int m = 0; m <= 19; m++)
            for (int d = 0; d <= 39; d++) {
                snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
                for (size_t k = 0; k < sizeof tails / sizeof *tails; k++) {
                    size_t tl = strlen(tails[k]);
                    memcpy(buf + 10, tails[k], tl + 1);
                    check(buf, 10 + tl);
                }
            }
    /* the valid dates of a few years with one byte changed to any value,
     * and every shorter prefix */
    for (int y = 1899; y <= 2101; y += 101)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 31; d++) {
                snprintf(buf, sizeof buf, "%04d-%02d-%02dT", y, m, d);
                for (size_t len = 0; len <= 11; len++)
                    check(buf, len);
                for (int i = 0; i < 11; i++) {
                    char keep = buf[i];
                    for (int c = 0; c < 256; c++) {
                        buf[i] = (char)c;
                        check(buf, 10);
                        check(buf, 11);
                    }
                    buf[i] = keep;
                }
            }
    /* random strings: bytes from a date-like alphabet or any byte */
    static const char alpha[] = "0123456789-- T:";
    for (long k = 0; k < 4000000; k++) {
        uint64_t r = next();
        size_t len = 8 + (size_t)(r % 8);
        int any = (r >> 3 & 3) == 0;
        for (size_t i = 0; i < len; i++) {
            uint64_t q = next();
            buf[i] = any ? (char)(q & 0xFF) : alpha[q % (sizeof alpha - 1)];
        }
        /* often keep the shape of a date so the later checks are reached */
        if ((r >> 5 & 1) && len >= 10) {
            buf[4] = '-';
            buf[7] = '-';
        }
        check(buf, len);
    }
    /* days_from_civil itself, over years far outside 0000..9999 (its
     * unsigned fast range ends at 1,000,000; below 0 it takes eras) */
    for (int64_t y = -2000003; y <= 2000003; y += 7)
        for (unsigned m = 1; m <= 12; m++)
            for (unsigned d = 1; d <= 31; d += 15) {
                n_checked++;
                if (days_from_civil(y, m, d) != ref_days_from_civil(y, m, d) &&
                    n_failed++ < 20)
                    fprintf(stderr, "days_from_civil(%lld, %u, %u) differs\n", (long long)y, m,
                            d);
            }
    printf("%ld checks, %ld strings accepted, %ld differ\n", n_checked, n_accepted, n_failed);
    return n_failed != 0;
}
