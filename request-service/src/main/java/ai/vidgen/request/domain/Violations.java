package ai.vidgen.request.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Collects violations so that rules keep going after the first one. */
public final class Violations {

    private static final int MAX_ECHO = 60;

    private final List<Violation> list = new ArrayList<>();

    void add(String pointer, String detail) {
        list.add(new Violation(pointer, detail));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<Violation> list() {
        return merge(list);
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
