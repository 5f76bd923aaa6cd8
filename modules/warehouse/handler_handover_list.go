package warehouse

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// handoverRow is a request of the handover list with its lines.
type handoverRow struct {
	ID                    uint
	Number                string
	Requester, Department string // whom it is for
	Ready, Reserve        bool   // has lines to hand over / to put out
	Lines                 []lineView
}

// handleHandoverList is the storekeeper's counter: requests whose lines
// are fully reserved (mark ready) or ready (hand over).
func (m *Module) handleHandoverList(c *fiber.Ctx) error {
	list, err := m.svc.HandoverList(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	var ids []uint
	for _, r := range list {
		for _, l := range r.Lines {
			if l.ItemID != nil {
				ids = append(ids, *l.ItemID)
			}
		}
	}
	var in []LineInput
	for _, id := range ids {
		in = append(in, LineInput{ItemID: id})
	}
	items, err := m.svc.itemsOf(c.UserContext(), in)
	if err != nil {
		return err
	}
	who, dept, err := m.svc.counterNames(c.UserContext(), list)
	if err != nil {
		return err
	}
	rows := make([]handoverRow, 0, len(list))
	for _, r := range list {
		v := &RequestView{RequestDetail: r, Items: items}
		row := handoverRow{ID: r.ID, Number: web.FormatID(r.ID), Lines: m.linesView(c, v),
			Requester: who[r.RequesterID], Department: dept[r.DepartmentID]}
		for _, l := range r.Lines {
			row.Ready = row.Ready || l.State == LineReady
			row.Reserve = row.Reserve || l.State == LineReserved
		}
		rows = append(rows, row)
	}
	return web.Render(c, "warehouse/handover", web.Page{Title: "warehouse.handover.title", Data: fiber.Map{"Rows": rows}})
}

// handleHandoverReady puts a request's reserved lines out for pickup and
// mails the requester.
func (m *Module) handleHandoverReady(c *fiber.Ctx) error {
	return m.handoverStep(c, m.svc.MarkReady, "warehouse.handover.done_ready")
}

// handleHandoverHand hands a request's ready lines over, issuing the stock.
func (m *Module) handleHandoverHand(c *fiber.Ctx) error {
	return m.handoverStep(c, m.svc.HandOver, "warehouse.handover.done_hand")
}

func (m *Module) handoverStep(c *fiber.Ctx, step func(ctx context.Context, a actor.Actor, id uint) error, ok string) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	back := web.NextOr(c, "/warehouse/stock/handover")
	switch err := step(c.UserContext(), web.ActorOf(c), id); {
	case err == nil:
		web.Success(c, ok, "Number", web.FormatID(id))
	case errors.Is(err, ErrNothingReady), errors.Is(err, ErrLineState):
		web.AddFlash(c, "error", web.T(c, messages[ErrNothingReady]))
	default:
		var se *ShortError
		if !errors.As(err, &se) {
			return err
		}
		key, args := Message(m.deps.Catalog, web.LangOf(c), err)
		web.AddFlash(c, "error", web.T(c, key, args...))
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
