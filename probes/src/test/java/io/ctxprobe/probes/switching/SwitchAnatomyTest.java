package io.ctxprobe.probes.switching;

import io.ctxprobe.perf.PerfRecord;
import io.ctxprobe.perf.TracepointFormat;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decomposition on a synthetic trace (this host's 6.18 layouts, ids made up): phases tile the cycles exactly. */
class SwitchAnatomyTest {

    static final int A = 11;
    static final int B = 12;
    static final long FUTEX = io.ctxprobe.linux.SyscallTable.FUTEX.number();

    static TracepointFormat format(String name, int id, String... fields) {
        List<String> lines = new ArrayList<>(List.of("name: " + name, "ID: " + id, "format:",
                "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;",
                "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;"));
        for (String f : fields) lines.add("\t" + f);
        return TracepointFormat.parse(lines);
    }

    static final SwitchAnatomy.Formats F = new SwitchAnatomy.Formats(
            format("sys_enter", 1, "field:long id;\toffset:8;\tsize:8;\tsigned:1;", "field:unsigned long args[6];\toffset:16;\tsize:48;\tsigned:0;"),
            format("sys_exit", 2, "field:long id;\toffset:8;\tsize:8;\tsigned:1;", "field:long ret;\toffset:16;\tsize:8;\tsigned:1;"),
            format("sched_waking", 3, "field:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;"),
            format("sched_wakeup", 4, "field:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;"),
            format("sched_switch", 5, "field:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;",
                    "field:long prev_state;\toffset:32;\tsize:8;\tsigned:1;", "field:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;"));

    static PerfRecord.Sample ev(int type, int tid, long time, int at24, long at32, int at56, long at8, long at24long) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) type).putInt(4, tid);
        if (type == 1) b.putLong(8, at8).putLong(24, at24long);
        else if (type == 2) b.putLong(8, at8);
        else b.putInt(24, at24).putLong(32, at32).putInt(56, at56);
        return new PerfRecord.Sample(tid, tid, time, 0, MemorySegment.ofArray(b.array()));
    }

    static PerfRecord.Sample enter(int tid, long t, long op) { return ev(1, tid, t, 0, 0, 0, FUTEX, op); }
    static PerfRecord.Sample exit(int tid, long t) { return ev(2, tid, t, 0, 0, 0, FUTEX, 0); }
    static PerfRecord.Sample waking(int waker, long t, int target) { return ev(3, waker, t, target, 0, 0, 0, 0); }
    static PerfRecord.Sample wakeup(long t, int target) { return ev(4, 0, t, target, 0, 0, 0, 0); }
    static PerfRecord.Sample sw(long t, int prev, long state, int next) { return ev(5, prev, t, prev, state, next, 0, 0); }

    static final long WAKE = 129;   // FUTEX_WAKE | FUTEX_PRIVATE_FLAG
    static final long WAIT = 128;

    @Test
    void oneCpuCyclesTileTheRun() {
        List<PerfRecord.Sample> s = new ArrayList<>();
        // A wakes B (asleep) at 0; A goes to sleep; B runs, returns, wakes A at 1000.
        s.add(enter(A, 0, WAKE));
        s.add(waking(A, 100, B));
        s.add(wakeup(250, B));
        s.add(exit(A, 300));
        s.add(enter(A, 400, WAIT));
        s.add(sw(600, A, 1, B));
        s.add(exit(B, 700));
        // B wakes A (asleep) at 1000: the second cycle; B sleeps; A back at 1650, A's wake call at 2000.
        s.add(enter(B, 1000, WAKE));
        s.add(waking(B, 1080, A));
        s.add(wakeup(1200, A));
        s.add(exit(B, 1250));
        s.add(enter(B, 1300, WAIT));
        s.add(sw(1500, B, 1, A));
        s.add(exit(A, 1650));
        // A's wake call finds B ... B did not sleep this time: a no-sleep cycle until B's wake call at 2600.
        s.add(enter(A, 2000, WAKE));
        s.add(exit(A, 2100));
        s.add(enter(B, 2600, WAKE));
        SwitchAnatomy.Result r = SwitchAnatomy.analyse(F, s, new int[] {A, B}, SwitchAnatomyProbe.wakeCall(Mechanism.FUTEX));
        assertEquals(2, r.decomposed());
        assertEquals(1, r.noSleep().length);
        assertEquals(0, r.incomplete().length);
        assertArrayEquals(new double[] {100, 80}, r.phases().get("wake-call"));
        assertArrayEquals(new double[] {150, 120}, r.phases().get("queue"));
        assertArrayEquals(new double[] {350, 300}, r.phases().get("to-switch"));
        assertArrayEquals(new double[] {100, 150}, r.phases().get("to-user"));
        assertArrayEquals(new double[] {300, 350}, r.phases().get("user"));
        assertArrayEquals(new double[] {600}, r.noSleep());
        assertEquals(2600.0 / 3, r.meanCycle(), 1e-9, "the cycles tile [0, 2600): three handoffs");
        assertArrayEquals(new double[] {200, 200}, r.sleepPaths(), "wait call to being switched out asleep");
    }

    @Test
    void aBrokenChainIsKeptWholeAsIncomplete() {
        List<PerfRecord.Sample> s = new ArrayList<>(List.of(enter(A, 0, WAKE), waking(A, 100, B), wakeup(200, B),
                enter(B, 900, WAKE)));   // no switch to B, no sys_exit of B was recorded
        SwitchAnatomy.Result r = SwitchAnatomy.analyse(F, s, new int[] {A, B}, SwitchAnatomyProbe.wakeCall(Mechanism.FUTEX));
        assertArrayEquals(new double[] {900}, r.incomplete());
        assertEquals(0, r.decomposed());
        assertEquals(900, r.meanCycle(), 1e-9);
    }

    @Test
    void wakeCallsPerMechanism() {
        SwitchAnatomy.WakeCall futex = SwitchAnatomyProbe.wakeCall(Mechanism.FUTEX);
        long nr = io.ctxprobe.linux.SyscallTable.FUTEX.number();
        assertEquals(true, futex.test(nr, 1));
        assertEquals(true, futex.test(nr, 129));
        assertEquals(false, futex.test(nr, 128), "FUTEX_WAIT_PRIVATE");
        assertEquals(false, futex.test(nr + 1, 1));
        long write = io.ctxprobe.linux.SyscallTable.WRITE.number();
        assertEquals(true, SwitchAnatomyProbe.wakeCall(Mechanism.PIPE).test(write, 5));
        assertEquals(false, SwitchAnatomyProbe.wakeCall(Mechanism.EVENTFD).test(io.ctxprobe.linux.SyscallTable.READ.number(), 5));
    }
}
