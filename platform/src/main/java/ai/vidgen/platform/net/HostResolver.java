package ai.vidgen.platform.net;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.util.List;

/**
 * Resolves a host name to every address it has. A seam: tests stand in for public DNS, and for a
 * name that answers differently from one lookup to the next.
 */
public interface HostResolver {

    /** All addresses of {@code host}; fails with {@link java.net.UnknownHostException} when it has none. */
    Uni<List<InetAddress>> resolve(String host);
}
