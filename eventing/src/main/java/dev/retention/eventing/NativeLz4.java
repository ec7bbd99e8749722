package dev.retention.eventing;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.util.Native;
import org.jboss.logging.Logger;

/**
 * Loads lz4-java's native codec at startup. Kafka compresses and decompresses lz4 batches through
 * {@code LZ4Factory.fastestInstance()}, which picks the pure-Java codec when lz4-java was loaded by a class loader
 * other than the JVM's system one (Quarkus's is another) unless the native library is already loaded. The Java
 * codec cost the relay of points-service two thirds of its CPU. Where the library cannot load (an unusual
 * platform, a {@code java.io.tmpdir} without exec rights) Kafka keeps the Java codec: slower, never wrong.
 */
@ApplicationScoped
public class NativeLz4 {

    private static final Logger LOG = Logger.getLogger(NativeLz4.class);

    /** Before the relay and the consumers start (default priority), so their first batches use it too. */
    void onStart(@Observes @Priority(1) StartupEvent event) {
        try {
            LZ4Factory.nativeInstance();
        } catch (Throwable unavailable) { // UnsatisfiedLinkError and friends: any failure leaves the Java codec
            LOG.infof("lz4 native codec unavailable, Kafka compresses in Java: %s", unavailable.toString());
        }
    }

    /** Whether Kafka's lz4 runs native. */
    public static boolean isNative() {
        return Native.isLoaded();
    }
}
