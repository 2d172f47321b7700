package org.orbita.mta.bounces;

/**
 * What a returned message says: whose delivery it is about, {@code hard}, {@code soft} or
 * {@code complaint}, the reason from the common vocabulary, and the status code (RFC 3463).
 */
public record Report(String recipient, String kind, String reason, String status, String diagnostic) {}
