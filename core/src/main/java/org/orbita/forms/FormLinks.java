package org.orbita.forms;

import java.util.function.Function;

/**
 * Where a form is published, on the public origin — the workspace's own tracking address when it
 * sets one ({@code workspaceBase}), else the platform's {@code publicUrl}: the hosted page by
 * direct link, the code to paste into a page (the form drawn where it stands, in a shadow root of
 * its own), and an iframe of the hosted page.
 */
public record FormLinks(String publicUrl, Function<String, String> workspaceBase) {

    public FormLinks {
        publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        workspaceBase = workspaceBase == null ? ws -> null : workspaceBase;
    }

    public String base(Form form) {
        return base(form.workspaceId(), form.id());
    }

    public String base(String workspaceId, String formId) {
        return root(workspaceId) + "/t/f/" + formId;
    }

    /** The workspace's public origin: its own tracking address, else the platform's (inbound sources' URLs hang from it too). */
    public String root(String workspaceId) {
        String own = workspaceBase.apply(workspaceId);
        return own == null || own.isBlank() ? publicUrl : own.replaceAll("/+$", "");
    }

    public String page(Form form) {
        return base(form);
    }

    public String script(Form form) {
        return base(form) + "/form.js";
    }

    public String code(Form form) {
        return "<div data-orbita-form=\"" + form.id() + "\"></div>\n<script async src=\"" + script(form) + "\"></script>";
    }

    public String iframe(Form form) {
        return "<iframe src=\"" + page(form) + "\" title=\"" + form.name().replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;")
                + "\" style=\"width:100%;min-height:520px;border:0\" loading=\"lazy\"></iframe>";
    }
}
