package io.ctxprobe.probes.tlb;

import io.ctxprobe.perf.PerfRecord;
import io.ctxprobe.perf.TracepointFormat;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.measure.BatchPlan;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tally and the verdict on synthetic samples laid out by a recorded tlb_flush format (this host's, 6.18). */
class FlushTallyTest {

    static final TracepointFormat TLB = TracepointFormat.parse(List.of("name: tlb_flush", "ID: 188", "format:",
            "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;",
            "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;",
            "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;",
            "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;", "",
            "\tfield:int reason;\toffset:8;\tsize:4;\tsigned:1;",
            "\tfield:unsigned long pages;\toffset:16;\tsize:8;\tsigned:0;", "",
            "print fmt: \"pages:%ld reason:%s (%d)\", REC->pages, __print_symbolic(REC->reason, { 0, \"flush on task switch\" },"
                    + " { 1, \"remote shootdown\" }, { 2, \"local shootdown\" }, { 3, \"local MM shootdown\" },"
                    + " { 4, \"remote IPI send\" }, { 5, \"remote wrong CPU\" }), REC->reason"));

    static final TracepointFormat SCHED = TracepointFormat.parse(List.of("name: sched_switch", "ID: 372", "format:",
            "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;",
            "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;",
            "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;",
            "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;",
            "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;",
            "\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;"));
    static final int A = 100;
    static final int B = 101;
    static final int[] TIDS = {A, B};

    static PerfRecord.Sample tlb(int type, int pid, int reason, long pages) {
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) type).putInt(4, pid).putInt(8, reason).putLong(16, pages);
        return new PerfRecord.Sample(pid, pid, 1, 0, MemorySegment.ofArray(b.array()));
    }

    static PerfRecord.Sample sw(int prev, int next) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) 372).putInt(4, prev).putInt(24, prev).putInt(56, next);
        return new PerfRecord.Sample(prev, prev, 1, 0, MemorySegment.ofArray(b.array()));
    }

    /** Handoffs A -> B -> A ..., each followed by its flush (kept or full), then shootdowns and other-task switches. */
    static List<PerfRecord.Sample> samples(int kept, int full, int shootdowns) {
        List<PerfRecord.Sample> out = new ArrayList<>();
        for (int i = 0; i < kept + full; i++) {
            int prev = i % 2 == 0 ? A : B;
            out.add(sw(prev, prev == A ? B : A));
            out.add(tlb(188, prev, 0, i < kept ? 0 : -1));
        }
        for (int i = 0; i < shootdowns; i++) out.add(tlb(188, A, 3, 1));
        out.add(sw(A, 999));                            // a preemption by another task: switches address space too
        out.add(tlb(188, A, 0, 0));
        return out;
    }

    @Test
    void pcidHostKeepsTheTlb() {
        FlushTally t = FlushTally.of(TLB, SCHED, samples(998, 2, 5), TIDS, 1001, 1001, 0);
        assertEquals(999, t.kept());
        assertEquals(2, t.full());
        assertEquals(1001, t.taskSwitchSampled());
        assertTrue(t.addsUp());
        assertEquals(1000, t.handoffSwitches());
        assertEquals(1000, t.handoffFlushes(), "the other-task switch's flush is not a handoff's");
        assertEquals(1.0, t.perHandoff());
        assertEquals(Long.valueOf(5), t.byReason().get("local MM shootdown (3)"));
        assertEquals(Long.valueOf(1001), t.byReason().get("flush on task switch (0)"));
        List<PerfRecord.Sample> threads = new ArrayList<>();
        for (int i = 0; i < 1000; i++) threads.add(sw(i % 2 == 0 ? A : B, i % 2 == 0 ? B : A));
        threads.add(sw(A, 999));
        threads.add(tlb(188, A, 0, 0));                  // preempted by another process: not a thread handoff
        FlushTally thread = FlushTally.of(TLB, SCHED, threads, TIDS, 1001, 1, 0);
        assertEquals(0.0, thread.perHandoff());
        TlbFlushVerdict v = TlbFlushVerdict.of(t, thread);
        assertEquals(TlbFlushVerdict.Answer.NO, v.answer());
        assertTrue(v.text().startsWith("process switches flushed the TLB: no — PCID kept 99.8% of them"), v.text());
        assertTrue(v.text().contains("thread switches: 0.000"), v.text());
    }

    @Test
    void hostWithoutPcidFlushesAndTheVerdictReadsBack() {
        FlushTally t = FlushTally.of(TLB, SCHED, samples(0, 990, 0), TIDS, 991, 991, 0);
        TlbFlushVerdict v = TlbFlushVerdict.of(t, null);
        assertEquals(TlbFlushVerdict.Answer.YES, v.answer());
        assertTrue(v.text().contains("yes — 99.9% of them were full flushes"), v.text());
        CaseResult measured = new CaseResultBuilder(TlbFlushProbe.ID, "process/same-core", "events/switch")
                .valuesInUnit(new BatchPlan(0, 1, 1), new double[] {t.perHandoff()}, null).build();
        CaseResult r = v.on(measured, false);
        assertEquals(v.fullShare(), r.derived(TlbFlushVerdict.FULL).orElseThrow().value(), 1e-12);
        assertEquals(v.text(), r.derived(TlbFlushVerdict.KEPT).orElseThrow().note(), "the verdict sentence is the kept share's note");
        assertEquals(List.of("tlb.flush/process/same-core"), r.derived(TlbFlushVerdict.KEPT).orElseThrow().from());
        TlbFlushVerdict back = TlbFlushVerdict.from(r).orElseThrow();
        assertEquals(v.answer(), back.answer());
        assertEquals(v.fullShare(), back.fullShare(), 1e-3);
        assertTrue(Double.isNaN(back.threadPerSwitch()));
        assertTrue(TlbFlushVerdict.from(CaseResult.skipped(TlbFlushProbe.ID, "process/same-core", null, "events/switch", "no")).isEmpty());
    }

    @Test
    void mixedAndAbsentSwitches() {
        assertEquals(TlbFlushVerdict.Answer.PARTLY, TlbFlushVerdict.of(FlushTally.of(TLB, SCHED, samples(500, 500, 0), TIDS, 1001, 1001, 0), null).answer());
        assertEquals(TlbFlushVerdict.Answer.NO_ADDRESS_SPACE_SWITCH,
                TlbFlushVerdict.of(FlushTally.of(TLB, SCHED, List.of(sw(A, 0), sw(0, B)), TIDS, 1000, 0, 0), null).answer());
    }

    @Test
    void skippedOffX86WithTheReason() {
        assertTrue(TlbFlushProbe.archReason(io.ctxprobe.linux.Arch.AARCH64).contains("x86-only tracepoint"));
        assertTrue(TlbFlushProbe.archReason(io.ctxprobe.linux.Arch.AARCH64).contains("aarch64"));
        assertEquals(null, TlbFlushProbe.archReason(io.ctxprobe.linux.Arch.X86_64));
    }

    @Test
    void aSplitThatDoesNotAddUpIsSaid() {
        assertFalse(FlushTally.of(TLB, SCHED, samples(900, 0, 0), TIDS, 1001, 1000, 0).addsUp(), "count mismatch");
        assertFalse(FlushTally.of(TLB, SCHED, samples(1000, 0, 0), TIDS, 1001, 1001, 4).addsUp(), "records lost");
        assertTrue(FlushTally.of(TLB, SCHED, samples(1000, 0, 0), TIDS, 1001, 1001, 4).text().contains("4 records lost"));
    }
}
