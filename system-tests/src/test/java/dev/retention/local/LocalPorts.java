package dev.retention.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Ports for a local platform started by a test: a range of free ones, below the ephemeral range. */
public final class LocalPorts {

    private LocalPorts() {
    }

    /**
     * The first of {@code count} consecutive free ports, below the kernel's ephemeral range: the platform starts
     * again on the same ports, and a port in that range may meanwhile be the local end of any outgoing connection
     * (a restart failed so: "Port 38462 seems to be in use").
     */
    public static int freeRange(int count) throws IOException {
        int ephemeralLow = ephemeralRangeStart();
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = 10_000 + random.nextInt(ephemeralLow - 10_000 - count);
            boolean all = true;
            for (int port = first; port < first + count && all; port++) {
                all = free(port);
            }
            if (all) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports below " + ephemeralLow);
    }

    /** Linux's {@code ip_local_port_range}; elsewhere IANA's dynamic range, from 49152. */
    private static int ephemeralRangeStart() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (!Files.isReadable(range)) {
            return 49_152;
        }
        return Math.max(20_000, Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]));
    }

    public static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
