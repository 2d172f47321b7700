package org.orbita.audiences;

/** The profile belongs to a segment (a static one, or a dynamic one matched earlier in this evaluation). */
public record MemberFact(String segment) {

    public String getSegment() {
        return segment;
    }
}
