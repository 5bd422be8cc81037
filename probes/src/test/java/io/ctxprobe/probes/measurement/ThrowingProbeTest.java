package io.ctxprobe.probes.measurement;

import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeRunner;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.RunInfo;
import io.ctxprobe.report.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a probe throws — an exception, an Error such as the {@code OutOfMemoryError} a low
 * RLIMIT_NPROC gives a thread start — is that probe's (or that case's) failed result with the reason,
 * and the probes after it still run; only a runner that cannot go on ends the run, marked aborted.
 * Test-only probes, run through the real ProbeRunner.
 */
class ThrowingProbeTest {

    /** A probe whose run (or whose availability check) throws what the row gives. */
    private record Thrower(String id, Supplier<Throwable> what, boolean inAvailabilityCheck) implements Probe {
        @Override public String description() { return "throws"; }
        @Override public List<ParamSpec> parameters() { return List.of(); }
        @Override public String unavailableReason(ProbeContext ctx) {
            if (inAvailabilityCheck) sneaky(what.get());
            return null;
        }
        @Override public List<CaseResult> run(ProbeContext ctx) {
            sneaky(what.get());
            return List.of();
        }
    }

    /** A probe that measures nothing and says so: the "rest of the run". */
    private record Fine(String id) implements Probe {
        @Override public String description() { return "fine"; }
        @Override public List<ParamSpec> parameters() { return List.of(); }
        @Override public List<CaseResult> run(ProbeContext ctx) {
            return List.of(CaseResult.skipped(id, "only", null, "-", "nothing to measure"));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }

    static Stream<Arguments> throwables() {
        return Stream.of(
                Arguments.of("runtime exception", (Supplier<Throwable>) () -> new IllegalStateException("boom"), false,
                        "boom"),
                Arguments.of("no native thread", (Supplier<Throwable>) () -> new OutOfMemoryError("unable to create native thread: "
                        + "possibly out of memory or process/resource limits reached"), false,
                        "OutOfMemoryError: unable to create native thread"),
                Arguments.of("stack overflow", (Supplier<Throwable>) StackOverflowError::new, false, "java.lang.StackOverflowError"),
                Arguments.of("missing class in the availability check",
                        (Supplier<Throwable>) () -> new NoClassDefFoundError("io/ctxprobe/Gone"), true,
                        "NoClassDefFoundError: io/ctxprobe/Gone"),
                Arguments.of("checked exception thrown sneakily", (Supplier<Throwable>) () -> new java.io.IOException("disk gone"),
                        false, "disk gone"),
                Arguments.of("assertion error", (Supplier<Throwable>) () -> new AssertionError("invariant"), false,
                        "AssertionError: invariant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwables")
    void aThrowingProbeIsItsFailureAndTheRunGoesOn(String name, Supplier<Throwable> what, boolean inCheck, String reason)
            throws Exception {
        ProbeRunner runner = new ProbeRunner(TestContexts.quick(Set.of(Placement.SAME_CORE)));
        List<List<CaseResult>> progress = new ArrayList<>();
        List<CaseResult> results = runner.run(List.of(new Fine("before"), new Thrower("thrower", what, inCheck),
                new Fine("after")), progress::add);
        assertEquals(List.of("before", "thrower", "after"), results.stream().map(CaseResult::probe).toList());
        CaseResult failed = results.get(1);
        assertEquals(Status.FAILED, failed.status());
        assertTrue(failed.reason().contains(reason), failed.reason());
        assertEquals(3, progress.size(), "every probe reported as it finished");
        assertNull(runner.aborted(), "a probe's failure does not abort the run");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwables")
    void aThrowingCaseIsThatCasesFailureAndTheOtherCasesRun(String name, Supplier<Throwable> what, boolean inCheck,
                                                            String reason) throws Exception {
        Probe cases = new Probe() {
            @Override public String id() { return "cases"; }
            @Override public String description() { return "three cases, the middle one throws"; }
            @Override public List<ParamSpec> parameters() { return List.of(); }
            @Override public List<CaseResult> run(ProbeContext ctx) {
                List<CaseResult> out = new ArrayList<>();
                for (String c : List.of("a", "b", "c")) {
                    out.add(Cases.attempt(ctx, "cases", c, "-", () -> {
                        if (c.equals("b")) sneaky(what.get());
                        return CaseResult.skipped("cases", c, null, "-", "ran");
                    }));
                }
                return out;
            }
        };
        ProbeRunner runner = new ProbeRunner(TestContexts.quick(Set.of(Placement.SAME_CORE)));
        List<CaseResult> results = runner.run(List.of(cases), done -> { });
        assertEquals(List.of(Status.SKIPPED, Status.FAILED, Status.SKIPPED), results.stream().map(CaseResult::status).toList());
        assertTrue(results.get(1).reason().contains(reason), results.get(1).reason());
    }

    @Test
    void aRunnerThatCannotGoOnEndsTheRunMarkedAborted() throws Exception {
        ProbeRunner runner = new ProbeRunner(TestContexts.quick(Set.of(Placement.SAME_CORE)));
        List<CaseResult> results = runner.run(List.of(new Fine("first"), new Fine("second")), done -> {
            throw new OutOfMemoryError("Java heap space");   // outside any probe: recording the progress
        });
        assertEquals(List.of("first"), results.stream().map(CaseResult::probe).toList(), "what finished is kept");
        assertTrue(runner.aborted() != null && runner.aborted().contains("OutOfMemoryError: Java heap space"), runner.aborted());

        RunInfo info = new RunInfo("0", null, "t", List.of("ctxprobe", "run"), new RunInfo.Jvm("vm", "v", "25", List.of()),
                "ffm", true, false);
        var json = JsonReports.mapper().valueToTree(Report.of(info.withAborted(runner.aborted()), TestContexts.host(), results));
        assertEquals(runner.aborted(), json.at("/run/aborted").asText());
        assertFalse(JsonReports.mapper().valueToTree(info).has("aborted"), "absent when the run was not aborted");
    }
}
