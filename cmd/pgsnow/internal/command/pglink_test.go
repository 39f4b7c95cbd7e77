package command

import (
	"bytes"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"
)

// pgLink is a TCP proxy in front of PostgreSQL for fault tests. Armed,
// it holds back the whole answer to the next COPY it sees, so that an
// extraction is provably in flight when the test strikes (copying is
// closed then). cut resets every connection (RST, as a lost network looks to
// the client) and refuses new ones until heal.
type pgLink struct {
	dsn      string // the source DSN, through the link
	upstream string
	ln       net.Listener
	copying  chan struct{} // closed when an armed link holds a COPY

	mu    sync.Mutex
	armed bool
	held  bool
	down  bool
	conns map[*net.TCPConn]bool
}

func newPGLink(t *testing.T, dsn string) *pgLink {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &pgLink{upstream: u.Host, ln: ln, copying: make(chan struct{}), conns: map[*net.TCPConn]bool{}}
	u.Host = ln.Addr().String()
	l.dsn = u.String()
	go l.serve()
	t.Cleanup(func() { ln.Close(); l.cut() })
	return l
}

func (l *pgLink) serve() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		go l.pipe(c.(*net.TCPConn))
	}
}

func (l *pgLink) pipe(c *net.TCPConn) {
	l.mu.Lock()
	down := l.down
	l.mu.Unlock()
	if down {
		c.SetLinger(0)
		c.Close()
		return
	}
	uc, err := net.Dial("tcp", l.upstream)
	if err != nil {
		c.Close()
		return
	}
	u := uc.(*net.TCPConn)
	l.mu.Lock()
	l.conns[c], l.conns[u] = true, true
	l.mu.Unlock()
	defer func() {
		c.Close()
		u.Close()
		l.mu.Lock()
		delete(l.conns, c)
		delete(l.conns, u)
		l.mu.Unlock()
	}()
	hold := make(chan struct{}) // closed before an armed COPY reaches the server
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := c.Read(buf)
			if n > 0 && bytes.Contains(buf[:n], []byte("COPY (")) {
				l.mu.Lock()
				if l.armed && !l.held {
					l.held = true
					close(hold)
					close(l.copying)
				}
				l.mu.Unlock()
			}
			if n > 0 {
				if _, err := u.Write(buf[:n]); err != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		u.Close()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := u.Read(buf)
		if n > 0 {
			select {
			case <-hold:
				// The COPY's answer never reaches the client: the
				// extraction stays in flight until the server (a
				// restart) or the link (cut) ends the connection.
				for {
					if _, err := u.Read(buf); err != nil {
						return
					}
				}
			default:
			}
			if _, err := c.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// holdCopy arms the link and waits until it holds a COPY; false when
// none came within 10 s.
func (l *pgLink) holdCopy() bool {
	l.mu.Lock()
	l.armed = true
	l.mu.Unlock()
	select {
	case <-l.copying:
		return true
	case <-time.After(10 * time.Second):
		return false
	}
}

// cut resets every connection and refuses new ones.
func (l *pgLink) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = true
	for c := range l.conns {
		c.SetLinger(0)
		c.Close()
	}
	clear(l.conns)
}

func (l *pgLink) heal() {
	l.mu.Lock()
	l.down = false
	l.mu.Unlock()
}
