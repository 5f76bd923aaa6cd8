package warehouse

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/approval"
	"kapu/modules/platform/web"
)

// lineView is one line of the request page.
type lineView struct {
	Seq                                             int
	Name, Code, Unit                                string
	Free                                            bool
	Requested, Approved, Reserved, Issued, Received string
	State, StateClass, Reason                       string
	// Less is an approver's "less than asked".
	Less bool
}

// linesView writes a request's lines for a reader in lang.
func (m *Module) linesView(c *fiber.Ctx, v *RequestView) []lineView {
	lang := web.LangOf(c)
	out := make([]lineView, len(v.Lines))
	for i := range v.Lines {
		l := &v.Lines[i]
		lv := lineView{Seq: l.Seq, Name: lineLabel(l, v.Items, lang), Free: l.Free(), Unit: web.T(c, "warehouse.unit."+l.Unit),
			Requested: l.Requested.Format(lang), Reserved: l.Reserved.Format(lang),
			Issued: l.Issued.Format(lang), Received: l.Received.Format(lang),
			State: l.State, StateClass: lineBadgeClass(l.State), Reason: l.Reason}
		if l.State != LineRequested {
			lv.Approved = l.Approved.Format(lang)
			lv.Less = l.Approved < l.Requested && l.State != LineCancelled
		}
		if it := v.Items[derefID(l.ItemID)]; it != nil {
			lv.Code = it.Code
		}
		out[i] = lv
	}
	return out
}

// derefID is *id, or 0 for none.
func derefID(id *uint) uint {
	if id == nil {
		return 0
	}
	return *id
}

// handleRequestShow is the request page: every line's quantities and
// state, the approver's reasons, the timeline; the cancel button for who
// asked and the decision form for the approver whose step it is. Someone
// else's request is a 404 (the service decides).
func (m *Module) handleRequestShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.showRequest(c, id, fiber.Map{}, web.Errors{})
}

// showRequest renders request id's page with the decision form as given
// (the typed values when it comes back with errors).
func (m *Module) showRequest(c *fiber.Ctx, id uint, form fiber.Map, errs web.Errors) error {
	v, err := m.svc.ViewRequest(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	var lower []approval.Lowering
	if v.CanDecide {
		lower = m.svc.lowerings(v.Lines, v.Items, web.LangOf(c))
	}
	if _, typed := form["typed"]; !typed {
		for _, l := range lower {
			form[l.QtyField] = l.Value
		}
	}
	page := web.Page{Title: "warehouse.req.title", Form: form, Errors: errs,
		Data: fiber.Map{"R": v, "Lines": m.linesView(c, v), "Lowerings": lower, "StatusClass": requestBadgeClass(v.Status), "Number": web.FormatID(v.ID)}}
	if errs.Any() {
		return web.RenderForm(c, "warehouse/request_show", page)
	}
	return web.Render(c, "warehouse/request_show", page)
}

// typedQty is q as a person in lang types it into a form: no grouping, the
// decimal comma in Hungarian ("1,5"), which ParseQty reads back.
func typedQty(q Qty, lang string) string {
	if lang == "hu" {
		return strings.Replace(q.String(), ".", ",", 1)
	}
	return q.String()
}
