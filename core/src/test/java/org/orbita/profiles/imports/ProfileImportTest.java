package org.orbita.profiles.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.common.InvalidInputException;
import org.orbita.jobs.Job;
import org.orbita.jobs.RowError;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileKey;
import org.orbita.testing.EmbeddedCore;

class ProfileImportTest {

    @TempDir
    Path dir;
    EmbeddedCore core;

    @BeforeEach
    void setUp() {
        core = new EmbeddedCore(dir);
        core.databases.create("ws", "main", "Main", new DatabaseSchema(List.of(
                FieldDefinition.of("email", FieldType.EMAIL).asUnique(),
                FieldDefinition.of("name", FieldType.STRING).asRequired(),
                FieldDefinition.of("age", FieldType.INTEGER),
                FieldDefinition.of("birthday", FieldType.DATE))));
    }

    @AfterEach
    void tearDown() {
        core.close();
    }

    private Job importBytes(byte[] bytes, ImportSpec spec) throws IOException {
        Job job = core.imports.submit("ws", spec, new ByteArrayInputStream(bytes));
        return core.imports.run(job.id());
    }

    private static ImportSpec csv(Map<String, String> mapping) {
        return new ImportSpec("main", "people.csv", null, null, null, true, mapping, "email", "upsert");
    }

    @Test
    void importsGoodRowsAndReportsEachBadOneByRowFieldAndRule() throws IOException {
        String file = """
                E-mail;Full name;Age;Extra
                ann@x.io;Ann;41;x
                bad-email;Bob;20;x
                cid@x.io;;30;x
                dan@x.io;Dan;old;x
                eve@x.io;Eve;33;x;surplus
                """;
        Job job = importBytes(file.getBytes(StandardCharsets.UTF_8),
                csv(Map.of("E-mail", "email", "Full name", "name", "Age", "age", "Extra", "_skip")));

        assertThat(job.status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(job.processed()).isEqualTo(5);
        assertThat(job.succeeded()).isEqualTo(1);
        assertThat(job.failed()).isEqualTo(4);
        assertThat(core.reports.read(job.id(), 0, 100)).containsExactly(
                new RowError(3, "email", "bad-email", "must be an email address such as name@example.com"),
                new RowError(4, "name", null, "is required"),
                new RowError(5, "age", "old", "must be a whole number, such as 42"),
                new RowError(6, null, null, "row has 5 values, the header has 4"));
        assertThat(core.profiles.count("main")).isEqualTo(1);
    }

    @Test
    void anInterruptedImportResumesAfterItsLastCommittedBatch() throws IOException {
        StringBuilder file = new StringBuilder("email,name\n");
        for (int i = 0; i < 2500; i++) {
            file.append("p").append(i).append("@x.io,P").append(i).append('\n');
        }
        Job job = core.imports.submit("ws", csv(Map.of()), new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)));
        // As if the process died after the first batch committed (rows 2..1001) and the job was left running.
        core.imports.run(job.id());
        long total = core.profiles.count("main");
        Job interrupted = core.jobs.save(core.jobs.get(job.id()).running(core.jobs.clock().instant())
                .progressed(1000, 1000, 0, 1001).withResult(Map.of("created", 1000L, "updated", 0L, "merged", 0L)));
        for (int i = 1000; i < 2500; i++) {
            core.profiles.delete("main", core.profiles.findOwner("main", new ProfileKey("email", "p" + i + "@x.io")).orElseThrow());
        }

        Job resumed = core.imports.run(interrupted.id());

        assertThat(total).isEqualTo(2500);
        assertThat(resumed.status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(resumed.processed()).isEqualTo(2500);
        // the totals are the whole job's, the rows before the crash included
        assertThat(resumed.result()).containsEntry("created", 2500L).containsEntry("updated", 0L);
        assertThat(core.profiles.count("main")).isEqualTo(2500);
    }

    @Test
    void aCancelledImportStopsAfterItsCurrentBatchAndKeepsWhatItCommitted() throws IOException {
        StringBuilder file = new StringBuilder("email;name\n");
        for (int i = 0; i < ProfileImport.BATCH * 3; i++) {
            file.append("c").append(i).append("@x.io;C").append(i).append('\n');
        }
        Job job = core.imports.submit("ws", csv(Map.of("email", "email", "name", "name")),
                new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)));
        // the job is running when someone asks it to stop (a queued one stops before it starts)
        core.jobs.save(job.running(core.jobs.clock().instant()));
        core.jobs.cancel("ws", job.id());

        Job stopped = core.imports.run(job.id());
        assertThat(stopped.status()).isEqualTo(Job.Status.CANCELLED);
        assertThat(stopped.processed()).isEqualTo(ProfileImport.BATCH);
        assertThat(stopped.result()).containsEntry("created", (long) ProfileImport.BATCH);
        assertThat(core.profiles.count("main")).isEqualTo(ProfileImport.BATCH);
    }

    @Test
    void importsAStreamedXlsxWithDatesAndNumbers() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            Sheet sheet = wb.createSheet("people");
            Row header = sheet.createRow(0);
            header.createCell(0).setCellValue("email");
            header.createCell(1).setCellValue("name");
            header.createCell(2).setCellValue("age");
            header.createCell(3).setCellValue("birthday");
            Row r = sheet.createRow(1);
            r.createCell(0).setCellValue("ann@x.io");
            r.createCell(1).setCellValue("Ann");
            r.createCell(2).setCellValue(41);
            var dateStyle = wb.createCellStyle();
            dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
            var cell = r.createCell(3);
            cell.setCellValue(LocalDate.of(1985, 3, 14));
            cell.setCellStyle(dateStyle);
            wb.write(out);
        }
        Job job = importBytes(out.toByteArray(), new ImportSpec("main", "people.xlsx", null, null, null, true, null, "email", null));

        assertThat(job.status()).isEqualTo(Job.Status.SUCCEEDED);
        Profile ann = core.profiles.find("main", core.profiles.findOwner("main", new ProfileKey("email", "ann@x.io")).orElseThrow())
                .orElseThrow();
        assertThat(ann.fields()).containsEntry("age", 41L).containsEntry("birthday", "1985-03-14");
    }

    @Test
    void aTruncatedWorkbookFailsTheJobWithAClearReason() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            wb.createSheet("x").createRow(0).createCell(0).setCellValue("email");
            wb.write(out);
        }
        byte[] truncated = Arrays.copyOf(out.toByteArray(), out.size() / 2);
        Job job = importBytes(truncated, new ImportSpec("main", "t.xlsx", null, null, null, true, null, "email", null));
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.error()).contains("XLSX");
        assertThat(core.profiles.count("main")).isZero();
    }

    @Test
    void aZipBombIsRefusedWithoutUnpackingIt() throws IOException {
        ByteArrayOutputStream real = new ByteArrayOutputStream();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            wb.createSheet("x").createRow(0).createCell(0).setCellValue("email");
            wb.write(real);
        }
        Path bomb = dir.resolve("bomb.xlsx");
        try (var in = new ZipInputStream(new ByteArrayInputStream(real.toByteArray()));
                ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals("xl/worksheets/sheet1.xml")) {
                    // A valid sheet padded with 600 MB of blanks that pack into well under 1 MB.
                    zip.write("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                            .getBytes(StandardCharsets.UTF_8));
                    byte[] blanks = new byte[1 << 20];
                    Arrays.fill(blanks, (byte) ' ');
                    for (int i = 0; i < 600; i++) {
                        zip.write(blanks);
                    }
                    zip.write("</sheetData></worksheet>".getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        assertThat(Files.size(bomb)).isLessThan(2 << 20);
        Job job = core.imports.submit("ws", new ImportSpec("main", "bomb.xlsx", null, null, null, true, null, "email", null),
                Files.newInputStream(bomb));
        Job done = core.imports.run(job.id());
        assertThat(done.status()).isEqualTo(Job.Status.FAILED);
        assertThat(done.error()).containsIgnoringCase("zip bomb");
    }

    /** A real workbook with its sheet (and shared strings, when given) replaced by the XML given. */
    private byte[] workbookWith(String sheetData, String sharedStrings) throws IOException {
        ByteArrayOutputStream real = new ByteArrayOutputStream();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            wb.createSheet("x").createRow(0).createCell(0).setCellValue("email");
            wb.write(real);
        }
        String ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = new ZipInputStream(new ByteArrayInputStream(real.toByteArray())); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals("xl/worksheets/sheet1.xml")) {
                    zip.write(("<worksheet " + ns + "><sheetData>" + sheetData + "</sheetData></worksheet>").getBytes(StandardCharsets.UTF_8));
                } else if (e.getName().equals("xl/sharedStrings.xml") && sharedStrings != null) {
                    zip.write(("<sst " + ns + ">" + sharedStrings + "</sst>").getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static String randomText(int chars) {
        var random = new java.util.Random(7);
        StringBuilder text = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    @Test
    void aCellOverExcelsBoundsFailsTheJobNamingTheCellBeforeMemoryRunsOut() throws IOException {
        String header = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>name</t></is></c></row>";
        String ann = "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>ann@x.io</t></is></c><c r=\"B2\" t=\"inlineStr\"><is><t>Ann</t></is></c></row>";
        ImportSpec spec = new ImportSpec("main", "big.xlsx", null, null, null, true, null, "email", null);

        // an inline string past 32,767 characters: POI would gather all of it in one StringBuilder
        Job inline = importBytes(workbookWith(header + ann
                + "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>bob@x.io</t></is></c><c r=\"B3\" t=\"inlineStr\"><is><t>"
                + randomText(40_000) + "</t></is></c></row>", null), spec);
        assertThat(inline.status()).isEqualTo(Job.Status.FAILED);
        assertThat(inline.error()).contains("cell B3").contains("32767 characters");

        // a shared string past the bound: the table is held in memory while the sheet streams
        Job shared = importBytes(workbookWith("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>",
                "<si><t>email</t></si><si><t>name</t></si><si><t>" + randomText(40_000) + "</t></si>"), spec);
        assertThat(shared.status()).isEqualTo(Job.Status.FAILED);
        assertThat(shared.error()).contains("shared string 3").contains("32767 characters");

        // a cell far beyond the last column: the row would be padded out to it
        Job far = importBytes(workbookWith(header + "<row r=\"2\"><c r=\"ZZZZZZ2\" t=\"inlineStr\"><is><t>x</t></is></c></row>", null), spec);
        assertThat(far.status()).isEqualTo(Job.Status.FAILED);
        assertThat(far.error()).contains("cell ZZZZZZ2").contains("XFD");
        assertThat(core.profiles.count("main")).isZero();
    }

    @Test
    void aMappingToAnUnknownFieldIsRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> core.imports.submit("ws", csv(Map.of("E-mail", "mail")), new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("mapping.E-mail");
    }

    @Test
    void aMappingNamingAColumnTheFileLacksFailsTheJob() throws IOException {
        Job job = importBytes("email,name\na@x.io,A\n".getBytes(StandardCharsets.UTF_8), csv(Map.of("Email", "email")));
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.error()).contains("[Email]").contains("[email, name]");
    }

    /** A cell a spreadsheet would run as a formula is written with a leading apostrophe, in exports and error reports (OWASP). */
    @Test
    void csvFilesNeverCarryAFormulaASpreadsheetWouldRun() throws IOException {
        String file = """
                E-mail;Full name;Age
                ann@x.io;=HYPERLINK("http://evil.example","click");41
                bob@x.io;@SUM(A1:A2);-7
                cid@x.io;Cid;+cmd|' /C calc'!A0
                """;
        Job job = importBytes(file.getBytes(StandardCharsets.UTF_8), csv(Map.of("E-mail", "email", "Full name", "name", "Age", "age")));
        assertThat(job.succeeded()).isEqualTo(2);
        String report = Files.readString(core.reports.errorsFile(job.id()), StandardCharsets.UTF_8);
        assertThat(report).contains("'+cmd|' /C calc'!A0").doesNotContain(",+cmd");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        core.exports.write(core.databases.get("main"), "csv", out);
        String csv = out.toString(StandardCharsets.UTF_8);
        assertThat(csv).contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"").contains("'@SUM(A1:A2)").contains(",-7,")
                .doesNotContain(",=HYPERLINK").doesNotContain(",@SUM");
    }

    @Test
    void exportsWhatWasImported() throws IOException {
        importBytes("email,name,age\n\"a@x.io\",\"Smith, Ann\",41\n".getBytes(StandardCharsets.UTF_8), csv(Map.of()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = core.exports.write(core.databases.get("main"), "csv", out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(n).isEqualTo(1);
        assertThat(text).startsWith("\uFEFFid,email,name,age,birthday,subscriptions,status,created,updated\r\n");
        assertThat(text).contains(",a@x.io,\"Smith, Ann\",41,,,active,");

        OutputStream xlsx = new ByteArrayOutputStream();
        assertThat(core.exports.write(core.databases.get("main"), "xlsx", xlsx)).isEqualTo(1);
    }
}
