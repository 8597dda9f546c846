#define _GNU_SOURCE
#include "mounts.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util.h"

/* openat2, retried on EAGAIN (a concurrent rename or mount raced the lookup). */
static int open_resolved(int dirfd, const char *path, int flags, uint64_t resolve) {
    struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = resolve };
    for (int attempt = 0;; attempt++) {
        int fd = (int)RETRY(syscall(SYS_openat2, dirfd, path, &how, sizeof how));
        if (fd >= 0 || errno != EAGAIN || attempt == 16) return fd;
    }
}

/* Opens path below rootfd as if rootfd were "/": absolute symlinks and ".." stay inside,
 * and /proc magic links (fd/N, exe, root) are refused. */
static int open_in_root(int rootfd, const char *path, int flags, uint64_t resolve) {
    return open_resolved(rootfd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve);
}

static int create_empty_file(int dirfd, const char *name) {
    int fd = RETRY(openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

/* One pass of mkpath_in_root over `walk`. Returns an fd, -1 with errno, or -2 after
 * rewriting `walk` because a component is a dangling symlink: the walk then restarts on
 * the symlink's target joined with the rest of the path. */
static int mkpath_walk(int rootfd, char *walk, int last_is_file) {
    char prefix[PATH_MAX], name[NAME_MAX + 1];
    size_t plen = 0;
    int parent = RETRY(fcntl(rootfd, F_DUPFD_CLOEXEC, 3));
    if (parent < 0) return -1;
    for (const char *s = walk;;) {
        while (*s == '/') s++;
        if (*s == '\0') break;
        const char *end = strchrnul(s, '/');
        size_t clen = (size_t)(end - s);
        if (clen > NAME_MAX || plen + 1 + clen >= sizeof prefix) {
            close(parent);
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(name, s, clen);
        name[clen] = '\0';
        size_t parent_len = plen;
        prefix[plen++] = '/';
        memcpy(prefix + plen, s, clen);
        plen += clen;
        prefix[plen] = '\0';
        s = end;
        while (*s == '/') s++;
        int last = *s == '\0';

        int next = open_in_root(rootfd, prefix, O_PATH, 0);
        if (next < 0 && errno == ENOENT && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            int rc = last && last_is_file ? create_empty_file(parent, name)
                                          : RETRY(mkdirat(parent, name, 0755));
            if (rc == 0 || errno == EEXIST) {
                next = open_in_root(rootfd, prefix, O_PATH, 0);
                int open_err = errno;
                char target[PATH_MAX], rewritten[PATH_MAX];
                ssize_t n;
                if (next < 0 && open_err == ENOENT &&
                    (n = readlinkat(parent, name, target, sizeof target - 1)) > 0) {
                    /* A dangling symlink: continue at its target, inside the root. */
                    target[n] = '\0';
                    prefix[parent_len] = '\0';
                    int w = snprintf(rewritten, sizeof rewritten, "%s/%s/%s",
                                     target[0] == '/' ? "" : prefix, target, s);
                    close(parent);
                    if (w < 0 || (size_t)w >= sizeof rewritten) {
                        errno = ENAMETOOLONG;
                        return -1;
                    }
                    memcpy(walk, rewritten, (size_t)w + 1);
                    return -2;
                }
                errno = open_err; /* not readlinkat's EINVAL */
            }
        }
        int err = errno;
        close(parent);
        if (next < 0) {
            errno = err;
            return -1;
        }
        parent = next;
    }
    return parent;
}

/* Opens path inside the root (O_PATH), creating what is missing one component at a time:
 * directories, and for the last component a directory or, with last_is_file, an empty
 * file. Each prefix is resolved afresh from the root with RESOLVE_IN_ROOT, so a symlink
 * met on the way (planted or raced in) is followed inside the root, never out of it; a
 * dangling one has its target created, as the kernel would resolve it. Returns an fd, or
 * -1 with errno. */
static int mkpath_in_root(int rootfd, const char *path, int last_is_file) {
    int fd = open_in_root(rootfd, path, O_PATH, 0);
    if (fd >= 0 || errno != ENOENT) return fd;
    char walk[PATH_MAX];
    if (strlen(path) >= sizeof walk) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(walk, path);
    for (int links = 0; links < 40; links++) {
        fd = mkpath_walk(rootfd, walk, last_is_file);
        if (fd != -2) return fd;
    }
    errno = ELOOP;
    return -1;
}

/* Opens the directory that will hold path's last component (creating it as needed) and
 * points *leaf at that component. */
static int open_parent_in_root(int rootfd, const char *path, const char **leaf) {
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    *leaf = slash ? slash + 1 : path;
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    if (dlen >= sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dir, path, dlen);
    dir[dlen] = '\0';
    return mkpath_in_root(rootfd, dlen ? dir : "/", 0);
}

/* Fails for a mount step, adding the filesystem's own explanation when it left one in the
 * fs context's message log (e.g. "tmpfs: Bad value for 'mode'"). */
__attribute__((noreturn)) static void fail_fs(int fsfd, const char *option, const char *what,
                                              const char *dest) {
    int err = errno;
    char detail[300] = "", msg[300];
    ssize_t n;
    while ((n = RETRY(read(fsfd, msg, sizeof msg - 1))) > 0) {
        while (n > 0 && msg[n - 1] == '\n') n--;
        msg[n] = '\0';
        if (msg[0] == 'e' && msg[1] == ' ') snprintf(detail, sizeof detail, "%s", msg + 2);
    }
    if (!detail[0] && option) snprintf(detail, sizeof detail, "option %s", option);
    fail_detail(err, detail, "mount %s on %s", what, dest);
}

/* Creates a detached mount of a new filesystem instance (fsopen/fsconfig/fsmount). data
 * is a comma list of key=value or flag options. Returns the mount fd. */
static int new_filesystem(const char *type, const char *source, const char *data,
                          unsigned attrs, const char *dest) {
    int fsfd = RETRY(fsopen(type, FSOPEN_CLOEXEC));
    if (fsfd < 0) fail_errno("mount %s on %s", type, dest);
    if (source && *source && strcmp(source, "-") != 0 &&
        RETRY(fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0)) < 0)
        fail_fs(fsfd, NULL, type, dest);
    if (data) {
        char *options = strdup(data), *save = NULL;
        if (!options) fail("out of memory");
        for (char *opt = strtok_r(options, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
            char *eq = strchr(opt, '=');
            int rc;
            if (eq) {
                *eq = '\0';
                rc = RETRY(fsconfig(fsfd, FSCONFIG_SET_STRING, opt, eq + 1, 0));
                *eq = '=';
            } else {
                rc = RETRY(fsconfig(fsfd, FSCONFIG_SET_FLAG, opt, NULL, 0));
            }
            if (rc < 0) fail_fs(fsfd, opt, type, dest);
        }
        free(options);
    }
    if (RETRY(fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) < 0) fail_fs(fsfd, NULL, type, dest);
    int mfd = RETRY(fsmount(fsfd, FSMOUNT_CLOEXEC, attrs));
    if (mfd < 0) fail_fs(fsfd, NULL, type, dest);
    close(fsfd);
    return mfd;
}

static int attach(int mfd, int target) {
    return RETRY(move_mount(mfd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
}

void mounts_prepare_binds(struct plan *p) {
    for (size_t i = 0; i < p->nops; i++) {
        struct mount_op *m = &p->ops[i].u.mount;
        if (p->ops[i].kind != OP_MOUNT || !m->bind) continue;
        unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (m->recursive ? AT_RECURSIVE : 0);
        if (m->beneath) {
            /* A subPath: resolved below SOURCE, where a symlink leading out fails
             * (CVE-2017-1002101), and cloned from that very descriptor, so nothing swapped
             * in after the resolution is what gets mounted (CVE-2021-25741). */
            int base = RETRY(open(m->source, O_PATH | O_DIRECTORY | O_CLOEXEC));
            if (base < 0) fail_errno("open bind source %s", m->source);
            int fd = open_resolved(base, m->beneath, O_PATH, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
            if (fd < 0) fail_errno("open bind source %s beneath %s", m->beneath, m->source);
            close(base);
            m->tree_fd = RETRY(open_tree(fd, "", flags | AT_EMPTY_PATH));
            close(fd);
        } else {
            m->tree_fd = RETRY(open_tree(AT_FDCWD, m->source, flags));
        }
        if (m->tree_fd < 0) fail_errno("open bind source %s", m->source);
        struct stat st;
        if (fstat(m->tree_fd, &st) < 0) fail_errno("stat bind source %s", m->source);
        m->source_is_dir = S_ISDIR(st.st_mode);
    }
}

void mounts_close_binds(struct plan *p) {
    for (size_t i = 0; i < p->nops; i++) {
        struct mount_op *m = &p->ops[i].u.mount;
        if (p->ops[i].kind == OP_MOUNT && m->bind && m->tree_fd >= 0) {
            close(m->tree_fd);
            m->tree_fd = -1;
        }
    }
}

/* The overlay, with one fsconfig("lowerdir+") per layer so the number of layers is not
 * bounded by the size of a mount(2) option page. Kernels before 6.8 lack lowerdir+, and
 * before 6.5 overlayfs parses options only at FSCONFIG_CMD_CREATE, so "lowerdir+" is
 * accepted by fsconfig and refused (EINVAL) by the create: on EINVAL from either, the
 * classic option string is tried with mount(2), whose error is then the one reported. */
static int mount_overlay_per_layer(const struct plan *p) {
    int fsfd = RETRY(fsopen("overlay", FSOPEN_CLOEXEC));
    if (fsfd < 0) fail_errno("mount overlay on %s", p->rootfs);
    if (RETRY(fsconfig(fsfd, FSCONFIG_SET_STRING, "source", "overlay", 0)) < 0)
        fail_fs(fsfd, NULL, "overlay", p->rootfs);
    char *layers = strdup(p->overlay_lower), *save = NULL;
    if (!layers) fail("out of memory");
    for (char *layer = strtok_r(layers, ":", &save); layer; layer = strtok_r(NULL, ":", &save)) {
        if (RETRY(fsconfig(fsfd, FSCONFIG_SET_STRING, "lowerdir+", layer, 0)) < 0) {
            if (errno == EINVAL) goto unsupported;
            fail_fs(fsfd, "lowerdir+", "overlay", p->rootfs);
        }
    }
    free(layers);
    layers = NULL;
    if (p->overlay_upper &&
        (RETRY(fsconfig(fsfd, FSCONFIG_SET_STRING, "upperdir", p->overlay_upper, 0)) < 0 ||
         RETRY(fsconfig(fsfd, FSCONFIG_SET_STRING, "workdir", p->overlay_work, 0)) < 0))
        fail_fs(fsfd, NULL, "overlay", p->rootfs);
    if (RETRY(fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) < 0) {
        if (errno == EINVAL) goto unsupported;
        fail_fs(fsfd, NULL, "overlay", p->rootfs);
    }
    int mfd = RETRY(fsmount(fsfd, FSMOUNT_CLOEXEC, 0));
    if (mfd < 0) fail_fs(fsfd, NULL, "overlay", p->rootfs);
    if (RETRY(move_mount(mfd, "", AT_FDCWD, p->rootfs, MOVE_MOUNT_F_EMPTY_PATH)) < 0)
        fail_errno("mount overlay on %s", p->rootfs);
    close(mfd);
    close(fsfd);
    return 1;
unsupported:
    free(layers);
    close(fsfd);
    return 0;
}

static void mount_overlay(const struct plan *p) {
    if (mount_overlay_per_layer(p)) return;
    char data[4096];
    int n = p->overlay_upper
                ? snprintf(data, sizeof data, "lowerdir=%s,upperdir=%s,workdir=%s",
                           p->overlay_lower, p->overlay_upper, p->overlay_work)
                : snprintf(data, sizeof data, "lowerdir=%s", p->overlay_lower);
    if (n < 0 || (size_t)n >= sizeof data)
        fail("mount overlay on %s: layer list longer than this kernel accepts", p->rootfs);
    if (RETRY(mount("overlay", p->rootfs, "overlay", 0, data)) < 0)
        fail_errno("mount overlay on %s", p->rootfs);
}

static void bind_rootfs(const struct plan *p) {
    int tree = RETRY(open_tree(AT_FDCWD, p->rootfs, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
    if (tree < 0) fail_errno("bind rootfs %s", p->rootfs);
    if (RETRY(move_mount(tree, "", AT_FDCWD, p->rootfs, MOVE_MOUNT_F_EMPTY_PATH)) < 0)
        fail_errno("bind rootfs %s", p->rootfs);
    close(tree);
}

static int is_null_device(const struct stat *st) {
    return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* CVE-2025-31133: an image whose /dev/null is a symlink (or anything but the null device)
 * could turn "bind /dev/null over a masked path" into binding a file of its choosing. */
static void check_dev_null(int rootfd, const char *rootfs) {
    int fd = open_in_root(rootfd, "/dev/null", O_PATH | O_NOFOLLOW, 0);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return;
        fail_errno("open %s/dev/null", rootfs);
    }
    struct stat st;
    if (fstat(fd, &st) < 0) fail_errno("stat %s/dev/null", rootfs);
    close(fd);
    if (!is_null_device(&st))
        fail("rootfs %s: /dev/null is not the null character device (1:3); refusing it "
             "(CVE-2025-31133)", rootfs);
}

static void apply_mount(int rootfd, const struct mount_op *m) {
    const char *what = m->bind ? m->source : m->type;
    int mfd;
    if (m->bind) {
        /* The clone may still share propagation with the host (a shared source mount):
         * make it a slave (host mounts still propagate in, nothing goes out) or private. */
        struct mount_attr attr = {
            .attr_set = m->attrs,
            .attr_clr = m->set_atime ? MOUNT_ATTR__ATIME : 0,
            .propagation = m->private_ ? MS_PRIVATE : MS_SLAVE,
        };
        if (RETRY(mount_setattr(m->tree_fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr)) < 0)
            fail_errno("mount %s on %s", what, m->dest);
        mfd = m->tree_fd;
    } else {
        mfd = new_filesystem(m->type, m->source, m->data, m->attrs, m->dest);
    }
    int target = mkpath_in_root(rootfd, m->dest, m->bind && !m->source_is_dir);
    if (target < 0) fail_errno("mount %s on %s", what, m->dest);
    if (attach(mfd, target) < 0) fail_errno("mount %s on %s", what, m->dest);
    close(target);
    close(mfd);
}

/* In a user namespace mknod is not allowed: bind the host's device node instead (the host
 * tree is still visible before pivot_root), as rootless runtimes do. */
static void bind_host_device(int dirfd, const char *leaf, const char *path) {
    if (create_empty_file(dirfd, leaf) < 0 && errno != EEXIST) fail_errno("create %s", path);
    int target = RETRY(openat(dirfd, leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (target < 0) fail_errno("open %s", path);
    int tree = RETRY(open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
    if (tree < 0) fail_errno("bind host device %s", path);
    if (attach(tree, target) < 0) fail_errno("bind host device %s", path);
    close(tree);
    close(target);
}

static void make_device(int rootfd, const struct device_op *d, int in_user_ns) {
    const char *leaf;
    int dir = open_parent_in_root(rootfd, d->path, &leaf);
    if (dir < 0) fail_errno("mknod %s", d->path);
    dev_t dev = makedev(d->major, d->minor);
    if (RETRY(mknodat(dir, leaf, d->type | d->mode, dev)) < 0) {
        if (errno == EPERM && in_user_ns) {
            bind_host_device(dir, leaf, d->path);
            close(dir);
            return; /* no chown: it would change the host's node */
        }
        struct stat st;
        if (errno != EEXIST) fail_errno("mknod %s", d->path);
        if (fstatat(dir, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0) fail_errno("stat %s", d->path);
        if ((st.st_mode & S_IFMT) != d->type || st.st_rdev != dev)
            fail("mknod %s: a different file already exists there", d->path);
    }
    if (RETRY(fchownat(dir, leaf, d->uid, d->gid, AT_SYMLINK_NOFOLLOW)) < 0)
        fail_errno("chown %s", d->path);
    close(dir);
}

static void make_symlink(int rootfd, const char *target, const char *linkpath) {
    const char *leaf;
    int dir = open_parent_in_root(rootfd, linkpath, &leaf);
    if (dir < 0) fail_errno("symlink %s", linkpath);
    if (RETRY(symlinkat(target, dir, leaf)) < 0) {
        if (errno != EEXIST) fail_errno("symlink %s", linkpath);
        char existing[PATH_MAX];
        ssize_t n = readlinkat(dir, leaf, existing, sizeof existing);
        if (n < 0 || (size_t)n != strlen(target) || memcmp(existing, target, (size_t)n) != 0)
            fail("symlink %s: a different file already exists there", linkpath);
    }
    close(dir);
}

void mounts_setup_rootfs(const struct plan *p) {
    /* Nothing done in this namespace may propagate back to the host; host mounts made
     * later under a bind source still propagate in (rslave, as HostToContainer wants). */
    if (RETRY(mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL)) < 0) fail_errno("make / rslave");
    if (p->has_overlay) mount_overlay(p);
    else bind_rootfs(p);

    int rootfd = RETRY(open(p->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (rootfd < 0) fail_errno("open rootfs %s", p->rootfs);
    check_dev_null(rootfd, p->rootfs);

    int in_user_ns = (p->clone_flags & CLONE_NEWUSER) != 0;
    for (size_t i = 0; i < p->nops; i++) {
        const struct fs_op *op = &p->ops[i];
        if (op->kind == OP_MOUNT) apply_mount(rootfd, &op->u.mount);
        else if (op->kind == OP_DEVICE) make_device(rootfd, &op->u.device, in_user_ns);
        else if (op->kind == OP_SYMLINK) make_symlink(rootfd, op->u.symlink.target, op->u.symlink.linkpath);
    }
    if (p->cwd) {
        int fd = mkpath_in_root(rootfd, p->cwd, 0);
        if (fd < 0) fail_errno("create cwd %s", p->cwd);
        close(fd);
    }

    /* pivot_root(".", ".") stacks the old root on the new one; unmounting "." then
     * detaches the old root without needing a directory for it inside the rootfs. */
    if (fchdir(rootfd) < 0) fail_errno("chdir %s", p->rootfs);
    if (RETRY(syscall(SYS_pivot_root, ".", ".")) < 0) fail_errno("pivot_root %s", p->rootfs);
    if (RETRY(umount2(".", MNT_DETACH)) < 0) fail_errno("detach the old root");
    if (chdir("/") < 0) fail_errno("chdir /");
    close(rootfd);
}

/* The container's own /dev/null, verified: masks are bound from it (CVE-2025-31133). */
static int open_dev_null(int root) {
    int fd = open_in_root(root, "/dev/null", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
    if (fd < 0) fail_errno("mask: open /dev/null");
    struct stat st;
    if (fstat(fd, &st) < 0) fail_errno("mask: stat /dev/null");
    if (!is_null_device(&st)) fail("mask: /dev/null is not the null character device (1:3)");
    return fd;
}

static void mask_path(int root, const char *path, int *nullfd) {
    int target = open_in_root(root, path, O_PATH, 0);
    if (target < 0) {
        if (errno == ENOENT) return;
        fail_errno("mask %s", path);
    }
    struct stat st;
    if (fstat(target, &st) < 0) fail_errno("mask %s", path);
    int mfd;
    if (S_ISDIR(st.st_mode)) {
        mfd = new_filesystem("tmpfs", "tmpfs", NULL,
                             MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                             path);
    } else {
        if (*nullfd < 0) *nullfd = open_dev_null(root);
        mfd = RETRY(open_tree(*nullfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH));
        if (mfd < 0) fail_errno("mask %s", path);
    }
    if (attach(mfd, target) < 0) fail_errno("mask %s", path);
    close(mfd);
    close(target);
}

static void readonly_path(int root, const char *path) {
    int target = open_in_root(root, path, O_PATH, 0);
    if (target < 0) {
        if (errno == ENOENT) return;
        fail_errno("make %s read-only", path);
    }
    int tree = RETRY(open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE));
    if (tree < 0) fail_errno("make %s read-only", path);
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
    if (RETRY(mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr)) < 0 ||
        attach(tree, target) < 0)
        fail_errno("make %s read-only", path);
    close(tree);
    close(target);
}

void mounts_finish(const struct plan *p) {
    int root = RETRY(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (root < 0) fail_errno("open /");
    int nullfd = -1;
    for (size_t i = 0; i < p->nops; i++) {
        const struct fs_op *op = &p->ops[i];
        if (op->kind == OP_MASKED) mask_path(root, op->u.path, &nullfd);
        else if (op->kind == OP_READONLY) readonly_path(root, op->u.path);
    }
    if (p->readonly_rootfs) {
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
        if (RETRY(mount_setattr(root, "", AT_EMPTY_PATH, &attr, sizeof attr)) < 0)
            fail_errno("remount / read-only");
    }
    if (nullfd >= 0) close(nullfd);
    close(root);
}
