package io.tocsin.common.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets before they reach a topic (DESIGN.md section 8): AES-256-GCM under the key
 * {@code tocsin.secrets.key} (32 bytes, base64), a fresh 96-bit nonce per value, and the value's context (e.g.
 * integration id and setting name) as associated data, so a ciphertext copied to another record or setting does
 * not decrypt. Sealed values read {@code enc:v1:<base64 nonce|ciphertext|tag>}.
 *
 * <p>Error contract: without a key, {@link #seal} and {@link #open} throw {@link MissingKeyException} whose
 * message says how to configure one; a value that does not decrypt (wrong key, tampered, other context) throws
 * {@link IllegalArgumentException} without echoing the value.
 */
@Singleton
public class SecretBox {

    public static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(@Nullable @Value("${tocsin.secrets.key:}") String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            this.key = null;
            return;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tocsin.secrets.key must be base64 (e.g. from 'openssl rand -base64 32')");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("tocsin.secrets.key must be 32 bytes (AES-256), base64-encoded; it has " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /** A new random key, base64-encoded, as {@code tocsin.secrets.key} takes it. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public boolean hasKey() {
        return key != null;
    }

    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public String seal(String plain, String context) {
        requireKey();
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String open(String sealed, String context) {
        requireKey();
        if (!isSealed(sealed)) {
            throw new IllegalArgumentException("not an encrypted value");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("encrypted value is truncated");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("encrypted value does not decrypt with tocsin.secrets.key (wrong key or tampered)");
        }
    }

    private void requireKey() {
        if (key == null) {
            throw new MissingKeyException();
        }
    }

    /** No {@code tocsin.secrets.key} is configured. */
    public static final class MissingKeyException extends IllegalStateException {

        public MissingKeyException() {
            super("no secrets key is configured: set tocsin.secrets.key (TOCSIN_SECRETS_KEY) to 32 random bytes, base64 "
                    + "(openssl rand -base64 32); the standalone creates one in its data directory");
        }
    }
}
