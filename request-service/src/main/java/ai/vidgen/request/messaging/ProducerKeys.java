package ai.vidgen.request.messaging;

import ai.vidgen.request.config.RequestConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The command producers' signing keys ({@code request.commands.producer-keys}), each entry
 * {@code <key id>:<secret>:<tenant>|<tenant>…}. Read once at start-up: a malformed entry stops the
 * service with a message naming the entry and its key id, never the secret. No entry at all is
 * valid and means that every command is refused.
 */
@Startup
@ApplicationScoped
public class ProducerKeys {

    /** One producer key: the tenants a command signed with it may act for. */
    public record ProducerKey(String id, byte[] secret, Set<String> tenants) {
    }

    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** 32 characters: at least 128 bits even for a hex secret, and what {@code openssl rand -hex 16} gives. */
    static final int MIN_SECRET_LENGTH = 32;

    private final Map<String, ProducerKey> keys;

    @Inject
    public ProducerKeys(RequestConfig config) {
        this(config.commands().producerKeys().orElse(List.of()));
    }

    ProducerKeys(List<String> entries) {
        Map<String, ProducerKey> parsed = new LinkedHashMap<>();
        int index = 0;
        for (String entry : entries) {
            index++;
            if (entry == null || entry.isBlank()) {
                continue;
            }
            ProducerKey key = parse(entry.trim(), index);
            if (parsed.putIfAbsent(key.id(), key) != null) {
                throw invalid(index, key.id(), "the key id is used twice");
            }
        }
        this.keys = Map.copyOf(parsed);
    }

    /** The key with this id, if configured. */
    public Optional<ProducerKey> find(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    private static ProducerKey parse(String entry, int index) {
        String[] parts = entry.split(":", -1);
        // Checked before the id is named: in a malformed entry the first part may be the secret.
        if (parts.length != 3) {
            throw invalid(index, null, "expected <key id>:<secret>:<tenant>|<tenant>…");
        }
        String id = parts[0].trim();
        if (!KEY_ID.matcher(id).matches()) {
            throw invalid(index, null, "the key id must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String secret = parts[1].trim();
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw invalid(index, id, "the secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        Set<String> tenants = new LinkedHashSet<>();
        for (String tenant : parts[2].split("\\|", -1)) {
            String t = tenant.trim();
            if (!TENANT.matcher(t).matches()) {
                throw invalid(index, id, "each tenant must be 1 to 64 letters, digits, '.', '_' or '-' "
                        + "(separated by '|')");
            }
            tenants.add(t);
        }
        return new ProducerKey(id, secret.getBytes(StandardCharsets.UTF_8), Set.copyOf(tenants));
    }

    private static IllegalStateException invalid(int index, String keyId, String problem) {
        return new IllegalStateException("request.commands.producer-keys, entry " + index
                + (keyId == null ? "" : " (key id '" + keyId + "')") + ": " + problem);
    }
}
