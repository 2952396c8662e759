/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scan_bound.c -- how fast this machine can read a long evidence CSV at all:
 * a reference for `mlg compute`, not a reader.  It reads the file with
 * read(2) in 4 MiB blocks (from the page cache), finds every comma and line
 * break 64 bytes at a time (AVX2 compare + movemask, as simdjson's and
 * simdcsv's first stage; SSE2 without AVX2), and for each record of the
 * shape student_id,target_id,YYYY-MM-DD,score compares both ids with the
 * previous row's (length and bytes), converts the date to a day number and
 * the score (whole or with decimals) to a double, and counts rows, students,
 * (student, target) groups and the score sum.  Nothing is validated beyond
 * that shape, nothing is grouped, computed or written: a lower bound for the
 * reading part of the command, to set beside `wc -l` (bench/bench_cli.sh,
 * tool `scan`).
 *
 *   cc -O2 -o scan_bound bench/scan_bound.c -lpthread
 *   scan_bound [--threads N] FILE
 *
 * --threads N (default 1) splits the file into N byte ranges cut between
 * two students, one thread each.  Prints rows, students, groups, score sum and
 * the seconds on stdout (the counts let the caller check them against mlg).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLOCK ((size_t)4 << 20)

typedef struct {
    const char *path;
    off_t begin, end; /* [begin, end): whole lines */
    int64_t rows, students, groups, bad;
    double sum;
    int64_t daysum;
} job_t;

static int days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int)doe - 719468;
}

__attribute__((target("avx2"))) static uint64_t mask64_avx2(const char *p, char c)
{
    __m256i v = _mm256_set1_epi8(c);
    __m256i a = _mm256_loadu_si256((const __m256i *)p);
    __m256i b = _mm256_loadu_si256((const __m256i *)(p + 32));
    uint64_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, v));
    uint64_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, v));
    return lo | hi << 32;
}

static uint64_t mask64_sse2(const char *p, char c)
{
    __m128i v = _mm_set1_epi8(c);
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i a = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, v)) << (16 * k);
    }
    return m;
}

static int have_avx2;

/* One record [p, e) without its line break. */
static void record(job_t *j, const char *p, const char *e, const uint32_t *commas, int nc,
                   const char **prev_s, size_t *prev_sl, const char **prev_t, size_t *prev_tl)
{
    if (nc != 3) {
        j->bad++;
        return;
    }
    const char *s = p, *t = p + commas[0] + 1, *d = p + commas[1] + 1, *sc = p + commas[2] + 1;
    size_t sl = commas[0], tl = commas[1] - commas[0] - 1, dl = commas[2] - commas[1] - 1;
    size_t scl = (size_t)(e - sc);
    if (scl && sc[scl - 1] == '\r')
        scl--;
    j->rows++;
    int new_student = !(sl == *prev_sl && memcmp(s, *prev_s, sl) == 0);
    if (new_student)
        j->students++;
    if (new_student || !(tl == *prev_tl && memcmp(t, *prev_t, tl) == 0))
        j->groups++;
    *prev_s = s, *prev_sl = sl, *prev_t = t, *prev_tl = tl;
    if (dl >= 10) {
        unsigned y = (unsigned)(d[0] - '0') * 1000 + (unsigned)(d[1] - '0') * 100 +
                     (unsigned)(d[2] - '0') * 10 + (unsigned)(d[3] - '0');
        unsigned m = (unsigned)(d[5] - '0') * 10 + (unsigned)(d[6] - '0');
        unsigned dd = (unsigned)(d[8] - '0') * 10 + (unsigned)(d[9] - '0');
        j->daysum += days_from_civil((int)y, m, dd);
    } else {
        j->bad++;
    }
    double v = 0, f = 0.1;
    size_t i = 0;
    while (i < scl && sc[i] >= '0' && sc[i] <= '9')
        v = v * 10 + (sc[i++] - '0');
    if (i < scl && sc[i] == '.')
        for (i++; i < scl && sc[i] >= '0' && sc[i] <= '9'; i++, f *= 0.1)
            v += (sc[i] - '0') * f;
    j->sum += v;
}

static void *run(void *arg)
{
    job_t *j = arg;
    int fd = open(j->path, O_RDONLY);
    if (fd < 0) {
        perror(j->path);
        exit(1);
    }
    /* buffer: carried-over partial line + block + 64 bytes of padding */
    size_t cap = BLOCK * 2 + 64;
    char *buf = aligned_alloc(64, cap);
    size_t have = 0;
    off_t pos = j->begin;
    int first = j->begin == 0;
    uint32_t commas[16];
    /* The previous row's ids are copied at the end of each block, because
     * the block they point into is overwritten. */
    char prev_copy[2][256];
    const char *ps = "", *pt = "";
    size_t psl = (size_t)-1, ptl = (size_t)-1;
    for (;;) {
        size_t want = BLOCK;
        if (j->end - pos < (off_t)want)
            want = (size_t)(j->end - pos);
        ssize_t got = want ? pread(fd, buf + have, want, pos) : 0;
        if (got < 0) {
            perror("read");
            exit(1);
        }
        pos += got;
        size_t n = have + (size_t)got;
        int last = got == 0 || pos >= j->end;
        if (last && n && buf[n - 1] != '\n')
            buf[n++] = '\n';
        memset(buf + n, 0, 64);
        /* records: scan separators 64 bytes at a time */
        size_t rec = 0;
        int nc = 0;
        for (size_t base = 0; base < n; base += 64) {
            uint64_t mc = have_avx2 ? mask64_avx2(buf + base, ',') : mask64_sse2(buf + base, ',');
            uint64_t mn = have_avx2 ? mask64_avx2(buf + base, '\n') : mask64_sse2(buf + base, '\n');
            uint64_t all = mc | mn;
            while (all) {
                unsigned b = (unsigned)__builtin_ctzll(all);
                size_t at = base + b;
                if (at >= n)
                    break;
                if (mn >> b & 1) {
                    if (first) {
                        first = 0; /* the header */
                    } else if (at > rec) {
                        record(j, buf + rec, buf + at, commas, nc, &ps, &psl, &pt, &ptl);
                    }
                    rec = at + 1;
                    nc = 0;
                } else if (nc < 16) {
                    commas[nc++] = (uint32_t)(at - rec);
                } else {
                    nc = 17;
                }
                all &= all - 1;
            }
        }
        if (psl < sizeof prev_copy[0] && ptl < sizeof prev_copy[1]) {
            memmove(prev_copy[0], ps, psl);
            memmove(prev_copy[1], pt, ptl);
            ps = prev_copy[0];
            pt = prev_copy[1];
        }
        have = n - rec;
        memmove(buf, buf + rec, have);
        if (last)
            break;
    }
    free(buf);
    close(fd);
    return NULL;
}

/* Where a range may start: the first line at or after byte `at` whose
 * student id differs from the line before it (so no student is split), or
 * just after the first line break when no such line is within 1 MiB. */
static off_t cut_after(const char *path, off_t at, off_t size)
{
    int fd = open(path, O_RDONLY);
    size_t cap = (size_t)1 << 20;
    char *b = malloc(cap + 1);
    ssize_t got = fd < 0 ? -1 : pread(fd, b, cap, at);
    if (fd >= 0)
        close(fd);
    off_t cut = size;
    if (got > 0) {
        char *e = b + got;
        *e = '\n';
        char *line = memchr(b, '\n', (size_t)got + 1) + 1;
        if (line < e) {
            cut = at + (line - b);
            char *c0 = memchr(line, ',', (size_t)(e - line));
            size_t idlen = c0 ? (size_t)(c0 - line) : 0;
            for (char *q = line; c0 && q < e;) {
                char *nl = memchr(q, '\n', (size_t)(e - q) + 1);
                if (nl == e)
                    break; /* partial last line of the window */
                char *c = memchr(q, ',', (size_t)(nl - q));
                if (!c || (size_t)(c - q) != idlen || memcmp(q, line, idlen) != 0) {
                    cut = at + (q - b);
                    break;
                }
                q = nl + 1;
            }
        }
    }
    free(b);
    return cut;
}

int main(int argc, char **argv)
{
    int nt = 1;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            nt = atoi(argv[++i]);
        else
            path = argv[i];
    }
    if (!path || nt < 1 || nt > 64) {
        fprintf(stderr, "usage: scan_bound [--threads N] FILE\n");
        return 2;
    }
    __builtin_cpu_init();
    have_avx2 = __builtin_cpu_supports("avx2");
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    job_t *job = calloc((size_t)nt, sizeof *job);
    pthread_t *tid = calloc((size_t)nt, sizeof *tid);
    off_t prev = 0;
    for (int k = 0; k < nt; k++) {
        job[k].path = path;
        job[k].begin = prev;
        job[k].end = k == nt - 1 ? st.st_size : cut_after(path, st.st_size / nt * (k + 1), st.st_size);
        if (job[k].end < job[k].begin)
            job[k].end = job[k].begin;
        prev = job[k].end;
        pthread_create(&tid[k], NULL, run, &job[k]);
    }
    job_t tot = {0};
    for (int k = 0; k < nt; k++) {
        pthread_join(tid[k], NULL);
        tot.rows += job[k].rows;
        tot.students += job[k].students;
        tot.groups += job[k].groups;
        tot.bad += job[k].bad;
        tot.sum += job[k].sum;
        tot.daysum += job[k].daysum;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* Ranges are cut between students, so the counts add up (unless a
     * student's rows span more than 1 MiB at a cut). */
    printf("rows %lld students %lld groups %lld other_shape %lld score_sum %.17g day_sum %lld "
           "threads %d %s seconds %.3f\n",
           (long long)tot.rows, (long long)tot.students, (long long)tot.groups,
           (long long)tot.bad, tot.sum, (long long)tot.daysum, nt, have_avx2 ? "avx2" : "sse2",
           sec);
    free(job);
    free(tid);
    return 0;
}
