package helpdesk

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// workForm is the work-log form as typed, so it comes back unchanged.
type workForm struct {
	Text, Minutes string
	Parts         []partForm
}

type partForm struct{ Name, Quantity, Cost string }

// blankParts is how many empty part rows the form offers.
const blankParts = 2

// parseWorkForm reads the form; part rows left wholly empty are dropped, so
// row numbers in messages are the rows shown again.
func parseWorkForm(c *fiber.Ctx) workForm {
	f := workForm{Text: c.FormValue("text"), Minutes: c.FormValue("minutes")}
	args := c.Request().PostArgs()
	names, qtys, costs := args.PeekMulti("part_name"), args.PeekMulti("part_qty"), args.PeekMulti("part_cost")
	for i := 0; i < len(names) && i < maxParts+5; i++ {
		p := partForm{Name: string(names[i])}
		if i < len(qtys) {
			p.Quantity = string(qtys[i])
		}
		if i < len(costs) {
			p.Cost = string(costs[i])
		}
		if p.Name == "" && p.Quantity == "" && p.Cost == "" {
			continue
		}
		f.Parts = append(f.Parts, p)
	}
	return f
}

// partField names the form field of one part row's value.
func partField(field string, row int) string { return fmt.Sprintf("part_%s_%d", field, row) }

// input converts the typed form; each unreadable field gets its message.
func (f workForm) input() (WorkInput, web.Errors) {
	errs := web.Errors{}
	in := WorkInput{Text: f.Text}
	if mins, ok := ParseMinutes(f.Minutes); ok {
		in.Minutes = mins
	} else if f.Minutes == "" {
		errs.Add("minutes", web.MsgRequired)
	} else {
		errs.Add("minutes", "helpdesk.work.err.minutes_format")
	}
	for i, p := range f.Parts {
		pi := PartInput{Name: p.Name, Quantity: 1}
		if p.Quantity != "" {
			pi.Quantity = web.ParseInt(p.Quantity, partField("quantity", i), 1, maxPartQty, errs)
		}
		if p.Cost != "" {
			if n, ok := ParseForints(p.Cost); ok {
				pi.UnitCost = n
			} else {
				errs.Add(partField("cost", i), "helpdesk.work.err.part_cost")
			}
		}
		in.Parts = append(in.Parts, pi)
	}
	return in, errs
}

// workFields places the work log's service errors on the form.
var workFields = map[error]web.FieldMessage{
	ErrWorkText:       {"text", "helpdesk.work.err.text"},
	ErrWorkTextLong:   {"text", "helpdesk.work.err.text_long"},
	ErrWorkMinutes:    {"minutes", "helpdesk.work.err.minutes"},
	ErrTooManyParts:   {"", "helpdesk.work.err.too_many_parts"},
	ErrWorkClosedTick: {"", "helpdesk.work.err.closed"},
}

// workErrors turns a service error into form messages (part rows' on their
// row), or reports that it is not one.
func workErrors(err error, errs web.Errors) bool {
	found := false
	for _, one := range splitErrors(err) {
		var pe *PartError
		if errors.As(one, &pe) {
			errs.AddOnce(partField(pe.Field, pe.Row), messages[pe.Err])
			found = true
			continue
		}
		if errs.AddFieldErrors(one, workFields) {
			found = true
		}
	}
	return found
}

// splitErrors are the errors an errors.Join holds (under any wrapping), else err alone.
func splitErrors(err error) []error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			return j.Unwrap()
		}
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// handleWorkShow shows a ticket's work log, its totals and the add form.
func (m *Module) handleWorkShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.renderWork(c, id, workForm{}, nil)
}

// handleWorkCreate adds an entry; a bad field brings the form back with
// what was typed.
func (m *Module) handleWorkCreate(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	form := parseWorkForm(c)
	if c.FormValue("action") == "more" { // one more empty part row, nothing saved
		form.Parts = append(form.Parts, partForm{})
		return m.renderWork(c, id, form, nil)
	}
	in, errs := form.input()
	if errs.Any() {
		// Every problem at once: the service's own checks of what could be read.
		_, cerr := in.check()
		workErrors(cerr, errs)
		return m.renderWork(c, id, form, errs) // a stranger gets the 404 of Work
	}
	_, err = m.svc.AddWork(c.UserContext(), web.ActorOf(c), id, in)
	if errs := (web.Errors{}); workErrors(err, errs) {
		return m.renderWork(c, id, form, errs)
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.work.added", "Time", FormatMinutes(in.Minutes))
	return c.Redirect(ticketPath(id)+"/work", fiber.StatusSeeOther)
}

// workView is the work page's data.
type workView struct {
	*WorkLog
	Back string
	Rows []partForm // the form's part rows, with the empty ones offered
}

func (m *Module) renderWork(c *fiber.Ctx, id uint, form workForm, errs web.Errors) error {
	w, err := m.svc.Work(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	rows := append([]partForm(nil), form.Parts...)
	for n := 0; n < blankParts && len(rows) < maxParts; n++ {
		rows = append(rows, partForm{})
	}
	return web.RenderForm(c, "helpdesk/work", web.Page{
		Title: "helpdesk.work.title", Form: form, Errors: errs,
		Data: workView{WorkLog: w, Back: ticketPath(id), Rows: rows},
	})
}
