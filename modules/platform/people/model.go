package people

import (
	"time"

	"kapu/modules/platform/calendar"

	"kapu/modules/platform/actor"
)

// Department is a node of the organisation tree (office of the mayor → departments → groups).
type Department struct {
	ID       uint   `gorm:"primaryKey"`
	Name     string `gorm:"size:120;not null"`
	ParentID *uint  `gorm:"index"`
	HeadID   *uint  `gorm:"index"`
	// StaffingNote tells approvers how many must stay, e.g. "two clerks at the desk".
	StaffingNote string `gorm:"size:300"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Person is a member of staff; a person with records is never deleted, only deactivated.
type Person struct {
	ID           uint   `gorm:"primaryKey"`
	Username     string `gorm:"size:64;uniqueIndex;not null"` // always lower case
	Name         string `gorm:"size:200;not null;index"`
	Email        string `gorm:"size:200;uniqueIndex;not null"` // always lower case
	DepartmentID *uint  `gorm:"index"`
	JobTitle     string `gorm:"size:200"`
	ManagerID    *uint  `gorm:"index"` // nil: the department head is the manager
	DeputyID     *uint  `gorm:"index"`
	// DeputyUntil, when set and not past, lets the deputy act for this person
	// (approvals go to both), e.g. during a conference the leave module does not know.
	DeputyUntil calendar.Date
	// EmployedFrom and EmployedUntil bound the employment, for pro-rata
	// allowances; zero means "before records" and "still employed".
	EmployedFrom  calendar.Date
	EmployedUntil calendar.Date
	Active        bool   `gorm:"not null;index"`
	Lang          string `gorm:"size:8"` // "" follows KAPU_LANG
	PasswordHash  string `gorm:"size:200" json:"-"`
	// PasswordTemporary marks a password someone else chose (`kapu user
	// create`, `kapu user passwd`): the person must choose their own before
	// anything else.
	PasswordTemporary bool `gorm:"not null;default:false" json:"-"`
	// FeedKey is part of the signature of the person's calendar feed links
	// (ical.FeedSig); replacing it (NewFeedKey) ends the links given before.
	FeedKey     string `gorm:"size:32;not null;default:''" json:"-"`
	LastLoginAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Roles []PersonRole `gorm:"foreignKey:PersonID;constraint:OnDelete:CASCADE"`
}

// PersonRole grants one role to one person.
type PersonRole struct {
	PersonID uint   `gorm:"primaryKey"`
	Role     string `gorm:"primaryKey;size:32;index"`
}

// RoleNames returns the person's roles in the canonical order.
func (p *Person) RoleNames() []string {
	have := map[string]bool{}
	for _, r := range p.Roles {
		have[r.Role] = true
	}
	var out []string
	for _, r := range actor.Roles {
		if have[r] {
			out = append(out, r)
		}
	}
	return out
}

// Actor returns the person as the actor of a change.
func (p *Person) Actor() actor.Actor {
	return actor.Actor{ID: p.ID, Name: p.Name, Roles: p.RoleNames(), Channel: actor.ChannelApp}
}

// auditView is what the audit log keeps of a person (never the password hash).
type auditView struct {
	Username     string   `json:"username"`
	Name         string   `json:"name"`
	Email        string   `json:"email"`
	DepartmentID *uint    `json:"department_id,omitempty"`
	JobTitle     string   `json:"job_title,omitempty"`
	ManagerID    *uint    `json:"manager_id,omitempty"`
	DeputyID     *uint    `json:"deputy_id,omitempty"`
	Active       bool     `json:"active"`
	Roles        []string `json:"roles"`
}

func (p *Person) auditView() auditView {
	return auditView{p.Username, p.Name, p.Email, p.DepartmentID, p.JobTitle, p.ManagerID, p.DeputyID, p.Active, p.RoleNames()}
}
