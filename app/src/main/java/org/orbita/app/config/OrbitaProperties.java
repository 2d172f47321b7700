package org.orbita.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.orbita.content.Links;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Every {@code orbita.*} setting; the README's configuration table lists them. */
@ConfigurationProperties("orbita")
public record OrbitaProperties(
        Path dataDir,
        Storage storage,
        Mongodb mongodb,
        Clickhouse clickhouse,
        Admin admin,
        Demo demo,
        Imports imports,
        Queue queue,
        Rabbitmq rabbitmq,
        Segments segments,
        Content content,
        List<MtaNode> mtaNodes,
        Channels channels,
        Campaigns campaigns,
        Zeebe zeebe,
        Journeys journeys,
        SignIn signIn,
        Audit audit,
        Market market,
        Webhooks webhooks,
        Sns sns,
        List<String> dnsServers) {

    public OrbitaProperties {
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        storage = storage == null ? new Storage(null, null, false) : storage;
        mongodb = mongodb == null ? new Mongodb(null, null) : mongodb;
        clickhouse = clickhouse == null ? new Clickhouse(null, null, null, null) : clickhouse;
        admin = admin == null ? new Admin(null, null, null) : admin;
        demo = demo == null ? new Demo(true, 300) : demo;
        imports = imports == null ? new Imports(null, null, 2) : imports;
        queue = queue == null ? new Queue(null, 0, null, null, null, null) : queue;
        rabbitmq = rabbitmq == null ? new Rabbitmq(null, 0, null, null, null) : rabbitmq;
        segments = segments == null ? new Segments(null, 0, null) : segments;
        content = content == null ? new Content(null, null, null, null, null) : content;
        mtaNodes = mtaNodes == null ? List.of() : mtaNodes;
        channels = channels == null ? new Channels(null, null, null, null, null, null, null, null) : channels;
        campaigns = campaigns == null ? new Campaigns(0) : campaigns;
        zeebe = zeebe == null ? new Zeebe(null, 0, 0) : zeebe;
        journeys = journeys == null ? new Journeys(0, null, null, null) : journeys;
        signIn = signIn == null ? new SignIn(0, null, null, 0, null) : signIn;
        audit = audit == null ? new Audit(null) : audit;
        market = market == null ? new Market(null, null, null, null, 0) : market;
        webhooks = webhooks == null ? new Webhooks(null, null, 0, null, null, null, 0) : webhooks;
        sns = sns == null ? new Sns(null, null, null) : sns;
        // name servers for sender domains' DNS checks (host or host:port); none: the system's
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    }

    /** The audit log: lines older than {@code retention} are removed (the newest always stays, so the chain goes on). */
    public record Audit(Duration retention) {
        public Audit {
            retention = retention == null ? Duration.ofDays(90) : retention;
        }
    }

    /**
     * Sign-in throttling, per account and per address: after {@code freeAttempts} failures in a
     * row each further attempt waits {@code baseDelay}, doubled at every failure up to
     * {@code maxDelay}; {@code lockoutAfter} failures lock the account for {@code lockout}.
     */
    public record SignIn(int freeAttempts, Duration baseDelay, Duration maxDelay, int lockoutAfter, Duration lockout) {
        public SignIn {
            freeAttempts = freeAttempts <= 0 ? 3 : freeAttempts;
            baseDelay = baseDelay == null ? Duration.ofSeconds(2) : baseDelay;
            maxDelay = maxDelay == null ? Duration.ofMinutes(15) : maxDelay;
            lockoutAfter = lockoutAfter <= 0 ? 10 : lockoutAfter;
            lockout = lockout == null ? Duration.ofMinutes(15) : lockout;
        }
    }

    /**
     * A Camunda 8 / Zeebe cluster for journeys ({@code orbita.journeys.engine=zeebe}): {@code gateway}
     * is its gRPC address (e.g. {@code http://zeebe:26500}). {@code recycleAfter} and {@code engines}
     * served the in-process engine, which the application no longer ships (its licence): tests only.
     */
    public record Zeebe(String gateway, long recycleAfter, int engines) {
        public Zeebe {
            gateway = gateway == null ? "" : gateway.strip();
            engines = !gateway.isEmpty() ? 1 : engines <= 0 ? 4 : Math.min(engines, 64);
            recycleAfter = recycleAfter < 0 ? 0 : recycleAfter == 0 ? 200_000 : recycleAfter;
        }
    }

    /**
     * Journeys: the engine ({@code operaton}, the default: embedded, its state in {@code operaton.url}'s
     * database — an H2 file under the data directory unless given, PostgreSQL in production, which
     * several app nodes may share; or {@code zeebe}: a Camunda 8 cluster at {@code orbita.zeebe.gateway}),
     * the hour a best-time node falls back to ({@code defaultHour}, 10), and how long an HTTP node waits.
     */
    public record Journeys(int defaultHour, Duration httpTimeout, String engine, Operaton operaton) {
        public Journeys {
            defaultHour = defaultHour <= 0 || defaultHour > 23 ? 10 : defaultHour;
            httpTimeout = httpTimeout == null ? Duration.ofSeconds(10) : httpTimeout;
            engine = engine == null || engine.isBlank() ? "operaton" : engine.strip();
            if (!engine.equals("operaton") && !engine.equals("zeebe")) {
                throw new IllegalArgumentException("orbita.journeys.engine is operaton or zeebe, not " + engine);
            }
            operaton = operaton == null ? new Operaton(null, null, null, 0) : operaton;
        }
    }

    /** Operaton's database ({@code url}: JDBC, H2 or PostgreSQL; empty: an H2 file in the data directory), and how many jobs run at once. */
    public record Operaton(String url, String user, String password, int threads) {
        public Operaton {
            url = url == null ? "" : url.strip();
            user = user == null ? "" : user;
            password = password == null ? "" : password;
            threads = threads <= 0 ? 8 : Math.min(threads, 64);
            if (!url.isEmpty() && !url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("orbita.journeys.operaton.url is an H2 or PostgreSQL JDBC URL");
            }
        }

        @Override
        public String toString() {
            return "Operaton[url=" + url + ", user=" + user + ", threads=" + threads + "]"; // the password is never written out
        }
    }

    /**
     * Channel providers besides email: webhooks (signed with {@code webhook.secret}, made once and
     * kept when empty), Telegram (on when {@code telegram.botToken} is set), SMS (on when
     * {@code sms.accountSid} is set), and how their
     * workers try again ({@code retry}).
     */
    public record Channels(Webhook webhook, Telegram telegram, Sms sms, Smpp smpp, Push push, Webpush webpush, Retry retry,
                           Map<String, Double> rates) {
        public Channels {
            rates = rates == null ? Map.of() : Map.copyOf(rates);
            webhook = webhook == null ? new Webhook(null, null) : webhook;
            telegram = telegram == null ? new Telegram(null, null) : telegram;
            sms = sms == null ? new Sms(null, null, null, null) : sms;
            smpp = smpp == null ? new Smpp(null, 0, null, null, null, null, null) : smpp;
            push = push == null ? new Push(null, null, null, null) : push;
            webpush = webpush == null ? new Webpush(null, null, null, null) : webpush;
            retry = retry == null ? new Retry(0, null, null) : retry;
        }
    }

    /** Campaigns: an audience of {@code approvalThreshold} profiles or more (0: no approval) needs an approval before it is sent. */
    public record Campaigns(long approvalThreshold) {}

    /** SMS over SMPP to an SMSC (instead of the HTTP API): on when {@code host} is set. */
    public record Smpp(String host, int port, String systemId, String password, String systemType, String source,
                       Duration responseTimeout) {
        public Smpp {
            port = port <= 0 ? 2775 : port;
            systemType = systemType == null ? "" : systemType;
            responseTimeout = responseTimeout == null ? Duration.ofSeconds(10) : responseTimeout;
        }
    }

    /** Mobile push: each platform on when its credentials are set. */
    public record Push(Fcm fcm, Apns apns, Hms hms, Rustore rustore) {
        public Push {
            fcm = fcm == null ? new Fcm(null, null) : fcm;
            apns = apns == null ? new Apns(null, null, null, null, null) : apns;
            hms = hms == null ? new Hms(null, null, null, null) : hms;
            rustore = rustore == null ? new Rustore(null, null, null) : rustore;
        }
    }

    /** FCM HTTP v1: the service account's JSON key, inline or a file's path. */
    public record Fcm(String serviceAccount, String apiUrl) {
        public Fcm {
            apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://fcm.googleapis.com" : apiUrl;
        }
    }

    /** APNs with a token-based key (.p8, inline PEM or a file's path) and the app's bundle id as topic. */
    public record Apns(String teamId, String keyId, String key, String topic, String apiUrl) {
        public Apns {
            apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://api.push.apple.com" : apiUrl;
        }
    }

    /** Huawei Push Kit: the app's id and secret. */
    public record Hms(String appId, String appSecret, String authUrl, String apiUrl) {
        public Hms {
            authUrl = authUrl == null || authUrl.isBlank() ? "https://oauth-login.cloud.huawei.com/oauth2/v3/token" : authUrl;
            apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://push-api.cloud.huawei.com" : apiUrl;
        }
    }

    /** RuStore push: the project's id and service token. */
    public record Rustore(String projectId, String serviceToken, String apiUrl) {
        public Rustore {
            apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://vkpns.rustore.ru" : apiUrl;
        }
    }

    /** Web push: VAPID keys (made once and kept when not given), the contact push services see, and how long they keep a message. */
    public record Webpush(String publicKey, String privateKey, String subject, Duration ttl) {
        public Webpush {
            subject = subject == null || subject.isBlank() ? "mailto:postmaster@localhost" : subject;
            ttl = ttl == null ? Duration.ofDays(1) : ttl;
        }
    }

    public record Webhook(String secret, Duration timeout) {
        public Webhook {
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        }
    }

    public record Telegram(String botToken, String apiUrl) {
        public Telegram {
            apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://api.telegram.org" : apiUrl;
        }
    }

    /** SMS through Twilio's Messages API (or a gateway speaking it): on when {@code accountSid} is set. */
    public record Sms(String accountSid, String authToken, String from, String apiUrl) {
        public Sms {
            apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://api.twilio.com" : apiUrl;
        }
    }

    /** Tries per message, the first wait and the longest one (waits double between tries). */
    public record Retry(int attempts, Duration firstWait, Duration maxWait) {
        public Retry {
            attempts = attempts <= 0 ? 5 : attempts;
            firstWait = firstWait == null ? Duration.ofSeconds(1) : firstWait;
            maxWait = maxWait == null ? Duration.ofSeconds(30) : maxWait;
        }
    }

    /** An MTA node whose queues the UI shows: a name, its admin URL (mta.http.port) and its token (mta.http.token). */
    public record MtaNode(String name, String url, String token) {}

    /**
     * Content: {@code publicUrl} is where recipients reach the tracking links (click, view in
     * browser, unsubscribe); {@code linkSecret} signs them (made once and kept in the settings
     * store when not given); {@code external} says which hosts template data sources may call.
     */
    /**
     * Content and the recipient-facing pages: {@code publicPort} is the port of the public origin
     * that serves {@code /t/**} (clicks, web views, unsubscribe) apart from the app, with no
     * session (8081 by default; a negative value serves them on the app's port);
     * {@code publicUrl} is where recipients reach it ({@code http://localhost:<publicPort>} by default).
     */
    public record Content(String publicUrl, String linkSecret, Duration linkLifetime, Integer publicPort, External external) {
        public Content {
            publicPort = publicPort == null ? 8081 : publicPort;
            publicUrl = publicUrl == null || publicUrl.isBlank() ? "http://localhost:" + (publicPort > 0 ? publicPort : 8080) : publicUrl;
            linkLifetime = linkLifetime == null ? Links.DEFAULT_LIFETIME : linkLifetime;
            external = external == null ? new External(false, null) : external;
        }
    }

    /** Outside calls from templates: loopback and private networks refused unless allowed, wholly or by host. */
    public record External(boolean allowPrivate, List<String> allowedHosts) {
        public External {
            allowedHosts = allowedHosts == null ? List.of() : allowedHosts;
        }
    }

    /**
     * Segments: how often every dynamic segment is recomputed in full (time-relative
     * conditions drift without any change), and how many profile changes may wait for
     * real-time evaluation before the database is recomputed in full instead.
     */
    public record Segments(Duration recomputeInterval, int realtimeQueue, Duration behaviourRetention) {
        public Segments {
            recomputeInterval = recomputeInterval == null ? Duration.ofHours(1) : recomputeInterval;
            realtimeQueue = realtimeQueue <= 0 ? 100_000 : realtimeQueue;
            behaviourRetention = behaviourRetention == null ? Duration.ofDays(400) : behaviourRetention;
        }
    }

    /**
     * The message broker: {@code embedded} (Qpid in this process) or {@code rabbitmq};
     * {@code emailQueue} is where campaigns put email for the MTA nodes, and
     * {@code emailEventsQueue} where the nodes report each recipient's outcome.
     * {@code embeddedStore}: where the embedded broker keeps messages — {@code bdb} (on disk,
     * what it confirmed survives a crash; the default), {@code derby}, or {@code memory}.
     * {@code embeddedMta}: with the embedded broker, run a mail sender node in this process on
     * its email queue (default true; its settings: {@code ORBITA_MTA_CONFIG}, as {@code ./orbita mta}).
     */
    public record Queue(String kind, int embeddedPort, String emailQueue, String emailEventsQueue, String embeddedStore,
                        Boolean embeddedMta) {
        public Queue {
            kind = kind == null ? "embedded" : kind;
            embeddedPort = embeddedPort <= 0 ? 5673 : embeddedPort;
            embeddedStore = embeddedStore == null || embeddedStore.isBlank() ? "bdb" : embeddedStore;
            embeddedMta = embeddedMta == null || embeddedMta;
            emailQueue = emailQueue == null || emailQueue.isBlank() ? "orbita.email" : emailQueue;
            emailEventsQueue = emailEventsQueue == null || emailEventsQueue.isBlank() ? "orbita.email.events" : emailEventsQueue;
        }
    }

    public record Rabbitmq(String host, int port, String user, String password, String virtualHost) {
        public Rabbitmq {
            host = host == null ? "localhost" : host;
            port = port <= 0 ? 5672 : port;
            user = user == null ? "guest" : user;
            password = password == null ? "guest" : password;
            virtualHost = virtualHost == null ? "/" : virtualHost;
        }
    }

    /**
     * Where the market (products, orders, touchpoints) is kept: {@code embedded} (the default: the
     * embedded SQLite file, no separate install) or {@code postgresql} at {@code url} (production;
     * one schema for both).
     */
    public record Market(String store, String url, String user, String password, int connections) {
        public Market {
            store = store == null || store.isBlank() ? "embedded" : store.strip();
            if (!store.equals("embedded") && !store.equals("postgresql")) {
                throw new IllegalArgumentException("orbita.market.store must be 'embedded' or 'postgresql', not '" + store + "'");
            }
            if (store.equals("postgresql") && (url == null || !url.startsWith("jdbc:postgresql:"))) {
                throw new IllegalArgumentException("orbita.market.store=postgresql needs orbita.market.url: a jdbc:postgresql: URL");
            }
            user = user == null ? "" : user;
            password = password == null ? "" : password;
            connections = connections <= 0 ? 4 : connections;
        }
    }

    /**
     * Webhooks for any event: each call's {@code timeout}; the waits before each retry (then a dead
     * letter); a webhook disabled after {@code disableAfterFailures} failed calls in a row spanning
     * {@code disableAfter}; delivered calls and dead letters kept so long; {@code workers} calls at once.
     */
    /**
     * How Amazon SNS's messages to inbound sources are checked: the hosts its certificates and
     * confirmation URLs may be on (a regular expression; Amazon's regions by default), and a
     * PKCS #12 trust store added to the JDK's for fetching them (an SNS-compatible service of one's
     * own behind a private CA; none by default).
     */
    public record Sns(String certificateHosts, Path trustStore, String trustStorePassword) {
        public Sns {
            certificateHosts = certificateHosts == null || certificateHosts.isBlank() ? org.orbita.inbound.SnsMessages.AWS_HOSTS : certificateHosts;
        }
    }

    public record Webhooks(Duration timeout, List<Duration> retries, int disableAfterFailures, Duration disableAfter, Duration keepDelivered,
                           Duration keepDead, int workers) {
        public Webhooks {
            org.orbita.webhooks.Webhooks.Policy d = org.orbita.webhooks.Webhooks.Policy.defaults();
            timeout = timeout == null ? Duration.ofSeconds(15) : timeout;
            retries = retries == null ? d.retries() : List.copyOf(retries);
            disableAfterFailures = disableAfterFailures <= 0 ? d.disableAfterFailures() : disableAfterFailures;
            disableAfter = disableAfter == null ? d.disableAfter() : disableAfter;
            keepDelivered = keepDelivered == null ? d.keepDelivered() : keepDelivered;
            keepDead = keepDead == null ? d.keepDead() : keepDead;
            workers = workers <= 0 ? d.workers() : workers;
        }

        public org.orbita.webhooks.Webhooks.Policy policy() {
            return new org.orbita.webhooks.Webhooks.Policy(retries, disableAfterFailures, disableAfter, keepDelivered, keepDead,
                    timeout.multipliedBy(4), workers);
        }
    }

    /** Which engine holds profiles and settings, and which holds events. */
    public record Storage(String profiles, String events, boolean fullSync) {
        public Storage {
            profiles = profiles == null ? "embedded" : profiles;
            events = events == null ? "embedded" : events;
            if (!profiles.equals("embedded") && !profiles.equals("mongodb")) {
                throw new IllegalArgumentException("orbita.storage.profiles must be 'embedded' or 'mongodb', not '" + profiles + "'");
            }
            if (!events.equals("embedded") && !events.equals("clickhouse")) {
                throw new IllegalArgumentException("orbita.storage.events must be 'embedded' or 'clickhouse', not '" + events + "'");
            }
        }
    }

    public record Mongodb(String uri, String database) {
        public Mongodb {
            uri = uri == null ? "mongodb://localhost:27017" : uri;
            database = database == null ? "orbita" : database;
        }
    }

    public record Clickhouse(String url, String user, String password, String database) {
        public Clickhouse {
            url = url == null ? "http://localhost:8123" : url;
            user = user == null ? "default" : user;
            password = password == null ? "" : password;
            database = database == null ? "orbita" : database;
        }
    }

    /** The first administrator; the password and API key are generated and printed once when empty. */
    public record Admin(String email, String password, String apiKey) {
        public Admin {
            email = email == null ? "admin@orbita.local" : email;
        }
    }

    /** The demo workspace and sample database created on first start. */
    public record Demo(boolean enabled, int profiles) {}

    /** Limits of file imports. */
    public record Imports(DataSize maxFileSize, DataSize maxUnpackedSize, int workers) {
        public Imports {
            maxFileSize = maxFileSize == null ? DataSize.ofMegabytes(512) : maxFileSize;
            maxUnpackedSize = maxUnpackedSize == null ? DataSize.ofGigabytes(2) : maxUnpackedSize;
            workers = workers <= 0 ? 2 : workers;
        }
    }
}
