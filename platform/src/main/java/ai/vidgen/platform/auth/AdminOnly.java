package ai.vidgen.platform.auth;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Operators only: {@code Authorization: Bearer <admin token>} ({@code vidgen.auth.admin-tokens}).
 * Missing or wrong: 401. With no admin token configured the route answers 404: it does not exist.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AdminOnly {
}
