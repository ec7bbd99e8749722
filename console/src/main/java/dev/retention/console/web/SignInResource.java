package dev.retention.console.web;

import dev.retention.console.ConsoleConfig;
import dev.retention.console.session.ConsoleUser;
import dev.retention.console.session.CurrentSession;
import dev.retention.console.session.LocalIssuer;
import dev.retention.console.session.SessionFilter;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.retention.console.view.Option;
import dev.retention.console.view.Texts;

/**
 * Signing in and out. Locally the console is the local issuer's sign-in page (pick a role, get a token signed with
 * the local run's key); on Kubernetes the OIDC proxy signs users in and this page only says so.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    static final Set<String> ROLES = Set.of("admin", "marketer", "support", "analyst");

    @Inject
    Template signIn;
    @Inject
    Pages pages;
    @Inject
    CurrentSession session;
    @Inject
    SessionFilter cookies;
    @Inject
    ConsoleConfig config;
    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    @GET
    public Response home() {
        return session.user().map(user -> {
            String first = user.seesCustomers() ? "/customers" : user.editsProgramme() ? "/programme"
                    : user.readsInsights() ? "/insights" : user.seesCampaigns() ? "/campaigns" : "/sign-in";
            return Response.seeOther(URI.create(first)).build();
        }).orElseGet(() -> Response.seeOther(URI.create("/sign-in")).build());
    }

    @GET
    @Path("sign-in")
    public TemplateInstance signInPage() {
        return pages.render(signIn).data("local", localIssuer().isPresent()).data("roles", Stream.of("support", "marketer",
                "analyst", "admin").map(role -> new Option(role, Texts.of(session.locale()).get("role_" + role))).toList()).data("problem", null);
    }

    @POST
    @Path("sign-in")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("role") String role, @FormParam("name") String name) {
        Optional<LocalIssuer> local = localIssuer();
        if (local.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        if (role == null || !ROLES.contains(role)) {
            return Response.status(422).entity(signInPage().data("problem", "role")).build();
        }
        String subject = name == null || name.isBlank() ? "local-" + role : name.strip();
        if (subject.length() > 100 || !subject.matches("[\\p{L}\\p{N} ._@-]+")) {
            return Response.status(422).entity(signInPage().data("problem", "name")).build();
        }
        String token = local.get().tokenFor(subject, List.of(role), Instant.now());
        return Response.ok().header("HX-Redirect", "/")
                .header(HttpHeaders.SET_COOKIE, cookies.cookie(SessionFilter.SESSION_COOKIE, token,
                        (int) local.get().validFor().toSeconds()))
                .build();
    }

    @POST
    @Path("sign-out")
    public Response signOut() {
        // Behind the OIDC proxy the session is the proxy's: its sign-out ends it (and the token it passes on).
        String next = session.user().filter(ConsoleUser::viaProxy).isPresent() ? "/oauth2/sign_out" : "/sign-in";
        return Response.ok().header("HX-Redirect", next)
                .header(HttpHeaders.SET_COOKIE, cookies.cookie(SessionFilter.SESSION_COOKIE, "", 0)).build();
    }

    private volatile Optional<LocalIssuer> localIssuer;

    /** The local issuer, its key read once (every sign-in page asked the disk before). */
    private Optional<LocalIssuer> localIssuer() {
        if (localIssuer == null) {
            localIssuer = config.localIssuer().keys().filter(k -> !k.isBlank()).map(keys -> LocalIssuer
                    .fromKeyDirectory(java.nio.file.Path.of(keys), issuer, config.localIssuer().session()));
        }
        return localIssuer;
    }
}
