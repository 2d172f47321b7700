package org.orbita.ui.shell;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.orbita.access.PasswordPolicy;
import org.orbita.ui.MyAccount;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/** One's own account: name, password, two-factor sign-in (a QR code to scan, recovery codes shown once). */
@Route("account")
@PageTitle("Orbita — my account")
@PermitAll
public class AccountView extends VerticalLayout {

    private final MyAccount account;
    private final VerticalLayout twoFactor = new VerticalLayout();

    public AccountView(MyAccount account) {
        this.account = account;
        MyAccount.Me me = account.me();
        TextField name = new TextField(getTranslation("account.name"));
        name.setValue(me.name() == null ? "" : me.name());
        Button saveName = new Button(getTranslation("common.save"), e -> act(() -> account.rename(name.getValue()), "account.saved"));
        PasswordField current = new PasswordField(getTranslation("account.current"));
        current.setId("account-current");
        PasswordField next = new PasswordField(getTranslation("account.new"));
        next.setId("account-new");
        PasswordPolicy rules = me.passwordRules();
        next.setHelperText(getTranslation("account.passwordRules", rules.minLength(), rules.classes(), rules.history()));
        Button change = new Button(getTranslation("account.change"), e -> act(() -> account.changePassword(current.getValue(), next.getValue()),
                "account.changed"));
        change.setId("account-change-password");
        twoFactor.setPadding(false);
        showTwoFactor(me.twoFactor());
        if (me.passwordExpired()) {
            Paragraph expired = new Paragraph(getTranslation("account.passwordExpired"));
            expired.setId("account-password-expired");
            expired.getElement().getThemeList().add("badge error");
            addComponentAsFirst(expired);
        }
        if (me.twoFactorRequired() && !me.twoFactor()) {
            Paragraph required = new Paragraph(getTranslation("account.twoFactor.required"));
            required.setId("account-2fa-required");
            required.getElement().getThemeList().add("badge error");
            twoFactor.addComponentAsFirst(required);
        }
        add(PageHeader.of(getTranslation("account.title")), new Paragraph(me.email()), name, saveName, new H3(getTranslation("account.password")),
                current, next, change, new H3(getTranslation("account.twoFactor")), twoFactor, new H3(getTranslation("account.signIns")), signIns(),
                new H3(getTranslation("account.sessions")), sessionsBox());
    }

    /** The browsers one is signed in with, and a way to sign out all the others (a lost laptop, a shared computer). */
    private VerticalLayout sessionsBox() {
        Grid<MyAccount.Session> grid = new Grid<>();
        grid.setId("account-sessions");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
        grid.addColumn(s -> time.format(s.lastRequest())).setHeader(getTranslation("account.sessions.last")).setAutoWidth(true);
        grid.addColumn(s -> s.current() ? getTranslation("account.sessions.this") : s.id() + "…").setHeader(getTranslation("account.sessions.which"))
                .setFlexGrow(1);
        grid.setItems(account.sessions());
        grid.setAllRowsVisible(true);
        Button others = new Button(getTranslation("account.sessions.signOut"), e -> {
            try {
                int n = account.signOutElsewhere();
                Problems.success(getTranslation("account.sessions.ended", n));
                grid.setItems(account.sessions());
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        others.setId("account-sign-out-elsewhere");
        VerticalLayout box = new VerticalLayout(grid, others);
        box.setPadding(false);
        return box;
    }

    /** One's recent sign-ins: a stranger's attempt shows here first. */
    private Grid<MyAccount.SignIn> signIns() {
        Grid<MyAccount.SignIn> grid = new Grid<>();
        grid.setId("account-sign-ins");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
        grid.addColumn(s -> time.format(s.at())).setHeader(getTranslation("audit.at")).setAutoWidth(true).setFrozen(true);
        grid.addColumn(s -> getTranslation("audit.outcome." + s.outcome())).setHeader(getTranslation("audit.outcome")).setAutoWidth(true);
        grid.addColumn(s -> s.address() == null ? "" : s.address()).setHeader(getTranslation("audit.address")).setAutoWidth(true);
        grid.addColumn(s -> s.agent() == null ? "" : s.agent()).setHeader(getTranslation("audit.agent")).setFlexGrow(1);
        grid.setItems(account.signIns(20));
        grid.setAllRowsVisible(true);
        return grid;
    }

    private void act(Runnable r, String done) {
        try {
            r.run();
            Problems.success(getTranslation(done));
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    private void showTwoFactor(boolean on) {
        twoFactor.removeAll();
        TextField code = new TextField(getTranslation("twoFactor.code"));
        code.setId("account-2fa-code");
        if (on) {
            Button off = new Button(getTranslation("account.twoFactor.off"), e -> {
                try {
                    account.disableTwoFactor(code.getValue());
                    showTwoFactor(false);
                } catch (RuntimeException ex) {
                    Problems.show(ex);
                }
            });
            off.addThemeVariants(ButtonVariant.LUMO_ERROR);
            twoFactor.add(new Paragraph(getTranslation("account.twoFactor.isOn")), code, off);
            return;
        }
        Button start = new Button(getTranslation("account.twoFactor.start"), e -> {
            MyAccount.Enrollment enrollment;
            try {
                enrollment = account.startTwoFactor();
            } catch (RuntimeException ex) {
                Problems.show(ex);
                return;
            }
            twoFactor.removeAll();
            Image qr = new Image(qr(enrollment.uri()), getTranslation("account.twoFactor.qr"));
            qr.setId("account-2fa-qr");
            qr.setWidth("220px");
            TextField secret = new TextField(getTranslation("account.twoFactor.secret"));
            secret.setValue(enrollment.secret());
            secret.setReadOnly(true);
            secret.setId("account-2fa-secret");
            secret.setWidth("24em");
            Button confirm = new Button(getTranslation("account.twoFactor.confirm"), c -> {
                try {
                    List<String> codes = account.confirmTwoFactor(code.getValue());
                    twoFactor.removeAll();
                    Pre shown = new Pre(String.join("\n", codes));
                    shown.setId("account-2fa-recovery");
                    twoFactor.add(new Paragraph(getTranslation("account.twoFactor.recovery")), shown);
                } catch (RuntimeException ex) {
                    Problems.show(ex);
                }
            });
            confirm.setId("account-2fa-confirm");
            confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            twoFactor.add(new Paragraph(getTranslation("account.twoFactor.scan")), qr, secret, code, confirm);
        });
        start.setId("account-2fa-start");
        twoFactor.add(new Paragraph(getTranslation("account.twoFactor.isOff")), start);
    }

    /** The URI as a QR code, an SVG image (drawn here: the secret never leaves for another service). */
    static String qr(String text) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(EncodeHintType.MARGIN, 2));
        } catch (WriterException e) {
            throw new IllegalStateException("the setup link does not fit a QR code", e);
        }
        StringBuilder svg = new StringBuilder("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " + m.getWidth() + " " + m.getHeight()
                + "' shape-rendering='crispEdges'><rect width='100%' height='100%' fill='#fff'/><path fill='#000' d='");
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) {
                    svg.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        svg.append("'/></svg>");
        return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.toString().getBytes(StandardCharsets.UTF_8));
    }
}
