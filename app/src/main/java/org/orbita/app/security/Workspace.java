package org.orbita.app.security;

import java.time.Instant;

/** A tenant: its databases, users' access and API keys are its own. */
public record Workspace(String id, String name, Instant created) {}
