'use strict';
// A Hospitable webhook receiver on Fastify. It verifies every delivery on
// the raw body, answers 200 at once and does the work afterwards.
const fs = require('node:fs');
const Fastify = require('fastify');
const { verify, secretFromEnv } = require('./verify');

// Hospitable documents no limit; deliveries are a few KB. Larger bodies get
// 413 from Fastify before this code runs.
const MAX_BODY = 5 * 1024 * 1024;

function buildServer(secret, processedLog) {
  const app = Fastify({ bodyLimit: MAX_BODY });

  // Keep the exact bytes: the signature covers them, and Fastify's JSON
  // parser followed by JSON.stringify would not give them back. The
  // catch-all parser also takes deliveries with an unexpected Content-Type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => done(null, body));

  // The ids taken on, so a retry (same id) is answered 200 without doing the
  // work twice. Node runs this handler on one thread, so checking and adding
  // cannot interleave. Its limits: it lives in memory, so a restart forgets
  // it, two instances do not share it, and it grows with every delivery. In
  // production, insert the id into your database under a unique constraint,
  // in the same transaction as the work.
  const seen = new Set();

  app.post('/webhooks/hospitable', (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const problem = verify(secret, body, request.headers.signature);
    if (problem) {
      console.log(`refused a delivery: ${problem}`);
      return reply.code(401).send({ error: problem });
    }
    let event;
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch {
      return reply.code(400).send({ error: 'signed, but not a JSON envelope' });
    }
    const id = typeof event.id === 'string' ? event.id : '';
    if (id && seen.has(id)) {
      console.log(`duplicate ${event.action} ${id}: already taken on, answered 200`);
      return reply.code(200).send({ status: 'duplicate' });
    }
    if (id) seen.add(id);
    if (processedLog && id) fs.appendFileSync(processedLog, id + '\n');
    // The work runs after the answer. setImmediate keeps this starter free of
    // dependencies; in production hand it to a durable queue (BullMQ, a jobs
    // table), since work not yet done is lost if the process stops.
    setImmediate(() => handle(event));
    // Every validly signed delivery gets 200, actions this code does not
    // know yet included: anything else makes Hospitable retry the same bytes.
    return reply.code(200).send({ status: 'accepted' });
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
  const app = buildServer(secret, process.env.HOSPITABLE_PROCESSED_LOG);
  app.listen({ port, host: process.env.HOST || '0.0.0.0' }, (err) => {
    if (err) {
      console.error(`error: ${err.message}`);
      process.exit(1);
    }
    console.log(`listening on :${port}, POST /webhooks/hospitable`);
  });
}

module.exports = { buildServer };
