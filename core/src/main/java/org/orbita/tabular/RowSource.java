package org.orbita.tabular;

import java.io.IOException;
import java.util.List;

/** A table read from a file, pushed row by row so that no file is held in memory whole. */
public interface RowSource {

    /** Reads the whole table into the sink; stops early when the sink returns false. */
    void read(RowSink sink) throws IOException;

    /** Receives rows as a file is read. */
    interface RowSink {

        /**
         * One row: {@code line} is the row number a person sees in the file (1-based, the
         * header included); {@code problem} is non-null when the row could not be read.
         *
         * @return false to stop reading
         */
        boolean row(long line, List<String> cells, String problem);
    }
}
