package render

// JSONLines writes one line of JSON per item, as record makes it, for
// `--json` lists; it stops at the first write that fails.
func JSONLines[T, R any](s *IO, items []T, record func(T) R) error {
	for _, it := range items {
		if err := s.JSON(record(it)); err != nil {
			return err
		}
	}
	return nil
}
