/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bundle.c -- reading a OneRoster .zip bundle with libzip (see bundle.h). */
#include "bundle.h"

#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

/* mkdtemp is POSIX 2008 but declared only with _DEFAULT_SOURCE by glibc's
 * stdlib.h under strict C11. */
char *mkdtemp(char *template);

int bundle_is_zip(const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char b[4] = {0, 0, 0, 0};
    size_t got = fread(b, 1, 4, f);
    fclose(f);
    return got == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
}

static int csv_name(const char *n)
{
    size_t len = strlen(n);
    return len > 4 && strcmp(n + len - 4, ".csv") == 0 && !strchr(n, '/') && !strchr(n, '\\') &&
           n[0] != '.';
}

int bundle_extract(const char *zip, char *dir, size_t cap)
{
    int zerr = 0;
    zip_t *z = zip_open(zip, ZIP_RDONLY, &zerr);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        diag("%s: not a readable zip bundle: %s", zip, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return EXIT_DATA;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, cap, "%s/mlg-oneroster-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        diag("cannot create a temporary directory: %s", strerror(errno));
        zip_close(z);
        return EXIT_IO;
    }
    int ret = EXIT_OK;
    zip_int64_t n = zip_get_num_entries(z, 0);
    char buf[1 << 16];
    for (zip_int64_t i = 0; i < n && ret == EXIT_OK; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        if (!name)
            continue;
        size_t len = strlen(name);
        if (len && name[len - 1] == '/')
            continue; /* a folder entry */
        if (!csv_name(name)) {
            diag("%s: entry '%s' left out (OneRoster bundles hold CSV files at the root)", zip,
                 name);
            continue;
        }
        zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *out = zf ? fopen(path, "wb") : NULL;
        if (!zf || !out) {
            diag("%s: cannot extract '%s': %s", zip, name,
                 zf ? strerror(errno) : zip_strerror(z));
            ret = zf ? EXIT_IO : EXIT_DATA;
        }
        zip_int64_t got;
        while (ret == EXIT_OK && (got = zip_fread(zf, buf, sizeof buf)) > 0)
            if (fwrite(buf, 1, (size_t)got, out) != (size_t)got) {
                diag("%s: write error: %s", path, strerror(errno));
                ret = EXIT_IO;
            }
        if (ret == EXIT_OK && got < 0) {
            diag("%s: cannot read '%s': %s", zip, name, zip_file_strerror(zf));
            ret = EXIT_DATA;
        }
        if (out && fclose(out) != 0 && ret == EXIT_OK) {
            diag("%s: write error: %s", path, strerror(errno));
            ret = EXIT_IO;
        }
        if (zf)
            zip_fclose(zf);
    }
    zip_discard(z);
    if (ret != EXIT_OK)
        bundle_remove(dir);
    return ret;
}

void bundle_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        char path[4096];
        while ((de = readdir(d)) != NULL) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            (void)unlink(path);
        }
        closedir(d);
    }
    (void)rmdir(dir);
}
