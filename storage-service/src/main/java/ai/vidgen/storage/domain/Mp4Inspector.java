package ai.vidgen.storage.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.PropertyBoxParserImpl;
import org.mp4parser.boxes.iso14496.part12.ChunkOffsetBox;
import org.mp4parser.boxes.iso14496.part12.HandlerBox;
import org.mp4parser.boxes.iso14496.part12.MovieBox;
import org.mp4parser.boxes.iso14496.part12.MovieHeaderBox;
import org.mp4parser.boxes.iso14496.part12.SampleDescriptionBox;
import org.mp4parser.boxes.iso14496.part12.SampleSizeBox;
import org.mp4parser.boxes.iso14496.part12.SampleTableBox;
import org.mp4parser.boxes.iso14496.part12.SampleToChunkBox;
import org.mp4parser.boxes.iso14496.part12.TrackBox;
import org.mp4parser.boxes.iso14496.part12.TrackHeaderBox;
import org.mp4parser.boxes.sampleentry.SampleEntry;
import org.mp4parser.boxes.sampleentry.VisualSampleEntry;

/**
 * Verifies that a file is a complete MP4 and measures it. Blocking; call it off the event loop.
 *
 * <p>It walks the top-level boxes itself and hands only {@code moov} to isoparser: given the whole
 * file, isoparser copies {@code mdat} (the media, nearly all of the file) to a temporary file that
 * is deleted only when the JVM exits. Walking the boxes also catches truncation cheaply: a cut
 * file ends inside a box, and every sample the tables point at must lie within the file.
 */
public final class Mp4Inspector {

    /** A movie box is metadata (a few hundred KB for a long clip); more means a broken or hostile file. */
    static final long MAX_MOOV_BYTES = 64L * 1024 * 1024;

    public Mp4Info inspect(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            TopLevel top = walk(channel);
            MovieBox moov = parseMoov(channel, top.moovOffset, top.moovSize);
            return measure(moov, channel.size());
        } catch (ArchiveFailure e) {
            throw e;
        } catch (IOException e) {
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "cannot read the MP4: " + e.getMessage(), true, e);
        } catch (RuntimeException e) {
            // isoparser signals malformed boxes with assorted runtime exceptions.
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "malformed MP4: " + e, true, e);
        }
    }

    private record TopLevel(long moovOffset, long moovSize) {
    }

    private static TopLevel walk(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new ArchiveFailure(FailureReason.NOT_MP4, "file of " + size + " bytes is not an MP4");
        }
        ByteBuffer header = ByteBuffer.allocate(16);
        long position = 0;
        boolean ftyp = false;
        boolean mdat = false;
        long moovOffset = -1;
        long moovSize = 0;
        int index = 0;
        while (position < size) {
            if (size - position < 8) {
                throw new ArchiveFailure(FailureReason.TRUNCATED, "the file ends inside a box header at byte " + position);
            }
            header.clear().limit(8);
            readFully(channel, header, position);
            header.flip();
            long boxSize = header.getInt() & 0xFFFFFFFFL;
            byte[] typeBytes = new byte[4];
            header.get(typeBytes);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (!isFourCc(typeBytes)) {
                throw new ArchiveFailure(index == 0 ? FailureReason.NOT_MP4 : FailureReason.CORRUPT_MP4,
                        index == 0 ? "the file does not start with an MP4 box" : "garbage instead of a box at byte " + position);
            }
            if (index == 0 && !type.equals("ftyp")) {
                throw new ArchiveFailure(FailureReason.NOT_MP4, "the file does not start with an 'ftyp' box");
            }
            int headerSize = 8;
            if (boxSize == 1) {
                if (size - position < 16) {
                    throw new ArchiveFailure(FailureReason.TRUNCATED, "the file ends inside a box header at byte " + position);
                }
                header.clear().limit(8);
                readFully(channel, header, position + 8);
                header.flip();
                boxSize = header.getLong();
                headerSize = 16;
            } else if (boxSize == 0) {
                boxSize = size - position; // "extends to the end of the file"
            }
            if (boxSize < headerSize) {
                throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "box '" + type + "' at byte " + position
                        + " declares an impossible size " + boxSize);
            }
            if (position + boxSize > size) {
                throw new ArchiveFailure(FailureReason.TRUNCATED, "box '" + type + "' at byte " + position + " needs "
                        + boxSize + " bytes but the file ends at " + size);
            }
            switch (type) {
                case "ftyp" -> ftyp = true;
                case "mdat" -> mdat = true;
                case "moov" -> {
                    moovOffset = position;
                    moovSize = boxSize;
                }
                default -> {
                }
            }
            position += boxSize;
            index++;
        }
        if (!ftyp) {
            throw new ArchiveFailure(FailureReason.NOT_MP4, "no 'ftyp' box");
        }
        if (moovOffset < 0) {
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "no 'moov' box (the movie metadata is missing)");
        }
        if (!mdat) {
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "no 'mdat' box (the media data is missing)");
        }
        if (moovSize > MAX_MOOV_BYTES) {
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "'moov' box of " + moovSize + " bytes is implausibly large");
        }
        return new TopLevel(moovOffset, moovSize);
    }

    /**
     * isoparser's default constructor reads its box table through the system class loader, which in
     * a packaged Quarkus application sees only the launcher jar; load the table through isoparser's
     * own class loader instead and hand it over.
     */
    private static final Properties BOX_TYPES = loadBoxTypes();

    private static Properties loadBoxTypes() {
        try (InputStream in = IsoFile.class.getResourceAsStream("/isoparser2-default.properties")) {
            if (in == null) {
                throw new IllegalStateException("isoparser2-default.properties is missing from isoparser's jar");
            }
            Properties types = new Properties();
            types.load(in);
            return types;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MovieBox parseMoov(FileChannel channel, long offset, long size) throws IOException {
        try (IsoFile iso = new IsoFile(new SliceChannel(channel, offset, size), new PropertyBoxParserImpl(BOX_TYPES))) {
            MovieBox moov = iso.getMovieBox();
            if (moov == null) {
                throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "the 'moov' box cannot be parsed");
            }
            return moov;
        }
    }

    private static Mp4Info measure(MovieBox moov, long fileSize) {
        MovieHeaderBox mvhd = moov.getMovieHeaderBox();
        if (mvhd == null || mvhd.getTimescale() <= 0) {
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "no usable 'mvhd' (movie header)");
        }
        long durationMillis = Math.round(mvhd.getDuration() * 1000.0 / mvhd.getTimescale());
        if (durationMillis <= 0) {
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "the movie has no duration");
        }
        TrackBox video = null;
        boolean audio = false;
        for (TrackBox track : moov.getBoxes(TrackBox.class)) {
            String handler = handlerOf(track);
            if ("vide".equals(handler) && video == null) {
                video = track;
            } else if ("soun".equals(handler)) {
                audio = true;
            }
            checkSamplesInsideFile(track, fileSize);
        }
        if (video == null) {
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "no video track");
        }
        SampleEntry entry = sampleEntry(video);
        if (entry == null) {
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "the video track has no sample description");
        }
        TrackHeaderBox tkhd = video.getTrackHeaderBox();
        int width = tkhd == null ? 0 : (int) Math.round(tkhd.getWidth());
        int height = tkhd == null ? 0 : (int) Math.round(tkhd.getHeight());
        if ((width <= 0 || height <= 0) && entry instanceof VisualSampleEntry visual) {
            // Some muxers leave the track header's presentation size at 0; the coded size still tells.
            width = visual.getWidth();
            height = visual.getHeight();
        }
        if (width <= 0 || height <= 0) {
            throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "the video track has no dimensions");
        }
        return new Mp4Info(durationMillis, width, height, entry.getType(), audio);
    }

    private static String handlerOf(TrackBox track) {
        if (track.getMediaBox() == null) {
            return null;
        }
        HandlerBox hdlr = track.getMediaBox().getHandlerBox();
        return hdlr == null ? null : hdlr.getHandlerType();
    }

    private static SampleEntry sampleEntry(TrackBox track) {
        SampleTableBox stbl = track.getSampleTableBox();
        SampleDescriptionBox stsd = stbl == null ? null : stbl.getSampleDescriptionBox();
        return stsd == null ? null : stsd.getSampleEntry();
    }

    /**
     * Every chunk the sample tables point at must end inside the file. A download cut in the middle
     * of {@code mdat} of a non-faststart file can otherwise still look like a complete box sequence.
     */
    private static void checkSamplesInsideFile(TrackBox track, long fileSize) {
        SampleTableBox stbl = track.getSampleTableBox();
        if (stbl == null) {
            return;
        }
        ChunkOffsetBox offsets = null;
        for (Box box : stbl.getBoxes()) {
            if (box instanceof ChunkOffsetBox c) {
                offsets = c;
            }
        }
        SampleSizeBox stsz = stbl.getSampleSizeBox();
        SampleToChunkBox stsc = stbl.getSampleToChunkBox();
        if (offsets == null || stsz == null || stsc == null) {
            return;
        }
        long[] chunkOffsets = offsets.getChunkOffsets();
        long[] samplesPerChunk = stsc.blowup(chunkOffsets.length);
        long constantSize = stsz.getSampleSize();
        long[] sizes = constantSize == 0 ? stsz.getSampleSizes() : null;
        int sample = 0;
        for (int chunk = 0; chunk < chunkOffsets.length; chunk++) {
            long end = chunkOffsets[chunk];
            for (long s = 0; s < samplesPerChunk[chunk]; s++, sample++) {
                if (sizes != null && sample >= sizes.length) {
                    throw new ArchiveFailure(FailureReason.CORRUPT_MP4, "the sample tables disagree on the sample count");
                }
                end += sizes == null ? constantSize : sizes[sample];
            }
            if (end > fileSize) {
                throw new ArchiveFailure(FailureReason.TRUNCATED, "media samples extend to byte " + end
                        + " but the file ends at " + fileSize);
            }
        }
    }

    private static boolean isFourCc(byte[] type) {
        for (byte b : type) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long p = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, p);
            if (n < 0) {
                throw new ArchiveFailure(FailureReason.TRUNCATED, "unexpected end of file at byte " + p);
            }
            p += n;
        }
    }

    /** A read-only window onto part of a file, so isoparser sees the {@code moov} box and nothing else. */
    private static final class SliceChannel implements ReadableByteChannel {
        private final FileChannel file;
        private final long end;
        private long position;
        private boolean open = true;

        SliceChannel(FileChannel file, long offset, long length) {
            this.file = file;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (position >= end) {
                return -1;
            }
            int limit = dst.limit();
            long remaining = end - position;
            if (dst.remaining() > remaining) {
                dst.limit(dst.position() + (int) remaining);
            }
            try {
                int n = file.read(dst, position);
                if (n > 0) {
                    position += n;
                }
                return n;
            } finally {
                dst.limit(limit);
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            // The file channel belongs to the caller.
            open = false;
        }
    }
}
