package helpdesk

import (
	"context"

	"gorm.io/gorm/clause"

	"kapu/modules/platform/actor"
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
// `facilities`), and with the history a handful of tickets in several states.
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
	return s.demoTickets(ctx, cats)
}

// demoTickets reports a few faults and moves some of them on.
func (s *Service) demoTickets(ctx context.Context, cats map[string][]uint) error {
	who := map[string]actor.Actor{}
	for _, u := range []string{"employee", "lakatos.bence", "varga.eszter", "frontdesk", "it", "facilities"} {
		p, err := s.people.ByUsername(ctx, u)
		if err != nil {
			return err
		}
		who[u] = p.Actor()
	}
	type step struct {
		to, comment string
	}
	tickets := []struct {
		by, queue string
		cat       int
		in        ReportInput
		take      string
		steps     []step
	}{
		{by: "employee", queue: QueueIT, cat: 1, in: ReportInput{Title: "Nem nyomtat a 2. emeleti nyomtató", Description: "Papírelakadást jelez, de nincs benne papír.", Building: "Városháza", Floor: "2", Room: "214", Impact: ImpactHinders}},
		{by: "lakatos.bence", queue: QueueIT, cat: 4, in: ReportInput{Title: "Lejárt a jelszavam", Impact: ImpactBlocks}, take: "it", steps: []step{{StateInProgress, ""}}},
		{by: "varga.eszter", queue: QueueIT, cat: 3, in: ReportInput{Title: "Lassú a szakrendszer", Description: "Reggelente percekig tölt.", Impact: ImpactCanWait}, take: "it", steps: []step{{StateWaitingReporter, "Melyik gépen és mikor pontosan?"}}},
		{by: "frontdesk", queue: QueueMaintenance, cat: 2, in: ReportInput{Title: "Hideg az ügyfélváró", Building: "Városháza", Floor: "fsz", Room: "Ügyfélváró", Impact: ImpactHinders}, take: "facilities", steps: []step{{StateWaitingVendor, "Szelepet kell rendelni."}}},
		{by: "employee", queue: QueueMaintenance, cat: 4, in: ReportInput{Title: "Beragad az irodaajtó zárja", Building: "Városháza", Floor: "1", Room: "108", Impact: ImpactCanWait}, take: "facilities", steps: []step{{StateInProgress, ""}, {StateResolved, "Zár kicserélve."}}},
	}
	for _, d := range tickets {
		in := d.in
		in.QueueKey, in.CategoryID = d.queue, cats[d.queue][d.cat]
		t, err := s.Report(ctx, who[d.by], in)
		if err != nil {
			return err
		}
		if d.take == "" {
			continue
		}
		if err := s.Take(ctx, who[d.take], t.ID); err != nil {
			return err
		}
		for _, st := range d.steps {
			var err error
			if st.to == StateResolved {
				err = s.Resolve(ctx, who[d.take], t.ID, ResolvedRepaired, st.comment)
			} else {
				err = s.ChangeState(ctx, who[d.take], t.ID, st.to, st.comment)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
