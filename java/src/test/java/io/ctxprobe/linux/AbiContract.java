package io.ctxprobe.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pieces of {@link AbiContractTest}: what the Java side declares (read by reflection), what gcc
 * says (a generated printer, and {@code gcc -aux-info} for the prototypes), and pure checkers that
 * compare the two and list every mismatch. The checkers take text, so the test can feed them an
 * altered copy and show that a one-sided change is caught. gcc is required: a missing gcc is an
 * IOException, i.e. a failure, never a skip.
 */
final class AbiContract {
    private AbiContract() {}

    /** A C function's shape in widths: "int32", "int64", "pointer", "void". */
    record Proto(String ret, List<String> args) {}

    /** One struct the Java side lays out by hand: the C tag and the Java layout. */
    record Struct(String tag, StructLayout layout) {}

    static final Path INCLUDE = Path.of("../native/include");
    static final Path WORK = Path.of("target", "test-c", "abi");

    /** libc headers whose macros and structs the linux package mirrors. */
    private static final List<String> LIBC_HEADERS = List.of("errno.h", "fcntl.h", "linux/futex.h", "sched.h", "signal.h",
            "stddef.h", "stdio.h", "sys/eventfd.h", "sys/file.h", "sys/mman.h", "sys/prctl.h", "sys/resource.h", "sys/statvfs.h",
            "sys/wait.h", "time.h", "unistd.h");

    // ---- the Java side ------------------------------------------------------------------------------

    /** The binding classes, one per header: each ctxprobe/*.h names its class ("Java: NativeX"). */
    static Map<Path, Class<?>> bindingClasses(Path include) throws IOException, ClassNotFoundException {
        Map<Path, Class<?>> out = new TreeMap<>();
        Pattern javaClass = Pattern.compile("Java: (Native\\w+)");
        try (var headers = Files.list(include.resolve("ctxprobe"))) {
            for (Path h : headers.filter(p -> p.toString().endsWith(".h")).sorted().toList()) {
                Matcher m = javaClass.matcher(Files.readString(h));
                assertTrue(m.find(), h + " names no Java binding class (\"Java: NativeX\")");
                out.put(h.getFileName(), Class.forName("io.ctxprobe.linux." + m.group(1)));
            }
        }
        return out;
    }

    /** symbol -> descriptor of every Downcall field of the classes. */
    static Map<String, FunctionDescriptor> descriptors(Iterable<Class<?>> classes) throws IllegalAccessException {
        Map<String, FunctionDescriptor> out = new TreeMap<>();
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == Downcall.class && Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    Downcall d = (Downcall) f.get(null);
                    out.put(d.symbol(), d.descriptor());
                }
            }
        }
        return out;
    }

    /** C macro -> Java value of every @CDefine field (enum constants through {@link NativeCode}). */
    static Map<String, Long> annotatedDefines(Iterable<Class<?>> classes) throws IllegalAccessException {
        Map<String, Long> out = new TreeMap<>();
        for (Class<?> c : classes) {
            List<Class<?>> all = new ArrayList<>(List.of(c));
            all.addAll(List.of(c.getDeclaredClasses()));
            for (Class<?> k : all) {
                for (Field f : k.getDeclaredFields()) {
                    CDefine d = f.getAnnotation(CDefine.class);
                    if (d == null) continue;
                    f.setAccessible(true);
                    Object v = f.get(null);
                    out.put(d.value(), v instanceof NativeCode n ? (long) n.code() : ((Number) v).longValue());
                }
            }
        }
        return out;
    }

    /** Non-private static final int/long constants named like macros (libc mirrors: PROT_READ, ...). */
    static Map<String, Long> namedConstants(Iterable<Class<?>> classes) throws IllegalAccessException {
        Map<String, Long> out = new TreeMap<>();
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                boolean number = f.getType() == int.class || f.getType() == long.class;
                if (!number || !Modifier.isStatic(mod) || !Modifier.isFinal(mod) || Modifier.isPrivate(mod)
                        || !f.getName().matches("[A-Z][A-Z0-9_]+")) continue;
                f.setAccessible(true);
                out.put(f.getName(), ((Number) f.get(null)).longValue());
            }
        }
        return out;
    }

    /** "field" names (nested: "ru_utime.tv_sec") -> {offset, size} of a Java struct layout. */
    static Map<String, long[]> fields(StructLayout layout) {
        Map<String, long[]> out = new LinkedHashMap<>();
        collect(layout, "", 0, out);
        return out;
    }

    private static void collect(GroupLayout g, String prefix, long base, Map<String, long[]> out) {
        long offset = 0;
        for (MemoryLayout e : g.memberLayouts()) {
            if (!(e instanceof PaddingLayout) && e.name().isPresent()) {
                String name = prefix + e.name().get();
                if (e instanceof GroupLayout inner) collect(inner, name + ".", base + offset, out);
                else out.put(name, new long[] {base + offset, e.byteSize()});
            }
            offset += e.byteSize();
        }
    }

    /** A Java layout's width name as the prototype check compares it. */
    static String width(MemoryLayout l) {
        if (l instanceof AddressLayout) return "pointer";
        if (l instanceof ValueLayout v && v.byteSize() == 4) return "int32";
        if (l instanceof ValueLayout v && v.byteSize() == 8) return "int64";
        return "other:" + l;
    }

    static Proto proto(FunctionDescriptor fd) {
        return new Proto(fd.returnLayout().map(AbiContract::width).orElse("void"),
                fd.argumentLayouts().stream().map(AbiContract::width).toList());
    }

    // ---- the C side ---------------------------------------------------------------------------------

    /** The C source of a printer for these macros (compared only if defined) and structs. */
    static String printerSource(Iterable<String> macros, List<Struct> structs) {
        StringBuilder c = new StringBuilder("#define _GNU_SOURCE\n");
        LIBC_HEADERS.forEach(h -> c.append("#include <").append(h).append(">\n"));
        c.append("#include \"ctxprobe.h\"\n\nint main(void)\n{\n");
        for (String m : macros) {
            c.append("#ifdef ").append(m).append("\n    printf(\"define ").append(m)
                    .append(" %lld\\n\", (long long)(").append(m).append("));\n#else\n    printf(\"undefined ")
                    .append(m).append("\\n\");\n#endif\n");
        }
        for (Struct s : structs) {
            String t = "struct " + s.tag();
            c.append("    printf(\"sizeof ").append(s.tag()).append(" %zu\\n\", sizeof(").append(t).append("));\n");
            for (String f : fields(s.layout()).keySet()) {
                c.append("    printf(\"field ").append(s.tag()).append(' ').append(f).append(" %zu %zu\\n\", offsetof(")
                        .append(t).append(", ").append(f).append("), sizeof(((").append(t).append(" *)0)->")
                        .append(f).append("));\n");
            }
        }
        return c.append("    return 0;\n}\n").toString();
    }

    /** Compiles and runs the printer against the headers under {@code include}; its output lines. */
    static List<String> runPrinter(String source, Path include, String name) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(WORK);
        Path src = dir.resolve(name + ".c");
        Path exe = dir.resolve(name);
        Files.writeString(src, source);
        run(List.of("gcc", "-std=gnu11", "-Wall", "-Werror", "-I" + include, "-o", exe.toString(), src.toString()));
        return run(List.of(exe.toAbsolutePath().toString()));
    }

    /** The prototypes of every ctxprobe_* function, as gcc itself normalised them (-aux-info). */
    static Map<String, Proto> headerPrototypes(Path include, String name) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(WORK);
        Path src = dir.resolve(name + "_protos.c");
        Path aux = dir.resolve(name + ".aux");
        Files.writeString(src, "#include \"ctxprobe.h\"\n");
        run(List.of("gcc", "-std=gnu11", "-fsyntax-only", "-I" + include, "-aux-info", aux.toString(), src.toString()));
        return parseAuxInfo(Files.readAllLines(aux));
    }

    /** Lines like "extern int64_t ctxprobe_x (int32_t, uint32_t *);" -> symbol -> Proto. */
    static Map<String, Proto> parseAuxInfo(List<String> lines) {
        Pattern p = Pattern.compile("extern (.+?)\\s*\\b(ctxprobe_\\w+) \\((.*)\\);");
        Map<String, Proto> out = new TreeMap<>();
        for (String line : lines) {
            Matcher m = p.matcher(line);
            if (!m.find()) continue;
            List<String> args = m.group(3).equals("void") ? List.of()
                    : List.of(m.group(3).split(",\\s*")).stream().map(AbiContract::cWidth).toList();
            out.put(m.group(2), new Proto(cWidth(m.group(1)), args));
        }
        return out;
    }

    static String cWidth(String type) {
        String t = type.trim();
        if (t.endsWith("*")) return "pointer";
        return switch (t) {
            case "int32_t", "uint32_t", "int" -> "int32";
            case "int64_t", "uint64_t", "long int" -> "int64";
            case "void" -> "void";
            default -> "other:" + t;
        };
    }

    // ---- the checkers: every mismatch, one line each ---------------------------------------------

    static List<String> prototypeMismatches(Map<String, Proto> header, Map<String, FunctionDescriptor> java) {
        List<String> out = new ArrayList<>();
        java.forEach((symbol, fd) -> {
            Proto c = header.get(symbol);
            Proto j = proto(fd);
            if (c == null) out.add(symbol + ": bound in Java, no prototype in the headers");
            else if (c.args().size() != j.args().size())
                out.add(symbol + ": " + c.args().size() + " arguments in C, " + j.args().size() + " in Java");
            else if (!c.equals(j)) out.add(symbol + ": C " + c + " vs Java " + j);
        });
        header.keySet().stream().filter(s -> !java.containsKey(s))
                .forEach(s -> out.add(s + ": in the headers, bound by no Java class"));
        return out;
    }

    /** Printer lines vs Java values; {@code required}: macros that must be defined (libctxprobe's). */
    static List<String> defineMismatches(List<String> printer, Map<String, Long> java, Iterable<String> required) {
        List<String> out = new ArrayList<>();
        Map<String, Long> c = new TreeMap<>();
        for (String line : printer) {
            String[] f = line.split(" ");
            if (f[0].equals("define")) c.put(f[1], Long.parseLong(f[2]));
        }
        for (String r : required) if (!c.containsKey(r)) out.add(r + ": not defined in the headers");
        java.forEach((name, v) -> {
            if (c.containsKey(name) && c.get(name).longValue() != v) out.add(name + ": C " + c.get(name) + ", Java " + v);
        });
        return out;
    }

    static List<String> structMismatches(List<String> printer, List<Struct> structs) {
        List<String> out = new ArrayList<>();
        for (Struct s : structs) {
            Map<String, long[]> java = fields(s.layout());
            for (String line : printer) {
                String[] f = line.split(" ");
                if (f[0].equals("sizeof") && f[1].equals(s.tag()) && Long.parseLong(f[2]) != s.layout().byteSize())
                    out.add("sizeof(struct " + s.tag() + "): C " + f[2] + ", Java " + s.layout().byteSize());
                if (f[0].equals("field") && f[1].equals(s.tag())) {
                    long[] j = java.get(f[2]);
                    if (j[0] != Long.parseLong(f[3]) || j[1] != Long.parseLong(f[4]))
                        out.add(s.tag() + "." + f[2] + ": C offset " + f[3] + " size " + f[4] + ", Java offset " + j[0]
                                + " size " + j[1]);
                }
            }
        }
        return out;
    }

    private static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out.lines().toList();
    }
}
