/* Benchmarks/floor.c: what the kernel work of one container start costs on this machine,
 * with no runtime around it. Every iteration is timed from the first syscall to the
 * reaped exit, in the steps a runtime cannot avoid:
 *
 *   spawn     clone3 + execve(/bin/true) + wait: a bare process, no namespaces
 *   ns        clone3(NEWNS|NEWPID|NEWNET|NEWUTS|NEWIPC|NEWCGROUP) + execve + wait
 *   mounts    ns + mkdir upper/work + overlay mount of the image layers + proc mount
 *             + pivot_root + execve of the image's /bin/true + wait + rmdir upper/work
 *   full      mounts + mkdir cgroup + CLONE_INTO_CGROUP + rmdir cgroup: the floor the
 *             in-process figure is compared with
 *   hardened  full + everything else a default swiftlet container's setup plan asks of
 *             the kernel: /dev tmpfs, devpts, /dev/shm, mqueue, sysfs, cgroup2, three
 *             bind-mounted /etc files, six device nodes, six /dev symlinks, twelve masked
 *             and five read-only paths, hostname, loopback up, capability bounding set
 *             and capset, no_new_privs, and the seccomp filter (if SECCOMP_FILE is given)
 *
 * Usage: floor ITERATIONS WARMUP LOWERDIRS WORKDIR CGROUP_PARENT [SAMPLES_FILE [SECCOMP_FILE]]
 *   LOWERDIRS      overlay lowerdir list, top layer first (as the runtime passes it)
 *   WORKDIR        scratch directory on the same file system as the runtime's data
 *   CGROUP_PARENT  an existing cgroup v2 directory to create the per-run cgroups in
 *   SAMPLES_FILE   if given (and not "-"), raw `floor-VARIANT MS` lines are appended to it
 *   SECCOMP_FILE   a compiled `struct sock_filter[]` (swiftlet's seccomp cache file)
 * Prints one line per variant: `floor VARIANT median_ms=M p90_ms=P min_ms=N`. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP)
#define VARIANTS 5
/* Docker's 14 default capabilities, as swiftlet grants them. */
#define DOCKER_CAPS 0xa80425fbULL

enum variant { SPAWN, NS, MOUNTS, FULL, HARDENED };
static const char *variant_names[VARIANTS] = {"spawn", "ns", "mounts", "full", "hardened"};

static const char *lowerdirs, *workdir, *cgroup_parent;
static char overlay_data[8192], rootfs[4096], upper[4096], work[4096], cgroup_dir[4096];
static char etc_sources[3][4096];
static const char *etc_targets[3] = {"etc/hostname", "etc/hosts", "etc/resolv.conf"};
static struct sock_fprog seccomp_prog;
static int cap_last = 40;

static const char *masked[] = {"/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
                               "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
                               "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"};
static const char *readonly[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
static const struct { const char *name; int major, minor; } devices[] = {
    {"dev/null", 1, 3}, {"dev/zero", 1, 5}, {"dev/full", 1, 7}, {"dev/random", 1, 8}, {"dev/urandom", 1, 9}, {"dev/tty", 5, 0}};
static const char *symlinks[][2] = {{"/proc/self/fd", "dev/fd"}, {"/proc/self/fd/0", "dev/stdin"},
                                    {"/proc/self/fd/1", "dev/stdout"}, {"/proc/self/fd/2", "dev/stderr"},
                                    {"pts/ptmx", "dev/ptmx"}, {"/proc/kcore", "dev/core"}};

static void die(const char *what) {
    fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The extra kernel work of a hardened container, in the new root before pivot_root
 * (mounts relative to the rootfs, cwd) and after it (masks, read-only paths, identity). */
static void harden_before_pivot(void) {
    const unsigned long nse = MS_NOSUID | MS_NOEXEC | MS_NODEV;
    if (mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k") < 0) _exit(100);
    if (mkdir("dev/pts", 0755) < 0 ||
        mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5") < 0)
        _exit(101);
    if (mkdir("dev/shm", 0755) < 0 || mount("shm", "dev/shm", "tmpfs", nse, "mode=1777,size=65536k") < 0) _exit(102);
    if (mkdir("dev/mqueue", 0755) < 0 || mount("mqueue", "dev/mqueue", "mqueue", nse, NULL) < 0) _exit(103);
    if (mount("sysfs", "sys", "sysfs", nse | MS_RDONLY, NULL) < 0) _exit(104);
    if (mount("cgroup", "sys/fs/cgroup", "cgroup2", nse | MS_RDONLY, NULL) < 0) _exit(105);
    for (int i = 0; i < 3; i++) {
        int fd = open(etc_targets[i], O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) _exit(106);
        close(fd);
        if (mount(etc_sources[i], etc_targets[i], NULL, MS_BIND, NULL) < 0) _exit(107);
    }
    for (size_t i = 0; i < sizeof devices / sizeof *devices; i++)
        if (mknod(devices[i].name, S_IFCHR | 0666, makedev(devices[i].major, devices[i].minor)) < 0) _exit(108);
    for (size_t i = 0; i < sizeof symlinks / sizeof *symlinks; i++)
        if (symlink(symlinks[i][0], symlinks[i][1]) < 0) _exit(109);
}

static void harden_after_pivot(void) {
    for (size_t i = 0; i < sizeof masked / sizeof *masked; i++) {
        struct stat st;
        if (stat(masked[i], &st) < 0) continue;
        if (S_ISDIR(st.st_mode)) {
            if (mount("tmpfs", masked[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) _exit(110);
        } else if (mount("/dev/null", masked[i], NULL, MS_BIND, NULL) < 0) {
            _exit(111);
        }
    }
    for (size_t i = 0; i < sizeof readonly / sizeof *readonly; i++) {
        if (access(readonly[i], F_OK) < 0) continue;
        if (mount(readonly[i], readonly[i], NULL, MS_BIND | MS_REC, NULL) < 0 ||
            mount(NULL, readonly[i], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_REC, NULL) < 0)
            _exit(112);
    }
    if (sethostname("floor", 5) < 0) _exit(113);
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) _exit(114);
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) _exit(115);
    close(s);
    for (int cap = 0; cap <= cap_last; cap++)
        if (!(DOCKER_CAPS & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) _exit(116);
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2] = {{(uint32_t)DOCKER_CAPS, (uint32_t)DOCKER_CAPS, 0},
                                             {(uint32_t)(DOCKER_CAPS >> 32), (uint32_t)(DOCKER_CAPS >> 32), 0}};
    if (syscall(SYS_capset, &header, data) < 0) _exit(117);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) _exit(118);
    if (seccomp_prog.len && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &seccomp_prog) < 0) _exit(119);
}

/* The child: in its new namespaces, mount the rootfs, pivot into it, exec true. Errors
 * exit with a distinct status (the parent treats any non-zero status as fatal). */
static void child(enum variant v) {
    char *argv[] = {"true", NULL}, *envp[] = {"PATH=/bin", NULL};
    if (v >= MOUNTS) {
        if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) _exit(120);
        if (mount("overlay", rootfs, "overlay", 0, overlay_data) < 0) _exit(121);
        if (chdir(rootfs) < 0) _exit(122);
        if (mount("proc", "proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) < 0) _exit(123);
        if (v == HARDENED) harden_before_pivot();
        if (syscall(SYS_pivot_root, ".", ".") < 0) _exit(124);
        if (umount2(".", MNT_DETACH) < 0) _exit(125);
        if (chdir("/") < 0) _exit(126);
        if (v == HARDENED) harden_after_pivot();
    }
    execve("/bin/true", argv, envp);
    _exit(127);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st, (void)type, (void)ftw;
    return remove(path);
}

static double one(enum variant v) {
    double start = now_ms();
    int cgroup_fd = -1;
    if (v >= MOUNTS) {
        if (mkdir(upper, 0755) < 0 || mkdir(work, 0755) < 0) die("mkdir upper/work");
    }
    if (v >= FULL) {
        if (mkdir(cgroup_dir, 0755) < 0) die("mkdir cgroup");
        cgroup_fd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cgroup_fd < 0) die("open cgroup");
    }
    struct clone_args args = {
        .flags = (v == SPAWN ? 0 : NS_FLAGS) | (v >= FULL ? CLONE_INTO_CGROUP : 0),
        .exit_signal = SIGCHLD,
        .cgroup = v >= FULL ? (uint64_t)cgroup_fd : 0,
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
    if (v >= FULL) {
        close(cgroup_fd);
        if (rmdir(cgroup_dir) < 0) die("rmdir cgroup");
    }
    /* The writable layer goes, as a runtime removes it (overlayfs leaves work/work, and
     * the hardened variant's bind targets are in upper/etc). */
    if (v >= MOUNTS && (nftw(upper, remove_entry, 8, FTW_DEPTH | FTW_PHYS) < 0 ||
                        nftw(work, remove_entry, 8, FTW_DEPTH | FTW_PHYS) < 0))
        die("remove upper/work");
    return now_ms() - start;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void read_seccomp(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(path);
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0) die(path);
    struct sock_filter *filter = malloc((size_t)st.st_size);
    if (!filter || read(fd, filter, (size_t)st.st_size) != st.st_size) die(path);
    close(fd);
    seccomp_prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
    seccomp_prog.filter = filter;
}

int main(int argc, char **argv) {
    if (argc < 6 || argc > 8) {
        fprintf(stderr, "usage: floor ITERATIONS WARMUP LOWERDIRS WORKDIR CGROUP_PARENT [SAMPLES_FILE [SECCOMP_FILE]]\n");
        return 2;
    }
    int iterations = atoi(argv[1]), warmup = atoi(argv[2]);
    lowerdirs = argv[3];
    workdir = argv[4];
    cgroup_parent = argv[5];
    const char *samples = argc > 6 && strcmp(argv[6], "-") != 0 ? argv[6] : NULL;
    if (argc > 7) read_seccomp(argv[7]);
    if (iterations < 1) return 2;
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
    if (!f || fscanf(f, "%d", &cap_last) != 1) die("read cap_last_cap");
    fclose(f);
    snprintf(rootfs, sizeof rootfs, "%s/rootfs", workdir);
    snprintf(upper, sizeof upper, "%s/upper", workdir);
    snprintf(work, sizeof work, "%s/work", workdir);
    snprintf(cgroup_dir, sizeof cgroup_dir, "%s/floor-%d", cgroup_parent, (int)getpid());
    if (strlen(lowerdirs) + strlen(upper) + strlen(work) + 64 > sizeof overlay_data) {
        fprintf(stderr, "floor: layer list too long\n");
        return 2;
    }
    snprintf(overlay_data, sizeof overlay_data, "lowerdir=%.4000s,upperdir=%.1000s,workdir=%.1000s", lowerdirs, upper,
             work);
    if (mkdir(rootfs, 0755) < 0 && errno != EEXIST) die("mkdir rootfs");
    const char *etc_contents[3] = {"floor\n", "127.0.0.1\tlocalhost\n", ""};
    for (int i = 0; i < 3; i++) {
        snprintf(etc_sources[i], sizeof etc_sources[i], "%s/etc-%d", workdir, i);
        FILE *e = fopen(etc_sources[i], "w");
        if (!e || fputs(etc_contents[i], e) < 0 || fclose(e) != 0) die(etc_sources[i]);
    }

    /* Interleaved: each round runs every variant once, so drift affects all alike. */
    double *all[VARIANTS];
    for (int v = 0; v < VARIANTS; v++) {
        all[v] = calloc((size_t)iterations, sizeof(double));
        if (!all[v]) die("calloc");
    }
    for (int i = 0; i < warmup; i++)
        for (int v = 0; v < VARIANTS; v++) (void)one((enum variant)v);
    for (int i = 0; i < iterations; i++)
        for (int v = 0; v < VARIANTS; v++) all[v][i] = one((enum variant)v);
    if (samples) {
        FILE *out = fopen(samples, "a");
        if (!out) die(samples);
        for (int v = 0; v < VARIANTS; v++)
            for (int i = 0; i < iterations; i++) fprintf(out, "floor-%s %.4f\n", variant_names[v], all[v][i]);
        fclose(out);
    }
    for (int v = 0; v < VARIANTS; v++) {
        qsort(all[v], (size_t)iterations, sizeof(double), compare);
        int p90 = (int)((iterations - 1) * 0.9 + 0.5);
        printf("floor %s median_ms=%.3f p90_ms=%.3f min_ms=%.3f\n", variant_names[v],
               iterations % 2 ? all[v][iterations / 2] : (all[v][iterations / 2 - 1] + all[v][iterations / 2]) / 2,
               all[v][p90], all[v][0]);
    }
    for (int i = 0; i < 3; i++) unlink(etc_sources[i]);
    rmdir(rootfs);
    return 0;
}
