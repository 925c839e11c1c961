package ai.vidgen.request.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The length of an MP4/MOV file from its {@code moov/mvhd} box: the movie's duration over its
 * timescale. Used on files the service holds in full (inline {@code data:} videos); remote files
 * are read box by box with Range requests by {@code ReferenceVideoProbe}, which shares
 * {@link #mvhdSeconds}.
 */
public final class Mp4Duration {

    /** Sibling boxes looked at per level before giving up: a real file has a handful. */
    private static final int MAX_BOXES = 64;

    private Mp4Duration() {
    }

    /** The length in seconds, or empty when the bytes are not an MP4/MOV with a readable mvhd. */
    public static Optional<Double> of(byte[] file) {
        ByteBuffer all = ByteBuffer.wrap(file);
        return child(all, "moov").flatMap(moov -> child(moov, "mvhd")).flatMap(mvhd -> {
            byte[] content = new byte[mvhd.remaining()];
            mvhd.get(content);
            return mvhdSeconds(content);
        });
    }

    /** The content of the first box of {@code type} among the boxes of {@code level}. */
    private static Optional<ByteBuffer> child(ByteBuffer level, String type) {
        int at = level.position();
        int end = level.limit();
        for (int seen = 0; seen < MAX_BOXES && end - at >= 8; seen++) {
            long size = Integer.toUnsignedLong(level.getInt(at));
            String boxType = new String(new byte[] {level.get(at + 4), level.get(at + 5), level.get(at + 6),
                    level.get(at + 7)}, StandardCharsets.US_ASCII);
            int header = 8;
            if (size == 1) {
                if (end - at < 16) {
                    return Optional.empty();
                }
                size = level.getLong(at + 8);
                header = 16;
            } else if (size == 0) {
                size = end - at;
            }
            if (size < header || size > end - at) {
                return Optional.empty();
            }
            if (boxType.equals(type)) {
                return Optional.of(level.duplicate().position(at + header).limit((int) (at + size)).slice());
            }
            at += (int) size;
        }
        return Optional.empty();
    }

    /** The length from an mvhd box's content (after its box header), if it is complete. */
    public static Optional<Double> mvhdSeconds(byte[] mvhd) {
        if (mvhd.length < 4) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(mvhd);
        int version = b.get() & 0xff;
        b.position(4);
        long timescale;
        long duration;
        if (version == 1) {
            if (mvhd.length < 32) {
                return Optional.empty();
            }
            b.position(b.position() + 16);
            timescale = Integer.toUnsignedLong(b.getInt());
            duration = b.getLong();
        } else {
            if (mvhd.length < 20) {
                return Optional.empty();
            }
            b.position(b.position() + 8);
            timescale = Integer.toUnsignedLong(b.getInt());
            duration = Integer.toUnsignedLong(b.getInt());
        }
        return timescale == 0 || duration < 0 ? Optional.empty() : Optional.of((double) duration / timescale);
    }
}
