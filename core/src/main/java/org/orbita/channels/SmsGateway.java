package org.orbita.channels;

import java.net.http.HttpClient;
import java.time.Duration;

/** What the HTTP SMS gateways with delivery reports share: their client, their channel, where their reports go. */
abstract class SmsGateway implements ChannelProvider {

    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Receipts receipts;

    @Override
    public final String channel() {
        return "sms";
    }

    @Override
    public final void receipts(Receipts to) {
        this.receipts = to;
    }

    /** Where reports go now (the channel's worker), or null while nothing listens. */
    protected final Receipts receiptsTo() {
        return receipts;
    }
}
