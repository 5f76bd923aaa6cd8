package booking

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
)

// Errors of resource administration that are not about one field.
var (
	ErrBadKind = errs.New(errs.Invalid, "booking: unknown resource kind")
)

// FieldError is one form field the service refused, with its message key.
type FieldError struct {
	Field string
	Key   string
	Args  []any
}

// ResourceErrors are every field of a resource the service refused, so the
// form can show each message next to its field at once.
type ResourceErrors []FieldError

func (e ResourceErrors) Error() string {
	parts := make([]string, len(e))
	for i, f := range e {
		parts[i] = f.Field + ": " + f.Key
	}
	return "booking: invalid resource (" + strings.Join(parts, ", ") + ")"
}

func (e *ResourceErrors) add(field, key string, args ...any) {
	*e = append(*e, FieldError{Field: field, Key: key, Args: args})
}

// QuantityError refuses a smaller pool (or a pool becoming one item) because
// more is already booked at At than the new quantity allows.
type QuantityError struct {
	At   time.Time
	Used int
}

func (e *QuantityError) Error() string {
	return "booking: " + itoa(uint(e.Used)) + " already booked at " + e.At.Format(time.RFC3339)
}

// adminMigration makes plates unique among cars and inventory tags unique
// among equipment, ignoring empty values; both databases know partial indexes.
func adminMigration() db.Migration {
	idx := []string{
		`CREATE UNIQUE INDEX idx_booking_resources_plate ON booking_resources (plate) WHERE kind = 'car' AND plate <> ''`,
		`CREATE UNIQUE INDEX idx_booking_resources_tag ON booking_resources (tag) WHERE kind = 'equipment' AND tag <> ''`,
	}
	return db.Migration{ID: "booking/0002_admin", SQLite: idx, Postgres: idx}
}

// ResourceInput is a resource as its admin form describes it. OpenFrom and
// OpenTo are minutes after local midnight (OpenTo 1440 is midnight at the end).
type ResourceInput struct {
	Name          string
	Location      string // building and floor; a car's home parking; where equipment is kept
	Seats         int
	Features      string
	OpenFrom      int
	OpenTo        int
	NeedsApproval bool
	BufferMinutes int
	CheckIn       bool
	Unit          string // equipment: facilities or it
	Quantity      int    // equipment: 1 for an item, more for a pool
	Tag           string
	Plate         string
	CarModel      string
	Fuel          string
	Odometer      int
	Active        bool
}

// Limits of the admin form.
const (
	maxBufferMinutes = 240
	maxPoolQuantity  = 1000
	maxSeats         = 1000
)

// managerRoles lists who manages resources of a kind; for equipment, the
// unit's own role (besides admin) is checked per item by CanManage.
func managerRoles(kind string) []string {
	switch kind {
	case KindRoom:
		return []string{actor.Admin, actor.Facilities}
	case KindCar:
		return []string{actor.Admin, actor.Fleet}
	case KindEquipment:
		return []string{actor.Admin, actor.Facilities, actor.IT}
	}
	return nil
}

// AdminRoles are everyone who manages some kind of resource: the navigation
// and the admin pages let them in, the service decides per resource.
var AdminRoles = []string{actor.Admin, actor.Facilities, actor.IT, actor.Fleet}

// ManagedKinds lists the kinds a manages, in the admin page's order.
func ManagedKinds(a actor.Actor) []string {
	var out []string
	for _, k := range []string{KindRoom, KindEquipment, KindCar} {
		if a.Has(managerRoles(k)...) {
			out = append(out, k)
		}
	}
	return out
}

// CanManage reports whether a may change r: admin anything, facilities
// rooms, fleet cars, and equipment its unit's role.
func CanManage(a actor.Actor, r *Resource) bool {
	if a.Has(actor.Admin) {
		return true
	}
	switch r.Kind {
	case KindRoom:
		return a.Has(actor.Facilities)
	case KindCar:
		return a.Has(actor.Fleet)
	case KindEquipment:
		role, ok := unitRoles[r.Unit]
		return ok && r.Unit != UnitFleet && a.Has(role)
	}
	return false
}

// equipmentUnits are the units that own equipment.
var equipmentUnits = []string{UnitFacilities, UnitIT}

// EquipmentUnits lists the units a may give equipment to.
func EquipmentUnits(a actor.Actor) []string {
	var out []string
	for _, u := range equipmentUnits {
		if CanManage(a, &Resource{Kind: KindEquipment, Unit: u}) {
			out = append(out, u)
		}
	}
	return out
}

// AdminResources lists the resources of a kind that a manages, in service or
// not; status is "active", "inactive" or "" for both.
func (s *Service) AdminResources(ctx context.Context, a actor.Actor, kind, status string) ([]Resource, error) {
	if managerRoles(kind) == nil {
		return nil, ErrBadKind
	}
	q := s.db.R.WithContext(ctx).Where("kind = ?", kind)
	switch status {
	case "active":
		q = q.Where("active = ?", true)
	case "inactive":
		q = q.Where("active = ?", false)
	}
	var rs []Resource
	if err := q.Order("name, id").Find(&rs).Error; err != nil {
		return nil, err
	}
	out := rs[:0]
	for _, r := range rs {
		if CanManage(a, &r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// AdminResource returns one resource a manages.
func (s *Service) AdminResource(ctx context.Context, a actor.Actor, id uint) (*Resource, error) {
	var r Resource
	if err := s.db.R.WithContext(ctx).First(&r, id).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	if !CanManage(a, &r) {
		return nil, ErrForbidden
	}
	return &r, nil
}

// CreateResource adds a resource of kind after checking every field.
func (s *Service) CreateResource(ctx context.Context, a actor.Actor, kind string, in ResourceInput) (*Resource, error) {
	if managerRoles(kind) == nil {
		return nil, ErrBadKind
	}
	r := Resource{Kind: kind}
	if err := apply(&r, in); err != nil {
		return nil, err
	}
	if !CanManage(a, &r) {
		return nil, ErrForbidden
	}
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := unique(tx, &r); err != nil {
			return err
		}
		if err := tx.Create(&r).Error; err != nil {
			return uniqueError(err)
		}
		return audit.Record(tx, a, "booking.resource.create", "booking_resource", r.ID, nil, r)
	})
	if err != nil {
		return nil, err
	}
	s.resources.Forget(r.ID) // a booking may have asked for this id before it existed
	return &r, nil
}

// UpdateResource changes a resource. A changed quantity keeps the booking
// invariants: the bookings' pooled flag follows in the same transaction, and
// a pool is never made smaller than what is already booked at a future
// moment (QuantityError names the first such moment).
func (s *Service) UpdateResource(ctx context.Context, a actor.Actor, id uint, in ResourceInput) (*Resource, error) {
	var r Resource
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := manageable(tx, a, id, &r); err != nil {
			return err
		}
		before := r
		if err := apply(&r, in); err != nil {
			return err
		}
		if !CanManage(a, &r) { // equipment moved to a unit the actor does not manage
			return ErrForbidden
		}
		if err := unique(tx, &r); err != nil {
			return err
		}
		if err := s.lock(tx, []line{{res: &r}}); err != nil {
			return err
		}
		if r.Quantity < before.Quantity {
			if err := s.checkShrink(tx, &r); err != nil {
				return err
			}
		}
		r.UpdatedAt = s.now()
		if err := tx.Select("*").Omit("id", "kind", "created_at").Updates(&r).Error; err != nil {
			return uniqueError(err)
		}
		if before.Pooled() != r.Pooled() {
			// SQLite's guard refuses a row whose flag disagrees with the
			// resource; PostgreSQL's sets it. Either way every row is rewritten now.
			if err := tx.Model(&Booking{}).Where("resource_id = ?", r.ID).
				Updates(map[string]any{"pooled": r.Pooled()}).Error; err != nil {
				return dbError(err)
			}
		}
		return audit.Record(tx, a, "booking.resource.update", "booking_resource", r.ID, before, r)
	})
	if err != nil {
		return nil, err
	}
	s.resources.Forget(id)
	return &r, nil
}

// manageable reads resource id into r for a, who must manage it (CanManage).
func manageable(tx *gorm.DB, a actor.Actor, id uint, r *Resource) error {
	if err := tx.First(r, id).Error; err != nil {
		if db.IsNotFound(err) {
			return ErrNotFound
		}
		return err
	}
	if !CanManage(a, r) {
		return ErrForbidden
	}
	return nil
}

// checkShrink refuses r's new, smaller quantity when more is booked at some
// moment. For a pool that stays a pool only the future counts: the past was
// within the old quantity and is never checked again. A pool becoming one
// item counts every active booking, because the database's one-at-a-time
// rule holds for all of them.
func (s *Service) checkShrink(tx *gorm.DB, r *Resource) error {
	from := utc(s.now())
	if !r.Pooled() {
		from = time.Time{}
	}
	var rows []Booking
	err := tx.Select("id", "start_at", "block_end", "quantity").
		Where("resource_id = ? AND status IN ? AND block_end > ?", r.ID, activeStatuses, from).
		Order("start_at, id").Find(&rows).Error
	if err != nil {
		return err
	}
	// The number in use only grows where a booking starts (or at from).
	for _, p := range rows {
		at := p.StartAt
		if at.Before(from) {
			at = from
		}
		used := 0
		for _, b := range rows {
			if !b.StartAt.After(at) && b.BlockEnd.After(at) {
				used += b.Quantity
			}
		}
		if used > r.Quantity {
			return &QuantityError{At: at, Used: used}
		}
	}
	return nil
}

// apply checks in and copies it onto r, keeping what the kind does not use
// at its fixed values (cars round the clock, rooms by facilities).
func apply(r *Resource, in ResourceInput) error {
	var errs ResourceErrors
	r.Name = strings.TrimSpace(in.Name)
	switch {
	case r.Name == "":
		errs.add("name", "booking.admin.error.required")
	case utf8.RuneCountInString(r.Name) > 200:
		errs.add("name", "validation.too_long")
	}
	r.Location = clip(in.Location, 200)
	r.Active = in.Active
	switch r.Kind {
	case KindRoom:
		r.Features = clip(in.Features, 500)
		r.Seats = in.Seats
		if in.Seats < 1 || in.Seats > maxSeats {
			errs.add("seats", "booking.admin.error.seats")
		}
		r.OpenFrom, r.OpenTo = in.OpenFrom, in.OpenTo
		if in.OpenFrom < 0 || in.OpenTo > 24*60 || in.OpenTo <= in.OpenFrom {
			errs.add("open_to", "booking.admin.error.hours")
		}
		r.BufferMinutes = in.BufferMinutes
		if in.BufferMinutes < 0 || in.BufferMinutes > maxBufferMinutes {
			errs.add("buffer", "booking.admin.error.buffer", "Max", maxBufferMinutes)
		}
		r.NeedsApproval, r.CheckIn = in.NeedsApproval, in.CheckIn
		r.Unit, r.Quantity = UnitFacilities, 1
	case KindEquipment:
		r.Unit = in.Unit
		if r.Unit != UnitFacilities && r.Unit != UnitIT {
			errs.add("unit", "validation.choice")
		}
		r.Quantity = in.Quantity
		if in.Quantity < 1 || in.Quantity > maxPoolQuantity {
			errs.add("quantity", "booking.admin.error.quantity", "Max", maxPoolQuantity)
		}
		r.Tag = strings.TrimSpace(in.Tag)
		if utf8.RuneCountInString(r.Tag) > 50 {
			errs.add("tag", "validation.too_long")
		}
	case KindCar:
		r.Plate = strings.ToUpper(strings.Join(strings.Fields(in.Plate), ""))
		switch {
		case r.Plate == "":
			errs.add("plate", "booking.admin.error.required")
		case len(r.Plate) > 20:
			errs.add("plate", "validation.too_long")
		}
		r.CarModel, r.Fuel = clip(in.CarModel, 100), clip(in.Fuel, 20)
		r.Seats = in.Seats
		if in.Seats < 1 || in.Seats > 60 {
			errs.add("seats", "booking.admin.error.seats")
		}
		r.Odometer = in.Odometer
		if in.Odometer < 0 {
			errs.add("odometer", "booking.admin.error.odometer")
		}
		r.Unit, r.Quantity, r.OpenFrom, r.OpenTo = UnitFleet, 1, 0, 0
	default:
		return ErrBadKind
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// unique answers kindly when a plate or tag is taken; the unique indexes of
// booking/0002_admin decide when two admins save at once.
func unique(tx *gorm.DB, r *Resource) error {
	var n int64
	switch {
	case r.Kind == KindCar && r.Plate != "":
		if err := tx.Model(&Resource{}).Where("kind = ? AND plate = ? AND id <> ?", KindCar, r.Plate, r.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ResourceErrors{{Field: "plate", Key: "booking.admin.error.plate_taken"}}
		}
	case r.Kind == KindEquipment && r.Tag != "":
		if err := tx.Model(&Resource{}).Where("kind = ? AND tag = ? AND id <> ?", KindEquipment, r.Tag, r.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ResourceErrors{{Field: "tag", Key: "booking.admin.error.tag_taken"}}
		}
	}
	return nil
}

// uniqueError turns the unique indexes' refusals into field messages.
func uniqueError(err error) error {
	switch {
	case db.IsConstraint(err, "idx_booking_resources_plate"):
		return ResourceErrors{{Field: "plate", Key: "booking.admin.error.plate_taken"}}
	case db.IsConstraint(err, "idx_booking_resources_tag"):
		return ResourceErrors{{Field: "tag", Key: "booking.admin.error.tag_taken"}}
	}
	return err
}

// OpenFromText is the opening time as HH:MM, for pages.
func (r Resource) OpenFromText() string { return minutes(r.OpenFrom) }

// OpenToText is the closing time as HH:MM, "24:00" for midnight at the end.
func (r Resource) OpenToText() string { return minutes(r.openTo()) }

// ErrHasBookings refuses to delete a resource that was ever booked: its
// bookings (and their history) keep pointing at it. Put it in service instead.
var ErrHasBookings = errs.New(errs.Conflict, "booking: the resource has bookings")

// DeleteResource removes a resource nobody ever booked (one created by
// mistake); anything booked is refused with ErrHasBookings.
func (s *Service) DeleteResource(ctx context.Context, a actor.Actor, id uint) (*Resource, error) {
	var r Resource
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := manageable(tx, a, id, &r); err != nil {
			return err
		}
		if err := s.lock(tx, []line{{res: &r}}); err != nil { // no booking slips in meanwhile
			return err
		}
		var n int64
		if err := tx.Model(&Booking{}).Where("resource_id = ?", r.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrHasBookings
		}
		if err := tx.Delete(&ResourcePhoto{}, r.ID).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Resource{}, r.ID).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "booking.resource.delete", "booking_resource", r.ID, r, nil)
	})
	if err != nil {
		return nil, err
	}
	s.resources.Forget(r.ID)
	return &r, nil
}
