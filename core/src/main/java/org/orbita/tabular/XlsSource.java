package org.orbita.tabular;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.filesystem.NotOLE2FileException;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.util.RecordFormatException;

/**
 * The first sheet of a legacy XLS workbook. POI reads XLS whole, so the file size is
 * capped (XLS itself stops at 65,536 rows).
 */
public final class XlsSource implements RowSource {

    private final Path file;
    private final long maxBytes;

    public XlsSource(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    @Override
    public void read(RowSink sink) throws IOException {
        if (Files.size(file) > maxBytes) {
            throw new FileTooLargeException("XLS files are read whole; this one is over " + maxBytes + " bytes — save it as XLSX or CSV");
        }
        IsoDataFormatter formatter = new IsoDataFormatter();
        try (InputStream in = Files.newInputStream(file); HSSFWorkbook workbook = new HSSFWorkbook(in)) {
            if (workbook.getNumberOfSheets() == 0) {
                throw new IOException("the workbook has no sheet");
            }
            Sheet sheet = workbook.getSheetAt(0);
            for (Row row : sheet) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < Math.max(0, row.getLastCellNum()); i++) {
                    Cell cell = row.getCell(i);
                    cells.add(cell == null ? "" : formatter.formatCellValue(cell));
                }
                if (cells.stream().allMatch(String::isEmpty)) {
                    continue;
                }
                if (!sink.row(row.getRowNum() + 1L, cells, null)) {
                    return;
                }
            }
        } catch (NotOLE2FileException | RecordFormatException
                 | IllegalArgumentException e) {
            throw new IOException("not a readable XLS workbook: " + e.getMessage(), e);
        }
    }
}
