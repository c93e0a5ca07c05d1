package listener

import (
	"net"
	"net/http"
	"sync"
)

// DefaultMaxConns caps the connections `listen` keeps open at once when
// the process's file limit allows as many; see LimitConns.
const DefaultMaxConns = 1024

// LimitConns returns ln accepting at most max connections at a time (0:
// DefaultMaxConns, lowered to fit the process's open-file limit), and
// sets srv's ConnState hook to know which of them are idle keep-alives.
// When the cap is reached, the connection idle the longest is closed to
// make room, so idle keep-alives can never starve a sender with a
// delivery; only when every connection is busy does the next one wait.
func LimitConns(srv *http.Server, ln net.Listener, n int) net.Listener {
	if n <= 0 {
		n = DefaultMaxConns
		if limit := openFileLimit(); limit > 0 {
			// Leave room for the capture file, the forward client's
			// connections and the runtime's own descriptors.
			n = min(n, limit-32)
		}
		n = max(n, 8)
	}
	l := &connLimiter{Listener: ln, slots: make(chan struct{}, n), done: make(chan struct{}), wentIdle: make(chan struct{}, 1), idle: map[*limitedConn]uint64{}}
	prev := srv.ConnState
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		if lc, ok := c.(*limitedConn); ok && lc.l == l {
			l.setIdle(lc, s == http.StateIdle)
		}
		if prev != nil {
			prev(c, s)
		}
	}
	return l
}

type connLimiter struct {
	net.Listener
	slots     chan struct{}
	done      chan struct{}
	closeOnce sync.Once

	mu   sync.Mutex
	idle map[*limitedConn]uint64 // idle keep-alives, by when they went idle (a sequence number)
	seq  uint64
	// wentIdle is signalled (coalesced) when a connection goes idle, for
	// an Accept waiting at the cap.
	wentIdle chan struct{}
}

// Accept waits for a free slot, closing the longest-idle connection when
// there is none, then accepts.
func (l *connLimiter) Accept() (net.Conn, error) {
	if !l.acquire() {
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, l: l}, nil
}

func (l *connLimiter) acquire() bool {
	for {
		select {
		case l.slots <- struct{}{}:
			return true
		default:
		}
		if l.closeOldestIdle() {
			continue // its slot is free now
		}
		select {
		case l.slots <- struct{}{}:
			return true
		case <-l.wentIdle: // close that one
		case <-l.done:
			return false
		}
	}
}

// closeOldestIdle closes the connection idle the longest, and reports
// whether there was one.
func (l *connLimiter) closeOldestIdle() bool {
	l.mu.Lock()
	var oldest *limitedConn
	var since uint64
	for c, n := range l.idle {
		if oldest == nil || n < since {
			oldest, since = c, n
		}
	}
	if oldest != nil {
		delete(l.idle, oldest)
	}
	l.mu.Unlock()
	if oldest == nil {
		return false
	}
	_ = oldest.Close()
	return true
}

func (l *connLimiter) setIdle(c *limitedConn, idle bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if idle {
		l.seq++
		l.idle[c] = l.seq
		select {
		case l.wentIdle <- struct{}{}:
		default:
		}
	} else {
		delete(l.idle, c)
	}
}

// Close stops accepting; an Accept waiting for a slot returns.
func (l *connLimiter) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitedConn gives its slot back when closed, once.
type limitedConn struct {
	net.Conn
	l    *connLimiter
	once sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.setIdle(c, false)
		<-c.l.slots
	})
	return err
}
