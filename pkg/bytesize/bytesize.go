// Package bytesize writes sizes for people, in the two ways the tool
// needs: a limit as it is written in a flag (5 MiB) and a measured size
// rounded to one decimal (7.0 KiB).
package bytesize

import "fmt"

// Limit writes a size the way limits are written: 5 MiB, 512 KiB, 100 B;
// a size that is not a whole number of KiB or MiB stays in bytes.
func Limit(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// Approx writes a measured size to one decimal: 7.0 KiB, 1.1 MiB, 51 B.
func Approx(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}
