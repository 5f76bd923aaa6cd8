package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestKinds(t *testing.T) {
	errGone := New(NotFound, "booking: not found")
	wrapped := fmt.Errorf("cancel 7: %w", errGone)
	tests := []struct {
		err  error
		want error
	}{
		{errGone, NotFound},
		{wrapped, NotFound},
		{New(Forbidden, "leave: not yours"), Forbidden},
		{New(Conflict, "booking: taken"), Conflict},
		{New(Invalid, "leave: end before start"), Invalid},
		{errors.New("disk full"), nil},
		{nil, nil},
	}
	for _, tt := range tests {
		if got := KindOf(tt.err); got != tt.want {
			t.Errorf("KindOf(%v) = %v; want %v", tt.err, got, tt.want)
		}
	}
	if errGone.Error() != "booking: not found" {
		t.Errorf("Error() = %q; want the module's own text", errGone.Error())
	}
	if errors.Is(errGone, Forbidden) {
		t.Error("a not-found error is also forbidden")
	}
	if errors.Is(New(NotFound, "a"), New(NotFound, "a")) {
		t.Error("two module errors of one kind are the same error")
	}
}
