package notify

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

// sink is an in-process SMTP server that records what it receives. It can be
// taken down and brought back on the same port, and can refuse chosen
// recipients, so the tests exercise go-mail against a real SMTP dialogue.
type sink struct {
	t    testing.TB
	addr string

	mu         sync.Mutex
	srv        *smtp.Server
	got        []received
	count      int             // messages accepted, also when discard is set
	discard    bool            // count only, for benchmarks
	rejectRcpt map[string]bool // 550 at RCPT
	tempRcpt   map[string]bool // 451 at RCPT
	rejectData map[string]bool // 550 after DATA
	// dropAfter cuts the connection once after accepting a message to the
	// address, before the reply: the server has it, the client does not know.
	dropAfter  map[string]bool
	user, pass string // AUTH PLAIN required when set
}

// received is one accepted message.
type received struct {
	From  string
	Rcpts []string
	Data  []byte
}

// MessageID returns the Message-ID header of the raw message.
func (r received) MessageID() string {
	m, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		return ""
	}
	return m.Header.Get("Message-ID")
}

func newSink(t testing.TB) *sink {
	s := &sink{t: t, rejectRcpt: map[string]bool{}, tempRcpt: map[string]bool{}, rejectData: map[string]bool{}, dropAfter: map[string]bool{}}
	s.up()
	t.Cleanup(s.down)
	return s
}

// up starts listening, on a fresh port the first time and on the same one after down.
func (s *sink) up() {
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

// down closes the listener and every open connection: the server is unreachable.
func (s *sink) down() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

func (s *sink) port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

func (s *sink) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func (s *sink) accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// perMessageID counts the received copies of each Message-ID.
func (s *sink) perMessageID() map[string]int {
	out := map[string]int{}
	for _, m := range s.messages() {
		out[m.MessageID()]++
	}
	return out
}

// NewSession implements smtp.Backend.
func (s *sink) NewSession(c *smtp.Conn) (smtp.Session, error) { return &session{sink: s, conn: c}, nil }

type session struct {
	sink   *sink
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
		x.sink.got = append(x.sink.got, received{From: x.from, Rcpts: append([]string(nil), x.rcpts...), Data: b})
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

// rcptOf returns the lone recipient of a received message.
func rcptOf(r received) string { return strings.Join(r.Rcpts, ",") }
