package io.ctxprobe.host;

import java.util.List;

/**
 * What only native code can tell: wired by the caller (FFM or JNA binding), faked in tests.
 * Each method may throw {@link UnsupportedOperationException} whose message is the reason.
 */
public interface NativeFacts {

    /** CPUID with eax=leaf, ecx=subleaf: {eax, ebx, ecx, edx}. */
    int[] cpuid(int leaf, int subleaf);

    /** sched_getaffinity(0) of this process, sorted. */
    List<Integer> allowedCpus();

    /** What perf_event_open says about hardware and software events. */
    PerfProbe perf();

    /**
     * Whether each catalogue event (and a few tracepoints) opens on the calling thread, in catalogue
     * order. Fixtures without this answer give an empty list (no facts rendered).
     */
    default List<EventAvailability> events() {
        return List.of();
    }

    /** No native library: every call throws "no native library". */
    NativeFacts NONE = new NativeFacts() {
        @Override
        public int[] cpuid(int leaf, int subleaf) {
            throw new UnsupportedOperationException("no native library");
        }

        @Override
        public List<Integer> allowedCpus() {
            throw new UnsupportedOperationException("no native library");
        }

        @Override
        public PerfProbe perf() {
            throw new UnsupportedOperationException("no native library");
        }

        @Override
        public List<EventAvailability> events() {
            throw new UnsupportedOperationException("no native library");
        }
    };

    /**
     * @param name   the event's name ("cycles", "sched:sched_switch")
     * @param status OPEN, or the reason's class: NO_PMU, NOT_PERMITTED, NOT_FOUND, UNSUPPORTED, ERROR
     * @param text   "open", "open; user-space only (...)", "unavailable: no hardware PMU (ENOENT)", "not permitted (...)"
     */
    record EventAvailability(String name, String status, String text) {
    }

    /**
     * @param hardwareStatus OPEN, NO_PMU, NOT_PERMITTED, UNSUPPORTED or ERROR
     * @param hardwareErrno the errno name (e.g. "ENOENT"), null when the open succeeded
     * @param hardwareText one line for people, e.g. "no hardware PMU (ENOENT)"; rendered verbatim
     */
    record PerfProbe(String hardwareStatus, String hardwareErrno, String hardwareText, String softwareStatus,
            String softwareErrno, String softwareText) {
    }
}
