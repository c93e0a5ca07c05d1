<?php

declare(strict_types=1);

/**
 * Hospitable's webhook signature, in plain PHP: usable as is from a Laravel
 * or Symfony controller (see README.md).
 *
 * The signature is the lowercase hex HMAC-SHA256 of the raw body bytes,
 * keyed with the secret text as given (for personal use, the base64 of your
 * primary email: that base64 text is the key, not the email).
 */
final class HospitableWebhook
{
    /** Hospitable documents no limit; deliveries are a few KB. */
    public const MAX_BODY = 5 * 1024 * 1024;

    /**
     * Returns null when $header is the signature of $body, else the reason.
     *
     * $body must be the raw request body (file_get_contents('php://input'),
     * $request->getContent()), never json_encode(json_decode(...)): that has
     * other bytes ({} becomes [], "\/" becomes "/").
     */
    public static function verify(string $secret, string $body, ?string $header): ?string
    {
        if ($header === null) {
            return 'missing Signature header';
        }
        if (preg_match('/\A[0-9a-f]{64}\z/', $header) !== 1) {
            return 'malformed Signature header: want 64 lowercase hex digits';
        }
        $expected = hash_hmac('sha256', $body, $secret);
        // hash_equals takes the same time wherever the first difference is,
        // and returns false (never throws) on strings of another length.
        if (!hash_equals($expected, $header)) {
            return 'signature does not match the body';
        }
        return null;
    }

    /**
     * The secret from HOSPITABLE_WEBHOOK_SECRET, or null with the problem in
     * $problem. $warning says when it has surrounding whitespace.
     */
    public static function secretFromEnv(?string &$problem = null, ?string &$warning = null): ?string
    {
        $secret = getenv('HOSPITABLE_WEBHOOK_SECRET');
        if ($secret === false || $secret === '') {
            $problem = 'HOSPITABLE_WEBHOOK_SECRET is not set: set it to your webhook secret '
                . '(personal use: the base64 of your primary email, which `hospitable-hook secret you@example.com` prints)';
            return null;
        }
        if (trim($secret) !== $secret) {
            $warning = 'HOSPITABLE_WEBHOOK_SECRET has surrounding whitespace; it is used byte for byte, '
                . "so every signature will mismatch unless Hospitable's secret has it too";
        }
        return $secret;
    }
}
