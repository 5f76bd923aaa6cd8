package warehouse

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/approval"
	"kapu/modules/platform/web"
)

// handleRequestDecide is the approver's decision in the app: per line the
// quantity to approve (less than asked with a reason) and Approve, or
// Reject with the reason. Every problem goes next to its line's field and
// the form comes back as typed; a request someone decided first says so.
func (m *Module) handleRequestDecide(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	ctx, a := c.UserContext(), web.ActorOf(c)
	v, err := m.svc.ViewRequest(ctx, a, id)
	if err != nil {
		return err
	}
	comment := c.FormValue("comment")
	form := fiber.Map{"typed": true, "comment": comment}
	var decisions []LineDecision
	for i := range v.Lines {
		l := &v.Lines[i]
		if !l.Undecided() {
			continue
		}
		q, reason := c.FormValue(lineField(l.Seq, "qty")), c.FormValue(lineField(l.Seq, "reason"))
		form[lineField(l.Seq, "qty")], form[lineField(l.Seq, "reason")] = q, reason
		decisions = append(decisions, LineDecision{LineID: l.ID, Quantity: q, Reason: reason})
	}
	switch c.FormValue("decision") {
	case approval.ActionApprove:
		_, err = m.svc.ApproveLines(ctx, a, id, decisions, comment)
	case approval.ActionReject:
		_, err = m.svc.RejectRequest(ctx, a, id, comment)
	default:
		return fiber.ErrBadRequest
	}
	errs := web.Errors{}
	// A LineError names the line's place on the request (its Seq), except
	// for a decision naming no line of it, where it is the decision's.
	row := func(n int) int { return n }
	switch {
	case errors.Is(err, ErrNotPending), errors.Is(err, approval.ErrDecided):
		web.AddFlash(c, "info", web.T(c, "warehouse.err.not_pending"))
		return c.Redirect(requestPath(id), fiber.StatusSeeOther)
	case placeRequestErrors(m.svc.cat, web.LangOf(c), errs, err, row, true):
		return m.showRequest(c, id, form, errs)
	case err != nil:
		return err
	}
	if c.FormValue("decision") == approval.ActionReject {
		web.Success(c, "warehouse.decide.rejected", "Number", web.FormatID(id))
	} else {
		web.Success(c, "warehouse.decide.approved", "Number", web.FormatID(id))
	}
	return c.Redirect(requestPath(id), fiber.StatusSeeOther)
}
