package ai.vidgen.storage.domain;

import java.util.Optional;

/**
 * One satisfiable byte range of a representation of {@code size} bytes, inclusive at both ends as
 * in HTTP ({@code bytes=0-99} is the first 100 bytes).
 */
public record ByteRange(long first, long last, long size) {

    public long length() {
        return last - first + 1;
    }

    public String contentRange() {
        return "bytes " + first + "-" + last + "/" + size;
    }

    public static String unsatisfiedContentRange(long size) {
        return "bytes */" + size;
    }

    /** What a Range header asks for, judged against the size of the video. */
    public sealed interface Request permits Full, Partial, Unsatisfiable {
    }

    /** No usable Range header: send everything with 200. */
    public record Full() implements Request {
    }

    public record Partial(ByteRange range) implements Request {
    }

    /** Syntactically fine, but no byte of it exists: 416. */
    public record Unsatisfiable() implements Request {
    }

    /**
     * Interprets a Range header (RFC 9110 §14.2). A header we do not understand, another unit or
     * several ranges are ignored and the whole video is sent, which the RFC allows; this keeps the
     * server simple and never sends a multipart body a video player does not expect.
     */
    public static Request parse(String header, long size) {
        if (header == null) {
            return new Full();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Full();
        }
        String spec = h.substring(6).trim();
        if (spec.isEmpty() || spec.contains(",")) {
            return new Full();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Full();
        }
        Optional<Long> start = number(spec.substring(0, dash).trim());
        Optional<Long> end = number(spec.substring(dash + 1).trim());
        boolean hasStart = dash > 0;
        boolean hasEnd = dash < spec.length() - 1;
        if (hasStart && start.isEmpty() || hasEnd && end.isEmpty() || !hasStart && !hasEnd) {
            return new Full();
        }
        if (!hasStart) {
            // Suffix range: the last N bytes.
            long suffix = end.get();
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable();
            }
            long first = Math.max(0, size - suffix);
            return new Partial(new ByteRange(first, size - 1, size));
        }
        long first = start.get();
        if (hasEnd && end.get() < first) {
            return new Full();
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        long last = hasEnd ? Math.min(end.get(), size - 1) : size - 1;
        return new Partial(new ByteRange(first, last, size));
    }

    private static Optional<Long> number(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(s));
    }
}
