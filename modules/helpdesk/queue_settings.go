package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// Errors of the queues' settings.
var (
	ErrSettingsForbidden = errs.New(errs.Forbidden, "helpdesk: only administrators and the queue's lead change its settings")
	ErrLead              = errs.New(errs.Invalid, "helpdesk: the lead must work the queue")
	ErrCategoryName      = errs.New(errs.Invalid, "helpdesk: a category needs a name in Hungarian and English")
	ErrCategoryNotFound  = errs.New(errs.NotFound, "helpdesk: no such category")
)

func init() {
	for e, k := range map[error]string{
		ErrSettingsForbidden: "helpdesk.settings.err.forbidden", ErrLead: "helpdesk.settings.err.lead",
		ErrCategoryName: "helpdesk.settings.err.category_name", ErrCategoryNotFound: "helpdesk.settings.err.category_not_found",
	} {
		messages[e] = k
	}
}

// Limits of the settings.
const (
	maxCategoryName = 100
	maxTargetMins   = 100 * 24 * 60 // a hundred days of business time is no target
	refreshBatch    = 200           // open tickets refreshed per transaction after a change
)

// Entities the settings' audit rows name.
const (
	queueEntity    = "helpdesk_queue"
	categoryEntity = "helpdesk_category"
)

// maySet reports whether a changes queue q's settings: an administrator or its lead.
func maySet(a actor.Actor, q *Queue) bool {
	return a.ID != 0 && (a.Has(actor.Admin) || (q.LeadID != nil && *q.LeadID == a.ID))
}

// SettableQueues are the queues a may set up, IT first; none for most people.
func (s *Service) SettableQueues(ctx context.Context, a actor.Actor) ([]Queue, error) {
	qs, err := s.Queues(ctx)
	if err != nil {
		return nil, err
	}
	out := qs[:0]
	for _, q := range qs {
		if maySet(a, &q) {
			out = append(out, q)
		}
	}
	return out, nil
}

// QueueSetup is what the settings page of one queue shows.
type QueueSetup struct {
	Queue      Queue
	Categories []Category // every one, in order
	Staff      []Staffer  // who may lead it
	Used       map[uint]int64
}

// settingsQueue reads queue key for someone who may set it up.
func (s *Service) settingsQueue(q *gorm.DB, a actor.Actor, key string) (*Queue, error) {
	qu, err := queueByKey(q, key)
	if err != nil {
		return nil, err
	}
	if !maySet(a, qu) {
		return nil, ErrSettingsForbidden
	}
	return qu, nil
}

// QueueSettings is queue key's setup for an administrator or its lead.
func (s *Service) QueueSettings(ctx context.Context, a actor.Actor, key string) (*QueueSetup, error) {
	r := s.db.R.WithContext(ctx)
	q, err := s.settingsQueue(r, a, key)
	if err != nil {
		return nil, err
	}
	setup := &QueueSetup{Queue: *q, Used: map[uint]int64{}}
	if setup.Categories, err = s.Categories(ctx, q.ID, true); err != nil {
		return nil, err
	}
	var used []struct {
		CategoryID uint
		N          int64
	}
	if err := r.Table("helpdesk_tickets").Select("category_id, COUNT(*) AS n").Where("queue_id = ?", q.ID).
		Group("category_id").Scan(&used).Error; err != nil {
		return nil, err
	}
	for _, u := range used {
		setup.Used[u.CategoryID] = u.N
	}
	if setup.Staff, err = s.staffOf(r, &Queue{Role: q.Role}); err != nil {
		return nil, err
	}
	return setup, nil
}

// Targets are the SLA targets of priorities 1–4 in business minutes:
// [p-1][0] the first response, [p-1][1] the resolution.
type Targets [4][2]int

// TargetsOf are q's targets as the settings form edits them.
func TargetsOf(q *Queue) Targets {
	var out Targets
	ts := q.SLATargets()
	for p := 1; p <= 4; p++ {
		if t, ok := ts[p]; ok {
			out[p-1] = [2]int{int(t.Response.Minutes()), int(t.Resolve.Minutes())}
		}
	}
	return out
}

// format writes ts as Queue.Targets stores it.
func (ts Targets) format() string {
	parts := make([]string, 4)
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%d/%d", t[0], t[1])
	}
	return strings.Join(parts, ",")
}

// HoursField and TargetField name the settings form's fields, on which the
// service's refusals are placed: hours_1 is Monday's hours, target_2_response
// priority 2's first response.
func HoursField(wd int) string { return fmt.Sprintf("hours_%d", wd) }

// TargetField names the field of priority p's target kind ("response", "resolve").
func TargetField(p int, kind string) string { return fmt.Sprintf("target_%d_%s", p, kind) }

// QueueSettingsInput is a queue's lead, week and targets as saved.
type QueueSettingsInput struct {
	LeadID  *uint
	Week    [7]calendar.Hours // by time.Weekday; From == To == 0 is closed
	Targets Targets
}

// check returns every problem of in at once, each on its field.
func (in QueueSettingsInput) check() error {
	var problems []error
	for wd, h := range in.Week {
		closed := h.From == 0 && h.To == 0
		if !closed && (h.From < 0 || h.To > 24*60 || h.From >= h.To) {
			problems = append(problems, web.NewFieldError(HoursField(wd), "helpdesk.settings.err.hours"))
		}
	}
	for i, t := range in.Targets {
		for k, kind := range []string{"response", "resolve"} {
			if t[k] < 0 {
				problems = append(problems, web.NewFieldError(TargetField(i+1, kind), "helpdesk.settings.err.target_negative"))
			} else if t[k] > maxTargetMins {
				problems = append(problems, web.NewFieldError(TargetField(i+1, kind), "helpdesk.settings.err.target_long"))
			}
		}
		if t[0] >= 0 && t[1] >= 0 && t[1] < t[0] {
			problems = append(problems, web.NewFieldError(TargetField(i+1, "resolve"), "helpdesk.settings.err.target_order"))
		}
	}
	return errors.Join(problems...)
}

// SaveQueueSettings stores queue key's lead, business hours and SLA targets,
// audited. New hours or targets apply to the tickets in work: their SLA
// columns are computed again afterwards, a batch of them per transaction, so
// a lowered target shows as breached at once.
func (s *Service) SaveQueueSettings(ctx context.Context, a actor.Actor, key string, in QueueSettingsInput) error {
	if err := in.check(); err != nil {
		return err
	}
	var q *Queue
	var clocks bool
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var err error
		if q, err = s.settingsQueue(tx, a, key); err != nil {
			return err
		}
		if in.LeadID != nil {
			if ok, err := s.works(tx, &Queue{Role: q.Role}, *in.LeadID); err != nil || !ok {
				return errors.Join(err, ErrLead)
			}
		}
		hours, targets := FormatHours(in.Week), in.Targets.format()
		before := map[string]any{"lead_id": q.LeadID, "hours": q.Hours, "targets": q.Targets}
		after := map[string]any{"lead_id": in.LeadID, "hours": hours, "targets": targets}
		clocks = hours != q.Hours || targets != TargetsOf(q).format()
		if err := tx.Model(&Queue{}).Where("id = ?", q.ID).
			Updates(map[string]any{"lead_id": in.LeadID, "hours": hours, "targets": targets, "updated_at": s.now().UTC()}).Error; err != nil {
			return err
		}
		q.LeadID, q.Hours, q.Targets = in.LeadID, hours, targets
		return audit.Record(tx, a, "helpdesk.queue_settings", queueEntity, q.ID, before, after)
	})
	if err != nil || !clocks {
		return err
	}
	return s.refreshOpen(ctx, q)
}

// refreshOpen computes the SLA columns of queue q's open tickets again, in
// batches by id so no transaction holds the writer long.
func (s *Service) refreshOpen(ctx context.Context, q *Queue) error {
	var after uint
	for {
		var ts []Ticket
		done := false
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Where("queue_id = ? AND state IN ? AND id > ?", q.ID, openStates, after).
				Order("id").Limit(refreshBatch).Find(&ts).Error; err != nil {
				return err
			}
			for i := range ts {
				if err := s.refreshSLA(tx, &ts[i], q); err != nil {
					return err
				}
			}
			done = len(ts) < refreshBatch
			return nil
		})
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		after = ts[len(ts)-1].ID
	}
}

// CategoryInput is a category's two names.
type CategoryInput struct{ NameHU, NameEN string }

func (in CategoryInput) check() (CategoryInput, error) {
	in.NameHU, in.NameEN = strings.TrimSpace(in.NameHU), strings.TrimSpace(in.NameEN)
	var problems []error
	if in.NameHU == "" || !validLine(in.NameHU, maxCategoryName) {
		problems = append(problems, web.NewFieldError("name_hu", "helpdesk.settings.err.category_name"))
	}
	if in.NameEN == "" || !validLine(in.NameEN, maxCategoryName) {
		problems = append(problems, web.NewFieldError("name_en", "helpdesk.settings.err.category_name"))
	}
	return in, errors.Join(problems...)
}

// AddCategory adds an active category at the end of queue key's list.
func (s *Service) AddCategory(ctx context.Context, a actor.Actor, key string, in CategoryInput) (*Category, error) {
	in, err := in.check()
	if err != nil {
		return nil, err
	}
	var c *Category
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		q, err := s.settingsQueue(tx, a, key)
		if err != nil {
			return err
		}
		var last struct{ N int }
		if err := tx.Table("helpdesk_categories").Select(`COALESCE(MAX("order"), 0) AS n`).Where("queue_id = ?", q.ID).
			Scan(&last).Error; err != nil {
			return err
		}
		c = &Category{QueueID: q.ID, NameHU: in.NameHU, NameEN: in.NameEN, Order: last.N + 1, Active: true}
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "helpdesk.category_add", categoryEntity, c.ID, nil,
			map[string]any{"queue": q.Key, "name_hu": c.NameHU, "name_en": c.NameEN})
	})
	return c, err
}

// category reads category id of queue key for someone who may set it up.
func (s *Service) category(tx *gorm.DB, a actor.Actor, key string, id uint) (*Queue, *Category, error) {
	q, err := s.settingsQueue(tx, a, key)
	if err != nil {
		return nil, nil, err
	}
	var c Category
	if err := tx.Where("id = ? AND queue_id = ?", id, q.ID).Limit(1).Find(&c).Error; err != nil {
		return nil, nil, err
	}
	if c.ID == 0 {
		return nil, nil, ErrCategoryNotFound
	}
	return q, &c, nil
}

// RenameCategory gives a category new names; its tickets keep it.
func (s *Service) RenameCategory(ctx context.Context, a actor.Actor, key string, id uint, in CategoryInput) error {
	in, err := in.check()
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		_, c, err := s.category(tx, a, key, id)
		if err != nil {
			return err
		}
		if c.NameHU == in.NameHU && c.NameEN == in.NameEN {
			return nil
		}
		if err := tx.Model(&Category{}).Where("id = ?", c.ID).
			Updates(map[string]any{"name_hu": in.NameHU, "name_en": in.NameEN}).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "helpdesk.category_rename", categoryEntity, c.ID,
			map[string]any{"name_hu": c.NameHU, "name_en": c.NameEN}, map[string]any{"name_hu": in.NameHU, "name_en": in.NameEN})
	})
}

// MoveCategory swaps a category with its neighbour above (up) or below; at
// either end it stays. The whole list is numbered again 1, 2, 3 …, so equal
// or missing orders from earlier data cannot make a swap go astray.
func (s *Service) MoveCategory(ctx context.Context, a actor.Actor, key string, id uint, up bool) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		q, c, err := s.category(tx, a, key, id)
		if err != nil {
			return err
		}
		var all []Category
		if err := tx.Where("queue_id = ?", q.ID).Order(`"order", id`).Find(&all).Error; err != nil {
			return err
		}
		i := 0
		for j := range all {
			if all[j].ID == c.ID {
				i = j
			}
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if j < 0 || j >= len(all) {
			return nil
		}
		all[i], all[j] = all[j], all[i]
		for k := range all {
			if all[k].Order == k+1 {
				continue
			}
			if err := tx.Model(&Category{}).Where("id = ?", all[k].ID).Update("order", k+1).Error; err != nil {
				return err
			}
		}
		return audit.Record(tx, a, "helpdesk.category_move", categoryEntity, c.ID,
			map[string]any{"position": i + 1}, map[string]any{"position": j + 1})
	})
}

// SetCategoryActive turns a category off (no new tickets choose it; the
// tickets that have it keep it) or on again. Categories are never deleted:
// a ticket's category is part of its record and of the statistics.
func (s *Service) SetCategoryActive(ctx context.Context, a actor.Actor, key string, id uint, active bool) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		_, c, err := s.category(tx, a, key, id)
		if err != nil {
			return err
		}
		if c.Active == active {
			return nil
		}
		if err := tx.Model(&Category{}).Where("id = ?", c.ID).Update("active", active).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "helpdesk.category_active", categoryEntity, c.ID,
			map[string]any{"active": c.Active}, map[string]any{"active": active})
	})
}
