package helpdesk

import "time"

// WorkEntry is one line of a ticket's work log: what a member of the queue's
// staff did, how long it took, and the parts it used (Parts). The ticket's
// WorkMins and PartsCost are the sums of its entries, kept in the same
// transaction as every entry added or deleted.
type WorkEntry struct {
	ID        uint      `gorm:"primaryKey"`
	TicketID  uint      `gorm:"not null;index"`
	ByID      uint      `gorm:"not null"`
	Text      string    `gorm:"size:2000;not null"`
	Minutes   int       `gorm:"not null"`
	PartsCost int64     `gorm:"not null;default:0"` // the sum of its parts' quantity × unit cost
	CreatedAt time.Time `gorm:"not null"`
	Parts     []Part    `gorm:"foreignKey:EntryID"`
}

func (WorkEntry) TableName() string { return "helpdesk_work_entries" }

// Part is a part a work entry used: a name, how many, and the unit cost in
// forints. TicketID is repeated so an asset's parts are one query away.
type Part struct {
	ID       uint   `gorm:"primaryKey"`
	EntryID  uint   `gorm:"not null;index"`
	TicketID uint   `gorm:"not null;index"`
	Name     string `gorm:"size:200;not null"`
	Quantity int    `gorm:"not null"`
	UnitCost int64  `gorm:"not null"`
}

func (Part) TableName() string { return "helpdesk_parts" }

// Cost is the part row's cost in forints.
func (p *Part) Cost() int64 { return int64(p.Quantity) * p.UnitCost }

// TicketLink says two tickets are related. It is stored once per pair, the
// lower id first, so the relation is symmetric and the unique index refuses
// a second link of the same pair.
type TicketLink struct {
	ID        uint      `gorm:"primaryKey"`
	LowID     uint      `gorm:"not null;uniqueIndex:helpdesk_link_pair,priority:1"`
	HighID    uint      `gorm:"not null;uniqueIndex:helpdesk_link_pair,priority:2;index"`
	ByID      uint      `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (TicketLink) TableName() string { return "helpdesk_ticket_links" }

// Purchase request states; the approval engine decides the pending ones.
const (
	PurchasePending  = "pending"
	PurchaseApproved = "approved"
	PurchaseRejected = "rejected"
)

// PurchaseRequest is something a fix needs bought (a part, a replacement
// device), sent to an approver through the approval engine.
type PurchaseRequest struct {
	ID         uint   `gorm:"primaryKey"`
	TicketID   uint   `gorm:"not null;index"`
	ByID       uint   `gorm:"not null"` // the staff member who asked
	What       string `gorm:"size:200;not null"`
	Why        string `gorm:"size:2000;not null"`
	Cost       int64  `gorm:"not null"` // estimated, in forints
	Supplier   string `gorm:"size:200;not null;default:''"`
	State      string `gorm:"size:20;not null;index"`
	ApproverID uint   `gorm:"not null"` // who the request was sent to
	ApprovalID *uint  // the engine's request
	DecidedBy  *uint
	Reason     string `gorm:"size:2000;not null;default:''"` // the refusal's reason or the approval's comment
	CreatedAt  time.Time
	DecidedAt  *time.Time
}

func (PurchaseRequest) TableName() string { return "helpdesk_purchases" }

// Total is the row's cost (quantity × unit cost), for templates.
func (p Part) Total() int64 { return int64(p.Quantity) * p.UnitCost }
