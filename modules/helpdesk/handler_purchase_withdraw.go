package helpdesk

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// purchaseParams reads the ticket's and the purchase's ids from the path.
func purchaseParams(c *fiber.Ctx) (id, purchase uint, err error) {
	if id, err = web.IDParam(c); err != nil {
		return 0, 0, err
	}
	purchase, err = web.IDParam(c, "purchase")
	return id, purchase, err
}

// refusedWithdraw tells why a purchase cannot be withdrawn (someone else's,
// decided already) back on the purchase page; false for other errors, which
// answer with their own status (another queue's ticket, a purchase of
// another ticket).
func refusedWithdraw(c *fiber.Ctx, err error, back string) (bool, error) {
	for _, e := range []error{ErrPurchaseNotOwn, ErrPurchaseDecided} {
		if errors.Is(err, e) {
			web.AddFlash(c, "error", web.T(c, messages[e]))
			return true, c.Redirect(back, fiber.StatusSeeOther)
		}
	}
	return false, nil
}

// handlePurchaseWithdrawConfirm asks before withdrawing a pending purchase.
// It changes nothing.
func (m *Module) handlePurchaseWithdrawConfirm(c *fiber.Ctx) error {
	id, purchase, err := purchaseParams(c)
	if err != nil {
		return err
	}
	back := ticketPath(id) + "/purchase"
	pr, err := m.svc.PurchaseToWithdraw(c.UserContext(), web.ActorOf(c), id, purchase)
	if done, rerr := refusedWithdraw(c, err, back); done {
		return rerr
	}
	if err != nil {
		return err
	}
	return web.RenderConfirm(c, web.Confirm{
		Title: "helpdesk.purchase.withdraw_title",
		Question: web.T(c, "helpdesk.purchase.withdraw_question", "What", pr.What,
			"Cost", forints(web.LangOf(c), pr.Cost)),
		Details: []string{web.T(c, "helpdesk.purchase.withdraw_effect", "Name", pr.Approver),
			web.T(c, "helpdesk.purchase.withdraw_ticket")},
		Action: back + "/" + web.FormatID(pr.ID) + "/withdraw",
		Button: web.T(c, "helpdesk.purchase.withdraw"),
		Back:   back,
	})
}

// handlePurchaseWithdraw withdraws the purchase and returns to the page.
func (m *Module) handlePurchaseWithdraw(c *fiber.Ctx) error {
	id, purchase, err := purchaseParams(c)
	if err != nil {
		return err
	}
	back := web.NextOr(c, ticketPath(id)+"/purchase")
	pr, err := m.svc.WithdrawPurchase(c.UserContext(), web.ActorOf(c), id, purchase)
	if done, rerr := refusedWithdraw(c, err, back); done {
		return rerr
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.purchase.withdrawn", "What", pr.What)
	return c.Redirect(back, fiber.StatusSeeOther)
}
