package io.ctxprobe.linux;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java constant (a static final int/long, or an enum constant implementing
 * {@link NativeCode}) as the mirror of one {@code #define} in native/include/ctxprobe/: the ABI
 * contract test compiles a printer for every marked name and compares the values.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface CDefine {
    /** The C macro's name, e.g. {@code CTXPROBE_MECH_FUTEX}. */
    String value();
}
