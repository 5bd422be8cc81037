package io.ctxprobe.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.host.HostFiles;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The format-file parser on this host's recorded files and on a variant with other offsets (test resources perf/README.md). */
class TracepointFormatTest {

    static final Path TRACEFS = Path.of("src/test/resources/perf/tracefs");
    static final String HOST = "x86_64-pcid-linux-6.18";
    static final String VARIANT = "x86_64-variant-rt-common-header";

    static TracepointFormat load(String kind, String event) throws IOException {
        return TracepointFormat.parse(Files.readAllLines(TRACEFS.resolve(kind + "/events/" + event + "/format")));
    }

    @Test
    void thisHostsTlbFlush() throws IOException {
        TracepointFormat tlb = load(HOST, "tlb/tlb_flush");
        assertEquals("tlb_flush", tlb.name());
        assertEquals(188, tlb.id());
        assertEquals(new TracepointFormat.Field("reason", "int", 8, 4, true, 0), tlb.field("reason"));
        assertEquals(new TracepointFormat.Field("pages", "unsigned long", 16, 8, false, 0), tlb.field("pages"));
        Map<Long, String> reasons = tlb.symbols("reason");
        assertEquals("flush on task switch", reasons.get(0L));
        assertEquals("remote shootdown", reasons.get(1L));
        assertEquals(6, reasons.size(), reasons::toString);
        assertTrue(tlb.symbols("pages").isEmpty());
    }

    @Test
    void thisHostsSchedAndSyscallEvents() throws IOException {
        TracepointFormat sw = load(HOST, "sched/sched_switch");
        assertEquals(new TracepointFormat.Field("prev_comm", "char", 8, 16, false, 16), sw.field("prev_comm"));
        assertEquals(56, sw.field("next_pid").offset());
        assertEquals(8, sw.field("prev_state").size());
        TracepointFormat enter = load(HOST, "raw_syscalls/sys_enter");
        assertEquals(new TracepointFormat.Field("args", "unsigned long", 16, 48, false, 6), enter.field("args"));
        assertEquals(64, enter.minimumSize());
        for (String e : List.of("sched/sched_waking", "sched/sched_wakeup")) {
            TracepointFormat w = load(HOST, e);
            assertEquals(24, w.field("pid").offset());
            assertEquals(32, w.field("target_cpu").offset());
            assertFalse(w.has("success"));
        }
    }

    /** The same values laid out by each kind's file decode to the same fields; by the other's offsets they would not. */
    @Test
    void decodingFollowsTheFilesOffsets() throws IOException {
        TracepointFormat here = load(HOST, "tlb/tlb_flush");
        TracepointFormat variant = load(VARIANT, "tlb/tlb_flush");
        assertEquals(12, variant.field("reason").offset());
        assertTrue(variant.has("common_migrate_disable"));
        MemorySegment raw = MemorySegment.ofArray(new byte[32]);
        write(raw, variant.field("reason"), 3);
        write(raw, variant.field("pages"), -1);
        assertEquals(3, variant.field("reason").readLong(raw));
        assertEquals(-1, variant.field("pages").readLong(raw));
        assertNotEquals(3, here.field("reason").readLong(raw), "this host's offset reads another field's bytes");

        TracepointFormat enter = load(VARIANT, "raw_syscalls/sys_enter");
        MemorySegment e = MemorySegment.ofArray(new byte[enter.minimumSize()]);
        write(e, enter.field("id"), 202);
        e.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, enter.field("args").offset() + 8, 129);
        assertEquals(202, enter.field("id").readLong(e));
        assertEquals(129, enter.field("args").readElement(e, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> enter.field("args").readElement(e, 6));
        assertThrows(IllegalStateException.class, () -> enter.field("args").readLong(e));

        TracepointFormat sw = load(VARIANT, "sched/sched_switch");
        MemorySegment s = MemorySegment.ofArray(new byte[sw.minimumSize()]);
        byte[] comm = "pong\0".getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment.copy(MemorySegment.ofArray(comm), 0, s, sw.field("next_comm").offset(), comm.length);
        write(s, sw.field("next_pid"), 4242);
        assertEquals("pong", sw.field("next_comm").readString(s));
        assertEquals(4242, sw.field("next_pid").readLong(s));
    }

    /** An older kernel's sched_wakeup (kernel samples/bpf quote it): success before target_cpu. */
    @Test
    void olderSchedWakeupWithSuccess() {
        TracepointFormat w = TracepointFormat.parse(List.of("name: sched_wakeup", "ID: 318", "format:",
                "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;",
                "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;",
                "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;",
                "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;", "",
                "\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:1;",
                "\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;",
                "\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;",
                "\tfield:int success;\toffset:32;\tsize:4;\tsigned:1;",
                "\tfield:int target_cpu;\toffset:36;\tsize:4;\tsigned:1;"));
        assertEquals(36, w.field("target_cpu").offset());
        assertEquals("", w.printFmt());
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
        b.putInt(24, 77).putInt(32, 1).putInt(36, 5);
        MemorySegment raw = MemorySegment.ofArray(b.array());
        assertEquals(77, w.field("pid").readLong(raw));
        assertEquals(5, w.field("target_cpu").readLong(raw));
    }

    @Test
    void truncatedOrForeignFilesAreRefusedWithTheReason() {
        IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
                () -> TracepointFormat.parse(List.of("name: tlb_flush", "format:")));
        assertTrue(noId.getMessage().contains("no ID"), noId.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TracepointFormat.parse(List.of("name: x", "ID: 1", "format:")),
                "no common_type: truncated");
        assertThrows(IllegalArgumentException.class, () -> TracepointFormat.parse(List.of("name: x", "ID: one")));
        assertThrows(IllegalArgumentException.class, () -> TracepointFormat.parse(List.of("name: x", "ID: 1",
                "\tfield:int broken;\toffset:x;")));
        assertThrows(IllegalArgumentException.class, () -> TracepointFormat.parse(List.of()));
        assertThrows(IllegalArgumentException.class, () -> TracepointFormat.parse(
                List.of("cat: /sys/kernel/tracing/events/tlb/tlb_flush/format: No such file or directory")));
    }

    @Test
    void unsignedAndSignedWidths() {
        MemorySegment raw = MemorySegment.ofArray(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertEquals(255, new TracepointFormat.Field("u8", "unsigned char", 0, 1, false, 0).readLong(raw));
        assertEquals(-1, new TracepointFormat.Field("s8", "char", 0, 1, true, 0).readLong(raw));
        assertEquals(65535, new TracepointFormat.Field("u16", "unsigned short", 0, 2, false, 0).readLong(raw));
        assertEquals(4294967295L, new TracepointFormat.Field("u32", "unsigned int", 0, 4, false, 0).readLong(raw));
        assertEquals(-1, new TracepointFormat.Field("s32", "int", 0, 4, true, 0).readLong(raw));
        assertThrows(IndexOutOfBoundsException.class, () -> new TracepointFormat.Field("far", "int", 2, 4, true, 0).readLong(raw));
    }

    @Test
    void mountedTracefsIsReadUnderTheRoot(@TempDir Path root) throws IOException {
        Path events = root.resolve("sys/kernel/tracing/events");
        for (String e : List.of("tlb/tlb_flush", "sched/sched_switch")) {
            Path f = events.resolve(e + "/format");
            Files.createDirectories(f.getParent());
            Files.copy(TRACEFS.resolve(HOST + "/events/" + e + "/format"), f);
        }
        Tracefs.Lookup l = Tracefs.fromMounted(List.of("tlb:tlb_flush", "sched:sched_switch", "sched:nope"), new HostFiles(root));
        assertEquals(188, l.get("tlb:tlb_flush").id());
        assertEquals(372, l.get("sched:sched_switch").id());
        assertEquals(List.of("sched:nope"), List.copyOf(l.missing().keySet()));
        assertTrue(l.source().contains("/sys/kernel/tracing"), l.source());
        assertEquals(null, Tracefs.fromMounted(List.of("tlb:tlb_flush"), new HostFiles(root.resolve("elsewhere"))),
                "no tracefs mounted: null, the private namespace is tried next");
    }

    @Test
    void privateNamespaceChildsOutputIsSplitByMarkers() throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(Tracefs.MARKER + "tlb:tlb_flush");
        lines.addAll(Files.readAllLines(TRACEFS.resolve(HOST + "/events/tlb/tlb_flush/format")));
        lines.add(Tracefs.MARKER + "tlb:tlb_nope");
        lines.add("cat: /sys/kernel/tracing/events/tlb/tlb_nope/format: No such file or directory");
        Tracefs.Lookup l = Tracefs.parseDump(List.of("tlb:tlb_flush", "tlb:tlb_nope", "sched:sched_switch"), lines, "child");
        assertEquals(188, l.get("tlb:tlb_flush").id());
        assertTrue(l.missing().get("tlb:tlb_nope").contains("No such file"), l.missing().toString());
        assertTrue(l.missing().get("sched:sched_switch").contains("no output"), l.missing().toString());
        assertFalse(l.complete());
        String script = Tracefs.childScript(List.of("tlb:tlb_flush"));
        assertTrue(script.contains("mount -t tracefs nodev /sys/kernel/tracing") && script.contains("events/tlb/tlb_flush/format"), script);
        assertThrows(IllegalArgumentException.class, () -> Tracefs.childScript(List.of("tlb:x; rm -rf /")));
    }

    private static void write(MemorySegment raw, TracepointFormat.Field f, long value) {
        switch (f.size()) {
            case 4 -> raw.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, f.offset(), (int) value);
            case 8 -> raw.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, f.offset(), value);
            default -> throw new IllegalArgumentException("size " + f.size());
        }
    }
}
