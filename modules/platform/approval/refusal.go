package approval

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
)

// Refusal is a kind's callback saying "this decision cannot be made" in words
// the deciding person understands (a car request whose hold expired), rather
// than failing. The deciding transaction still rolls back; Key is a catalog
// key the approval pages show with Args. With Withdraw the engine then
// withdraws the request, for when it can never be approved any more, so it
// leaves the approvers' inboxes and its links stop working.
type Refusal struct {
	Key      string
	Args     []any
	Withdraw bool
	Err      error // the module's own error, for logs and errors.Is
}

func (r *Refusal) Error() string {
	if r.Err != nil {
		return "approval: refused (" + r.Key + "): " + r.Err.Error()
	}
	return "approval: refused (" + r.Key + ")"
}

func (r *Refusal) Unwrap() error { return r.Err }

// AsRefusal returns the refusal in err's chain, if any.
func AsRefusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}

// afterRefusal withdraws the request when the refusal asks for it; the
// refusal itself stays the answer, so a failed withdrawal is joined to it.
func (e *Engine) afterRefusal(ctx context.Context, requestID uint, err error) error {
	r, ok := AsRefusal(err)
	if !ok || !r.Withdraw || requestID == 0 {
		return err
	}
	werr := e.db.Tx(ctx, func(tx *gorm.DB) error {
		return e.Withdraw(ctx, tx, actor.System(), requestID)
	})
	if werr != nil && !errors.Is(werr, ErrDecided) {
		return errors.Join(err, werr)
	}
	return err
}
