package org.orbita.app.tracking;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import org.apache.catalina.connector.Connector;
import org.orbita.app.config.OrbitaProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The recipients' origin: the links in messages ({@code /t/**}: clicks, web views,
 * unsubscribe) are served on a port of their own ({@code orbita.content.public-port}, 8081
 * by default), a different origin from the app, so nothing a message carries can act with
 * a signed-in user's session (forms' hosted pages, {@code /t/f/**}, run their own script there, with
 * {@link #FORM_POLICY}). On that port only {@code /t/**} exists; cookies are neither
 * read nor set; every page says what it may load ({@link #PAGE_POLICY}), a rendered message
 * runs in a CSP sandbox without scripts ({@link #MESSAGE_POLICY}). On the app's port,
 * {@code /t/**} (links sent before) is redirected to the public origin, method kept (308).
 */
@Configuration(proxyBeanMethods = false)
class PublicOrigin {

    /** A rendered message: a sandbox without scripts, its own opaque origin; images and styles from anywhere. */
    static final String MESSAGE_POLICY = "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation;"
            + " default-src 'none'; img-src * data:; style-src * 'unsafe-inline'; font-src * data:; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";
    /** Orbita's own recipient pages (unsubscribe, expired or invalid links): no script, a form to themselves. */
    static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none';"
            + " frame-ancestors 'none'";

    /** A form's hosted page: its own script only, talking to its own origin; any page may frame it (the form's iframe code). */
    static final String FORM_POLICY = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; connect-src 'self';"
            + " form-action 'self'; base-uri 'none'; frame-ancestors *";

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> publicConnector(OrbitaProperties props) {
        return factory -> {
            int port = props.content().publicPort();
            if (port > 0) {
                Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
                connector.setPort(port);
                factory.addAdditionalTomcatConnectors(connector);
            }
        };
    }

    @Bean
    FilterRegistrationBean<Separation> publicOriginFilter(OrbitaProperties props) {
        FilterRegistrationBean<Separation> bean = new FilterRegistrationBean<>(
                new Separation(props.content().publicPort(), props.content().publicUrl()));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        bean.addUrlPatterns("/*");
        return bean;
    }

    /** The sites' collection endpoint, right after the origins' filter: what it answers goes no further ({@link SiteCollect}). */
    @Bean
    FilterRegistrationBean<SiteCollect> siteCollectFilter(org.orbita.sites.Sites sites, org.orbita.sites.SiteHits hits) {
        FilterRegistrationBean<SiteCollect> bean = new FilterRegistrationBean<>(new SiteCollect(sites, hits));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        bean.addUrlPatterns("/t/s/*");
        return bean;
    }

    /** What drawn forms send, right after the origins' filter too ({@link FormCollect}). */
    @Bean
    FilterRegistrationBean<FormCollect> formCollectFilter(org.orbita.forms.FormSubmissions submissions) {
        FilterRegistrationBean<FormCollect> bean = new FilterRegistrationBean<>(new FormCollect(submissions));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        bean.addUrlPatterns("/t/f/*");
        return bean;
    }

    /** What other systems post to inbound sources, right after the origins' filter too ({@link InboundCollect}). */
    @Bean
    FilterRegistrationBean<InboundCollect> inboundCollectFilter(org.orbita.inbound.InboundHooks hooks) {
        FilterRegistrationBean<InboundCollect> bean = new FilterRegistrationBean<>(new InboundCollect(hooks));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        bean.addUrlPatterns("/t/in/*");
        return bean;
    }

    /** What mobile apps' SDKs call, right after the origins' filter too ({@link SdkCollect}). */
    @Bean
    FilterRegistrationBean<SdkCollect> sdkCollectFilter(org.orbita.mobile.MobileSdk sdk) {
        FilterRegistrationBean<SdkCollect> bean = new FilterRegistrationBean<>(new SdkCollect(sdk));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        bean.addUrlPatterns("/t/sdk/*");
        return bean;
    }

    /** The SMS gateways' delivery reports, right after the origins' filter too ({@link SmsReceipts}). */
    @Bean
    FilterRegistrationBean<SmsReceipts> smsReceiptsFilter(org.orbita.app.campaigns.ChannelProviders providers) {
        FilterRegistrationBean<SmsReceipts> bean = new FilterRegistrationBean<>(new SmsReceipts(providers));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        bean.addUrlPatterns("/t/sms/*");
        return bean;
    }

    /** Keeps the two origins apart (see the class comment). */
    static final class Separation extends OncePerRequestFilter {
        private final int publicPort;
        private final String publicUrl;

        Separation(int publicPort, String publicUrl) {
            this.publicPort = publicPort;
            this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            boolean linkPath = request.getRequestURI().startsWith("/t/");
            boolean onPublicPort = publicPort > 0 && request.getLocalPort() == publicPort;
            if (onPublicPort && !linkPath) {
                response.setStatus(HttpServletResponse.SC_NOT_FOUND);
                response.setContentType("text/plain;charset=utf-8");
                response.getWriter().write("Not found\n");
                return;
            }
            if (publicPort > 0 && !onPublicPort && linkPath) {
                String query = request.getQueryString();
                response.setStatus(308);
                response.setHeader(HttpHeaders.LOCATION, publicUrl + request.getRequestURI() + (query == null ? "" : "?" + query));
                return;
            }
            if (linkPath) {
                HttpServletResponse headed = new NoCookies(response);
                String uri = request.getRequestURI();
                headed.setHeader("Content-Security-Policy", uri.startsWith("/t/v/") ? MESSAGE_POLICY : uri.startsWith("/t/f/") ? FORM_POLICY : PAGE_POLICY);
                headed.setHeader("X-Content-Type-Options", "nosniff");
                headed.setHeader("Referrer-Policy", "no-referrer");
                headed.setHeader("Cross-Origin-Opener-Policy", "same-origin");
                chain.doFilter(new Cookieless(request), headed);
                return;
            }
            chain.doFilter(request, response);
        }
    }

    /** A recipient's request as the links see it: without the cookies a browser sends to the same host, and without a session. */
    private static final class Cookieless extends HttpServletRequestWrapper {
        Cookieless(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Cookie[] getCookies() {
            return null;
        }

        @Override
        public String getHeader(String name) {
            return "cookie".equals(name.toLowerCase(Locale.ROOT)) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "cookie".equals(name.toLowerCase(Locale.ROOT)) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public String getRequestedSessionId() {
            return null;
        }

        @Override
        public boolean isRequestedSessionIdValid() {
            return false;
        }

        @Override
        public HttpSession getSession(boolean create) {
            if (create) {
                throw new IllegalStateException("the links in messages never have a session");
            }
            return null;
        }

        @Override
        public HttpSession getSession() {
            return getSession(true);
        }
    }

    /** A response to a recipient: it never sets a cookie. */
    private static final class NoCookies extends HttpServletResponseWrapper {
        NoCookies(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void addCookie(Cookie cookie) {
            // nothing: the public origin keeps no state in the browser
        }

        @Override
        public void setHeader(String name, String value) {
            if (!"set-cookie".equals(name.toLowerCase(Locale.ROOT))) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!"set-cookie".equals(name.toLowerCase(Locale.ROOT))) {
                super.addHeader(name, value);
            }
        }
    }
}
