package ai.vidgen.request.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads a Kafka record of {@code generation-commands} as a CloudEvent 1.0, per the CloudEvents
 * Kafka protocol binding:
 * <ul>
 * <li>structured mode: {@code content-type: application/cloudevents+json}, the value is the whole
 * event (attributes, extensions and {@code data});</li>
 * <li>binary mode: attributes and extensions are {@code ce_*} headers, the value is the data
 * (JSON, as {@code content-type} says; the header may be absent).</li>
 * </ul>
 * A record that is neither, or whose required attributes ({@code specversion} 1.0, {@code id},
 * {@code source}, {@code type}) are missing, or whose JSON does not parse, is undecodable: it
 * cannot be answered meaningfully and goes to the dead-letter topic.
 */
public final class CommandDecoder {

    public static final String STRUCTURED = "application/cloudevents+json";
    public static final String CORRELATION_ID = "correlationid";
    public static final String TENANT_ID = "tenantid";
    public static final String IDEMPOTENCY_KEY = "idempotencykey";
    /** The CloudEvents distributed-tracing extension: the producer's W3C trace context. */
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private CommandDecoder() {
    }

    /** @throws UndecodableCommandException with the reason, when the record is not a CloudEvent we can read */
    public static GenerationCommand decode(String key, String value, Headers headers) {
        String contentType = header(headers, "content-type");
        boolean binary = header(headers, "ce_specversion") != null;
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(STRUCTURED)) {
            return structured(key, value);
        }
        if (binary) {
            return binary(key, value, headers, contentType);
        }
        throw new UndecodableCommandException("neither a structured CloudEvent (content-type "
                + STRUCTURED + ") nor a binary one (ce_specversion header)");
    }

    private static GenerationCommand structured(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new UndecodableCommandException("structured CloudEvent with an empty value");
        }
        JsonNode event;
        try {
            event = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new UndecodableCommandException("structured CloudEvent is not JSON: " + e.getOriginalMessage());
        }
        if (!(event instanceof ObjectNode object)) {
            throw new UndecodableCommandException("structured CloudEvent is not a JSON object");
        }
        String specversion = text(object, "specversion");
        String id = text(object, "id");
        String source = text(object, "source");
        String type = text(object, "type");
        requireAttributes(specversion, id, source, type);
        JsonNode data = object.get("data");
        if (data == null && object.hasNonNull("data_base64")) {
            throw new UndecodableCommandException("data_base64 is not supported; send JSON data");
        }
        return new GenerationCommand(id, type, source,
                firstNonBlank(text(object, CORRELATION_ID), key, id), blankToNull(text(object, TENANT_ID)),
                firstNonBlank(text(object, IDEMPOTENCY_KEY), id), data, "structured",
                blankToNull(text(object, TRACEPARENT)), blankToNull(text(object, TRACESTATE)));
    }

    private static GenerationCommand binary(String key, String value, Headers headers, String contentType) {
        String specversion = header(headers, "ce_specversion");
        String id = header(headers, "ce_id");
        String source = header(headers, "ce_source");
        String type = header(headers, "ce_type");
        requireAttributes(specversion, id, source, type);
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            throw new UndecodableCommandException("binary CloudEvent data must be JSON, not " + contentType);
        }
        JsonNode data = null;
        if (value != null && !value.isBlank()) {
            try {
                data = MAPPER.readTree(value);
            } catch (JsonProcessingException e) {
                throw new UndecodableCommandException("binary CloudEvent data is not JSON: " + e.getOriginalMessage());
            }
        }
        return new GenerationCommand(id, type, source,
                firstNonBlank(header(headers, "ce_" + CORRELATION_ID), key, id),
                blankToNull(header(headers, "ce_" + TENANT_ID)),
                firstNonBlank(header(headers, "ce_" + IDEMPOTENCY_KEY), id), data, "binary",
                blankToNull(header(headers, "ce_" + TRACEPARENT)), blankToNull(header(headers, "ce_" + TRACESTATE)));
    }

    private static void requireAttributes(String specversion, String id, String source, String type) {
        if (!"1.0".equals(specversion)) {
            throw new UndecodableCommandException("specversion must be 1.0, not " + specversion);
        }
        if (isBlank(id) || isBlank(source) || isBlank(type)) {
            throw new UndecodableCommandException("a CloudEvent needs id, source and type");
        }
    }

    /** The last value of a header, as UTF-8, or null. */
    static String header(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header last = headers.lastHeader(name);
        return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8).trim();
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (!isBlank(v)) {
                return v;
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value.trim();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
