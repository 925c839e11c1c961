package ai.vidgen.storage.archive;

import ai.vidgen.storage.domain.Mp4Info;

/** A video stored under its key and verified, as it goes into the row and the VideoArchived event. */
public record ArchivedVideo(String objectKey, String location, long bytes, String sha256, String contentType,
        Mp4Info mp4, String posterKey) {
}
