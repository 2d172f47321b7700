package org.orbita.retargeting;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * Yandex Audiences (the management API, {@code Authorization: OAuth <token>}): a segment made from
 * a CSV of SHA-256 identifiers ({@code "email","phone"}) by
 * {@code POST /v1/management/segments/upload_csv_file}, then confirmed as hashed CRM data by
 * {@code POST /v1/management/segment/{id}/confirm}; afterwards members added and removed by
 * {@code POST /v1/management/segment/{id}/modify_data?modification_type=addition|subtraction} with
 * a file of the same structure. Phones as digits with the country code. Errors: 429 and 5xx tried
 * again; the rest refused with Yandex's message.
 */
public final class YandexAudiences implements AudienceDestination {

    private final PlatformCalls calls;
    private final String apiUrl;
    private final String token;
    private final String name;
    private volatile String segmentId;

    /**
     * @param apiUrl    {@code https://api-audience.yandex.ru}
     * @param segmentId the segment kept, or null to make one at the first sync
     */
    public YandexAudiences(String apiUrl, String token, String segmentId, String name, NetworkGuard guard) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.segmentId = segmentId == null || segmentId.isBlank() ? null : segmentId;
        this.name = name;
        this.calls = new PlatformCalls(guard);
    }

    @Override
    public Member member(String profileId, Object email, Object phone) {
        return AudienceDestination.hashed(profileId, email, phone, false);
    }

    @Override
    public int batch() {
        return 100_000;
    }

    @Override
    public int minimumSize() {
        return 100;
    }

    @Override
    public String add(List<Member> members) {
        if (segmentId == null) {
            JsonNode made = check(calls.send(multipart(PlatformCalls.uri(apiUrl, "/v1/management/segments/upload_csv_file"), csv(members)), "Yandex Audiences"));
            String id = made.at("/segment/id").asText(null);
            if (id == null) {
                throw new Refused("Yandex Audiences made no segment: " + made, false);
            }
            check(calls.send(HttpRequest.newBuilder(PlatformCalls.uri(apiUrl, "/v1/management/segment/" + id + "/confirm"))
                    .header("Authorization", "OAuth " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("segment", Map.of("id", Long.parseLong(id), "name", name,
                            "hashed", true, "content_type", "crm"))))), "Yandex Audiences"));
            segmentId = id;
            return id;
        }
        modify("addition", members);
        return null;
    }

    @Override
    public void remove(List<Member> members) {
        if (segmentId != null) {
            modify("subtraction", members);
        }
    }

    private void modify(String type, List<Member> members) {
        check(calls.send(multipart(PlatformCalls.uri(apiUrl, "/v1/management/segment/" + segmentId + "/modify_data?modification_type=" + type),
                csv(members)), "Yandex Audiences"));
    }

    /** The file: a header and a quoted row per person. */
    static String csv(List<Member> members) {
        StringBuilder b = new StringBuilder("\"email\",\"phone\"\n");
        for (Member m : members) {
            b.append('"').append(m.email() == null ? "" : m.email()).append("\",\"").append(m.phone() == null ? "" : m.phone()).append("\"\n");
        }
        return b.toString();
    }

    private HttpRequest.Builder multipart(java.net.URI uri, String file) {
        String boundary = "orbita" + Long.toHexString(System.nanoTime());
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.csv\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + file + "\r\n--" + boundary + "--\r\n";
        return HttpRequest.newBuilder(uri).header("Authorization", "OAuth " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private static JsonNode check(HttpResponse<String> r) {
        String platform = "Yandex Audiences";
        JsonNode answer = MetaAudiences.json(r.body());
        if (r.statusCode() / 100 == 2) {
            return answer;
        }
        String message = answer.path("message").asText(answer.at("/errors/0/message").asText("HTTP " + r.statusCode()));
        throw new Refused(platform + " HTTP " + r.statusCode() + ": " + message, r.statusCode() == 429 || r.statusCode() >= 500);
    }
}
