package org.orbita.retargeting;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.orbita.outbound.NetworkGuard;

/**
 * VK Ads (ads.vk.com, {@code Authorization: Bearer <the cabinet's access token>}): remarketing user
 * lists made from a file — {@code POST /api/v3/remarketing/users_lists.json} as
 * {@code multipart/form-data} with {@code name}, {@code type} ({@code email} or {@code phone}) and
 * {@code file}, one SHA-256 identifier a line; the answer is the list ({@code id}, {@code status}).
 * A list cannot be added to or taken from by this API, so the audience goes as a whole: after a
 * sync whose members changed, every member is written to a temporary file (streamed, never held in
 * memory) and uploaded as a new list, and the list it replaces is deleted
 * ({@code DELETE /api/v3/remarketing/users_lists/{id}.json}); the new list's id is kept on the sync.
 * Phones as digits with the country code. Errors ({@code {"error": {...}}}): 429 and 5xx tried again
 * at the next run; the rest refused with VK's answer.
 */
public final class VkAdsAudiences implements AudienceDestination.WholeList {

    private final PlatformCalls calls;
    private final String apiUrl;
    private final String token;
    private final String type;
    private final String name;
    private final String previousList;

    /**
     * @param apiUrl       {@code https://ads.vk.com}
     * @param type         {@code email} or {@code phone}: which identifier the lists hold
     * @param previousList the list the last sync uploaded (deleted once a new one is made), or null
     */
    public VkAdsAudiences(String apiUrl, String token, String type, String name, String previousList, NetworkGuard guard) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.type = type == null ? "email" : type.strip().toLowerCase(Locale.ROOT);
        if (!this.type.equals("email") && !this.type.equals("phone")) {
            throw new IllegalArgumentException("type: email or phone");
        }
        this.name = name;
        this.previousList = previousList == null || previousList.isBlank() ? null : previousList;
        this.calls = new PlatformCalls(guard);
    }

    @Override
    public Member member(String profileId, Object email, Object phone) {
        Member m = AudienceDestination.hashed(profileId, email, phone, false);
        return m == null || (type.equals("email") ? m.email() : m.phone()) == null ? null : m;
    }

    @Override
    public int batch() {
        return 10_000;
    }

    @Override
    public int minimumSize() {
        return 2_000;
    }

    @Override
    public String add(List<Member> members) {
        return null; // the list goes whole after the sync: replace
    }

    @Override
    public void remove(List<Member> members) {
        // the list goes whole after the sync: replace
    }

    @Override
    public String replace(Iterator<Member> members) {
        Path file = null;
        try {
            file = Files.createTempFile("orbita-vk-list", ".txt");
            long lines = 0;
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
                while (members.hasNext()) {
                    Member m = members.next();
                    String id = type.equals("email") ? m.email() : m.phone();
                    if (id != null) {
                        out.write(id);
                        out.write('\n');
                        lines++;
                    }
                }
            }
            String boundary = "orbita" + Long.toHexString(System.nanoTime());
            String head = part(boundary, "name", name + " (" + lines + ")") + part(boundary, "type", type) + "--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audience.txt\"\r\nContent-Type: text/plain\r\n\r\n";
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                    HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
            JsonNode made = check(calls.send(HttpRequest.newBuilder(PlatformCalls.uri(apiUrl, "/api/v3/remarketing/users_lists.json"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body), "VK Ads"));
            String id = made.path("id").asText("");
            if (id.isEmpty()) {
                throw new Refused("VK Ads made no list: " + made, false);
            }
            if (previousList != null && !previousList.equals(id)) {
                HttpResponse<String> gone = calls.send(HttpRequest.newBuilder(PlatformCalls.uri(apiUrl, "/api/v3/remarketing/users_lists/"
                        + previousList + ".json")).header("Authorization", "Bearer " + token).DELETE(), "VK Ads");
                if (gone.statusCode() / 100 != 2 && gone.statusCode() != 404) {
                    check(gone);
                }
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("the list's file could not be written", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }

    private static String part(String boundary, String field, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"\r\n\r\n" + value + "\r\n";
    }

    private static JsonNode check(HttpResponse<String> r) {
        JsonNode answer = MetaAudiences.json(r.body());
        if (r.statusCode() / 100 == 2) {
            return answer;
        }
        JsonNode error = answer.path("error");
        String message = error.isMissingNode() ? "HTTP " + r.statusCode()
                : error.isTextual() ? error.asText() : error.has("message") ? error.path("message").asText() : error.toString();
        throw new Refused("VK Ads HTTP " + r.statusCode() + ": " + message, r.statusCode() == 429 || r.statusCode() >= 500);
    }
}
