import Glibc
import LinuxSys
import Synchronization

/// Compiled seccomp programs on disk, one file per distinct profile, so libseccomp runs
/// once per profile for the life of the data directory, not once per container.
public enum SeccompCache {
    private static let lock = Mutex(0)

    /// How many times this process has run libseccomp on a profile (cache misses).
    static var compilations: Int { lock.withLock { $0 } }

    /// The file name under which `profile` is cached: a SHA-256 of its canonical text,
    /// of this libseccomp's version (a newer one knows more syscall names) and of the
    /// output format.
    public static func key(_ profile: SeccompProfile) -> String {
        let input = "swiftlet-seccomp-bpf 1\nlibseccomp \(SeccompCompiler.libseccompVersion)\n" + profile.canonicalText
        return ContentDigest.of(Array(input.utf8)).hex
    }

    /// The path of a file in `cacheDir` holding `profile` compiled to
    /// `struct sock_filter[]`; compiled (and written atomically) only on the first call
    /// for a given profile, by this process or any earlier one.
    public static func compiledProfile(_ profile: SeccompProfile, cacheDir: String) throws -> String {
        let path = "\(cacheDir)/\(key(profile)).bpf"
        return try lock.withLock { count in
            if let st = try? FileDescriptor.open(path, O_RDONLY).stat(),
               (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0, st.st_size % 8 == 0 {
                return path
            }
            let program = try SeccompCompiler.compile(profile)
            count += 1
            try Files.createDirectory(cacheDir, mode: 0o700)
            try Files.writeAtomically(path, program, mode: 0o644)
            return path
        }
    }
}
