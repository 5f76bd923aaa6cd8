package approval

import (
	"time"

	"kapu/modules/platform/history"
	"kapu/modules/platform/linktoken"
)

// Entity names a request in audit rows and on its timeline (history).
const Entity = "approval_request"

// Request statuses.
const (
	StatusPending   = "pending"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusWithdrawn = "withdrawn"
)

// Step statuses.
const (
	StepWaiting  = "waiting" // an earlier step is not decided yet
	StepPending  = "pending" // waiting for its approver now
	StepApproved = "approved"
	StepRejected = "rejected"
	StepClosed   = "closed" // never reached: the request was rejected or withdrawn first
)

// Link actions.
const (
	ActionApprove = "approve"
	ActionReject  = "reject"
)

// Request is one thing that needs approval, owned by a module's kind.
type Request struct {
	ID          uint   `gorm:"primaryKey"`
	Kind        string `gorm:"size:40;not null;index:idx_approval_subject"`
	SubjectID   string `gorm:"size:60;not null;index:idx_approval_subject"` // the module's own id
	RequesterID uint   `gorm:"not null;index"`
	Title       string `gorm:"size:300;not null"` // the requester's-language snapshot; shown only when the kind can no longer describe it
	Status      string `gorm:"size:16;not null;index"`
	Version     int    `gorm:"not null"` // bumped on every change; email links carry it
	CurrentStep int    `gorm:"not null"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DecidedAt   *time.Time
}

func (Request) TableName() string { return "approval_requests" }

// Step is one approver's turn; steps are decided in Seq order.
type Step struct {
	ID            uint   `gorm:"primaryKey"`
	RequestID     uint   `gorm:"not null;uniqueIndex:idx_approval_step_seq"`
	Seq           int    `gorm:"not null;uniqueIndex:idx_approval_step_seq"`
	ApproverID    uint   `gorm:"not null;index"`
	DeputyID      *uint  `gorm:"index"` // set when the approver was away or had their deputy acting
	EscalatedToID *uint  `gorm:"index"` // the approver's manager, after M working days
	Status        string `gorm:"size:16;not null;index"`
	ActivatedAt   *time.Time
	RemindedAt    *time.Time
	EscalatedAt   *time.Time
	DecidedByID   *uint
	DecidedAt     *time.Time
	Comment       string `gorm:"size:2000"`
	Channel       string `gorm:"size:16"`
}

func (Step) TableName() string { return "approval_steps" }

// Deciders lists who may decide the step: the approver, the deputy and the escalation target.
func (s *Step) Deciders() []uint {
	out := []uint{s.ApproverID}
	if s.DeputyID != nil {
		out = append(out, *s.DeputyID)
	}
	if s.EscalatedToID != nil {
		out = append(out, *s.EscalatedToID)
	}
	return out
}

// CanDecide reports whether person may decide the step.
func (s *Step) CanDecide(person uint) bool {
	for _, id := range s.Deciders() {
		if id == person {
			return true
		}
	}
	return false
}

// Token is an email link: only its hash is stored; it belongs to one step, one
// person, one action and one version of the request, and works once.
type Token struct {
	ID uint `gorm:"primaryKey"`
	linktoken.Fields
	StepID    uint   `gorm:"not null;index"`
	PersonID  uint   `gorm:"not null"`
	Action    string `gorm:"size:16;not null"`
	Version   int    `gorm:"not null"`
	CreatedAt time.Time
}

func (Token) TableName() string { return "approval_tokens" }

// Pref is how a person wants approval emails: one per request, or a daily digest.
type Pref struct {
	PersonID uint `gorm:"primaryKey"`
	Digest   bool `gorm:"not null"`
}

func (Pref) TableName() string { return "approval_prefs" }

// Models lists the tables of the engine, and history's: the engine keeps
// its requests' timelines there, comes with every assembly of Kapu, and its
// migration fills the table from approval_events. That older table stays in
// databases that have it (nothing writes it any more); new ones never get it.
func Models() []any {
	return append([]any{&Request{}, &Step{}, &Token{}, &Pref{}}, history.Models()...)
}
