package org.orbita.tabular;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.UnsupportedFileFormatException;
import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.RecordFormatException;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * The first sheet of an XLSX workbook, streamed through POI's event API (SAX), so a
 * million-row sheet needs no more memory than one row. POI's zip-bomb guards stay on,
 * with an entry-size cap of our own.
 */
public final class XlsxSource implements RowSource {

    private final Path file;
    private final long maxEntryBytes;

    public XlsxSource(Path file, long maxEntryBytes) {
        this.file = file;
        this.maxEntryBytes = maxEntryBytes;
    }

    @Override
    public void read(RowSink sink) throws IOException {
        ZipSecureFile.setMinInflateRatio(0.01);
        ZipSecureFile.setMaxEntrySize(maxEntryBytes);
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            if (!sheets.hasNext()) {
                throw new IOException("the workbook has no sheet");
            }
            try (InputStream sheet = sheets.next()) {
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), strings,
                        new RowCollector(sink), new IsoDataFormatter(), false));
                parser.parse(new InputSource(sheet));
            } catch (Stop stop) {
                // the sink asked to stop reading
            }
        } catch (OpenXML4JException | SAXException | ParserConfigurationException | POIXMLException
                 | UnsupportedFileFormatException e) {
            throw unreadable(e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw unreadable(e);
        } catch (RecordFormatException e) {
            throw unreadable(e);
        } catch (IOException e) {
            if (e.getMessage() != null && (e.getMessage().contains("Zip bomb") || e.getMessage().contains("Zip64"))) {
                throw new FileTooLargeException("the workbook unpacks to far more than its size (zip bomb guard): " + e.getMessage());
            }
            throw e;
        }
    }

    private static IOException unreadable(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (reason.contains("Zip bomb") || reason.contains("exceeds the max")) {
            return new FileTooLargeException("the workbook unpacks to far more than its size (zip bomb guard): " + reason);
        }
        return new IOException("not a readable XLSX workbook (truncated or damaged?): " + reason, e);
    }

    /** Thrown through the SAX parser to stop early. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private static final class RowCollector implements XSSFSheetXMLHandler.SheetContentsHandler {

        private final RowSink sink;
        private final List<String> cells = new ArrayList<>();

        RowCollector(RowSink sink) {
            this.sink = sink;
        }

        @Override
        public void startRow(int rowNum) {
            cells.clear();
        }

        @Override
        public void endRow(int rowNum) {
            if (cells.stream().allMatch(String::isEmpty)) {
                return;
            }
            if (!sink.row(rowNum + 1L, new ArrayList<>(cells), null)) {
                throw new Stop();
            }
        }

        @Override
        public void cell(String reference, String formattedValue, XSSFComment comment) {
            int column = reference == null ? cells.size() : new CellReference(reference).getCol();
            while (cells.size() < column) {
                cells.add("");
            }
            cells.add(formattedValue == null ? "" : formattedValue);
        }
    }
}
