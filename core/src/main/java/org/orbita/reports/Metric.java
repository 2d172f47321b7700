package org.orbita.reports;

import java.util.Locale;

/**
 * Every figure a report shows, with what it counts — written once here and shown beside the
 * figures in the UI and the API. Counts are of events in the period and group; "people" counts
 * are distinct profiles within the row (the uniqueness window is the row: its period and group).
 * Copies for a campaign's observers and message tests never count; opens and clicks by machines
 * (mail privacy proxies, link scanners: {@code machine} on the event) never count.
 */
public enum Metric {
    SENT("message.sent", Measure.EVENTS, false,
            "Messages handed to a channel (email to the mail sender, SMS, push… to their provider).",
            "Сообщения, переданные в канал (письма — почтовому отправителю, SMS, push… — провайдеру)."),
    DELIVERED("message.delivered", Measure.EVENTS, false,
            "Messages the recipient's server or the provider confirmed as delivered.",
            "Сообщения, доставку которых подтвердил сервер получателя или провайдер."),
    FAILED("message.failed", Measure.EVENTS, false,
            "Messages a provider refused or that ran out of retries (channels other than email).",
            "Сообщения, которые провайдер отверг или которые исчерпали попытки (каналы кроме email)."),
    BOUNCED("message.bounced", Measure.EVENTS, false,
            "Emails that came back undelivered, hard and soft (the last attempt's answer).",
            "Письма, вернувшиеся недоставленными, жёсткие и мягкие (ответ последней попытки)."),
    OPENED("message.opened", Measure.PROFILES, true,
            "People who opened at least once (unique opens); machine opens left out.",
            "Люди, открывшие сообщение хотя бы раз (уникальные открытия); открытия роботами не считаются."),
    OPENS("message.opened", Measure.EVENTS, true,
            "Every open, repeated ones too; machine opens left out.",
            "Все открытия, включая повторные; открытия роботами не считаются."),
    CLICKED("message.clicked", Measure.PROFILES, true,
            "People who clicked a tracked link at least once (unique clicks); link scanners left out.",
            "Люди, хотя бы раз перешедшие по отслеживаемой ссылке (уникальные клики); сканеры ссылок не считаются."),
    CLICKS("message.clicked", Measure.EVENTS, true,
            "Every click on a tracked link; link scanners left out.",
            "Все переходы по отслеживаемым ссылкам; сканеры ссылок не считаются."),
    UNSUBSCRIBED("message.unsubscribed", Measure.EVENTS, false,
            "Unsubscribes from a message's link or its List-Unsubscribe header.",
            "Отписки по ссылке из сообщения или по заголовку List-Unsubscribe."),
    COMPLAINED("message.complained", Measure.EVENTS, false,
            "Spam complaints reported back by mailbox providers (feedback loops).",
            "Жалобы на спам, полученные от почтовых сервисов (feedback loop)."),
    CONVERTED("message.converted", Measure.EVENTS, false,
            "Goal events attributed to a campaign: the goal came within the campaign's window after its message.",
            "Целевые события, приписанные кампании: цель достигнута в окне конверсии после её сообщения."),
    CONVERTERS("message.converted", Measure.PROFILES, false,
            "People with at least one goal event attributed to a campaign.",
            "Люди, у которых хотя бы одно целевое событие приписано кампании."),
    REVENUE("message.converted", Measure.SUM, false,
            "The sum of the attributed goal events' value.",
            "Сумма ценности целевых событий, приписанных кампаниям."),
    OPEN_HITS("message.opened", Measure.EVENTS, false,
            "Every fetch of an open pixel, machines' too (privacy proxies, scanners: their device is \"machine\").",
            "Все загрузки пикселя открытия, включая роботов (прокси приватности, сканеры: их устройство — «machine»)."),
    CLICK_HITS("message.clicked", Measure.EVENTS, false,
            "Every followed tracked link, link scanners' too.",
            "Все переходы по отслеживаемым ссылкам, включая сканеры ссылок."),
    WEB_VIEWS("message.viewed_online", Measure.EVENTS, false,
            "Emails opened in the browser from their web-version link.",
            "Письма, открытые в браузере по ссылке на веб-версию."),
    PAGE_VIEWS("site.page_view", Measure.EVENTS, false,
            "Pages viewed on the tracked sites (single-page apps' navigations too); bots are dropped by sites that filter them.",
            "Просмотры страниц отслеживаемых сайтов (включая переходы внутри одностраничных приложений); боты отброшены на сайтах с фильтром."),
    VISITORS("site.page_view", Measure.PROFILES, false,
            "Distinct visitors who viewed a page: an anonymous browser counts once, an identified person once per profile.",
            "Уникальные посетители, просмотревшие страницу: анонимный браузер — один раз, опознанный человек — один раз на профиль."),
    SITE_GOALS("site.goal", Measure.EVENTS, false,
            "Site goals reached (by the snippet's rules or registered by the API).",
            "Достигнутые цели сайта (по правилам сниппета или зарегистрированные через API)."),
    SITE_GOAL_VALUE("site.goal", Measure.SUM, false,
            "The sum of the reached site goals' value.",
            "Сумма ценности достигнутых целей сайта."),
    FORM_VIEWS("form.viewed", Measure.EVENTS, false,
            "Forms shown: each time a page drew one (its own page, an embed, an iframe).",
            "Показы форм: каждый раз, когда страница её нарисовала (своя страница, встроенная, iframe)."),
    FORM_STARTS("form.started", Measure.EVENTS, false,
            "Forms started: a first answer typed or picked.",
            "Начатые формы: введён или выбран первый ответ."),
    FORM_SUBMISSIONS("form.submitted", Measure.EVENTS, false,
            "Valid submissions: each one a profile created or updated.",
            "Правильные отправки: каждая создала или обновила профиль."),
    FORM_REJECTED("form.rejected", Measure.EVENTS, false,
            "Submissions refused as spam (honeypot, too fast, too many from one address); kept, never profiles.",
            "Отправки, отклонённые как спам (ловушка, слишком быстро, слишком много с одного адреса); хранятся, профилями не становятся."),
    POPUP_VIEWS("popup.shown", Measure.EVENTS, false,
            "Pop-ups shown (by their trigger, a tag or a page's script); previews are not counted.",
            "Показы поп-апов (по условию показа, тегу или скрипту страницы); предпросмотры не считаются."),
    POPUP_CLOSES("popup.closed", Measure.EVENTS, false,
            "Pop-ups closed without converting (the close button, Esc, a click outside, a button marked to close).",
            "Поп-апы, закрытые без конверсии (крестик, Esc, клик мимо, кнопка закрытия)."),
    POPUP_CONVERSIONS("popup.converted", Measure.EVENTS, false,
            "Pop-ups converted: a button marked as the goal clicked, or the form in it sent (at most once per showing).",
            "Конверсии поп-апов: нажата целевая кнопка или отправлена форма в нём (не больше одной за показ)."),
    PROMO_ISSUED("promo.issued", Measure.EVENTS, false,
            "Promo codes handed out: by a message's send, a journey's node or by hand (a retried send counts once).",
            "Выданные промокоды: отправкой сообщения, шагом сценария или вручную (повторная отправка считается один раз)."),
    PROMO_REDEEMED("promo.redeemed", Measure.EVENTS, false,
            "Promo codes redeemed (each personal code once; a universal code once per redemption).",
            "Погашенные промокоды (персональный код — один раз; общий — при каждом погашении)."),
    PROMO_REDEEMERS("promo.redeemed", Measure.PROFILES, false,
            "Profiles that redeemed a code.",
            "Профили, погасившие код."),
    NEW_PROFILES("profile.created", Measure.EVENTS, false,
            "Profiles written for the first time (a write that merged into an existing profile is not new), by where they came from.",
            "Профили, записанные впервые (запись, слитая с существующим профилем, не новая), по источнику."),
    SUBSCRIBED("subscription.subscribed", Measure.EVENTS, false,
            "Subscriptions (an address for a resource) that became active: new ones and returns.",
            "Подписки (адрес на ресурс), ставшие активными: новые и возвращённые."),
    LOST_UNSUBSCRIBED("subscription.unsubscribed", Measure.EVENTS, false,
            "Subscriptions ended by their owner: an unsubscribe link, List-Unsubscribe, a STOP reply, an edit.",
            "Подписки, отменённые владельцем: ссылка отписки, List-Unsubscribe, ответ STOP, правка."),
    LOST_BOUNCED("subscription.bounced", Measure.EVENTS, false,
            "Subscriptions stopped because their address bounced hard or was found unreachable.",
            "Подписки, остановленные из-за жёсткого отказа или недоступности адреса."),
    LOST_SUSPENDED("subscription.suspended", Measure.EVENTS, false,
            "Subscriptions suspended (a complaint, a blocked bot, by hand).",
            "Приостановленные подписки (жалоба, заблокированный бот, вручную)."),
    NET_SUBSCRIBED(null, Measure.NET, false,
            "Subscribed minus unsubscribed, bounced and suspended: how much the audience grew.",
            "Подписались минус отписались, отказы и приостановки: насколько выросла аудитория.");

    /** How a metric counts its events; NET is worked out from the subscription metrics (it has no event type). */
    public enum Measure { EVENTS, PROFILES, SUM, NET }

    private final String type;
    private final Measure measure;
    private final boolean humansOnly;
    private final String en;
    private final String ru;

    Metric(String type, Measure measure, boolean humansOnly, String en, String ru) {
        this.type = type;
        this.measure = measure;
        this.humansOnly = humansOnly;
        this.en = en;
        this.ru = ru;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String type() {
        return type;
    }

    public Measure measure() {
        return measure;
    }

    public boolean humansOnly() {
        return humansOnly;
    }

    /** Whether the metric counts machines' opens or clicks (hits), which the others leave out. */
    public boolean countsMachines() {
        return !humansOnly && ("message.opened".equals(type) || "message.clicked".equals(type));
    }

    /** What the metric counts, in English or Russian ({@code ru}). */
    public String definition(String language) {
        return "ru".equals(language) ? ru : en;
    }
}
