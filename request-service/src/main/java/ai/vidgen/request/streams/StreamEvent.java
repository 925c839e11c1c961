package ai.vidgen.request.streams;

import ai.vidgen.request.api.Views;

/** What an open stream sends: the generation after a change, or a keep-alive comment. */
public sealed interface StreamEvent {

    /** The generation as {@code GET /v1/generations/{id}} renders it, after a change the client has not seen. */
    record Changed(Views.Generation generation) implements StreamEvent {
    }

    /** Nothing happened; a comment line that keeps idle-closing proxies from closing the stream. */
    record KeepAlive() implements StreamEvent {
    }

    KeepAlive KEEP_ALIVE = new KeepAlive();
}
