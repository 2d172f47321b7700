package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.orbita.common.InvalidInputException;
import org.orbita.promo.PromoPool;
import org.orbita.promo.PromoPools;
import org.orbita.promo.PromoStore;
import org.orbita.tabular.CsvSource;
import org.orbita.tabular.RowSource;
import org.orbita.tabular.TableExport;
import org.orbita.tabular.XlsxSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@Tag(name = "Promo codes", description = "Pools of promo codes, shaped like Altcraft's loyalty calls: import, get, activate, update, attach, detach,"
        + " export. Messages use {{ promo.code }} from the pool they name; journeys' promo-code node issues one per profile")
class PromoController {

    static final int MAX_CODES_PER_CALL = 10_000;

    private final PromoPools promo;
    private final ApiContext context;

    PromoController(PromoPools promo, ApiContext context) {
        this.promo = promo;
        this.context = context;
    }

    @GetMapping("/api/v1/promo-pools")
    @PreAuthorize("hasAuthority('SCOPE_promo:read')")
    @Operation(summary = "The workspace's pools with their codes counted by state (available, issued, redeemed, expired)")
    List<PromoPools.View> list() {
        return promo.list(context.workspaceId());
    }

    @PostMapping("/api/v1/promo-pools")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "Make a pool: id, name, kind (personal: one code per profile; universal: one code for everyone, with code), pattern"
            + " (# digit, X letter, * either) and checkDigit, validFrom, validUntil, alertBelow, alertEmails, source {url, batch, refillBelow, token}")
    PromoPools.View create(@RequestBody PromoPools.PoolInput in) {
        return promo.create(context.workspaceId(), in);
    }

    @GetMapping("/api/v1/promo-pools/{id}")
    @PreAuthorize("hasAuthority('SCOPE_promo:read')")
    PromoPools.View get(@PathVariable String id) {
        return promo.get(context.workspaceId(), id);
    }

    @PutMapping("/api/v1/promo-pools/{id}")
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "Change a pool (Altcraft's update): parts left out stay; clearValidity removes the window; source.token \"\" removes the token,"
            + " source.url \"\" the service")
    PromoPools.View update(@PathVariable String id, @RequestBody PromoPools.PoolInput in) {
        return promo.update(context.workspaceId(), id, in);
    }

    @DeleteMapping("/api/v1/promo-pools/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    void delete(@PathVariable String id) {
        promo.delete(context.workspaceId(), id);
    }

    record Generate(Long count) {}

    @PostMapping("/api/v1/promo-pools/{id}/generate")
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "Make count more codes by the pool's pattern, all different (up to the pattern's capacity)")
    Map<String, Object> generate(@PathVariable String id, @RequestBody Generate in) {
        if (in == null || in.count() == null) {
            throw new InvalidInputException("count", null, "how many codes to make");
        }
        return promo.generate(context.workspaceId(), id, in.count());
    }

    record Codes(List<String> codes) {}

    @PostMapping(value = "/api/v1/promo-pools/{id}/codes", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "Add codes (Altcraft's import), at most 10,000 a call; each refused code reported with its index (row = index + 1)")
    PromoPools.ImportReport addCodes(@PathVariable String id, @RequestBody Codes in) throws IOException {
        if (in == null || in.codes() == null || in.codes().isEmpty()) {
            throw new InvalidInputException("codes", null, "at least one code");
        }
        if (in.codes().size() > MAX_CODES_PER_CALL) {
            throw new InvalidInputException("codes", in.codes().size(), "at most " + MAX_CODES_PER_CALL + " a call; upload a file for more");
        }
        List<String> codes = new ArrayList<>(in.codes());
        RowSource rows = sink -> {
            for (int i = 0; i < codes.size(); i++) {
                if (!sink.row(i + 2, codes.get(i) == null ? List.of() : List.of(codes.get(i)), null)) {
                    return;
                }
            }
        };
        return promo.importCodes(context.workspaceId(), id, rows);
    }

    @PostMapping(value = "/api/v1/promo-pools/{id}/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "Add the codes of a CSV or XLSX file's first column (a header 'code' skipped); refused rows reported by line")
    PromoPools.ImportReport importFile(@PathVariable String id, @RequestPart("file") MultipartFile file) throws IOException {
        if (file.isEmpty()) {
            throw new InvalidInputException("file", file.getOriginalFilename(), "is empty");
        }
        String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase(Locale.ROOT);
        Path tmp = Files.createTempFile("orbita-promo-", name.endsWith(".xlsx") ? ".xlsx" : ".csv");
        try {
            try (InputStream in = file.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            RowSource rows = name.endsWith(".xlsx") ? new XlsxSource(tmp, 512L << 20) : CsvSource.of(tmp, null, null);
            return promo.importCodes(context.workspaceId(), id, rows);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @GetMapping("/api/v1/promo-pools/{id}/codes")
    @PreAuthorize("hasAuthority('SCOPE_promo:read')")
    @Operation(summary = "A page of the pool's codes in the order they go out: state (optional), after (the last seq of the page before), limit ≤ 1000")
    List<PromoStore.Code> codes(@PathVariable String id, @RequestParam(required = false) String state, @RequestParam(defaultValue = "0") long after,
                                @RequestParam(defaultValue = "100") int limit) {
        return promo.codes(context.workspaceId(), id, state == null || state.isBlank() ? null : PromoStore.State.of(state), after, limit);
    }

    @GetMapping("/api/v1/promo-pools/{id}/export")
    @PreAuthorize("hasAuthority('SCOPE_promo:read')")
    @Operation(summary = "Every code of the pool (Altcraft's export_all), of one state or all, as csv or xlsx, streamed")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String id, @RequestParam(defaultValue = "csv") String format,
                                                 @RequestParam(required = false) String state) {
        PromoStore.State s = state == null || state.isBlank() ? null : PromoStore.State.of(state);
        String f = TableExport.checkFormat(format);
        PromoPool pool = promo.allowExport(context.workspaceId(), id, s, f);
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"promo-" + pool.id() + "." + f + "\"")
                .contentType(MediaType.parseMediaType(TableExport.mediaType(f)))
                .body(out -> promo.export(pool, s, f, out));
    }

    @GetMapping("/api/v1/promo-pools/{id}/codes/{code}")
    @PreAuthorize("hasAuthority('SCOPE_promo:read')")
    @Operation(summary = "One code and where it stands (Altcraft's get): state, profile, issued, redeemed, order")
    PromoStore.Code code(@PathVariable String id, @PathVariable String code) {
        return promo.code(context.workspaceId(), id, code);
    }

    record ToProfile(String code, String database, String profileId, String order) {}

    @PostMapping("/api/v1/promo-pools/{id}/attach")
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "Give a profile a code (Altcraft's attach): the code named, or the pool's next")
    PromoStore.Code attach(@PathVariable String id, @RequestBody ToProfile in) {
        return promo.attach(context.workspaceId(), id, in.code(), database(in.database()), in.profileId());
    }

    @PostMapping("/api/v1/promo-pools/{id}/codes/{code}/activate")
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "Redeem a code once (Altcraft's activate): an issued code for its own profile; an available one for the profile given;"
            + " order names what redeemed it. 409 when it was redeemed, expired, another's, or the pool is outside its validity")
    PromoStore.Code activate(@PathVariable String id, @PathVariable String code, @RequestBody(required = false) ToProfile in) {
        ToProfile body = in == null ? new ToProfile(null, null, null, null) : in;
        return promo.redeem(context.workspaceId(), id, code, database(body.database()), body.profileId(), body.order());
    }

    @PostMapping("/api/v1/promo-pools/{id}/codes/{code}/detach")
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "Take an issued code back from its profile (Altcraft's detach): available again")
    PromoStore.Code detach(@PathVariable String id, @PathVariable String code) {
        return promo.detach(context.workspaceId(), id, code);
    }

    @PostMapping("/api/v1/promo-pools/{id}/codes/{code}/expire")
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "End a code's life: it can no longer be redeemed")
    PromoStore.Code expire(@PathVariable String id, @PathVariable String code) {
        return promo.expire(context.workspaceId(), id, code);
    }

    @PostMapping("/api/v1/promo-pools/{id}/refill")
    @PreAuthorize("hasAuthority('SCOPE_promo:write')")
    @Operation(summary = "Pull a batch from the pool's service now; the outcome (added, or the error) is also the pool's lastRefill")
    PromoPool.Refill refill(@PathVariable String id) {
        return promo.refill(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/databases/{db}/profiles/{profileId}/promo-codes")
    @PreAuthorize("hasAuthority('SCOPE_promo:read')")
    @Operation(summary = "A profile's promo codes in every pool, latest issued first")
    List<PromoStore.Code> ofProfile(@PathVariable String db, @PathVariable String profileId) {
        return promo.ofProfile(context.workspaceId(), context.database(db).id(), profileId);
    }

    private String database(String db) {
        return db == null || db.isBlank() ? null : context.database(db).id();
    }
}
