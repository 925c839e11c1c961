package ai.vidgen.request.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * A hash of what a request asks for, so that an idempotency key replayed with the same request
 * finds its generation and one replayed with a different request is refused.
 *
 * <p>It hashes the validated request with defaults applied and object keys sorted: field order,
 * whitespace and an omitted {@code "priority": "interactive"} do not make a request different;
 * a different prompt, duration or metadata value does.
 */
public final class RequestFingerprint {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RequestFingerprint() {
    }

    public static String of(ValidatedRequest request) {
        ObjectNode normalized = JsonNodeFactory.instance.objectNode();
        normalized.put("endpoint_id", request.endpoint().id());
        normalized.set("input", canonical(request.input()));
        normalized.put("priority", request.priority().wire());
        normalized.put("deadline", request.deadline() == null ? null : request.deadline().toString());
        // A different callback or draft choice is a different request. Added only when set, so
        // the hashes of requests stored before these options existed do not change.
        if (request.callbackUrl() != null) {
            normalized.put("callback_url", request.callbackUrl());
        }
        if (request.draft()) {
            normalized.put("draft", true);
        }
        ObjectNode metadata = normalized.putObject("metadata");
        new TreeMap<>(request.metadata()).forEach(metadata::put);
        return sha256(canonical(normalized).toString());
    }

    /** A copy of the node with every object's keys in sorted order. */
    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                sorted.put(name, canonical(node.get(name)));
            }
            ObjectNode copy = MAPPER.createObjectNode();
            sorted.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            node.forEach(element -> copy.add(canonical(element)));
            return copy;
        }
        return node;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
