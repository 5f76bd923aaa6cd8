package training

import (
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/linktoken"
)

// Entities, the audit log's and the timeline's names for the module's records.
const (
	TrainingEntity   = "training"
	SessionEntity    = "training_session"
	EnrolmentEntity  = "training_enrolment"
	PlanEntity       = "training_plan"
	CompletionEntity = "training_completion"
)

// Catalogue statuses: HR prepares a year's catalogue as a draft (copied from
// the year before), then publishes it; only a published year's trainings
// may be requested, and publishing assigns the mandatory ones.
const (
	CatalogueDraft     = "draft"
	CataloguePublished = "published"
)

// Catalogue is one year's list of trainings.
type Catalogue struct {
	Year        int    `gorm:"primaryKey;autoIncrement:false"`
	Status      string `gorm:"size:16;not null"`
	CopiedFrom  int    // the year it was copied from, 0 when started empty
	PublishedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (Catalogue) TableName() string { return "training_catalogues" }

// Kinds of training.
const (
	KindClassroom  = "classroom"
	KindOnline     = "online"
	KindELearning  = "elearning"
	KindConference = "conference"
)

// Kinds lists the kinds in the order forms show them.
var Kinds = []string{KindClassroom, KindOnline, KindELearning, KindConference}

// Target groups of a training: who must (mandatory) or may (optional) take it.
const (
	TargetEveryone    = "everyone"
	TargetDepartments = "departments" // TargetList holds department ids
	TargetTitles      = "titles"      // TargetList holds job titles
	TargetRoles       = "roles"       // TargetList holds role names
)

// Targets lists the target kinds in the order forms show them.
var Targets = []string{TargetEveryone, TargetDepartments, TargetTitles, TargetRoles}

// Training is one entry of a year's catalogue. The same training offered in
// several years has one row per year with the same Code, so a certificate
// earned in 2024 still counts for the code in 2026 and copying a year never
// touches the rows (or the completions) of the year before.
type Training struct {
	ID       uint   `gorm:"primaryKey"`
	Year     int    `gorm:"not null;uniqueIndex:training_year_code,priority:1"`
	Code     string `gorm:"size:40;not null;uniqueIndex:training_year_code,priority:2"`
	TitleHU  string `gorm:"size:200;not null"`
	TitleEN  string `gorm:"size:200;not null;default:''"`
	Provider string `gorm:"size:200;not null;default:''"`
	Kind     string `gorm:"size:16;not null"`
	// Mandatory trainings are assigned to everyone in the target group, due by DueBy.
	Mandatory bool `gorm:"not null;default:false"`
	// DueBy is the day a mandatory training must be done by; zero: the year's last day.
	DueBy   calendar.Date
	Minutes int `gorm:"not null;default:0"` // length in minutes (hours are shown)
	Points  int `gorm:"not null;default:0"` // study points a completion earns
	// Central marks a programme on the central programme list; a training
	// not on it is internal (counts only up to the internal cap).
	Central bool   `gorm:"not null;default:false"`
	CostFt  int64  `gorm:"not null;default:0"` // per person
	Target  string `gorm:"size:16;not null;default:'everyone'"`
	// TargetList is the target group's members, one per line: department
	// ids, job titles or role names, by Target.
	TargetList  string `gorm:"size:2000;not null;default:''"`
	Certificate bool   `gorm:"not null;default:false"` // completion gives a certificate
	// ValidMonths is how long a certificate stays valid; 0: for ever. A
	// completion copies its own valid-until when it is recorded, so a later
	// change never expires certificates already issued.
	ValidMonths int  `gorm:"not null;default:0"`
	Active      bool `gorm:"not null"` // no default: GORM would write it for a false
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (Training) TableName() string { return "training_trainings" }

// Title is the training's title in lang.
func (t *Training) Title(lang string) string {
	if lang == "en" && t.TitleEN != "" {
		return t.TitleEN
	}
	return t.TitleHU
}

// Internal reports whether the training counts as internal for the points cap.
func (t *Training) Internal() bool { return !t.Central }

// Session statuses.
const (
	SessionScheduled = "scheduled"
	SessionCancelled = "cancelled"
	SessionClosed    = "closed" // the roster was recorded
)

// Session is one date of a training: first to last day, the same hours
// each day, at a Kapu room (booked through the booking service) or a place
// in words, with a trainer and a number of seats. Enrolled is a cache of
// the enrolments holding a seat, moved only by guarded updates so it never
// passes Seats (training_seats backs it in the database).
type Session struct {
	ID         uint          `gorm:"primaryKey"`
	TrainingID uint          `gorm:"not null;index"`
	FirstDay   calendar.Date `gorm:"not null;index"`
	LastDay    calendar.Date `gorm:"not null"`
	FromMin    int           `gorm:"not null"` // minutes after midnight each day
	ToMin      int           `gorm:"not null"`
	RoomID     *uint         // a Kapu room
	RoomHold   *uint         // the booking service's reference of the room's booking
	Place      string        `gorm:"size:200;not null;default:''"` // in words, when not a Kapu room
	TrainerID  *uint         `gorm:"index"`                        // a member of staff who trains
	Trainer    string        `gorm:"size:200;not null;default:''"` // an outside trainer's name
	Seats      int           `gorm:"not null"`
	Enrolled   int           `gorm:"not null;default:0"`
	Status     string        `gorm:"size:16;not null"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (Session) TableName() string { return "training_sessions" }

// Enrolment statuses. A request waits for approval (pending); approved, it
// holds a seat of its session (enrolled) or, with the session full, a place
// on its waiting list (waiting); a request for a training without sessions
// (e-learning, a conference) is simply approved. A completed session's
// enrolments are done, with an Outcome.
const (
	EnrolPending   = "pending"
	EnrolApproved  = "approved"
	EnrolEnrolled  = "enrolled"
	EnrolWaiting   = "waiting"
	EnrolRejected  = "rejected"
	EnrolCancelled = "cancelled"
	EnrolDone      = "done"
)

// ActiveEnrolment lists the statuses that hold a person's place with a
// training: one at a time per person and training (training_enrolment_once).
var ActiveEnrolment = []string{EnrolPending, EnrolApproved, EnrolEnrolled, EnrolWaiting}

// Outcomes of a session for one person, as the roster records them.
const (
	OutcomeAttended  = "attended"
	OutcomeCompleted = "completed"
	OutcomeFailed    = "failed"
	OutcomeNoShow    = "no_show"
)

// Outcomes lists them in the roster's order.
var Outcomes = []string{OutcomeCompleted, OutcomeAttended, OutcomeFailed, OutcomeNoShow}

// Where an enrolment came from.
const (
	SourceRequest   = "request"   // asked for with a reason, approved by the manager
	SourcePlan      = "plan"      // in the person's approved yearly plan
	SourceMandatory = "mandatory" // the catalogue assigned it
	SourceHR        = "hr"        // HR enrolled the person
)

// Enrolment is a person's place with a training of a year: requested,
// approved, on a session or its waiting list, and finally its outcome.
type Enrolment struct {
	ID         uint   `gorm:"primaryKey"`
	TrainingID uint   `gorm:"not null;index"`
	SessionID  *uint  `gorm:"index"`
	PersonID   uint   `gorm:"not null;index"`
	Status     string `gorm:"size:16;not null"`
	Source     string `gorm:"size:16;not null"`
	Reason     string `gorm:"size:1000;not null;default:''"`
	// WaitingSince orders the waiting list: the first waiting gets the next seat.
	WaitingSince *time.Time
	Outcome      string `gorm:"size:16;not null;default:''"`
	ApprovalID   *uint  `gorm:"index"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (Enrolment) TableName() string { return "training_enrolments" }

// Plan statuses: the employee drafts the year's plan with the trainings
// agreed with the manager, submits it for one approval, and its trainings
// can then be booked without asking again.
const (
	PlanDraft    = "draft"
	PlanPending  = "pending"
	PlanApproved = "approved"
	PlanRejected = "rejected"
)

// Plan is a person's individual training plan for a year.
type Plan struct {
	ID         uint   `gorm:"primaryKey"`
	PersonID   uint   `gorm:"not null;uniqueIndex:training_plan_once,priority:1"`
	Year       int    `gorm:"not null;uniqueIndex:training_plan_once,priority:2"`
	Status     string `gorm:"size:16;not null"`
	Note       string `gorm:"size:1000;not null;default:''"`
	ApprovalID *uint
	CreatedAt  time.Time
	UpdatedAt  time.Time

	Items []PlanItem `gorm:"foreignKey:PlanID;constraint:OnDelete:CASCADE"`
}

func (Plan) TableName() string { return "training_plans" }

// PlanItem is one training of a plan.
type PlanItem struct {
	PlanID     uint `gorm:"primaryKey;autoIncrement:false"`
	TrainingID uint `gorm:"primaryKey;autoIncrement:false"`
}

func (PlanItem) TableName() string { return "training_plan_items" }

// Where a completion came from.
const (
	CompletionRoster = "roster" // the session's roster
	CompletionRecord = "record" // recorded on behalf (an outside course)
	CompletionImport = "import" // the installation's import of past trainings
)

// Completion is a training a person completed. It keeps its own hours,
// points and valid-until, copied from the training when recorded, so a
// later change of the catalogue never rewrites it.
type Completion struct {
	ID            uint          `gorm:"primaryKey"`
	PersonID      uint          `gorm:"not null;index:training_completion_person,priority:1"`
	TrainingID    uint          `gorm:"not null;index"`
	SessionID     *uint         `gorm:"index"`
	EnrolmentID   *uint         `gorm:"uniqueIndex"`
	CompletedOn   calendar.Date `gorm:"not null;index:training_completion_person,priority:2"`
	Minutes       int           `gorm:"not null;default:0"`
	Points        int           `gorm:"not null;default:0"`
	Score         *int
	CertificateNo string        `gorm:"size:100;not null;default:''"`
	ValidUntil    calendar.Date `gorm:"index"` // zero: no certificate, or valid for ever
	Source        string        `gorm:"size:16;not null"`
	RecordedByID  uint
	CreatedAt     time.Time
}

func (Completion) TableName() string { return "training_completions" }

// CertificateFile is a completion's uploaded certificate, checked by its bytes.
type CertificateFile struct {
	CompletionID uint   `gorm:"primaryKey;autoIncrement:false"`
	Name         string `gorm:"size:200;not null"`
	ContentType  string `gorm:"size:40;not null"`
	Size         int    `gorm:"not null"`
	Data         []byte `gorm:"not null"`
	CreatedAt    time.Time
}

func (CertificateFile) TableName() string { return "training_certificate_files" }

// PointsRow is one row of the study-points ledger: the points a completion
// earned on its day, or a correction. A person's points in a period are the
// sum of their rows in it, read by one query (pointsRows) for every screen
// and export.
type PointsRow struct {
	ID           uint          `gorm:"primaryKey"`
	PersonID     uint          `gorm:"not null;index:training_points_person,priority:1"`
	Day          calendar.Date `gorm:"not null;index:training_points_person,priority:2"`
	Points       int           `gorm:"not null"`
	Internal     bool          `gorm:"not null"`
	Central      bool          `gorm:"not null"`
	CompletionID *uint         `gorm:"uniqueIndex"`
	Note         string        `gorm:"size:300;not null;default:''"`
	CreatedAt    time.Time
}

func (PointsRow) TableName() string { return "training_points" }

// Profile is what the points rules need of a person beyond the people
// module's record: the education level, and whether the person is a civil
// servant the decree applies to.
type Profile struct {
	PersonID     uint      `gorm:"primaryKey;autoIncrement:false"`
	Education    Education `gorm:"size:16;not null"`
	CivilServant bool      `gorm:"not null"` // no default: GORM would write it for a false
	UpdatedAt    time.Time
}

func (Profile) TableName() string { return "training_profiles" }

// Feedback is a participant's rating of a session (1–5, a comment).
type Feedback struct {
	EnrolmentID uint   `gorm:"primaryKey;autoIncrement:false"`
	Score       int    `gorm:"not null"`
	Comment     string `gorm:"size:1000;not null;default:''"`
	CreatedAt   time.Time
}

func (Feedback) TableName() string { return "training_feedback" }

// FeedbackLink is the mailed one-click rating link of an enrolment.
type FeedbackLink struct {
	ID          uint `gorm:"primaryKey"`
	EnrolmentID uint `gorm:"not null;index"`
	linktoken.Fields
	CreatedAt time.Time
}

func (FeedbackLink) TableName() string { return "training_feedback_links" }

// Models lists the module's tables.
func Models() []any {
	return []any{&Catalogue{}, &Training{}, &Session{}, &Enrolment{}, &Plan{}, &PlanItem{},
		&Completion{}, &CertificateFile{}, &PointsRow{}, &Profile{}, &Feedback{}, &FeedbackLink{},
		&Sent{}}
}
