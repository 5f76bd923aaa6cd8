// Package helpdesk is the one channel for IT faults and building maintenance:
// two queues (IT, maintenance) with categories, tickets people report and
// queue staff work, and each ticket's status log. The log (TicketEvent) is
// the record the SLA clock is computed from, so every change writes one.
package helpdesk

import (
	"fmt"
	"kapu/modules/helpdesk/sla"
	"strconv"
	"strings"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
)

// Queue keys.
const (
	QueueIT          = "it"
	QueueMaintenance = "maintenance"
)

// Queue is one of the helpdesk's two desks, worked by the holders of Role.
type Queue struct {
	ID     uint   `gorm:"primaryKey"`
	Key    string `gorm:"size:20;uniqueIndex;not null"` // QueueIT | QueueMaintenance
	NameHU string `gorm:"size:200;not null"`
	NameEN string `gorm:"size:200;not null"`
	Role   string `gorm:"size:20;not null"` // actor.IT | actor.Facilities
	LeadID *uint  // the person who gets new tickets and breach warnings
	// Hours are the business hours the SLA clock runs in: seven "from-to"
	// spans in minutes after local midnight, comma-separated, Sunday first
	// (time.Weekday order), "0-0" for closed; see BusinessHours.
	Hours string `gorm:"size:100;not null"`
	// Targets are the SLA targets by priority 1–4 in business minutes,
	// "response/resolution" comma-separated (see SLATargets); "" for
	// DefaultTargets.
	Targets   string `gorm:"size:100;not null;default:''"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (Queue) TableName() string { return "helpdesk_queues" }

// Name is the queue's name in lang.
func (q *Queue) Name(lang string) string { return pick(lang, q.NameHU, q.NameEN) }

// BusinessHours are the queue's hours in tz, as calendar's SLA clock takes
// them; a malformed stored value counts as closed that day.
func (q *Queue) BusinessHours(tz *time.Location) calendar.BusinessHours {
	h := calendar.BusinessHours{TZ: tz}
	for i, span := range strings.Split(q.Hours, ",") {
		if i >= 7 {
			break
		}
		from, to, ok := strings.Cut(span, "-")
		f, err1 := strconv.Atoi(strings.TrimSpace(from))
		t, err2 := strconv.Atoi(strings.TrimSpace(to))
		if ok && err1 == nil && err2 == nil {
			h.Week[i] = calendar.Hours{From: f, To: t}
		}
	}
	return h
}

// DefaultTargets are the SLA targets of a queue that has set none: for
// priorities 1–4, the first response in 30 min, 1 h, 4 h and 8.5 h (a
// business day of 7:30–16:00), the resolution in 4 h, 1, 3 and 5 days.
const DefaultTargets = "30/240,60/510,240/1530,510/2550"

// SLATargets are the queue's targets by priority as the SLA clock takes
// them; a malformed or missing entry means no target for that priority.
func (q *Queue) SLATargets() sla.Targets {
	spec := q.Targets
	if strings.TrimSpace(spec) == "" {
		spec = DefaultTargets
	}
	ts := sla.Targets{}
	for i, part := range strings.Split(spec, ",") {
		resp, res, ok := strings.Cut(part, "/")
		r1, err1 := strconv.Atoi(strings.TrimSpace(resp))
		r2, err2 := strconv.Atoi(strings.TrimSpace(res))
		if ok && err1 == nil && err2 == nil && r1 >= 0 && r2 >= 0 && i < 4 {
			ts[i+1] = sla.Target{Response: time.Duration(r1) * time.Minute, Resolve: time.Duration(r2) * time.Minute}
		}
	}
	return ts
}

// FormatHours writes week as Queue.Hours stores it.
func FormatHours(week [7]calendar.Hours) string {
	parts := make([]string, 7)
	for i, h := range week {
		parts[i] = fmt.Sprintf("%d-%d", h.From, h.To)
	}
	return strings.Join(parts, ",")
}

// staffRole is who works a queue key; unknown keys are nobody's.
func staffRole(key string) string {
	switch key {
	case QueueIT:
		return actor.IT
	case QueueMaintenance:
		return actor.Facilities
	}
	return ""
}

// Category is what a ticket is about within its queue (printer, plumbing).
type Category struct {
	ID      uint   `gorm:"primaryKey"`
	QueueID uint   `gorm:"not null;index"`
	NameHU  string `gorm:"size:200;not null"`
	NameEN  string `gorm:"size:200;not null"`
	Order   int    `gorm:"not null"`
	Active  bool   `gorm:"not null"`
}

func (Category) TableName() string { return "helpdesk_categories" }

// Name is the category's name in lang.
func (c *Category) Name(lang string) string { return pick(lang, c.NameHU, c.NameEN) }

// Ticket states: the SLA clock's, so the log it reads speaks its words.
const (
	StateNew             = sla.StateNew
	StateAssigned        = sla.StateAssigned
	StateInProgress      = sla.StateInProgress
	StateWaitingReporter = sla.StateWaitingReporter
	StateWaitingVendor   = sla.StateWaitingVendor
	StateResolved        = sla.StateResolved
	StateClosed          = sla.StateClosed
)

// States lists every state in the order a ticket usually goes.
var States = []string{StateNew, StateAssigned, StateInProgress, StateWaitingReporter, StateWaitingVendor, StateResolved, StateClosed}

// Impact: how badly the fault stops the reporter.
const (
	ImpactBlocks  = "blocks"
	ImpactHinders = "hinders"
	ImpactCanWait = "can_wait"
)

// Urgency: how soon it matters (staff may change it; reporters get medium).
const (
	UrgencyHigh   = "high"
	UrgencyMedium = "medium"
	UrgencyLow    = "low"
)

// Priority is 1 (most urgent) to 4 from impact × urgency, each ranked 1–3
// (blocks/high = 1, hinders/medium = 2, can_wait/low = 3): their sum less
// one, at most 4. The matrix:
//
//	            high  medium  low
//	blocks        1      2     3
//	hinders       2      3     4
//	can_wait      3      4     4
//
// Zero for an impact or urgency that is not one of the above.
func Priority(impact, urgency string) int {
	i := map[string]int{ImpactBlocks: 1, ImpactHinders: 2, ImpactCanWait: 3}[impact]
	u := map[string]int{UrgencyHigh: 1, UrgencyMedium: 2, UrgencyLow: 3}[urgency]
	if i == 0 || u == 0 {
		return 0
	}
	return min(4, i+u-1)
}

// Ticket is one reported fault or request.
type Ticket struct {
	ID uint `gorm:"primaryKey"`
	// Number is what people quote ("IT-00042"): the queue's key and the id,
	// so unique by construction; it names, it never opens.
	Number       string `gorm:"size:20;index"`
	QueueID      uint   `gorm:"not null;index:helpdesk_ticket_queue,priority:1"`
	CategoryID   uint   `gorm:"not null;index"`
	Title        string `gorm:"size:200;not null"`
	Description  string `gorm:"size:4000"`
	ReporterID   uint   `gorm:"not null;index:helpdesk_ticket_mine,priority:1"`
	RecordedByID *uint  // staff who recorded it on the reporter's behalf (a phone call)
	Building     string `gorm:"size:100"`
	Floor        string `gorm:"size:50"`
	Room         string `gorm:"size:100"`
	AssetID      *uint  `gorm:"index"`
	Impact       string `gorm:"size:10;not null"`
	Urgency      string `gorm:"size:10;not null"`
	Priority     int    `gorm:"not null"`
	State        string `gorm:"size:20;not null;index:helpdesk_ticket_queue,priority:2"`
	AssigneeID   *uint  `gorm:"index"`
	// DepartmentID is the reporter's department when they reported (statistics).
	DepartmentID *uint
	// The SLA columns are a cache of sla.Compute over the status log, written
	// by refreshSLA in the transaction of every change (and by the SLA job),
	// so lists can filter and sort on them; the log stays the truth.
	// DueAt is the resolution's due time if the clock runs on (nil while it
	// stands: resolved, closed, waiting for the reporter, no target);
	// ResponseDueAt the first response's, nil once responded.
	DueAt         *time.Time `gorm:"index:helpdesk_ticket_queue,priority:3"`
	ResponseDueAt *time.Time
	// SLAWarnAt and SLABreachAt are the earliest instant either clock
	// reached or will reach 80 % and 100 % of its target (nil when neither
	// will while things stay as they are). SLABreached is set once a clock
	// has breached; ResponseMins and ResolveMins are the business minutes
	// used to the first response and to the (latest) resolution.
	SLAWarnAt    *time.Time `gorm:"column:sla_warn_at;index"`
	SLABreachAt  *time.Time `gorm:"column:sla_breach_at;index"`
	SLABreached  bool       `gorm:"column:sla_breached;not null;default:false"`
	ResponseMins *int
	ResolveMins  *int
	// WarnMailedAt and BreachMailedAt remember the SLA mails sent, so the job
	// sends each once; a refresh that finds the clock back below the mark
	// (a lower priority) clears them.
	WarnMailedAt   *time.Time
	BreachMailedAt *time.Time
	// ResolutionCode says how it was resolved (ResolutionCodes); "" until then.
	ResolutionCode string `gorm:"size:20;not null;default:''"`
	// MergedIntoID is the ticket this duplicate was merged into.
	MergedIntoID *uint
	// WorkMins and PartsCost are the sums of the ticket's work log (minutes
	// spent, parts' cost in forints), kept by the work log's service in the
	// same transaction as each entry, for the asset history and statistics.
	WorkMins   int       `gorm:"not null;default:0"`
	PartsCost  int64     `gorm:"not null;default:0"`
	CreatedAt  time.Time `gorm:"not null;index:helpdesk_ticket_mine,priority:2"`
	UpdatedAt  time.Time
	ResolvedAt *time.Time
	ClosedAt   *time.Time
}

// Resolution codes: how a ticket was resolved.
const (
	ResolvedRepaired  = "repaired"
	ResolvedReplaced  = "replaced"
	ResolvedNoFault   = "no_fault"
	ResolvedAdvice    = "advice"
	ResolvedVendor    = "vendor"
	ResolvedObsolete  = "obsolete"
	ResolvedDuplicate = "duplicate" // merged into another ticket
)

// ResolutionCodes are the codes staff pick from when resolving.
var ResolutionCodes = []string{ResolvedRepaired, ResolvedReplaced, ResolvedNoFault, ResolvedAdvice, ResolvedVendor, ResolvedObsolete}

func (Ticket) TableName() string { return "helpdesk_tickets" }

// Event kinds in the status log.
const (
	EventState    = "state"    // From → To
	EventAssign   = "assign"   // AssigneeID set (From/To the states around it)
	EventPriority = "priority" // Priority changed (From/To as numbers)
	EventComment  = "comment"  // a comment the reporter sees (not internal)
)

// TicketEvent is one line of a ticket's status log: who, when, what changed.
// The SLA clock is recomputed from these rows, never from a counter.
type TicketEvent struct {
	ID         uint      `gorm:"primaryKey"`
	TicketID   uint      `gorm:"not null;index:helpdesk_event_ticket,priority:1"`
	At         time.Time `gorm:"not null;index:helpdesk_event_ticket,priority:2"`
	ByID       uint      `gorm:"not null"` // 0 for the system
	Kind       string    `gorm:"size:10;not null"`
	From       string    `gorm:"size:20"`
	To         string    `gorm:"size:20"`
	AssigneeID *uint
	Comment    string `gorm:"size:4000"`
}

func (TicketEvent) TableName() string { return "helpdesk_ticket_events" }

// Comment is a message on a ticket; Internal ones only queue staff see.
type Comment struct {
	ID        uint      `gorm:"primaryKey"`
	TicketID  uint      `gorm:"not null;index"`
	ByID      uint      `gorm:"not null"`
	Body      string    `gorm:"size:4000;not null"`
	Internal  bool      `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (Comment) TableName() string { return "helpdesk_comments" }

// Rating is the reporter's satisfaction with a closed ticket (1–5), given
// once from the link in the closing mail.
type Rating struct {
	ID        uint      `gorm:"primaryKey"`
	TicketID  uint      `gorm:"not null;uniqueIndex"`
	Score     int       `gorm:"not null"`
	Comment   string    `gorm:"size:2000"`
	CreatedAt time.Time `gorm:"not null"`
}

func (Rating) TableName() string { return "helpdesk_ratings" }

// Models lists the module's tables.
func Models() []any {
	return append([]any{&Queue{}, &Category{}, &Ticket{}, &TicketEvent{}, &Comment{}, &Asset{}, &Rating{}, &RateLink{},
		&WorkEntry{}, &Part{}, &TicketLink{}, &PurchaseRequest{}, &Attachment{}, &MaintenancePlan{}, &MaintenanceRun{}}, append(statsModels(), renewalModels()...)...)
}

func pick(lang, hu, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return hu
}
