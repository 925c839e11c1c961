package ai.vidgen.falemulator.domain;

/**
 * The facts of a downloaded input video that shape the output: its length (of the video track)
 * and whether it carries sound.
 */
public record InputVideo(double seconds, boolean hasAudio) {

    /** The whole seconds the emulator renders and bills for an output as long as this input (at least 1). */
    public int wholeSeconds() {
        return (int) Math.max(1, Math.round(seconds));
    }
}
