package web

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
)

// Confirm is a question asked before a destructive action: GET /thing/:id/cancel
// shows it (RenderConfirm) and its button POSTs to Action. The page is the
// real path; kapu.js only puts the same form in a <dialog>.
type Confirm struct {
	Title    string   // translation key of the page's title and heading
	Question string   // translated: "Cancel the booking of Room 2, Tue 8 Dec 10:00–11:00?"
	Details  []string // translated: what will happen (who is emailed, what comes back)
	Action   string   // the path the button posts to (CSRF-protected like every POST)
	Button   string   // translated label of the button
	Keep     string   // translated label of the "keep it" link; "Keep it" when empty
	// Back is where "keep it" goes and where the POST returns; a safe next=
	// in the query overrides it (SafeNext), so the list the person came from
	// is where they land again.
	Back string
}

// FragmentHeader is what kapu.js sends when it fetches a confirmation for a
// <dialog>: the answer is then the form alone, without the layout.
const FragmentHeader = "Kapu-Fragment"

// RenderConfirm shows cf as a page, or as the bare form when kapu.js asked
// for it (FragmentHeader). Nothing changes on a GET.
func RenderConfirm(c *fiber.Ctx, cf Confirm) error {
	cf.Back = SafeNext(c.Query("next"), cf.Back)
	if cf.Keep == "" {
		cf.Keep = T(c, "confirm.keep")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Vary(FragmentHeader)
	if c.Get(FragmentHeader) != "confirm" {
		return Render(c, "partials/confirm_page", Page{Title: cf.Title, Data: cf})
	}
	s := ServerOf(c)
	p := Page{Title: cf.Title, Data: cf, srv: s, Viewer: ViewerOf(c), Lang: LangOf(c), CSRF: CSRFToken(c), noFlash: true}
	var body bytes.Buffer
	if err := s.views.Render(&body, "partials/confirm", &p); err != nil {
		return err
	}
	c.Type("html", "utf-8")
	return c.Send(body.Bytes())
}

// NextOr is the form's (or the query's) next= when it is a safe path, else
// fallback: where a confirmed action sends the person back to.
func NextOr(c *fiber.Ctx, fallback string) string {
	next := c.FormValue("next")
	if next == "" {
		next = c.Query("next")
	}
	return SafeNext(next, fallback)
}

// SuccessUndo queues a success message that carries an "Undo" button
// posting to undo (a CSRF-protected form in the flash). The service decides
// whether the undo is still possible; the button only offers it.
func SuccessUndo(c *fiber.Ctx, undo, key string, args ...any) {
	SuccessAction(c, undo, "confirm.undo", key, args...)
}

// SuccessAction is SuccessUndo with the button's own label (a translation
// key), for an undo that is better named for what it does ("Submit again").
func SuccessAction(c *fiber.Ctx, path, label, key string, args ...any) {
	addFlash(c, Flash{Kind: "success", Text: T(c, key, args...), Action: path, ActionLabel: T(c, label)})
}
