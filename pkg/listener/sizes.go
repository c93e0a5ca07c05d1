package listener

import (
	"fmt"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytesize"
)

// FormatBytes renders a size the way limits are written: 5 MiB, 512 KiB, 100 B.
func FormatBytes(n int64) string { return bytesize.Limit(n) }

// ParseBytes reads a size such as "5MiB", "512KiB", "5MB" or "1000".
func ParseBytes(s string) (int64, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"MIB", 1 << 20}, {"KIB", 1 << 10}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSuffix(t, u.suffix), u.mult
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(t, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != t || n > (1<<40)/mult {
		return 0, fmt.Errorf("bad size %q: use a positive size like 5MiB, 512KiB or 1000", s)
	}
	return n * mult, nil
}
