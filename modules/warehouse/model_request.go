package warehouse

import (
	"time"

	"kapu/modules/platform/calendar"
)

// requestEntity is the audit log's and the timeline's name for a request.
const requestEntity = "warehouse_request"

// Request statuses: the approval's outcome, or the requester's cancellation.
// The lines carry the rest of the way (reserved, procured, handed over).
const (
	RequestPending   = "pending"   // with the approvers
	RequestApproved  = "approved"  // decided; its lines are being served
	RequestRejected  = "rejected"  // refused as a whole
	RequestCancelled = "cancelled" // withdrawn by the requester; lines already handed over stay so
	RequestDone      = "done"      // every line received, or refused: nothing more to do
)

// Line states. A line goes requested → approved | partly | rejected (an
// approver's step, kept while later steps decide) → reserved | to_procure
// (the final approval) → ordered → ready → handed_over → received; until it
// is handed over the requester may cancel it.
const (
	LineRequested  = "requested"
	LineApproved   = "approved"
	LinePartly     = "partly" // approved less than asked
	LineRejected   = "rejected"
	LineReserved   = "reserved"   // the whole approved quantity is held on the shelf
	LineToProcure  = "to_procure" // some or all of it must be bought (a free-text line always)
	LineOrdered    = "ordered"
	LineReady      = "ready"
	LineHandedOver = "handed_over"
	LineReceived   = "received"
	LineCancelled  = "cancelled"
)

// cancellableLine lists the states a requester's cancellation ends: every
// line not yet handed over, rejected or already cancelled.
var cancellableLine = []string{LineRequested, LineApproved, LinePartly, LineReserved, LineToProcure, LineOrdered, LineReady}

// Request is an employee's order of supplies: a few lines, for a department
// (the cost centre every ledger movement it causes is booked to), for a
// purpose, needed by a day. Its approval runs in the approval engine
// (ApprovalID); its lines keep their own quantities and states.
type Request struct {
	ID           uint   `gorm:"primaryKey"`
	RequesterID  uint   `gorm:"not null;index:warehouse_request_requester,priority:1"`
	DepartmentID uint   `gorm:"not null;index"`
	Purpose      string `gorm:"size:500;not null"`
	// NeededBy is the day the requester needs the supplies; zero for no day.
	NeededBy   calendar.Date
	Status     string    `gorm:"size:16;not null;index"`
	ApprovalID *uint     `gorm:"index"`
	CreatedAt  time.Time `gorm:"not null;index:warehouse_request_requester,priority:2"`
	UpdatedAt  time.Time
	// DecidedAt is when the last approver decided; CancelledAt when the
	// requester withdrew it.
	DecidedAt   *time.Time
	CancelledAt *time.Time
}

func (Request) TableName() string { return "warehouse_requests" }

// RequestLine is one thing asked for: a catalogue item, or a free-text line
// (ItemID nil) for something not stocked, which goes straight to procurement.
// Its quantities are kept apart so a partly served line never looks done:
// Requested is what was asked; Approved what the approvers allowed (0 until
// an approver decided the line); Reserved what is held on the shelf for it
// now (a handover moves it to Issued); Received what the requester confirmed.
type RequestLine struct {
	ID        uint  `gorm:"primaryKey"`
	RequestID uint  `gorm:"not null;index"`
	Seq       int   `gorm:"not null"` // the line's place on the form, from 1
	ItemID    *uint `gorm:"index"`
	// Text is a free-text line's description; "" for a catalogue item.
	Text string `gorm:"size:200;not null;default:''"`
	Unit string `gorm:"size:20;not null"` // the item's unit when asked, or the free text's
	// UnitPrice is forints for one unit when the line was asked (the item's
	// price; a free-text line's estimate, 0 when unknown), for the value the
	// approvers see.
	UnitPrice int64  `gorm:"not null;default:0"`
	Requested Qty    `gorm:"not null"`
	Approved  Qty    `gorm:"not null;default:0"`
	Reserved  Qty    `gorm:"not null;default:0"`
	Issued    Qty    `gorm:"not null;default:0"`
	Received  Qty    `gorm:"not null;default:0"`
	State     string `gorm:"size:16;not null;index"`
	// Reason is the approver's word when they approved less or nothing.
	Reason string `gorm:"size:500;not null;default:''"`
	// ReadyAt, HandedOverAt, ReceivedAt are when the line was put out for
	// pickup, handed over and confirmed; RemindedAt when the requester was
	// reminded to confirm (once).
	ReadyAt      *time.Time
	HandedOverAt *time.Time
	ReceivedAt   *time.Time
	RemindedAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (RequestLine) TableName() string { return "warehouse_request_lines" }

// Free reports whether the line is free text (not a catalogue item).
func (l *RequestLine) Free() bool { return l.ItemID == nil }

// granted is what the line may have: what an approver allowed, or what was
// asked while nobody has decided it.
func (l *RequestLine) granted() Qty {
	if l.State == LineRequested {
		return l.Requested
	}
	return l.Approved
}

// ToProcure is what of an approved line must still be bought: the approved
// quantity less what is reserved or already handed over.
func (l *RequestLine) ToProcure() Qty {
	if l.State != LineToProcure && l.State != LineOrdered {
		return 0
	}
	return max(0, l.Approved-l.Reserved-l.Issued)
}

// value is forints for q of the line at its price.
func (l *RequestLine) value(q Qty) int64 { return int64(q) * l.UnitPrice / QtyScale }
