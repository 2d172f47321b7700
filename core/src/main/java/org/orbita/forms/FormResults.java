package org.orbita.forms;

import java.io.IOException;
import java.io.OutputStream;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.InvalidInputException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.tabular.TableExport;

/**
 * What a form's visitors did, read from the event log: views, starts, submissions (and spam
 * refused), the conversion; the answers, newest first, filtered by one; every answer exported as
 * CSV, streamed; and for an NPS question the promoters (9–10), passives (7–8), detractors (0–6),
 * the score (% promoters − % detractors) and its trend by week.
 */
public final class FormResults {

    /** The funnel of a form. */
    public record Summary(long views, long starts, long submissions, long rejected, double conversion) {}

    /** One submission as the answers table shows it. */
    public record Answer(String submission, String profileId, Instant at, Map<String, Object> answers, String page) {}

    /** Net Promoter Score of one question: overall and by week (weeks starting on Monday, UTC). */
    public record Nps(String field, long promoters, long passives, long detractors, Double score, List<Week> weeks) {}

    public record Week(LocalDate from, long promoters, long passives, long detractors, Double score) {}

    private final Forms forms;
    private final EventLog events;
    private final Access access;

    public FormResults(Forms forms, EventLog events, Access access) {
        this.forms = forms;
        this.events = events;
        this.access = access;
    }

    public Summary summary(String workspaceId, String formId) {
        Form form = forms.get(workspaceId, formId);
        Map<String, long[]> t = events.tally(form.database(), Map.of("form", form.id()),
                Set.of(FormSubmissions.VIEWED, FormSubmissions.STARTED, FormSubmissions.SUBMITTED, FormSubmissions.REJECTED));
        long views = count(t, FormSubmissions.VIEWED);
        long submissions = count(t, FormSubmissions.SUBMITTED);
        return new Summary(views, count(t, FormSubmissions.STARTED), submissions, count(t, FormSubmissions.REJECTED),
                views == 0 ? 0 : Math.round(1000.0 * submissions / views) / 10.0);
    }

    private static long count(Map<String, long[]> tally, String type) {
        long[] c = tally.get(type);
        return c == null ? 0 : c[0];
    }

    /** The newest {@code limit} submissions, those whose answer to {@code field} contains {@code value} when both are given. */
    public List<Answer> answers(String workspaceId, String formId, String field, String value, int limit) {
        Form form = forms.get(workspaceId, formId);
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", limit, "from 1 to 1000");
        }
        if (field != null && form.field(field).isEmpty()) {
            throw new InvalidInputException("field", field, "is not a question of this form");
        }
        Deque<Answer> newest = new ArrayDeque<>();
        each(form, a -> {
            if (field != null && value != null && !text(a.answers().get(field)).toLowerCase().contains(value.toLowerCase())) {
                return;
            }
            newest.addFirst(a);
            if (newest.size() > limit) {
                newest.removeLast();
            }
        });
        return new ArrayList<>(newest);
    }

    /**
     * Asks, before an export starts streaming (on another thread), that the one acting may export
     * this form's answers in that format; answers the form.
     */
    public Form allowExport(String workspaceId, String formId, String format) {
        access.require(Resource.FORMS, Action.EXPORT);
        TableExport.checkFormat(format);
        return forms.get(workspaceId, formId);
    }

    /** Every submission of a form {@link #allowExport allowed} — submitted at, profile, page, each question — as CSV or XLSX, streamed. */
    public void export(Form form, String format, OutputStream out) throws IOException {
        List<String> header = new ArrayList<>(List.of("submitted_at", "profile_id", "page"));
        form.fields().forEach(f -> header.add(f.name()));
        TableExport.write(format, form.name(), header, out, rows -> TableExport.unchecked(() -> each(form, a -> {
            List<String> row = new ArrayList<>(List.of(a.at().toString(), a.profileId(), a.page() == null ? "" : a.page()));
            form.fields().forEach(f -> row.add(text(a.answers().get(f.name()))));
            TableExport.add(rows, row);
        })));
    }

    public Nps nps(String workspaceId, String formId, String field) {
        Form form = forms.get(workspaceId, formId);
        if (form.field(field).filter(f -> f.type().equals("nps")).isEmpty()) {
            throw new InvalidInputException("field", field, "must be an NPS question of this form");
        }
        long[] all = new long[3];
        TreeMap<LocalDate, long[]> byWeek = new TreeMap<>();
        each(form, a -> {
            if (!(a.answers().get(field) instanceof Number n)) {
                return;
            }
            int bucket = n.intValue() >= 9 ? 0 : n.intValue() >= 7 ? 1 : 2;
            all[bucket]++;
            LocalDate week = a.at().atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            byWeek.computeIfAbsent(week, w -> new long[3])[bucket]++;
        });
        List<Week> weeks = byWeek.entrySet().stream().map(e -> new Week(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2],
                score(e.getValue()))).toList();
        return new Nps(field, all[0], all[1], all[2], score(all), weeks);
    }

    /**
     * The profiles that answered an NPS question with 0 to 6 (each answer's profile, oldest
     * first; a person who answered twice may come twice) — for a segment of detractors.
     */
    public Form detractors(String workspaceId, String formId, String field, java.util.function.Consumer<String> profileIds) {
        Form form = forms.get(workspaceId, formId);
        if (form.field(field).filter(f -> f.type().equals("nps")).isEmpty()) {
            throw new InvalidInputException("field", field, "must be an NPS question of this form");
        }
        each(form, a -> {
            if (a.answers().get(field) instanceof Number n && n.intValue() <= 6 && a.profileId() != null) {
                profileIds.accept(a.profileId());
            }
        });
        return form;
    }

    /** % promoters − % detractors, one decimal; null without answers. */
    static Double score(long[] c) {
        long n = c[0] + c[1] + c[2];
        return n == 0 ? null : Math.round(1000.0 * (c[0] - c[2]) / n) / 10.0;
    }

    /** Every submission of the form, oldest first, streamed from the log. */
    private void each(Form form, java.util.function.Consumer<Answer> action) {
        events.scan(form.database(), form.createdAt(), Set.of(FormSubmissions.SUBMITTED), e -> {
            if (form.id().equals(e.properties().get("form"))) {
                action.accept(answer(e));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Answer answer(Event e) {
        Object answers = e.properties().get("answers");
        return new Answer(String.valueOf(e.properties().get("submission")), e.profileId(), e.time(),
                answers instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(), (String) e.properties().get("page"));
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Collection<?> many) {
            return String.join("; ", many.stream().map(String::valueOf).toList());
        }
        return String.valueOf(v);
    }
}
