package deliver

import (
	"net/url"
	"strings"
)

// RedactURL returns raw with its password, if any, replaced by "xxxxx", as
// url.URL.Redacted does: https://user:secret@host/hook reads
// https://user:xxxxx@host/hook. Every place that shows, logs or reports a
// target uses it; only the request itself carries the password. Text Go
// cannot parse as a URL is masked all the same where it looks like
// userinfo (scheme://user:password@).
func RedactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		if _, has := u.User.Password(); has {
			return u.Redacted()
		}
		return raw
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	authority, path, slash := strings.Cut(rest, "/")
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		if user, _, has := strings.Cut(authority[:at], ":"); has {
			authority = user + ":xxxxx" + authority[at:]
		}
	}
	if slash {
		path = "/" + path
	}
	return scheme + "://" + authority + path
}
