package observe

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestCommandCount(t *testing.T) {
	d := Delivery{ID: "01KB6DGNF0E0G2JW0F2RHT0C6B", Action: "reservation.created", Case: "duplicate-delivery"}
	tests := []struct {
		line    string
		want    int
		wantErr error
	}{
		{`echo 1`, 1, nil},
		{`printf 'counting %s\n2\n' "$HOSPITABLE_HOOK_ID"`, 2, nil},
		{`test "$HOSPITABLE_HOOK_ACTION/$HOSPITABLE_HOOK_CASE" = reservation.created/duplicate-delivery && echo 3`, 3, nil},
		{`echo many`, 0, ErrNotANumber},
		{`echo -1`, 0, ErrNotANumber},
		{`exit 3`, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := Command{Line: tt.line}.Count(context.Background(), d)
			var oe *Error
			switch {
			case tt.line == "exit 3":
				if !errors.As(err, &oe) || !strings.Contains(err.Error(), "exit status 3") {
					t.Errorf("Count(%q) error = %v, want an *Error with the exit status", tt.line, err)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), "must print one integer") {
					t.Errorf("Count(%q) error = %v, want %v", tt.line, err, tt.wantErr)
				}
			case err != nil || got != tt.want:
				t.Errorf("Count(%q) = %d, %v; want %d", tt.line, got, err, tt.want)
			}
		})
	}
}

func TestVerdict(t *testing.T) {
	if Verdict(1, 2) != "" || !strings.Contains(Verdict(2, 2), "2 times") || !strings.Contains(Verdict(0, 1), "0 runs") {
		t.Errorf("Verdict: %q, %q, %q", Verdict(1, 2), Verdict(2, 2), Verdict(0, 1))
	}
}
