package org.orbita.profiles;

import java.util.Locale;

/**
 * Where a profile write came from: recorded as {@code source} on the {@code profile.created}
 * and {@code subscription.*} events it adds, so the growth report splits new profiles and
 * subscriptions by it.
 */
public enum ProfileSource {
    /** The REST API (one profile or a batch). */
    API,
    /** A file import. */
    IMPORT,
    /** A scheduled SQL import from an external database. */
    SQL,
    /** A person in the UI (a client's card). */
    MANUAL,
    /** A copy from another database (a journey's copy node too). */
    COPY,
    /** A journey's node (update a field, change a subscription). */
    JOURNEY,
    /** What recipients did with a message: an unsubscribe link, a bounce, a complaint, a STOP reply. */
    MESSAGE,
    /** A website's visitor identified by the tracking snippet. */
    SITE,
    /** A form or survey submitted (on a site, in a hosted page, or by a form webhook). */
    FORM,
    /** A shop's order naming a buyer the database did not have (the market's import). */
    ORDER,
    /** A mobile app's SDK subscribing a device to push (the mobile SDK's server side). */
    PUSH,
    /** The sample data of a first start. */
    SAMPLE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
