package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.linux.AbiContract.Struct;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Java–C seam, checked against gcc (as PerfEventAttrLayoutTest checks perf_event_attr): every
 * libctxprobe FunctionDescriptor against its header prototype (gcc -aux-info: symbol, argument
 * count, each width), every {@code #define} the Java side mirrors (libctxprobe's by @CDefine, libc's
 * by name), and the libc structs the linux package lays out by hand (rusage, timespec, statvfs) by
 * sizeof/offsetof. The last test shows that a change on one side only is caught.
 */
class AbiContractTest {

    /** The libc mirrors of this package: their macro-named constants are compared where C defines them. */
    static final List<String> LIBC_CLASSES = List.of("Errno", "EventFd", "Futex", "Mman", "Prctl",
            "Resource", "Sched", "Time", "Unistd", "Wait", "Statvfs", "FileLocks");

    private static List<Class<?>> bindings() throws Exception {
        Map<Path, Class<?>> byHeader = AbiContract.bindingClasses(AbiContract.INCLUDE);
        assertEquals(byHeader.size(), new HashSet<>(byHeader.values()).size(), "one binding class per header: " + byHeader);
        return List.copyOf(byHeader.values());
    }

    static List<Class<?>> libcClasses() throws ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>();
        for (String c : LIBC_CLASSES) out.add(Class.forName("io.ctxprobe.linux." + c));
        return out;
    }

    static List<Struct> structs() throws Exception {
        return List.of(new Struct("rusage", Resource.RUSAGE), new Struct("timespec", Time.TIMESPEC),
                new Struct("statvfs", Statvfs.STATVFS_LAYOUT));
    }

    private static Map<String, Long> allConstants() throws Exception {
        Map<String, Long> all = new TreeMap<>(AbiContract.namedConstants(libcClasses()));
        all.putAll(AbiContract.annotatedDefines(bindings()));
        return all;
    }

    @Test
    void everyDescriptorMatchesItsPrototype() throws Exception {
        Map<String, FunctionDescriptor> java = AbiContract.descriptors(bindings());
        Map<String, AbiContract.Proto> header = AbiContract.headerPrototypes(AbiContract.INCLUDE, "real");
        assertTrue(header.size() >= 40, "only " + header.size() + " prototypes parsed: " + header.keySet());
        assertEquals(List.of(), AbiContract.prototypeMismatches(header, java));
        for (Class<?> c : bindings()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() != Downcall.class) continue;
                f.setAccessible(true);
                Downcall d = (Downcall) f.get(null);
                assertTrue(d.available(), d.symbol() + " is missing from the built libctxprobe.so");
            }
        }
    }

    @Test
    void everyConstantAndStructMatchesC() throws Exception {
        Map<String, Long> annotated = AbiContract.annotatedDefines(bindings());
        assertTrue(annotated.size() >= 50, "only " + annotated.size() + " @CDefine constants: " + annotated.keySet());
        List<String> printer = AbiContract.runPrinter(
                AbiContract.printerSource(allConstants().keySet(), structs()), AbiContract.INCLUDE, "real");
        assertEquals(List.of(), AbiContract.defineMismatches(printer, allConstants(), annotated.keySet()));
        assertEquals(List.of(), AbiContract.structMismatches(printer, structs()));
        long libcCompared = printer.stream().filter(l -> l.startsWith("define ") && !l.startsWith("define CTXPROBE_"))
                .count();
        assertTrue(libcCompared >= 40, "only " + libcCompared + " libc constants compared:\n" + printer);
        assertTrue(printer.stream().filter(l -> l.startsWith("field ")).count() >= 30, "struct fields compared");
    }

    /** A change on one side only: an altered header copy, an altered Java layout and descriptor. */
    @Test
    void aOneSidedChangeIsCaught() throws Exception {
        Path altered = alteredHeaders();

        List<String> printer = AbiContract.runPrinter(
                AbiContract.printerSource(allConstants().keySet(), structs()), altered, "altered");
        assertEquals(List.of("CTXPROBE_MECH_PIPE: C 7, Java 2"),
                AbiContract.defineMismatches(printer, allConstants(), AbiContract.annotatedDefines(bindings()).keySet()));

        Map<String, FunctionDescriptor> java = AbiContract.descriptors(bindings());
        List<String> protos = AbiContract.prototypeMismatches(AbiContract.headerPrototypes(altered, "altered"), java);
        assertEquals(1, protos.size(), protos.toString());
        assertTrue(protos.get(0).startsWith("ctxprobe_syscall_null_run: C "), protos.toString());

        Map<String, FunctionDescriptor> javaAltered = new TreeMap<>(java);
        javaAltered.put("ctxprobe_tlb_switch_run", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));           // packed: int64 instead of int32
        javaAltered.put("ctxprobe_pingpong_go", FunctionDescriptor.ofVoid());    // an argument dropped
        assertEquals(List.of("ctxprobe_pingpong_go: 1 arguments in C, 0 in Java",
                        "ctxprobe_tlb_switch_run: C Proto[ret=int32, args=[int32, int32, int64, int64, int64, int64, "
                                + "pointer]] vs Java Proto[ret=int32, args=[int32, int64, int64, int64, int64, int64, pointer]]"),
                AbiContract.prototypeMismatches(AbiContract.headerPrototypes(AbiContract.INCLUDE, "real"), javaAltered));

        List<String> real = AbiContract.runPrinter(
                AbiContract.printerSource(List.of(), structs()), AbiContract.INCLUDE, "structs");
        List<String> structs = AbiContract.structMismatches(real, List.of(new Struct("rusage", swapLastTwo(Resource.RUSAGE))));
        assertEquals(List.of("rusage.ru_nivcsw: C offset 136 size 8, Java offset 128 size 8",
                "rusage.ru_nvcsw: C offset 128 size 8, Java offset 136 size 8"), structs.stream().sorted().toList());
    }

    /** A copy of native/include with one constant and one prototype changed. */
    private static Path alteredHeaders() throws Exception {
        Path dir = AbiContract.WORK.resolve("altered-include");
        Files.createDirectories(dir.resolve("ctxprobe"));
        Files.copy(AbiContract.INCLUDE.resolve("ctxprobe.h"), dir.resolve("ctxprobe.h"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var headers = Files.list(AbiContract.INCLUDE.resolve("ctxprobe"))) {
            for (Path h : headers.toList()) {
                String text = Files.readString(h)
                        .replace("#define CTXPROBE_MECH_PIPE    2", "#define CTXPROBE_MECH_PIPE    7")
                        .replace("int32_t ctxprobe_syscall_null_run(int64_t warmup, int64_t batches, int64_t ops,",
                                "int32_t ctxprobe_syscall_null_run(int64_t warmup, int64_t batches, int32_t ops,");
                Files.writeString(dir.resolve("ctxprobe").resolve(h.getFileName()), text);
            }
        }
        String all = Files.readString(dir.resolve("ctxprobe/pingpong.h")) + Files.readString(dir.resolve("ctxprobe/syscall.h"));
        assertTrue(all.contains("CTXPROBE_MECH_PIPE    7") && all.contains("int32_t ops,"), "the alteration applied");
        return dir;
    }

    /** The layout with its last two members' names swapped (same sizes: only the offsets move). */
    private static StructLayout swapLastTwo(StructLayout s) {
        List<MemoryLayout> m = new ArrayList<>(s.memberLayouts());
        int n = m.size();
        String a = m.get(n - 2).name().orElseThrow();
        String b = m.get(n - 1).name().orElseThrow();
        m.set(n - 2, m.get(n - 2).withName(b));
        m.set(n - 1, m.get(n - 1).withName(a));
        return MemoryLayout.structLayout(m.toArray(MemoryLayout[]::new));
    }
}
