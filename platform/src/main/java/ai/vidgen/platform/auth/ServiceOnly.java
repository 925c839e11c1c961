package ai.vidgen.platform.auth;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The platform's own services only (internal routes such as billing's estimates and reservations):
 * {@code Authorization: Bearer <service token>} ({@code vidgen.auth.service-tokens}); an admin
 * token is accepted too. Missing or wrong: 401. With no service token configured every call is
 * refused: an internal route never opens by omission.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ServiceOnly {
}
