package org.orbita.channels;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * P-256 keys as web push writes them: a public key as the uncompressed point (65 bytes), a
 * private key as its 32-byte scalar, both base64url — the form {@code web-push
 * generate-vapid-keys} prints and browsers' {@code applicationServerKey} takes.
 */
public final class WebPushKeys {

    static final ECParameterSpec P256;

    static {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            P256 = p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private WebPushKeys() {}

    /** A new VAPID key pair: {@code [public, private]}, base64url. */
    public static String[] generate() {
        KeyPair k = pair();
        return new String[] {Jwt.B64.encodeToString(raw((ECPublicKey) k.getPublic())),
                Jwt.B64.encodeToString(fixed(((ECPrivateKey) k.getPrivate()).getS()))};
    }

    static KeyPair pair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The uncompressed point {@code 0x04 ‖ x ‖ y}. */
    static byte[] raw(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        System.arraycopy(fixed(key.getW().getAffineX()), 0, out, 1, 32);
        System.arraycopy(fixed(key.getW().getAffineY()), 0, out, 33, 32);
        return out;
    }

    static byte[] fixed(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length == 32) {
            return b;
        }
        byte[] out = new byte[32];
        int take = Math.min(32, b.length);
        System.arraycopy(b, b.length - take, out, 32 - take, take);
        return out;
    }

    static ECPublicKey publicKey(byte[] raw, String what) {
        if (raw.length != 65 || raw[0] != 4) {
            throw new IllegalArgumentException(what + " is not an uncompressed P-256 point (65 bytes starting 0x04)");
        }
        try {
            ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(raw, 1, 33)), new BigInteger(1, Arrays.copyOfRange(raw, 33, 65)));
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " is not a point on P-256: " + e.getMessage(), e);
        }
    }

    static ECPrivateKey privateKey(String base64url, String what) {
        byte[] d = decode(base64url, what);
        if (d.length != 32) {
            throw new IllegalArgumentException(what + " must be a 32-byte P-256 private key, base64url");
        }
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, d), P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    static byte[] decode(String base64url, String what) {
        try {
            return Base64.getUrlDecoder().decode(base64url.strip().replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(what + " is not base64url");
        }
    }
}
