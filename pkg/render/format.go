package render

import "fmt"

// sprintf formats a diagnostic line for stderr. Warnings and errors quote
// outside values (a capture line, a header, a URL), so the result goes
// through SafeBlock: line breaks stay, escapes do not.
func sprintf(format string, args ...any) string { return SafeBlock(fmt.Sprintf(format, args...)) }

func sprintfln(format string, args ...any) string { return sprintf(format, args...) + "\n" }
