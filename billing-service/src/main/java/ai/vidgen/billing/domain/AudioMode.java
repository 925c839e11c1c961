package ai.vidgen.billing.domain;

import ai.vidgen.events.GenerationSpec;

/** The audio dimension of a Kling price: voice control is priced above plain audio. */
public enum AudioMode {
    OFF, ON, VOICE_CONTROL;

    public static AudioMode of(GenerationSpec spec) {
        if (spec.voiceControl()) {
            return VOICE_CONTROL;
        }
        return spec.audio() ? ON : OFF;
    }
}
