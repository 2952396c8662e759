/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_util.c -- input decoding, a scratch directory, the CLI entry point
 * and the JSON oracle shared by the harnesses (fuzz.h). */
#include "fuzz.h"

#include <dirent.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef MLG_FUZZ_JSON
#include <jansson.h>
#endif

uint8_t fuzz_u8(fuzz_in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

uint32_t fuzz_u32(fuzz_in *in)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)fuzz_u8(in) << (8 * i);
    return v;
}

double fuzz_f64(fuzz_in *in)
{
    uint64_t b = 0;
    for (int i = 0; i < 8; i++)
        b |= (uint64_t)fuzz_u8(in) << (8 * i);
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

double fuzz_special(fuzz_in *in)
{
    /* the values random bits almost never hit: the ends of the range */
    static const double v[] = {1e308, 1.7976931348623157e308, 8.98846567431158e307,
                               5e-324, 2.2250738585072014e-308, 1e-300, 1e300, -0.0,
                               0.0, -1.0, -1e308, 1.0000000000000002, 0.9999999999999999};
    return v[fuzz_u8(in) % (sizeof v / sizeof v[0])];
}

double fuzz_score(fuzz_in *in)
{
    const uint8_t sel = fuzz_u8(in);
    if (sel < 200)
        return (sel % 10) * 0.5; /* 0, 0.5, ..., 4.5: in and just out of scale */
    if (sel < 220)
        return (double)(int8_t)fuzz_u8(in) / 8.0;
    if (sel < 235)
        return fuzz_special(in);
    return fuzz_f64(in);
}

int fuzz_pending(void)
{
    static int v = -1;
    if (v < 0) {
        const char *e = getenv("MLG_FUZZ_PENDING");
        v = e && e[0] == '1';
    }
    return v;
}

static char dir_buf[256];

static void remove_dir(void)
{
    DIR *d = opendir(dir_buf);
    if (!d)
        return;
    struct dirent *e;
    char p[600];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir_buf, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d2 = opendir(p);
            struct dirent *e2;
            char p2[900];
            while (d2 && (e2 = readdir(d2)) != NULL) {
                snprintf(p2, sizeof p2, "%s/%s", p, e2->d_name);
                unlink(p2);
            }
            if (d2)
                closedir(d2);
            rmdir(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
    rmdir(dir_buf);
}

const char *fuzz_dir(void)
{
    if (!dir_buf[0]) {
        struct stat st;
        const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm"
                           : getenv("TMPDIR")                              ? getenv("TMPDIR")
                                                                           : "/tmp";
        snprintf(dir_buf, sizeof dir_buf, "%s/mlg-fuzz-%ld", base, (long)getpid());
        if (mkdir(dir_buf, 0700) != 0 && stat(dir_buf, &st) != 0) {
            perror(dir_buf);
            abort();
        }
        atexit(remove_dir);
    }
    return dir_buf;
}

const char *fuzz_path(int slot, const char *name)
{
    static char buf[8][512];
    snprintf(buf[slot & 7], sizeof buf[0], "%s/%s", fuzz_dir(), name);
    return buf[slot & 7];
}

void fuzz_write(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

char *fuzz_read(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *b = malloc(cap + 1);
    size_t got;
    while (b && (got = fread(b + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            char *nb = realloc(b, cap + 1);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    fclose(f);
    if (!b)
        abort();
    b[len] = '\0';
    if (n)
        *n = len;
    return b;
}

#ifdef MLG_FUZZ_CLI
int fuzz_cli(const char *const *argv)
{
    int argc = 0;
    char *args[64];
    while (argv[argc] && argc < 63) {
        args[argc] = (char *)(uintptr_t)argv[argc]; /* main() takes char ** */
        argc++;
    }
    args[argc] = NULL;
    fflush(stdout);
    return mlg_cli_main(argc, args);
}
#endif

size_t fuzz_csv_records(const char *t)
{
    size_t n = 0;
    int q = 0, any = 0;
    for (; *t; t++) {
        any = 1;
        if (*t == '"')
            q = !q;
        else if (*t == '\n' && !q) {
            n++;
            any = 0;
        }
    }
    return n + (any ? 1 : 0);
}

#ifdef MLG_FUZZ_JSON
static long long jint(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    FUZZ_CHECK(json_is_integer(v), "summary.%s is not an integer", k);
    return (long long)json_integer_value(v);
}

long long fuzz_check_compute_json(const char *path, int check_accounting, size_t *marks)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    FUZZ_CHECK(root, "%s does not parse as JSON: line %d: %s", path, je.line, je.text);
    FUZZ_CHECK(json_is_string(json_object_get(root, "policy")),
               "no policy string (\"none\" without --policy)");
    json_t *m = json_object_get(root, "marks");
    FUZZ_CHECK(json_is_array(m), "no marks array");
    size_t i;
    json_t *it;
    json_array_foreach(m, i, it) {
        json_t *v = json_object_get(it, "value"), *l = json_object_get(it, "level");
        FUZZ_CHECK(v && l, "mark %zu lacks value or level", i);
        FUZZ_CHECK(json_is_null(v) == json_is_null(l),
                   "mark %zu: value %s but level %s", i, json_is_null(v) ? "null" : "set",
                   json_is_null(l) ? "null" : "set");
        FUZZ_CHECK(json_is_null(v) || (json_is_number(v) && isfinite(json_number_value(v))),
                   "mark %zu: value is not a finite number", i);
        FUZZ_CHECK(json_is_string(json_object_get(it, "student_id")) &&
                       json_is_string(json_object_get(it, "id")),
                   "mark %zu: ids are not strings", i);
    }
    json_t *s = json_object_get(root, "summary");
    FUZZ_CHECK(json_is_object(s), "no summary");
    const long long rd = jint(s, "read"), us = jint(s, "used"), sk = jint(s, "skipped"),
                    rj = jint(s, "rejected");
    FUZZ_CHECK(rd >= 0 && us >= 0 && sk >= 0 && rj >= 0, "negative count");
    if (check_accounting)
        FUZZ_CHECK(rd == us + sk + rj, "read %lld != used %lld + skipped %lld + rejected %lld",
                   rd, us, sk, rj);
    if (marks)
        *marks = json_array_size(m);
    json_decref(root);
    return rj;
}
#endif

void fuzz_check_json_run(int rc, const char *out)
{
    FUZZ_CHECK(rc == 0 || rc == 1 || rc == 3, "exit status %d", rc);
    char *o = fuzz_read(out, NULL);
    FUZZ_CHECK(o, "the output vanished");
    if (rc == 1) {
        FUZZ_CHECK(!strcmp(o, FUZZ_SENTINEL), "a failed run changed its output");
    } else {
        const long long rejected = fuzz_check_compute_json(out, 1, NULL);
        FUZZ_CHECK((rc == 3) == (rejected > 0), "exit %d with %lld rejected", rc, rejected);
    }
    free(o);
}
