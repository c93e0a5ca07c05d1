'use strict';
const test = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const { verify } = require('../verify');

const secret = 'dXNlckBleGFtcGxlLmNvbQ=='; // base64 of user@example.com
// Escaped slashes and \u escapes, as Hospitable's PHP sender writes them:
// re-encoding this body would change its bytes.
const body = Buffer.from('{"id":"01JTESTTESTTESTTESTTESTTES","action":"reservation.created","data":{"url":"https:\\/\\/example.com","guest":"Jos\\u00e9"},"created":"2025-01-01T00:00:00Z","version":"1.0"}');
const good = crypto.createHmac('sha256', secret).update(body).digest('hex');

test('accepts the signature of the raw bytes', () => {
  assert.strictEqual(verify(secret, body, good), null);
});

const refused = [
  ['missing', body, undefined],
  ['empty', body, ''],
  ['short (no throw on a wrong length)', body, good.slice(0, 10)],
  ['upper-case hex', body, good.toUpperCase()],
  ['sha256= prefix', body, 'sha256=' + good],
  ['two headers, joined by Node', body, good + ', ' + good],
  ['re-encoded JSON', Buffer.from(JSON.stringify(JSON.parse(body))), good],
  ['trailing newline', Buffer.concat([body, Buffer.from('\n')]), good],
  ['decoded email as key', body, crypto.createHmac('sha256', 'user@example.com').update(body).digest('hex')],
];
for (const [name, b, header] of refused) {
  test(`refuses: ${name}`, () => {
    assert.notStrictEqual(verify(secret, b, header), null);
  });
}
