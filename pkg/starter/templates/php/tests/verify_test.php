<?php

declare(strict_types=1);

// php tests/verify_test.php: the signature check, with plain assertions.
require __DIR__ . '/../src/HospitableWebhook.php';

$secret = 'dXNlckBleGFtcGxlLmNvbQ=='; // base64 of user@example.com
// Escaped slashes and \u escapes, as Hospitable's sender writes them:
// re-encoding this body would change its bytes.
$body = '{"id":"01JTESTTESTTESTTESTTESTTES","action":"reservation.created","data":{"url":"https:\/\/example.com","guest":"Jos\u00e9","extras":{}},"created":"2025-01-01T00:00:00Z","version":"1.0"}';
$good = hash_hmac('sha256', $body, $secret);

$failed = 0;
$passed = 0;
function check(string $name, bool $ok): void
{
    global $failed, $passed;
    echo ($ok ? 'ok   ' : 'FAIL ') . $name . "\n";
    $ok ? $passed++ : $failed++;
}

check('accepts the signature of the raw bytes', HospitableWebhook::verify($secret, $body, $good) === null);
$refused = [
    'missing' => [$body, null],
    'empty' => [$body, ''],
    'short (no error on a wrong length)' => [$body, substr($good, 0, 10)],
    'upper-case hex' => [$body, strtoupper($good)],
    'sha256= prefix' => [$body, 'sha256=' . $good],
    'two headers, joined' => [$body, $good . ', ' . $good],
    're-encoded JSON ({} becomes [])' => [json_encode(json_decode($body, true)), $good],
    'trailing newline' => [$body . "\n", $good],
    'decoded email as key' => [$body, hash_hmac('sha256', $body, 'user@example.com')],
];
foreach ($refused as $name => [$b, $header]) {
    check("refuses: $name", HospitableWebhook::verify($secret, $b, $header) !== null);
}
echo "$passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
