package dev.retention.console.web;

import dev.retention.console.session.CurrentSession;
import dev.retention.console.view.Texts;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * What every page gets besides its own data: the user (for the navigation and the actions their roles allow), the
 * CSRF token htmx sends back, the texts in the user's language and the locale for numbers, money and dates.
 */
@RequestScoped
public class Pages {

    @Inject
    CurrentSession session;

    public TemplateInstance render(Template template) {
        return template.data("user", session.user().orElse(null))
                .data("page", "")
                .data("csrf", session.csrfToken())
                .data("t", Texts.of(session.locale()))
                .data("lang", session.locale().getLanguage())
                .setLocale(session.locale());
    }
}
