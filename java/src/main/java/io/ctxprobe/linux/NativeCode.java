package io.ctxprobe.linux;

/** A kind passed to libctxprobe as its {@code #define}d int (an enum constant marked {@link CDefine}). */
public interface NativeCode {
    int code();
}
