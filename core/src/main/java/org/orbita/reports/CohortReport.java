package org.orbita.reports;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Cohorts as computed: each with its size and a cell per period since (0 its own), the newest
 * last; the moment its data is as of.
 */
public record CohortReport(CohortQuery query, List<Cohort> cohorts, Instant asOf) {

    /** A cohort: its start (the first day of its day, week or month in the workspace's time zone) and the profiles in it. */
    public record Cohort(Instant start, long size, List<Cell> cells) {}

    /** A cell's figures with what each counts, in English and Russian — shown beside them in the UI and the API. */
    public enum Figure {
        ACTIVE("Profiles of the cohort with at least one active event in the period.",
                "Профили когорты, у которых в периоде было хотя бы одно активное событие."),
        RETENTION("Active profiles as a share of the cohort's size (period 0 is the cohort's own period).",
                "Доля активных профилей от размера когорты (период 0 — собственный период когорты)."),
        EVENTS("Active events in the period (machines' opens and clicks and observers' copies never count).",
                "Активные события за период (открытия и клики роботов и копии наблюдателям не считаются)."),
        REVENUE("The sum of the active events' value in the period (conversions; orders when the market lands).",
                "Сумма ценности (value) активных событий за период (конверсии; заказы — с появлением маркета)."),
        LTV("Monetary lifetime value: revenue from the cohort's start to the period's end, divided by the cohort's size.",
                "Денежная ценность клиента (LTV): выручка от начала когорты до конца периода, делённая на размер когорты."),
        ENGAGED_DAYS("Engagement lifetime: days with an active event from the cohort's start to the period's end, per profile.",
                "Время вовлечённости: дни с активным событием от начала когорты до конца периода в расчёте на профиль.");

        private final String en;
        private final String ru;

        Figure(String en, String ru) {
            this.en = en;
            this.ru = ru;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String definition(String language) {
            return "ru".equals(language) ? ru : en;
        }
    }

    /**
     * What a cohort did in one period since its start (see {@link Figure}):
     *
     * @param period       periods since the cohort's own (0)
     * @param active       profiles with at least one active event in the period
     * @param retention    active ÷ the cohort's size, in percent
     * @param events       active events in the period
     * @param revenue      the sum of their {@code value} in the period
     * @param ltv          monetary lifetime value: revenue from the cohort's start to this period's end ÷ its size
     * @param engagedDays  engagement lifetime (Altcraft's): days with an active event, from the start to this period's end, per profile
     * @param complete     whether the period has ended (a period still running is shown, and marked)
     */
    public record Cell(int period, long active, Double retention, long events, double revenue, double ltv, double engagedDays, boolean complete) {}
}
