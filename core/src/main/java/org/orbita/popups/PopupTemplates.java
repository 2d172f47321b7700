package org.orbita.popups;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ready pop-ups a marketer starts from (Altcraft ships 18; Mautic's focus items have four
 * styles): each a kind, a place, and content to change visually or in code. Buttons marked
 * {@code data-orbita-convert} count a conversion (its value names what, e.g. {@code consent:accept}),
 * {@code data-orbita-close} close it; a form in it converts when sent; {@code {{form}}} is where an
 * Orbita form is drawn.
 */
public final class PopupTemplates {

    /** A template: what it is called per language, and the variant it makes. */
    public record Template(String id, String kind, String position, Map<String, String> name, String html, String css, Integer width) {}

    /** Looks shared by every template (a variant's own CSS follows it and may change anything). */
    public static final String BASE_CSS = """
            body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#111827;background:#fff}
            .p{padding:24px}h2{margin:0 0 8px;font-size:22px;line-height:1.2}p{margin:0 0 14px}
            .btn{display:inline-block;background:#4f46e5;color:#fff;border:0;border-radius:6px;padding:10px 18px;font:inherit;cursor:pointer;text-decoration:none}
            .btn.light{background:transparent;color:inherit;border:1px solid #9ca3af}
            input[type=email],input[type=text],input[type=tel]{width:100%;box-sizing:border-box;padding:10px;border:1px solid #9ca3af;border-radius:6px;font:inherit;margin:0 0 10px}
            .code{font:700 24px/1 ui-monospace,monospace;letter-spacing:2px;border:2px dashed #4f46e5;padding:10px 16px;display:inline-block;margin:0 0 14px}
            .row{display:flex;gap:10px;align-items:center;flex-wrap:wrap}.center{text-align:center}.muted{opacity:.75;font-size:13px}
            """;

    private static final List<Template> ALL = List.of(
            t("newsletter", "modal", "center", "Newsletter sign-up", "Подписка на рассылку", 440, """
                    <div class="p"><h2>Get our news first</h2><p>One letter a week with new arrivals and offers. No spam.</p>
                    {{form}}</div>""", ""),
            t("discount-code", "modal", "center", "Discount with a promo code", "Скидка по промокоду", 420, """
                    <div class="p center"><h2>10% off your first order</h2><p>Use this code at checkout:</p><div class="code">WELCOME10</div>
                    <div><a class="btn" href="#" data-orbita-convert="copy">Shop now</a></div></div>""", ""),
            t("exit-offer", "modal", "center", "Exit-intent offer", "Предложение при уходе", 460, """
                    <div class="p center"><h2>Wait — before you go</h2><p>Free delivery on your order today only.</p>
                    <div class="row" style="justify-content:center"><a class="btn" href="#" data-orbita-convert="offer">Claim free delivery</a>
                    <button class="btn light" data-orbita-close>No, thanks</button></div></div>""", ""),
            t("cart-reminder", "slide-in", "bottom-right", "Cart reminder", "Напоминание о корзине", 340, """
                    <div class="p"><h2>Still thinking?</h2><p>The items in your cart are waiting for you.</p>
                    <a class="btn" href="#" data-orbita-convert="cart">Go to cart</a></div>""", ""),
            t("nps", "slide-in", "bottom-right", "NPS question", "Вопрос NPS", 380, """
                    <div class="p"><p><b>How likely are you to recommend us to a friend?</b></p>{{form}}</div>""", ""),
            t("cookie-consent", "bar", "bottom", "Cookie consent", "Согласие на cookie", null, """
                    <div class="p row" style="padding:14px 20px;justify-content:space-between"><span>We use cookies to improve the site and measure visits.</span>
                    <span class="row"><button class="btn" data-orbita-convert="consent:accept">Accept</button>
                    <button class="btn light" data-orbita-convert="consent:decline">Decline</button></span></div>""", "body{background:#f3f4f6}"),
            t("app-download", "bar", "top", "App download", "Скачать приложение", null, """
                    <div class="row" style="padding:10px 20px;justify-content:space-between"><span><b>Our app</b> — faster orders and personal offers.</span>
                    <a class="btn" href="#" data-orbita-convert="app">Get the app</a></div>""", "body{background:#eef2ff}"),
            t("webinar", "modal", "center", "Webinar registration", "Регистрация на вебинар", 480, """
                    <div class="p"><h2>Free webinar: growing repeat sales</h2><p>Thursday, 18:00. Save your seat — we'll send the link.</p>{{form}}</div>""",
                    ""),
            t("back-in-stock", "slide-in", "bottom-right", "Back in stock", "Снова в наличии", 340, """
                    <div class="p"><h2>Out of stock?</h2><p>Leave your email and we'll tell you when it's back.</p>{{form}}</div>""", ""),
            t("free-shipping", "bar", "top", "Free shipping bar", "Бесплатная доставка", null, """
                    <div class="center" style="padding:10px 20px">Free shipping on orders over $50 — this week only.</div>""",
                    "body{background:#111827;color:#fff}"),
            t("sale-countdown", "bar", "top", "Sale ends soon", "Распродажа скоро закончится", null, """
                    <div class="row" style="padding:10px 20px;justify-content:center"><b>Sale ends Sunday</b><a class="btn" href="#" data-orbita-convert="sale">See offers</a></div>""",
                    "body{background:#fef3c7}"),
            t("welcome", "full-screen", "center", "Welcome screen", "Приветственный экран", null, """
                    <div class="p center" style="padding-top:18vh"><h2 style="font-size:34px">Welcome!</h2><p>New here? Take 15% off your first order.</p>
                    <div class="code">HELLO15</div><div><a class="btn" href="#" data-orbita-convert="welcome">Start shopping</a></div></div>""", ""),
            t("age-check", "full-screen", "center", "Age verification", "Проверка возраста", null, """
                    <div class="p center" style="padding-top:22vh"><h2>Are you 18 or older?</h2><p>You must be of age to visit this site.</p>
                    <div class="row" style="justify-content:center"><button class="btn" data-orbita-convert="adult">Yes, I am 18+</button>
                    <a class="btn light" href="https://www.google.com/" target="_top">No</a></div></div>""", ""),
            t("survey-invite", "slide-in", "bottom-left", "Survey invitation", "Приглашение в опрос", 340, """
                    <div class="p"><h2>Two minutes?</h2><p>Help us improve: answer three short questions.</p>
                    <a class="btn" href="#" data-orbita-convert="survey">Take the survey</a></div>""", ""),
            t("feedback", "slide-in", "bottom-right", "Feedback", "Обратная связь", 360, """
                    <div class="p"><h2>Found what you need?</h2>{{form}}</div>""", ""),
            t("lead-magnet", "modal", "center", "Free guide", "Бесплатное руководство", 460, """
                    <div class="p"><h2>Free guide: 25 ideas for gifts</h2><p>Enter your email and we'll send the PDF right away.</p>{{form}}</div>""",
                    ""),
            t("social-follow", "slide-in", "bottom-left", "Follow us", "Подпишитесь на нас", 320, """
                    <div class="p"><h2>Follow us</h2><p>News, behind the scenes and giveaways.</p>
                    <div class="row"><a class="btn" href="https://t.me/" target="_blank" data-orbita-convert="telegram">Telegram</a>
                    <a class="btn light" href="https://vk.com/" target="_blank" data-orbita-convert="vk">VK</a></div></div>""", ""),
            t("announcement", "bar", "top", "Announcement", "Объявление", null, """
                    <div class="center" style="padding:10px 20px">Our stores are open on holidays from 10:00 to 20:00.</div>""",
                    "body{background:#ecfeff}"),
            t("callback", "modal", "center", "Call me back", "Обратный звонок", 400, """
                    <div class="p"><h2>We'll call you back</h2><p>Leave your number — a manager calls within 15 minutes.</p>{{form}}</div>""", ""),
            t("holiday-sale", "full-screen", "center", "Holiday sale", "Праздничная распродажа", null, """
                    <div class="p center" style="padding-top:20vh"><h2 style="font-size:40px">Holiday sale</h2><p>Up to 50% off everything until Monday.</p>
                    <a class="btn" href="#" data-orbita-convert="sale">Shop the sale</a></div>""", "body{background:#fdf2f8}"),
            t("blank", "modal", "center", "Blank", "Пустой", 440, """
                    <div class="p"><h2>Title</h2><p>Text.</p><button class="btn" data-orbita-convert>Button</button></div>""", ""));

    private PopupTemplates() {}

    public static List<Template> all() {
        return ALL;
    }

    public static Optional<Template> find(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    private static Template t(String id, String kind, String position, String en, String ru, Integer width, String html, String css) {
        return new Template(id, kind, position, Map.of("en", en, "ru", ru), html.strip(), css, width);
    }
}
