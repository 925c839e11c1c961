package ai.vidgen.request.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Collects violations so that rules keep going after the first one. */
public final class Violations {

    private static final int MAX_ECHO = 60;
    /**
     * Entries in one answer at most: a body of a million bad entries gets a bounded answer. Lists
     * are counted before their entries are checked, so this is a last resort.
     */
    static final int MAX_REPORTED = 50;
    /** Longer field names are not repeated in pointers (the parent is named instead). */
    static final int MAX_NAME_IN_POINTER = 128;

    private final List<Violation> list = new ArrayList<>();

    void add(String pointer, String detail) {
        list.add(new Violation(pointer, detail));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<Violation> list() {
        List<Violation> merged = merge(list);
        if (merged.size() <= MAX_REPORTED) {
            return merged;
        }
        List<Violation> first = new ArrayList<>(merged.subList(0, MAX_REPORTED - 1));
        first.add(new Violation("", (merged.size() - first.size()) + " more problems not listed; fix these first"));
        return merge(first);
    }

    /**
     * The pointer of field {@code name} under {@code parent}, or the parent itself when the name is
     * too long to be worth repeating (a field name can be megabytes long).
     */
    static String pointer(String parent, String name) {
        return name.length() > MAX_NAME_IN_POINTER ? parent : parent + "/" + GenerationRequestValidator.escape(name);
    }

    /** A field name for a message, cut like {@link #echo}. */
    static String name(String name) {
        return name.length() <= MAX_ECHO ? name : name.substring(0, MAX_ECHO) + "…";
    }

    /**
     * One entry per field: several problems of the same field become one entry whose detail lists
     * them in the order they were found, so a client can attach one message to one input.
     */
    public static List<Violation> merge(List<Violation> violations) {
        java.util.LinkedHashMap<String, String> byPointer = new java.util.LinkedHashMap<>();
        for (Violation v : violations) {
            byPointer.merge(v.pointer(), v.detail(), (first, next) -> first.equals(next) ? first : first + "; also, " + next);
        }
        return byPointer.entrySet().stream().map(e -> new Violation(e.getKey(), e.getValue())).toList();
    }

    /**
     * The offending value as JSON, so that {@code "17"} (a string) and {@code 17} (a number) read
     * differently in the message; long values are cut because they are echoed back.
     */
    static String echo(JsonNode value) {
        String json = value == null || value.isMissingNode() ? "nothing" : value.toString();
        return json.length() <= MAX_ECHO ? json : json.substring(0, MAX_ECHO) + "…";
    }

    /** The JSON type of a value, for "must be a string; got a number". */
    static String typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL -> "null";
            default -> "nothing";
        };
    }
}
