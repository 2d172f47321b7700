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
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The first sheet of an XLSX workbook, streamed through POI's event API (SAX), so a
 * million-row sheet needs no more memory than one row. POI's zip-bomb guards stay on,
 * with an entry-size cap of our own; a cell is bounded as Excel bounds it (32,767
 * characters, columns up to XFD) and the shared strings, which are held in memory, to
 * {@value #MAX_SHARED_STRING_CHARS} characters in all. A workbook over a bound fails
 * the read with {@link FileTooLargeException} naming it, before memory runs out.
 */
public final class XlsxSource implements RowSource {

    /** Excel's own limit on the text of one cell. */
    public static final int MAX_CELL_CHARS = 32_767;
    /** Excel's own limit on the text of one formula. */
    public static final int MAX_FORMULA_CHARS = 8_192;
    /** Excel's own limit on the columns of a sheet (A to XFD). */
    public static final int MAX_COLUMNS = 16_384;
    /** The shared strings table is held in memory while the sheet streams: 128 MiB of text at most. */
    public static final long MAX_SHARED_STRING_CHARS = 64L << 20;

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
            ReadOnlySharedStringsTable strings = new BoundedSharedStrings(pkg);
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            if (!sheets.hasNext()) {
                throw new IOException("the workbook has no sheet");
            }
            try (InputStream sheet = sheets.next()) {
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(new BoundedCells(new XSSFSheetXMLHandler(reader.getStylesTable(), strings,
                        new RowCollector(sink), new IsoDataFormatter(), false)));
                parser.parse(new InputSource(sheet));
            } catch (Stop stop) {
                // the sink asked to stop reading
            }
        } catch (OverBound e) {
            throw new FileTooLargeException(e.getMessage());
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

    /** A bound of the workbook's text was crossed; thrown through the SAX parser. */
    private static final class OverBound extends SAXException {
        OverBound(String message) {
            super(message);
        }
    }

    /**
     * The shared strings, counted as they are read: each string within a cell's bound, all
     * of them within {@link #MAX_SHARED_STRING_CHARS}. The superclass reads the table in its
     * constructor, so the counters are fields without initialisers.
     */
    private static final class BoundedSharedStrings extends ReadOnlySharedStringsTable {
        private long stringChars;
        private long totalChars;
        private int index;

        BoundedSharedStrings(OPCPackage pkg) throws IOException, SAXException {
            super(pkg, false);
        }

        @Override
        public void startElement(String uri, String localName, String name, Attributes attributes) throws SAXException {
            if ("si".equals(localName)) {
                stringChars = 0;
                index++;
            }
            super.startElement(uri, localName, name, attributes);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            stringChars += length;
            totalChars += length;
            if (stringChars > MAX_CELL_CHARS) {
                throw new OverBound("shared string " + index + " of the workbook holds more than " + MAX_CELL_CHARS
                        + " characters, the most a spreadsheet cell can hold");
            }
            if (totalChars > MAX_SHARED_STRING_CHARS) {
                throw new OverBound("the workbook's shared strings hold more than " + MAX_SHARED_STRING_CHARS
                        + " characters; save the sheet as CSV to import it");
            }
            super.characters(ch, start, length);
        }
    }

    /**
     * Bounds what POI's sheet handler would gather for one cell (its value, inline string
     * and formula) and where a cell may stand, before the handler sees it.
     */
    private static final class BoundedCells extends DefaultHandler {
        private final ContentHandler next;
        private String cell = "";
        private boolean inCell;
        private boolean inFormula;
        private long valueChars;
        private long formulaChars;

        BoundedCells(ContentHandler next) {
            this.next = next;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
            if ("c".equals(localName)) {
                cell = attributes.getValue("r") == null ? "(unnamed)" : attributes.getValue("r");
                inCell = true;
                valueChars = 0;
                formulaChars = 0;
                if (!withinColumns(cell)) {
                    throw new OverBound("cell " + cell + " lies beyond column XFD, the last a sheet can have");
                }
            }
            inFormula |= inCell && "f".equals(localName);
            next.startElement(uri, localName, qName, attributes);
        }

        private static boolean withinColumns(String reference) {
            int letters = 0;
            while (letters < reference.length() && Character.isLetter(reference.charAt(letters))) {
                letters++;
            }
            if (letters == 0 || letters > 3) {
                return letters == 0;  // no column named: the cell follows the one before
            }
            return CellReference.convertColStringToIndex(reference.substring(0, letters)) < MAX_COLUMNS;
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (inFormula) {
                formulaChars += length;
                if (formulaChars > MAX_FORMULA_CHARS) {
                    throw new OverBound("the formula of cell " + cell + " holds more than " + MAX_FORMULA_CHARS
                            + " characters, the most a spreadsheet formula can hold");
                }
            } else if (inCell) {
                valueChars += length;
                if (valueChars > MAX_CELL_CHARS) {
                    throw new OverBound("cell " + cell + " holds more than " + MAX_CELL_CHARS
                            + " characters, the most a spreadsheet cell can hold");
                }
            }
            next.characters(ch, start, length);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            inCell &= !"c".equals(localName);
            inFormula &= !"f".equals(localName);
            next.endElement(uri, localName, qName);
        }

        @Override
        public void startDocument() throws SAXException {
            next.startDocument();
        }

        @Override
        public void endDocument() throws SAXException {
            next.endDocument();
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            next.ignorableWhitespace(ch, start, length);
        }
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
