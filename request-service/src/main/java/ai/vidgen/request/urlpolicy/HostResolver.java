package ai.vidgen.request.urlpolicy;

/**
 * The resolver this service's URL checks and outgoing requests use: the platform's
 * {@link ai.vidgen.platform.net.HostResolver} as a bean type of its own, which tests replace to
 * stand in for public DNS.
 */
public interface HostResolver extends ai.vidgen.platform.net.HostResolver {
}
