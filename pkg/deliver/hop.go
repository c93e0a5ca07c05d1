package deliver

// HopByHop returns the headers of RFC 9110 that belong to one connection,
// not to the request: a delivery passed on (replayed, forwarded) leaves
// them out, and the transport sets its own. It is a fresh slice each call.
func HopByHop() []string {
	return []string{
		"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
		"Te", "Trailer", "Transfer-Encoding", "Upgrade",
	}
}
