package ai.vidgen.request.client;

import ai.vidgen.request.domain.DataUri;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Uploads an inline input to storage-service and tells the two kinds of failure apart: storage
 * refusing the file (too large, not a medium) is the request's fault; anything else (unreachable,
 * timing out, failing, refusing our token) means the request cannot be accepted right now.
 */
@ApplicationScoped
public class StorageInputs {

    private static final Logger LOG = Logger.getLogger(StorageInputs.class);

    /** storage-service will not take this file: 413 too large, 415 not an image, video or audio. */
    public static final class InputRefusedException extends RuntimeException {
        private final int status;

        public InputRefusedException(int status) {
            super("storage-service refused the input with " + status, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** storage-service could not store it: unreachable, too slow, failing or misconfigured. */
    public static final class StorageUnavailableException extends RuntimeException {
        public StorageUnavailableException(Throwable cause) {
            super("storage-service could not store an input", cause);
        }
    }

    private final StorageClient storage;

    public StorageInputs(@RestClient StorageClient storage) {
        this.storage = storage;
    }

    /** The stored input's id. */
    public Uni<String> upload(String tenant, DataUri file) {
        return storage.upload(tenant, file.mediaType(), file.bytes())
                .map(StorageClient.StoredInput::id)
                .onFailure().transform(failure -> {
                    if (failure instanceof WebApplicationException http) {
                        int status = http.getResponse().getStatus();
                        if (status == 413 || status == 415) {
                            return new InputRefusedException(status);
                        }
                    }
                    // The cause names the address and status, never the token.
                    LOG.warnf("cannot upload an inline input of tenant %s to storage-service: %s", tenant,
                            failure.toString());
                    return new StorageUnavailableException(failure);
                });
    }
}
