package anonymize

import (
	"fmt"
	"strings"
	"unicode"
)

// replace returns the new token for a value of a known kind.
func (a *anonymizer) replace(l leaf, kind string) string {
	a.rep.Count[kind]++
	if !l.str {
		return fakeNumber(l.value, a.next())
	}
	v := l.value
	switch kind {
	case KindEmail:
		return a.encode(a.fake(v, a.newEmail))
	case KindPhone:
		return a.encode(a.fake(v, func() string { return a.newDigits(v) }))
	case KindName:
		return a.encode(a.fakeName(v, strings.Contains(strings.ToLower(l.last(1)), "last")))
	case KindAddress:
		return a.encode(a.fake(v, func() string { return fakeAddress(strings.ToLower(l.last(1)), v, a.next()) }))
	case KindLocation:
		return a.encode(a.fake(v, func() string { return fmt.Sprintf("Fakeville %d", a.next()) }))
	case KindPicture:
		return a.encode(a.fake(v, func() string { return fmt.Sprintf("https://example.com/picture-%d.jpg", a.next()) }))
	case KindWiFi:
		if strings.Contains(strings.ToLower(l.last(1)), "name") {
			return a.encode(a.fake(v, func() string { return fmt.Sprintf("GuestWiFi-%d", a.next()) }))
		}
		return a.encode(a.fake(v, func() string { return fakeSecret(v, a.next()) }))
	case KindCode:
		return a.encode(a.fake(v, func() string { return fakeDigits(fakeLetters(v, a.next()), a.next()) }))
	case KindText:
		return a.encode(lorem(v))
	}
	return a.encode(v)
}

func (a *anonymizer) next() int { a.n++; return a.n }

// newEmail makes a fake email address.
func (a *anonymizer) newEmail() string { return fmt.Sprintf("guest%d@example.com", a.next()) }

// newDigits makes a fake of v with its digits replaced.
func (a *anonymizer) newDigits(v string) string { return fakeDigits(v, a.next()) }

// fake returns the fake of v, making one with mk the first time.
func (a *anonymizer) fake(v string, mk func() string) string {
	if f, ok := a.fakes[v]; ok {
		return f
	}
	f := mk()
	a.fakes[v] = f
	a.made[f] = true
	return f
}

var (
	firstNames = []string{"Alex", "Sam", "Robin", "Jamie", "Casey", "Morgan", "Taylor", "Jordan", "Riley", "Avery"}
	lastNames  = []string{"Smith", "Jones", "Brown", "Miller", "Davis", "Wilson", "Moore", "Clark", "Lewis", "Walker"}
)

// fakeName replaces each word of a name by a fake word, the same word
// always by the same fake, so "José" and "José Carvalho" agree.
func (a *anonymizer) fakeName(v string, last bool) string {
	words := strings.Fields(v)
	for i, w := range words {
		isLast := last || i > 0
		words[i] = a.fake(w, func() string {
			n := a.next()
			if isLast {
				return lastNames[n%len(lastNames)]
			}
			return firstNames[n%len(firstNames)]
		})
	}
	return strings.Join(words, " ")
}

// fakeDigits keeps v's shape (length, '+', separators) and replaces every
// digit, from a sequence seeded by n.
func fakeDigits(v string, n int) string {
	x := uint32(n)*2654435761 + 12345
	return strings.Map(func(r rune) rune {
		if r < '0' || r > '9' {
			return r
		}
		x = x*1664525 + 1013904223
		return '0' + rune(x>>16%10)
	}, v)
}

// fakeLetters replaces every letter of v, keeping case.
func fakeLetters(v string, n int) string {
	i := n
	return strings.Map(func(r rune) rune {
		i++
		switch {
		case r >= 'a' && r <= 'z', r > 0x7f && unicode.IsLower(r):
			return 'a' + rune(i%26)
		case r >= 'A' && r <= 'Z', r > 0x7f && unicode.IsLetter(r):
			return 'A' + rune(i%26)
		}
		return r
	}, v)
}

// fakeSecret makes a password of v's length.
func fakeSecret(v string, n int) string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	out := make([]byte, len([]rune(v)))
	x := uint32(n*2654435761 + 1)
	for i := range out {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		out[i] = alphabet[x%uint32(len(alphabet))]
	}
	return string(out)
}

// fakeAddress fakes one part of an address.
func fakeAddress(key, v string, n int) string {
	switch key {
	case "street", "line1", "address1":
		return fmt.Sprintf("Example Street %d", n)
	case "street2", "line2", "address2", "apartment", "unit":
		return fmt.Sprintf("Unit %d", n)
	}
	return fakeDigits(fakeLetters(v, n), n) // number, postcode: same shape
}

// fakeNumber replaces the fraction digits of a coordinate, keeping the
// integer part (the region) and the number of digits.
func fakeNumber(raw string, n int) string {
	whole, frac, ok := strings.Cut(raw, ".")
	if !ok {
		return raw
	}
	digits := len(frac) - len(strings.TrimLeft(frac, "0123456789"))
	return whole + "." + fakeDigits(frac[:digits], n) + frac[digits:]
}

// lorem returns neutral text of v's length in runes.
func lorem(v string) string {
	const text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. "
	n := len([]rune(v))
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(text)
	}
	return strings.TrimRight(b.String()[:n], " ")
}
