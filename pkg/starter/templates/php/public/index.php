<?php

declare(strict_types=1);

// A Hospitable webhook receiver in plain PHP. It verifies every delivery
// on the raw body, records the event in a queue directory and answers 200
// at once; worker.php does the work afterwards.

require __DIR__ . '/../src/HospitableWebhook.php';

const VAR_DIR = __DIR__ . '/../var';

function answer(int $status, array $body): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    echo json_encode($body);
}

function logLine(string $line): void
{
    file_put_contents('php://stderr', $line . "\n");
}

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if ($path !== '/webhooks/hospitable') {
    answer(404, ['error' => 'not found']);
    return;
}
if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
    header('Allow: POST');
    answer(405, ['error' => 'use POST']);
    return;
}

$secret = HospitableWebhook::secretFromEnv($problem);
if ($secret === null) {
    logLine("error: $problem");
    answer(500, ['error' => 'the receiver has no secret configured']);
    return;
}

// The raw bytes, before any JSON parsing: the signature covers exactly
// these. Reading at most MAX_BODY + 1 bytes enforces the limit.
if ((int) ($_SERVER['CONTENT_LENGTH'] ?? 0) > HospitableWebhook::MAX_BODY) {
    answer(413, ['error' => 'body larger than 5 MiB']);
    return;
}
$body = (string) file_get_contents('php://input', false, null, 0, HospitableWebhook::MAX_BODY + 1);
if (strlen($body) > HospitableWebhook::MAX_BODY) {
    answer(413, ['error' => 'body larger than 5 MiB']);
    return;
}

$problem = HospitableWebhook::verify($secret, $body, $_SERVER['HTTP_SIGNATURE'] ?? null);
if ($problem !== null) {
    logLine("refused a delivery: $problem");
    answer(401, ['error' => $problem]);
    return;
}

$event = json_decode($body, true);
if (!is_array($event)) {
    answer(400, ['error' => 'signed, but not a JSON envelope']);
    return;
}
$id = is_string($event['id'] ?? null) ? $event['id'] : '';

// De-duplication by the envelope id, so a retry (same id) is answered 200
// without doing the work twice. Creating the marker file with mode 'x' is
// atomic: of two copies arriving at the same moment, only one creates it.
// Its limits: the markers live on this machine's disk, so two servers do
// not share them, and they accumulate. In production, insert the id into
// your database under a unique constraint, in the same transaction as the
// work (Laravel: a unique column and insertOrIgnore).
if ($id !== '') {
    @mkdir(VAR_DIR . '/seen', 0700, true);
    $marker = @fopen(VAR_DIR . '/seen/' . hash('sha256', $id), 'x');
    if ($marker === false) {
        logLine("duplicate {$id}: already taken on, answered 200");
        answer(200, ['status' => 'duplicate']);
        return;
    }
    fclose($marker);
    $log = getenv('HOSPITABLE_PROCESSED_LOG');
    if ($log !== false && $log !== '') {
        // Lets `hospitable-hook check --observe` count how often an id was taken on.
        file_put_contents($log, $id . "\n", FILE_APPEND | LOCK_EX);
    }
}

// Queue the work and answer now: a file per event, written then renamed so
// worker.php never sees half of one. In Laravel dispatch a job instead
// (ProcessHospitableWebhook::dispatch($event)); under PHP-FPM,
// fastcgi_finish_request() also lets slow work run after the answer.
@mkdir(VAR_DIR . '/queue', 0700, true);
$job = VAR_DIR . '/queue/' . sprintf('%.6f', microtime(true)) . '-' . bin2hex(random_bytes(4)) . '.json';
file_put_contents($job . '.tmp', $body);
rename($job . '.tmp', $job);

// Every validly signed delivery gets 200, actions this code does not know
// yet included: anything else makes Hospitable retry the same bytes.
logLine("accepted " . ($event['action'] ?? '?') . " {$id}");
answer(200, ['status' => 'accepted']);
