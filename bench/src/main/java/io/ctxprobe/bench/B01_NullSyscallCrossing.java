package io.ctxprobe.bench;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.Unistd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What this measures: one getppid system call from Java, through an FFM downcall and through a JNA
 * direct call — the crossing cost of each binding on top of the kernel entry (compare with
 * `ctxprobe run syscall.null`, whose c-loop case has no binding at all).
 *
 * How to run: {@code make bench} or
 * {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/ctxprobe-bench.jar B01}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class B01_NullSyscallCrossing {

    private final Binding jna = Binding.jna();

    @Benchmark
    public int ffmDowncall() {
        return Unistd.getppid();
    }

    @Benchmark
    public int jnaCall() {
        return jna.getppid();
    }
}
