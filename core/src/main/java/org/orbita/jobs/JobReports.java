package org.orbita.jobs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.orbita.tabular.CsvCells;
import org.orbita.tabular.CsvSource;

/**
 * The files of jobs under the data folder: each job's input (kept so an interrupted
 * import can resume) and its error report, a CSV of row, field, value, reason.
 */
public final class JobReports {

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f-]{36}");
    private final Path root;

    public JobReports(Path root) {
        this.root = root;
    }

    public Path folder(String jobId) {
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("not a job id: " + jobId);
        }
        Path folder = root.resolve(jobId);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    public Path input(String jobId) {
        return folder(jobId).resolve("input");
    }

    public Path output(String jobId) {
        return folder(jobId).resolve("output");
    }

    public Path errorsFile(String jobId) {
        return folder(jobId).resolve("errors.csv");
    }

    /** Appends errors and forces them to disk. */
    public void append(String jobId, List<RowError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        Path file = errorsFile(jobId);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            if (Files.size(file) == 0) {
                w.write("row,field,value,reason\r\n");
            }
            for (RowError e : errors) {
                CsvCells.writeLine(w, Arrays.asList(String.valueOf(e.row()), e.field(), e.value(), e.reason()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the error report of job " + jobId, e);
        }
    }

    /** Drops errors of rows after {@code lastRow} (written before a crash, about to be redone). */
    public void truncateAfter(String jobId, long lastRow) {
        Path file = errorsFile(jobId);
        if (!Files.exists(file)) {
            return;
        }
        List<RowError> kept = new ArrayList<>();
        read(jobId, 0, Integer.MAX_VALUE).stream().filter(e -> e.row() <= lastRow).forEach(kept::add);
        try {
            Path tmp = file.resolveSibling("errors.csv.tmp");
            Files.deleteIfExists(tmp);
            Files.move(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            append(jobId, kept);
            Files.delete(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page of the error report. */
    public List<RowError> read(String jobId, int offset, int limit) {
        Path file = errorsFile(jobId);
        List<RowError> page = new ArrayList<>();
        if (!Files.exists(file)) {
            return page;
        }
        long[] index = {0};
        try {
            CsvSource.of(file, ',', StandardCharsets.UTF_8).read((line, cells, problem) -> {
                if (line == 1 || cells.size() < 4) {
                    return true;
                }
                if (index[0]++ >= offset) {
                    page.add(new RowError(Long.parseLong(cells.get(0)), emptyToNull(cells.get(1)), emptyToNull(cells.get(2)),
                            cells.get(3)));
                }
                return page.size() < limit;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return page;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
