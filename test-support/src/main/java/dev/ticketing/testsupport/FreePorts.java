package dev.ticketing.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that a test starts later, possibly in another process.
 *
 * <p>A port taken from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, the same range
 * the kernel draws from for the source port of every outgoing connection. Between choosing such a
 * port and the server binding it, a Kafka client or a connection pool of an already running service
 * can be given it as its local port, and the server then fails with "port already in use" (seen on
 * CI: a management port taken while the services before it were connecting). These ports are picked
 * at random below the ephemeral range, where the kernel never assigns one on its own, checked free,
 * and never handed out twice by one JVM.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port that nothing listens on now and that the kernel will not give to an outgoing connection. */
    public static int next() {
        int below = ephemeralLowerBound();
        if (below - LOWEST < 1_000) {
            return anyFree();
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (isFree(candidate) && HANDED_OUT.add(candidate)) {
                return candidate;
            }
        }
        return anyFree();
    }

    static int ephemeralLowerBound() {
        try {
            // Not Files.readString: /proc files report size 0, and on JDK 17 it returned only the first byte.
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the file is unreadable: the IANA dynamic range starts here.
            return 49_152;
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
