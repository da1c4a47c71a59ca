package dev.ticketing.testsupport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

    @Test
    void handsOutDistinctBindablePortsThatTheKernelNeverGivesToAnOutgoingConnection() throws IOException {
        int ephemeralFrom = FreePorts.ephemeralLowerBound();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.next();
            assertThat(port).isBetween(10_000, ephemeralFrom - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(port));
                assertThat(server.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void skipsAPortThatIsAlreadyListening() throws IOException {
        Set<Integer> listening = new HashSet<>();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(FreePorts.next()));
            listening.add(taken.getLocalPort());
            for (int i = 0; i < 200; i++) {
                assertThat(FreePorts.next()).isNotIn(listening);
            }
        }
    }
}
