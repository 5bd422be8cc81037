package io.ctxprobe.perf;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct perf_event_attr} (linux/perf_event.h) with the kernel's field names, size 136
 * (PERF_ATTR_SIZE_VER8). A union is named after its first member as the kernel uses it for
 * counting (sample_period, wakeup_events, config1, config2); the bitfield word is {@code flags}
 * with the bit constants below. Sending 136 bytes to an older kernel works as long as the bytes
 * it does not know are zero (config3 here); Debian 12's headers stop at 128 (VER7).
 *
 * <pre>
 * offset size field                 offset size field
 *      0    4 type                      88    4 sample_stack_user
 *      4    4 size                      92    4 clockid
 *      8    8 config                    96    8 sample_regs_intr
 *     16    8 sample_period/freq       104    4 aux_watermark
 *     24    8 sample_type              108    2 sample_max_stack
 *     32    8 read_format              110    2 __reserved_2
 *     40    8 flags (bitfield)         112    4 aux_sample_size
 *     48    4 wakeup_events/watermark  116    4 __reserved_3
 *     52    4 bp_type                  120    8 sig_data
 *     56    8 config1 (bp_addr)        128    8 config3
 *     64    8 config2 (bp_len)
 *     72    8 branch_sample_type
 *     80    8 sample_regs_user
 * </pre>
 * Checked against offsetof() from the system headers by PerfEventAttrLayoutTest.
 */
public final class PerfEventAttr {
    private PerfEventAttr() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("size"),
            JAVA_LONG.withName("config"),
            JAVA_LONG.withName("sample_period"),
            JAVA_LONG.withName("sample_type"),
            JAVA_LONG.withName("read_format"),
            JAVA_LONG.withName("flags"),
            JAVA_INT.withName("wakeup_events"),
            JAVA_INT.withName("bp_type"),
            JAVA_LONG.withName("config1"),
            JAVA_LONG.withName("config2"),
            JAVA_LONG.withName("branch_sample_type"),
            JAVA_LONG.withName("sample_regs_user"),
            JAVA_INT.withName("sample_stack_user"),
            JAVA_INT.withName("clockid"),
            JAVA_LONG.withName("sample_regs_intr"),
            JAVA_INT.withName("aux_watermark"),
            JAVA_SHORT.withName("sample_max_stack"),
            JAVA_SHORT.withName("__reserved_2"),
            JAVA_INT.withName("aux_sample_size"),
            JAVA_INT.withName("__reserved_3"),
            JAVA_LONG.withName("sig_data"),
            JAVA_LONG.withName("config3")).withName("perf_event_attr");

    /** PERF_ATTR_SIZE_VER8. */
    public static final int SIZE = (int) LAYOUT.byteSize();

    public static final VarHandle TYPE = handle("type");
    public static final VarHandle SIZE_FIELD = handle("size");
    public static final VarHandle CONFIG = handle("config");
    public static final VarHandle SAMPLE_PERIOD = handle("sample_period");
    public static final VarHandle SAMPLE_TYPE = handle("sample_type");
    public static final VarHandle READ_FORMAT = handle("read_format");
    public static final VarHandle FLAGS = handle("flags");
    public static final VarHandle CONFIG1 = handle("config1");
    public static final VarHandle CONFIG2 = handle("config2");
    public static final VarHandle CLOCKID = handle("clockid");

    // Bits of the flags word, in declaration order of the C bitfield.
    public static final long DISABLED = 1L << 0;
    public static final long INHERIT = 1L << 1;
    public static final long PINNED = 1L << 2;
    public static final long EXCLUSIVE = 1L << 3;
    public static final long EXCLUDE_USER = 1L << 4;
    public static final long EXCLUDE_KERNEL = 1L << 5;
    public static final long EXCLUDE_HV = 1L << 6;
    public static final long EXCLUDE_IDLE = 1L << 7;
    public static final long MMAP = 1L << 8;
    public static final long COMM = 1L << 9;
    public static final long FREQ = 1L << 10;
    public static final long INHERIT_STAT = 1L << 11;
    public static final long ENABLE_ON_EXEC = 1L << 12;
    public static final long TASK = 1L << 13;
    public static final long WATERMARK = 1L << 14;
    /** precise_ip is two bits wide (15-16). */
    public static final int PRECISE_IP_SHIFT = 15;
    public static final long MMAP_DATA = 1L << 17;
    public static final long SAMPLE_ID_ALL = 1L << 18;
    public static final long EXCLUDE_HOST = 1L << 19;
    public static final long EXCLUDE_GUEST = 1L << 20;
    public static final long EXCLUDE_CALLCHAIN_KERNEL = 1L << 21;
    public static final long EXCLUDE_CALLCHAIN_USER = 1L << 22;
    public static final long MMAP2 = 1L << 23;
    public static final long COMM_EXEC = 1L << 24;
    public static final long USE_CLOCKID = 1L << 25;
    public static final long CONTEXT_SWITCH = 1L << 26;
    public static final long WRITE_BACKWARD = 1L << 27;
    public static final long NAMESPACES = 1L << 28;
    public static final long KSYMBOL = 1L << 29;
    public static final long BPF_EVENT = 1L << 30;
    public static final long AUX_OUTPUT = 1L << 31;
    public static final long CGROUP = 1L << 32;
    public static final long TEXT_POKE = 1L << 33;
    public static final long BUILD_ID = 1L << 34;
    public static final long INHERIT_THREAD = 1L << 35;
    public static final long REMOVE_ON_EXEC = 1L << 36;
    public static final long SIGTRAP = 1L << 37;

    // read_format bits
    public static final long FORMAT_TOTAL_TIME_ENABLED = 1L << 0;
    public static final long FORMAT_TOTAL_TIME_RUNNING = 1L << 1;
    public static final long FORMAT_ID = 1L << 2;
    public static final long FORMAT_GROUP = 1L << 3;
    public static final long FORMAT_LOST = 1L << 4;
    /** Both times: what every ctxprobe reading carries unless a C reader needs a bare u64. */
    public static final long TIMES = FORMAT_TOTAL_TIME_ENABLED | FORMAT_TOTAL_TIME_RUNNING;

    /** Byte offset of a field, from the layout (never hand-typed). */
    public static long offsetOf(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private static VarHandle handle(String field) {
        return LAYOUT.varHandle(groupElement(field));
    }

    /**
     * A zeroed attr for a counting event: {@code size} set, read_format with both times so the
     * counter's multiplexing is always visible.
     */
    public static MemorySegment counting(Arena arena, int type, long config, long flags) {
        MemorySegment attr = arena.allocate(LAYOUT); // allocate() zeroes: unknown fields stay 0
        TYPE.set(attr, 0L, type);
        SIZE_FIELD.set(attr, 0L, SIZE);
        CONFIG.set(attr, 0L, config);
        READ_FORMAT.set(attr, 0L, TIMES);
        FLAGS.set(attr, 0L, flags);
        return attr;
    }
}
