package org.orbita.app.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's title and its bearer keys: Swagger UI shows "Orbita API" and an Authorize button taking an API key. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String API_KEY = "apiKey";

    @Bean
    OpenAPI orbitaOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Orbita API").version("v1")
                        .description("Profiles, events, segments, messages, campaigns, journeys and settings of one workspace. "
                                + "Authorize with an API key (orb_…) made on the API keys page; each operation names the scope it needs. "
                                + "Errors are application/problem+json naming each field and rule."))
                .components(new Components().addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("orb_<32 hex>_<43 base64url>").description("An Orbita API key")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY));
    }
}
