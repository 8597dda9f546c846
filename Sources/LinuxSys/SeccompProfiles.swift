import CLinux
import Glibc

/// The seccomp profiles Swiftlet ships. `nil` where a profile is expected means
/// Unconfined: no filter at all (the setup plan then has no `seccomp` directive).
public enum SeccompProfiles {
    /// Kubernetes' `RuntimeDefault`: containerd's default profile
    /// (contrib/seccomp/seccomp_default.go) for x86_64, which runc enforces with the x86
    /// and x32 ABIs too. Like containerd's, it depends on the container's bounding
    /// capabilities: CAP_SYS_ADMIN opens mount, unshare, setns, bpf, clone and clone3
    /// without restriction; without it clone may not create namespaces and clone3 fails
    /// with ENOSYS (so that libc falls back to clone, whose flags the filter can see).
    /// Everything not listed fails with EPERM. Names this host's libseccomp does not know
    /// are skipped when compiling (as runc does); calls newer than every name it knows
    /// fail with ENOSYS rather than EPERM (see `SeccompProfile.enosysForNewerSyscalls`).
    public static func runtimeDefault(capabilities bounding: CapabilitySet) -> SeccompProfile {
        var rules: [SeccompRule] = [SeccompRule(allow: baseAllowList)]

        // socket(2) for every address family but AF_ALG (38) and AF_VSOCK (40), as three
        // single-condition ranges (one rule with two != conditions would be an AND that
        // libseccomp cannot express as intended). 32-bit x86 reaches socket through
        // socketcall(2), which is allowed unconditionally above.
        let afALG: UInt64 = 38, afVSOCK: UInt64 = 40
        rules.append(SeccompRule(allow: ["socket"], args: [SeccompArg(index: 0, .lessThan(afALG))]))
        rules.append(SeccompRule(allow: ["socket"], args: [SeccompArg(index: 0, .equal(afALG + 1))]))
        rules.append(SeccompRule(allow: ["socket"], args: [SeccompArg(index: 0, .greaterThan(afVSOCK))]))

        // personality(2) only for PER_LINUX, PER_LINUX32, UNAME26 variants and the query.
        for persona: UInt64 in [0x0, 0x0008, 0x20000, 0x20008, 0xffff_ffff] {
            rules.append(SeccompRule(allow: ["personality"], args: [SeccompArg(index: 0, .equal(persona))]))
        }

        // Allowed since kernel 4.8 for everyone (ptrace no longer bypasses seccomp).
        rules.append(SeccompRule(allow: ["process_vm_readv", "process_vm_writev", "ptrace"]))

        // amd64-only calls.
        rules.append(SeccompRule(allow: ["arch_prctl", "modify_ldt"]))

        // Calls opened by a capability in the bounding set, in containerd's order.
        for capability in bounding.capabilities {
            if let names = byCapability[capability] {
                rules.append(SeccompRule(allow: names))
            }
        }

        if !bounding.contains(.sysAdmin) {
            // clone(2) without any CLONE_NEW* flag (flags are argument 0 on x86).
            let newNamespaces = UInt64(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER
                | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)
            rules.append(SeccompRule(allow: ["clone"],
                                     args: [SeccompArg(index: 0, .maskedEqual(mask: newNamespaces, value: 0))]))
            // clone3 hides its flags in memory the filter cannot read: ENOSYS, not EPERM,
            // makes glibc fall back to clone (moby/moby#42681).
            rules.append(SeccompRule(names: ["clone3"], action: .errno(ENOSYS)))
        }

        return SeccompProfile(defaultAction: .errno(EPERM), architectures: [.x86_64, .x86, .x32], rules: rules)
    }

    /// Syscalls containerd's profile opens for a capability in the bounding set.
    public static let byCapability: [Capability: [String]] = [
        .dacReadSearch: ["open_by_handle_at"],
        .sysAdmin: [
            "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
            "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open",
            "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount",
            "umount2", "unshare",
        ],
        .sysBoot: ["reboot"],
        .sysChroot: ["chroot"],
        .sysModule: ["delete_module", "init_module", "finit_module"],
        .sysPacct: ["acct"],
        .sysPtrace: ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"],
        .sysRawio: ["iopl", "ioperm"],
        .sysTime: ["settimeofday", "stime", "clock_settime", "clock_settime64"],
        .sysTtyConfig: ["vhangup"],
        .sysNice: ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"],
        .syslog: ["syslog"],
        .bpf: ["bpf"],
        .perfmon: ["perf_event_open"],
    ]

    /// The unconditional allow-list of containerd's default profile (363 names, all
    /// architectures' spellings; each host's libseccomp resolves the ones it knows).
    public static let baseAllowList: [String] = [
        "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat", "capget",
        "capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64",
        "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep",
        "clock_nanosleep_time64", "close", "close_range", "connect", "copy_file_range", "creat", "dup",
        "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
        "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat",
        "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate",
        "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat",
        "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr",
        "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate",
        "ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv",
        "futex_wake", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid",
        "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32",
        "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority",
        "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit",
        "get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area",
        "gettid", "gettimeofday", "getuid", "getuid32", "getxattr", "getxattrat", "inotify_add_watch",
        "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy",
        "io_getevents", "io_pgetevents", "io_pgetevents_time64", "ioprio_get", "ioprio_set",
        "io_setup", "io_submit", "ipc", "kill", "landlock_add_rule", "landlock_create_ruleset",
        "landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link", "linkat", "listen",
        "listmount", "listxattr", "listxattrat", "llistxattr", "_llseek", "lremovexattr", "lseek",
        "lsetxattr", "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr", "lstat", "lstat64",
        "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat",
        "mknod", "mknodat", "mlock", "mlock2", "mlockall", "map_shadow_stack", "mmap", "mmap2",
        "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
        "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap",
        "mseal", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap",
        "name_to_handle_at", "nanosleep", "newfstatat", "_newselect", "open", "openat", "openat2",
        "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free",
        "pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2",
        "prlimit64", "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev",
        "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom",
        "recvmmsg", "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "removexattrat",
        "rename", "renameat", "renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction",
        "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
        "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_getaffinity",
        "sched_getattr", "sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
        "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
        "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield",
        "seccomp", "select", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send",
        "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsgid32",
        "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32", "setitimer",
        "setpgid", "setpriority", "setregid", "setregid32", "setresgid", "setresgid32", "setresuid",
        "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list", "setsid",
        "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setuid32", "setxattr",
        "setxattrat", "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd",
        "signalfd4", "sigprocmask", "sigreturn", "socketcall", "socketpair", "splice", "stat",
        "stat64", "statfs", "statfs64", "statmount", "statx", "symlink", "symlinkat", "sync",
        "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create",
        "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
        "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
        "timerfd_settime64", "times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask",
        "uname", "unlink", "unlinkat", "uretprobe", "utime", "utimensat", "utimensat_time64", "utimes",
        "vfork", "vmsplice", "wait4", "waitid", "waitpid", "write", "writev",
    ]
}

extension SeccompProfile {
    /// `SeccompProfiles.runtimeDefault(capabilities:)`.
    public static func runtimeDefault(capabilities: CapabilitySet) -> SeccompProfile {
        SeccompProfiles.runtimeDefault(capabilities: capabilities)
    }
}
