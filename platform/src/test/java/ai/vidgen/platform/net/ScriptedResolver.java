package ai.vidgen.platform.net;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DNS for the tests: each name answers from a script, lookup by lookup (the last answer repeats),
 * and every lookup is counted. A name without a script fails to resolve.
 */
final class ScriptedResolver implements HostResolver {

    private final Map<String, List<String>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    /** {@code host} answers {@code first}, then {@code later} on every further lookup. */
    ScriptedResolver answer(String host, String first, String... later) {
        List<String> script = new java.util.ArrayList<>();
        script.add(first);
        script.addAll(List.of(later));
        answers.put(host, script);
        return this;
    }

    int lookups(String host) {
        AtomicInteger count = lookups.get(host);
        return count == null ? 0 : count.get();
    }

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
        return Uni.createFrom().item(() -> {
            List<String> script = answers.get(host);
            int n = lookups.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
            if (script == null) {
                throw new IllegalStateException(new UnknownHostException(host));
            }
            try {
                return List.of(InetAddress.getByName(script.get(Math.min(n, script.size() - 1))));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
