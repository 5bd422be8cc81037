package io.ctxprobe.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The ring-buffer reader on buffers recorded on a live host (RingBufferRecorder: sched_switch samples
 * of one thread, one-page rings, this host's format file) and on synthetic ones built here.
 */
class PerfRecordsTest {

    static final Path RESOURCES = Path.of("src/test/resources/perf");
    static final String HOST = "x86_64-pcid-linux-6.18";

    record Fixture(MemorySegment data, long tail, long head, long sampleType, long tracepointId, int tid, int cpu) {}

    static Fixture fixture(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(RESOURCES.resolve("ring/" + name + ".properties"))) {
            p.load(in);
        }
        return new Fixture(MemorySegment.ofArray(Files.readAllBytes(RESOURCES.resolve("ring/" + name + ".bin"))),
                Long.parseLong(p.getProperty("tail")), Long.parseLong(p.getProperty("head")),
                Long.parseLong(p.getProperty("sample_type")), Long.parseLong(p.getProperty("tracepoint_id")),
                Integer.parseInt(p.getProperty("tid")), Integer.parseInt(p.getProperty("cpu")));
    }

    static TracepointFormat sched() throws IOException {
        return TracepointFormat.parse(Files.readAllLines(RESOURCES.resolve("tracefs/" + HOST + "/events/sched/sched_switch/format")));
    }

    static List<PerfRecord> drain(Fixture f) {
        List<PerfRecord> out = new ArrayList<>();
        assertEquals(f.head(), PerfRecords.drain(f.data(), f.tail(), f.head(), f.sampleType(), out::add), "read up to head");
        return out;
    }

    /** Every recorded sample is a sched_switch on the recorded CPU in which the recorded thread is prev or next. */
    static void assertSamplesOfTheThread(Fixture f, List<PerfRecord> records) throws IOException {
        TracepointFormat sw = sched();
        assertEquals(f.tracepointId(), sw.id(), "the fixture's format file is the one recorded with it");
        long lastTime = Long.MIN_VALUE;
        for (PerfRecord r : records) {
            if (!(r instanceof PerfRecord.Sample s)) continue;
            assertEquals(sw.id(), s.commonType());
            assertEquals(f.cpu(), s.cpu());
            long prev = sw.field("prev_pid").readLong(s.raw());
            long next = sw.field("next_pid").readLong(s.raw());
            assertTrue(prev == f.tid() || next == f.tid(), () -> "prev " + prev + " next " + next);
            assertEquals(prev, s.tid(), "the sample's tid is the task switched out");
            assertTrue(s.time() >= lastTime, "one CPU's records come in time order");
            lastTime = s.time();
            String comm = sw.field(prev == f.tid() ? "prev_comm" : "next_comm").readString(s.raw());
            assertTrue(!comm.isEmpty() && comm.length() < 16, comm);
        }
    }

    @Test
    void recordedPlainBuffer() throws IOException {
        Fixture f = fixture("plain");
        List<PerfRecord> records = drain(f);
        assertTrue(records.size() >= 4 && records.stream().allMatch(r -> r instanceof PerfRecord.Sample), records::toString);
        assertSamplesOfTheThread(f, records);
    }

    @Test
    void recordedWrapAroundDecodesTheRecordThatRunsPastTheEnd() throws IOException {
        Fixture f = fixture("wrap");
        long size = f.data().byteSize();
        assertTrue((f.tail() & (size - 1)) + (f.head() - f.tail()) > size, "the fixture's records run past the end of the area");
        List<PerfRecord> records = drain(f);
        assertSamplesOfTheThread(f, records);
        // Find the record that straddles: its header sits before the end, its body continues at offset 0.
        long pos = f.tail();
        boolean straddled = false;
        for (PerfRecord r : records) {
            // header 8, pid/tid 8, time 8, cpu/res 8, raw size 4, raw data
            int recordSize = 36 + (int) ((PerfRecord.Sample) r).raw().byteSize();
            straddled |= (pos & (size - 1)) + recordSize > size;
            pos += recordSize;
        }
        assertEquals(f.head(), pos, "record sizes add up to head");
        assertTrue(straddled, "one record was split across the end and decoded whole");
    }

    @Test
    void recordedLostRecordSaysHowManyWereDropped() throws IOException {
        Fixture f = fixture("lost");
        List<PerfRecord> records = drain(f);
        List<PerfRecord.Lost> lost = records.stream().filter(r -> r instanceof PerfRecord.Lost).map(r -> (PerfRecord.Lost) r).toList();
        assertEquals(1, lost.size(), records::toString);
        assertTrue(lost.getFirst().lost() > 0);
        assertTrue(records.getFirst() instanceof PerfRecord.Lost, "written before anything after the overflow");
        assertSamplesOfTheThread(f, records);
    }

    // ---- synthetic buffers ----

    /** A 256-byte ring; records are written at free-running positions, wrapping. */
    static final class Ring {
        final ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        long head;

        Ring(long start) {
            head = start;
        }

        void put(byte[] record) {
            for (byte b : record) buf.put((int) (head++ & 255), b);
        }

        MemorySegment data() {
            return MemorySegment.ofArray(buf.array());
        }
    }

    static byte[] sample(int pid, int tid, long time, int cpu, byte[] raw) {
        int rawSize = raw.length;
        int size = 8 + 8 + 8 + 8 + 4 + rawSize;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        b.putInt(PerfRecord.TYPE_SAMPLE).putShort((short) 0).putShort((short) size);
        b.putInt(pid).putInt(tid).putLong(time).putInt(cpu).putInt(0).putInt(rawSize).put(raw);
        return b.array();
    }

    static byte[] lost(long id, long n) {
        return ByteBuffer.allocate(24).order(ByteOrder.nativeOrder()).putInt(PerfRecord.TYPE_LOST).putShort((short) 0)
                .putShort((short) 24).putLong(id).putLong(n).array();
    }

    /** A tlb_flush entry as this host lays it out (reason at 8, pages at 16), padded to keep the record 8-aligned. */
    static byte[] tlbRaw(int type, int pid, int reason, long pages) {
        return ByteBuffer.allocate(28).order(ByteOrder.nativeOrder()).putShort((short) type).put((byte) 0).put((byte) 0)
                .putInt(pid).putInt(reason).putInt(0).putLong(pages).putInt(0).array();
    }

    @Test
    void syntheticWrapLostAndOtherRecords() {
        Ring ring = new Ring(1000);     // 1000 & 255 = 232: the first sample (64 bytes) wraps after 24 bytes
        ring.put(sample(10, 11, 5_000, 1, tlbRaw(188, 11, 0, -1)));
        ring.put(lost(7, 42));
        ring.put(ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(PerfRecord.TYPE_LOST_SAMPLES)
                .putShort((short) 0).putShort((short) 16).putLong(3).array());
        ring.put(ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(PerfRecord.TYPE_THROTTLE)
                .putShort((short) 0).putShort((short) 16).putLong(0).array());
        List<PerfRecord> out = new ArrayList<>();
        PerfRecords.drain(ring.data(), 1000, ring.head, PerfRecords.TRACEPOINT_SAMPLE, out::add);
        assertEquals(4, out.size());
        PerfRecord.Sample s = (PerfRecord.Sample) out.get(0);
        assertEquals(10, s.pid());
        assertEquals(11, s.tid());
        assertEquals(5_000, s.time());
        assertEquals(1, s.cpu());
        assertEquals(188, s.commonType());
        TracepointFormat tlb = tlbFormat();
        assertEquals(0, tlb.field("reason").readLong(s.raw()));
        assertEquals(-1, tlb.field("pages").readLong(s.raw()), "TLB_FLUSH_ALL read as -1");
        assertEquals(new PerfRecord.Lost(7, 42), out.get(1));
        assertEquals(new PerfRecord.LostSamples(3), out.get(2));
        assertEquals(new PerfRecord.Other(PerfRecord.TYPE_THROTTLE, 16), out.get(3));
    }

    @Test
    void impossibleSizesAreRefusedNotSkipped() {
        Ring ring = new Ring(0);
        ring.put(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(PerfRecord.TYPE_SAMPLE).putShort((short) 0)
                .putShort((short) 4).array());
        assertThrows(IllegalStateException.class, () -> PerfRecords.drain(ring.data(), 0, 8, PerfRecords.TRACEPOINT_SAMPLE, r -> {}));
        Ring past = new Ring(0);
        past.put(sample(1, 1, 1, 0, tlbRaw(188, 1, 0, 0)));
        assertThrows(IllegalStateException.class, () -> PerfRecords.drain(past.data(), 0, 32, PerfRecords.TRACEPOINT_SAMPLE, r -> {}),
                "a record that runs past head");
        assertThrows(IllegalStateException.class, () -> PerfRecords.drain(past.data(), 0, 512, PerfRecords.TRACEPOINT_SAMPLE, r -> {}),
                "head more than the area ahead of tail");
        assertThrows(IllegalArgumentException.class, () -> PerfRecords.drain(past.data(), 0, 0, 1L << 5, r -> {}),
                "a sample type with a callchain is not laid out here");
    }

    @Test
    void nothingBetweenTailAndHeadIsNothing() {
        assertEquals(96, PerfRecords.drain(new Ring(0).data(), 96, 96, PerfRecords.TRACEPOINT_SAMPLE, r -> {
            throw new AssertionError(r);
        }));
    }

    static TracepointFormat tlbFormat() {
        try {
            return TracepointFormat.parse(Files.readAllLines(RESOURCES.resolve("tracefs/" + HOST + "/events/tlb/tlb_flush/format")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
