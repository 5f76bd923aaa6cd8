package helpdesk

import (
	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// purchaseForm is the purchase form as typed.
type purchaseForm struct {
	What, Why, Cost, Supplier string
	Wait                      bool
}

// purchaseFields places purchase errors on the form.
var purchaseFields = map[error]web.FieldMessage{
	ErrPurchaseWhat:     {"what", "helpdesk.purchase.err.what"},
	ErrPurchaseWhy:      {"why", "helpdesk.purchase.err.why"},
	ErrPurchaseText:     {"", "helpdesk.purchase.err.text"},
	ErrPurchaseCost:     {"cost", "helpdesk.purchase.err.cost"},
	ErrPurchaseApprover: {"", "helpdesk.purchase.err.approver"},
	ErrClosed:           {"", "helpdesk.err.closed"},
}

// handlePurchaseShow shows the ticket's purchase requests and the form.
func (m *Module) handlePurchaseShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.renderPurchase(c, id, purchaseForm{Wait: true}, nil)
}

// handlePurchaseCreate sends a purchase request for approval.
func (m *Module) handlePurchaseCreate(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	form := purchaseForm{What: c.FormValue("what"), Why: c.FormValue("why"), Cost: c.FormValue("cost"),
		Supplier: c.FormValue("supplier"), Wait: c.FormValue("wait") == "on"}
	in := PurchaseInput{What: form.What, Why: form.Why, Supplier: form.Supplier, Wait: form.Wait}
	errs := web.Errors{}
	if n, ok := ParseForints(form.Cost); ok {
		in.Cost = n
	} else if form.Cost != "" {
		errs.Add("cost", "helpdesk.purchase.err.cost")
	}
	if errs.Any() {
		_, cerr := in.check()
		errs.AddFieldErrors(cerr, purchaseFields)
		return m.renderPurchase(c, id, form, errs)
	}
	pr, err := m.svc.RequestPurchase(c.UserContext(), web.ActorOf(c), id, in)
	if errs, ok := web.FieldErrors(err, purchaseFields); ok {
		return m.renderPurchase(c, id, form, errs)
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.purchase.sent", "What", pr.What)
	return c.Redirect(ticketPath(id)+"/purchase", fiber.StatusSeeOther)
}

// purchaseView is the purchase page's data.
type purchaseView struct {
	Ticket    *Ticket
	Purchases []PurchaseRow
	Back      string
	Limit     int64
}

func (m *Module) renderPurchase(c *fiber.Ctx, id uint, form purchaseForm, errs web.Errors) error {
	a := web.ActorOf(c)
	ps, err := m.svc.Purchases(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	t, err := m.svc.Get(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	limit, err := purchaseLimit(m.svc.db.R.WithContext(c.UserContext()))
	if err != nil {
		return err
	}
	return web.RenderForm(c, "helpdesk/purchase", web.Page{
		Title: "helpdesk.purchase.title", Form: form, Errors: errs,
		Data: purchaseView{Ticket: t, Purchases: ps, Back: ticketPath(id), Limit: limit},
	})
}
