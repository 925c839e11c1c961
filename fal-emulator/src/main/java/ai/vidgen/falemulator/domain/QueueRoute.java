package ai.vidgen.falemulator.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed request path {@code <prefix>/requests/<id>[/<suffix>]}, where the prefix is the app
 * root (what fal hands out) or the full endpoint id (what fal's per-endpoint OpenAPI and newest
 * docs show). Whether the prefix belongs to the request's app is checked against the request.
 */
public record QueueRoute(String prefix, String requestId, Action action) {

    public enum Action {
        RESULT, STATUS, STATUS_STREAM, CANCEL
    }

    public static Optional<QueueRoute> parse(String path) {
        List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        // Endpoint ids never contain a "requests" segment, so the first one after the app root
        // is the marker.
        for (int i = AppId.rootLength(parts.get(0)); i < parts.size() - 1; i++) {
            if (parts.get(i).equals("requests")) {
                Optional<Action> action = action(parts.subList(i + 2, parts.size()));
                if (action.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new QueueRoute(
                        String.join("/", parts.subList(0, i)), parts.get(i + 1), action.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Action> action(List<String> suffix) {
        return switch (String.join("/", suffix)) {
            case "", "response" -> Optional.of(Action.RESULT);
            case "status" -> Optional.of(Action.STATUS);
            case "status/stream" -> Optional.of(Action.STATUS_STREAM);
            case "cancel" -> Optional.of(Action.CANCEL);
            default -> Optional.empty();
        };
    }
}
