package listener

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// source is the sender's address as judged: the connection's peer, or with
// TrustProxy the last X-Forwarded-For entry (the one the proxy appended;
// entries before it are whatever the client claimed).
func (h *Handler) source(r *http.Request) string {
	if h.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	return r.RemoteAddr
}

func (h *Handler) allowed(addr string) bool {
	if len(h.cfg.AllowIPs) == 0 {
		return true
	}
	ip, err := netip.ParseAddr(hostOnly(addr))
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range h.cfg.AllowIPs {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func hostOnly(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return strings.Trim(addr, "[]")
}

// ParsePrefix reads one --allow-ip entry: a CIDR such as 38.80.170.0/24
// (its host bits cleared) or a single address, which stands for itself.
func ParsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}
