package org.orbita.ui.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import java.util.List;
import java.util.Map;

/** A report's chart: Apache ECharts (npm, Apache-2.0) in the browser, lines over time, bars per group, a pie of shares, or a heatmap (cohorts). */
@Tag("orbita-report-chart")
@NpmPackage(value = "echarts", version = "6.1.0")
@JsModule("./report-chart.js")
public class ReportChart extends Component implements HasSize {

    /** One line or one set of bars: its name and a value per category (null: none). */
    public record Series(String name, List<Double> data) {}

    public ReportChart() {
        setWidthFull();
        setHeight("280px");
        // in a full-height layout whose content runs past the screen, a chart must not be squeezed to nothing
        getStyle().set("flex-shrink", "0");
    }

    /** Draws lines ({@code line}) or bars ({@code bar}) over the categories, or a pie ({@code pie}) of the first series' shares. */
    public void show(String kind, List<String> categories, List<Series> series) {
        try {
            getElement().callJsFunction("show", JSON.writeValueAsString(Map.of("kind", kind, "categories", categories, "series", series)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a chart's figures did not make JSON", e);
        }
    }

    /**
     * Draws a heatmap: a column per category, a row per row name, each cell {@code [column, row,
     * value, label]}; colours run from 0 to {@code max}. A click on a cell calls {@code clicked}
     * with its column and row.
     */
    public void heatmap(List<String> columns, List<String> rows, List<List<Object>> cells, double max) {
        try {
            getElement().callJsFunction("show", JSON.writeValueAsString(Map.of("kind", "heatmap", "categories", columns, "rows", rows, "cells", cells,
                    "max", max)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a chart's figures did not make JSON", e);
        }
    }

    /** Called with a heatmap cell's column and row when it is clicked. */
    public void onCellClick(java.util.function.BiConsumer<Integer, Integer> clicked) {
        getElement().addEventListener("cell-click", e -> clicked.accept((int) e.getEventData().getNumber("event.detail.x"),
                (int) e.getEventData().getNumber("event.detail.y"))).addEventData("event.detail.x").addEventData("event.detail.y");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
