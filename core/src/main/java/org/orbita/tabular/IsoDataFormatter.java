package org.orbita.tabular;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;

/**
 * Formats spreadsheet cells as an importer wants them, not as a screen shows them:
 * dates as ISO-8601, numbers without grouping or locale.
 */
final class IsoDataFormatter extends DataFormatter {

    IsoDataFormatter() {
        super(Locale.ROOT);
    }

    @Override
    public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
        if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
            LocalDateTime t = DateUtil.getLocalDateTime(value, use1904Windowing);
            if (t.toLocalTime().toSecondOfDay() == 0) {
                return t.toLocalDate().toString();
            }
            return t.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
