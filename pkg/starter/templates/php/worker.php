<?php

declare(strict_types=1);

// Does the work of queued deliveries, one at a time, after public/index.php
// answered them (the Procfile's worker: line runs it). `php worker.php
// --once` handles what is queued and stops.

function handle(array $event): void
{
    // Where your code goes.
    $action = $event['action'] ?? null;
    $id = $event['id'] ?? '?';
    switch ($action) {
        case 'reservation.created':
        case 'reservation.updated':
        case 'reservation.changed':
            echo "reservation event {$id}: sync it to your system here\n";
            break;
        case 'message.created':
            echo "message event {$id}: reply or notify here\n";
            break;
        default:
            // Unknown or not yet interesting: acknowledged all the same.
            echo "no handler for {$action} ({$id}): ignored\n";
    }
}

$queue = __DIR__ . '/var/queue';
$once = in_array('--once', $argv, true);
do {
    foreach (glob($queue . '/*.json') ?: [] as $job) {
        // Claim by renaming, so two workers never take the same job.
        $claimed = $job . '.working';
        if (!@rename($job, $claimed)) {
            continue;
        }
        $event = json_decode((string) file_get_contents($claimed), true);
        try {
            handle(is_array($event) ? $event : []);
            unlink($claimed);
        } catch (Throwable $e) {
            fwrite(STDERR, "handling {$job} failed: {$e->getMessage()}\n");
            rename($claimed, $job . '.failed');
        }
    }
    if (!$once) {
        sleep(1);
    }
} while (!$once);
