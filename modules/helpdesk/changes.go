package helpdesk

import (
	"gorm.io/gorm"

	"kapu/modules/platform/actor"
)

// What a service call did to a ticket (change.Kind).
const (
	ChangeReport   = "report"
	ChangeAssign   = "assign"
	ChangeState    = "state"
	ChangeComment  = "comment"
	ChangePriority = "priority"
	ChangeWarning  = "sla_warning" // the SLA job: a clock reached 80 %
	ChangeBreach   = "sla_breach"  // the SLA job: a clock reached 100 %
)

// change is what one service call did to a ticket, for the SLA refresh and
// the mails that follow every change.
type change struct {
	Kind       string
	From, To   string   // states (ChangeState, ChangeAssign) or priorities (ChangePriority)
	AssigneeID uint     // ChangeAssign: the new assignee
	Comment    *Comment // ChangeComment
	Note       string   // the comment given with a state change
}

// changed runs after every change to ticket id, in its transaction: the
// ticket's SLA columns are computed again from its log, and the people
// concerned are mailed (notify, mail.go).
func (s *Service) changed(tx *gorm.DB, a actor.Actor, id uint, ch change) error {
	t, q, err := load(tx, id)
	if err != nil {
		return err
	}
	if err := s.refreshSLA(tx, t, q); err != nil {
		return err
	}
	if err := s.markStatsDirty(tx, t.ID); err != nil {
		return err
	}
	return s.notify(tx, a, t, q, ch)
}
