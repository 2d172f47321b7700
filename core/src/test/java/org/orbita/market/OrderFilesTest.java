package org.orbita.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.common.InvalidInputException;
import org.orbita.tabular.CsvSource;

class OrderFilesTest {

    @TempDir
    Path dir;

    private List<List<OrderFiles.Read>> read(String csv, int batch, List<Markets.Rejected> refused) throws Exception {
        Path f = dir.resolve("orders.csv");
        Files.writeString(f, csv);
        List<List<OrderFiles.Read>> batches = new ArrayList<>();
        OrderFiles.read(CsvSource.of(f, ',', null), batch, batches::add, refused::add);
        return batches;
    }

    @Test
    void anOrdersRowsAreGatheredIntoOneOrderAndSentInBatches() throws Exception {
        StringBuilder csv = new StringBuilder("Order,Profile ID,currency,product,quantity,price,amount\n");
        for (int i = 1; i <= 5; i++) {
            for (int line = 1; line <= 3; line++) {
                csv.append("o").append(i).append(",p").append(i).append(",RUB,x").append(line).append(",").append(line).append(",10,\n");
            }
        }
        List<Markets.Rejected> refused = new ArrayList<>();
        List<List<OrderFiles.Read>> batches = read(csv.toString(), 2, refused);

        assertThat(batches).extracting(List::size).containsExactly(2, 2, 1);
        OrderFiles.Read third = batches.get(1).get(0);
        assertThat(third.row()).as("the row of its first line, the header being row 1").isEqualTo(8);
        assertThat(third.order().id()).isEqualTo("o3");
        assertThat(third.order().customer().profileId()).isEqualTo("p3");
        assertThat(third.order().lines()).extracting(Markets.LineInput::product).containsExactly("x1", "x2", "x3");
        assertThat(third.order().lines().get(2).quantity()).isEqualByComparingTo(new BigDecimal(3));
        assertThat(third.order().lines().get(0).amount()).as("an empty cell: absent").isNull();
        assertThat(refused).isEmpty();
    }

    @Test
    void anOrderWithARowThatIsNotReadableIsRefusedWholeTheOthersGoOn() throws Exception {
        List<Markets.Rejected> refused = new ArrayList<>();
        List<List<OrderFiles.Read>> batches = read("order,product,quantity,price,created\n"
                + "a,x,1,10,2026-11-01\n"
                + "b,x,1,10,2026-11-01\n"
                + "b,y,two,10,2026-11-01\n"
                + ",z,1,10,2026-11-01\n"
                + "c,x,1,10,soon\n", 100, refused);

        assertThat(batches.get(0)).extracting(r -> r.order().id()).containsExactly("a");
        assertThat(refused).extracting(Markets.Rejected::index).containsExactly(5, 3, 6);
        assertThat(refused.get(0).errors().get(0).rule()).contains("no order id");
        assertThat(refused.get(1).errors()).extracting(e -> e.field()).containsExactly("row 4.quantity");
        assertThat(refused.get(2).errors()).extracting(e -> e.field()).containsExactly("row 6.created");
    }

    @Test
    void aHeaderWithoutTheRequiredColumnsOrWithOnesNotKnownIsRefused() {
        assertThatThrownBy(() -> read("order,qty\na,1\n", 10, new ArrayList<>())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("qty");
        assertThatThrownBy(() -> read("order,quantity\na,1\n", 10, new ArrayList<>())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("product");
        assertThatThrownBy(() -> read("", 10, new ArrayList<>())).isInstanceOf(InvalidInputException.class);
    }
}
