package org.orbita.audiences;

/** What a user gives to create or change a segment. */
public record SegmentInput(String databaseId, String name, Segment.Kind kind, Condition definition) {}
