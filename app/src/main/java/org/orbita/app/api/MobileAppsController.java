package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.common.NotFoundException;
import org.orbita.mobile.DeviceRegistry;
import org.orbita.mobile.MobileSdk;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ProfileStore;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Mobile apps", description = "The server side of a mobile app's SDK: the app's token and JWT key, the address its SDK calls"
        + " (subscribe, suspend, unsubscribe a device; report what became of its pushes), and each profile's devices")
class MobileAppsController {

    private final MobileSdk sdk;
    private final ApiContext context;
    private final ProfileStore profiles;
    private final org.orbita.forms.FormLinks links;

    MobileAppsController(MobileSdk sdk, ApiContext context, ProfileStore profiles, org.orbita.forms.FormLinks links) {
        this.sdk = sdk;
        this.context = context;
        this.profiles = profiles;
        this.links = links;
    }

    /** An app with the full base URL its SDK calls. */
    private Map<String, Object> shown(MobileSdk.View v) {
        @SuppressWarnings("unchecked")
        Map<String, Object> out = new LinkedHashMap<>(org.orbita.common.Json.MAPPER.convertValue(v, Map.class));
        out.put("url", links.root(context.workspaceId()) + v.path());
        out.remove("path");
        return out;
    }

    private Map<String, Object> shown(MobileSdk.Made m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("app", shown(m.app()));
        if (m.appToken() != null) {
            out.put("appToken", m.appToken());
        }
        if (m.jwtSecret() != null) {
            out.put("jwtSecret", m.jwtSecret());
        }
        return out;
    }

    @GetMapping("/api/v1/mobile-apps")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    List<Map<String, Object>> list() {
        return sdk.list(context.workspaceId()).stream().map(this::shown).toList();
    }

    @PostMapping("/api/v1/mobile-apps")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Make an app: id, name, database, resource (of its push subscriptions; default), matching (the keys a JWT may name its"
            + " person by: unique fields or id; default all), jwtAlgorithm (HS256 — a secret is made —, RS256 or ES256 with jwtPublicKey in PEM)."
            + " The answer has appToken and, for HS256, jwtSecret: shown this once")
    Map<String, Object> create(@RequestBody MobileSdk.Input in) {
        return shown(sdk.create(context.workspaceId(), in));
    }

    @GetMapping("/api/v1/mobile-apps/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    Map<String, Object> get(@PathVariable String id) {
        return shown(sdk.get(context.workspaceId(), id));
    }

    @PutMapping("/api/v1/mobile-apps/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Change an app; parts left out stay; enabled: false refuses its SDK's calls (403)")
    Map<String, Object> update(@PathVariable String id, @RequestBody MobileSdk.Input in) {
        return shown(sdk.update(context.workspaceId(), id, in));
    }

    @PostMapping("/api/v1/mobile-apps/{id}/rotate-app-token")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "A new app token, shown this once; the old one stops working now")
    Map<String, Object> rotateAppToken(@PathVariable String id) {
        return shown(sdk.rotateAppToken(context.workspaceId(), id));
    }

    @PostMapping("/api/v1/mobile-apps/{id}/rotate-jwt-secret")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "A new HS256 secret, shown this once; tokens signed with the old one stop working now")
    Map<String, Object> rotateJwtSecret(@PathVariable String id) {
        return shown(sdk.rotateJwtSecret(context.workspaceId(), id));
    }

    @DeleteMapping("/api/v1/mobile-apps/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Delete an app and forget its devices (the profiles' push subscriptions stay)")
    void delete(@PathVariable String id) {
        sdk.delete(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/databases/{db}/profiles/{id}/devices")
    @PreAuthorize("hasAuthority('SCOPE_profiles:read')")
    @Operation(summary = "The profile's devices, newest first: app, address (provider:token), platform, appVersion, created, updated")
    List<DeviceRegistry.Device> devices(@PathVariable String db, @PathVariable String id) {
        ClientDatabase d = context.database(db);
        if (profiles.find(d.id(), id).isEmpty()) {
            throw new NotFoundException("profile", id);
        }
        return sdk.devicesOf(d.id(), id);
    }
}
