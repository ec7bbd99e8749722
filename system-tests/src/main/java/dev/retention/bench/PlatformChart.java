package dev.retention.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The platform benchmark's figures as a PNG of three panels of horizontal bars: events/s (raw broker and each
 * service, with the ratio to raw produce), peak RSS per service against its bar, delay-to-mail latency against its
 * bar. Drawn with the JDK alone, headless.
 */
final class PlatformChart {

    private static final int PANEL_WIDTH = 460;
    private static final int HEIGHT = 360;
    private static final Color BAR = new Color(0x3b6ea5);
    private static final Color RAW = new Color(0x9aa5b1);
    private static final Color LIMIT = new Color(0xc0392b);

    private PlatformChart() {
    }

    private record Bar(String label, double value, String text, Color color) {
    }

    static void write(Path file, double rawProduce, double rawConsume, List<PlatformBenchmark.ServiceRun> runs,
                      PlatformBenchmark.Latencies latencies) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(PANEL_WIDTH * 3, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());

        List<Bar> rates = new ArrayList<>();
        rates.add(new Bar("raw produce", rawProduce, format("%,.0f/s", rawProduce), RAW));
        rates.add(new Bar("raw consume", rawConsume, format("%,.0f/s", rawConsume), RAW));
        for (PlatformBenchmark.ServiceRun run : runs) {
            rates.add(new Bar(shortName(run.service()), run.rate(),
                    format("%,.0f/s (%.2f)", run.rate(), run.rate() / rawProduce), BAR));
        }
        panel(g, 0, "Events/s end to end (ratio to raw produce)", rates, Double.NaN, "");

        List<Bar> rss = runs.stream().map(r -> new Bar(shortName(r.service()), r.peakRssMiB(),
                format("%.0f MiB", r.peakRssMiB()), BAR)).toList();
        panel(g, PANEL_WIDTH, "Peak RSS per service", rss, PlatformBenchmark.RSS_TARGET_MIB,
                format("%.0f MiB", PlatformBenchmark.RSS_TARGET_MIB));

        List<Bar> latency = List.of(
                new Bar("p50", latencies.percentile(0.50), format("%.0f ms", latencies.percentile(0.50)), BAR),
                new Bar("p99", latencies.percentile(0.99), format("%.0f ms", latencies.percentile(0.99)), BAR));
        panel(g, 2 * PANEL_WIDTH, format("Delay to mail at %,.0f events/s", latencies.backgroundRate()), latency,
                PlatformBenchmark.P99_TARGET_MILLIS, format("p99 < %.0f ms", PlatformBenchmark.P99_TARGET_MILLIS));
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, int left, String title, List<Bar> bars, double limit, String limitLabel) {
        int labelWidth = 110;
        int plotLeft = left + labelWidth;
        int plotWidth = PANEL_WIDTH - labelWidth - 30;
        int top = 50;
        int rowHeight = Math.min(44, (HEIGHT - top - 30) / Math.max(1, bars.size()));
        double max = bars.stream().mapToDouble(Bar::value).filter(Double::isFinite).max().orElse(1);
        if (Double.isFinite(limit)) {
            max = Math.max(max, limit * 1.1);
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left + 10, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = top + i * rowHeight;
            int width = Double.isFinite(bar.value()) ? (int) Math.round(bar.value() / max * plotWidth) : 0;
            g.setColor(bar.color());
            g.fillRect(plotLeft, y, Math.max(1, width), rowHeight - 12);
            g.setColor(Color.BLACK);
            g.drawString(bar.label(), left + 10, y + rowHeight / 2);
            int textX = plotLeft + width + 4;
            int textWidth = g.getFontMetrics().stringWidth(bar.text());
            if (textX + textWidth > left + PANEL_WIDTH - 4) {
                textX = plotLeft + 4; // no room right of a long bar: write on it
                g.setColor(Color.WHITE);
            }
            g.drawString(bar.text(), textX, y + rowHeight / 2);
        }
        if (Double.isFinite(limit)) {
            int x = plotLeft + (int) Math.round(limit / max * plotWidth);
            g.setColor(LIMIT);
            g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(x, top - 8, x, top + bars.size() * rowHeight);
            g.drawString(limitLabel, x + 3, top - 10);
        }
        g.setColor(new Color(0xdddddd));
        g.setStroke(new BasicStroke(1));
        g.drawLine(left + PANEL_WIDTH - 1, 0, left + PANEL_WIDTH - 1, HEIGHT);
    }

    private static String shortName(String service) {
        return service.replace("-service", "");
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
