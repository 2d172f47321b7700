package org.orbita.tabular;

import java.io.IOException;

/** A file, or a part of it once unpacked, is over a configured limit. */
public class FileTooLargeException extends IOException {

    public FileTooLargeException(String message) {
        super(message);
    }
}
