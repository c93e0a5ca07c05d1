'use strict';
// Hospitable's signature: the lowercase hex HMAC-SHA256 of the raw body
// bytes, keyed with the secret text as given (for personal use, the base64
// of your primary email: that base64 text is the key, not the email).
const crypto = require('node:crypto');

const SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Checks a delivery. Returns null when the signature is right, else the
 * reason it is not.
 * @param {string} secret
 * @param {Buffer} body the raw request body, before any JSON parsing
 * @param {string|string[]|undefined} header the Signature header
 * @returns {string|null}
 */
function verify(secret, body, header) {
  if (header === undefined || header === null) return 'missing Signature header';
  // Node joins repeated headers with ", ", which the pattern refuses too.
  if (typeof header !== 'string' || !SIGNATURE.test(header)) {
    return 'malformed Signature header: want 64 lowercase hex digits';
  }
  const expected = crypto.createHmac('sha256', secret).update(body).digest('hex');
  // timingSafeEqual throws on different lengths; the pattern above made
  // sure both are 64 bytes.
  if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(header))) {
    return 'signature does not match the body';
  }
  return null;
}

/**
 * Reads the secret from the environment: exits with a clear message when it
 * is missing, warns when it has surrounding whitespace.
 * @returns {string}
 */
function secretFromEnv() {
  const secret = process.env.HOSPITABLE_WEBHOOK_SECRET;
  if (!secret) {
    console.error('error: HOSPITABLE_WEBHOOK_SECRET is not set: set it to your webhook secret ' +
      '(personal use: the base64 of your primary email, which `hospitable-hook secret you@example.com` prints)');
    process.exit(1);
  }
  if (secret.trim() !== secret) {
    console.warn('warning: HOSPITABLE_WEBHOOK_SECRET has surrounding whitespace; it is used byte for byte, ' +
      "so every signature will mismatch unless Hospitable's secret has it too");
  }
  return secret;
}

module.exports = { verify, secretFromEnv };
