package dev.retention.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal SMTP server that accepts every mail: it counts them and, given a directory, keeps each as an {@code .eml}
 * file (the local run's mail catcher). The benchmark uses it count-only, so that it measures the sender and not a
 * full server's parsing and storage. It answers each command with one complete write and disables Nagle's
 * algorithm, as production relays do.
 *
 * <p>Run alone: {@code java -cp ... dev.retention.local.SmtpSink --port=2525 --dir=target/local/mail}.
 */
public final class SmtpSink implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "smtp-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong received = new AtomicLong();
    private final Path directory;
    private final MailListener listener;

    /** Hears of each mail as the sink accepts it (the benchmark's clock for "notification sent"). */
    @FunctionalInterface
    public interface MailListener {
        void accepted(List<String> recipients);
    }

    /** A count-only sink on a free port. */
    public SmtpSink() throws IOException {
        this(0, null);
    }

    public SmtpSink(int port, Path directory) throws IOException {
        this(port, directory, null);
    }

    public SmtpSink(int port, Path directory, MailListener listener) throws IOException {
        this.directory = directory;
        this.listener = listener;
        if (directory != null) {
            Files.createDirectories(directory);
        }
        server = new ServerSocket(port, 100, InetAddress.getLoopbackAddress());
        connections.submit(this::accept);
    }

    public static void main(String[] args) throws Exception {
        int port = 2525;
        Path directory = Path.of("mail");
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            if (pair[0].equals("--port")) {
                port = Integer.parseInt(pair[1]);
            } else if (pair[0].equals("--dir")) {
                directory = Path.of(pair[1]);
            } else {
                throw new IllegalArgumentException("unknown option " + arg + "; known: --port=N --dir=PATH");
            }
        }
        SmtpSink sink = new SmtpSink(port, directory);
        System.out.println("SMTP sink on 127.0.0.1:" + sink.port() + ", mail in " + directory.toAbsolutePath());
        Thread.currentThread().join();
    }

    public int port() {
        return server.getLocalPort();
    }

    public long received() {
        return received.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                connections.submit(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII)); OutputStream out = socket.getOutputStream()) {
            reply(out, "220 sink ESMTP");
            String line;
            List<String> recipients = new ArrayList<>();
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO" -> reply(out, "250-sink\r\n250-PIPELINING\r\n250 8BITMIME");
                    case "RCPT" -> {
                        recipients.add(line.replaceFirst("(?i)^RCPT TO:\\s*<?([^>]*)>?.*$", "$1"));
                        reply(out, "250 ok");
                    }
                    case "RSET" -> {
                        recipients.clear();
                        reply(out, "250 ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        StringBuilder message = directory == null ? null : new StringBuilder();
                        String body;
                        while ((body = in.readLine()) != null && !body.equals(".")) {
                            if (message != null) {
                                message.append(body.startsWith("..") ? body.substring(1) : body).append("\r\n");
                            }
                        }
                        long number = received.incrementAndGet();
                        if (message != null) {
                            Files.writeString(directory.resolve(String.format("%06d.eml", number)), message,
                                    StandardCharsets.UTF_8);
                        }
                        reply(out, "250 queued");
                        if (listener != null) {
                            listener.accepted(List.copyOf(recipients));
                        }
                        recipients.clear();
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 ok");
                }
            }
        } catch (IOException gone) {
            // the client closed the connection
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
