package org.orbita.profiles;

/** A typed link from one profile to another in the same database (spouse, parent, referrer…). */
public record Relation(String type, String profileId) {}
