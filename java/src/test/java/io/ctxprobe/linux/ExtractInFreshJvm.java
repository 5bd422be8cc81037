package io.ctxprobe.linux;

/**
 * Run by NativeCodeSafetyTest in a child JVM: loads the library and extracts the helper the way a
 * run does, then prints both paths (one per line) and exits, so the test can check where they were
 * kept and that a temporary directory is gone afterwards.
 */
public final class ExtractInFreshJvm {
    private ExtractInFreshJvm() {}

    public static void main(String[] args) {
        System.out.println(NativeLibrary.path());
        System.out.println(NativeLibrary.helperPath());
    }
}
