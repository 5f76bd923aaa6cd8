package booking

import (
	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/web"
)

// Module serves the booking pages; everything it decides, the Service decides.
type Module struct {
	svc *Service
}

// NewModule returns the booking module around its service.
func NewModule(svc *Service) *Module { return &Module{svc: svc} }

// Models lists the module's tables.
func (m *Module) Models() []any { return Models() }

// Migrations are the no-double-booking invariants the database keeps itself.
func (m *Module) Migrations() []db.Migration { return Migrations() }

// Routes registers the module's pages. The suite's navigation already links /bookings.
func (m *Module) Routes(s *web.Server) {
	g := s.App.Group("/bookings", web.RequireLogin)
	g.Get("/", m.handleTimelineShow)
	g.Get("/find", m.handleFindShow)
	g.Get("/new", m.handleBookingNew)
	g.Post("/new", m.handleBookingCreate)
	g.Get("/mine", m.handleMineShow)
	g.Post("/:id/cancel", m.handleBookingCancel)
	g.Get("/cars/new", m.handleCarNew)
	g.Post("/cars/new", m.handleCarCreate)
	g.Get("/cars/:id/trips", web.Require(actor.Fleet), m.handleCarTrips)
	g.Get("/:id/trip", m.handleTripNew)
	g.Post("/:id/trip", m.handleTripCreate)
}
