package ai.vidgen.falemulator.media;

/** A rendered clip in the media directory, served at {@code /media/{fileName}}. */
public record MediaFile(String fileName, long sizeBytes) {
}
