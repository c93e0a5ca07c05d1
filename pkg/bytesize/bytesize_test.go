package bytesize

import "testing"

func TestLimitAndApprox(t *testing.T) {
	tests := []struct {
		n             int64
		limit, approx string
	}{
		{0, "0 B", "0 B"},
		{100, "100 B", "100 B"},
		{512 << 10, "512 KiB", "512.0 KiB"},
		{5 << 20, "5 MiB", "5.0 MiB"},
		{5<<20 + 1, "5242881 B", "5.0 MiB"},
		{1153434, "1153434 B", "1.1 MiB"},
		{7168, "7 KiB", "7.0 KiB"},
	}
	for _, tt := range tests {
		if got := Limit(tt.n); got != tt.limit {
			t.Errorf("Limit(%d) = %q, want %q", tt.n, got, tt.limit)
		}
		if got := Approx(tt.n); got != tt.approx {
			t.Errorf("Approx(%d) = %q, want %q", tt.n, got, tt.approx)
		}
	}
}
