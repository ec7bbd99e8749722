package dev.retention.notifications;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real SMTP server (GreenMail) and a real HTTP server for webhooks, started for the test application, plus a
 * directory of template overrides. Tests reach them through the static fields.
 */
public class MailAndWebhookServers implements QuarkusTestResourceLifecycleManager {

    public static final String WEBHOOK_SECRET = "whsec-test-0123456789";

    public record Received(Map<String, List<String>> headers, byte[] body) {
    }

    static GreenMail smtp;
    static HttpServer webhook;
    static final List<Received> webhookRequests = new CopyOnWriteArrayList<>();
    /** Statuses the webhook answers with, in turn; 200 when empty. */
    static final ConcurrentLinkedQueue<Integer> webhookStatuses = new ConcurrentLinkedQueue<>();
    static Path templates;

    @Override
    public Map<String, String> start() {
        try {
            int smtpPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                smtpPort = socket.getLocalPort();
            }
            smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            webhook.createContext("/hooks", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                webhookRequests.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
                Integer status = webhookStatuses.poll();
                exchange.sendResponseHeaders(status == null ? 200 : status, -1);
                exchange.close();
            });
            webhook.start();
            templates = Files.createTempDirectory("templates");
            return Map.of(
                    "quarkus.mailer.host", "127.0.0.1",
                    "quarkus.mailer.port", Integer.toString(smtpPort),
                    "quarkus.mailer.start-tls", "DISABLED",
                    "retention.notifications.webhook.url",
                    "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hooks",
                    "retention.notifications.webhook.secrets", WEBHOOK_SECRET + ",whsec-previous-987654321",
                    "retention.notifications.channels.points-expiring", "email,webhook",
                    "retention.notifications.channels.tier-up", "webhook",
                    "retention.notifications.templates-dir", templates.toString(),
                    "retention.notifications.retry.initial-backoff", "1m");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (smtp != null) {
            smtp.stop();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }
}
