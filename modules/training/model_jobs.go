package training

import "time"

// Kinds of mail the jobs send, each once per key (Sent).
const (
	sentRemindWeek = "remind_week" // a week before a session; key: enrolment/session
	sentRemindDay  = "remind_day"  // the day before; key: enrolment/session
	sentExpiry90   = "expiry_90"   // a certificate expires within 90 days; key: completion
	sentExpiry30   = "expiry_30"   // … within 30 days; key: completion
	sentPlanYear   = "plan_year"   // the yearly plan reminder went out; key: the year
	sentFeedback   = "feedback"    // the feedback link after a session; key: enrolment
)

// Sent marks what a job already did, keyed in the database so a second run
// (on another replica, after a restart, the same day) does nothing again.
type Sent struct {
	Kind      string `gorm:"primaryKey;size:16"`
	Key       string `gorm:"column:ref;primaryKey;size:64"`
	CreatedAt time.Time
}

func (Sent) TableName() string { return "training_sent" }
