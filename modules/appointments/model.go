// Package appointments is the citizens' booking service: offices with desks
// (ablak) open on weekly hours, case types (ügytípus) with their rules, and the
// appointments citizens book on the public pages and the front desk runs on
// the day. Its core promise is that a desk never holds two overlapping active
// appointments; the database keeps it (see Migrations), the service only
// checks first to answer kindly.
package appointments

import (
	"strings"
	"time"

	"kapu/modules/platform/calendar"
)

// Office is a place citizens visit: Okmányiroda, Ügyfélszolgálat, Adóiroda.
type Office struct {
	ID            uint   `gorm:"primaryKey"`
	Name          string `gorm:"size:200;not null"`
	Address       string `gorm:"size:300;not null"`
	Directions    string `gorm:"size:2000"` // how to get there: transport, parking, entrance
	Accessibility string `gorm:"size:2000"` // step-free entrance, hearing loop, …
	// DirectionsEN and AccessibilityEN are the same for citizens reading
	// English; empty means the Hungarian text is shown to them too.
	DirectionsEN    string `gorm:"column:directions_en;size:2000"`
	AccessibilityEN string `gorm:"column:accessibility_en;size:2000"`
	Phone           string `gorm:"size:50"`
	Email           string `gorm:"size:200"`
	Active          bool   `gorm:"not null"`
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (Office) TableName() string { return "appt_offices" }

// DirectionsIn is how to get to the office, in lang where written.
func (o Office) DirectionsIn(lang string) string { return inLang(lang, o.Directions, o.DirectionsEN) }

// AccessibilityIn is the office's accessibility notes, in lang where written.
func (o Office) AccessibilityIn(lang string) string {
	return inLang(lang, o.Accessibility, o.AccessibilityEN)
}

// inLang is en for English when it is written, else hu.
func inLang(lang, hu, en string) string {
	if lang == "en" && strings.TrimSpace(en) != "" {
		return en
	}
	return hu
}

// Desk is one window (ablak) of an office; an appointment is always at one desk.
type Desk struct {
	ID        uint   `gorm:"primaryKey"`
	OfficeID  uint   `gorm:"not null;index"`
	Name      string `gorm:"size:100;not null"` // "1. ablak"
	Active    bool   `gorm:"not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (Desk) TableName() string { return "appt_desks" }

// DeskHours is one opening interval of a desk on a weekday; a day may have
// several (8:00–12:00 and 13:00–18:00). Minutes after local midnight.
type DeskHours struct {
	ID      uint         `gorm:"primaryKey"`
	DeskID  uint         `gorm:"not null;index"`
	Weekday time.Weekday `gorm:"not null"`
	From    int          `gorm:"not null"`
	To      int          `gorm:"not null"`
}

func (DeskHours) TableName() string { return "appt_desk_hours" }

// Exception kinds: a desk closed on some days, or open on other hours than
// its weekly ones (extra or shorter).
const (
	ExceptionClosed = "closed"
	ExceptionHours  = "hours"
)

// DeskException changes a desk's hours from From to To (whole days, both
// included): closed (a clerk is ill), or open on Hours instead of the week's.
type DeskException struct {
	ID        uint          `gorm:"primaryKey"`
	DeskID    uint          `gorm:"not null;index"`
	From      calendar.Date `gorm:"not null"`
	To        calendar.Date `gorm:"not null"`
	Kind      string        `gorm:"size:10;not null"`
	Hours     string        `gorm:"size:200"` // for ExceptionHours: "08:00-12:00,13:00-16:00"
	Reason    string        `gorm:"size:200"`
	CreatedAt time.Time
}

func (DeskException) TableName() string { return "appt_desk_exceptions" }

// Covers reports whether the exception applies on d.
func (e *DeskException) Covers(d calendar.Date) bool { return !d.Before(e.From) && !d.After(e.To) }

// CaseType is what a citizen comes for (ügytípus), with the rules of booking it.
// Its columns have no database defaults: GORM would store a default in place
// of a deliberate zero (not online, no lead time), so forms set every field.
type CaseType struct {
	ID          uint   `gorm:"primaryKey"`
	NameHU      string `gorm:"size:200;not null"`
	NameEN      string `gorm:"size:200;not null"`
	PurposeHU   string `gorm:"size:2000"` // what it is for
	PurposeEN   string `gorm:"size:2000"`
	DocumentsHU string `gorm:"size:4000"` // what to bring, one item per line
	DocumentsEN string `gorm:"size:4000"`
	FeeHU       string `gorm:"size:500"`
	FeeEN       string `gorm:"size:500"`
	Minutes     int    `gorm:"not null"` // how long one appointment takes
	HorizonDays int    `gorm:"not null"` // bookable up to this many days ahead
	// LeadDays is how many working days ahead the first bookable day is: 0
	// today (from LeadMinutes after now), 1 the next working day.
	LeadDays    int  `gorm:"not null"`
	LeadMinutes int  `gorm:"not null"`
	MaxPerEmail int  `gorm:"not null"` // active appointments one email address may hold
	Online      bool `gorm:"not null"`
	// MustConfirm: the citizen confirms by a link; until then the slot is held
	// for HoldMinutes only.
	MustConfirm bool `gorm:"not null"`
	HoldMinutes int  `gorm:"not null"`
	// BlockMinutes keeps a cancelled slot from anyone for this long, against
	// trading appointments by cancelling into a friend's booking.
	BlockMinutes int  `gorm:"not null"`
	Active       bool `gorm:"not null"`
	Order        int  `gorm:"not null"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (CaseType) TableName() string { return "appt_case_types" }

// Name is the case type's name in lang.
func (t *CaseType) Name(lang string) string { return pick(lang, t.NameHU, t.NameEN) }

// Purpose is what the case type is for, in lang.
func (t *CaseType) Purpose(lang string) string { return pick(lang, t.PurposeHU, t.PurposeEN) }

// Fee is the fee note in lang.
func (t *CaseType) Fee(lang string) string { return pick(lang, t.FeeHU, t.FeeEN) }

// Documents is the checklist of what to bring, in lang.
func (t *CaseType) Documents(lang string) []string {
	var out []string
	for _, l := range strings.Split(pick(lang, t.DocumentsHU, t.DocumentsEN), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// pick is the English text for "en" when there is one, else the Hungarian.
func pick(lang, hu, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return hu
}

// DeskCaseType says a desk serves a case type.
type DeskCaseType struct {
	DeskID     uint `gorm:"primaryKey"`
	CaseTypeID uint `gorm:"primaryKey;index"`
}

func (DeskCaseType) TableName() string { return "appt_desk_case_types" }

// Appointment statuses. Pending waits for the citizen's confirmation link;
// waiting is a walk-in on the waiting list, with no desk or time of its own.
const (
	StatusPending   = "pending"
	StatusBooked    = "booked"
	StatusWaiting   = "waiting"
	StatusArrived   = "arrived"
	StatusCalled    = "called"
	StatusServed    = "served"
	StatusNoShow    = "no_show"
	StatusCancelled = "cancelled"
	StatusExpired   = "expired" // never confirmed; the hold ran out
)

// activeStatuses hold their desk's time; the database triggers and the
// PostgreSQL constraint spell the same list as activeSQL.
var activeStatuses = []string{StatusPending, StatusBooked, StatusArrived, StatusCalled, StatusServed}

const activeSQL = "('pending','booked','arrived','called','served')"

// Sources say how an appointment was made.
const (
	SourceOnline = "online" // a citizen on the public pages
	SourcePhone  = "phone"  // the front desk on a citizen's behalf
	SourceWalkIn = "walk_in"
)

// Appointment is one citizen's visit. DeskID, StartAt and EndAt are the
// planned slot (empty for a walk-in on the waiting list); CalledDeskID is
// where the citizen was actually served. Name, Email, Phone, Note and IP are
// personal data, erased after the retention (ErasedAt); the rest stays for
// the statistics.
type Appointment struct {
	ID         uint       `gorm:"primaryKey"`
	Code       string     `gorm:"size:12;not null;uniqueIndex"` // "K7F-3QX": read out at the desk; opens nothing
	CaseTypeID uint       `gorm:"not null;index"`
	OfficeID   uint       `gorm:"not null;index:idx_appt_office_start,priority:1;index:idx_appt_office_ticket,priority:1,where:ticket > 0"`
	DeskID     *uint      `gorm:"index:idx_appt_desk_start,priority:1"`
	StartAt    *time.Time `gorm:"index:idx_appt_desk_start,priority:2;index:idx_appt_office_start,priority:2"`
	EndAt      *time.Time
	Status     string `gorm:"size:20;not null;index"`
	Source     string `gorm:"size:20;not null"`
	Ticket     int    `gorm:"not null;default:0"` // a walk-in's number on the waiting list, per office and day
	Name       string `gorm:"size:200"`
	Email      string `gorm:"size:254;index"`
	Phone      string `gorm:"size:50"`
	Note       string `gorm:"size:1000"`
	Lang       string `gorm:"size:5;not null"` // the citizen's language: pages and mail
	IP         string `gorm:"size:64"`         // the booking's client address, for the abuse statistics
	// The personal link's token is derived from LinkSalt with KAPU_SECRET
	// (see Service.linkToken), so reminders can carry the same link; only its
	// hash is stored for the lookup, and a copy of the database opens nothing.
	LinkSalt     string     `gorm:"size:32"`
	ManageHash   string     `gorm:"size:64;index"`
	BookedAt     time.Time  `gorm:"index:idx_appt_office_ticket,priority:2,where:ticket > 0"` // with the office: the day's tickets and waiting list
	BookedBy     *uint      // the clerk for phone bookings and walk-ins
	HoldUntil    *time.Time // a pending appointment's slot is held until then
	ConfirmedAt  *time.Time
	ArrivedAt    *time.Time
	CalledAt     *time.Time
	CalledDeskID *uint
	ServedAt     *time.Time
	CancelledAt  *time.Time
	CancelReason string     `gorm:"size:500"`
	BlockedUntil *time.Time // a cancelled slot stays taken until then (CaseType.BlockMinutes)
	MovedAt      *time.Time // last moved to another time (Moves counts how often)
	Moves        int        `gorm:"not null;default:0"`
	RemindedAt   *time.Time
	ThankedAt    *time.Time
	Rating       int    `gorm:"not null;default:0"` // 1–5, 0 while unrated
	RatingNote   string `gorm:"size:1000"`
	RatedAt      *time.Time
	ErasedAt     *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (Appointment) TableName() string { return "appointments" }

// Active reports whether the appointment holds its desk's time.
func (a *Appointment) Active() bool {
	for _, s := range activeStatuses {
		if a.Status == s {
			return true
		}
	}
	return false
}

// Block is a time an appointment was moved away from, kept from everyone
// until Until (CaseType.BlockMinutes) as a cancelled one is, so moving is
// no way to hand a time to a friend. It is a row of its own, not an
// appointment: the statistics count the move as nothing but a move.
type Block struct {
	ID       uint      `gorm:"primaryKey"`
	OfficeID uint      `gorm:"not null;index:idx_appt_block_office_start,priority:1"`
	DeskID   uint      `gorm:"not null"`
	StartAt  time.Time `gorm:"not null;index:idx_appt_block_office_start,priority:2"`
	EndAt    time.Time `gorm:"not null"`
	Until    time.Time `gorm:"not null"`
}

func (Block) TableName() string { return "appt_blocks" }

// Models lists the module's tables.
func Models() []any {
	return []any{&Office{}, &Desk{}, &DeskHours{}, &DeskException{}, &CaseType{}, &DeskCaseType{}, &Appointment{}, &Block{}}
}
