"""Unit test of the signature check: python3 -m unittest"""

import hashlib
import hmac
import json
import unittest

from hospitable_webhook import verify

SECRET = "dXNlckBleGFtcGxlLmNvbQ=="  # base64 of user@example.com
# Escaped slashes and \u escapes, as Hospitable's PHP sender writes them:
# re-encoding this body would change its bytes.
BODY = (
    b'{"id":"01JTESTTESTTESTTESTTESTTES","action":"reservation.created",'
    b'"data":{"url":"https:\\/\\/example.com","guest":"Jos\\u00e9"},'
    b'"created":"2025-01-01T00:00:00Z","version":"1.0"}'
)


def sign(body, key=SECRET):
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


class VerifyTest(unittest.TestCase):
    def test_accepts_the_signature_of_the_raw_bytes(self):
        self.assertIsNone(verify(SECRET, BODY, sign(BODY)))

    def test_refuses(self):
        good = sign(BODY)
        cases = {
            "missing": (BODY, None),
            "empty": (BODY, ""),
            "short": (BODY, good[:10]),
            "non-ASCII (no TypeError)": (BODY, "é" * 64),
            "upper-case hex": (BODY, good.upper()),
            "sha256= prefix": (BODY, "sha256=" + good),
            "two headers, joined": (BODY, good + "," + good),
            "re-encoded JSON": (json.dumps(json.loads(BODY)).encode(), good),
            "trailing newline": (BODY + b"\n", good),
            "decoded email as key": (BODY, sign(BODY, "user@example.com")),
        }
        for name, (body, header) in cases.items():
            with self.subTest(name):
                self.assertIsNotNone(verify(SECRET, body, header))


if __name__ == "__main__":
    unittest.main()
