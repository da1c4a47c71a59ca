package dev.ticketing.gateway.routing;

/** The services behind the gateway. */
public enum Upstream { QUEUE, CONCERT, RESERVATION, PAYMENT }
