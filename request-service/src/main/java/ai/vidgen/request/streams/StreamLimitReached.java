package ai.vidgen.request.streams;

/** No slot for another stream: the tenant's or the replica's cap of open streams is reached. */
public class StreamLimitReached extends RuntimeException {

    /** Which cap was reached. */
    public enum Scope {
        /** {@code request.sse.max-streams-per-tenant} */
        TENANT,
        /** {@code request.sse.max-streams} */
        REPLICA
    }

    private final Scope scope;
    private final int limit;

    public StreamLimitReached(Scope scope, int limit) {
        super(scope + " stream limit " + limit, null, false, false);
        this.scope = scope;
        this.limit = limit;
    }

    public Scope scope() {
        return scope;
    }

    public int limit() {
        return limit;
    }
}
