package org.orbita.profiles;

import java.util.List;

/** The profile as stored after a write, whether it was created, and who was merged into it. */
public record WriteResult(Profile profile, boolean created, List<String> mergedIds) {}
