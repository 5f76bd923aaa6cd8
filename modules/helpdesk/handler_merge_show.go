package helpdesk

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// mergeForm is the merge page's two forms as typed.
type mergeForm struct{ Number, LinkNumber string }

// mergeFields places merge errors on the merge form's field.
var mergeFields = map[error]web.FieldMessage{
	ErrOtherNumber: {"number", "helpdesk.merge.err.number"},
	ErrMergeSelf:   {"number", "helpdesk.merge.err.self"},
	ErrMergeClosed: {"number", "helpdesk.merge.err.closed"},
	ErrMergeChain:  {"number", "helpdesk.merge.err.chain"},
	ErrChanged:     {"", "helpdesk.err.changed"},
}

// linkFields places link errors on the link form's field.
var linkFields = map[error]web.FieldMessage{
	ErrOtherNumber: {"link_number", "helpdesk.merge.err.number"},
	ErrLinkSelf:    {"link_number", "helpdesk.merge.err.link_self"},
	ErrLinkExists:  {"link_number", "helpdesk.merge.err.link_exists"},
}

// handleMergeShow shows the ticket's related tickets, the merge form and
// the link form.
func (m *Module) handleMergeShow(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	return m.renderMerge(c, id, mergeForm{}, nil)
}

// handleMergeCreate merges the ticket into a number (action=merge, posted
// by the confirmation, which carries both in its query) or links it to one
// (action=link).
func (m *Module) handleMergeCreate(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	a := web.ActorOf(c)
	back := ticketPath(id) + "/merge"
	form := mergeForm{Number: c.FormValue("number"), LinkNumber: c.FormValue("link_number")}
	if c.FormValue("action") == "link" {
		errs := web.Errors{}
		web.Required(form.LinkNumber, "link_number", errs)
		if errs.Any() {
			return m.renderMerge(c, id, form, errs)
		}
		other, err := m.svc.Link(c.UserContext(), a, id, form.LinkNumber)
		if errs, ok := web.FieldErrors(err, linkFields); ok {
			return m.renderMerge(c, id, form, errs)
		}
		if err != nil {
			return err
		}
		web.Success(c, "helpdesk.merge.linked", "Number", other.Number)
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	errs := web.Errors{}
	web.Required(form.Number, "number", errs)
	if errs.Any() {
		return m.renderMerge(c, id, form, errs)
	}
	into, err := m.svc.MergeByNumber(c.UserContext(), a, id, form.Number)
	if errs, ok := web.FieldErrors(err, mergeFields); ok {
		return m.renderMerge(c, id, form, errs)
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.merge.merged", "Number", into.Number)
	return c.Redirect(back, fiber.StatusSeeOther)
}

// handleMergeConfirm asks before merging into the typed number, naming both
// tickets and what will happen; a number Merge would refuse brings the
// merge page back with the message. It changes nothing.
func (m *Module) handleMergeConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	form := mergeForm{Number: c.Query("number")}
	errs := web.Errors{}
	if web.Required(form.Number, "number", errs); errs.Any() {
		return m.renderMerge(c, id, form, errs)
	}
	dup, into, err := m.svc.MergeTarget(c.UserContext(), web.ActorOf(c), id, form.Number)
	if errs, ok := web.FieldErrors(err, mergeFields); ok {
		return m.renderMerge(c, id, form, errs)
	}
	if err != nil {
		return err
	}
	back := ticketPath(id) + "/merge"
	return web.RenderConfirm(c, web.Confirm{
		Title:    "helpdesk.merge.confirm_title",
		Question: web.T(c, "helpdesk.merge.confirm_question", "Dup", dup.Number, "Into", into.Number, "Title", into.Title),
		Details:  []string{web.T(c, "helpdesk.merge.confirm_close"), web.T(c, "helpdesk.merge.confirm_comments")},
		Action:   back + "?action=merge&number=" + url.QueryEscape(into.Number),
		Button:   web.T(c, "helpdesk.merge.merge"),
		Back:     back,
	})
}

// handleLinkDelete removes a link and returns to the merge page.
func (m *Module) handleLinkDelete(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	other, err := web.IDParam(c, "other")
	if err != nil {
		return err
	}
	t, err := m.svc.Unlink(c.UserContext(), web.ActorOf(c), id, other)
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.merge.unlinked", "Number", t.Number)
	return c.Redirect(web.NextOr(c, ticketPath(id)+"/merge"), fiber.StatusSeeOther)
}

// mergeView is the merge page's data.
type mergeView struct {
	Ticket  *Ticket
	Related *Related
	Back    string
}

func (m *Module) renderMerge(c *fiber.Ctx, id uint, form mergeForm, errs web.Errors) error {
	a := web.ActorOf(c)
	r, err := m.svc.RelatedOf(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	t, err := m.svc.Get(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	return web.RenderForm(c, "helpdesk/merge", web.Page{
		Title: "helpdesk.merge.title", Form: form, Errors: errs,
		Data: mergeView{Ticket: t, Related: r, Back: ticketPath(id)},
	})
}
