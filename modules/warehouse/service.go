package warehouse

import (
	"strings"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/web"
)

// StaffRole is who keeps the store: edits the catalogue and moves stock.
// Administrators do not by their role alone: stock is money, and the
// person who moves it is the one who answers for the shelf.
const StaffRole = actor.Storekeeper

// Limits of what people may type.
const (
	maxName         = 200
	maxLocation     = 40
	maxSupplier     = 200
	maxDeliveryNote = 100
	maxReason       = 500
	// maxUnitPrice is ten million forints: no supply item costs more.
	maxUnitPrice = 10_000_000
)

// Service holds the warehouse rules; it owns its transactions.
type Service struct {
	db  *db.DB
	cat *i18n.Catalog
	now func() time.Time
	// refused, when set, runs after a guarded update was refused and before
	// the reason is read: the test of a stock that changes in between.
	refused func()
	// deps are the kernel pieces requests use (people, approval, outbox).
	deps module.Deps
}

// NewService builds the service from the kernel's pieces.
func NewService(d module.Deps) *Service {
	return &Service{db: d.DB, cat: d.Catalog, now: func() time.Time { return time.Now().UTC() }, deps: d}
}

// SetClock makes the service read the time from now (tests, the demo).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// isStaff reports whether a keeps the store.
func isStaff(a actor.Actor) bool { return a.ID != 0 && a.Has(StaffRole) }

// validLine is web.ValidText on one line (a name, a supplier).
func validLine(s string, max int) bool {
	return web.ValidText(s, max) && !strings.ContainsAny(s, "\r\n\t")
}

// trim is strings.TrimSpace, short for the inputs.
func trim(s string) string { return strings.TrimSpace(s) }
