package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Loads libctxprobe.so — one loader for the jar and for surefire (where the resource sits in
 * target/classes) — and extracts the ctxprobe-helper executable beside it.
 *
 * <p>Only ctxprobe's own code is ever loaded or executed. Both files go into a
 * {@link PrivateDirectory verified private directory} under names derived from their content hash,
 * and a file already there is used only when its SHA-256 equals the packaged one (a file that merely
 * has the right name or size is replaced, never run). The helper is executed by path thousands of
 * times per run (process.create's fork-exec measures exactly that), so the guarantee that nobody
 * swaps it between check and exec comes from the directory: only this user (or root) can write it.
 *
 * <p>Directory, first that passes the check, of: system property {@value #DIR_PROPERTY};
 * environment variable {@value #DIR_ENV}; {@code $XDG_RUNTIME_DIR/ctxprobe};
 * {@code ~/.cache/ctxprobe/native}; and last a fresh {@code mkdtemp} directory under
 * {@code java.io.tmpdir}, private to this JVM and removed when it exits (never a predictable name).
 * A directory named explicitly (property or environment) is used or refused with its reason, never
 * skipped; an implicit one that fails is skipped with a one-line note on stderr. Versions extracted
 * by other builds and unused for {@value #PRUNE_AFTER_HOURS} hours are removed.
 */
public final class NativeLibrary {
    private NativeLibrary() {}

    /** This architecture's library in the jar (both x86-64 and AArch64 are packed; see {@link Arch}). */
    public static final String RESOURCE = resource(Arch.current(), "libctxprobe.so");
    /** process.create's small native parent and tiny program (native/src/helper), next to the .so. */
    public static final String HELPER_RESOURCE = resource(Arch.current(), "ctxprobe-helper");
    public static final String DIR_PROPERTY = "ctxprobe.native.dir.extract";
    public static final String DIR_ENV = "CTXPROBE_NATIVE_DIR";
    /** Another build's extracted files are pruned once unused this long (a running one keeps its own fresh). */
    static final int PRUNE_AFTER_HOURS = 24;

    private static final String LIB_PREFIX = "libctxprobe-";
    private static final String LIB_SUFFIX = ".so";
    private static final String HELPER_PREFIX = "ctxprobe-helper-";
    private static final Pattern EXTRACTED = Pattern.compile(
            "(libctxprobe-[0-9a-f]{16}\\.so|ctxprobe-helper-[0-9a-f]{16}|\\.(libctxprobe|ctxprobe-helper)-.*\\.tmp)");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rwx------");

    private static Path loadedPath;
    private static Path helperPath;
    private static SymbolLookup loaded;
    private static NativeLibraryException failure;

    // ---- platform --------------------------------------------------------------------------------

    /** Linux on an architecture ctxprobe builds for (x86-64, AArch64). */
    public static boolean isSupportedPlatform() {
        return platformProblem() == null;
    }

    /** One line saying why this is not Linux on x86-64 or AArch64, or null when it is. */
    public static String platformProblem() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return "ctxprobe measures Linux only; this is " + System.getProperty("os.name");
        }
        if (Arch.fromOsArch(arch) == null) {
            return "ctxprobe's native library is built for x86-64 and aarch64 only; this is " + arch;
        }
        return null;
    }

    /** Where {@code arch}'s copy of {@code file} sits in the jar (an unknown architecture: x86-64's path,
     * never loaded, since {@link #platformProblem()} refuses it first). */
    static String resource(Arch arch, String file) {
        return "io/ctxprobe/native/" + (arch == null ? Arch.X86_64 : arch).resourceDir() + "/" + file;
    }

    // ---- the library, loaded once ------------------------------------------------------------------

    /** The loaded library's symbols; the first call extracts and loads it (a failure is sticky). */
    public static synchronized SymbolLookup lookup() {
        if (loaded == null && failure == null) {
            try {
                String problem = platformProblem();
                if (problem != null) {
                    throw new NativeLibraryException(problem, true);
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
     * The packaged ctxprobe-helper executable, extracted next to the library (same verified
     * directory, a content-hash name, mode 0700, content checked) on the first call; its absolute path.
     */
    public static synchronized Path helperPath() {
        if (helperPath == null) {
            helperPath = extractHelper(path().getParent());
        }
        return helperPath;
    }

    // ---- directory choice --------------------------------------------------------------------------

    /** The extraction directory: created 0700 if needed, verified, and its stale versions pruned. */
    public static Path extractionDirectory() {
        return extractionDirectory(System.getProperty(DIR_PROPERTY), System.getenv(DIR_ENV),
                System.getenv("XDG_RUNTIME_DIR"), System.getProperty("user.home"),
                Path.of(System.getProperty("java.io.tmpdir")),
                skipped -> System.err.println("ctxprobe: not keeping native code in " + skipped));
    }

    /** {@link #extractionDirectory()} with its inputs given (tests name them). */
    static Path extractionDirectory(String property, String env, String xdgRuntimeDir, String home, Path tmpdir,
                                    Consumer<String> skipped) {
        if (property != null) {
            return requireUsable(property, "system property " + DIR_PROPERTY);
        }
        if (env != null) {
            return requireUsable(env, "environment variable " + DIR_ENV);
        }
        List<Path> candidates = new ArrayList<>();
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isBlank()) {
            candidates.add(Path.of(xdgRuntimeDir, "ctxprobe"));
        }
        if (home != null && !home.isBlank() && !home.equals("?")) {
            candidates.add(Path.of(home, ".cache", "ctxprobe", "native"));
        }
        for (Path candidate : candidates) {
            String problem = PrivateDirectory.ensure(candidate);
            if (problem == null) {
                prune(candidate);
                return candidate.toAbsolutePath();
            }
            skipped.accept(problem);
        }
        return freshTemporaryDirectory(tmpdir);
    }

    private static Path requireUsable(String configured, String source) {
        String problem = configured.isBlank() ? "'" + configured + "' names no directory"
                : PrivateDirectory.ensure(Path.of(configured));
        if (problem != null) {
            throw new NativeLibraryException("cannot keep libctxprobe.so in " + problem + " (from " + source
                    + "); set -D" + DIR_PROPERTY + "=<dir> or " + DIR_ENV
                    + " to a directory of your own, mode 0700, on an exec mount", true);
        }
        Path dir = Path.of(configured).toAbsolutePath();
        prune(dir);
        return dir;
    }

    /** The last resort: a mkdtemp directory (random name, 0700) for this JVM only, removed at exit. */
    private static Path freshTemporaryDirectory(Path tmp) {
        Path dir;
        try {
            dir = Files.createTempDirectory(tmp, "ctxprobe-", PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        } catch (IOException | UnsupportedOperationException e) {
            throw new NativeLibraryException("no directory to keep libctxprobe.so in: a temporary directory under '" + tmp
                    + "' cannot be created (" + e.getMessage() + "); set -D" + DIR_PROPERTY + "=<dir> or " + DIR_ENV
                    + " to a directory of your own, mode 0700, on an exec mount", true);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> removeQuietly(dir), "ctxprobe-native-dir-cleanup"));
        String problem = PrivateDirectory.problemWith(dir);
        if (problem != null) {
            removeQuietly(dir);
            throw new NativeLibraryException("no directory to keep libctxprobe.so in: " + problem + "; set -D"
                    + DIR_PROPERTY + "=<dir> or " + DIR_ENV + " to a directory of your own, mode 0700, on an exec mount", true);
        }
        return dir.toAbsolutePath();
    }

    private static void removeQuietly(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // Exiting: a leftover file in a private temporary directory harms no one.
        }
    }

    /**
     * Removes what other builds extracted into {@code dir} and nobody used for
     * {@value #PRUNE_AFTER_HOURS} hours (each use refreshes a file's mtime, so a version another
     * running ctxprobe still executes is kept). Only ctxprobe's own file names are touched.
     */
    static void prune(Path dir) {
        FileTime cutoff = FileTime.from(Instant.now().minus(Duration.ofHours(PRUNE_AFTER_HOURS)));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (EXTRACTED.matcher(f.getFileName().toString()).matches()
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException ignored) {
            // Pruning is housekeeping: a file that cannot be removed now is tried again next run.
        }
    }

    // ---- extraction ----------------------------------------------------------------------------------

    /** Extracts the packaged library into the verified {@code dir}; returns its path. */
    static Path extract(Path dir) {
        return extract(dir, RESOURCE, LIB_PREFIX, LIB_SUFFIX);
    }

    /** Extracts the packaged helper into the verified {@code dir}; returns its path. */
    static Path extractHelper(Path dir) {
        return extract(dir, HELPER_RESOURCE, HELPER_PREFIX, "");
    }

    /**
     * Puts {@code resource} into {@code dir} as {@code prefix + hash + suffix}, mode 0700: reuses the
     * file there only if its content hashes to the packaged one, else writes a fresh copy over it.
     */
    private static Path extract(Path dir, String resource, String prefix, String suffix) {
        byte[] bytes = readResource(resource);
        byte[] digest = sha256(bytes);
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        Path target = dir.toAbsolutePath().resolve(prefix + HexFormat.of().formatHex(digest, 0, 8) + suffix);
        try {
            if (hasContent(target, digest)) {
                // Refreshes the mtime: prune() in another JVM sees this version as in use.
                Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
                return target;
            }
            Path tmp = Files.createTempFile(dir.toAbsolutePath(), "." + prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
            try {
                Files.write(tmp, bytes);
                // rename(2) is atomic and replaces whatever had the name (a planted file, a symlink)
                // without following it: a concurrent JVM sees no file or a complete one, never half.
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (!hasContent(target, digest)) {
                throw new NativeLibraryException(name + " in '" + dir + "' changed under ctxprobe after it was written;"
                        + " is another user able to write there?");
            }
            return target;
        } catch (IOException e) {
            throw new NativeLibraryException("cannot write " + name + " to '" + dir.toAbsolutePath() + "': " + e
                    + "; set -D" + DIR_PROPERTY + "=<dir> or " + DIR_ENV + " to a writable directory", e);
        }
    }

    /** True when {@code file} is a regular file (not a symlink) whose SHA-256 is {@code digest}. */
    private static boolean hasContent(Path file, byte[] digest) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return MessageDigest.isEqual(sha256(in.readAllBytes()), digest);
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

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    // ---- loading ---------------------------------------------------------------------------------------

    /* int32_t ctxprobe_abi_version(void); — resolved here, not through NativeCore, to avoid a cycle. */
    private static final FunctionDescriptor ABI_VERSION = FunctionDescriptor.of(JAVA_INT);

    /** dlopen()s {@code so} for the life of the JVM and refuses it unless its ABI version matches. */
    static SymbolLookup load(Path so) {
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
}
