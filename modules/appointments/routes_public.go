package appointments

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// publicRoutes are the citizens' pages under /appointments: no session, no
// intranet navigation (web.Server.Public), forms with signed tokens and
// every POST rate-limited per client address.
func (m *Module) publicRoutes(s *web.Server) {
	s.Public("/appointments")
	s.SecretPath("/appointments/my/")
	// In memory (Local): a rush posts a thousand bookings a second.
	book := s.Limit(web.Limit{Name: "appt.book", Max: 20, Window: 10 * time.Minute, Key: web.ByIP, Local: true})
	manage := s.Limit(web.Limit{Name: "appt.manage", Max: 60, Window: 10 * time.Minute, Key: web.ByIP, Local: true})

	g := s.App.Group("/appointments", smallBody)
	g.Get("/", m.handlePublicTypeList)
	g.Get("/privacy", m.handlePublicPrivacyShow)
	g.Get("/t/:type", m.handlePublicTypeShow)
	g.Get("/t/:type/o/:office", m.handlePublicMonthShow)
	g.Get("/t/:type/o/:office/d/:date", m.handlePublicDayShow)
	g.Get("/t/:type/o/:office/d/:date/at/:hhmm", m.handlePublicAppointmentNew)
	g.Post("/t/:type/o/:office/d/:date/at/:hhmm", book, m.handlePublicAppointmentCreate)

	g.Get("/my/:token", m.handlePublicAppointmentShow)
	g.Get("/my/:token/ics", m.handlePublicAppointmentICS)
	g.Get("/my/:token/cancel", m.handlePublicAppointmentCancelAsk)
	g.Post("/my/:token/cancel", manage, m.handlePublicAppointmentCancel)
	g.Get("/my/:token/move", m.handlePublicMoveMonth)
	g.Get("/my/:token/move/d/:date", m.handlePublicMoveDay)
	g.Post("/my/:token/move", manage, m.handlePublicAppointmentMove)
	g.Get("/my/:token/confirm", m.handlePublicAppointmentConfirmAsk)
	g.Post("/my/:token/confirm", manage, m.handlePublicAppointmentConfirm)
	g.Get("/my/:token/rate", m.handlePublicAppointmentRateAsk)
	g.Post("/my/:token/rate", manage, m.handlePublicAppointmentRate)
}

// pubBase is what every public page's data shares: the office whose contact
// details the layout's footer shows (web.ContactHolder).
type pubBase struct {
	office *Office
}

// PublicContact is the office's contact details for the footer, or nil.
func (b pubBase) PublicContact() *web.Contact {
	if b.office == nil {
		return nil
	}
	return &web.Contact{Name: b.office.Name, Address: b.office.Address, Phone: b.office.Phone, Email: b.office.Email}
}

// problem is a public page that says what went wrong and where to go on.
type problem struct {
	pubBase
	Title, Text string // translation keys
	Args        []any
	Back        string // a link on, "" for the start
	BackLabel   string
}

// renderProblem answers with a clear page in the citizen's language.
func renderProblem(c *fiber.Ctx, status int, p problem) error {
	if p.Title == "" {
		p.Title = "appt.problem.title"
	}
	if p.Back == "" {
		p.Back, p.BackLabel = "/appointments", "appt.pub.start_again"
	}
	return web.RenderPublic(c, "appointments/public_problem", web.Page{Title: p.Title, Status: status, Data: &p})
}

// serviceProblem shows a service error as a problem page, or returns it
// when it is not one of ours (the error page then, a 500 for a fault).
func serviceProblem(c *fiber.Ctx, err error, p problem) error {
	key := errKey(err)
	if key == "" {
		return err
	}
	p.Text = key
	return renderProblem(c, statusOf(err), p)
}

// linkBase is where a month's and a day's pages are: booking a case type at
// an office, or moving an appointment through its link.
type linkBase struct {
	Base string // month at Base?month=…, a day at Base/d/<date>
	Move bool
}

func (l linkBase) MonthURL(d calendar.Date) string { return l.Base + "?month=" + monthString(d) }
func (l linkBase) DayURL(d calendar.Date) string   { return l.Base + "/d/" + d.String() }

// maxPublicBody is the most a public form posts: a booking with a full
// note is a few kilobytes, so anything near the suite's upload limit is not
// a citizen's.
const maxPublicBody = 32 << 10

// smallBody answers 413 to a public post larger than maxPublicBody.
func smallBody(c *fiber.Ctx) error {
	if len(c.Request().Body()) > maxPublicBody {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}
