package org.orbita.mta.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The MTA's JSON: the admin API, injection and the events it publishes share one mapper (times as ISO-8601 text). */
public final class MtaJson {

    public static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private MtaJson() {}
}
