package io.ctxprobe.perf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tracepoint's {@code format} file from tracefs ({@code events/<category>/<name>/format}): its id
 * (perf_event_attr.config for PERF_TYPE_TRACEPOINT, and the {@code common_type} of every record it
 * writes) and its fields with the offsets the kernel lays them out at. Raw sample data
 * (PERF_SAMPLE_RAW) is decoded by these offsets only: they differ between kernels (an older
 * sched_wakeup carries {@code success} before {@code target_cpu}), so nothing here hard-codes one.
 *
 * <pre>
 * name: tlb_flush
 * ID: 188
 * format:
 * 	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 * 	...
 * 	field:int reason;	offset:8;	size:4;	signed:1;
 * 	field:unsigned long pages;	offset:16;	size:8;	signed:0;
 *
 * print fmt: "pages:%ld reason:%s (%d)", ...
 * </pre>
 *
 * @param name   the event's name ("tlb_flush")
 * @param id     its tracepoint id
 * @param fields   every field, the common_* ones first, in file order
 * @param printFmt the {@code print fmt:} line's text ("" when the file has none)
 */
public record TracepointFormat(String name, long id, List<Field> fields, String printFmt) {

    public TracepointFormat {
        fields = List.copyOf(fields);
        printFmt = printFmt == null ? "" : printFmt;
    }

    /**
     * One field. {@code arrayLength} is the declared element count of {@code char comm[16]} and the
     * like, 0 for a scalar; {@code size} is the whole field's size in bytes.
     */
    public record Field(String name, String type, int offset, int size, boolean signed, int arrayLength) {

        /** An integer field (1, 2, 4 or 8 bytes) read at its offset, sign-extended when signed. */
        public long readLong(MemorySegment raw) {
            if (arrayLength > 0) {
                throw new IllegalStateException("field " + name + " is an array (" + type + "): read it as a string");
            }
            check(raw);
            return switch (size) {
                case 1 -> signed ? raw.get(ValueLayout.JAVA_BYTE, offset) : Byte.toUnsignedLong(raw.get(ValueLayout.JAVA_BYTE, offset));
                case 2 -> signed ? raw.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset)
                        : Short.toUnsignedLong(raw.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset));
                case 4 -> signed ? raw.get(ValueLayout.JAVA_INT_UNALIGNED, offset)
                        : Integer.toUnsignedLong(raw.get(ValueLayout.JAVA_INT_UNALIGNED, offset));
                case 8 -> raw.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                default -> throw new IllegalStateException("field " + name + " has size " + size + ": not an integer");
            };
        }

        /** Element {@code index} of an integer array field ({@code unsigned long args[6]}), by its element size. */
        public long readElement(MemorySegment raw, int index) {
            if (arrayLength <= 0 || index < 0 || index >= arrayLength) {
                throw new IndexOutOfBoundsException("field " + name + " (" + type + ", " + arrayLength + " elements): no element " + index);
            }
            int element = size / arrayLength;
            return new Field(name + "[" + index + "]", type, offset + index * element, element, signed, 0).readLong(raw);
        }

        /** A {@code char[N]} field up to its first NUL. */
        public String readString(MemorySegment raw) {
            check(raw);
            byte[] bytes = raw.asSlice(offset, size).toArray(ValueLayout.JAVA_BYTE);
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) end++;
            return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        }

        private void check(MemorySegment raw) {
            if (offset + size > raw.byteSize()) {
                throw new IndexOutOfBoundsException("field " + name + " at " + offset + "+" + size + " beyond a raw record of "
                        + raw.byteSize() + " bytes");
            }
        }
    }

    private static final Pattern FIELD = Pattern.compile(
            "^\\s*field:(.+?);\\s*offset:(\\d+);\\s*size:(\\d+);\\s*signed:([01]);\\s*$");
    private static final Pattern ARRAY = Pattern.compile("^(.*?)\\s*\\[(\\d*)\\]$");
    private static final Pattern SYMBOL = Pattern.compile("\\{\\s*(-?(?:0x[0-9a-fA-F]+|\\d+))\\s*,\\s*\"([^\"]*)\"\\s*\\}");

    /** The field called {@code name}; IllegalArgumentException naming the fields there are. */
    public Field field(String fieldName) {
        for (Field f : fields) {
            if (f.name.equals(fieldName)) return f;
        }
        throw new IllegalArgumentException("tracepoint " + name + " has no field '" + fieldName + "' (fields: "
                + String.join(", ", fields.stream().map(Field::name).toList()) + ")");
    }

    public boolean has(String fieldName) {
        return fields.stream().anyMatch(f -> f.name.equals(fieldName));
    }

    /**
     * The names {@code print fmt} gives a field's values with {@code __print_symbolic(REC->field, { 0,
     * "flush on task switch" }, ...)}: value to name, empty when the field has no such table.
     */
    public Map<Long, String> symbols(String fieldName) {
        String call = "__print_symbolic(REC->" + fieldName + ",";
        int at = printFmt.indexOf(call);
        Map<Long, String> out = new LinkedHashMap<>();
        if (at < 0) return out;
        int end = printFmt.indexOf(')', at + call.length());
        Matcher m = SYMBOL.matcher(printFmt.substring(at + call.length(), end < 0 ? printFmt.length() : end));
        while (m.find()) {
            String v = m.group(1);
            long value = v.startsWith("0x") || v.startsWith("-0x") ? Long.decode(v) : Long.parseLong(v);
            out.put(value, m.group(2));
        }
        return out;
    }

    /** The bytes a record of this event needs at least: the end of its last field. */
    public int minimumSize() {
        return fields.stream().mapToInt(f -> f.offset + f.size).max().orElse(0);
    }

    /**
     * Pure: a format file's lines. Blank lines and {@code print fmt} are ignored; a missing name, ID
     * or field list is an IllegalArgumentException saying which (a truncated or foreign file).
     */
    public static TracepointFormat parse(List<String> lines) {
        String name = null;
        Long id = null;
        List<Field> fields = new ArrayList<>();
        String printFmt = "";
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("name:")) {
                name = t.substring(5).strip();
            } else if (t.startsWith("ID:")) {
                try {
                    id = Long.parseLong(t.substring(3).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("format file: ID is not a number: '" + t + "'");
                }
            } else if (t.startsWith("field:")) {
                fields.add(parseField(line));
            } else if (t.startsWith("print fmt:")) {
                printFmt = t.substring("print fmt:".length()).strip();
                break;
            }
        }
        if (id == null) throw new IllegalArgumentException("format file" + (name == null ? "" : " of " + name) + ": no ID line");
        if (name == null) throw new IllegalArgumentException("format file with ID " + id + ": no name line");
        if (fields.stream().noneMatch(f -> f.name.equals("common_type"))) {
            throw new IllegalArgumentException("format file of " + name + ": no common_type field (truncated?)");
        }
        return new TracepointFormat(name, id, fields, printFmt);
    }

    /** Pure: one {@code field:TYPE NAME[N]; offset:O; size:S; signed:0|1;} line. */
    static Field parseField(String line) {
        Matcher m = FIELD.matcher(line);
        if (!m.matches()) throw new IllegalArgumentException("format file: not a field line: '" + line.strip() + "'");
        String decl = m.group(1).strip();
        int offset = Integer.parseInt(m.group(2));
        int size = Integer.parseInt(m.group(3));
        boolean signed = m.group(4).equals("1");
        int arrayLength = 0;
        Matcher a = ARRAY.matcher(decl);
        if (a.matches()) {
            decl = a.group(1);
            arrayLength = a.group(2).isEmpty() ? -1 : Integer.parseInt(a.group(2));   // [] : a flexible array
        }
        int space = decl.lastIndexOf(' ');
        if (space < 0) throw new IllegalArgumentException("format file: no type in '" + line.strip() + "'");
        String type = decl.substring(0, space).strip();
        String fieldName = decl.substring(space + 1).replace("*", "");
        return new Field(fieldName, type, offset, size, signed, arrayLength);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (id %d, %d fields)", name, id, fields.size());
    }
}
