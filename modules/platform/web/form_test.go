package web

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/errs"
)

// msgOf is the message a parser left for field, "" for none.
func msgOf(errs Errors, field string) string { return errs[field].Key }

func TestParseID(t *testing.T) {
	tests := []struct {
		in   string
		want uint
		msg  string
	}{
		{"7", 7, ""},
		{"4294967295", 4294967295, ""},
		{"", 0, MsgChoice},
		{"0", 0, MsgChoice},
		{"-1", 0, MsgChoice},
		{"x", 0, MsgChoice},
		{"4294967296", 0, MsgChoice},
	}
	for _, tt := range tests {
		errs := Errors{}
		if got := ParseID(tt.in, "f", errs); got != tt.want || msgOf(errs, "f") != tt.msg {
			t.Errorf("ParseID(%q) = %v, %q; want %v, %q", tt.in, got, msgOf(errs, "f"), tt.want, tt.msg)
		}
	}
}

func TestParseOptionalID(t *testing.T) {
	seven := uint(7)
	tests := []struct {
		in   string
		want *uint
		msg  string
	}{
		{"", nil, ""},
		{"7", &seven, ""},
		{"0", nil, MsgChoice},
		{"abc", nil, MsgChoice},
	}
	for _, tt := range tests {
		errs := Errors{}
		if got := ParseOptionalID(tt.in, "f", errs); !reflect.DeepEqual(got, tt.want) || msgOf(errs, "f") != tt.msg {
			t.Errorf("ParseOptionalID(%q) = %v, %q; want %v, %q", tt.in, got, msgOf(errs, "f"), tt.want, tt.msg)
		}
	}
}

func TestFormatID(t *testing.T) {
	for _, id := range []uint{1, 42, 4294967295} {
		if got, ok := ID(FormatID(id)); !ok || got != id {
			t.Errorf("ID(FormatID(%d)) = %d, %v; want %d, true", id, got, ok, id)
		}
	}
}

func TestRequired(t *testing.T) {
	tests := []struct{ in, want, msg string }{
		{" Szeged ", "Szeged", ""},
		{"", "", MsgRequired},
		{"  \t", "", MsgRequired},
	}
	for _, tt := range tests {
		errs := Errors{}
		if got := Required(tt.in, "f", errs); got != tt.want || msgOf(errs, "f") != tt.msg {
			t.Errorf("Required(%q) = %q, %q; want %q, %q", tt.in, got, msgOf(errs, "f"), tt.want, tt.msg)
		}
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in       string
		min, max int
		want     int
		msg      string
	}{
		{"12", 0, 100, 12, ""},
		{" 12 ", 0, 100, 12, ""},
		{"", 1, 100, 0, ""}, // left out
		{"-3", math.MinInt, math.MaxInt, -3, ""},
		{"sok", 0, 100, 0, MsgNumber},
		{"1.5", 0, 100, 0, MsgNumber},
		{"99999999999999999999", 0, 100, 0, MsgNumber},
		{"101", 0, 100, 101, MsgRange},
		{"-1", 0, math.MaxInt, -1, MsgAtLeast},
	}
	for _, tt := range tests {
		errs := Errors{}
		got := ParseInt(tt.in, "f", tt.min, tt.max, errs)
		if (tt.msg == "" && got != tt.want) || msgOf(errs, "f") != tt.msg {
			t.Errorf("ParseInt(%q, %d, %d) = %d, %q; want %d, %q", tt.in, tt.min, tt.max, got, msgOf(errs, "f"), tt.want, tt.msg)
		}
	}
}

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		msg  string
	}{
		{"32,5", 32.5, ""},
		{"32.5", 32.5, ""},
		{" 7 ", 7, ""},
		{"", 0, ""},
		{"-1", 0, MsgQuantity},
		{"10000,1", 0, MsgQuantity},
		{"NaN", 0, MsgQuantity},
		{"sok", 0, MsgQuantity},
	}
	for _, tt := range tests {
		errs := Errors{}
		if got := ParseQuantity(tt.in, "f", 0, 10000, errs); got != tt.want || msgOf(errs, "f") != tt.msg {
			t.Errorf("ParseQuantity(%q) = %v, %q; want %v, %q", tt.in, got, msgOf(errs, "f"), tt.want, tt.msg)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in       string
		want     int
		msg      string
		wantEnd  int
		msgAtEnd string
	}{
		{in: "08:30", want: 510, wantEnd: 510},
		{in: "00:00", want: 0, wantEnd: 0},
		{in: "23:59", want: 1439, wantEnd: 1439},
		{in: "24:00", msg: MsgTime, wantEnd: 1440},
		{in: "8:30", msg: MsgTime, msgAtEnd: MsgTime},
		{in: "12:60", msg: MsgTime, msgAtEnd: MsgTime},
		{in: "7 óra", msg: MsgTime, msgAtEnd: MsgTime},
		{in: "", msg: MsgTime, msgAtEnd: MsgTime},
	}
	for _, tt := range tests {
		errs := Errors{}
		if got := ParseTime(tt.in, "f", errs); got != tt.want || msgOf(errs, "f") != tt.msg {
			t.Errorf("ParseTime(%q) = %d, %q; want %d, %q", tt.in, got, msgOf(errs, "f"), tt.want, tt.msg)
		}
		errs = Errors{}
		if got := ParseEndTime(tt.in, "f", errs); got != tt.wantEnd || msgOf(errs, "f") != tt.msgAtEnd {
			t.Errorf("ParseEndTime(%q) = %d, %q; want %d, %q", tt.in, got, msgOf(errs, "f"), tt.wantEnd, tt.msgAtEnd)
		}
	}
}

func TestFieldErrors(t *testing.T) {
	errTaken, errPast := errors.New("taken"), errors.New("past")
	table := map[error]FieldMessage{errTaken: {"", "taken"}, errPast: {"from", "past"}}
	errs, ok := FieldErrors(fmt.Errorf("book: %w", errPast), table, "Km", 3)
	if want := (Errors{"from": {Key: "past", Args: []any{"Km", 3}}}); !ok || !reflect.DeepEqual(errs, want) {
		t.Errorf("FieldErrors(past) = %v, %v; want %v, true", errs, ok, want)
	}
	if errs, ok := FieldErrors(errors.New("disk full"), table); ok || errs != nil {
		t.Errorf("FieldErrors(disk full) = %v, %v; want nil, false", errs, ok)
	}
	// A form with two problems at once shows both, each at its field; a
	// second problem of one field does not replace the first.
	errShort, errName := errors.New("short"), errors.New("name")
	table[errShort], table[errName] = FieldMessage{"from", "short"}, FieldMessage{"name", "name"}
	joined := fmt.Errorf("book: %w", errors.Join(errPast, errName, errShort))
	errs, ok = FieldErrors(joined, table)
	if want := (Errors{"from": {Key: "past"}, "name": {Key: "name"}}); !ok || !reflect.DeepEqual(errs, want) {
		t.Errorf("FieldErrors(joined) = %v, %v; want %v, true", errs, ok, want)
	}
	kept := Errors{"name": {Key: "typed"}}
	if !kept.AddFieldErrors(joined, table) || kept["name"].Key != "typed" || kept["from"].Key != "past" {
		t.Errorf("AddFieldErrors onto a form's errors = %v; want its own name message kept and from added", kept)
	}
}

func TestFieldErrorsOfFieldError(t *testing.T) {
	errTaken := errors.New("taken")
	table := map[error]FieldMessage{errTaken: {"", "taken"}}
	joined := fmt.Errorf("save: %w", errors.Join(
		NewFieldError("name", MsgRequired),
		NewFieldError("minutes", MsgRange, "Min", 5, "Max", 480),
		NewFieldError("name", "too_long"), // a second problem of the name
		errTaken))
	got, ok := FieldErrors(joined, table, "Ignored", 1)
	want := Errors{"name": {Key: MsgRequired}, "minutes": {Key: MsgRange, Args: []any{"Min", 5, "Max", 480}},
		"": {Key: "taken", Args: []any{"Ignored", 1}}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("FieldErrors(joined field errors) = %v, %v; want %v, true", got, ok, want)
	}
	one := NewFieldError("email", "bad_email")
	if got, ok := FieldErrors(fmt.Errorf("office 3: %w", one), nil); !ok || got["email"].Key != "bad_email" {
		t.Errorf("FieldErrors(one wrapped field error, no table) = %v, %v; want email marked", got, ok)
	}
	if !errors.Is(one, errs.Invalid) || errs.KindOf(joined) != errs.Invalid {
		t.Errorf("a field error is not an errs.Invalid: the error page would be a 500")
	}
}

func TestRenderForm(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		name    string
		errs    Errors
		status  int
		want    int
		summary string
	}{
		{"no errors", nil, 0, 200, ""},
		{"field errors", Errors{"day": {Key: MsgDate}}, 0, 422, MsgSummary},
		{"own message for the form", Errors{"": {Key: "login.failed"}}, 0, 422, "login.failed"},
		{"status of its own", Errors{"": {Key: "login.failed"}}, 401, 401, "login.failed"},
		{"a form shown again without errors", nil, 200, 200, ""},
	}
	for i, tt := range tests {
		path := fmt.Sprintf("/form-%d", i)
		var seen Errors
		s.App.Get(path, func(c *fiber.Ctx) error {
			p := Page{Title: "error.not_found", Errors: tt.errs, Status: tt.status}
			err := RenderForm(c, "partials/form_errors", p)
			seen = tt.errs
			return err
		})
		res, err := s.App.Test(httptest.NewRequest("GET", path, nil))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != tt.want || msgOf(seen, "") != tt.summary {
			t.Errorf("RenderForm(%s) = %d, summary %q; want %d, %q", tt.name, res.StatusCode, msgOf(seen, ""), tt.want, tt.summary)
		}
	}
}

func TestErrorKindStatuses(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		err  error
		want int
		text string
	}{
		{errs.New(errs.NotFound, "booking: not found"), 404, "Page not found"},
		{fmt.Errorf("cancel 7: %w", errs.New(errs.Forbidden, "leave: not allowed")), 403, "You do not have access"},
		{errs.New(errs.Conflict, "booking: no longer active"), 409, "This cannot be done now"},
		{errs.New(errs.Invalid, "leave: days out of range"), 422, "This could not be done"},
		{errors.New("disk full"), 500, "Something went wrong"},
		{fiber.ErrBadRequest, 400, "could not be understood"},
	}
	for i, tt := range tests {
		path := fmt.Sprintf("/kind-%d", i)
		err := tt.err
		s.App.Get(path, func(c *fiber.Ctx) error { return err })
		res, rerr := s.App.Test(httptest.NewRequest("GET", path, nil))
		if rerr != nil {
			t.Fatal(rerr)
		}
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != tt.want || !strings.Contains(string(body), tt.text) {
			t.Errorf("handler returning %v = %d; want %d with %q", tt.err, res.StatusCode, tt.want, tt.text)
		}
	}
}

func TestValidText(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want bool
	}{
		{"Kovács Anna", 20, true},
		{"két sor\r\nés\ttab", 20, true},
		{"ékezet", 6, true}, // characters, not bytes
		{"ékezetes", 6, false},
		{"nul\x00", 20, false},
		{"bell\a", 20, false},
		{"\xff\xfe", 20, false},
	} {
		if got := ValidText(tt.in, tt.max); got != tt.want {
			t.Errorf("ValidText(%q, %d) = %v; want %v", tt.in, tt.max, got, tt.want)
		}
	}
}
