package org.orbita.content;

import java.time.Instant;

/** A reusable template fragment of a workspace, rendered with {@code {% render 'name' %}}; every save is a version. */
public record Snippet(String workspaceId, String name, String text, long version, Instant updated) {

    String key() {
        return workspaceId + ":" + name;
    }
}
