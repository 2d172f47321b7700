package org.orbita.app.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.orbita.app.security.ApiPrincipal;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Database ids are per workspace: what the platform stores refers to a database by its storage
 * key, which is another text when another workspace took the id first. In API answers, a
 * property that refers to a database ({@code databaseId}, {@code database}, {@code observers})
 * shows the id the caller's workspace knows it by — so an answer never tells one workspace
 * that another holds an id. Requests are resolved the other way in the services
 * ({@link ClientDatabases#resolve}).
 */
@Component
final class DatabaseIdsInAnswers extends SimpleModule {

    private static final Set<String> PROPERTIES = Set.of("databaseId", "database", "observers");

    DatabaseIdsInAnswers(ClientDatabases databases) {
        super("orbita-database-ids");
        JsonSerializer<Object> asPublicId = new JsonSerializer<>() {
            @Override
            public void serialize(Object value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(publicId(databases, value.toString()));
            }
        };
        setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription bean, List<BeanPropertyWriter> properties) {
                for (BeanPropertyWriter p : properties) {
                    if (PROPERTIES.contains(p.getName()) && p.getType().hasRawClass(String.class) && !p.hasSerializer()) {
                        p.assignSerializer(asPublicId);
                    }
                }
                return properties;
            }
        });
    }

    /** The id the caller's workspace knows a database key by; the text as it is when it is not one of its databases'. */
    private static String publicId(ClientDatabases databases, String key) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof ApiPrincipal caller)) {
            return key;
        }
        return databases.find(key).filter(d -> d.workspaceId().equals(caller.workspaceId())).map(ClientDatabase::publicId).orElse(key);
    }
}
