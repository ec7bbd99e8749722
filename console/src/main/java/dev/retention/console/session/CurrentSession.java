package dev.retention.console.session;

import jakarta.enterprise.context.RequestScoped;

import java.util.Locale;
import java.util.Optional;

/** What the session filter found for this request: the user (if signed in), the CSRF token and the locale. */
@RequestScoped
public class CurrentSession {

    private ConsoleUser user;
    private String csrfToken;
    private boolean newCsrfToken;
    private Locale locale = Locale.ENGLISH;

    public Optional<ConsoleUser> user() {
        return Optional.ofNullable(user);
    }

    /** The signed-in user; the filter has turned away every request to a page without one. */
    public ConsoleUser requireUser() {
        if (user == null) {
            throw new IllegalStateException("no signed-in user: the session filter should have redirected");
        }
        return user;
    }

    public String csrfToken() {
        return csrfToken;
    }

    public boolean isNewCsrfToken() {
        return newCsrfToken;
    }

    public Locale locale() {
        return locale;
    }

    void signIn(ConsoleUser user) {
        this.user = user;
    }

    void csrfToken(String token, boolean isNew) {
        this.csrfToken = token;
        this.newCsrfToken = isNew;
    }

    void locale(Locale locale) {
        this.locale = locale;
    }
}
