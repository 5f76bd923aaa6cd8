package warehouse

import "errors"

// splitErrors are the errors an errors.Join holds, else err alone.
func splitErrors(err error) []error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			return j.Unwrap()
		}
	}
	return []error{err}
}

// errorIs is errors.Is, short for the handlers' tables.
func errorIs(err, target error) bool { return errors.Is(err, target) }
