/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oneroster.c -- OneRoster 1.2 CSV output helpers (see oneroster.h). */
#include "oneroster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int plain(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           c == '.' || c == '-' || c == '_';
}

static uint64_t fnv(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

void or_guid(char *buf, const char *a, const char *b)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    const char *part[2] = {a, b};
    for (int k = 0; k < 2 && part[k]; k++) {
        if (k)
            buf[n++] = '/';
        for (const unsigned char *p = (const unsigned char *)part[k]; *p && n < 256; p++) {
            if (plain(*p)) {
                buf[n++] = (char)*p;
            } else if (n + 3 < 256) {
                buf[n++] = '@';
                buf[n++] = hex[*p >> 4];
                buf[n++] = hex[*p & 15];
            } else {
                n = 256;
            }
        }
        if (n >= 256)
            break;
    }
    if (n < 256) {
        buf[n] = '\0';
        return;
    }
    /* too long: two independent 64-bit hashes of both parts */
    uint64_t h1 = fnv(a, 1469598103934665603ull), h2 = fnv(a, 0x9e3779b97f4a7c15ull);
    if (b) {
        h1 = fnv(b, (h1 ^ '/') * 1099511628211ull);
        h2 = fnv(b, (h2 ^ '/') * 1099511628211ull);
    }
    snprintf(buf, 256, "mlg@%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
}

void or_timestamp(char *buf)
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && sde[0]) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (!*end && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

void or_write_manifest(FILE *out, const char *dir)
{
    /* OneRoster 1.2.1 Table 3.1: every file.* row, in its order */
    static const char *const files[] = {
        "academicSessions", "categories", "classes", "classResources", "courses",
        "courseResources", "demographics", "enrollments", "lineItemLearningObjectiveIds",
        "lineItems", "lineItemScoreScales", "orgs", "resources", "resultLearningObjectiveIds",
        "results", "resultScoreScales", "roles", "scoreScales", "userProfiles",
        "userResources", "users"};
    char p[4096];
    snprintf(p, sizeof p, "%s/manifest.csv", dir);
    out_t o;
    out_init(&o, out);
    out_str(&o, "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n");
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        const char *f = files[k];
        int ours = !strcmp(f, "lineItems") || !strcmp(f, "lineItemLearningObjectiveIds") ||
                   !strcmp(f, "results") || !strcmp(f, "resultLearningObjectiveIds");
        out_str(&o, "file.");
        out_str(&o, f);
        out_str(&o, ours ? ",delta\n" : ",absent\n");
    }
    out_str(&o, "source.systemName,libmlg\nsource.systemCode,mlg\n");
    check_write_errors(&o, p);
    out_free(&o);
}
