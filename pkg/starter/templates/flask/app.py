"""A Hospitable webhook receiver on Flask.

It verifies every delivery on the raw body, answers 200 at once and hands
the work to a background thread.
"""

import json
import os
import queue
import threading

from flask import Flask, jsonify, request

from hospitable_webhook import record_processed, secret_from_env, verify

SECRET = secret_from_env()

# Hospitable documents no limit; deliveries are a few KB.
MAX_BODY = 5 * 1024 * 1024

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY

# The ids taken on, so a retry (same id) is answered 200 without doing the
# work twice; the lock makes check-and-add one step, so two copies arriving
# at the same moment cannot both pass. Its limits: it lives in memory, so a
# restart forgets it, two processes (gunicorn workers) do not share it, and
# it grows with every delivery. In production, insert the id into your
# database under a unique constraint, in the same transaction as the work.
_seen = set()
_seen_lock = threading.Lock()

# Work runs on a background thread after the answer went out. In
# production use a durable queue (Celery, RQ, a jobs table): events still
# in this queue are lost if the process stops.
_jobs = queue.Queue()


@app.post("/webhooks/hospitable")
def hospitable_webhook():
    # The raw bytes, before any JSON parsing: the signature covers exactly
    # these. Never verify json.dumps(request.json): its bytes differ.
    # Reading at most MAX_BODY + 1 bytes enforces the limit on every Flask
    # version, also for a body sent without Content-Length.
    if (request.content_length or 0) > MAX_BODY:
        return jsonify(error="body larger than 5 MiB"), 413
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return jsonify(error="body larger than 5 MiB"), 413
    problem = verify(SECRET, body, request.headers.get("Signature"))
    if problem:
        app.logger.warning("refused a delivery: %s", problem)
        return jsonify(error=problem), 401
    try:
        event = json.loads(body)
    except ValueError:
        return jsonify(error="signed, but not a JSON envelope"), 400
    event_id = event.get("id") if isinstance(event, dict) else None
    event_id = event_id if isinstance(event_id, str) else ""
    with _seen_lock:
        duplicate = event_id in _seen
        if event_id and not duplicate:
            _seen.add(event_id)
    if duplicate:
        return jsonify(status="duplicate"), 200
    record_processed(event_id)
    _jobs.put(event)
    # Every validly signed delivery gets 200, actions this code does not
    # know yet included: anything else makes Hospitable retry the same bytes.
    return jsonify(status="accepted"), 200


def handle(event):
    """Where your code goes."""
    action = event.get("action") if isinstance(event, dict) else None
    if action in ("reservation.created", "reservation.updated", "reservation.changed"):
        print(f"reservation event {event.get('id')}: sync it to your system here", flush=True)
    elif action == "message.created":
        print(f"message event {event.get('id')}: reply or notify here", flush=True)
    else:
        # Unknown or not yet interesting: acknowledged all the same.
        print(f"no handler for {action}: ignored", flush=True)


def _worker():
    while True:
        event = _jobs.get()
        try:
            handle(event)
        except Exception:  # one bad event must not stop the worker
            app.logger.exception("handling %s failed", event.get("id") if isinstance(event, dict) else "?")


threading.Thread(target=_worker, daemon=True).start()

if __name__ == "__main__":
    # Flask's development server; the Procfile runs gunicorn.
    app.run(host=os.environ.get("HOST", "0.0.0.0"), port=int(os.environ.get("PORT", "3000")), threaded=True)
