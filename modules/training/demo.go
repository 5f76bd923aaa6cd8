package training

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/people"
	"kapu/modules/platform/places"
)

// demoPast is how many years of completions the demo's history holds, as
// loaded once at installation (the seed's "past completed trainings").
const demoPast = 5

// demoSeed is what the demo's parts share while it is written.
type demoSeed struct {
	tx     *gorm.DB
	rng    *rand.Rand
	now    time.Time
	today  calendar.Date
	days   *calendar.Days
	tz     *time.Location
	people []people.Person
	byName map[string]*people.Person
	depts  map[string]uint
	// ids are the trainings by year and code.
	ids map[int]map[string]*Training
	// rooms are the Kapu rooms by name; hr holds them for sessions.
	rooms map[string]uint
	hold  places.Holds
	hr    *people.Person
}

// demo writes the demo city hall's trainings directly (the shape the
// service would write): a published catalogue for this year (copied from
// the last), next year's as a draft, sessions in the coming weeks; with the
// history, the past years' completions as the installation's import, this
// year's held sessions with their rosters and feedback, and people booked
// on the coming sessions, one of them full with a waiting list. Every
// completion has its points row, as the service writes them.
func (m *Module) demo(ctx context.Context, o demo.Options) error {
	s := m.svc
	if m.deps.People == nil {
		return nil
	}
	d := &demoSeed{now: s.now(), today: s.today(), tz: s.deps.Cfg.TZ, byName: map[string]*people.Person{},
		depts: map[string]uint{}, ids: map[int]map[string]*Training{}}
	d.rng = rand.New(rand.NewPCG(16, uint64(d.today.Year)))
	if err := s.db.R.WithContext(ctx).Where("active = ?", true).Order("id").Find(&d.people).Error; err != nil {
		return err
	}
	if len(d.people) == 0 {
		return nil
	}
	for i := range d.people {
		d.byName[d.people[i].Username] = &d.people[i]
	}
	var depts []people.Department
	if err := s.db.R.WithContext(ctx).Find(&depts).Error; err != nil {
		return err
	}
	for _, dp := range depts {
		d.depts[dp.Name] = dp.ID
	}
	var err error
	if d.days, err = s.deps.Calendar.Span(ctx, d.today.AddDays(-366*(demoPast+1)), d.today.AddDays(120)); err != nil {
		return err
	}
	rooms, err := s.Rooms.Rooms(ctx)
	if err != nil {
		return err
	}
	d.rooms, d.hold, d.hr = map[string]uint{}, s.Rooms, d.byName["hr"]
	for _, r := range rooms {
		d.rooms[r.Name] = r.ID
	}
	first := d.today.Year
	if o.History {
		first -= demoPast
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		d.tx = tx
		for y := first; y <= d.today.Year+1; y++ {
			if err := d.catalogue(y); err != nil {
				return err
			}
		}
		if err := d.profiles(); err != nil {
			return err
		}
		if o.History {
			for y := first; y < d.today.Year; y++ {
				if err := d.pastYear(y); err != nil {
					return err
				}
			}
			if err := d.thisYear(); err != nil {
				return err
			}
		}
		return d.comingSessions(o.History)
	})
	if err != nil || !o.History {
		return err
	}
	// The requests and the plan waiting for manager go through the service
	// and the approval engine, mails and all.
	return s.SeedDemoEnrolments(ctx, d.today.Year)
}

// catalogue writes year's catalogue: published up to this year, next year a
// draft copied from this one.
func (d *demoSeed) catalogue(year int) error {
	c := Catalogue{Year: year, Status: CataloguePublished, CopiedFrom: year - 1,
		CreatedAt: d.dayAt(calendar.NewDate(year-1, time.December, 1), 9)}
	if year > d.today.Year {
		c.Status, c.CreatedAt = CatalogueDraft, d.now.Add(-48*time.Hour)
	} else {
		at := d.dayAt(calendar.NewDate(year-1, time.December, 15), 10)
		c.PublishedAt = &at
	}
	c.UpdatedAt = c.CreatedAt
	if err := d.tx.Create(&c).Error; err != nil {
		return err
	}
	d.ids[year] = map[string]*Training{}
	for _, dt := range demoTrainings {
		t := &Training{Year: year, Code: dt.code, TitleHU: dt.hu, TitleEN: dt.en, Provider: dt.provider, Kind: dt.kind,
			Mandatory: dt.mandatory, Minutes: dt.minutes, Points: dt.points, Central: dt.central, CostFt: dt.cost,
			Target: dt.target, TargetList: d.targetList(dt), Certificate: dt.certificate, ValidMonths: dt.validMonths,
			Active: true, CreatedAt: c.CreatedAt, UpdatedAt: c.CreatedAt}
		if dt.dueMonth > 0 {
			t.DueBy = calendar.NewDate(year, time.Month(dt.dueMonth)+1, 0)
		}
		if err := d.tx.Create(t).Error; err != nil {
			return err
		}
		d.ids[year][dt.code] = t
	}
	return nil
}

// targetList stores dt's target group: department names become their ids.
func (d *demoSeed) targetList(dt demoTraining) string {
	if dt.target != TargetDepartments {
		return strings.Join(dt.list, "\n")
	}
	var ids []string
	for _, name := range dt.list {
		if id, ok := d.depts[name]; ok {
			ids = append(ids, strconv.FormatUint(uint64(id), 10))
		}
	}
	return strings.Join(ids, "\n")
}

// profiles gives everyone their education level.
func (d *demoSeed) profiles() error {
	for _, p := range d.people {
		level := Graduate
		if demoSecondary[p.Username] {
			level = Secondary
		}
		if err := d.tx.Create(&Profile{PersonID: p.ID, Education: level, CivilServant: p.Username != "admin", UpdatedAt: d.now}).Error; err != nil {
			return err
		}
	}
	return nil
}

// takers are the people of the target group of t who took it in a year, in
// a random share of dt.perYear percent.
func (d *demoSeed) takers(t *Training, dt demoTraining) []*people.Person {
	var out []*people.Person
	for i := range d.people {
		p := &d.people[i]
		if p.Username == "admin" || !t.Covers(p, nil) {
			continue
		}
		if d.rng.IntN(100) < dt.perYear {
			out = append(out, p)
		}
	}
	return out
}

// pastYear is a year before this one as the installation's import loaded
// it: completions with their certificates and points, no sessions.
func (d *demoSeed) pastYear(year int) error {
	for _, dt := range demoTrainings {
		t := d.ids[year][dt.code]
		if !dt.heldIn(year) {
			continue
		}
		for _, p := range d.takers(t, dt) {
			day := d.workday(calendar.NewDate(year, time.Month(2+d.rng.IntN(10)), 1+d.rng.IntN(28)))
			if err := d.complete(p, t, nil, nil, day, CompletionImport); err != nil {
				return err
			}
		}
	}
	return nil
}

// thisYear is the year so far: sessions held months ago with their rosters
// (completions, a few failed or absent) and feedback.
func (d *demoSeed) thisYear() error {
	year := d.today.Year
	for _, dt := range demoTrainings {
		t := d.ids[year][dt.code]
		if !dt.heldIn(year) {
			continue
		}
		takers := d.takers(t, dt)
		if len(takers) == 0 {
			continue
		}
		// A held session some weeks back, then the rest of the year's takers
		// as e-learning or outside courses recorded on their behalf.
		day := d.workday(d.today.AddDays(-30 - d.rng.IntN(200)))
		if !day.Before(d.today.AddDays(-7)) {
			day = d.workday(d.today.AddDays(-21))
		}
		onSession := takers
		if len(onSession) > 16 {
			onSession = takers[:16]
		}
		ses, err := d.session(t, dt, day, len(onSession)+2, SessionClosed)
		if err != nil {
			return err
		}
		for i, p := range onSession {
			outcome := OutcomeCompleted
			switch {
			case i%11 == 5:
				outcome = OutcomeNoShow
			case i%13 == 7:
				outcome = OutcomeFailed
			}
			e, err := d.enrol(p, t, ses, EnrolDone, outcome)
			if err != nil {
				return err
			}
			if outcome != OutcomeCompleted {
				continue
			}
			if err := d.complete(p, t, &ses.ID, &e.ID, ses.LastDay, CompletionRoster); err != nil {
				return err
			}
			if d.rng.IntN(3) > 0 {
				score := 3 + d.rng.IntN(3)
				if err := d.tx.Create(&Feedback{EnrolmentID: e.ID, Score: score, Comment: demoComments[d.rng.IntN(len(demoComments))],
					CreatedAt: d.dayAt(ses.LastDay.AddDays(1), 10)}).Error; err != nil {
					return err
				}
			}
		}
		for _, p := range takers[len(onSession):] {
			if err := d.complete(p, t, nil, nil, d.workday(d.today.AddDays(-10-d.rng.IntN(300))), CompletionRecord); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoAsksLater are the people whose requests and plan SeedDemoEnrolments
// sends to their manager, and the administrator, who trains nobody: the
// demo books them on nothing itself.
var demoAsksLater = map[string]bool{"admin": true, "employee": true, "lakatos.bence": true, "simon.reka": true}

// demoComments are what some participants wrote with their rating.
var demoComments = []string{"", "", "Hasznos, gyakorlatias képzés.", "Több gyakorlati példát szeretnék.", "Kiváló előadó.", "A terem kicsi volt."}

// comingSessions are the sessions of the next weeks; with the history,
// people are booked on them: one is full, with two on its waiting list.
func (d *demoSeed) comingSessions(history bool) error {
	year := d.today.Year
	plan := []struct {
		code     string
		in, days int // workdays from today, length in days
		seats    int
		booked   int    // with the history
		room     string // a Kapu room held through booking, when free
	}{
		{"TUZ-01", 3, 1, 20, 9, "Nagy tárgyaló"},
		{"ELSO-01", 4, 1, 6, 8, ""}, // full: two wait
		{"KOMM-01", 5, 2, 16, 6, "Nagy tárgyaló"},
		{"TUZ-01", 9, 1, 20, 4, "Díszterem (képviselő-testületi ülésterem)"},
		{"EXCEL-02", 10, 1, 10, 5, ""},
	}
	for _, sp := range plan {
		t := d.ids[year][sp.code]
		first := d.workdayAfter(d.today, sp.in)
		if first.Year != year { // seeded in the last days of December: next year's catalogue is a draft
			continue
		}
		dt := demoTrainingOf(sp.code)
		ses, err := d.session(t, dt, first, sp.seats, SessionScheduled)
		if err != nil {
			return err
		}
		if sp.days > 1 {
			ses.LastDay = d.workdayAfter(first, sp.days-1)
			if err := d.tx.Model(ses).Update("last_day", ses.LastDay).Error; err != nil {
				return err
			}
		}
		if !history { // the rooms stay free for tests that book them
			continue
		}
		if err := d.holdRoom(ses, t, sp.room); err != nil {
			return err
		}
		n := 0
		for i := range d.people {
			p := &d.people[i]
			// A session to fill takes everyone it covers; others a random two in three.
			if n == sp.booked || demoAsksLater[p.Username] || !t.Covers(p, nil) || (sp.booked <= sp.seats && d.rng.IntN(3) == 0) {
				continue
			}
			var taken int64
			if err := d.tx.Model(&Enrolment{}).Where("training_id = ? AND person_id = ?", t.ID, p.ID).Count(&taken).Error; err != nil {
				return err
			}
			if taken > 0 {
				continue
			}
			status := EnrolEnrolled
			if n >= sp.seats {
				status = EnrolWaiting
			}
			if _, err := d.enrol(p, t, ses, status, ""); err != nil {
				return err
			}
			n++
		}
	}
	return nil
}

// heldIn reports whether dt is held in year (see every).
func (dt demoTraining) heldIn(year int) bool { return dt.every <= 1 || year%dt.every == 0 }

// demoTrainingOf is the demo training of code.
func demoTrainingOf(code string) demoTraining {
	for _, dt := range demoTrainings {
		if dt.code == code {
			return dt
		}
	}
	panic("training demo: no training " + code)
}

// session writes a session of t from day, with its trainer and place.
func (d *demoSeed) session(t *Training, dt demoTraining, day calendar.Date, seats int, status string) (*Session, error) {
	from, to := 9*60, 9*60+min(dt.minutes, 7*60)
	if dt.minutes > 8*60 {
		to = 16 * 60
	}
	ses := &Session{TrainingID: t.ID, FirstDay: day, LastDay: day, FromMin: from, ToMin: to, Seats: seats, Status: status,
		Place: "Városháza, díszterem", Trainer: demoTrainers[dt.code],
		CreatedAt: d.dayAt(day.AddDays(-30), 9), UpdatedAt: d.dayAt(day.AddDays(-30), 9)}
	if dt.kind == KindOnline {
		ses.Place = "Online (Teams)"
	}
	if who, ok := demoStaffTrainers[dt.code]; ok && d.byName[who] != nil {
		ses.TrainerID, ses.Trainer = &d.byName[who].ID, ""
	}
	return ses, d.tx.Create(ses).Error
}

// holdRoom holds the Kapu room called name for ses through booking's rules,
// one span a day; a room the demo's bookings already took leaves the
// session at its place in words.
func (d *demoSeed) holdRoom(ses *Session, t *Training, name string) error {
	id, ok := d.rooms[name]
	if !ok || d.hr == nil {
		return nil
	}
	var spans []places.Span
	for day := ses.FirstDay; !day.After(ses.LastDay); day = day.AddDays(1) {
		if d.days.IsWorkday(day) {
			spans = append(spans, places.Span{Start: d.dayAt(day, 0).Add(time.Duration(ses.FromMin) * time.Minute),
				End: d.dayAt(day, 0).Add(time.Duration(ses.ToMin) * time.Minute)})
		}
	}
	ref, err := d.hold.HoldRoom(d.tx.Statement.Context, d.tx, places.Hold{RoomID: id, Spans: spans, Title: t.TitleHU, By: d.hr.Actor(), Owner: holdOwner})
	if errors.Is(err, places.ErrRoomTaken) {
		return nil
	}
	if err != nil {
		return err
	}
	ses.RoomID, ses.RoomHold, ses.Place = &id, &ref, ""
	return d.tx.Model(ses).Updates(map[string]any{"room_id": id, "room_hold": ref, "place": ""}).Error
}

// enrol writes p's place on ses, moving its seat count as the service does.
func (d *demoSeed) enrol(p *people.Person, t *Training, ses *Session, status, outcome string) (*Enrolment, error) {
	at := d.dayAt(ses.FirstDay.AddDays(-20-d.rng.IntN(10)), 10)
	e := &Enrolment{TrainingID: t.ID, SessionID: &ses.ID, PersonID: p.ID, Status: status, Source: SourceRequest,
		Outcome: outcome, CreatedAt: at, UpdatedAt: at}
	if t.Mandatory {
		e.Source = SourceMandatory
	}
	if status == EnrolWaiting {
		w := at.Add(time.Duration(p.ID) * time.Minute)
		e.WaitingSince = &w
	}
	if err := d.tx.Create(e).Error; err != nil {
		return nil, err
	}
	if status == EnrolEnrolled || status == EnrolDone {
		ses.Enrolled++
		return e, d.tx.Model(ses).Update("enrolled", ses.Enrolled).Error
	}
	return e, nil
}

// complete records p's completion of t on day with its points row, copying
// the training's hours, points and validity as the service does.
func (d *demoSeed) complete(p *people.Person, t *Training, sessionID, enrolmentID *uint, day calendar.Date, source string) error {
	c := &Completion{PersonID: p.ID, TrainingID: t.ID, SessionID: sessionID, EnrolmentID: enrolmentID, CompletedOn: day,
		Minutes: t.Minutes, Points: t.Points, Source: source, CreatedAt: d.dayAt(day, 16)}
	if t.Certificate {
		c.CertificateNo = strings.ReplaceAll(t.Code, "-", "") + "/" + strconv.Itoa(day.Year) + "/" + strconv.Itoa(1000+d.rng.IntN(9000))
		if t.ValidMonths > 0 {
			c.ValidUntil = calendar.DateOf(day.Start(time.UTC).AddDate(0, t.ValidMonths, -1), time.UTC)
		}
	}
	if hr := d.byName["hr"]; hr != nil {
		c.RecordedByID = hr.ID
	}
	if err := d.tx.Create(c).Error; err != nil {
		return err
	}
	if t.Points == 0 {
		return nil
	}
	return d.tx.Create(&PointsRow{PersonID: p.ID, Day: day, Points: t.Points, Internal: t.Internal(), Central: t.Central,
		CompletionID: &c.ID, CreatedAt: c.CreatedAt}).Error
}

// workday is day, or the next working day after it.
func (d *demoSeed) workday(day calendar.Date) calendar.Date {
	for !d.days.IsWorkday(day) {
		day = day.AddDays(1)
	}
	return day
}

// workdayAfter is the n-th working day after day.
func (d *demoSeed) workdayAfter(day calendar.Date, n int) calendar.Date {
	for n > 0 {
		day = day.AddDays(1)
		if d.days.IsWorkday(day) {
			n--
		}
	}
	return day
}

// dayAt is hour o'clock on day in the city hall's zone.
func (d *demoSeed) dayAt(day calendar.Date, hour int) time.Time {
	return day.Start(d.tz).Add(time.Duration(hour) * time.Hour).UTC()
}
