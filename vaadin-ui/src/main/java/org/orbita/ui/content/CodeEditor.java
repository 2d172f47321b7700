package org.orbita.ui.content;

import com.vaadin.flow.component.AbstractSinglePropertyField;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;

/**
 * A code editor with Liquid highlighted (CodeMirror 5, from npm, loaded on first use);
 * its value is the text, kept in step as one types.
 */
@Tag("orbita-code-editor")
public class CodeEditor extends AbstractSinglePropertyField<CodeEditor, String> implements HasSize {

    static final String SCRIPT = "orbita-editor/orbita-editors.js";

    /** @param mode {@code liquid-html}, {@code liquid-json} or {@code liquid-text} */
    public CodeEditor(String mode, String height) {
        super("value", "", false);
        getElement().setAttribute("mode", mode);
        getElement().setAttribute("height", height);
        setWidthFull();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        event.getUI().getPage().addJavaScript(SCRIPT);
    }
}
