package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/replay"
)

// sendOutput is how send and replay show the deliveries they post.
type sendOutput struct {
	IO      *render.IO
	Now     func() time.Time
	JSON    bool
	Verbose bool
	verb    string // "sent", "replayed": for the interrupted message
}

// deliverEach posts the deliveries one after the other and prints a line
// (or a JSON record) for each, then a summary when there were several. A
// bad URL is an input error; an interruption or any answer but 200 is a
// failure, once every delivery has been tried. extra, when set, gives the
// headers of the i-th delivery instead of the target's.
func (o sendOutput) deliverEach(ctx context.Context, t target, deliveries []event.Delivery, extra func(i int) http.Header) error {
	results := make([]render.SendResult, 0, len(deliveries))
	for i, d := range deliveries {
		if ctx.Err() != nil {
			break
		}
		header := t.Header
		if extra != nil {
			header = extra(i)
		}
		r, err := o.deliverOne(ctx, t, d, header, nil)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	if len(results) < len(deliveries) {
		o.summary(results)
		return &checkFailed{fmt.Errorf("interrupted: %d of %d deliveries %s", len(results), len(deliveries), o.verb)}
	}
	return o.finish(results)
}

// deliverOne posts one delivery and prints its line (or JSON record). A
// bad URL is an input error. item, when replaying, is the delivery's
// capture record: it says which answer is right and fills in the --json
// line.
func (o sendOutput) deliverOne(ctx context.Context, t target, d event.Delivery, header http.Header, item *replay.Item) (render.SendResult, error) {
	at := o.Now()
	resp, err := t.Client.Post(ctx, t.URL, d, header)
	if isURLError(err) {
		return render.SendResult{}, inputErr(err)
	}
	r := render.SendResult{Time: at, URL: t.URL, Delivery: d, Response: resp, Err: err}
	var rec any = render.NewSendRecord(r)
	if item != nil {
		r.ExpectRefusal = item.ExpectRefusal
		rec = render.NewReplayRecord(r, *item)
	}
	if o.JSON {
		if err := o.IO.JSON(rec); err != nil {
			return r, err
		}
	} else {
		render.SendLine(o.IO.Out, o.IO.Styles(), r, o.Verbose)
	}
	return r, nil
}

// summary prints the summary line when there were several deliveries.
func (o sendOutput) summary(results []render.SendResult) {
	if len(results) > 1 && !o.JSON {
		render.SendSummary(o.IO.Out, o.IO.Styles(), results)
	}
}

// finish prints the summary and fails when any answer was not 200.
func (o sendOutput) finish(results []render.SendResult) error {
	o.summary(results)
	if msg := render.SendFailure(results); msg != "" {
		return &checkFailed{errors.New(msg)}
	}
	return nil
}

// isURLError reports whether a post failed on its URL, an input error,
// rather than on the way or at the endpoint.
func isURLError(err error) bool {
	var ue *deliver.URLError
	return errors.As(err, &ue)
}

// urlInputErr marks err as an input error when the URL was at fault.
func urlInputErr(err error) error {
	if isURLError(err) {
		return inputErr(err)
	}
	return err
}
