package schedule

import "errors"

// ErrNothingToDo is what a job returns when its run found no work. The
// scheduler counts such runs instead of listing each one, so a job that runs
// every ten seconds does not bury the runs that did something.
var ErrNothingToDo = errors.New("nothing to do")

// Did is the result of a run that acted on n things: ErrNothingToDo for none.
func Did(n int, err error) error {
	if err == nil && n == 0 {
		return ErrNothingToDo
	}
	return err
}
