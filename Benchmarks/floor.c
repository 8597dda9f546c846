/* Benchmarks/floor.c: what the kernel work of one container start costs on this machine,
 * with no runtime around it. Every iteration is timed from the first syscall to the
 * reaped exit, in the same steps a runtime cannot avoid:
 *
 *   spawn   clone3 + execve(/bin/true) + wait: a bare process, no namespaces
 *   ns      clone3(NEWNS|NEWPID|NEWNET|NEWUTS|NEWIPC|NEWCGROUP) + execve + wait
 *   mounts  ns + mkdir upper/work + overlay mount of the image layers + proc mount
 *           + pivot_root + execve of the image's /bin/true + wait + rmdir upper/work
 *   full    mounts + mkdir cgroup + CLONE_INTO_CGROUP + rmdir cgroup: the floor the
 *           in-process figure is compared with
 *
 * Usage: floor ITERATIONS WARMUP LOWERDIRS WORKDIR CGROUP_PARENT [SAMPLES_FILE]
 *   LOWERDIRS      overlay lowerdir list, top layer first (as the runtime passes it)
 *   WORKDIR        scratch directory on the same file system as the runtime's data
 *   CGROUP_PARENT  an existing cgroup v2 directory to create the per-run cgroups in
 *   SAMPLES_FILE   if given, raw `floor-VARIANT MS` lines are appended to it
 * Prints one line per variant: `floor VARIANT median_ms=M p90_ms=P min_ms=N`. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP)

enum variant { SPAWN, NS, MOUNTS, FULL };
static const char *variant_names[] = {"spawn", "ns", "mounts", "full"};

static const char *lowerdirs, *workdir, *cgroup_parent;
static char overlay_data[8192], rootfs[4096], upper[4096], work[4096], work_work[4096], cgroup_dir[4096];

static void die(const char *what) {
    fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The child: in its new namespaces, mount the rootfs, pivot into it, exec true. Errors
 * exit 127 (the parent treats any non-zero status as fatal). */
static void child(enum variant v) {
    char *argv[] = {"true", NULL}, *envp[] = {"PATH=/bin", NULL};
    if (v >= MOUNTS) {
        if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) _exit(120);
        if (mount("overlay", rootfs, "overlay", 0, overlay_data) < 0) _exit(121);
        if (chdir(rootfs) < 0) _exit(122);
        if (mount("proc", "proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) < 0) _exit(123);
        if (syscall(SYS_pivot_root, ".", ".") < 0) _exit(124);
        if (umount2(".", MNT_DETACH) < 0) _exit(125);
        if (chdir("/") < 0) _exit(126);
    }
    execve("/bin/true", argv, envp);
    _exit(127);
}

static double one(enum variant v) {
    double start = now_ms();
    int cgroup_fd = -1;
    if (v >= MOUNTS) {
        if (mkdir(upper, 0755) < 0 || mkdir(work, 0755) < 0) die("mkdir upper/work");
    }
    if (v == FULL) {
        if (mkdir(cgroup_dir, 0755) < 0) die("mkdir cgroup");
        cgroup_fd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cgroup_fd < 0) die("open cgroup");
    }
    struct clone_args args = {
        .flags = (v == SPAWN ? 0 : NS_FLAGS) | (v == FULL ? CLONE_INTO_CGROUP : 0),
        .exit_signal = SIGCHLD,
        .cgroup = v == FULL ? (uint64_t)cgroup_fd : 0,
    };
    pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
    if (pid < 0) die("clone3");
    if (pid == 0) child(v);
    int status;
    if (waitpid(pid, &status, 0) < 0) die("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "floor: %s: child exited with status %d\n", variant_names[v], status);
        exit(1);
    }
    if (v == FULL) {
        close(cgroup_fd);
        if (rmdir(cgroup_dir) < 0) die("rmdir cgroup");
    }
    if (v >= MOUNTS) {
        /* overlayfs leaves work/work behind; upper stays empty (true writes nothing). */
        if ((rmdir(work_work) < 0 && errno != ENOENT) || rmdir(work) < 0 || rmdir(upper) < 0)
            die("rmdir upper/work");
    }
    return now_ms() - start;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: floor ITERATIONS WARMUP LOWERDIRS WORKDIR CGROUP_PARENT [SAMPLES_FILE]\n");
        return 2;
    }
    int iterations = atoi(argv[1]), warmup = atoi(argv[2]);
    lowerdirs = argv[3];
    workdir = argv[4];
    cgroup_parent = argv[5];
    if (iterations < 1) return 2;
    snprintf(rootfs, sizeof rootfs, "%s/rootfs", workdir);
    snprintf(upper, sizeof upper, "%s/upper", workdir);
    snprintf(work, sizeof work, "%s/work", workdir);
    snprintf(work_work, sizeof work_work, "%s/work/work", workdir);
    snprintf(cgroup_dir, sizeof cgroup_dir, "%s/floor-%d", cgroup_parent, (int)getpid());
    if (strlen(lowerdirs) + strlen(upper) + strlen(work) + 64 > sizeof overlay_data) {
        fprintf(stderr, "floor: layer list too long\n");
        return 2;
    }
    snprintf(overlay_data, sizeof overlay_data, "lowerdir=%.4000s,upperdir=%.1000s,workdir=%.1000s", lowerdirs, upper,
             work);
    if (mkdir(rootfs, 0755) < 0 && errno != EEXIST) die("mkdir rootfs");

    /* Interleaved: each round runs every variant once, so drift affects all alike. */
    double *all[4];
    for (int v = 0; v < 4; v++) {
        all[v] = calloc((size_t)iterations, sizeof(double));
        if (!all[v]) die("calloc");
    }
    for (int i = 0; i < warmup; i++)
        for (int v = 0; v < 4; v++) (void)one((enum variant)v);
    for (int i = 0; i < iterations; i++)
        for (int v = 0; v < 4; v++) all[v][i] = one((enum variant)v);
    if (argc == 7) {
        FILE *out = fopen(argv[6], "a");
        if (!out) die(argv[6]);
        for (int v = 0; v < 4; v++)
            for (int i = 0; i < iterations; i++) fprintf(out, "floor-%s %.4f\n", variant_names[v], all[v][i]);
        fclose(out);
    }
    for (int v = 0; v < 4; v++) {
        qsort(all[v], (size_t)iterations, sizeof(double), compare);
        int p90 = (int)((iterations - 1) * 0.9 + 0.5);
        printf("floor %s median_ms=%.3f p90_ms=%.3f min_ms=%.3f\n", variant_names[v],
               iterations % 2 ? all[v][iterations / 2] : (all[v][iterations / 2 - 1] + all[v][iterations / 2]) / 2,
               all[v][p90], all[v][0]);
    }
    rmdir(rootfs);
    return 0;
}
