// Package smtptest is an in-process SMTP server for tests: go-mail talks a
// real SMTP dialogue to it, and the test reads what arrived. It is a plain
// package, not a _test file, so every module's tests (and the app test kit)
// can point Kapu's mail delivery at one.
package smtptest

import (
	"bytes"
	"errors"
	"io"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Sink is an in-process SMTP server that records what it receives. It can be
// taken down and brought back on the same port, and can refuse chosen
// recipients, so the tests exercise go-mail against a real SMTP dialogue.
type Sink struct {
	t    testing.TB
	addr string

	mu         sync.Mutex
	srv        *smtp.Server
	got        []Message
	count      int             // messages accepted, also when discard is set
	discard    bool            // count only, for benchmarks
	rejectRcpt map[string]bool // 550 at RCPT
	tempRcpt   map[string]bool // 451 at RCPT
	rejectData map[string]bool // 550 after DATA
	dropAfter  map[string]bool // connection cut once after DATA, before the reply
	user, pass string          // AUTH PLAIN required when set
}

// Message is one accepted message.
type Message struct {
	From  string
	Rcpts []string
	Data  []byte
}

// MessageID returns the Message-ID header of the raw message.
func (r Message) MessageID() string {
	m, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		return ""
	}
	return m.Header.Get("Message-ID")
}

// New starts a sink on a free loopback port; it stops when the test ends.
func New(t testing.TB) *Sink {
	s := &Sink{t: t, rejectRcpt: map[string]bool{}, tempRcpt: map[string]bool{}, rejectData: map[string]bool{}, dropAfter: map[string]bool{}}
	s.Up()
	t.Cleanup(s.Down)
	return s
}

// Up starts listening, on a fresh port the first time and on the same one after Down.
func (s *Sink) Up() {
	s.t.Helper()
	addr := s.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var l net.Listener
	var err error
	for i := 0; i < 50; i++ { // the old socket may take a moment to let go of the port
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("smtp sink listen: %v", err)
	}
	s.addr = l.Addr().String()
	srv := smtp.NewServer(s)
	srv.Domain = "sink.test"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = quietLog{}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// Down closes the listener and every open connection: the server is unreachable.
func (s *Sink) Down() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// Port is the port the sink listens on (on 127.0.0.1).
func (s *Sink) Port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

// Messages returns the messages accepted so far, oldest first.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.got...)
}

// Accepted counts the messages accepted so far, also those Discard dropped.
func (s *Sink) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// PerMessageID counts the received copies of each Message-ID.
func (s *Sink) PerMessageID() map[string]int {
	out := map[string]int{}
	for _, m := range s.Messages() {
		out[m.MessageID()]++
	}
	return out
}

// RejectRcpt makes the sink answer 550 at RCPT for the address.
func (s *Sink) RejectRcpt(addr string) { s.set(s.rejectRcpt, addr) }

// TempFailRcpt makes the sink answer 451 (try later) at RCPT for the address.
func (s *Sink) TempFailRcpt(addr string) { s.set(s.tempRcpt, addr) }

// RejectData makes the sink refuse (550) a message to the address after DATA.
func (s *Sink) RejectData(addr string) { s.set(s.rejectData, addr) }

// DropAfter cuts the connection once after accepting a message to the
// address, before the reply: the server has it, the client does not know.
func (s *Sink) DropAfter(addr string) { s.set(s.dropAfter, addr) }

// RequireAuth makes the sink demand AUTH PLAIN with these credentials.
func (s *Sink) RequireAuth(user, pass string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.pass = user, pass
}

// Discard makes the sink count messages without keeping them, for benchmarks.
func (s *Sink) Discard() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.discard = true
}

func (s *Sink) set(m map[string]bool, addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m[addr] = true
}

// NewSession implements smtp.Backend.
func (s *Sink) NewSession(c *smtp.Conn) (smtp.Session, error) { return &session{sink: s, conn: c}, nil }

type session struct {
	sink   *Sink
	conn   *smtp.Conn
	authed bool
	from   string
	rcpts  []string
}

func (x *session) Reset()        { x.from, x.rcpts = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		x.sink.mu.Lock()
		defer x.sink.mu.Unlock()
		if user != x.sink.user || pass != x.sink.pass {
			return errors.New("invalid credentials")
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.sink.mu.Lock()
	needAuth := x.sink.user != ""
	x.sink.mu.Unlock()
	if needAuth && !x.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.sink.mu.Lock()
	reject, temp := x.sink.rejectRcpt[to], x.sink.tempRcpt[to]
	x.sink.mu.Unlock()
	if reject {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox here"}
	}
	if temp {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Mailbox busy, try later"}
	}
	x.rcpts = append(x.rcpts, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.sink.mu.Lock()
	defer x.sink.mu.Unlock()
	for _, to := range x.rcpts {
		if x.sink.rejectData[to] {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Message refused by policy"}
		}
	}
	x.sink.count++
	if !x.sink.discard {
		x.sink.got = append(x.sink.got, Message{From: x.from, Rcpts: append([]string(nil), x.rcpts...), Data: b})
	}
	for _, to := range x.rcpts {
		if x.sink.dropAfter[to] {
			delete(x.sink.dropAfter, to)
			_ = x.conn.Conn().Close()
		}
	}
	return nil
}

// quietLog drops the server's complaints about connections the tests cut.
type quietLog struct{}

func (quietLog) Printf(string, ...any) {}
func (quietLog) Println(...any)        {}

// To returns the recipients of the message, joined by commas.
func (r Message) To() string { return strings.Join(r.Rcpts, ",") }
