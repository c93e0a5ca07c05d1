"""python3 manage.py test: the signature check and the endpoint."""
import hashlib
import hmac
import json

from django.test import SimpleTestCase, override_settings

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


class VerifyTest(SimpleTestCase):
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


@override_settings(HOSPITABLE_WEBHOOK_SECRET=SECRET)
class EndpointTest(SimpleTestCase):
    def post(self, body, signature=None):
        headers = {"HTTP_SIGNATURE": signature} if signature is not None else {}
        return self.client.post("/webhooks/hospitable", body, content_type="application/json", **headers)

    def test_answers(self):
        self.assertEqual(self.post(BODY, sign(BODY)).status_code, 200)
        self.assertEqual(self.post(BODY, sign(BODY)).json(), {"status": "duplicate"})
        self.assertEqual(self.post(BODY).status_code, 401)
        self.assertEqual(self.post(BODY, "0" * 64).status_code, 401)
        unknown = BODY.replace(b"reservation.created", b"something.new").replace(b"TES\"", b"TEZ\"")
        self.assertEqual(self.post(unknown, sign(unknown)).status_code, 200)
