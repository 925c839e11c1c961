package ai.vidgen.falemulator.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MediaDataBox;
import org.mp4parser.boxes.iso14496.part12.MovieBox;
import org.mp4parser.boxes.iso14496.part12.MovieHeaderBox;
import org.mp4parser.boxes.iso14496.part12.TrackBox;

/** What the tests check in a produced MP4, read from its boxes. */
public record Mp4Facts(double durationSeconds, int width, int height, boolean hasVideo, boolean hasAudio,
                       boolean moovBeforeMdat) {

    public static Mp4Facts read(Path file) throws IOException {
        try (IsoFile iso = new IsoFile(file.toFile())) {
            MovieBox movie = iso.getMovieBox();
            if (movie == null) {
                throw new IOException("no moov box: not an MP4");
            }
            MovieHeaderBox header = movie.getMovieHeaderBox();
            boolean video = false;
            boolean audio = false;
            int width = 0;
            int height = 0;
            for (TrackBox track : movie.getBoxes(TrackBox.class)) {
                String handler = track.getMediaBox().getHandlerBox().getHandlerType();
                if (handler.equals("vide")) {
                    video = true;
                    width = (int) track.getTrackHeaderBox().getWidth();
                    height = (int) track.getTrackHeaderBox().getHeight();
                } else if (handler.equals("soun")) {
                    audio = true;
                }
            }
            List<Box> top = iso.getBoxes();
            int moov = top.indexOf(movie);
            int mdat = -1;
            for (int i = 0; i < top.size(); i++) {
                if (top.get(i) instanceof MediaDataBox) {
                    mdat = i;
                    break;
                }
            }
            return new Mp4Facts((double) header.getDuration() / header.getTimescale(), width, height, video, audio,
                    mdat > moov);
        }
    }
}
