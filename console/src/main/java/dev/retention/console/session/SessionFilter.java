package dev.retention.console.session;

import dev.retention.console.ConsoleConfig;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every page request: who is signed in (the OIDC proxy's header, a bearer token, or the local sign-in's cookie;
 * always verified with the identity provider's key), the CSRF check of every state change, and the user's locale.
 * Pages without a user go to the sign-in; a state change without the page's CSRF token is refused.
 */
public class SessionFilter {

    public static final String SESSION_COOKIE = "console_session";
    public static final String CSRF_COOKIE = "console_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> OPEN_PATHS = Set.of("/sign-in");
    private static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.GERMAN);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(SessionFilter.class);

    @Inject
    CurrentSession session;
    @Inject
    JWTParser parser;
    @Inject
    ConsoleConfig config;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> identify(ContainerRequestContext request) {
        session.locale(localeOf(request.getHeaders().getFirst(HttpHeaders.ACCEPT_LANGUAGE)));
        Cookie csrf = request.getCookies().get(CSRF_COOKIE);
        if (csrf != null && csrf.getValue().length() >= 32) {
            session.csrfToken(csrf.getValue(), false);
        } else {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            session.csrfToken(Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
        }
        String proxied = request.getHeaderString(config.tokenHeader());
        boolean viaProxy = proxied != null && !proxied.isBlank();
        tokenOf(request).flatMap(token -> verified(token, viaProxy)).ifPresent(session::signIn);

        String path = request.getUriInfo().getPath();
        boolean changesState = !List.of("GET", "HEAD", "OPTIONS").contains(request.getMethod());
        if (changesState && !csrfHolds(request)) {
            // Only the page's section: the rest of a path can hold a customer id, which the log never names.
            LOG.infof("refused a %s to %s without the page's CSRF token", request.getMethod(), section(path));
            return Optional.of(Response.status(Response.Status.FORBIDDEN).type("text/plain; charset=UTF-8")
                    .entity(dev.retention.console.view.Texts.of(session.locale()).get("csrf_refused"))
                    .build());
        }
        if (session.user().isEmpty() && !OPEN_PATHS.contains(path)) {
            URI signIn = URI.create("/sign-in");
            if (request.getHeaders().containsKey("HX-Request")) {
                return Optional.of(Response.ok().header("HX-Redirect", signIn.toString()).build());
            }
            return Optional.of(Response.seeOther(signIn).build());
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    public void secure(ContainerResponseContext response) {
        if (session.isNewCsrfToken()) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE, cookie(CSRF_COOKIE, session.csrfToken(), -1));
        }
        // Pages carry customers' data: never cached, never sent on as a referrer.
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** A session cookie as the console sets it: HttpOnly, SameSite=Strict, Secure where served over HTTPS. */
    public NewCookie cookie(String name, String value, int maxAgeSeconds) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure(config.secureCookies()).maxAge(maxAgeSeconds).build();
    }

    private Optional<String> tokenOf(ContainerRequestContext request) {
        String proxied = request.getHeaderString(config.tokenHeader());
        if (proxied != null && !proxied.isBlank()) {
            return Optional.of(proxied.trim());
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        return Optional.ofNullable(request.getCookies().get(SESSION_COOKIE)).map(Cookie::getValue);
    }

    private Optional<ConsoleUser> verified(String token, boolean viaProxy) {
        try {
            JsonWebToken jwt = parser.parse(token);
            Set<String> roles = new HashSet<>(jwt.getGroups() == null ? Set.of() : jwt.getGroups());
            return Optional.of(new ConsoleUser(jwt.getSubject(), Set.copyOf(roles), token, viaProxy));
        } catch (ParseException e) {
            // Expired, foreign or forged: treated as signed out (the reason is the parser's, without the token).
            LOG.debugf("a session token was not accepted: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Double submit: the page carries the value of the HttpOnly CSRF cookie and htmx sends it back in a header; a
     * foreign site can neither read the cookie nor set the header. Browsers that say where a request came from must
     * also say it came from this origin.
     */
    private boolean csrfHolds(ContainerRequestContext request) {
        String site = request.getHeaderString("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        Cookie cookie = request.getCookies().get(CSRF_COOKIE);
        String header = request.getHeaderString(CSRF_HEADER);
        return cookie != null && header != null && MessageDigest.isEqual(
                cookie.getValue().getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    /** The first segment of a path, as the log may name it: {@code /customers/c-1/erasure} is {@code /customers/…}. */
    static String section(String path) {
        int end = path.indexOf('/', 1);
        return end < 0 ? path : path.substring(0, end) + "/…";
    }

    /** The first of the browser's languages the console speaks (German or English), keeping its region for formats. */
    static Locale localeOf(String acceptLanguage) {
        if (acceptLanguage != null && !acceptLanguage.isBlank()) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    if (range.getWeight() <= 0) {
                        continue; // q=0: the browser says it does not want this language
                    }
                    Locale candidate = Locale.forLanguageTag(range.getRange());
                    if (LANGUAGES.stream().anyMatch(l -> l.getLanguage().equals(candidate.getLanguage()))) {
                        return candidate;
                    }
                }
            } catch (IllegalArgumentException malformed) {
                return Locale.ENGLISH;
            }
        }
        return Locale.ENGLISH;
    }
}
