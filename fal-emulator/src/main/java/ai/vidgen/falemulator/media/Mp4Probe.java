package ai.vidgen.falemulator.media;

import ai.vidgen.falemulator.domain.InputVideo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the length of an MP4 or QuickTime file from its boxes, without decoding anything: the
 * {@code moov} box holds, per track, the handler type ({@code hdlr}) and the media duration with its
 * timescale ({@code mdhd}); the movie header ({@code mvhd}) holds the whole file's. The video
 * track's length is used, since an AAC track is often a few milliseconds longer than the picture.
 * Blocking file IO: call it off the event loop.
 */
public final class Mp4Probe {

    /** A moov box larger than this is not from a clip Kling takes (its inputs are at most a few hundred MB). */
    private static final long MAX_MOOV_BYTES = 64L * 1024 * 1024;

    private Mp4Probe() {
    }

    /** The video's facts, or empty when the file is not an MP4/QuickTime file with a video track. */
    public static Optional<InputVideo> probe(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            long size = channel.size();
            while (position + 8 <= size) {
                ByteBuffer header = read(channel, position, 16);
                long boxSize = Integer.toUnsignedLong(header.getInt(0));
                String type = fourCc(header, 4);
                int headerSize = 8;
                if (boxSize == 1) {
                    if (header.limit() < 16) {
                        return Optional.empty();
                    }
                    boxSize = header.getLong(8);
                    headerSize = 16;
                } else if (boxSize == 0) {
                    boxSize = size - position;
                }
                if (boxSize < headerSize || position + boxSize > size) {
                    return Optional.empty();
                }
                if (type.equals("moov")) {
                    if (boxSize - headerSize > MAX_MOOV_BYTES) {
                        return Optional.empty();
                    }
                    return movie(read(channel, position + headerSize, (int) (boxSize - headerSize)));
                }
                position += boxSize;
            }
            return Optional.empty();
        }
    }

    private static Optional<InputVideo> movie(ByteBuffer moov) {
        Double movieSeconds = null;
        Double videoSeconds = null;
        boolean audio = false;
        for (Box box : Box.children(moov)) {
            if (box.type.equals("mvhd")) {
                movieSeconds = headerSeconds(box.body);
            } else if (box.type.equals("trak")) {
                String handler = null;
                Double seconds = null;
                for (Box mdia : Box.children(box.body)) {
                    if (!mdia.type.equals("mdia")) {
                        continue;
                    }
                    for (Box part : Box.children(mdia.body)) {
                        if (part.type.equals("mdhd")) {
                            seconds = headerSeconds(part.body);
                        } else if (part.type.equals("hdlr") && part.body.remaining() >= 12) {
                            handler = fourCc(part.body, part.body.position() + 8);
                        }
                    }
                }
                if ("vide".equals(handler) && seconds != null && videoSeconds == null) {
                    videoSeconds = seconds;
                } else if ("soun".equals(handler)) {
                    audio = true;
                }
            }
        }
        if (videoSeconds == null) {
            return Optional.empty(); // no picture: not a video fal's runner could use
        }
        return Optional.of(new InputVideo(videoSeconds > 0 ? videoSeconds : movieSeconds == null ? 0 : movieSeconds, audio));
    }

    /** mvhd and mdhd share their start: version, flags, two dates, the timescale and the duration. */
    private static Double headerSeconds(ByteBuffer body) {
        int start = body.position();
        if (body.remaining() < 20) {
            return null;
        }
        int version = body.get(start) & 0xff;
        long timescale;
        long duration;
        if (version == 1) {
            if (body.remaining() < 32) {
                return null;
            }
            timescale = Integer.toUnsignedLong(body.getInt(start + 20));
            duration = body.getLong(start + 24);
        } else {
            timescale = Integer.toUnsignedLong(body.getInt(start + 12));
            duration = Integer.toUnsignedLong(body.getInt(start + 16));
        }
        return timescale == 0 || duration < 0 ? null : (double) duration / timescale;
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, channel.size() - position));
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // keep reading until the buffer is full or the file ends
        }
        return buffer.flip();
    }

    private static String fourCc(ByteBuffer buffer, int at) {
        byte[] name = new byte[4];
        for (int i = 0; i < 4; i++) {
            name[i] = buffer.get(at + i);
        }
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    /** A child box: its type and a view of its body. */
    private record Box(String type, ByteBuffer body) {

        static List<Box> children(ByteBuffer parent) {
            List<Box> boxes = new ArrayList<>();
            int position = parent.position();
            int end = parent.limit();
            while (position + 8 <= end) {
                long size = Integer.toUnsignedLong(parent.getInt(position));
                int header = 8;
                if (size == 1 && position + 16 <= end) {
                    size = parent.getLong(position + 8);
                    header = 16;
                } else if (size == 0) {
                    size = end - position;
                }
                if (size < header || position + size > end) {
                    break;
                }
                ByteBuffer body = parent.duplicate();
                body.position(position + header).limit((int) (position + size));
                boxes.add(new Box(fourCc(parent, position + 4), body.slice()));
                position += (int) size;
            }
            return boxes;
        }
    }
}
