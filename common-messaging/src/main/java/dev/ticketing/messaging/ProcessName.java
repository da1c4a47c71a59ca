package dev.ticketing.messaging;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How an instance names itself where instances share a row (the relay lease, the queue's ShedLock): host and
 * process id, which tell apart several instances on one host as well as pods (whose host name is the pod's).
 */
public final class ProcessName {

    private ProcessName() {
    }

    /** {@code <host>/<pid>}. */
    public static String hostAndPid() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
