package org.orbita.app.tracking;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.UnavailableException;
import org.orbita.mobile.MobileSdk;
import org.orbita.profiles.Subscription;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What a mobile app's SDK calls, on the public origin, {@code POST /t/sdk/{workspace}/{app}/…}
 * with a JSON body and either {@code Authorization: Bearer <JWT>} (signed by the app's backend,
 * naming the person) or {@code X-App-Token: <token>} (the device alone):
 * <ul>
 *   <li>{@code subscribe}, {@code suspend}, {@code unsubscribe} — {@code {provider, token, platform,
 *       appVersion, replaces: {provider, token}, fields}} → {@code {profile, created, address, status}};</li>
 *   <li>{@code events} — {@code {events: [{id, type, key, provider, token, button, url, time}]}} →
 *       {@code {accepted, repeated, rejected}}.</li>
 * </ul>
 * {@code 400} names each bad field, {@code 401} an unproven caller, {@code 403} an app switched off,
 * {@code 404} an unknown app, {@code 413} past 64 KB.
 */
final class SdkCollect extends OncePerRequestFilter {

    static final Pattern PATH = Pattern.compile("/t/sdk/([A-Za-z0-9_-]{1,64})/([a-z0-9_-]{1,64})/(subscribe|suspend|unsubscribe|events)");
    private static final int MAX = 64 * 1024;

    private final MobileSdk sdk;

    SdkCollect(MobileSdk sdk) {
        this.sdk = sdk;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/t/sdk/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher m = PATH.matcher(request.getRequestURI());
        if (!m.matches()) {
            PublicAnswers.problem(response, 404, "Not found", "the SDK calls …/subscribe, …/suspend, …/unsubscribe and …/events", null);
            return;
        }
        if (!request.getMethod().equals("POST")) {
            PublicAnswers.problem(response, 405, "Method not allowed", "the SDK's calls are POSTed", null);
            return;
        }
        String auth = request.getHeader("Authorization");
        MobileSdk.Caller caller = new MobileSdk.Caller(auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null,
                request.getHeader("X-App-Token"));
        try {
            Map<String, Object> body = PublicAnswers.object(request, MAX, "(see the SDK's calls in the README)");
            String ws = m.group(1);
            String app = m.group(2);
            if (m.group(3).equals("events")) {
                events(response, sdk.events(ws, app, caller, pushEvents(body)));
                return;
            }
            Subscription.Status status = switch (m.group(3)) {
                case "suspend" -> Subscription.Status.SUSPENDED;
                case "unsubscribe" -> Subscription.Status.UNSUBSCRIBED;
                default -> Subscription.Status.ACTIVE;
            };
            MobileSdk.Subscribed s = sdk.subscribe(ws, app, caller, device(body), status);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("profile", s.profileId());
            a.put("created", s.created());
            a.put("address", s.address());
            a.put("status", s.status());
            PublicAnswers.write(response, 200, "application/json", a);
        } catch (InvalidInputException e) {
            PublicAnswers.invalid(response, e);
        } catch (MobileSdk.Refused e) {
            if (e.status() == 401) {
                response.setHeader("WWW-Authenticate", "Bearer");
            }
            PublicAnswers.problem(response, e.status(), e.status() == 401 ? "Unauthorized" : e.status() == 403 ? "Forbidden" : "Not found",
                    e.getMessage(), null);
        } catch (PublicAnswers.TooLarge e) {
            PublicAnswers.problem(response, 413, "Too large", e.getMessage(), null);
        } catch (UnavailableException e) {
            response.setHeader("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
            PublicAnswers.problem(response, 503, "Try again", e.getMessage(), null);
        }
    }

    /** A batch some of whose events were taken is answered 200 with the rest named; one none of whose were, 400. */
    private static void events(HttpServletResponse response, MobileSdk.EventsOutcome o) throws IOException {
        if (o.accepted() == 0 && o.repeated() == 0 && !o.rejected().isEmpty()) {
            List<FieldError> errors = new ArrayList<>();
            o.rejected().forEach(r -> r.errors().forEach(e -> errors.add(new FieldError("events[" + r.index() + "]." + e.field(), e.value(), e.rule()))));
            throw new InvalidInputException(errors);
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("accepted", o.accepted());
        a.put("repeated", o.repeated());
        a.put("rejected", o.rejected());
        PublicAnswers.write(response, 200, "application/json", a);
    }

    private static MobileSdk.DeviceInput device(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        MobileSdk.Replaces replaces = null;
        Object r = body.get("replaces");
        if (r instanceof Map<?, ?> old) {
            replaces = new MobileSdk.Replaces(text(old, "provider", "replaces.", errors), text(old, "token", "replaces.", errors));
        } else if (r != null) {
            errors.add(FieldError.of("replaces", r, "an object {provider, token}: the token this one takes the place of"));
        }
        Object fields = body.get("fields");
        if (fields != null && !(fields instanceof Map)) {
            errors.add(FieldError.of("fields", fields, "an object of profile fields"));
        }
        @SuppressWarnings("unchecked")
        MobileSdk.DeviceInput in = new MobileSdk.DeviceInput(text(body, "provider", "", errors), text(body, "token", "", errors),
                text(body, "platform", "", errors), text(body, "appVersion", "", errors), replaces,
                fields instanceof Map<?, ?> f ? (Map<String, Object>) f : null);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return in;
    }

    private static List<MobileSdk.PushEvent> pushEvents(Map<String, Object> body) {
        if (!(body.get("events") instanceof List<?> list)) {
            throw new InvalidInputException("events", null, "a list of 1 to " + MobileSdk.MAX_EVENTS + " events");
        }
        List<FieldError> errors = new ArrayList<>();
        List<MobileSdk.PushEvent> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> e)) {
                errors.add(FieldError.of("events[" + i + "]", list.get(i), "an object {id, type, key, …}"));
                continue;
            }
            String p = "events[" + i + "].";
            Instant time = null;
            String at = text(e, "time", p, errors);
            if (at != null) {
                try {
                    time = Instant.parse(at);
                } catch (DateTimeParseException x) {
                    errors.add(FieldError.of(p + "time", at, "an ISO-8601 instant, e.g. 2026-12-07T10:15:30Z"));
                }
            }
            out.add(new MobileSdk.PushEvent(text(e, "id", p, errors), text(e, "type", p, errors), text(e, "key", p, errors),
                    text(e, "provider", p, errors), text(e, "token", p, errors), text(e, "button", p, errors), text(e, "url", p, errors), time));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return out;
    }

    private static String text(Map<?, ?> m, String key, String prefix, List<FieldError> errors) {
        Object v = m.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        errors.add(FieldError.of(prefix + key, v, "a string"));
        return null;
    }
}
