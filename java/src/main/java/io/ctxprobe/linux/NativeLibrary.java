package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Loads libctxprobe.so — one loader for the jar and for surefire (where the resource sits in
 * target/classes). The resource is extracted to a private (0700) directory under a name derived
 * from its content hash, so concurrent JVMs and different versions never overwrite each other's
 * file (temporary file, then atomic rename), and loaded by absolute path.
 *
 * <p>Directory, first usable of: system property {@value #DIR_PROPERTY}; environment variable
 * {@value #DIR_ENV}; {@code $XDG_RUNTIME_DIR/ctxprobe}; {@code ~/.cache/ctxprobe/native};
 * {@code java.io.tmpdir/ctxprobe-<user>}. A directory named explicitly (property or environment)
 * is used or refused with its reason, never silently skipped; the implicit ones are skipped when
 * not writable or mounted noexec (where the dynamic loader cannot map the library).
 */
public final class NativeLibrary {
    private NativeLibrary() {}

    public static final String RESOURCE = "io/ctxprobe/native/linux-x86_64/libctxprobe.so";
    /** process.create's small native parent and tiny program (native/src/helper), next to the .so. */
    public static final String HELPER_RESOURCE = "io/ctxprobe/native/linux-x86_64/ctxprobe-helper";
    public static final String DIR_PROPERTY = "ctxprobe.native.dir.extract";
    public static final String DIR_ENV = "CTXPROBE_NATIVE_DIR";

    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_LIB = PosixFilePermissions.fromString("rwx------");

    private static Path loadedPath;
    private static Path helperPath;
    private static SymbolLookup loaded;
    private static NativeLibraryException failure;

    // ---- platform --------------------------------------------------------------------------------

    public static boolean isLinuxX8664() {
        return platformProblem() == null;
    }

    /** One line saying why this is not Linux x86-64, or null when it is. */
    public static String platformProblem() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return "ctxprobe measures Linux only; this is " + System.getProperty("os.name");
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return "ctxprobe's native library is built for x86-64 only; this is " + arch;
        }
        return null;
    }

    // ---- the library, loaded once ------------------------------------------------------------------

    /** The loaded library's symbols; the first call extracts and loads it (a failure is sticky). */
    public static synchronized SymbolLookup lookup() {
        if (loaded == null && failure == null) {
            try {
                String problem = platformProblem();
                if (problem != null) {
                    throw new NativeLibraryException(problem);
                }
                Path so = extract(extractionDirectory());
                loaded = load(so);
                loadedPath = so;
            } catch (NativeLibraryException e) {
                failure = e;
            }
        }
        if (failure != null) {
            // A fresh exception per call so each caller's stack trace is its own.
            throw new NativeLibraryException(failure.getMessage(), failure);
        }
        return loaded;
    }

    /** Where the loaded library lives (loads it if needed). */
    public static synchronized Path path() {
        lookup();
        return loadedPath;
    }

    /**
     * The packaged ctxprobe-helper executable, extracted next to the library (same directory, a
     * content-hash name, mode 0700) on the first call; its absolute path.
     */
    public static synchronized Path helperPath() {
        if (helperPath == null) {
            Path so = path();
            helperPath = extract(so.getParent(), HELPER_RESOURCE, "ctxprobe-helper-", "");
        }
        return helperPath;
    }

    // ---- directory choice --------------------------------------------------------------------------

    /** The extraction directory, created 0700 if needed. */
    public static Path extractionDirectory() {
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return requireUsable(Path.of(prop), "system property " + DIR_PROPERTY);
        }
        String env = System.getenv(DIR_ENV);
        if (env != null && !env.isBlank()) {
            return requireUsable(Path.of(env), "environment variable " + DIR_ENV);
        }
        List<String> tried = new ArrayList<>();
        for (Path candidate : implicitCandidates()) {
            String problem = problemWith(candidate);
            if (problem == null) {
                return candidate;
            }
            tried.add(problem);
        }
        throw new NativeLibraryException("no directory to extract libctxprobe.so to (" + String.join("; ", tried)
                + "): set -D" + DIR_PROPERTY + "=<dir> or " + DIR_ENV + " to a writable directory on an exec mount");
    }

    private static List<Path> implicitCandidates() {
        List<Path> out = new ArrayList<>();
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            out.add(Path.of(xdg, "ctxprobe"));
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank() && !home.equals("?")) {
            out.add(Path.of(home, ".cache", "ctxprobe", "native"));
        }
        out.add(Path.of(System.getProperty("java.io.tmpdir"), "ctxprobe-" + System.getProperty("user.name", "user")));
        return out;
    }

    private static Path requireUsable(Path dir, String source) {
        String problem = problemWith(dir);
        if (problem != null) {
            throw new NativeLibraryException("cannot extract libctxprobe.so: " + problem + " (from " + source
                    + "); set -D" + DIR_PROPERTY + "=<dir> or " + DIR_ENV + " to a writable directory on an exec mount");
        }
        return dir;
    }

    /** Null if {@code dir} can hold the library (creating it 0700), else a reason naming it. */
    static String problemWith(Path dir) {
        Path abs = dir.toAbsolutePath();
        try {
            if (!Files.isDirectory(abs)) {
                Files.createDirectories(abs, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            }
        } catch (FileAlreadyExistsException e) {
            return "'" + abs + "' is not a directory";
        } catch (AccessDeniedException e) {
            return "'" + abs + "' cannot be created (permission denied)";
        } catch (IOException | UnsupportedOperationException e) {
            return "'" + abs + "' cannot be created (" + e.getMessage() + ")";
        }
        if (!Files.isWritable(abs)) {
            return "'" + abs + "' is not writable";
        }
        if (Statvfs.isNoexec(abs)) {
            return "'" + abs + "' is on a noexec mount (the dynamic loader cannot map a library from it)";
        }
        return null;
    }

    // ---- extraction ----------------------------------------------------------------------------------

    /** Extracts the packaged library into {@code dir} (once per content hash); returns its path. */
    public static Path extract(Path dir) {
        return extract(dir, RESOURCE, "libctxprobe-", ".so");
    }

    /** Extracts {@code resource} into {@code dir} as {@code prefix + hash + suffix}, mode 0700. */
    private static Path extract(Path dir, String resource, String prefix, String suffix) {
        byte[] bytes = readResource(resource);
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        Path target = dir.toAbsolutePath().resolve(prefix + sha256Prefix(bytes) + suffix);
        try {
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
                return target; // same content hash: an earlier JVM already extracted it
            }
            Path tmp = Files.createTempFile(dir.toAbsolutePath(), "." + prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PRIVATE_LIB));
            try {
                Files.write(tmp, bytes);
                // rename(2) is atomic: a concurrent JVM sees no file or a complete one, never half.
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new NativeLibraryException("cannot write " + name + " to '" + dir.toAbsolutePath() + "': " + e
                    + "; set -D" + DIR_PROPERTY + "=<dir> or " + DIR_ENV + " to a writable directory", e);
        }
    }

    private static byte[] readResource(String resource) {
        try (InputStream in = NativeLibrary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new NativeLibraryException(resource + " is not on the class path: build it with `make native`"
                        + " (the core jar packages it from native/build)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new NativeLibraryException("cannot read " + resource + ": " + e, e);
        }
    }

    private static String sha256Prefix(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    // ---- loading ---------------------------------------------------------------------------------------

    /* int32_t ctxprobe_abi_version(void); — resolved here, not through CtxprobeLib, to avoid a cycle. */
    private static final FunctionDescriptor ABI_VERSION = FunctionDescriptor.of(JAVA_INT);

    /** dlopen()s {@code so} for the life of the JVM and refuses it unless its ABI version matches. */
    public static SymbolLookup load(Path so) {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(so, Arena.global());
        } catch (IllegalArgumentException e) {
            Path dir = so.toAbsolutePath().getParent();
            throw new NativeLibraryException("cannot load " + so + " (" + e.getMessage() + "); if '" + dir
                    + "' is mounted noexec, set -D" + DIR_PROPERTY + "=<dir> or " + DIR_ENV
                    + " to a directory on an exec mount", e);
        }
        MemorySegment fn = lookup.find("ctxprobe_abi_version").orElseThrow(() -> new NativeLibraryException(
                so + " is not libctxprobe: it has no ctxprobe_abi_version"));
        int version;
        try {
            MethodHandle mh = Linker.nativeLinker().downcallHandle(fn, ABI_VERSION);
            version = (int) mh.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (version != NativeCore.ABI_VERSION) {
            throw new NativeLibraryException(so + " has ABI version " + version + " but this ctxprobe needs "
                    + NativeCore.ABI_VERSION + ": rebuild the native library (make native) with the same sources");
        }
        return lookup;
    }

    /** statvfs(3), for the one flag the loader needs to know before it fails obscurely. */
    static final class Statvfs {
        private Statvfs() {}

        /** ST_NOEXEC in f_flag. */
        static final long ST_NOEXEC = 8;
        /** struct statvfs (x86-64, 112 bytes): f_flag at 72. */
        private static final java.lang.foreign.StructLayout STATVFS_LAYOUT = java.lang.foreign.MemoryLayout.structLayout(
                JAVA_LONG.withName("f_bsize"), JAVA_LONG.withName("f_frsize"), JAVA_LONG.withName("f_blocks"),
                JAVA_LONG.withName("f_bfree"), JAVA_LONG.withName("f_bavail"), JAVA_LONG.withName("f_files"),
                JAVA_LONG.withName("f_ffree"), JAVA_LONG.withName("f_favail"), JAVA_LONG.withName("f_fsid"),
                JAVA_LONG.withName("f_flag"), JAVA_LONG.withName("f_namemax"),
                java.lang.foreign.MemoryLayout.sequenceLayout(6, JAVA_INT).withName("__f_spare"));
        private static final java.lang.invoke.VarHandle F_FLAG = STATVFS_LAYOUT.varHandle(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("f_flag"));

        /* int statvfs(const char *restrict path, struct statvfs *restrict buf); */
        private static final Downcall STATVFS = Libc.errno("statvfs",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

        static boolean isNoexec(Path dir) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment path = arena.allocateFrom(dir.toString());
                MemorySegment buf = arena.allocate(STATVFS_LAYOUT);
                MemorySegment errno = Libc.errnoSlot();
                int rc = (int) STATVFS.handle().invokeExact(errno, path, buf);
                // If statvfs itself fails, let dlopen have the last word (its error names the dir).
                return rc == 0 && ((long) F_FLAG.get(buf, 0L) & ST_NOEXEC) != 0;
            } catch (Throwable t) {
                return false;
            }
        }
    }
}
