/**
 * Fetching URLs that came from outside without being steered into our own network (SSRF).
 *
 * <ul>
 *   <li>{@link ai.vidgen.platform.net.AddressPolicy} over {@link ai.vidgen.platform.net.SpecialPurposeAddresses}:
 *       the one rule for "is this address public", built from the IANA special-purpose registries.</li>
 *   <li>{@link ai.vidgen.platform.net.DestinationGuard}: resolves a host once (through an injectable
 *       {@link ai.vidgen.platform.net.HostResolver}) and checks every address; exempt dev hosts skip the
 *       check.</li>
 *   <li>{@link ai.vidgen.platform.net.GuardedHttpClient}: Vert.x HTTP that connects to the checked address
 *       while Host, SNI and the certificate check keep the name, follows redirects by hand with the same
 *       checks, and closes the connection of any exchange its caller abandons.</li>
 * </ul>
 */
package ai.vidgen.platform.net;
