package dev.ticketing.testsupport;

import org.testcontainers.DockerClientFactory;

/** Whether a Docker engine answers, for tests that run on Testcontainers only where one does. */
public final class Docker {

    private Docker() {
    }

    public static boolean isAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
