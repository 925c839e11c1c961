package ai.vidgen.events.catalog;

/** Kling model families served on fal. */
public enum ModelFamily {
    V3, O3, V2_6, V2_5_TURBO
}
