/* The setup plan (docs/shim-plan.md): parsed once by the parent, read by the child. */
#ifndef SHIM_PLAN_H
#define SHIM_PLAN_H

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

enum fs_op_kind { OP_MOUNT, OP_DEVICE, OP_SYMLINK, OP_MASKED, OP_READONLY };

struct mount_op {
    const char *type, *source, *dest, *data; /* data NULL for `-` */
    unsigned attrs;                          /* MOUNT_ATTR_* from FLAGS */
    int set_atime;                           /* FLAGS named relatime or strictatime */
    int bind, recursive, private_;           /* bind/rbind; private/rprivate */
    const char *beneath;                     /* bind: DATA `beneath=REL`, the path below SOURCE */
    int tree_fd;                             /* bind: detached clone of SOURCE (parent) */
    int source_is_dir;                       /* bind: whether DEST must be a directory */
};

struct device_op {
    const char *path;
    mode_t type; /* S_IFCHR or S_IFBLK */
    unsigned major, minor;
    mode_t mode;
    uid_t uid;
    gid_t gid;
};

struct fs_op {
    enum fs_op_kind kind;
    union {
        struct mount_op mount;
        struct device_op device;
        struct { const char *target, *linkpath; } symlink;
        const char *path; /* masked, readonly */
    } u;
};

struct ns_join {
    int nstype; /* CLONE_NEW* */
    const char *path;
    int fd; /* opened by the parent before clone */
};

struct rlimit_op {
    int resource;
    const char *name;
    struct rlimit limit;
};

struct plan {
    const char *id, *state_dir, *log_path, *cgroup_dir, *rootfs;
    int has_overlay;
    const char *overlay_lower, *overlay_upper, *overlay_work; /* upper/work NULL for `-` */
    uint64_t clone_flags; /* CLONE_NEW* from `namespaces` */
    struct ns_join *joins;
    size_t njoins;
    char *uid_map, *gid_map; /* "IN OUT COUNT\n" lines, as /proc/PID/uid_map wants */
    struct fs_op *ops;       /* mount/device/symlink/masked/readonly in plan order */
    size_t nops;
    int readonly_rootfs;
    const char *hostname;
    int loopback_up;
    struct rlimit_op *rlimits;
    size_t nrlimits;
    int has_oom_score_adj, oom_score_adj;
    int has_user;
    uid_t uid;
    gid_t gid;
    gid_t *groups;
    size_t ngroups;
    const char *cwd;
    char **env; /* NULL-terminated */
    size_t nenv;
    char **argv; /* NULL-terminated */
    size_t nargs;
    int has_caps;
    uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable, cap_ambient;
    int no_new_privs;
    const char *seccomp_path;
    int tty, attach, keep_stdin;
    int hold_pid_namespace; /* `hold`: pid 1 of a shared pid namespace, no executable */
    unsigned grace_seconds;
};

/* "net" for CLONE_NEWNET, and so on (the names `namespaces` and `joinns` use). */
const char *namespace_name(int flag);

/* Parses the plan text (modified in place: fields are decoded where they lie; the plan
 * points into it). Fails with "plan line N: ..." on any malformed or unknown directive. */
void plan_parse(char *text, size_t len, struct plan *plan);

#endif
