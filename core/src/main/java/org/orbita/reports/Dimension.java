package org.orbita.reports;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.orbita.events.EventAggregate;

/** What a report's rows may be grouped by: a time bucket, an object, or an attribute of the events. */
public enum Dimension {
    HOUR(new EventAggregate.Time(EventAggregate.Grain.HOUR)),
    DAY(new EventAggregate.Time(EventAggregate.Grain.DAY)),
    WEEK(new EventAggregate.Time(EventAggregate.Grain.WEEK)),
    MONTH(new EventAggregate.Time(EventAggregate.Grain.MONTH)),
    YEAR(new EventAggregate.Time(EventAggregate.Grain.YEAR)),
    CHANNEL(new EventAggregate.Channel()),
    CAMPAIGN(new EventAggregate.Property("campaign")),
    JOURNEY(new EventAggregate.Property("journey")),
    MESSAGE(new EventAggregate.Property("message_id")),
    /** A link's address (clicks). */
    LINK(new EventAggregate.Property("url")),
    /** The recipient's domain (email). */
    DOMAIN(new EventAggregate.DomainOf("recipient")),
    /** Why a message bounced or failed. */
    REASON(new EventAggregate.Property("reason")),
    /** Hard or soft (bounces). */
    KIND(new EventAggregate.Property("kind")),
    /** Where a profile or subscription came from (API, file import, SQL import, the UI…: {@code ProfileSource}). */
    SOURCE(new EventAggregate.Property("source")),
    /** The goal event's type a conversion counts ({@code purchase}, {@code order.paid}…). */
    GOAL(new EventAggregate.Property("goal")),
    /** A subscription's resource (mailing list). */
    RESOURCE(new EventAggregate.Property("resource")),
    /** The receiving site an email went to (its MX group, as the mail sender shapes traffic). */
    SITE(new EventAggregate.Property("site")),
    /** The tracked website a hit came from (an Orbita site's id: {@code sites.Site}). */
    WEBSITE(new EventAggregate.Property("website")),
    FORM(new EventAggregate.Property("form")),
    /** A promo code pool (its id, shown by name). */
    POOL(new EventAggregate.Property("pool")),
    /** A pop-up (its id, shown by name). */
    POPUP(new EventAggregate.Property("popup")),
    /** The ready template a pop-up's variant was made from. */
    TEMPLATE(new EventAggregate.Property("template")),
    /** A pop-up's A/B variant. */
    VARIANT(new EventAggregate.Property("variant")),
    /** The page (its path) a site hit was on. */
    PAGE(new EventAggregate.Property("path")),
    /** The country of a website hit (from a MaxMind-format database, when the administrator gives one). */
    COUNTRY(new EventAggregate.Property("country")),
    /** The kind of device behind a hit: desktop, mobile, tablet, machine, unknown ({@code UserAgents}). */
    DEVICE(new EventAggregate.Property("device")),
    /** The operating system behind a hit (ua-parser's family: iOS, Android, Windows, Mac OS X…). */
    OS(new EventAggregate.Property("os")),
    /** The browser or mail client behind a hit (ua-parser's family: Chrome, Mobile Safari, Outlook, GmailImageProxy…). */
    BROWSER(new EventAggregate.Property("browser")),
    /** The version of a message a hit came from (its links carry it). */
    VERSION(new EventAggregate.Property("message_version"));

    private final EventAggregate.Dimension column;

    Dimension(EventAggregate.Dimension column) {
        this.column = column;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    EventAggregate.Dimension column() {
        return column;
    }

    public boolean isTime() {
        return column instanceof EventAggregate.Time;
    }

    public static Optional<Dimension> find(String id) {
        return Arrays.stream(values()).filter(d -> d.id().equals(id)).findFirst();
    }
}
