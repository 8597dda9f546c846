#define _GNU_SOURCE
#include "plan.h"

#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "util.h"

#define MAX_FIELDS 8
#define DEFAULT_GRACE_SECONDS 30

/* The line being parsed, for error messages. */
static int line_no;

/* Fails with "plan line N: <message>". */
__attribute__((noreturn, format(printf, 1, 2))) static void plan_fail(const char *fmt, ...) {
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fail("plan line %d: %s", line_no, msg);
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decodes a percent-encoded field in place; `%` alone is the empty field. */
static void decode_field(char *field) {
    if (field[0] == '%' && field[1] == '\0') {
        field[0] = '\0';
        return;
    }
    char *out = field;
    for (const char *in = field; *in;) {
        if (*in != '%') {
            *out++ = *in++;
            continue;
        }
        int hi = hex_value(in[1]), lo = hi < 0 ? -1 : hex_value(in[2]);
        if (hi < 0 || lo < 0) plan_fail("bad percent escape in \"%s\"", field);
        if (hi == 0 && lo == 0) plan_fail("NUL byte in a field");
        *out++ = (char)(hi * 16 + lo);
        in += 3;
    }
    *out = '\0';
}

static uint64_t parse_u64(const char *s, int base, uint64_t max, const char *what) {
    char *end;
    errno = 0;
    if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ') plan_fail("bad %s \"%s\"", what, s);
    unsigned long long v = strtoull(s, &end, base);
    if (errno != 0 || *end != '\0' || v > max) plan_fail("bad %s \"%s\"", what, s);
    return v;
}

static uint64_t parse_hex_mask(const char *s) {
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
    return parse_u64(s, 16, UINT64_MAX, "capability mask");
}

/* Splits a comma list in place; returns the number of items (0 for `-` or empty). */
static size_t split_list(char *s, char **items, size_t max) {
    if (*s == '\0' || strcmp(s, "-") == 0) return 0;
    size_t n = 0;
    for (char *item = strtok(s, ","); item; item = strtok(NULL, ",")) {
        if (n == max) plan_fail("too many items in a list");
        items[n++] = item;
    }
    return n;
}

static void grow(void **array, size_t count, size_t elem) {
    /* Arrays grow by powers of two; count is the current number of elements. */
    if (count == 0 || (count & (count - 1)) == 0)
        *array = xrealloc(*array, (count == 0 ? 1 : count * 2) * elem);
}

static struct fs_op *add_op(struct plan *p, enum fs_op_kind kind) {
    grow((void **)&p->ops, p->nops, sizeof *p->ops);
    struct fs_op *op = &p->ops[p->nops++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    return op;
}

static void append_map(char **map, const char *in, const char *out, const char *count) {
    parse_u64(in, 10, UINT32_MAX, "map id");
    parse_u64(out, 10, UINT32_MAX, "map id");
    parse_u64(count, 10, UINT32_MAX, "map count");
    size_t old = *map ? strlen(*map) : 0;
    size_t add = strlen(in) + strlen(out) + strlen(count) + 3;
    *map = xrealloc(*map, old + add + 1);
    snprintf(*map + old, add + 1, "%s %s %s\n", in, out, count);
}

static const struct { const char *name; int flag; } namespace_names[] = {
    {"mnt", CLONE_NEWNS},       {"pid", CLONE_NEWPID}, {"uts", CLONE_NEWUTS},
    {"ipc", CLONE_NEWIPC},      {"net", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP},
    {"user", CLONE_NEWUSER},    {"time", CLONE_NEWTIME},
};

static int namespace_flag(const char *name) {
    for (size_t i = 0; i < sizeof namespace_names / sizeof *namespace_names; i++)
        if (strcmp(namespace_names[i].name, name) == 0) return namespace_names[i].flag;
    plan_fail("unknown namespace \"%s\"", name);
}

const char *namespace_name(int flag) {
    for (size_t i = 0; i < sizeof namespace_names / sizeof *namespace_names; i++)
        if (namespace_names[i].flag == flag) return namespace_names[i].name;
    return "?";
}

static const struct { const char *name; int resource; } rlimit_names[] = {
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},         {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},     {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING}, {"RLIMIT_STACK", RLIMIT_STACK},
};

static rlim_t parse_rlim(const char *s) {
    if (strcmp(s, "unlimited") == 0) return RLIM_INFINITY;
    return (rlim_t)parse_u64(s, 10, UINT64_MAX, "rlimit value");
}

static void parse_mount_flags(char *flags, struct mount_op *m) {
    char *items[16];
    size_t n = split_list(flags, items, 16);
    for (size_t i = 0; i < n; i++) {
        const char *f = items[i];
        if (strcmp(f, "ro") == 0) m->attrs |= MOUNT_ATTR_RDONLY;
        else if (strcmp(f, "nosuid") == 0) m->attrs |= MOUNT_ATTR_NOSUID;
        else if (strcmp(f, "nodev") == 0) m->attrs |= MOUNT_ATTR_NODEV;
        else if (strcmp(f, "noexec") == 0) m->attrs |= MOUNT_ATTR_NOEXEC;
        else if (strcmp(f, "bind") == 0) m->bind = 1;
        else if (strcmp(f, "rbind") == 0) m->bind = m->recursive = 1;
        else if (strcmp(f, "relatime") == 0) m->set_atime = 1; /* MOUNT_ATTR_RELATIME is 0 */
        else if (strcmp(f, "strictatime") == 0) {
            m->attrs |= MOUNT_ATTR_STRICTATIME;
            m->set_atime = 1;
        } else if (strcmp(f, "private") == 0 || strcmp(f, "rprivate") == 0) m->private_ = 1;
        else plan_fail("unknown mount flag \"%s\"", f);
    }
}

/* Splits "dir/name" for device and symlink targets: rejects paths without a final name. */
static void check_leaf_path(const char *path, const char *what) {
    const char *slash = strrchr(path, '/');
    const char *leaf = slash ? slash + 1 : path;
    if (*leaf == '\0' || strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0)
        plan_fail("%s path \"%s\" has no file name", what, path);
}

static void parse_directive(struct plan *p, char **f, size_t n) {
    const char *k = f[0];
    size_t args = n - 1;
#define NEED(count)                                                                  \
    do {                                                                             \
        if (args != (count)) plan_fail("%s takes %d field%s, got %zu", k, (count),   \
                                       (count) == 1 ? "" : "s", args);               \
    } while (0)

    if (strcmp(k, "swiftlet-plan") == 0) {
        plan_fail("swiftlet-plan must be the first line only");
    } else if (strcmp(k, "id") == 0) {
        NEED(1); p->id = f[1];
    } else if (strcmp(k, "state") == 0) {
        NEED(1); p->state_dir = f[1];
    } else if (strcmp(k, "log") == 0) {
        NEED(1); p->log_path = f[1];
    } else if (strcmp(k, "cgroup") == 0) {
        NEED(1); p->cgroup_dir = f[1];
    } else if (strcmp(k, "rootfs") == 0) {
        NEED(1); p->rootfs = f[1];
    } else if (strcmp(k, "namespaces") == 0) {
        NEED(1);
        char *items[16];
        size_t count = split_list(f[1], items, 16);
        for (size_t i = 0; i < count; i++) p->clone_flags |= (uint64_t)namespace_flag(items[i]);
    } else if (strcmp(k, "joinns") == 0) {
        NEED(2);
        grow((void **)&p->joins, p->njoins, sizeof *p->joins);
        p->joins[p->njoins++] = (struct ns_join){namespace_flag(f[1]), f[2], -1};
    } else if (strcmp(k, "uidmap") == 0 || strcmp(k, "gidmap") == 0) {
        NEED(3);
        append_map(k[0] == 'u' ? &p->uid_map : &p->gid_map, f[1], f[2], f[3]);
    } else if (strcmp(k, "overlay") == 0) {
        NEED(3);
        if (*f[1] == '\0') plan_fail("overlay needs at least one lower directory");
        p->has_overlay = 1;
        p->overlay_lower = f[1];
        p->overlay_upper = (*f[2] && strcmp(f[2], "-") != 0) ? f[2] : NULL;
        p->overlay_work = (*f[3] && strcmp(f[3], "-") != 0) ? f[3] : NULL;
        if (!p->overlay_upper != !p->overlay_work)
            plan_fail("overlay needs both an upper and a work directory, or neither");
    } else if (strcmp(k, "mount") == 0) {
        NEED(5);
        struct mount_op *m = &add_op(p, OP_MOUNT)->u.mount;
        m->type = f[1];
        m->source = f[2];
        m->dest = f[3];
        m->data = strcmp(f[5], "-") == 0 || *f[5] == '\0' ? NULL : f[5];
        m->tree_fd = -1;
        parse_mount_flags(f[4], m);
        if (strcmp(m->type, "bind") == 0 || strcmp(m->type, "rbind") == 0) {
            m->bind = 1;
            if (m->type[0] == 'r') m->recursive = 1;
        }
        if (m->bind && m->source[0] != '/') plan_fail("bind source \"%s\" is not absolute", m->source);
        if (m->bind && m->data) {
            if (strncmp(m->data, "beneath=", 8) != 0 || m->data[8] == '\0' || m->data[8] == '/')
                plan_fail("bind mount data \"%s\" is not beneath=RELATIVE-PATH", m->data);
            m->beneath = m->data + 8;
        }
        if (*m->dest == '\0') plan_fail("mount has an empty destination");
    } else if (strcmp(k, "device") == 0) {
        NEED(7);
        struct device_op *d = &add_op(p, OP_DEVICE)->u.device;
        d->path = f[1];
        check_leaf_path(d->path, "device");
        if (strcmp(f[2], "c") == 0) d->type = S_IFCHR;
        else if (strcmp(f[2], "b") == 0) d->type = S_IFBLK;
        else plan_fail("device type must be c or b, not \"%s\"", f[2]);
        d->major = (unsigned)parse_u64(f[3], 10, 0xfff, "major number");
        d->minor = (unsigned)parse_u64(f[4], 10, 0xfffff, "minor number");
        d->mode = (mode_t)parse_u64(f[5], 8, 07777, "mode");
        d->uid = (uid_t)parse_u64(f[6], 10, UINT32_MAX - 1, "uid");
        d->gid = (gid_t)parse_u64(f[7], 10, UINT32_MAX - 1, "gid");
    } else if (strcmp(k, "symlink") == 0) {
        NEED(2);
        struct fs_op *op = add_op(p, OP_SYMLINK);
        op->u.symlink.target = f[1];
        op->u.symlink.linkpath = f[2];
        if (*f[1] == '\0') plan_fail("symlink has an empty target");
        check_leaf_path(f[2], "symlink");
    } else if (strcmp(k, "masked") == 0 || strcmp(k, "readonly") == 0) {
        NEED(1);
        add_op(p, k[0] == 'm' ? OP_MASKED : OP_READONLY)->u.path = f[1];
    } else if (strcmp(k, "readonly-rootfs") == 0) {
        NEED(0); p->readonly_rootfs = 1;
    } else if (strcmp(k, "hostname") == 0) {
        NEED(1); p->hostname = f[1];
    } else if (strcmp(k, "loopback-up") == 0) {
        NEED(0); p->loopback_up = 1;
    } else if (strcmp(k, "rlimit") == 0) {
        NEED(3);
        size_t i = 0, count = sizeof rlimit_names / sizeof *rlimit_names;
        while (i < count && strcmp(rlimit_names[i].name, f[1]) != 0) i++;
        if (i == count) plan_fail("unknown rlimit \"%s\"", f[1]);
        grow((void **)&p->rlimits, p->nrlimits, sizeof *p->rlimits);
        p->rlimits[p->nrlimits++] = (struct rlimit_op){
            rlimit_names[i].resource, rlimit_names[i].name, {parse_rlim(f[2]), parse_rlim(f[3])}};
    } else if (strcmp(k, "oom-score-adj") == 0) {
        NEED(1);
        const char *s = f[1];
        int negative = s[0] == '-';
        long v = (long)parse_u64(s + negative, 10, 1000, "oom score adjustment");
        p->has_oom_score_adj = 1;
        p->oom_score_adj = (int)(negative ? -v : v);
    } else if (strcmp(k, "user") == 0) {
        NEED(2);
        p->has_user = 1;
        p->uid = (uid_t)parse_u64(f[1], 10, UINT32_MAX - 1, "uid");
        p->gid = (gid_t)parse_u64(f[2], 10, UINT32_MAX - 1, "gid");
    } else if (strcmp(k, "groups") == 0) {
        NEED(1);
        char *items[NGROUPS_MAX < 1024 ? NGROUPS_MAX : 1024];
        size_t count = split_list(f[1], items, sizeof items / sizeof *items);
        p->groups = xrealloc(p->groups, (count ? count : 1) * sizeof *p->groups);
        for (size_t i = 0; i < count; i++)
            p->groups[i] = (gid_t)parse_u64(items[i], 10, UINT32_MAX - 1, "gid");
        p->ngroups = count;
    } else if (strcmp(k, "cwd") == 0) {
        NEED(1);
        if (f[1][0] != '/') plan_fail("cwd \"%s\" is not absolute", f[1]);
        p->cwd = f[1];
    } else if (strcmp(k, "env") == 0) {
        NEED(1);
        grow((void **)&p->env, p->nenv + 1, sizeof *p->env);
        p->env[p->nenv++] = f[1];
        p->env[p->nenv] = NULL;
    } else if (strcmp(k, "arg") == 0) {
        NEED(1);
        grow((void **)&p->argv, p->nargs + 1, sizeof *p->argv);
        p->argv[p->nargs++] = f[1];
        p->argv[p->nargs] = NULL;
    } else if (strcmp(k, "caps") == 0) {
        NEED(5);
        p->has_caps = 1;
        p->cap_bounding = parse_hex_mask(f[1]);
        p->cap_effective = parse_hex_mask(f[2]);
        p->cap_permitted = parse_hex_mask(f[3]);
        p->cap_inheritable = parse_hex_mask(f[4]);
        p->cap_ambient = parse_hex_mask(f[5]);
    } else if (strcmp(k, "no-new-privs") == 0) {
        NEED(0); p->no_new_privs = 1;
    } else if (strcmp(k, "seccomp") == 0) {
        NEED(1); p->seccomp_path = f[1];
    } else if (strcmp(k, "tty") == 0) {
        NEED(0); p->tty = 1;
    } else if (strcmp(k, "attach") == 0) {
        NEED(0); p->attach = 1;
    } else if (strcmp(k, "stdin") == 0) {
        NEED(0); p->keep_stdin = 1;
    } else if (strcmp(k, "hold") == 0) {
        NEED(0); p->hold_pid_namespace = 1;
    } else if (strcmp(k, "grace") == 0) {
        NEED(1); p->grace_seconds = (unsigned)parse_u64(f[1], 10, UINT32_MAX, "grace period");
    } else {
        plan_fail("unknown directive \"%s\"", k);
    }
#undef NEED
}

/* Whether the container gets a namespace of this type, new or joined. */
static int has_namespace(const struct plan *p, int flag) {
    if (p->clone_flags & (uint64_t)flag) return 1;
    for (size_t i = 0; i < p->njoins; i++)
        if (p->joins[i].nstype == flag) return 1;
    return 0;
}

/* Checks what no single line can: required directives and their combinations. Settings
 * that would otherwise apply to the host (hostname, lo) need the matching namespace. */
static void check_plan(const struct plan *p) {
    if (p->hold_pid_namespace) {
        /* Nothing to run and no file system to see: only the namespace to keep alive. */
        if (p->nargs || p->rootfs || p->nops || p->tty || p->attach)
            fail("plan: hold excludes arg, rootfs, mounts, tty and attach");
        if (!(p->clone_flags & CLONE_NEWPID)) fail("plan: hold needs a new pid namespace");
        return;
    }
    if (p->nargs == 0 || p->argv[0][0] == '\0') fail("plan: no executable (arg)");
    int joins_mnt = 0;
    for (size_t i = 0; i < p->njoins; i++) joins_mnt |= p->joins[i].nstype == CLONE_NEWNS;
    if (joins_mnt) {
        /* Exec into a running container: its file system is already set up. */
        if (p->rootfs || p->nops || p->readonly_rootfs)
            fail("plan: joining a mount namespace excludes rootfs, mounts and readonly-rootfs");
    } else {
        if (!p->rootfs) fail("plan: no rootfs");
        if (!(p->clone_flags & CLONE_NEWNS)) fail("plan: the container needs a new mount namespace (mnt)");
    }
    if (p->clone_flags & CLONE_NEWUSER) {
        if (!p->uid_map || !p->gid_map) fail("plan: a user namespace needs uidmap and gidmap");
    } else if (p->uid_map || p->gid_map) {
        fail("plan: uidmap/gidmap without a user namespace");
    }
    if (p->hostname && !has_namespace(p, CLONE_NEWUTS)) fail("plan: hostname needs a uts namespace");
    if (p->loopback_up && !has_namespace(p, CLONE_NEWNET)) fail("plan: loopback-up needs a net namespace");
    for (size_t i = 0; i < p->njoins; i++)
        if (p->clone_flags & (uint64_t)p->joins[i].nstype)
            fail("plan: joinns %s conflicts with a new namespace of the same type", p->joins[i].path);
}

void plan_parse(char *text, size_t len, struct plan *p) {
    memset(p, 0, sizeof *p);
    p->grace_seconds = DEFAULT_GRACE_SECONDS;
    p->id = "";
    char *end = text + len, *line = text;
    for (line_no = 1; line < end; line_no++) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        char *stop = nl ? nl : end;
        *stop = '\0';
        if (memchr(line, '\0', (size_t)(stop - line))) plan_fail("NUL byte");
        char *fields[MAX_FIELDS + 1];
        size_t n = 0;
        if (*line != '\0') {
            for (char *s = line;;) {
                if (n == MAX_FIELDS + 1) plan_fail("too many fields");
                fields[n++] = s;
                char *sp = strchr(s, ' ');
                if (!sp) break;
                *sp = '\0';
                s = sp + 1;
            }
        }
        if (line_no == 1) {
            if (n != 2 || strcmp(fields[0], "swiftlet-plan") != 0)
                plan_fail("expected \"swiftlet-plan 1\"");
            if (strcmp(fields[1], "1") != 0) plan_fail("unsupported plan version %s", fields[1]);
        } else if (n > 0) {
            for (size_t i = 1; i < n; i++) decode_field(fields[i]);
            parse_directive(p, fields, n);
        }
        line = stop + 1;
    }
    if (line_no == 1) fail("plan: empty");
    check_plan(p);
}
