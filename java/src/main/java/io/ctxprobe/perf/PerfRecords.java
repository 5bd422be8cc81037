package io.ctxprobe.perf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * Pure: the records between {@code tail} and {@code head} of a perf ring buffer's data area, in the
 * order the kernel wrote them. The data area is a power-of-two ring; head and tail are free-running
 * byte counters (never wrapped), so a record starts at {@code position & (size - 1)} and may run past
 * the end of the area, its rest at the start: such a record is copied together before decoding.
 * Tested on recorded and synthetic buffers; {@link PerfRingBuffer} runs it over the live mapping.
 *
 * <pre>
 * struct perf_event_header { u32 type; u16 misc; u16 size; }   size: the whole record, a multiple of 8
 * PERF_RECORD_SAMPLE with sample_type bits, in the kernel's output order:
 *   IDENTIFIER u64 | IP u64 | TID u32 pid, u32 tid | TIME u64 | ADDR u64 | ID u64 | STREAM_ID u64
 *   | CPU u32 cpu, u32 res | PERIOD u64 | RAW u32 size, u8 data[size]
 * PERF_RECORD_LOST:         u64 id; u64 lost;
 * PERF_RECORD_LOST_SAMPLES: u64 lost;
 * </pre>
 */
public final class PerfRecords {

    public static final long SAMPLE_IP = 1L << 0;
    public static final long SAMPLE_TID = 1L << 1;
    public static final long SAMPLE_TIME = 1L << 2;
    public static final long SAMPLE_ADDR = 1L << 3;
    public static final long SAMPLE_ID = 1L << 6;
    public static final long SAMPLE_CPU = 1L << 7;
    public static final long SAMPLE_PERIOD = 1L << 8;
    public static final long SAMPLE_STREAM_ID = 1L << 9;
    public static final long SAMPLE_RAW = 1L << 10;
    public static final long SAMPLE_IDENTIFIER = 1L << 16;
    /** What tracepoint sampling in ctxprobe asks for. */
    public static final long TRACEPOINT_SAMPLE = SAMPLE_TID | SAMPLE_TIME | SAMPLE_CPU | SAMPLE_RAW;
    /** The bits this decoder knows; any other makes the layout unknown. */
    static final long DECODABLE = SAMPLE_IP | SAMPLE_TID | SAMPLE_TIME | SAMPLE_ADDR | SAMPLE_ID | SAMPLE_CPU
            | SAMPLE_PERIOD | SAMPLE_STREAM_ID | SAMPLE_RAW | SAMPLE_IDENTIFIER;

    static final int HEADER_SIZE = 8;

    private PerfRecords() {}

    /**
     * Decodes every record in [{@code tail}, {@code head}) of {@code data} (the whole data area, its size
     * a power of two) into {@code sink}; returns the new tail, i.e. {@code head} when all was read. A
     * record whose size is impossible (below the header, above the area, or past head) is an
     * IllegalStateException: the buffer is not what the kernel writes.
     */
    public static long drain(MemorySegment data, long tail, long head, long sampleType, Consumer<PerfRecord> sink) {
        long size = data.byteSize();
        if (Long.bitCount(size) != 1) throw new IllegalArgumentException("ring data area of " + size + " bytes: not a power of two");
        if ((sampleType & ~DECODABLE) != 0) {
            throw new IllegalArgumentException("sample_type 0x" + Long.toHexString(sampleType) + " has bits this decoder does not lay out");
        }
        if (head - tail > size || head < tail) {
            throw new IllegalStateException("ring: head " + head + " and tail " + tail + " are more than the area (" + size + ") apart");
        }
        long mask = size - 1;
        long pos = tail;
        while (pos < head) {
            // Records are 8-aligned with sizes in multiples of 8, so a header never straddles the end.
            long off = pos & mask;
            int type = data.get(JAVA_INT_UNALIGNED, off);
            int recordSize = Short.toUnsignedInt(data.get(JAVA_SHORT_UNALIGNED, off + 6));
            if (recordSize < HEADER_SIZE || recordSize > size || pos + recordSize > head) {
                throw new IllegalStateException("ring: record of type " + type + " at " + pos + " claims " + recordSize
                        + " bytes (head " + head + ", area " + size + ")");
            }
            sink.accept(decode(contiguous(data, off, recordSize), type, sampleType));
            pos += recordSize;
        }
        return pos;
    }

    /** The record's bytes in one heap segment: a slice copied, or the two parts of a wrapped record joined. */
    static MemorySegment contiguous(MemorySegment data, long off, int recordSize) {
        byte[] copy = new byte[recordSize];
        long first = Math.min(recordSize, data.byteSize() - off);
        MemorySegment.copy(data, JAVA_BYTE, off, copy, 0, (int) first);
        if (first < recordSize) {
            MemorySegment.copy(data, JAVA_BYTE, 0, copy, (int) first, (int) (recordSize - first));
        }
        return MemorySegment.ofArray(copy);
    }

    /** One record (header included) by its type. */
    static PerfRecord decode(MemorySegment record, int type, long sampleType) {
        return switch (type) {
            case PerfRecord.TYPE_SAMPLE -> sample(record, sampleType);
            case PerfRecord.TYPE_LOST -> new PerfRecord.Lost(record.get(JAVA_LONG_UNALIGNED, 8), record.get(JAVA_LONG_UNALIGNED, 16));
            case PerfRecord.TYPE_LOST_SAMPLES -> new PerfRecord.LostSamples(record.get(JAVA_LONG_UNALIGNED, 8));
            default -> new PerfRecord.Other(type, (int) record.byteSize());
        };
    }

    private static PerfRecord.Sample sample(MemorySegment r, long sampleType) {
        long at = HEADER_SIZE;
        if ((sampleType & SAMPLE_IDENTIFIER) != 0) at += 8;
        if ((sampleType & SAMPLE_IP) != 0) at += 8;
        int pid = -1;
        int tid = -1;
        if ((sampleType & SAMPLE_TID) != 0) {
            pid = r.get(JAVA_INT_UNALIGNED, at);
            tid = r.get(JAVA_INT_UNALIGNED, at + 4);
            at += 8;
        }
        long time = -1;
        if ((sampleType & SAMPLE_TIME) != 0) {
            time = r.get(JAVA_LONG_UNALIGNED, at);
            at += 8;
        }
        if ((sampleType & SAMPLE_ADDR) != 0) at += 8;
        if ((sampleType & SAMPLE_ID) != 0) at += 8;
        if ((sampleType & SAMPLE_STREAM_ID) != 0) at += 8;
        int cpu = -1;
        if ((sampleType & SAMPLE_CPU) != 0) {
            cpu = r.get(JAVA_INT_UNALIGNED, at);
            at += 8;
        }
        if ((sampleType & SAMPLE_PERIOD) != 0) at += 8;
        MemorySegment raw = MemorySegment.ofArray(new byte[0]);
        if ((sampleType & SAMPLE_RAW) != 0) {
            int rawSize = r.get(JAVA_INT_UNALIGNED, at);
            at += 4;
            if (rawSize < 0 || at + rawSize > r.byteSize()) {
                throw new IllegalStateException("sample: raw size " + rawSize + " beyond its record of " + r.byteSize() + " bytes");
            }
            raw = r.asSlice(at, rawSize);
        }
        return new PerfRecord.Sample(pid, tid, time, cpu, raw);
    }
}
