package helpdesk

import (
	"context"

	"kapu/modules/helpdesk/sla"
	"kapu/modules/platform/actor"
)

// TicketView is everything the ticket page shows, read once for whoever may
// see the ticket: the reporter gets the public comments and photos and no
// clock, the queue's staff everything.
type TicketView struct {
	Ticket      *Ticket
	Queue       *Queue
	Category    Category
	Asset       *Asset // nil when none (or no longer there)
	Staff       bool
	Events      []TicketEvent // the status log, oldest first
	Comments    []Comment     // oldest first
	Attachments []Attachment  // without their bytes, oldest first
	Names       map[uint]string
	Clock       *sla.Clock // staff only
}

// TicketView reads ticket id's page for a; ErrNotFound for anyone who may
// not see it.
func (s *Service) TicketView(ctx context.Context, a actor.Actor, id uint) (*TicketView, error) {
	r := s.db.R.WithContext(ctx)
	t, q, staff, err := loadForViewer(r, a, id)
	if err != nil {
		return nil, err
	}
	v := &TicketView{Ticket: t, Queue: q, Staff: staff}
	if err := r.Where("id = ?", t.CategoryID).Limit(1).Find(&v.Category).Error; err != nil {
		return nil, err
	}
	if t.AssetID != nil {
		var as Asset
		if err := r.Where("id = ?", *t.AssetID).Limit(1).Find(&as).Error; err != nil {
			return nil, err
		}
		if as.ID != 0 {
			v.Asset = &as
		}
	}
	if err := r.Where("ticket_id = ?", id).Order("at, id").Find(&v.Events).Error; err != nil {
		return nil, err
	}
	if v.Comments, err = visibleComments(r, id, staff); err != nil {
		return nil, err
	}
	if err := visibleAttachments(r, id, staff).
		Select("id, ticket_id, comment_id, by_id, name, content_type, size, created_at").
		Order("created_at, id").Find(&v.Attachments).Error; err != nil {
		return nil, err
	}
	ids := []uint{t.ReporterID}
	for _, p := range []*uint{t.AssigneeID, t.RecordedByID} {
		if p != nil {
			ids = append(ids, *p)
		}
	}
	for _, e := range v.Events {
		ids = append(ids, e.ByID)
		if e.AssigneeID != nil {
			ids = append(ids, *e.AssigneeID)
		}
	}
	for _, cm := range v.Comments {
		ids = append(ids, cm.ByID)
	}
	if v.Names, err = s.peopleNames(ctx, ids); err != nil {
		return nil, err
	}
	if staff {
		c, err := s.clockFrom(ctx, t, q, v.Events, s.now().UTC())
		if err != nil {
			return nil, err
		}
		v.Clock = &c
	}
	return v, nil
}

// peopleNames are people's names by id, for the page's who-did-what.
func (s *Service) peopleNames(ctx context.Context, ids []uint) (map[uint]string, error) {
	out := map[uint]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   uint
		Name string
	}
	if err := s.db.R.WithContext(ctx).Table("people").Select("id, name").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
