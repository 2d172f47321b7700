package org.orbita.ui.content;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import java.util.function.BiConsumer;

/**
 * The drag-and-drop email builder: GrapesJS with its newsletter preset (from npm, loaded on
 * first use). Each change reports the email HTML (CSS inlined by the preset) and the project
 * JSON, which is what reopens the design for editing.
 */
@Tag("orbita-block-editor")
public class BlockEditor extends Component implements HasSize {

    private String html = "";
    private String project;

    public BlockEditor(BiConsumer<String, String> onChange) {
        setWidthFull();
        getElement().setAttribute("height", "640px");
        getElement().addEventListener("blocks-changed", e -> {
            html = e.getEventData().getString("event.detail.html");
            project = e.getEventData().getString("event.detail.project");
            onChange.accept(html, project);
        }).addEventData("event.detail.html").addEventData("event.detail.project");
    }

    /** Opens a saved design, or starts one from HTML when there is none. */
    public void load(String project, String html) {
        this.project = project;
        this.html = html == null ? "" : html;
        getElement().executeJs("customElements.whenDefined('orbita-block-editor').then(() => this.load($0, $1))", project == null ? "" : project, this.html);
    }

    public String html() {
        return html;
    }

    public String project() {
        return project;
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        event.getUI().getPage().addJavaScript(CodeEditor.SCRIPT);
    }
}
