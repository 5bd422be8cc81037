package io.ctxprobe.perf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.ctxprobe.linux.Mman;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A perf event's mmap'd ring buffer, read from Java: one metadata page ({@code struct
 * perf_event_mmap_page}) and 2^n data pages. Mapped read-write, so the kernel never overwrites
 * what has not been read: when the buffer is full it drops records and later writes one
 * PERF_RECORD_LOST saying how many. The kernel publishes {@code data_head} after writing a record,
 * this side reads it with acquire semantics, decodes up to it ({@link PerfRecords#drain}) and hands
 * the space back by storing {@code data_tail} with release semantics (the kernel's own protocol,
 * tools/include/linux/ring_buffer.h).
 *
 * <pre>
 * perf_event_mmap_page offset  field
 *                         1024  u64 data_head   (kernel writes)
 *                         1032  u64 data_tail   (reader writes)
 *                         1040  u64 data_offset (where the data area starts; 0 on kernels before 4.1: one page)
 *                         1048  u64 data_size
 * </pre>
 */
public final class PerfRingBuffer implements AutoCloseable {

    static final long DATA_HEAD = 1024;
    static final long DATA_TAIL = 1032;
    static final long DATA_OFFSET = 1040;
    static final long DATA_SIZE = 1048;
    private static final VarHandle U64 = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment mapping;
    private final MemorySegment data;
    private boolean closed;

    private PerfRingBuffer(MemorySegment mapping, MemorySegment data) {
        this.mapping = mapping;
        this.data = data;
    }

    /** Maps {@code fd}'s ring: one metadata page and {@code dataPages} (a power of two) data pages. */
    public static PerfRingBuffer map(int fd, int dataPages) {
        if (Integer.bitCount(dataPages) != 1) throw new IllegalArgumentException("data pages must be a power of two: " + dataPages);
        long page = pageSize();
        MemorySegment m = Mman.mmap(MemorySegment.NULL, (1L + dataPages) * page, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_SHARED, fd, 0);
        long offset = m.get(ValueLayout.JAVA_LONG, DATA_OFFSET);
        long size = m.get(ValueLayout.JAVA_LONG, DATA_SIZE);
        if (offset == 0) {   // kernels before 4.1 do not fill these in: the layout was fixed
            offset = page;
            size = dataPages * page;
        }
        return new PerfRingBuffer(m, m.asSlice(offset, size));
    }

    /** Decodes every record written since the last drain and gives the space back; the count read. */
    public int drain(long sampleType, Consumer<PerfRecord> sink) {
        long head = (long) U64.getAcquire(mapping, DATA_HEAD);
        long tail = mapping.get(ValueLayout.JAVA_LONG, DATA_TAIL);
        int[] n = {0};
        long newTail = PerfRecords.drain(data, tail, head, sampleType, r -> {
            n[0]++;
            sink.accept(r);
        });
        U64.setRelease(mapping, DATA_TAIL, newTail);
        return n[0];
    }

    /**
     * What a test fixture needs: the data area's bytes and head/tail as they are now, without
     * consuming anything (RingBufferRecording).
     */
    public Snapshot snapshot() {
        long head = (long) U64.getAcquire(mapping, DATA_HEAD);
        return new Snapshot(data.toArray(ValueLayout.JAVA_BYTE), mapping.get(ValueLayout.JAVA_LONG, DATA_TAIL), head);
    }

    /** The data area's bytes with the tail and head that delimit the unread records. */
    public record Snapshot(byte[] data, long tail, long head) {}

    /** Advances the tail to {@code tail} (a fixture recorder consuming part of the buffer). */
    public void consumeTo(long tail) {
        U64.setRelease(mapping, DATA_TAIL, tail);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Mman.munmap(mapping);
        }
    }

    /* int getpagesize(void); */
    private static final class PageSize {
        static final long VALUE;

        static {
            Linker linker = Linker.nativeLinker();
            MethodHandle h = linker.downcallHandle(linker.defaultLookup().find("getpagesize").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            try {
                VALUE = (int) h.invokeExact();
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
        }
    }

    /** The kernel's page size (4 KiB on x86-64; 4, 16 or 64 KiB on aarch64): the ring's unit. */
    public static long pageSize() {
        return PageSize.VALUE;
    }
}
