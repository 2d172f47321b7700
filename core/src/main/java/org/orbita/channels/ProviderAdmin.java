package org.orbita.channels;

import java.util.Map;

/** What the settings page and the API do with the channel providers: their settings, their state, a test send. */
public interface ProviderAdmin {

    ProviderSettings settings();

    /** Each channel's provider: {@code ready}, {@code not configured}, or why its settings cannot be used. */
    Map<String, String> status();

    /** Sends a short test through a provider of this kind made from its settings; what the service answered. */
    ChannelProvider.Result test(ProviderSettings.Kind kind, String to);
}
