package org.orbita.retargeting;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * Google Ads Customer Match through an offline user data job (Google Ads API, REST): an access
 * token from the OAuth refresh token, then {@code customers/{id}/offlineUserDataJobs:create} for
 * the user list (with the users' consent to ad data and personalisation), {@code :addOperations}
 * with {@code create} and {@code remove} operations ({@code hashedEmail}, {@code hashedPhoneNumber}
 * — the phone hashed in E.164 with its {@code +}), {@code :run}, and the job's status read by
 * {@code googleAds:search} until it is done (or still running when the sync ends: the next one
 * sees it). Errors: 429, {@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE} and 5xx tried again; the
 * rest refused with the first GoogleAdsFailure's code and message.
 */
public final class GoogleCustomerMatch implements AudienceDestination {

    public record Settings(String apiUrl, String tokenUrl, String customerId, String userListId, String developerToken, String clientId,
                           String clientSecret, String refreshToken, String loginCustomerId) {}

    private final PlatformCalls calls;
    private final Settings s;
    private final Duration pollEvery;
    private final int polls;
    private String accessToken;
    private String job;

    public GoogleCustomerMatch(Settings settings, NetworkGuard guard, Duration pollEvery, int polls) {
        this.s = settings;
        this.calls = new PlatformCalls(guard);
        this.pollEvery = pollEvery;
        this.polls = polls;
    }

    @Override
    public Member member(String profileId, Object email, Object phone) {
        return AudienceDestination.hashed(profileId, email, phone, true);
    }

    @Override
    public int batch() {
        return 10_000;
    }

    @Override
    public int minimumSize() {
        return 100;
    }

    @Override
    public String add(List<Member> members) {
        operations("create", members);
        return null;
    }

    @Override
    public void remove(List<Member> members) {
        operations("remove", members);
    }

    private void operations(String kind, List<Member> members) {
        List<Map<String, Object>> ops = new ArrayList<>();
        for (Member m : members) {
            List<Map<String, String>> ids = new ArrayList<>();
            if (m.email() != null) {
                ids.add(Map.of("hashedEmail", m.email()));
            }
            if (m.phone() != null) {
                ids.add(Map.of("hashedPhoneNumber", m.phone()));
            }
            ops.add(Map.of(kind, Map.of("userIdentifiers", ids)));
        }
        JsonNode answer = post("/" + job() + ":addOperations", Map.of("enablePartialFailure", true, "operations", ops));
        if (answer.has("partialFailureError")) {
            throw new Refused("Google Ads refused some operations: " + answer.at("/partialFailureError/message").asText(), false);
        }
    }

    /** Runs the job and waits for it a while: {@code SUCCESS}, or {@code RUNNING} when it takes longer. */
    @Override
    public String finish() {
        if (job == null) {
            return null;
        }
        post("/" + job + ":run", Map.of());
        String status = "PENDING";
        for (int i = 0; i < polls; i++) {
            JsonNode found = post("/customers/" + s.customerId() + "/googleAds:search", Map.of("query",
                    "SELECT offline_user_data_job.status, offline_user_data_job.failure_reason FROM offline_user_data_job"
                            + " WHERE offline_user_data_job.resource_name = '" + job + "'"));
            JsonNode j = found.at("/results/0/offlineUserDataJob");
            status = j.path("status").asText("UNKNOWN");
            if (status.equals("FAILED")) {
                throw new Refused("Google Ads's job failed: " + j.path("failureReason").asText("no reason given"), false);
            }
            if (status.equals("SUCCESS")) {
                break;
            }
            try {
                Thread.sleep(pollEvery.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        job = null;
        return status;
    }

    private String job() {
        if (job == null) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("userList", "customers/" + s.customerId() + "/userLists/" + s.userListId());
            metadata.put("consent", Map.of("adUserData", "GRANTED", "adPersonalization", "GRANTED"));
            JsonNode made = post("/customers/" + s.customerId() + "/offlineUserDataJobs:create", Map.of("job",
                    Map.of("type", "CUSTOMER_MATCH_USER_LIST", "customerMatchUserListMetadata", metadata)));
            job = made.path("resourceName").asText(null);
            if (job == null) {
                throw new Refused("Google Ads made no job: " + made, false);
            }
        }
        return job;
    }

    private String token() {
        if (accessToken == null) {
            String form = "grant_type=refresh_token&client_id=" + enc(s.clientId()) + "&client_secret=" + enc(s.clientSecret()) + "&refresh_token="
                    + enc(s.refreshToken());
            HttpResponse<String> r = calls.send(HttpRequest.newBuilder(java.net.URI.create(s.tokenUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)), "Google OAuth");
            JsonNode answer = MetaAudiences.json(r.body());
            if (r.statusCode() / 100 != 2 || !answer.hasNonNull("access_token")) {
                throw new Refused("Google OAuth: " + answer.path("error").asText("HTTP " + r.statusCode()) + " "
                        + answer.path("error_description").asText(""), r.statusCode() >= 500);
            }
            accessToken = answer.get("access_token").asText();
        }
        return accessToken;
    }

    private JsonNode post(String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(PlatformCalls.uri(s.apiUrl(), path)).header("Authorization", "Bearer " + token())
                .header("developer-token", s.developerToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (s.loginCustomerId() != null && !s.loginCustomerId().isBlank()) {
            b.header("login-customer-id", s.loginCustomerId());
        }
        HttpResponse<String> r = calls.send(b, "Google Ads");
        JsonNode answer = MetaAudiences.json(r.body());
        if (r.statusCode() / 100 == 2) {
            return answer;
        }
        JsonNode error = answer.path("error");
        String status = error.path("status").asText("");
        JsonNode failure = error.at("/details/0/errors/0");
        String code = failure.path("errorCode").isObject() && failure.path("errorCode").fields().hasNext()
                ? failure.path("errorCode").fields().next().getValue().asText() : status;
        String message = failure.path("message").asText(error.path("message").asText("HTTP " + r.statusCode()));
        throw new Refused("Google Ads " + (code.isEmpty() ? "HTTP " + r.statusCode() : code) + ": " + message,
                r.statusCode() == 429 || r.statusCode() >= 500 || status.equals("RESOURCE_EXHAUSTED") || status.equals("UNAVAILABLE"));
    }

    private static String enc(String v) {
        return URLEncoder.encode(v == null ? "" : v, StandardCharsets.UTF_8);
    }
}
