package helpdesk

import (
	"context"

	"gorm.io/gorm/clause"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/demo"
)

// DefaultHours are 7:30–16:00 on every weekday; the calendar decides which
// days are working days (weekends, holidays and moved days included).
func DefaultHours() string {
	day := calendar.Hours{From: 7*60 + 30, To: 16 * 60}
	var week [7]calendar.Hours
	for i := range week {
		week[i] = day
	}
	return FormatHours(week)
}

// Ensure adds the two queues a fresh database lacks; tickets cannot be
// reported without them. Existing queues are left as administrators set them.
func (m *Module) Ensure(ctx context.Context) error { return m.svc.EnsureQueues(ctx) }

// EnsureQueues creates the IT and maintenance queues when missing.
func (s *Service) EnsureQueues(ctx context.Context) error {
	qs := []Queue{
		{Key: QueueIT, NameHU: "Informatika", NameEN: "IT", Role: staffRole(QueueIT), Hours: DefaultHours()},
		{Key: QueueMaintenance, NameHU: "Üzemeltetés", NameEN: "Maintenance", Role: staffRole(QueueMaintenance), Hours: DefaultHours()},
	}
	return s.db.W.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).Create(&qs).Error
}

// demoCategories are the categories of each queue, in order.
var demoCategories = map[string][][2]string{
	QueueIT: {{"Hardver", "Hardware"}, {"Nyomtató", "Printer"}, {"Hálózat", "Network"}, {"Szoftver", "Software"},
		{"Fiók, jelszó", "Account, password"}, {"Telefon", "Phone"}},
	QueueMaintenance: {{"Elektromos", "Electrical"}, {"Vízvezeték", "Plumbing"}, {"Fűtés, hűtés", "Heating, cooling"},
		{"Bútor", "Furniture"}, {"Zárak, kulcsok", "Locks, keys"}, {"Takarítás", "Cleaning"}},
}

// Demo gives the queues their categories and leads (the demo's `it` and
// `facilities`), and with the history a year of assets and tickets.
func (m *Module) Demo(ctx context.Context, o demo.Options) error {
	s := m.svc
	if err := s.EnsureQueues(ctx); err != nil {
		return err
	}
	cats := map[string][]uint{}
	for key, lead := range map[string]string{QueueIT: "it", QueueMaintenance: "facilities"} {
		p, err := s.people.ByUsername(ctx, lead)
		if err != nil {
			return err
		}
		var q Queue
		if err := s.db.W.WithContext(ctx).Where("key = ?", key).First(&q).Error; err != nil {
			return err
		}
		if err := s.db.W.WithContext(ctx).Model(&q).Update("lead_id", p.ID).Error; err != nil {
			return err
		}
		for i, n := range demoCategories[key] {
			c := Category{QueueID: q.ID, NameHU: n[0], NameEN: n[1], Order: i + 1, Active: true}
			if err := s.db.W.WithContext(ctx).Create(&c).Error; err != nil {
				return err
			}
			cats[key] = append(cats[key], c.ID)
		}
	}
	if !o.History {
		return nil
	}
	// The year: assets, ~1,450 tickets walked through their lives, and
	// today's open ones (demo_year.go).
	if err := s.seedYear(ctx, cats); err != nil {
		return err
	}
	// After the tickets they are about: the work log (with the heating
	// fault's pump waiting for approval) and the reporters' ratings.
	if err := s.demoWork(ctx); err != nil {
		return err
	}
	if err := s.demoRatings(ctx); err != nil {
		return err
	}
	return s.RebuildStats(ctx)
}
