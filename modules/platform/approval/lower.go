package approval

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/web"
)

// Lowering is one part of a request its approver may approve less of than
// asked (a warehouse request's line), with a reason when lowered. The email
// link's approve page shows a quantity and a reason field for each, so an
// approver needs no sign-in to give less; a kind's own page may show the
// same fields through partials/lowerings.
type Lowering struct {
	Label       string // what it is, in the reader's language ("Copy paper A4")
	Asked       string // what was asked, written for the reader ("10")
	Unit        string // the unit, in the reader's language ("ream")
	Value       string // what the form starts with: what the approver may give, as typed
	QtyField    string // the quantity's form field
	ReasonField string // the reason's form field
}

// Lowerer is what a kind provides for its approvers to lower parts of a
// request from the email link's page: Lowerings lists the parts still to
// decide, written in lang; Lower applies the fields the page sent (field →
// value, only those posted) inside the deciding transaction, before the step
// is approved, with Decider(ctx) the approver. A problem it returns as
// FieldErrors goes next to its fields on the page and decides nothing.
type Lowerer struct {
	Lowerings func(ctx context.Context, q *gorm.DB, req *Request, lang string) ([]Lowering, error)
	Lower     func(ctx context.Context, tx *gorm.DB, req *Request, values map[string]string, lang string) error
}

// FieldErrors are a Lowerer's problems with what the approver typed, each
// by its form field ("" for the form as a whole).
type FieldErrors struct{ web.Errors }

func (f *FieldErrors) Error() string {
	fields := make([]string, 0, len(f.Errors))
	for name, m := range f.Errors {
		fields = append(fields, name+": "+m.Key)
	}
	return "approval: " + strings.Join(fields, ", ")
}

// lowerings are the parts of v's request its approver may lower on an approve
// link's page, none for a reject link or a link that cannot decide.
func (e *Engine) lowerings(ctx context.Context, q *gorm.DB, v *LinkView, lang string) ([]Lowering, error) {
	k, ok := e.kind(v.Request.Kind)
	if !ok || k.Lowerer == nil || v.State != LinkValid || v.Action != ActionApprove {
		return nil, nil
	}
	return k.Lowerer.Lowerings(ctx, q, v.Request, lang)
}
