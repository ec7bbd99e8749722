package dev.retention.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The console's settings (docs/configuration.md, "console"). */
@ConfigMapping(prefix = "console")
public interface ConsoleConfig {

    Services services();

    /** The request header an OIDC proxy in front of the console puts the user's access token in. */
    String tokenHeader();

    /** Whether the session and CSRF cookies are marked {@code Secure} (sent over HTTPS only). */
    @WithDefault("false")
    boolean secureCookies();

    LocalIssuer localIssuer();

    interface Services {
        URI points();

        URI tiers();

        URI campaigns();

        URI notifications();

        URI programme();

        URI insights();

        Duration timeout();
    }

    /** The local run's sign-in: the console signs a token for a chosen role with the local issuer's key. */
    interface LocalIssuer {
        /** The directory of the local issuer's key pair; empty everywhere but the local run. */
        Optional<String> keys();

        Duration session();
    }
}
