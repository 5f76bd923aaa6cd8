package booking

import (
	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/db"
	"kapu/modules/platform/module"
	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
	"time"
)

// Module serves the booking pages; everything it decides, the Service decides.
type Module struct {
	svc  *Service
	feed *people.Feed // each person's bookings for their calendar app
}

// New returns the booking module with its service built from d.
func New(d module.Deps) *Module {
	svc := NewService(d)
	feed := &people.Feed{People: d.People, Name: "booking", Path: "/bookings/feed", MaxAge: 5 * time.Minute, Write: svc.writeFeed}
	return &Module{svc: svc, feed: feed}
}

// Service is the module's rules, for the suite and the tests.
func (m *Module) Service() *Service { return m.svc }

// Name is the module's short name.
func (m *Module) Name() string { return "booking" }

// ApprovalKinds are the requests approvers decide: car requests (manager,
// then fleet) and rooms that need approval.
func (m *Module) ApprovalKinds() []approval.Kind {
	s := m.svc
	return []approval.Kind{
		{Name: KindCarApproval, Summary: s.carSummary, Describe: s.describe, OnApprove: s.onCarApprove, OnReject: s.onCarReject},
		{Name: KindRoomApproval, Summary: s.roomSummary, Describe: s.describe, OnApprove: s.onRoomApprove, OnReject: s.onRoomReject},
	}
}

// Composers write the booker's confirmation when the outbox sends it (see tellBooker).
func (m *Module) Composers() map[string]notify.Composer {
	return map[string]notify.Composer{confirmedMail: m.svc.composeConfirmed}
}

// Models lists the module's tables.
func (m *Module) Models() []any { return Models() }

// Migrations are the no-double-booking invariants the database keeps itself.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the module's pages. The suite's navigation already links /bookings.
func (m *Module) Routes(s *web.Server) {
	m.feed.Route(s)
	s.AddCard(m.todayCard)
	g := s.App.Group("/bookings", web.RequireLogin)
	g.Get("/", m.handleTimelineShow)
	g.Get("/find", m.handleFindShow)
	admin := g.Group("/admin", web.Require(AdminRoles...))
	admin.Get("/", m.handleAdminList)
	admin.Get("/new", m.handleAdminNew)
	admin.Post("/new", m.handleAdminCreate)
	admin.Get("/:id", m.handleAdminEdit)
	admin.Post("/:id", m.handleAdminUpdate)
	admin.Get("/:id/delete", m.handleAdminDeleteConfirm)
	admin.Post("/:id/delete", m.handleAdminDelete)
	admin.Post("/:id/photo", m.handleAdminPhotoUpload)
	admin.Post("/:id/photo/delete", m.handleAdminPhotoDelete)
	g.Get("/resources/:id/photo", m.handleResourcePhoto)
	s.AddNav(web.NavItem{Key: "booking.admin.nav", Path: "/bookings/admin", Icon: "room", Section: web.SectionAdmin, Order: 20, Roles: AdminRoles})
	g.Get("/new", m.handleBookingNew)
	g.Post("/new", m.handleBookingCreate)
	g.Get("/mine", m.handleMineShow)
	g.Get("/:id/cancel", m.handleBookingCancelConfirm)
	g.Post("/:id/cancel", m.handleBookingCancel)
	g.Post("/:id/restore", m.handleBookingRestore)
	g.Get("/:id/edit", m.handleBookingEdit)
	g.Post("/:id/edit", m.handleBookingUpdate)
	g.Get("/:id/cancel-following", m.handleSeriesCancelConfirm)
	g.Post("/:id/cancel-following", m.handleSeriesCancelFollowing)
	g.Post("/:id/restore-following", m.handleSeriesRestoreFollowing)
	g.Get("/cars/new", m.handleCarNew)
	g.Post("/cars/new", m.handleCarCreate)
	g.Get("/cars/:id/trips", web.Require(actor.Fleet), m.handleCarTrips)
	g.Get("/:id/trip", m.handleTripNew)
	g.Post("/:id/trip", m.handleTripCreate)
	g.Post("/:id/checkin", m.handleBookingCheckIn)
	statsRoles := []string{actor.Admin, actor.Facilities, actor.Fleet, actor.IT}
	s.AddNav(web.NavItem{Key: "nav.booking_stats", Path: "/bookings/stats", Icon: "booking", Section: web.SectionAdmin, Order: 21, Roles: statsRoles})
	g.Get("/stats", web.Require(statsRoles...), m.handleStatsShow)
}
