package listener

import "github.com/hospitable-hook/hospitable-hook/pkg/capture"

// Record is the capture record of a delivery event, as `listen --save`
// writes it, without its body: the caller sets that with SetBody, or with
// SetBodyUpTo to keep only the start (a refused forgery). It is the one
// mapping of an event to a record: the capture file, `listen --json` and
// the inspector's export all use it.
func (ev Event) Record() capture.Record {
	return capture.Record{
		ReceivedAt: ev.ReceivedAt, Method: ev.Method, Path: ev.Path, RemoteAddr: ev.RemoteAddr,
		Headers: ev.Header, Verified: ev.Verified, Reason: ev.Reason,
		Action: ev.Delivery.Action, ID: ev.Delivery.ID, Status: ev.Status,
	}
}
