package ai.vidgen.request.urlpolicy;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.util.List;

/** Resolves a host name to every address it has. A seam so tests can stand in for public DNS. */
public interface HostResolver {

    /** All addresses of {@code host}; fails with {@link java.net.UnknownHostException} when it has none. */
    Uni<List<InetAddress>> resolve(String host);
}
