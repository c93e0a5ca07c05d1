package render

import (
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress is a live bar on standard error. It draws only when standard
// error is a terminal; elsewhere every method does nothing, so logs and
// pipes stay clean.
type Progress struct {
	bar  *progressbar.ProgressBar
	stop chan struct{}
	done sync.WaitGroup
}

// NewProgress starts a bar counting to total (deliveries, say).
func (s *IO) NewProgress(description string, total int64) *Progress {
	if !s.errTTY {
		return &Progress{}
	}
	return &Progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(s.ErrOut),
		progressbar.OptionSetDescription(description),
		progressbar.OptionEnableColorCodes(s.colorErr),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("deliveries"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)}
}

// Countdown shows a wait of d as a bar that fills as time passes, labelled
// with what is being waited for. Call Finish when the wait is over.
func (s *IO) Countdown(description string, d time.Duration, now func() time.Time) *Progress {
	if !s.errTTY || d <= 0 {
		return &Progress{}
	}
	p := &Progress{
		bar: progressbar.NewOptions64(d.Milliseconds(),
			progressbar.OptionSetWriter(s.ErrOut),
			progressbar.OptionSetDescription(description),
			progressbar.OptionEnableColorCodes(s.colorErr),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetRenderBlankState(true),
		),
		stop: make(chan struct{}),
	}
	start := now()
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				_ = p.bar.Set64(min(now().Sub(start).Milliseconds(), d.Milliseconds()))
			}
		}
	}()
	return p
}

// Add counts n more done.
func (p *Progress) Add(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n)
	}
}

// Finish removes the bar, leaving the terminal as it was.
func (p *Progress) Finish() {
	if p.stop != nil {
		close(p.stop)
		p.done.Wait()
		p.stop = nil
	}
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
		p.bar = nil
	}
}
