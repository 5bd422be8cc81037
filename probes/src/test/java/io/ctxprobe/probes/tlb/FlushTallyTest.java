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

    static PerfRecord.Sample tlb(int type, int reason, long pages) {
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) type).putInt(4, 100).putInt(8, reason).putLong(16, pages);
        return new PerfRecord.Sample(100, 100, 1, 0, MemorySegment.ofArray(b.array()));
    }

    static List<PerfRecord.Sample> samples(int kept, int full, int shootdowns) {
        List<PerfRecord.Sample> out = new ArrayList<>();
        for (int i = 0; i < kept; i++) out.add(tlb(188, 0, 0));
        for (int i = 0; i < full; i++) out.add(tlb(188, 0, -1));
        for (int i = 0; i < shootdowns; i++) out.add(tlb(188, 3, 1));
        out.add(tlb(372, 0, 0));                       // another tracepoint's record: not counted
        return out;
    }

    @Test
    void pcidHostKeepsTheTlb() {
        FlushTally t = FlushTally.of(TLB, samples(998, 2, 5), 1000, 1000, 0);
        assertEquals(998, t.kept());
        assertEquals(2, t.full());
        assertEquals(1000, t.taskSwitchSampled());
        assertTrue(t.addsUp());
        assertEquals(1.0, t.perSwitch());
        assertEquals(Long.valueOf(5), t.byReason().get("local MM shootdown (3)"));
        assertEquals(Long.valueOf(1000), t.byReason().get("flush on task switch (0)"));
        TlbFlushVerdict v = TlbFlushVerdict.of(t, FlushTally.of(TLB, samples(0, 0, 0), 1000, 0, 0));
        assertEquals(TlbFlushVerdict.Answer.NO, v.answer());
        assertTrue(v.text().startsWith("process switches flushed the TLB: no — PCID kept 99.8% of them"), v.text());
        assertTrue(v.text().contains("thread switches: 0.000"), v.text());
    }

    @Test
    void hostWithoutPcidFlushesAndTheVerdictReadsBack() {
        FlushTally t = FlushTally.of(TLB, samples(0, 990, 0), 1000, 990, 0);
        TlbFlushVerdict v = TlbFlushVerdict.of(t, null);
        assertEquals(TlbFlushVerdict.Answer.YES, v.answer());
        assertTrue(v.text().contains("yes — 100.00% of them were full flushes"), v.text());
        CaseResult r = new CaseResultBuilder(TlbFlushProbe.ID, "verdict", "share").params(v.params())
                .valuesInUnit(new BatchPlan(0, 1, 1), new double[] {v.fullShare()}, null).build();
        TlbFlushVerdict back = TlbFlushVerdict.from(r).orElseThrow();
        assertEquals(v.answer(), back.answer());
        assertEquals(v.fullShare(), back.fullShare(), 1e-3);
        assertTrue(Double.isNaN(back.threadPerSwitch()));
        assertTrue(TlbFlushVerdict.from(CaseResult.skipped(TlbFlushProbe.ID, "verdict", null, "share", "no")).isEmpty());
    }

    @Test
    void mixedAndAbsentSwitches() {
        assertEquals(TlbFlushVerdict.Answer.PARTLY, TlbFlushVerdict.of(FlushTally.of(TLB, samples(500, 500, 0), 1000, 1000, 0), null).answer());
        assertEquals(TlbFlushVerdict.Answer.NO_ADDRESS_SPACE_SWITCH,
                TlbFlushVerdict.of(FlushTally.of(TLB, samples(3, 0, 0), 1000, 3, 0), null).answer());
    }

    @Test
    void aSplitThatDoesNotAddUpIsSaid() {
        assertFalse(FlushTally.of(TLB, samples(900, 0, 0), 1000, 1000, 0).addsUp(), "count mismatch");
        assertFalse(FlushTally.of(TLB, samples(1000, 0, 0), 1000, 1000, 4).addsUp(), "records lost");
        assertTrue(FlushTally.of(TLB, samples(1000, 0, 0), 1000, 1000, 4).text().contains("4 records lost"));
    }
}
