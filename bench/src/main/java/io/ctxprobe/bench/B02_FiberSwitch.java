package io.ctxprobe.bench;

import io.ctxprobe.linux.NativeCore;
import io.ctxprobe.linux.NativeFiber;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * What this measures: one fiber switch in libctxprobe, per implementation (1 = hand-written asm,
 * 2 = asm without FPU control words, 3 = glibc swapcontext), with JMH's clock around a C batch of
 * {@value #ROUND_TRIPS} round trips — a cross-check of fiber.switch's own timing.
 *
 * How to run: {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/ctxprobe-bench.jar B02}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class B02_FiberSwitch {

    static final int ROUND_TRIPS = 10_000;

    @Param({"ASM", "ASM_NOFPU", "UCONTEXT"})
    NativeFiber.Kind kind;

    private Arena arena;
    private MemorySegment wall;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        wall = arena.allocate(ValueLayout.JAVA_LONG, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUND_TRIPS)
    public int switchBatch() {
        return NativeCore.check("ctxprobe_fiber_switch_run",
                NativeFiber.switchRun(kind, 0, 1, ROUND_TRIPS, wall, MemorySegment.NULL));
    }
}
