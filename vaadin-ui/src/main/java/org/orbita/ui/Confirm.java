package org.orbita.ui;

import com.vaadin.flow.component.confirmdialog.ConfirmDialog;

/** Asks before an action that cannot be undone (delete, revoke, stop): the action runs only on confirmation. */
public final class Confirm {

    private Confirm() {}

    /**
     * @param id the dialog's id (browser tests find it by this)
     */
    public static ConfirmDialog destructive(String id, String header, String text, String confirmText, String cancelText, Runnable action) {
        ConfirmDialog d = new ConfirmDialog();
        d.setId(id);
        d.setHeader(header);
        d.setText(text);
        d.setCancelable(true);
        d.setCancelText(cancelText);
        d.setConfirmText(confirmText);
        d.setConfirmButtonTheme("error primary");
        d.addConfirmListener(e -> {
            try {
                action.run();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        d.open();
        return d;
    }
}
