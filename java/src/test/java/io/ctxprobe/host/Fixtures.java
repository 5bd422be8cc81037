package io.ctxprobe.host;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The vm-2cpu fixture: files, saved command output, and this VM's CPUID and perf answers. */
final class Fixtures {
    private Fixtures() {
    }

    static Path vm() {
        try {
            return Path.of(Fixtures.class.getResource("/host/vm-2cpu").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path vmRoot() {
        return vm().resolve("root");
    }

    static List<String> lines(String relative) {
        try {
            return Files.readAllLines(vm().resolve(relative), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> rootFile(String absolute) {
        return lines("root" + absolute);
    }

    static ExternalSources vmCommands() {
        return ExternalSources.savedOutputs(vm().resolve("commands/getconf-a.txt"), vm().resolve("commands/dmesg.txt"),
                "fixture: no OSHI");
    }

    /** CPUID as this guest answers (AMD Zen 5 under a hypervisor whose signature says bhyve). */
    static final Map<Integer, int[]> VM_CPUID = new HashMap<>();

    static {
        VM_CPUID.put(0x0, new int[] {0x0000000d, 0x68747541, 0x444d4163, 0x69746e65});
        VM_CPUID.put(0x1, new int[] {0x00b00f21, 0x53fe0800, 0xfed83203, 0x178bfbff});
        VM_CPUID.put(0x7, new int[] {0x00000001, 0xf1bb03a9, 0x18005f42, 0x00000110});
        VM_CPUID.put(0x40000000, new int[] {0x40000000, 0x76796862, 0x68622065, 0x20657679});
        VM_CPUID.put(0x80000000, new int[] {0x80000021, 0x68747541, 0x444d4163, 0x69746e65});
        VM_CPUID.put(0x80000001, new int[] {0x00b00f21, 0x40000000, 0x440001f1, 0x25d3fbff});
        VM_CPUID.put(0x80000002, new int[] {0x6469784f, 0x69562065, 0x61757472, 0x7554206c});
        VM_CPUID.put(0x80000003, new int[] {0x2d6e6972, 0x656b696c, 0x6f725020, 0x73736563});
        VM_CPUID.put(0x80000004, new int[] {0x2020726f, 0x20202020, 0x20202020, 0x00202020});
        VM_CPUID.put(0x80000005, new int[] {0xff60ff40, 0xff60ff40, 0x300c0140, 0x20080140});
        VM_CPUID.put(0x80000006, new int[] {0x40802040, 0x60804040, 0x04006140, 0x0fe09140});
    }

    static final NativeFacts.PerfProbe VM_PERF = new NativeFacts.PerfProbe("NO_PMU", "ENOENT",
            "no hardware PMU (ENOENT): cycles with exclude_kernel=1", "OPEN", null,
            "software events open (context-switches, exclude_kernel=0)");

    /** A fake with this VM's answers; affinity {0, 1}. */
    static NativeFacts vmNative() {
        return new NativeFacts() {
            @Override
            public int[] cpuid(int leaf, int subleaf) {
                return VM_CPUID.getOrDefault(leaf, new int[4]).clone();
            }

            @Override
            public List<Integer> allowedCpus() {
                return List.of(0, 1);
            }

            @Override
            public PerfProbe perf() {
                return VM_PERF;
            }
        };
    }
}
