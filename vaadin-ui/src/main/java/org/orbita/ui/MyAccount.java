package org.orbita.ui;

import java.util.List;

/** The signed-in user's own account as their page changes it; the app implements it. */
public interface MyAccount {

    /** What the page shows. */
    /** @param twoFactorRequired the workspace requires two-factor sign-in (and it is not on yet: nothing else opens until it is) */
    /** @param passwordExpired the password is past its lifetime (nothing else opens until it is changed) */
    record Me(String email, String name, boolean twoFactor, boolean twoFactorRequired, boolean passwordExpired,
              org.orbita.access.PasswordPolicy passwordRules) {}

    /** A second factor being set up: the secret to type, the URI its QR code carries. */
    record Enrollment(String secret, String uri) {}

    /** One sign-in of one's own: when, from where, with what, and how it went (an outcome of the audit log). */
    record SignIn(java.time.Instant at, String address, String agent, String outcome) {}

    Me me();

    /** One's own sign-ins, newest first. */
    List<SignIn> signIns(int limit);

    /** A browser one is signed in with: a short id, its last use, and whether it is this one. */
    record Session(String id, java.time.Instant lastRequest, boolean current) {}

    List<Session> sessions();

    /** Signs out every other browser; how many. */
    int signOutElsewhere();

    void rename(String name);

    /** A new password; the current one must be right. */
    void changePassword(String current, String next);

    Enrollment startTwoFactor();

    /** Turns the second factor on with a code from the app; returns the recovery codes, shown once. */
    List<String> confirmTwoFactor(String code);

    void disableTwoFactor(String code);

    /** Whether the password was right and the second factor is still to come. */
    boolean awaitingSecondFactor();

    /** The sign-in's second step: true when the code (or a recovery code) completes it. */
    boolean completeSignIn(String code);
}
