"""Hospitable's webhook signature, with nothing but the standard library.

The signature is the lowercase hex HMAC-SHA256 of the raw body bytes, keyed
with the secret text as given (for personal use, the base64 of your primary
email: that base64 text is the key, not the email).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import sys

_SIGNATURE = re.compile(r"[0-9a-f]{64}")


def verify(secret: str, body: bytes, header) -> str | None:
    """Return None when header is the signature of body, else the reason.

    body must be the raw request bytes, before any JSON parsing: re-encoded
    JSON has other bytes and another signature.
    """
    if header is None:
        return "missing Signature header"
    # Servers join repeated headers with ",", which the pattern refuses too.
    if not isinstance(header, str) or not _SIGNATURE.fullmatch(header):
        return "malformed Signature header: want 64 lowercase hex digits"
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    # compare_digest takes the same time wherever the first difference is;
    # both sides are ASCII of the same length here, so it cannot raise.
    if not hmac.compare_digest(expected, header):
        return "signature does not match the body"
    return None


def secret_from_env() -> str:
    """Read HOSPITABLE_WEBHOOK_SECRET; stop with a clear message when unset."""
    secret = os.environ.get("HOSPITABLE_WEBHOOK_SECRET", "")
    if not secret:
        print(
            "error: HOSPITABLE_WEBHOOK_SECRET is not set: set it to your webhook secret "
            "(personal use: the base64 of your primary email, which "
            "`hospitable-hook secret you@example.com` prints)",
            file=sys.stderr,
        )
        # 3 is gunicorn's "worker failed to boot": it stops, rather than
        # restarting the worker forever.
        sys.exit(3)
    if secret.strip() != secret:
        print(
            "warning: HOSPITABLE_WEBHOOK_SECRET has surrounding whitespace; it is used "
            "byte for byte, so every signature will mismatch unless Hospitable's secret has it too",
            file=sys.stderr,
        )
    return secret


def record_processed(event_id: str) -> None:
    """Append the id to HOSPITABLE_PROCESSED_LOG, when set.

    `hospitable-hook check --observe` greps this file to prove that a retry
    was not processed twice.
    """
    path = os.environ.get("HOSPITABLE_PROCESSED_LOG")
    if path and event_id:
        with open(path, "a", encoding="utf-8") as f:
            f.write(event_id + "\n")
