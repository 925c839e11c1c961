package ai.vidgen.events.catalog;

public enum GenerationMode {
    TEXT_TO_VIDEO, IMAGE_TO_VIDEO, REFERENCE_TO_VIDEO, MOTION_CONTROL, VIDEO_EDIT, VIDEO_REFERENCE, TEXT_TO_IMAGE
}
