package org.orbita.reports;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The reports: what each counts, what its rows are grouped by unless asked otherwise, and what
 * they may be grouped by. Later reports (traffic, growth, cohorts, funnels, forms) join here.
 */
public enum ReportKind {
    /** N1: every channel's sends and what came of them. */
    CHANNELS(List.of(Metric.SENT, Metric.DELIVERED, Metric.FAILED, Metric.BOUNCED, Metric.OPENED, Metric.OPENS, Metric.CLICKED, Metric.CLICKS,
            Metric.UNSUBSCRIBED, Metric.COMPLAINED, Metric.CONVERTED, Metric.REVENUE),
            List.of(Rate.DELIVERY_RATE, Rate.OPEN_RATE, Rate.CLICK_RATE, Rate.CLICK_TO_OPEN, Rate.BOUNCE_RATE, Rate.COMPLAINT_RATE,
                    Rate.UNSUBSCRIBE_RATE),
            List.of(Dimension.CHANNEL),
            EnumSet.of(Dimension.HOUR, Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.YEAR, Dimension.CHANNEL, Dimension.CAMPAIGN,
                    Dimension.JOURNEY, Dimension.MESSAGE, Dimension.DOMAIN)),
    /** N9: emails that came back, hard and soft, and why. */
    BOUNCES(List.of(Metric.BOUNCED), List.of(), List.of(Dimension.KIND, Dimension.REASON),
            EnumSet.of(Dimension.HOUR, Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.YEAR, Dimension.KIND, Dimension.REASON,
                    Dimension.DOMAIN, Dimension.CAMPAIGN, Dimension.SITE, Dimension.JOURNEY)),
    /** N10: every channel's failures — bounces and providers' refusals — by reason. */
    NON_DELIVERY(List.of(Metric.BOUNCED, Metric.FAILED), List.of(), List.of(Dimension.CHANNEL, Dimension.REASON),
            EnumSet.of(Dimension.HOUR, Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.YEAR, Dimension.CHANNEL, Dimension.REASON,
                    Dimension.DOMAIN, Dimension.CAMPAIGN, Dimension.JOURNEY, Dimension.KIND)),
    /**
     * N2 (forms and pop-ups join with forms): every hit on the tracking links — opens, clicks, web views, unsubscribes —
     * machines' too, and the tracked sites' page views and visitors, by device, system and browser.
     */
    TRAFFIC(List.of(Metric.OPEN_HITS, Metric.CLICK_HITS, Metric.WEB_VIEWS, Metric.UNSUBSCRIBED, Metric.PAGE_VIEWS, Metric.VISITORS), List.of(),
            List.of(Dimension.DEVICE),
            EnumSet.of(Dimension.HOUR, Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.YEAR, Dimension.DEVICE, Dimension.OS,
                    Dimension.BROWSER, Dimension.CHANNEL, Dimension.CAMPAIGN, Dimension.MESSAGE, Dimension.JOURNEY, Dimension.WEBSITE, Dimension.COUNTRY)),
    /** N3: new profiles by where they came from, and how subscriptions grew and shrank. */
    GROWTH(List.of(Metric.NEW_PROFILES, Metric.SUBSCRIBED, Metric.LOST_UNSUBSCRIBED, Metric.LOST_BOUNCED, Metric.LOST_SUSPENDED,
            Metric.NET_SUBSCRIBED), List.of(), List.of(Dimension.DAY, Dimension.SOURCE),
            EnumSet.of(Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.YEAR, Dimension.SOURCE, Dimension.CHANNEL, Dimension.RESOURCE)),
    /** N7: goal events attributed to campaigns, their people and value; the sites' goals reached and their value. */
    GOALS(List.of(Metric.CONVERTED, Metric.CONVERTERS, Metric.REVENUE, Metric.SITE_GOALS, Metric.SITE_GOAL_VALUE), List.of(), List.of(Dimension.GOAL),
            EnumSet.of(Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.YEAR, Dimension.GOAL, Dimension.CAMPAIGN, Dimension.JOURNEY,
                    Dimension.MESSAGE, Dimension.WEBSITE)),
    /** N8: forms shown, started, submitted and refused as spam, by form. */
    FORMS(List.of(Metric.FORM_VIEWS, Metric.FORM_STARTS, Metric.FORM_SUBMISSIONS, Metric.FORM_REJECTED),
            List.of(Rate.FORM_CONVERSION, Rate.FORM_COMPLETION), List.of(Dimension.FORM),
            EnumSet.of(Dimension.HOUR, Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.YEAR, Dimension.FORM)),
    /** N2's pop-up part: pop-ups shown, closed and converted, by pop-up, template, variant, page and device. */
    POPUPS(List.of(Metric.POPUP_VIEWS, Metric.POPUP_CLOSES, Metric.POPUP_CONVERSIONS), List.of(Rate.POPUP_CONVERSION, Rate.POPUP_CLOSE_RATE),
            List.of(Dimension.POPUP),
            EnumSet.of(Dimension.HOUR, Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.YEAR, Dimension.POPUP, Dimension.TEMPLATE,
                    Dimension.VARIANT, Dimension.PAGE, Dimension.DEVICE, Dimension.OS, Dimension.BROWSER, Dimension.WEBSITE)),
    /** L1's figures: promo codes issued and redeemed, by pool. */
    PROMO(List.of(Metric.PROMO_ISSUED, Metric.PROMO_REDEEMED, Metric.PROMO_REDEEMERS), List.of(Rate.PROMO_REDEMPTION), List.of(Dimension.POOL),
            EnumSet.of(Dimension.HOUR, Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.YEAR, Dimension.POOL)),
    /** N11's figures: clicks per link of a message or campaign. */
    LINKS(List.of(Metric.CLICKED, Metric.CLICKS), List.of(), List.of(Dimension.LINK),
            EnumSet.of(Dimension.LINK, Dimension.MESSAGE, Dimension.VERSION, Dimension.CAMPAIGN, Dimension.DEVICE, Dimension.OS, Dimension.BROWSER,
                    Dimension.DAY, Dimension.WEEK, Dimension.MONTH));

    private final List<Metric> metrics;
    private final List<Rate> rates;
    private final List<Dimension> defaultGroups;
    private final Set<Dimension> groups;

    ReportKind(List<Metric> metrics, List<Rate> rates, List<Dimension> defaultGroups, Set<Dimension> groups) {
        this.metrics = metrics;
        this.rates = rates;
        this.defaultGroups = defaultGroups;
        this.groups = groups;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public List<Rate> rates() {
        return rates;
    }

    public List<Dimension> defaultGroups() {
        return defaultGroups;
    }

    public Set<Dimension> groups() {
        return groups;
    }

    public static Optional<ReportKind> find(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
    }
}
