package org.orbita.ui;

import java.util.List;

/** The other ways in the sign-in page offers (identity providers); the app implements it. */
public interface SignInOptions {

    /** A button: its label and the path that starts the sign-in. */
    record Option(String label, String path) {}

    List<Option> providers();
}
