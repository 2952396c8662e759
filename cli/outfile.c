/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outfile.c -- output files written to a temporary name and renamed into
 * place on success (see outfile.h). */
/* realpath() */
#define _XOPEN_SOURCE 700
#include "outfile.h"

#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporary files not yet committed, removed at exit or on a fatal signal.
 * A run opens at most a handful of outputs at a time. */
#define PENDING_MAX 32
static char *volatile pending[PENDING_MAX];
static int cleanup_installed;

static void remove_pending(void)
{
    for (int i = 0; i < PENDING_MAX; i++)
        if (pending[i])
            unlink(pending[i]);
}

static void on_fatal_signal(int sig)
{
    remove_pending(); /* unlink() is async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_cleanup(void)
{
    if (cleanup_installed)
        return;
    cleanup_installed = 1;
    atexit(remove_pending);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* keep a disposition the caller chose (e.g. nohup's SIG_IGN) */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
            signal(sigs[i], on_fatal_signal);
    }
}

static int pending_add(char *tmp)
{
    for (int i = 0; i < PENDING_MAX; i++)
        if (!pending[i]) {
            pending[i] = tmp;
            return i;
        }
    return -1;
}

/* The directory part of path ("." when there is none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    size_t n = (size_t)(slash - path);
    char *d = xmalloc(n + 1);
    memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int same_inode(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Is path's directory the directory dir (an existing directory)? */
static int in_dir(const char *path, const struct stat *dir)
{
    char *d = dir_of(path);
    struct stat sd;
    int r = stat(d, &sd) == 0 && same_inode(&sd, dir);
    free(d);
    return r;
}

int same_file(const char *a, const char *b)
{
    if (!a || !b || !strcmp(a, "-") || !strcmp(b, "-"))
        return 0;
    struct stat sa, sb;
    int ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
    if (ea && eb)
        return same_inode(&sa, &sb);
    if (ea || eb)
        return 0;
    /* neither exists yet: the same name in the same directory */
    if (strcmp(base_of(a), base_of(b)) != 0)
        return 0;
    char *da = dir_of(a);
    struct stat sd;
    int r = stat(da, &sd) == 0 && in_dir(b, &sd);
    free(da);
    return r;
}

static void release(outfile *o)
{
    if (o->slot >= 0 && o->tmp && pending[o->slot] == o->tmp)
        pending[o->slot] = NULL;
    free(o->tmp);
    free(o->path);
    if (o->f && o->f != stdout)
        fclose(o->f);
    o->f = NULL;
    o->tmp = NULL;
    o->path = NULL;
    o->slot = -1;
}

int outfile_open(outfile *o, const char *path, const char *const *inputs, size_t n_inputs)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
    if (!path || !strcmp(path, "-")) {
        o->f = stdout;
        return EXIT_OK;
    }
    for (size_t i = 0; i < n_inputs; i++) {
        const char *in = inputs[i];
        struct stat si;
        if (!in || !strcmp(in, "-"))
            continue;
        if (same_file(path, in) ||
            (stat(in, &si) == 0 && S_ISDIR(si.st_mode) && in_dir(path, &si))) {
            diag("%s: refusing to write over '%s', which this run reads or writes "
                 "(choose another output name)",
                 path, in);
            return EXIT_USAGE;
        }
    }
    /* A symbolic link is written through: its target is replaced. */
    struct stat st;
    char *real = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : NULL;
    o->path = real ? real : xstrdup(path);
    path = o->path;
    int exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        diag("%s: cannot create: %s", path, strerror(EISDIR));
        free(o->path);
        o->path = NULL;
        return EXIT_IO;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device or FIFO: written in place, nothing to rename */
        o->f = fopen(path, "wb");
        if (!o->f) {
            diag("%s: cannot create: %s", path, strerror(errno));
            free(o->path);
            o->path = NULL;
            return EXIT_IO;
        }
        return EXIT_OK;
    }
    install_cleanup();
    char *dir = dir_of(path);
    const char *base = base_of(path);
    size_t n = strlen(dir) + strlen(base) + 16;
    o->tmp = xmalloc(n);
    snprintf(o->tmp, n, "%s/.%s.XXXXXX", dir, base);
    free(dir);
    /* registered before it exists, so a signal in between leaves nothing */
    o->slot = pending_add(o->tmp);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        /* the name of the directory too: the file itself may be writable */
        diag("%s: cannot create a temporary file in its directory: %s", path,
             strerror(errno));
        /* nothing was created: the name in tmp is not ours to remove */
        release(o);
        return EXIT_IO;
    }
    /* the permissions a new file would get (mkstemp makes 0600), or the
     * old file's when replacing one */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t um = umask(022);
        umask(um);
        mode = 0666 & ~um;
    }
    (void)fchmod(fd, mode);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        diag("%s: cannot create: %s", path, strerror(errno));
        close(fd);
        outfile_abort(o);
        return EXIT_IO;
    }
    return EXIT_OK;
}


void outfile_abort(outfile *o)
{
    if (o->f && o->f != stdout)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp)
        unlink(o->tmp);
    release(o);
}

int outfile_close(outfile *o, const char *what)
{
    if (!o->f)
        return o->failed ? EXIT_IO : EXIT_OK;
    const char *name = what ? what : o->path ? o->path : "stdout";
    int err = 0;
    errno = 0;
    if (fflush(o->f) != 0)
        err = errno ? errno : EIO;
    if (!err && ferror(o->f))
        err = EIO;
    if (o->f == stdout) {
        o->f = NULL;
        if (err && err != EPIPE) { /* a closed pipe is quiet, like head(1) */
            diag("%s: write error: %s", name, strerror(err));
            o->failed = 1;
            return EXIT_IO;
        }
        return EXIT_OK;
    }
    errno = 0;
    if (fclose(o->f) != 0 && !err)
        err = errno ? errno : EIO;
    o->f = NULL;
    if (err) {
        diag("%s: write error: %s", name, strerror(err));
        o->failed = 1;
        if (o->tmp)
            unlink(o->tmp);
        release(o);
        return EXIT_IO;
    }
    return EXIT_OK;
}

int outfile_commit(outfile *o, const char *what)
{
    int rc = outfile_close(o, what);
    if (rc != EXIT_OK || !o->tmp)
        return rc;
    if (rename(o->tmp, o->path) != 0) {
        diag("%s: cannot rename %s into place: %s", o->path, o->tmp, strerror(errno));
        o->failed = 1;
        unlink(o->tmp);
        release(o);
        return EXIT_IO;
    }
    release(o);
    return EXIT_OK;
}
