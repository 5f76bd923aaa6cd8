package leave

import (
	"time"

	"kapu/modules/platform/calendar"
)

// Request statuses.
const (
	StatusPending         = "pending"
	StatusApproved        = "approved"
	StatusRejected        = "rejected"
	StatusCancelled       = "cancelled"
	StatusCancelRequested = "cancel_requested" // approved leave the person asked to cancel
)

// activeStatuses are the statuses that hold days: they block overlapping requests.
var activeStatuses = []string{StatusPending, StatusApproved, StatusCancelRequested}

// Ledger entry kinds. Every balance is the sum of its entries.
const (
	KindAllocation   = "allocation"   // the year's base days (also pro-rata)
	KindCarryOver    = "carryover"    // unused days brought from the year before
	KindAdjustment   = "adjustment"   // extra days (age, children …) or corrections, with a reason
	KindUsage        = "usage"        // approved leave, negative
	KindCancellation = "cancellation" // days given back when approved leave is cancelled
	KindExpiry       = "expiry"       // carried-over days not used by their expiry date, negative
)

// Type is a kind of leave HR defines.
type Type struct {
	ID             uint   `gorm:"primaryKey"`
	Code           string `gorm:"size:40;not null;uniqueIndex"`
	NameHU         string `gorm:"size:100;not null"`
	NameEN         string `gorm:"size:100;not null"`
	Color          string `gorm:"size:7;not null"` // #rrggbb
	CountsAgainst  bool   `gorm:"not null"`        // draws from the annual allowance
	NeedsApproval  bool   `gorm:"not null"`
	HalfDays       bool   `gorm:"not null"`
	Private        bool   `gorm:"not null"` // others see only "away"
	MaxConsecutive int    `gorm:"not null"` // working days in one request; 0 for no limit
	AllowNegative  bool   `gorm:"not null"`
	Active         bool   `gorm:"not null"`
	SortOrder      int    `gorm:"not null"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (Type) TableName() string { return "leave_types" }

// Name returns the type's name in lang.
func (t *Type) Name(lang string) string {
	if lang == "en" && t.NameEN != "" {
		return t.NameEN
	}
	return t.NameHU
}

// Request is one stretch of leave a person asked for (or HR recorded).
type Request struct {
	ID         uint          `gorm:"primaryKey"`
	PersonID   uint          `gorm:"not null;index:idx_leave_person_dates,priority:1"`
	TypeID     uint          `gorm:"not null;index"`
	StartDate  calendar.Date `gorm:"not null;index:idx_leave_person_dates,priority:2;index:idx_leave_dates,priority:1"`
	EndDate    calendar.Date `gorm:"not null;index:idx_leave_dates,priority:2"`
	StartHalf  bool          `gorm:"not null"` // the first day is taken from noon
	EndHalf    bool          `gorm:"not null"` // the last day ends at noon
	Halves     int           `gorm:"not null"` // working days × 2
	Comment    string        `gorm:"size:500"`
	Status     string        `gorm:"size:20;not null;index"`
	ApprovalID *uint         // the approval of the request (or of its cancellation, while one runs)
	CreatedBy  uint          `gorm:"not null"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
	DecidedAt  *time.Time
}

func (Request) TableName() string { return "leave_requests" }

// Days is the request's length in working days.
func (r *Request) Days() float64 { return float64(r.Halves) / 2 }

// Entry is one row of the leave ledger: append-only, in half days.
type Entry struct {
	ID        uint          `gorm:"primaryKey"`
	PersonID  uint          `gorm:"not null;index:idx_leave_ledger,priority:1"`
	Year      int           `gorm:"not null;index:idx_leave_ledger,priority:2"`
	Kind      string        `gorm:"size:16;not null"`
	Halves    int           `gorm:"not null"` // positive adds days, negative takes them
	RequestID *uint         `gorm:"index"`
	ExpiresOn calendar.Date // carry-over only
	Reason    string        `gorm:"size:300"`
	CreatedBy uint          `gorm:"not null"`
	CreatedAt time.Time
}

func (Entry) TableName() string { return "leave_ledger" }

// Balance caches the sums of one person's ledger for one year, updated in the
// same transaction as each entry; the nightly check re-sums and reports drift.
type Balance struct {
	PersonID  uint `gorm:"primaryKey"`
	Year      int  `gorm:"primaryKey;autoIncrement:false"`
	Allocated int  `gorm:"not null"` // allocation + adjustment
	Carried   int  `gorm:"not null"`
	Used      int  `gorm:"not null"` // usage − cancellation, as a positive number
	Expired   int  `gorm:"not null"`
	UpdatedAt time.Time
}

func (Balance) TableName() string { return "leave_balances" }

// Remaining is what the person may still take in the year, in half days.
func (b *Balance) Remaining() int { return b.Allocated + b.Carried - b.Used - b.Expired }

// PlanDay is a day the person plans to take off, before asking for it.
type PlanDay struct {
	PersonID uint          `gorm:"primaryKey;autoIncrement:false"`
	Date     calendar.Date `gorm:"primaryKey"`
	TypeID   uint          `gorm:"not null"`
}

func (PlanDay) TableName() string { return "leave_plan" }

// Models lists the module's tables.
func Models() []any {
	return []any{&Type{}, &Request{}, &Entry{}, &Balance{}, &PlanDay{}}
}

// StatusClass is the badge style of the request's status, on every page and card.
func (r Request) StatusClass() string {
	switch r.Status {
	case StatusApproved:
		return "badge-success"
	case StatusPending:
		return "badge-warning"
	case StatusCancelRequested:
		return "badge-info"
	case StatusRejected:
		return "badge-danger"
	}
	return "badge-muted"
}
