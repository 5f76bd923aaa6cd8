// Package errs holds the four kinds every module error belongs to, so the web
// layer maps them to a status once (404, 403, 409, 422) instead of each module
// listing its own errors.
package errs

import "errors"

// The kinds. A module error is one of them through New; test with errors.Is.
var (
	NotFound  = errors.New("not found")
	Forbidden = errors.New("forbidden")
	Conflict  = errors.New("conflict")
	Invalid   = errors.New("invalid")
)

// New returns an error that reads msg and is the kind (errors.Is(err, kind)).
func New(kind error, msg string) error { return &kindError{kind: kind, msg: msg} }

type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }

func (e *kindError) Is(target error) bool { return target == e.kind }

// KindOf is the kind err belongs to, or nil when it is none of them.
func KindOf(err error) error {
	for _, k := range []error{NotFound, Forbidden, Conflict, Invalid} {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}
