"""The Hospitable webhook endpoint.

It verifies every delivery on the raw body, answers 200 at once and hands
the work to a background thread.
"""
import json
import logging
import queue
import threading

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hospitable_webhook import record_processed, verify

log = logging.getLogger(__name__)

# The ids taken on, so a retry (same id) is answered 200 without doing the
# work twice; the lock makes check-and-add one step, so two copies arriving
# at the same moment cannot both pass. Its limits: it lives in memory, so a
# restart forgets it, two processes (gunicorn workers) do not share it, and
# it grows with every delivery. In production, use a model with
# `id = models.CharField(primary_key=True, max_length=26)` and create the
# row in the same transaction as the work (an IntegrityError means done).
_seen = set()
_seen_lock = threading.Lock()

# Work runs on a background thread after the answer went out. In
# production use a durable queue (Celery, django-q, a jobs table): events
# still in this queue are lost if the process stops.
_jobs = queue.Queue()


@csrf_exempt  # Hospitable cannot send a CSRF token; the signature is the check
@require_POST
def hospitable_webhook(request):
    # The raw bytes, before any JSON parsing: the signature covers exactly
    # these. Never verify json.dumps(json.loads(...)): its bytes differ.
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse({"error": "body larger than 5 MiB"}, status=413)
    problem = verify(settings.HOSPITABLE_WEBHOOK_SECRET, body, request.headers.get("Signature"))
    if problem:
        log.warning("refused a delivery: %s", problem)
        return JsonResponse({"error": problem}, status=401)
    try:
        event = json.loads(body)
    except ValueError:
        return JsonResponse({"error": "signed, but not a JSON envelope"}, status=400)
    event_id = event.get("id") if isinstance(event, dict) else None
    event_id = event_id if isinstance(event_id, str) else ""
    with _seen_lock:
        duplicate = event_id in _seen
        if event_id and not duplicate:
            _seen.add(event_id)
    if duplicate:
        return JsonResponse({"status": "duplicate"})
    record_processed(event_id)
    _jobs.put(event)
    # Every validly signed delivery gets 200, actions this code does not
    # know yet included: anything else makes Hospitable retry the same bytes.
    return JsonResponse({"status": "accepted"})


def handle(event):
    """Where your code goes."""
    action = event.get("action") if isinstance(event, dict) else None
    if action in ("reservation.created", "reservation.updated", "reservation.changed"):
        log.info("reservation event %s: sync it to your system here", event.get("id"))
    elif action == "message.created":
        log.info("message event %s: reply or notify here", event.get("id"))
    else:
        # Unknown or not yet interesting: acknowledged all the same.
        log.info("no handler for %s: ignored", action)


def _worker():
    while True:
        event = _jobs.get()
        try:
            handle(event)
        except Exception:  # one bad event must not stop the worker
            log.exception("handling %s failed", event.get("id") if isinstance(event, dict) else "?")


threading.Thread(target=_worker, daemon=True).start()
