package ai.vidgen.storage.domain;

/**
 * What the MP4 itself says, measured rather than taken from fal's word.
 *
 * @param durationMillis movie duration from {@code mvhd} (duration / timescale)
 * @param videoCodec     the sample entry type of the video track, e.g. {@code avc1}, {@code hvc1}
 * @param hasAudio       whether a track with handler {@code soun} exists
 */
public record Mp4Info(long durationMillis, int width, int height, String videoCodec, boolean hasAudio) {
}
