package ai.vidgen.storage.api;

import ai.vidgen.platform.auth.SignedUrls;
import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;

/**
 * The only way to read an object here: a link signed by request-service for one tenant and one
 * object ({@link SignedUrls}). No header names the tenant; the signature does.
 *
 * <p>Every refusal — no signature, an expired or altered one, an unknown key, a signature for
 * another tenant or object, an object that does not exist — gets the same 403 body, so a link
 * tells nothing about objects it was not made for.
 */
@ApplicationScoped
public class SignedLinks {

    private static final Logger LOG = Logger.getLogger(SignedLinks.class);

    private final SignedUrls urls;

    public SignedLinks(SignedUrls urls) {
        this.urls = urls;
    }

    void warnWithoutKeys(@Observes StartupEvent started) {
        if (!urls.canSign()) {
            LOG.warnf("no URL-signing key is configured (%s): every video and input route answers 403",
                    SignedUrls.SETTING);
        }
    }

    /** The tenant the link was signed for; 403 unless it is a valid link to {@code object}. */
    public String tenant(String object, UriInfo uri) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        SignedUrls.Verdict verdict = urls.verify(object, query.getFirst(SignedUrls.TENANT),
                query.getFirst(SignedUrls.EXPIRES), query.getFirst(SignedUrls.KEY_ID),
                query.getFirst(SignedUrls.SIGNATURE));
        if (!verdict.valid()) {
            LOG.debugf("refused a link to %s: %s", object, verdict);
            throw forbidden();
        }
        return query.getFirst(SignedUrls.TENANT);
    }

    /** The one answer to every link that does not open the object. */
    public static ProblemException forbidden() {
        return new ProblemException(Problem.of(Problem.FORBIDDEN, "Forbidden", 403,
                "this link is missing its signature, has expired, or is not valid for this object; "
                        + "ask request-service for a new one"));
    }
}
