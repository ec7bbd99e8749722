package dev.retention.notifications.channels;

import dev.retention.notifications.domain.Contact;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.SMTPException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * E-mail over SMTP (Quarkus Mailer): plain text and HTML, a Message-ID made from the delivery id, and for marketing
 * the one-click unsubscribe headers of RFC 8058. A 5xx reply is permanent, anything else (4xx, connection) is retried.
 */
@ApplicationScoped
public class EmailChannel implements NotificationChannel {

    private final ReactiveMailer mailer;

    public EmailChannel(ReactiveMailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public boolean canReach(Contact contact) {
        return contact.email() != null && !contact.email().isBlank();
    }

    @Override
    public String recipient(Contact contact) {
        return contact.email();
    }

    @Override
    public Uni<DeliveryResult> deliver(OutboundMessage message) {
        Mail mail = Mail.withText(message.recipient(), message.subject(), message.text()).setHtml(message.html())
                .addHeader("Message-ID", "<" + message.deliveryId() + "@notifications.retention>")
                .addHeader("X-Retention-Delivery-Id", message.deliveryId())
                .addHeader("X-Retention-Trigger", message.triggerType());
        if (message.unsubscribeUrl() != null) {
            mail.addHeader("List-Unsubscribe", "<" + message.unsubscribeUrl() + ">")
                    .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        return mailer.send(mail).replaceWith(DeliveryResult.delivered())
                .onFailure().recoverWithItem(EmailChannel::classify);
    }

    static DeliveryResult classify(Throwable failure) {
        if (failure instanceof SMTPException smtp) {
            String detail = "SMTP " + smtp.getReplyCode() + " " + smtp.getReplyMessage();
            return smtp.isPermanent() ? DeliveryResult.permanent("SMTP_" + smtp.getReplyCode(), detail)
                    : DeliveryResult.temporary("SMTP_" + smtp.getReplyCode(), detail);
        }
        return DeliveryResult.temporary("SMTP_UNREACHABLE", String.valueOf(failure.getMessage()));
    }
}
