'use strict';
// A Hospitable webhook receiver on Express. It verifies every delivery on
// the raw body, answers 200 at once and does the work afterwards.
const fs = require('node:fs');
const express = require('express');
const { verify, secretFromEnv } = require('./verify');

const MAX_BODY = '5mb'; // Hospitable documents no limit; deliveries are a few KB.

function createApp(secret, processedLog) {
  const app = express();

  // The ids taken on, so a retry (same id) is answered 200 without doing the
  // work twice. Node runs this handler on one thread, so checking and adding
  // cannot interleave. Its limits: it lives in memory, so a restart forgets
  // it, two instances do not share it, and it grows with every delivery. In
  // production, insert the id into your database under a unique constraint,
  // in the same transaction as the work.
  const seen = new Set();

  // express.raw keeps the exact bytes: the signature covers them, and
  // express.json() followed by JSON.stringify would not give them back.
  app.post('/webhooks/hospitable', express.raw({ type: () => true, limit: MAX_BODY }), (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const problem = verify(secret, body, req.headers.signature);
    if (problem) {
      console.log(`refused a delivery: ${problem}`);
      return res.status(401).json({ error: problem });
    }
    let event;
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch {
      return res.status(400).json({ error: 'signed, but not a JSON envelope' });
    }
    const id = typeof event.id === 'string' ? event.id : '';
    if (id && seen.has(id)) {
      console.log(`duplicate ${event.action} ${id}: already taken on, answered 200`);
      return res.status(200).json({ status: 'duplicate' });
    }
    if (id) seen.add(id);
    if (processedLog && id) fs.appendFileSync(processedLog, id + '\n');
    // Every validly signed delivery gets 200, actions this code does not
    // know yet included: anything else makes Hospitable retry the same bytes.
    res.status(200).json({ status: 'accepted' });
    // The work runs after the answer. setImmediate keeps this starter free of
    // dependencies; in production hand it to a durable queue (BullMQ, a jobs
    // table), since work not yet done is lost if the process stops.
    setImmediate(() => handle(event));
  });

  // Body too large (413) or unreadable (400): a JSON answer, never a crash.
  app.use((err, req, res, next) => {
    const status = err.status || err.statusCode || 500;
    res.status(status).json({ error: status === 413 ? 'body larger than 5 MiB' : 'could not read the body' });
  });
  return app;
}

// handle is where your code goes.
function handle(event) {
  switch (event.action) {
    case 'reservation.created':
    case 'reservation.updated':
    case 'reservation.changed':
      console.log(`reservation event ${event.id}: sync it to your system here`);
      break;
    case 'message.created':
      console.log(`message event ${event.id}: reply or notify here`);
      break;
    default:
      // Unknown or not yet interesting: acknowledged all the same.
      console.log(`no handler for ${event.action} (${event.id}): ignored`);
  }
}

if (require.main === module) {
  const secret = secretFromEnv();
  const port = Number(process.env.PORT || 3000);
  const app = createApp(secret, process.env.HOSPITABLE_PROCESSED_LOG);
  // HOST=127.0.0.1 keeps it off other machines; the default listens on every
  // interface, as hosts need.
  const server = app.listen(port, process.env.HOST || undefined, () => {
    const { address, port: bound } = server.address();
    console.log(`listening on ${address}:${bound}, POST /webhooks/hospitable`);
  });
}

module.exports = { createApp };
