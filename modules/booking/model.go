// Package booking is the bookings service: meeting rooms, equipment (single
// items and counted pools) and pool cars. Its core promise is that nothing is
// ever double-booked; the database keeps that promise itself (see
// Migrations), the service only checks first to answer kindly.
package booking

import (
	"time"
)

// Resource kinds.
const (
	KindRoom      = "room"
	KindCar       = "car"
	KindEquipment = "equipment"
)

// Units that prepare and hand out resources; each maps to a role.
const (
	UnitFacilities = "facilities"
	UnitIT         = "it"
	UnitFleet      = "fleet"
)

// Booking statuses.
const (
	StatusHold      = "hold" // a car request waiting for approval; holds the car until HoldUntil
	StatusConfirmed = "confirmed"
	StatusCancelled = "cancelled"
	StatusRejected  = "rejected"
	StatusExpired   = "expired"
	StatusNoShow    = "no_show"
)

// activeStatuses block the resource; the database triggers and the
// PostgreSQL constraint spell the same list as activeSQL.
var activeStatuses = []string{StatusHold, StatusConfirmed}

// activeSQL is activeStatuses as an SQL list for the migrations.
const activeSQL = "('hold','confirmed')"

// Resource is something people book: a room, a car, or equipment.
type Resource struct {
	ID            uint   `gorm:"primaryKey"`
	Kind          string `gorm:"size:20;not null;index"`
	Name          string `gorm:"size:200;not null"`
	Location      string `gorm:"size:200"` // building and floor, or the car's home parking
	Seats         int    `gorm:"not null;default:0"`
	Features      string `gorm:"size:500"`           // built-in equipment, free text
	OpenFrom      int    `gorm:"not null;default:0"` // minutes after local midnight
	OpenTo        int    `gorm:"not null;default:0"` // minutes after local midnight; 0 means midnight at the day's end
	NeedsApproval bool   `gorm:"not null;default:false"`
	BufferMinutes int    `gorm:"not null;default:0"` // kept free after each booking (cleaning, handover)
	Unit          string `gorm:"size:20"`
	Quantity      int    `gorm:"not null;default:1"` // 1: an individual item; >1: a counted pool
	Plate         string `gorm:"size:20"`
	CarModel      string `gorm:"size:100"`
	Fuel          string `gorm:"size:20"`
	Odometer      int    `gorm:"not null;default:0"`
	CheckIn       bool   `gorm:"not null;default:false"` // released as no-show unless checked in
	Active        bool   `gorm:"not null;default:true"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Tag           string `gorm:"size:50"` // an equipment item's inventory tag; unique among equipment when set (booking/0002_admin)
	Photo         string `gorm:"size:64"` // the room photo's ETag, empty without one (ResourcePhoto)
}

func (Resource) TableName() string { return "booking_resources" }

// Pooled reports whether the resource is a counted pool rather than one item.
func (r *Resource) Pooled() bool { return r.Quantity > 1 }

// openTo is the closing minute, with 0 read as the end of the day.
func (r *Resource) openTo() int {
	if r.OpenTo <= 0 {
		return 24 * 60
	}
	return r.OpenTo
}

// allDay reports whether the resource is bookable around the clock, in which
// case a booking may also span several days (a car trip).
func (r *Resource) allDay() bool { return r.OpenFrom <= 0 && r.openTo() >= 24*60 }

// Booking is one resource held for one half-open interval [StartAt, BlockEnd).
// Instants are UTC; SQLite compares them as text, which is only time order
// when every value carries the same +00:00 offset.
type Booking struct {
	ID         uint      `gorm:"primaryKey"`
	ResourceID uint      `gorm:"not null;index:idx_booking_resource_end,priority:1"`
	PersonID   uint      `gorm:"not null;index"`
	Title      string    `gorm:"size:200"`
	StartAt    time.Time `gorm:"not null;index:idx_booking_start"` // statistics and the no-show job read periods by start
	EndAt      time.Time `gorm:"not null"`
	// BlockEnd is EndAt plus the resource's buffer when booked: the buffer
	// blocks others too, so every overlap check uses BlockEnd.
	BlockEnd time.Time `gorm:"not null;index:idx_booking_resource_end,priority:2"`
	Quantity int       `gorm:"not null;default:1"`
	// Pooled copies "the resource is a counted pool" onto the row because a
	// PostgreSQL constraint's WHERE cannot read another table. The database
	// sets (PostgreSQL) or checks (SQLite) it, so it cannot lie.
	Pooled      bool       `gorm:"not null;default:false"`
	Status      string     `gorm:"size:20;not null"`
	HoldUntil   *time.Time // partial index in Migrations
	ParentID    *uint      // the room booking this equipment goes with; partial index in Migrations
	SeriesID    *uint      // partial index in Migrations
	Attendees   int        `gorm:"not null;default:0"`
	Destination string     `gorm:"size:200"`
	Purpose     string     `gorm:"size:500"`
	Passengers  int        `gorm:"not null;default:0"`
	CreatedBy   uint       `gorm:"not null"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// SeriesException marks an occurrence changed on its own ("only this
	// one"): changing the rest of its series leaves it as it is.
	SeriesException bool `gorm:"not null;default:false"`
	// Holder names the service that holds the room for its own event
	// (places.Holds: "training"); such a booking changes only there, never
	// through booking's pages, and is never released as a no-show.
	Holder string `gorm:"size:32;not null;default:''"`
	// CheckedInAt is when someone checked in to a room that asks for it
	// (Resource.CheckIn); a booking never checked in is released as a no-show.
	CheckedInAt *time.Time
	// RejectReason is the approver's reason when a car request was rejected,
	// kept on the booking for the statistics.
	RejectReason string `gorm:"size:2000;not null;default:''"`
	// Private hides the title and the booker from everyone but the booker,
	// admins and the resource's unit (see SeesDetails).
	Private bool `gorm:"not null;default:false"`
}

func (Booking) TableName() string { return "bookings" }

// Active reports whether the booking blocks its resource.
func (b *Booking) Active() bool { return b.Status == StatusHold || b.Status == StatusConfirmed }

// Trip is the log of one car booking's trip, written by its driver afterwards.
// Km is derived (end − start) but stored so fleet statistics need no
// arithmetic in SQL. Fuel is kept as whole decilitres: exact, and a pump
// shows no finer than that.
type Trip struct {
	ID             uint   `gorm:"primaryKey"`
	BookingID      uint   `gorm:"not null;uniqueIndex"`
	OdometerStart  int    `gorm:"not null"`
	OdometerEnd    int    `gorm:"not null"`
	Km             int    `gorm:"not null"`
	FuelDecilitres int    `gorm:"not null;default:0"` // fuel bought on the way, in 0.1 l
	Remarks        string `gorm:"size:1000"`
	CreatedBy      uint   `gorm:"not null"`
	CreatedAt      time.Time
}

func (Trip) TableName() string { return "booking_trips" }

// Models lists the module's tables.
func Models() []any { return []any{&Resource{}, &Booking{}, &Trip{}, &Series{}, &ResourcePhoto{}} }

// createdAudit is what the audit log keeps of a new booking: what was booked,
// when, for whom and how; fields another kind of booking would fill stay out.
// Small on purpose: every booking writes one, in the busiest transaction.
type createdAudit struct {
	Resource    uint       `json:"resource"`
	Person      uint       `json:"person"`
	Start       time.Time  `json:"start"`
	End         time.Time  `json:"end"`
	BlockEnd    *time.Time `json:"block_end,omitempty"` // only when a buffer follows
	Quantity    int        `json:"quantity"`
	Status      string     `json:"status"`
	HoldUntil   *time.Time `json:"hold_until,omitempty"`
	Title       string     `json:"title,omitempty"`
	Private     bool       `json:"private,omitempty"`
	Attendees   int        `json:"attendees,omitempty"`
	Destination string     `json:"destination,omitempty"`
	Purpose     string     `json:"purpose,omitempty"`
	Passengers  int        `json:"passengers,omitempty"`
	Parent      *uint      `json:"parent,omitempty"`
	Series      *uint      `json:"series,omitempty"`
}

// created is b as the audit log records its creation.
func (b *Booking) created() createdAudit {
	out := createdAudit{Resource: b.ResourceID, Person: b.PersonID, Start: b.StartAt, End: b.EndAt, Quantity: b.Quantity,
		Status: b.Status, HoldUntil: b.HoldUntil, Title: b.Title, Private: b.Private, Attendees: b.Attendees,
		Destination: b.Destination, Purpose: b.Purpose, Passengers: b.Passengers, Parent: b.ParentID, Series: b.SeriesID}
	if !b.BlockEnd.Equal(b.EndAt) {
		out.BlockEnd = &b.BlockEnd
	}
	return out
}
