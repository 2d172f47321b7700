package org.orbita.profiles.imports;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.orbita.outbound.GuardedJdbc;
import org.orbita.tabular.RowSource;

/**
 * Rows of a query on an external database, streamed with a fetch size (a server-side cursor
 * where the driver has one), ordered by the watermark column and filtered past its last
 * value. Remembers the greatest watermark read, for the next run. Row numbers are those of
 * a sheet with a header: the first result row is row 2.
 */
public final class JdbcRowSource implements RowSource {

    private static final int FETCH = 1000;
    private final SqlImport source;
    private final GuardedJdbc jdbc;
    private String watermark;
    private String watermarkType;

    public JdbcRowSource(SqlImport source, GuardedJdbc jdbc) {
        this.source = source;
        this.jdbc = jdbc;
        this.watermark = source.lastWatermark();
        this.watermarkType = source.lastWatermarkType();
    }

    public String watermark() {
        return watermark;
    }

    public String watermarkType() {
        return watermarkType;
    }

    String sql() {
        String col = source.watermarkColumn();
        if (col == null || col.isBlank()) {
            return source.query();
        }
        String inner = "SELECT * FROM (" + source.query() + ") AS orbita_q";
        return source.lastWatermark() == null ? inner + " ORDER BY " + col : inner + " WHERE " + col + " > ? ORDER BY " + col;
    }

    @Override
    public void read(RowSink sink) throws IOException {
        Properties props = new Properties();
        if (source.user() != null) {
            props.setProperty("user", source.user());
        }
        if (source.password() != null) {
            props.setProperty("password", source.password());
        }
        try (Connection c = jdbc.open(source.jdbcUrl(), props)) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(FETCH);
                ps.setQueryTimeout(3600);
                if (source.watermarkColumn() != null && !source.watermarkColumn().isBlank() && source.lastWatermark() != null) {
                    bindWatermark(ps);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<String> header = new ArrayList<>();
                    int watermarkIndex = -1;
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        header.add(meta.getColumnLabel(i));
                        if (meta.getColumnLabel(i).equalsIgnoreCase(source.watermarkColumn())) {
                            watermarkIndex = i;
                            watermarkType = typeOf(meta.getColumnType(i));
                        }
                    }
                    if (source.watermarkColumn() != null && !source.watermarkColumn().isBlank() && watermarkIndex < 0) {
                        throw new IOException("the query has no column '" + source.watermarkColumn() + "' (watermarkColumn); columns: " + header);
                    }
                    if (!sink.row(1, header, null)) {
                        return;
                    }
                    long line = 1;
                    while (rs.next()) {
                        List<String> cells = new ArrayList<>(header.size());
                        for (int i = 1; i <= header.size(); i++) {
                            cells.add(text(rs.getObject(i)));
                        }
                        if (watermarkIndex > 0) {
                            String w = cells.get(watermarkIndex - 1);
                            if (!w.isEmpty()) {
                                watermark = w;
                            }
                        }
                        if (!sink.row(++line, cells, null)) {
                            return;
                        }
                    }
                }
            }
            c.rollback();
        } catch (SecurityException | IllegalArgumentException e) {
            throw new IOException("the external database may not be reached: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IOException("the external database refused the query: " + e.getMessage(), e);
        }
    }

    private void bindWatermark(PreparedStatement ps) throws SQLException {
        String last = source.lastWatermark();
        switch (source.lastWatermarkType() == null ? "text" : source.lastWatermarkType()) {
            case "timestamp" -> ps.setObject(1, LocalDateTime.ofInstant(Instant.parse(last), ZoneOffset.UTC));
            case "date" -> ps.setObject(1, LocalDate.parse(last));
            case "number" -> ps.setBigDecimal(1, new BigDecimal(last));
            default -> ps.setString(1, last);
        }
    }

    private static String typeOf(int sqlType) {
        return switch (sqlType) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> "timestamp";
            case Types.DATE -> "date";
            case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT, Types.NUMERIC, Types.DECIMAL -> "number";
            default -> "text";
        };
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime().toInstant(ZoneOffset.UTC).toString();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant().toString();
        }
        if (value instanceof Date d) {
            return d.toLocalDate().toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }
}
