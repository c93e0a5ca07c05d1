<?php

declare(strict_types=1);

// Run before the server starts (see the Procfile): refuse to start without
// the secret, rather than answer every delivery with an error.
require __DIR__ . '/../src/HospitableWebhook.php';

$secret = HospitableWebhook::secretFromEnv($problem, $warning);
if ($warning !== null) {
    fwrite(STDERR, "warning: $warning\n");
}
if ($secret === null) {
    fwrite(STDERR, "error: $problem\n");
    exit(1);
}
