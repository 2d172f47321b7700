package org.orbita.popups;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.audiences.SegmentMembers;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.common.Signer;
import org.orbita.popups.Popup.Budget;
import org.orbita.popups.Popup.Frequency;
import org.orbita.popups.Popup.Trigger;
import org.orbita.popups.Popup.UrlRule;
import org.orbita.popups.Popup.Variant;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.orbita.sites.Site;
import org.orbita.sites.Sites;
import org.orbita.sites.Visitors;

/**
 * A workspace's pop-ups ({@link Popup}) and each site's pop-up budget, kept in the settings
 * store. Made and changed by people allowed to write forms (Altcraft keeps forms and pop-ups
 * together), each checked whole, every problem named by its path. The public side — the site's
 * script, previews, which segment-targeted pop-ups a visitor may see — asks no permission: the
 * ids are public and only what a page needs is handed out.
 */
public final class Popups {

    public static final Set<String> KINDS = Set.of("modal", "slide-in", "bar", "full-screen");
    public static final Map<String, List<String>> POSITIONS = Map.of("modal", List.of("center"), "full-screen", List.of("center"),
            "slide-in", List.of("bottom-right", "bottom-left", "top-right", "top-left"), "bar", List.of("top", "bottom"));
    public static final Set<String> TRIGGERS = Set.of("load", "delay", "scroll", "exit", "inactivity", "manual");
    public static final Set<String> DEVICES = Set.of("any", "desktop", "mobile");
    public static final Set<String> VISITORS = Set.of("any", "new", "returning");
    public static final Set<String> FREQUENCIES = Set.of("always", "once", "session", "interval");
    public static final Set<String> URL_MATCHES = Set.of("contains", "equals", "matches");
    static final int MAX_VARIANTS = 4;
    static final int MAX_HTML = 100 * 1024;
    static final int MAX_CODE = 50 * 1024;
    private static final Pattern VARIANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,19}");
    private static final String PREVIEW = "popup-preview";
    private static final long CACHE_MS = 10_000;

    /** What a person gives to make or change a pop-up; absent parts keep what they were. {@code template}: start from it (new pop-ups). */
    public record PopupInput(String name, String site, String template, String kind, String position, List<Variant> variants, Trigger trigger,
                             Frequency frequency, Boolean published) {}

    /** Where a form's script is, for a form of the workspace (empty: no such form). */
    public interface FormScripts {
        Optional<String> script(String workspaceId, String formId);
    }

    private final Documents<Popup> popups;
    private final Documents<Budget> budgets;
    private final Sites sites;
    private final Visitors visitors;
    private final SegmentMembers members;
    private final BiFunction<String, String, Optional<String>> segmentDatabase;
    private final FormScripts forms;
    private final Signer signer;
    private final Access access;
    private final Clock clock;
    private final org.orbita.common.ShortCache<List<Popup>> bySite;

    public Popups(SettingsStore settings, Sites sites, Visitors visitors, SegmentMembers members,
                  BiFunction<String, String, Optional<String>> segmentDatabase, FormScripts forms, Signer signer, Access access, Clock clock) {
        this.popups = new Documents<>(settings, "popups", Popup.class, Popup::id);
        this.budgets = new Documents<>(settings, "popup-budgets", Budget.class, Budget::site);
        this.sites = sites;
        this.visitors = visitors;
        this.members = members;
        this.segmentDatabase = segmentDatabase;
        this.forms = forms;
        this.signer = signer;
        this.access = access;
        this.clock = clock;
        this.bySite = new org.orbita.common.ShortCache<>(clock, CACHE_MS, 10_000);
        sites.onDelete(this::forgetSite);
    }

    public List<Popup> list(String workspaceId) {
        access.require(Resource.FORMS, Action.READ);
        return popups.list().stream().filter(p -> p.workspaceId().equals(workspaceId)).toList();
    }

    public Popup get(String workspaceId, String id) {
        access.require(Resource.FORMS, Action.READ);
        return popups.get(id).filter(p -> p.workspaceId().equals(workspaceId)).orElseThrow(() -> new NotFoundException("popup", id));
    }

    public Popup create(String workspaceId, PopupInput input) {
        access.require(Resource.FORMS, Action.WRITE);
        Instant now = clock.instant();
        Popup p = checked(workspaceId, Ids.next(), input, null, now, now);
        popups.put(p);
        bySite.forget(p.site());
        access.changed(Resource.FORMS, Action.WRITE, p.id(), null, p);
        return p;
    }

    public Popup update(String workspaceId, String id, PopupInput input) {
        access.require(Resource.FORMS, Action.WRITE);
        Popup before = get(workspaceId, id);
        Popup after = checked(workspaceId, id, input, before, before.createdAt(), clock.instant());
        popups.put(after);
        bySite.forget(before.site());
        bySite.forget(after.site());
        access.changed(Resource.FORMS, Action.WRITE, id, before, after);
        return after;
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.FORMS, Action.DELETE);
        Popup before = get(workspaceId, id);
        popups.delete(id);
        bySite.forget(before.site());
        access.changed(Resource.FORMS, Action.DELETE, id, before, null);
    }

    /** The budget all pop-ups of a site share (none set: at most 2 a visit, 30 seconds apart). */
    public Budget budget(String workspaceId, String siteId) {
        access.require(Resource.FORMS, Action.READ);
        site(workspaceId, siteId);
        return budgetOf(siteId);
    }

    public Budget setBudget(String workspaceId, String siteId, Integer perSession, Integer gapSeconds) {
        access.require(Resource.FORMS, Action.WRITE);
        site(workspaceId, siteId);
        List<FieldError> errors = new ArrayList<>();
        if (perSession == null || perSession < 0 || perSession > 100) {
            errors.add(FieldError.of("perSession", perSession, "from 0 (no limit) to 100 pop-ups a visit"));
        }
        if (gapSeconds == null || gapSeconds < 0 || gapSeconds > 86_400) {
            errors.add(FieldError.of("gapSeconds", gapSeconds, "from 0 to 86400 seconds between two pop-ups"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Budget before = budgetOf(siteId);
        Budget after = budgets.put(new Budget(siteId, perSession, gapSeconds));
        bySite.forget(siteId);
        access.changed(Resource.FORMS, Action.WRITE, "budget:" + siteId, before, after);
        return after;
    }

    /** The site's budget as its script sees it. */
    public Budget budgetOf(String siteId) {
        return budgets.get(siteId).orElse(new Budget(siteId, 2, 30));
    }

    /** The published pop-ups of a site, as its script shows them (no permission asked). */
    public List<Popup> live(String siteId) {
        return bySite.get(siteId, site -> popups.list().stream().filter(p -> p.site().equals(site) && p.published()).toList());
    }

    /** A pop-up of a site by its public id, published or not (for the facts its events record). */
    public Optional<Popup> ofSite(String siteId, String popupId) {
        return popupId == null || popupId.length() > 40 ? Optional.empty() : popups.get(popupId).filter(p -> p.site().equals(siteId));
    }

    /** A pop-up's name for a report's rows (the report asked its own permission). */
    public Optional<String> name(String workspaceId, String id) {
        return popups.get(id).filter(p -> p.workspaceId().equals(workspaceId)).map(Popup::name);
    }

    /**
     * Of a site's segment-targeted pop-ups, those a visitor may see: the visitor is identified
     * (linked to a profile) and the profile is a member of the pop-up's segment now.
     */
    public List<String> eligible(String siteId, String visitorId) {
        List<Popup> targeted = live(siteId).stream().filter(p -> p.trigger().segment() != null).toList();
        Site site = sites.published(siteId).orElse(null);
        if (targeted.isEmpty() || site == null || visitorId == null || !visitorId.matches("[A-Za-z0-9_-]{8,64}")) {
            return List.of();
        }
        Optional<Visitors.Merge> link = visitors.linkOf(site.database(), visitorId);
        if (link.isEmpty()) {
            return List.of();
        }
        Set<String> segments = members.segmentsOf(site.database(), link.get().profileId());
        return targeted.stream().filter(p -> segments.contains(p.trigger().segment())).map(Popup::id).toList();
    }

    /** A link that shows the pop-up as it is now on any page of its site, for an hour, in that tab only. */
    public String previewToken(String workspaceId, String id) {
        return signer.expiring(PREVIEW, get(workspaceId, id).id(), clock.instant().plusSeconds(3600));
    }

    /**
     * A page of the pop-up's site ({@code url}; none: its first domain's home) with the preview token:
     * opened, that tab shows the pop-up as it is now.
     */
    public String previewLink(String workspaceId, String id, String url) {
        Popup p = get(workspaceId, id);
        Site site = site(workspaceId, p.site());
        String page = url == null || url.isBlank() ? "https://" + site.domains().get(0) + "/" : url.strip();
        if (!page.matches("(?i)https?://[^\\s#]{1,2000}") || !site.allows(org.orbita.sites.SiteHits.host(page))) {
            throw new InvalidInputException("url", url, "must be an http(s) address on one of the site's domains " + site.domains());
        }
        return page + (page.contains("?") ? "&" : "?") + "orbita_popup=" + previewToken(workspaceId, id);
    }

    /** The pop-up a preview token names, when it checks, is in time and is of this site. */
    public Optional<Popup> previewed(String siteId, String token) {
        return signer.unexpired(PREVIEW, token, clock.instant()).flatMap(id -> ofSite(siteId, id));
    }

    /**
     * A variant as the page of its sandboxed frame: the shared looks, its CSS, its HTML with the
     * form drawn at {@code {{form}}}, the bridge that reports closes, conversions and its height to
     * the site's script, then its own script.
     */
    public String document(Popup popup, Variant v) {
        String form = v.form() == null ? "" : forms.script(popup.workspaceId(), v.form())
                .map(src -> "<div data-orbita-form=\"" + v.form() + "\"></div><script src=\"" + src + "\"></script>").orElse("");
        String html = v.html() == null ? "" : v.html();
        html = html.contains("{{form}}") ? html.replace("{{form}}", form) : html + form;
        return "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<style>" + PopupTemplates.BASE_CSS + (v.css() == null ? "" : v.css()) + "</style></head><body>" + html
                + "<script>" + BRIDGE + "</script>" + (v.script() == null || v.script().isBlank() ? "" : "<script>" + v.script() + "</script>")
                + "</body></html>";
    }

    /** Inside the frame: tells the page (and nothing else — the frame has no other way out) what happened in it. */
    private static final String BRIDGE = "(function(){function post(m){parent.postMessage({orbitaPopup:m},'*')}"
            + "document.addEventListener('click',function(e){var t=e.target&&e.target.closest&&e.target.closest('[data-orbita-convert],[data-orbita-close]');"
            + "if(!t)return;if(t.getAttribute('href')==='#')e.preventDefault();"
            + "if(t.hasAttribute('data-orbita-convert'))post({action:'convert',label:t.getAttribute('data-orbita-convert')||''});"
            + "if(t.hasAttribute('data-orbita-close'))post({action:'close'})});"
            + "document.addEventListener('submit',function(e){if(e.target.closest&&e.target.closest('[data-orbita-form]'))return;e.preventDefault();"
            + "post({action:'convert',label:'form'})},true);"
            + "document.addEventListener('orbita:form-submitted',function(){post({action:'convert',label:'form'})});"
            + "function size(){var b=document.body,c=getComputedStyle(b);post({action:'size',height:Math.ceil(b.getBoundingClientRect().height"
            + "+parseFloat(c.marginTop)+parseFloat(c.marginBottom))})}"
            + "addEventListener('load',size);if(window.ResizeObserver)new ResizeObserver(size).observe(document.body);size();"
            + "window.orbitaPopup={close:function(){post({action:'close'})},convert:function(l){post({action:'convert',label:l||''})}}})();";

    private void forgetSite(String siteId) {
        for (Popup p : popups.list()) {
            if (p.site().equals(siteId)) {
                popups.delete(p.id());
            }
        }
        budgets.delete(siteId);
        bySite.forget(siteId);
    }

    private Site site(String workspaceId, String siteId) {
        return sites.published(siteId).filter(s -> s.workspaceId().equals(workspaceId)).orElseThrow(() -> new NotFoundException("site", siteId));
    }

    private Popup checked(String workspaceId, String id, PopupInput in, Popup before, Instant created, Instant now) {
        if (in == null) {
            throw new InvalidInputException("popup", null, "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String siteId = in.site() != null ? in.site() : before != null ? before.site() : null;
        Site site = siteId == null ? null : sites.published(siteId).filter(s -> s.workspaceId().equals(workspaceId)).orElse(null);
        if (site == null) {
            throw new InvalidInputException("site", siteId, siteId == null ? "is required: the site it is shown on" : "no such site in this workspace");
        }
        PopupTemplates.Template template = null;
        if (in.template() != null) {
            template = PopupTemplates.find(in.template()).orElse(null);
            if (template == null) {
                errors.add(FieldError.of("template", in.template(), "no such template: one of "
                        + PopupTemplates.all().stream().map(PopupTemplates.Template::id).toList()));
            }
        }
        String name = in.name() != null ? in.name().strip() : before != null ? before.name() : template != null ? template.name().get("en") : null;
        if (name == null || name.isEmpty() || name.length() > 100) {
            errors.add(FieldError.of("name", in.name(), "is required: 1 to 100 characters"));
        }
        String kind = lower(in.kind() != null ? in.kind() : before != null ? before.kind() : template != null ? template.kind() : "modal");
        if (!KINDS.contains(kind)) {
            errors.add(FieldError.of("kind", in.kind(), "must be one of " + sorted(KINDS)));
        }
        String position = lower(in.position() != null ? in.position() : before != null && kind.equals(before.kind()) ? before.position()
                : template != null && kind.equals(template.kind()) ? template.position() : POSITIONS.getOrDefault(kind, List.of("center")).get(0));
        if (KINDS.contains(kind) && !POSITIONS.get(kind).contains(position)) {
            errors.add(FieldError.of("position", in.position(), "a " + kind + " stands at one of " + POSITIONS.get(kind)));
        }
        List<Variant> given = in.variants() != null ? in.variants() : before != null ? before.variants()
                : template != null ? List.of(new Variant("a", template.id(), template.html(), template.css(), null, null, template.width(), 1))
                : List.of();
        List<Variant> variants = variants(workspaceId, given, errors);
        Trigger trigger = trigger(in.trigger() != null ? in.trigger() : before != null ? before.trigger() : Trigger.DEFAULT, site, errors);
        Frequency frequency = frequency(in.frequency() != null ? in.frequency() : before != null ? before.frequency() : Frequency.DEFAULT, errors);
        boolean published = in.published() != null ? in.published() : before != null && before.published();
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Popup(id, workspaceId, site.id(), name, kind, position, variants, trigger, frequency, published, created, now);
    }

    private List<Variant> variants(String workspaceId, List<Variant> given, List<FieldError> errors) {
        if (given.isEmpty() || given.size() > MAX_VARIANTS) {
            errors.add(FieldError.of("variants", null, "1 to " + MAX_VARIANTS + " variants (more than one: an A/B test)"));
            return List.of();
        }
        List<Variant> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int weights = 0;
        for (int i = 0; i < given.size(); i++) {
            Variant v = given.get(i);
            String p = "variants[" + i + "].";
            if (v == null) {
                errors.add(FieldError.of("variants[" + i + "]", null, "must be an object"));
                continue;
            }
            String vid = v.id() == null || v.id().isBlank() ? String.valueOf((char) ('a' + i)) : v.id().strip();
            if (!VARIANT_ID.matcher(vid).matches() || !ids.add(vid)) {
                errors.add(FieldError.of(p + "id", v.id(), "1 to 20 of a-z 0-9 -, unique in the pop-up"));
            }
            if (v.template() != null && PopupTemplates.find(v.template()).isEmpty()) {
                errors.add(FieldError.of(p + "template", v.template(), "no such template"));
            }
            String html = v.html() == null ? "" : v.html();
            if (html.isBlank() && v.form() == null) {
                errors.add(FieldError.of(p + "html", null, "the pop-up's content is required (or a form to show)"));
            } else if (html.getBytes(StandardCharsets.UTF_8).length > MAX_HTML) {
                errors.add(FieldError.of(p + "html", null, "at most " + MAX_HTML / 1024 + " KB"));
            }
            for (String[] code : new String[][] {{"css", v.css()}, {"script", v.script()}}) {
                if (code[1] != null && code[1].getBytes(StandardCharsets.UTF_8).length > MAX_CODE) {
                    errors.add(FieldError.of(p + code[0], null, "at most " + MAX_CODE / 1024 + " KB"));
                }
            }
            if (v.form() != null && forms.script(workspaceId, v.form()).isEmpty()) {
                errors.add(FieldError.of(p + "form", v.form(), "no such form in this workspace"));
            }
            if (v.width() != null && (v.width() < 200 || v.width() > 1600)) {
                errors.add(FieldError.of(p + "width", v.width(), "from 200 to 1600 pixels"));
            }
            int weight = v.weight() == null ? 1 : v.weight();
            if (weight < 0 || weight > 100) {
                errors.add(FieldError.of(p + "weight", v.weight(), "a share from 0 to 100"));
            }
            weights += Math.max(weight, 0);
            out.add(new Variant(vid, v.template(), html, v.css(), v.script(), v.form(), v.width(), weight));
        }
        if (weights == 0 && !out.isEmpty()) {
            errors.add(FieldError.of("variants", null, "at least one variant needs a weight above 0"));
        }
        return out;
    }

    private Trigger trigger(Trigger t, Site site, List<FieldError> errors) {
        String on = lower(t.on());
        if (!TRIGGERS.contains(on)) {
            errors.add(FieldError.of("trigger.on", t.on(), "must be one of " + sorted(TRIGGERS)));
        }
        Integer seconds = null;
        Integer percent = null;
        if (on.equals("delay") || on.equals("inactivity")) {
            seconds = t.seconds() == null ? 5 : t.seconds();
            if (seconds < 0 || seconds > 3600) {
                errors.add(FieldError.of("trigger.seconds", t.seconds(), "from 0 to 3600 seconds"));
            }
        }
        if (on.equals("scroll")) {
            percent = t.percent() == null ? 50 : t.percent();
            if (percent < 1 || percent > 100) {
                errors.add(FieldError.of("trigger.percent", t.percent(), "from 1 to 100 per cent of the page"));
            }
        }
        if (t.pages() != null && (t.pages() < 1 || t.pages() > 1000)) {
            errors.add(FieldError.of("trigger.pages", t.pages(), "from 1 to 1000 pages seen in the visit"));
        }
        if (t.urls().size() > 20) {
            errors.add(FieldError.of("trigger.urls", null, "at most 20 page rules"));
        }
        List<UrlRule> urls = new ArrayList<>();
        for (int i = 0; i < t.urls().size() && i < 20; i++) {
            UrlRule r = t.urls().get(i);
            String p = "trigger.urls[" + i + "].";
            String match = r == null ? "" : lower(r.match() == null ? "contains" : r.match());
            if (!URL_MATCHES.contains(match)) {
                errors.add(FieldError.of(p + "match", r == null ? null : r.match(), "must be one of " + sorted(URL_MATCHES)));
                continue;
            }
            if (r.value() == null || r.value().isEmpty() || r.value().length() > 500) {
                errors.add(FieldError.of(p + "value", r.value(), "1 to 500 characters"));
                continue;
            }
            if (match.equals("matches")) {
                try {
                    Pattern.compile(r.value());
                } catch (PatternSyntaxException e) {
                    errors.add(FieldError.of(p + "value", r.value(), "is not a regular expression: " + e.getDescription()));
                }
            }
            urls.add(new UrlRule(match, r.value(), r.exclude()));
        }
        String device = lower(t.device() == null ? "any" : t.device());
        if (!DEVICES.contains(device)) {
            errors.add(FieldError.of("trigger.device", t.device(), "must be one of " + sorted(DEVICES)));
        }
        String visitor = lower(t.visitor() == null ? "any" : t.visitor());
        if (!VISITORS.contains(visitor)) {
            errors.add(FieldError.of("trigger.visitor", t.visitor(), "must be one of " + sorted(VISITORS)));
        }
        String segment = t.segment() == null || t.segment().isBlank() ? null : t.segment().strip();
        if (segment != null && !segmentDatabase.apply(site.workspaceId(), segment).map(site.database()::equals).orElse(false)) {
            errors.add(FieldError.of("trigger.segment", segment, "must be a segment of the site's database"));
        }
        return new Trigger(on, seconds, percent, t.pages(), urls, device, visitor, segment);
    }

    private static Frequency frequency(Frequency f, List<FieldError> errors) {
        String mode = lower(f.mode());
        if (!FREQUENCIES.contains(mode)) {
            errors.add(FieldError.of("frequency.mode", f.mode(), "must be one of " + sorted(FREQUENCIES)));
        }
        Integer minutes = null;
        if (mode.equals("interval")) {
            minutes = f.minutes();
            if (minutes == null || minutes < 1 || minutes > 525_600) {
                errors.add(FieldError.of("frequency.minutes", f.minutes(), "from 1 minute to 525600 (a year) between two showings"));
            }
        }
        return new Frequency(mode, minutes, f.stopAfterConversion());
    }

    /** The facts a pop-up's event records beside the page's: its template and kind (empty: not a pop-up of this site). */
    public Optional<Map<String, Object>> facts(String siteId, String popupId, String variantId) {
        return ofSite(siteId, popupId).map(p -> {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("popup", p.id());
            facts.put("kind", p.kind());
            p.variant(variantId == null ? "" : variantId).ifPresent(v -> {
                facts.put("variant", v.id());
                if (v.template() != null) {
                    facts.put("template", v.template());
                }
            });
            return facts;
        });
    }

    private static String lower(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
