package io.ctxprobe.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * One C function, resolved on first use (jextract's lazily created holder, as an object): a symbol
 * missing from this libc or library version breaks only the call that needs it, never the class
 * that declares it. Each handle's signature is written once, next to its C prototype.
 */
public final class Downcall {
    private final Supplier<SymbolLookup> lookup;
    private final String symbol;
    private final FunctionDescriptor descriptor;
    private final Linker.Option[] options;
    private volatile MethodHandle handle;
    private volatile MemorySegment address;

    Downcall(Supplier<SymbolLookup> lookup, String symbol, FunctionDescriptor descriptor,
             Linker.Option... options) {
        this.lookup = lookup;
        this.symbol = symbol;
        this.descriptor = descriptor;
        this.options = options;
    }

    /** The symbol name, which is also the call name used in {@link LinuxException}. */
    public String symbol() {
        return symbol;
    }

    /** The descriptor the handle is linked with (the ABI contract test compares it with the header). */
    FunctionDescriptor descriptor() {
        return descriptor;
    }

    /** The function's address: for function pointers handed to C (pthread_create, clone). */
    public MemorySegment address() {
        MemorySegment a = address;
        if (a == null) {
            a = lookup.get().find(symbol).orElseThrow(() ->
                    new UnsatisfiedLinkError("symbol not found: " + symbol));
            address = a;
        }
        return a;
    }

    /** The downcall handle; with errno capture its first parameter is the capture segment. */
    public MethodHandle handle() {
        MethodHandle h = handle;
        if (h == null) {
            h = Linker.nativeLinker().downcallHandle(address(), descriptor, options);
            handle = h;
        }
        return h;
    }

    /** Whether the symbol exists, without failing. */
    public boolean available() {
        try {
            address();
            return true;
        } catch (UnsatisfiedLinkError | IllegalStateException e) {
            return false;
        }
    }
}
