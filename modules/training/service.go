package training

import (
	"strings"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/places"
	"kapu/modules/platform/web"
)

// StaffRole keeps the catalogue, the sessions and the records: HR.
const StaffRole = actor.HR

// Limits of what people may type.
const (
	maxTitle    = 200
	maxCode     = 40
	maxReason   = 1000
	maxPlace    = 200
	maxSeats    = 1000
	maxPoints   = 128
	maxMinutes  = 40 * 60 * 5 // a five-day course of eight hours is 2,400 minutes; ten times that is absurd
	maxCostFt   = 10_000_000
	maxValidity = 120 // months
)

// Service holds the training rules; it owns its transactions.
type Service struct {
	db  *db.DB
	cat *i18n.Catalog
	now func() time.Time
	// deps are the kernel pieces the rules use (people, approval, outbox, calendar).
	deps module.Deps
	// Rooms are the Kapu rooms a session may be held in, booked through the
	// booking service's rules; set by the suite (kapu.go), none until then.
	Rooms RoomKeeper
}

// holdOwner names training as the holder of the rooms it books, so
// booking's pages leave those bookings to the session.
const holdOwner = "training"

// RoomKeeper is what training needs of the rooms' owner (booking): the
// rooms to offer and their holds.
type RoomKeeper interface {
	places.Rooms
	places.Holds
}

// noRooms is the RoomKeeper of an installation without booking.
type noRooms struct {
	places.None
	places.NoHolds
}

// NewService builds the service from the kernel's pieces.
func NewService(d module.Deps) *Service {
	return &Service{db: d.DB, cat: d.Catalog, deps: d, Rooms: noRooms{},
		now: func() time.Time { return time.Now().UTC() }}
}

// SetClock makes the service read the time from now (tests, the demo).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// today is the day now in the city hall's time zone.
func (s *Service) today() calendar.Date {
	return calendar.DateOf(s.now(), s.deps.Cfg.TZ)
}

// isStaff reports whether a keeps the training records.
func isStaff(a actor.Actor) bool { return a.ID != 0 && a.Has(StaffRole) }

// validLine is web.ValidText on one line (a title, a place).
func validLine(s string, max int) bool {
	return web.ValidText(s, max) && !strings.ContainsAny(s, "\r\n\t")
}

// trim is strings.TrimSpace, short for the inputs.
func trim(s string) string { return strings.TrimSpace(s) }

// t translates key into lang; without a catalog (a unit test) it is the key.
func (s *Service) t(lang, key string, args ...any) string {
	if s.cat == nil {
		return key
	}
	return s.cat.T(lang, key, args...)
}
