"""A Hospitable webhook receiver on FastAPI.

It verifies every delivery on the raw body, answers 200 at once and runs
the work as a background task after the answer went out.
"""

import json
import os

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import JSONResponse

from hospitable_webhook import record_processed, secret_from_env, verify

SECRET = secret_from_env()

# Hospitable documents no limit; deliveries are a few KB.
MAX_BODY = 5 * 1024 * 1024

app = FastAPI()

# The ids taken on, so a retry (same id) is answered 200 without doing the
# work twice. The handler checks and adds with no await in between, so on
# the one event loop two copies arriving at the same moment cannot both
# pass. Its limits: it lives in memory, so a restart forgets it, two
# processes (uvicorn --workers) do not share it, and it grows with every
# delivery. In production, insert the id into your database under a unique
# constraint, in the same transaction as the work.
_seen = set()


def _too_large():
    return JSONResponse({"error": "body larger than 5 MiB"}, status_code=413)


@app.post("/webhooks/hospitable")
async def hospitable_webhook(request: Request, background: BackgroundTasks):
    # The raw bytes, before any JSON parsing: the signature covers exactly
    # these. Never take a pydantic model or dict parameter here: FastAPI
    # would parse the body, and re-encoded JSON has other bytes.
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        return _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return _too_large()
    body = bytes(body)
    # Repeated Signature headers are joined, which verify refuses.
    values = request.headers.getlist("signature")
    problem = verify(SECRET, body, ",".join(values) if values else None)
    if problem:
        print(f"refused a delivery: {problem}", flush=True)
        return JSONResponse({"error": problem}, status_code=401)
    try:
        event = json.loads(body)
    except ValueError:
        return JSONResponse({"error": "signed, but not a JSON envelope"}, status_code=400)
    event_id = event.get("id") if isinstance(event, dict) else None
    event_id = event_id if isinstance(event_id, str) else ""
    if event_id in _seen:
        return {"status": "duplicate"}
    if event_id:
        _seen.add(event_id)
    record_processed(event_id)
    # Runs after the answer is sent. BackgroundTasks suit light work; in
    # production use a durable queue (Celery, RQ, arq, a jobs table), since
    # tasks not yet run are lost if the process stops.
    background.add_task(handle, event)
    # Every validly signed delivery gets 200, actions this code does not
    # know yet included: anything else makes Hospitable retry the same bytes.
    return {"status": "accepted"}


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


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host=os.environ.get("HOST", "0.0.0.0"), port=int(os.environ.get("PORT", "3000")))
