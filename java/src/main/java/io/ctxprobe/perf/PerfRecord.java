package io.ctxprobe.perf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One record from a perf ring buffer ({@code struct perf_event_header} and what follows it), as
 * {@link PerfRecords} decodes it. Only what ctxprobe asks for is typed: samples, and the two ways the
 * kernel says it dropped some (a full buffer: PERF_RECORD_LOST; samples it could not even build:
 * PERF_RECORD_LOST_SAMPLES). Everything else is {@link Other}, counted, never silently dropped.
 */
public sealed interface PerfRecord {

    /** PERF_RECORD_LOST: {@code lost} records dropped because the buffer was full. */
    int TYPE_LOST = 2;
    /** PERF_RECORD_THROTTLE / UNTHROTTLE: the kernel paused and resumed sampling. */
    int TYPE_THROTTLE = 5;
    int TYPE_UNTHROTTLE = 6;
    /** PERF_RECORD_SAMPLE. */
    int TYPE_SAMPLE = 9;
    /** PERF_RECORD_LOST_SAMPLES. */
    int TYPE_LOST_SAMPLES = 13;

    /**
     * A sample with PERF_SAMPLE_TID | TIME | CPU | RAW (fields the sample type lacks are -1; raw is
     * empty without RAW). {@code raw} is a copy (the ring's bytes are reused once consumed): for a
     * tracepoint it is the trace entry, common_type first, laid out as its format file says.
     */
    record Sample(int pid, int tid, long time, int cpu, MemorySegment raw) implements PerfRecord {
        /** The tracepoint id that wrote the raw entry (its first u16, common_type); -1 without raw data. */
        public int commonType() {
            return raw.byteSize() < 2 ? -1 : Short.toUnsignedInt(raw.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
        }
    }

    /** PERF_RECORD_LOST: the kernel dropped {@code lost} records of event {@code id} (buffer full). */
    record Lost(long id, long lost) implements PerfRecord {}

    /** PERF_RECORD_LOST_SAMPLES: {@code lost} samples dropped before they reached the buffer. */
    record LostSamples(long lost) implements PerfRecord {}

    /** Any other record type (throttling, ...): its type and size, so a caller can count it. */
    record Other(int type, int size) implements PerfRecord {}
}
