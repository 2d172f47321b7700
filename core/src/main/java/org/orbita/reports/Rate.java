package org.orbita.reports;

import java.util.Locale;

/** A share of one metric in another, as a percentage; shown only where both are in the report. */
public enum Rate {
    DELIVERY_RATE(Metric.DELIVERED, Metric.SENT, "Delivered of sent.", "Доставлено от отправленных."),
    OPEN_RATE(Metric.OPENED, Metric.DELIVERED, "Unique opens of delivered.", "Уникальные открытия от доставленных."),
    CLICK_RATE(Metric.CLICKED, Metric.DELIVERED, "Unique clicks of delivered (CTR).", "Уникальные клики от доставленных (CTR)."),
    CLICK_TO_OPEN(Metric.CLICKED, Metric.OPENED, "Unique clicks of unique opens (CTOR).", "Уникальные клики от уникальных открытий (CTOR)."),
    BOUNCE_RATE(Metric.BOUNCED, Metric.SENT, "Bounced of sent.", "Отказы от отправленных."),
    COMPLAINT_RATE(Metric.COMPLAINED, Metric.DELIVERED, "Spam complaints of delivered.", "Жалобы на спам от доставленных."),
    UNSUBSCRIBE_RATE(Metric.UNSUBSCRIBED, Metric.DELIVERED, "Unsubscribes of delivered.", "Отписки от доставленных."),
    PROMO_REDEMPTION(Metric.PROMO_REDEEMED, Metric.PROMO_ISSUED, "Codes redeemed of codes issued.", "Погашенные коды от выданных."),
    FORM_CONVERSION(Metric.FORM_SUBMISSIONS, Metric.FORM_VIEWS, "Valid submissions of forms shown.", "Правильные отправки от показов форм."),
    FORM_COMPLETION(Metric.FORM_SUBMISSIONS, Metric.FORM_STARTS, "Valid submissions of forms started.", "Правильные отправки от начатых форм."),
    POPUP_CONVERSION(Metric.POPUP_CONVERSIONS, Metric.POPUP_VIEWS, "Conversions of pop-ups shown.", "Конверсии от показов поп-апов."),
    POPUP_CLOSE_RATE(Metric.POPUP_CLOSES, Metric.POPUP_VIEWS, "Closes of pop-ups shown.", "Закрытия от показов поп-апов.");

    private final Metric of;
    private final Metric per;
    private final String en;
    private final String ru;

    Rate(Metric of, Metric per, String en, String ru) {
        this.of = of;
        this.per = per;
        this.en = en;
        this.ru = ru;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Metric of() {
        return of;
    }

    public Metric per() {
        return per;
    }

    public String definition(String language) {
        return "ru".equals(language) ? ru : en;
    }

    /** The percentage, two decimals; null when the base is zero. */
    public Double value(double of, double per) {
        return percent(of, per);
    }

    /** {@code of} as a percentage of {@code per}, two decimals; null when {@code per} is zero. */
    public static Double percent(double of, double per) {
        return per == 0 ? null : Math.round(of * 10_000.0 / per) / 100.0;
    }
}
