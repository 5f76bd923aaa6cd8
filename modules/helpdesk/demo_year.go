package helpdesk

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
)

// The demo year writes its rows directly, a batch of tickets per
// transaction, with the rows Report, Take, Assign, ChangeState, Resolve and
// AddComment would write (ticket, status log, comments, audit) at the past
// instants of each ticket's life; refreshSLA then computes every ticket's SLA
// columns from the log it was given. Through the service calls the year
// would be some 9,000 transactions, each with its own SLA refresh, and the
// demo runs in many tests; this way it takes about two seconds on SQLite.

// demoAssetKind is one kind of asset the demo city hall has, with how many.
type demoAssetKind struct {
	queue, typ, prefix string
	n                  int
	models             []demoModel
	life, warranty     int // months
	personal           bool
}

// demoModel is one model of a kind: its price, the years it was bought in
// (back from now) and how often it fails compared to others (1 is usual).
type demoModel struct {
	name           string
	price          int64
	oldest, newest int // years ago
	fails          float64
}

var demoAssetKinds = []demoAssetKind{
	{QueueIT, "asztali számítógép", "IT-PC", 110, []demoModel{
		{"Dell OptiPlex 7050", 265000, 8, 6, 1.6}, {"HP EliteDesk 800 G6", 310000, 5, 3, 1}, {"Lenovo ThinkCentre M720q", 240000, 4, 2, 0.8}, {"Dell OptiPlex 7090", 340000, 2, 0, 0.6}}, 60, 36, true},
	{QueueIT, "laptop", "IT-NB", 45, []demoModel{
		{"HP ProBook 450 G8", 330000, 4, 2, 1.2}, {"Lenovo ThinkPad T14", 420000, 3, 0, 0.7}, {"Dell Latitude 5520", 390000, 3, 1, 0.9}}, 48, 36, true},
	{QueueIT, "monitor", "IT-MON", 80, []demoModel{
		{"Philips 243V7", 42000, 8, 4, 1}, {"Dell P2419H", 61000, 5, 1, 0.6}, {"LG 27UL500", 89000, 2, 0, 0.5}}, 84, 36, true},
	{QueueIT, "nyomtató", "IT-PRN", 20, []demoModel{
		{"HP LaserJet P2055dn", 98000, 8, 7, 7}, {"Kyocera ECOSYS M2540dn", 145000, 5, 2, 1.2}, {"HP LaserJet Pro M404dn", 118000, 3, 0, 0.9}}, 72, 12, false},
	{QueueIT, "multifunkciós nyomtató", "IT-MFP", 6, []demoModel{{"Canon imageRUNNER C3226i", 1450000, 6, 1, 2}}, 84, 24, false},
	{QueueIT, "szkenner", "IT-SCN", 8, []demoModel{{"Fujitsu fi-7160", 310000, 6, 1, 0.8}}, 72, 24, false},
	{QueueIT, "IP-telefon", "IT-TEL", 25, []demoModel{{"Cisco IP Phone 7841", 52000, 7, 2, 0.5}}, 96, 12, true},
	{QueueIT, "hálózati switch", "IT-SW", 6, []demoModel{{"Cisco Catalyst 2960-X", 620000, 8, 5, 1}, {"HPE Aruba 2530", 410000, 4, 1, 0.7}}, 96, 60, false},
	{QueueMaintenance, "gázkazán", "UZ-KAZ", 3, []demoModel{{"Vaillant ecoTEC plus 306", 890000, 8, 5, 3}}, 180, 24, false},
	{QueueMaintenance, "radiátor", "UZ-RAD", 22, []demoModel{{"Dunaterm 22K 600×1000", 48000, 8, 3, 0.4}}, 300, 60, false},
	{QueueMaintenance, "klíma", "UZ-KLI", 14, []demoModel{{"Daikin Sensira FTXC35", 380000, 6, 1, 1.5}}, 144, 36, false},
	{QueueMaintenance, "lift", "UZ-LFT", 2, []demoModel{{"Schindler 3300", 24000000, 8, 8, 4}}, 300, 24, false},
	{QueueMaintenance, "szivattyú", "UZ-SZV", 3, []demoModel{{"Grundfos MAGNA3 32-80", 520000, 7, 3, 1}}, 180, 24, false},
	{QueueMaintenance, "automata ajtó", "UZ-AJT", 4, []demoModel{{"dormakaba ES 200", 2100000, 8, 4, 2.5}}, 180, 24, false},
	{QueueMaintenance, "világítás", "UZ-VIL", 12, []demoModel{{"Tracon LED-panel 60×60", 14000, 5, 1, 0.6}}, 120, 36, false},
}

// demoBuildings are the demo's buildings with their floors.
var demoBuildings = []struct {
	name   string
	floors []string
}{
	{"Városháza", []string{"fsz", "1", "2", "3"}},
	{"Okmányiroda", []string{"fsz", "1"}},
	{"Műszaki telephely", []string{"fsz"}},
}

// demoTitles are titles of each category (by queue and position), with the
// asset types a ticket of it may be about.
var demoTitles = map[string][]struct {
	titles []string
	types  []string
	weight float64
}{
	QueueIT: {
		{[]string{"Nem indul a gép", "Kék halál indításkor", "Zúg a gép ventilátora", "Nem ad képet a monitor", "Villog a monitor"}, []string{"asztali számítógép", "laptop", "monitor", "szkenner"}, 25},
		{[]string{"Papírelakadást jelez a nyomtató", "Csíkosan nyomtat", "Nem nyomtat a nyomtató", "Nem szkennel e-mailbe a multifunkciós"}, []string{"nyomtató", "multifunkciós nyomtató"}, 24},
		{[]string{"Nincs hálózat az irodában", "Lassú a hálózat", "Nem csatlakozik a wifi"}, []string{"hálózati switch"}, 10},
		{[]string{"Lassú a szakrendszer", "Nem nyílik meg az iktató program", "Frissítés után hibát ad az Office"}, nil, 19},
		{[]string{"Lejárt a jelszavam", "Zárolták a fiókomat", "Új kolléga fiókja kell"}, nil, 14},
		{[]string{"Nem működik a telefonom", "Recseg a telefon", "Nem lehet kifelé hívni"}, []string{"IP-telefon"}, 8},
	},
	QueueMaintenance: {
		{[]string{"Nem világít a lámpa", "Kiesett a biztosíték", "Áll a lift"}, []string{"világítás", "lift"}, 22},
		{[]string{"Csöpög a csap", "Dugulás a mosdóban", "Folyik a WC-tartály"}, []string{"szivattyú"}, 14},
		{[]string{"Hideg az iroda", "Nem melegszik a radiátor", "Nem hűt a klíma", "Csöpög a klíma"}, []string{"gázkazán", "radiátor", "klíma"}, 34},
		{[]string{"Törött szék", "Nem zár a szekrény", "Leesett a polc"}, nil, 10},
		{[]string{"Beragad az irodaajtó zárja", "Nem nyílik az automata ajtó", "Elveszett kulcs pótlása"}, []string{"automata ajtó"}, 12},
		{[]string{"Kiömlött kávé a folyosón", "Nem ürítették a szemetest"}, nil, 8},
	},
}

// demoPerson is a demo colleague as the year's tickets need them.
type demoWho struct {
	id    uint
	name  string
	dept  *uint
	dname string
}

// demoYear is the state the year's generator works with.
type demoYear struct {
	s      *Service
	rnd    *rand.Rand
	now    time.Time
	days   *calendar.Days
	queues map[string]*Queue
	hours  map[string]calendar.BusinessHours
	cats   map[string][]uint
	people []demoWho
	weight []float64 // reporting weight of each person
	byID   map[uint]demoWho
	staff  map[string][]demoWho // the queue's staff, the lead first
	assets map[string][]Asset   // by type
	fails  map[uint]float64     // an asset's failure weight
	batch  []demoTicket
}

// demoTicket is one ticket with the rows its life wrote.
type demoTicket struct {
	t        Ticket
	events   []TicketEvent
	comments []Comment
	audits   []audit.Entry
	// commentAudit is the audit row of each comment, which names it by id.
	commentAudit []int
}

// demoYearTickets are how many tickets the year holds per queue.
var demoYearTickets = map[string]int{QueueIT: 1200, QueueMaintenance: 250}

// seedYear writes the assets and the year of tickets, then the open ones
// that make today's queues look alive.
func (s *Service) seedYear(ctx context.Context, cats map[string][]uint) error {
	now := s.now().UTC()
	y := &demoYear{s: s, rnd: rand.New(rand.NewPCG(14, uint64(calendar.DateOf(now, s.tz).Year))), now: now, cats: cats,
		queues: map[string]*Queue{}, hours: map[string]calendar.BusinessHours{}, byID: map[uint]demoWho{},
		staff: map[string][]demoWho{}, assets: map[string][]Asset{}, fails: map[uint]float64{}}
	today := calendar.DateOf(now, s.tz)
	days, err := s.cal.Span(ctx, today.AddDays(-400), today.AddDays(slaHorizon))
	if err != nil {
		return err
	}
	y.days = days
	r := s.db.W.WithContext(ctx)
	for _, key := range []string{QueueIT, QueueMaintenance} {
		var q Queue
		if err := r.Where("key = ?", key).First(&q).Error; err != nil {
			return err
		}
		y.queues[key], y.hours[key] = &q, q.BusinessHours(s.tz)
	}
	if err := y.loadPeople(ctx); err != nil {
		return err
	}
	if err := y.seedAssets(ctx); err != nil {
		return err
	}
	for _, key := range []string{QueueIT, QueueMaintenance} {
		for range demoYearTickets[key] {
			y.pastTicket(key)
			if len(y.batch) >= 300 {
				if err := y.flush(ctx); err != nil {
					return err
				}
			}
		}
	}
	y.todaysTickets()
	return y.flush(ctx)
}

// deptWeight makes a few departments report more than others: the front
// desk and the tax office live on their printers and case systems.
var deptWeight = map[string]float64{"Ügyfélszolgálati Iroda": 3, "Adóiroda": 2, "Hatósági Osztály": 1.5}

func (y *demoYear) loadPeople(ctx context.Context) error {
	var rows []struct {
		ID           uint
		Name         string
		Username     string
		DepartmentID *uint
		Dept         string
	}
	if err := y.s.db.W.WithContext(ctx).Raw(`SELECT p.id, p.name, p.username, p.department_id, COALESCE(d.name, '') AS dept
		FROM people p LEFT JOIN departments d ON d.id = p.department_id WHERE p.active = ? ORDER BY p.id`, true).Scan(&rows).Error; err != nil {
		return err
	}
	staff := map[string][]string{QueueIT: {"it", "deak.milan", "kelemen.petra"}, QueueMaintenance: {"facilities", "bodnar.jozsef", "kocsis.sandor"}}
	users := map[string]demoWho{}
	for _, p := range rows {
		w := demoWho{id: p.ID, name: p.Name, dept: p.DepartmentID, dname: p.Dept}
		users[p.Username] = w
		y.byID[p.ID] = w
		y.people = append(y.people, w)
		wt := deptWeight[p.Dept]
		if wt == 0 {
			wt = 1
		}
		y.weight = append(y.weight, wt)
	}
	for key, us := range staff {
		for _, u := range us {
			if w, ok := users[u]; ok {
				y.staff[key] = append(y.staff[key], w)
			}
		}
		if len(y.staff[key]) == 0 {
			return fmt.Errorf("helpdesk demo: no staff for %s", key)
		}
	}
	if len(y.people) == 0 {
		return fmt.Errorf("helpdesk demo: no people")
	}
	return nil
}

// place is a random building, floor and room.
func (y *demoYear) place() (string, string, string) {
	b := demoBuildings[y.rnd.IntN(10)%len(demoBuildings)]
	if y.rnd.IntN(10) < 6 {
		b = demoBuildings[0]
	}
	f := b.floors[y.rnd.IntN(len(b.floors))]
	n := 1
	if f != "fsz" {
		n = int(f[0] - '0')
	}
	if f == "fsz" {
		n = 0
	}
	return b.name, f, fmt.Sprintf("%d%02d", n, 1+y.rnd.IntN(24))
}

func (y *demoYear) seedAssets(ctx context.Context) error {
	today := calendar.DateOf(y.now, y.s.tz)
	var all []Asset
	for _, k := range demoAssetKinds {
		for i := range k.n {
			m := k.models[i%len(k.models)]
			ago := m.newest*365 + y.rnd.IntN((m.oldest-m.newest)*365+200)
			bought := today.AddDays(-ago - 20)
			a := Asset{Tag: fmt.Sprintf("%s-%04d", k.prefix, i+1), Type: k.typ, Model: m.name,
				Serial:      fmt.Sprintf("%s%07d", strings.ToUpper(k.prefix[3:]), y.rnd.IntN(10000000)),
				PurchasedOn: bought, Price: m.price / 1000 * int64(95+y.rnd.IntN(11)) * 10,
				WarrantyEnd: calendar.DateOf(bought.Start(y.s.tz).AddDate(0, k.warranty, 0), y.s.tz), LifeMonths: k.life, State: AssetInUse}
			a.Building, a.Floor, a.Room = y.place()
			if k.personal {
				p := y.people[(i*7)%len(y.people)]
				a.OwnerID, a.DepartmentID = &p.id, p.dept
			} else if i%2 == 0 {
				p := y.people[(i*5+3)%len(y.people)]
				a.DepartmentID = p.dept
			}
			switch {
			case ago > k.life*30 && i%5 == 0:
				a.State = AssetRetired
			case i%17 == 5:
				a.State = AssetSpare
			}
			a.QueueKey = k.queue
			all = append(all, a)
		}
	}
	return y.s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(&all, 200).Error; err != nil {
			return err
		}
		for _, a := range all {
			if a.State == AssetRetired {
				continue
			}
			y.assets[a.Type] = append(y.assets[a.Type], a)
			var fails float64 = 1
			for _, k := range demoAssetKinds {
				for _, m := range k.models {
					if m.name == a.Model {
						fails = m.fails
					}
				}
			}
			age := float64(a.PurchasedOn.DaysUntil(today)) / 365
			y.fails[a.ID] = fails * (1 + age/3)
		}
		return nil
	})
}

// pick returns an index by weights.
func (y *demoYear) pick(ws []float64) int {
	sum := 0.0
	for _, w := range ws {
		sum += w
	}
	x := y.rnd.Float64() * sum
	for i, w := range ws {
		if x -= w; x < 0 {
			return i
		}
	}
	return len(ws) - 1
}

// asset picks an asset of one of types, the old and the failing ones more often.
func (y *demoYear) asset(types []string) *Asset {
	var as []Asset
	for _, t := range types {
		as = append(as, y.assets[t]...)
	}
	if len(as) == 0 {
		return nil
	}
	ws := make([]float64, len(as))
	for i, a := range as {
		ws[i] = y.fails[a.ID]
	}
	a := as[y.pick(ws)]
	return &a
}

// add is from plus d business minutes of queue key.
func (y *demoYear) add(key string, from time.Time, mins float64) time.Time {
	t, ok := y.days.AddWorkingTime(y.hours[key], from, time.Duration(mins*float64(time.Minute)))
	if !ok {
		return from.Add(time.Duration(mins) * time.Minute)
	}
	return t
}

// back is the instant d business minutes of queue key before to.
func (y *demoYear) back(key string, to time.Time, mins int) time.Time {
	want := time.Duration(mins) * time.Minute
	lo, hi := to.Add(-60*24*time.Hour), to
	for hi.Sub(lo) > time.Minute {
		mid := lo.Add(hi.Sub(lo) / 2)
		if y.days.WorkingTime(y.hours[key], mid, to) > want {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi.Truncate(time.Minute)
}

// reportedAt is a random instant of the past year: mostly in business hours
// of a working day, a few early or late, mornings busier.
func (y *demoYear) reportedAt(key string, from, to time.Time) time.Time {
	for {
		t := from.Add(time.Duration(y.rnd.Int64N(int64(to.Sub(from)))))
		d := calendar.DateOf(t, y.s.tz)
		if !y.days.IsWorkday(d) && y.rnd.IntN(20) > 0 {
			continue
		}
		mins := 7*60 + 30 + int(y.rnd.ExpFloat64()*150)%510
		if y.rnd.IntN(25) == 0 {
			mins = 6*60 + y.rnd.IntN(80)
		}
		if y.rnd.IntN(30) == 0 {
			mins = 16*60 + y.rnd.IntN(240)
		}
		at := time.Date(d.Year, d.Month, d.Day, mins/60, mins%60, 0, 0, y.s.tz)
		if at.Before(to) {
			return at.UTC()
		}
	}
}

// demoLife is how a ticket goes: its steps in business minutes after the
// report, and who does what.
type demoLife struct {
	key      string
	reporter demoWho
	worker   demoWho
	assigner *demoWho // the lead assigning someone else; nil for a take
	prio     int
}

// ticket starts a demo ticket of queue key, reported at at.
func (y *demoYear) ticket(key string, at time.Time, cat int, title string, asset *Asset) (*demoTicket, demoLife) {
	var rep demoWho
	if asset != nil && asset.OwnerID != nil {
		rep = y.byID[*asset.OwnerID]
	}
	if rep.id == 0 {
		rep = y.people[y.pick(y.weight)]
	}
	impact := []string{ImpactBlocks, ImpactHinders, ImpactHinders, ImpactHinders, ImpactCanWait, ImpactCanWait}[y.rnd.IntN(6)]
	urgency := UrgencyMedium
	q := y.queues[key]
	d := &demoTicket{t: Ticket{QueueID: q.ID, CategoryID: y.cats[key][cat], Title: title, ReporterID: rep.id,
		Impact: impact, Urgency: urgency, State: StateNew, DepartmentID: rep.dept, CreatedAt: at, UpdatedAt: at}}
	staff := y.staff[key]
	by := rep
	if y.rnd.IntN(8) == 0 { // a phone call the desk recorded
		rec := staff[y.rnd.IntN(len(staff))]
		d.t.RecordedByID, by = &rec.id, rec
		if y.rnd.IntN(3) == 0 {
			d.t.Urgency = UrgencyHigh
		}
	}
	d.t.Priority = Priority(d.t.Impact, d.t.Urgency)
	if asset != nil {
		d.t.AssetID = &asset.ID
		d.t.Building, d.t.Floor, d.t.Room = asset.Building, asset.Floor, asset.Room
	} else {
		d.t.Building, d.t.Floor, d.t.Room = y.place()
	}
	d.event(at, by, EventState, "", StateNew, nil, "")
	d.audit(at, by, "helpdesk.report", nil, map[string]any{"queue": key, "title": title, "priority": d.t.Priority, "reporter_id": rep.id})
	w := y.rnd.IntN(len(staff))
	if staff[w].id == rep.id { // staff's own faults go to a colleague: their own take is no response
		w = (w + 1) % len(staff)
	}
	life := demoLife{key: key, reporter: rep, prio: d.t.Priority, worker: staff[w]}
	if y.rnd.IntN(6) == 0 && life.worker.id != staff[0].id && staff[0].id != rep.id {
		life.assigner = &staff[0]
	}
	return d, life
}

func (d *demoTicket) event(at time.Time, by demoWho, kind, from, to string, assignee *uint, comment string) {
	d.events = append(d.events, TicketEvent{At: at, ByID: by.id, Kind: kind, From: from, To: to, AssigneeID: assignee, Comment: comment})
	d.t.UpdatedAt = at
}

func (d *demoTicket) audit(at time.Time, by demoWho, action string, before, after any) {
	e := audit.Entry{At: at, ActorName: by.name, Channel: actor.ChannelApp, Action: action, Entity: "helpdesk_ticket"}
	if by.id == 0 {
		e.ActorName, e.Channel = actor.System().Name, actor.ChannelSystem
	} else {
		id := by.id
		e.ActorID = &id
	}
	if before != nil {
		b, _ := json.Marshal(before)
		e.Before = string(b)
	}
	if after != nil {
		b, _ := json.Marshal(after)
		e.After = string(b)
	}
	d.audits = append(d.audits, e)
}

// take is the first response: a take, or the lead's assignment.
func (d *demoTicket) take(at time.Time, l demoLife) {
	by := l.worker
	if l.assigner != nil {
		by = *l.assigner
	}
	w := l.worker.id
	d.event(at, by, EventAssign, d.t.State, StateAssigned, &w, "")
	d.audit(at, by, "helpdesk.assign", map[string]any{"state": d.t.State, "assignee_id": nil}, map[string]any{"state": StateAssigned, "assignee_id": w})
	d.t.State, d.t.AssigneeID = StateAssigned, &w
}

// move is a state change by who (ChangeState, Resolve, the auto-close).
func (d *demoTicket) move(at time.Time, by demoWho, to, comment, code string) {
	d.event(at, by, EventState, d.t.State, to, nil, comment)
	after := map[string]string{"state": to}
	if code != "" {
		after["resolution_code"] = code
	}
	d.audit(at, by, "helpdesk.state", map[string]string{"state": d.t.State}, after)
	switch to {
	case StateResolved:
		t := at
		d.t.ResolvedAt, d.t.ResolutionCode = &t, code
	case StateClosed:
		t := at
		d.t.ClosedAt = &t
	}
	d.t.State = to
}

// comment is AddComment's rows; a reporter's answer to a question moves the
// ticket back to in progress.
func (d *demoTicket) comment(at time.Time, by demoWho, body string, internal bool) {
	d.comments = append(d.comments, Comment{ByID: by.id, Body: body, Internal: internal, CreatedAt: at})
	d.commentAudit = append(d.commentAudit, len(d.audits))
	d.audit(at, by, "helpdesk.comment", nil, map[string]any{"internal": internal})
	if internal {
		return
	}
	d.event(at, by, EventComment, "", "", nil, "")
	if by.id == d.t.ReporterID && d.t.State == StateWaitingReporter {
		d.event(at, by, EventState, StateWaitingReporter, StateInProgress, nil, body)
		d.audit(at, by, "helpdesk.state", map[string]string{"state": StateWaitingReporter}, map[string]string{"state": StateInProgress})
		d.t.State = StateInProgress
	}
}

// responseTarget and resolveTarget are the queue's targets for priority p in minutes.
func (y *demoYear) targets(key string, p int) (float64, float64) {
	t := y.queues[key].SLATargets()[p]
	return t.Response.Minutes(), t.Resolve.Minutes()
}

// share is a fraction of a target used: mostly well within, a few beyond.
func (y *demoYear) share(breachOneIn int) float64 {
	if y.rnd.IntN(breachOneIn) == 0 {
		return 1.05 + y.rnd.Float64()*1.2
	}
	return 0.03 + y.rnd.Float64()*y.rnd.Float64()*0.9
}

// pastTicket is one ticket of the past year, walked to its end (resolved
// and, after five working days, closed by the system) before now.
func (y *demoYear) pastTicket(key string) {
	cat := y.pickCategory(key)
	spec := demoTitles[key][cat]
	title := spec.titles[y.rnd.IntN(len(spec.titles))]
	var asset *Asset
	if spec.types != nil && (y.rnd.IntN(10) < 8 || key == QueueMaintenance) {
		asset = y.asset(spec.types)
	}
	at := y.reportedAt(key, y.now.AddDate(-1, 0, 0), y.now.AddDate(0, 0, -3))
	d, l := y.ticket(key, at, cat, title, asset)
	resp, res := y.targets(key, l.prio)
	t := y.add(key, at, resp*y.share(14))
	d.take(t, l)
	t = y.add(key, t, float64(2+y.rnd.IntN(30)))
	d.move(t, l.worker, StateInProgress, "", "")
	if y.rnd.IntN(5) == 0 {
		t = y.add(key, t, float64(5+y.rnd.IntN(60)))
		d.move(t, l.worker, StateWaitingReporter, "Pontosan mikor és melyik gépen jelentkezik a hiba?", "")
		t = t.Add(time.Duration(1+y.rnd.IntN(40)) * time.Hour)
		d.comment(t, l.reporter, "Reggelente, bekapcsolás után.", false)
	}
	if y.rnd.IntN(10) == 0 || (key == QueueMaintenance && y.rnd.IntN(4) == 0) {
		t = y.add(key, t, float64(10+y.rnd.IntN(90)))
		d.move(t, l.worker, StateWaitingVendor, "Alkatrészt rendeltünk.", "")
		// The part comes within half the resolution target mostly: the
		// clock runs on while waiting for a vendor, and a year where most
		// such tickets breached would not be this city hall's.
		t = y.add(key, t, min(float64(200+y.rnd.IntN(2000)), res*(0.2+0.3*y.rnd.Float64())))
		d.move(t, l.worker, StateInProgress, "", "")
	}
	if y.rnd.IntN(3) == 0 {
		d.comment(y.add(key, t, float64(5+y.rnd.IntN(40))), l.worker, "Megnéztem, dolgozom rajta.", y.rnd.IntN(2) == 0)
	}
	end := y.add(key, at, res*y.share(11))
	if !end.After(t) {
		end = y.add(key, t, float64(5+y.rnd.IntN(60)))
	}
	code := []string{ResolvedRepaired, ResolvedRepaired, ResolvedRepaired, ResolvedReplaced, ResolvedAdvice, ResolvedNoFault, ResolvedVendor}[y.rnd.IntN(7)]
	if asset == nil && code == ResolvedReplaced {
		code = ResolvedAdvice
	}
	d.move(end, l.worker, StateResolved, "Megoldva.", code)
	if end.After(y.now) {
		return // a life longer than the year left: not written
	}
	closeAt := y.add(key, end, 5*510)
	if closeAt.Before(y.now) {
		d.move(closeAt, demoWho{}, StateClosed, "", "")
	}
	y.batch = append(y.batch, *d)
}

func (y *demoYear) pickCategory(key string) int {
	specs := demoTitles[key]
	ws := make([]float64, len(specs))
	for i, s := range specs {
		ws[i] = s.weight
	}
	return y.pick(ws)
}

// todaysTickets are the open tickets of each queue, in every state, two of
// them close to their due time and one past it, and a printer that stopped today.
func (y *demoYear) todaysTickets() {
	for _, key := range []string{QueueIT, QueueMaintenance} {
		// ago is how many business minutes before now each was reported;
		// the states walk the usual way up to the one named.
		open := []struct {
			ago   int
			state string
		}{
			{25, StateNew}, {70, StateNew}, {140, StateNew}, {200, StateAssigned}, {300, StateAssigned},
			{380, StateInProgress}, {520, StateInProgress}, {700, StateInProgress}, {900, StateWaitingReporter},
			{1100, StateWaitingReporter}, {1200, StateWaitingVendor}, {1500, StateWaitingVendor}, {800, StateInProgress},
			{150, StateResolved},
		}
		for _, o := range open {
			cat := y.pickCategory(key)
			spec := demoTitles[key][cat]
			var asset *Asset
			if spec.types != nil {
				asset = y.asset(spec.types)
			}
			at := y.back(key, y.now, o.ago)
			d, l := y.ticket(key, at, cat, spec.titles[y.rnd.IntN(len(spec.titles))], asset)
			d.t.Impact, d.t.Priority = ImpactCanWait, Priority(ImpactCanWait, d.t.Urgency)
			y.walk(d, l, o.state, float64(o.ago))
		}
		// Two close to the resolution's due time (a priority-2 target is
		// 510 business minutes) and one past it.
		for _, ago := range []int{430, 470, 590} {
			cat := 0
			spec := demoTitles[key][cat]
			at := y.back(key, y.now, ago)
			d, l := y.ticket(key, at, cat, spec.titles[y.rnd.IntN(len(spec.titles))], y.asset(spec.types))
			d.t.Impact, d.t.Urgency = ImpactBlocks, UrgencyMedium
			d.t.Priority = Priority(d.t.Impact, d.t.Urgency)
			y.walk(d, l, StateInProgress, float64(ago))
		}
	}
	// The printer that stopped this morning, not yet taken.
	at := y.now.Add(-20 * time.Minute)
	p := y.asset([]string{"nyomtató"})
	d, _ := y.ticket(QueueIT, at, 1, "Papírelakadást jelez a nyomtató, de nincs benne papír", p)
	y.batch = append(y.batch, *d)
}

// walk takes d up to state within its first ago business minutes.
func (y *demoYear) walk(d *demoTicket, l demoLife, state string, ago float64) {
	if state == StateNew {
		y.batch = append(y.batch, *d)
		return
	}
	start := d.t.CreatedAt
	at := func(frac float64) time.Time { return y.add(l.key, start, ago*frac) }
	d.take(at(0.1), l)
	if state != StateAssigned {
		d.move(at(0.2), l.worker, StateInProgress, "", "")
	}
	switch state {
	case StateWaitingReporter:
		d.move(at(0.5), l.worker, StateWaitingReporter, "Melyik szobában van pontosan?", "")
	case StateWaitingVendor:
		d.move(at(0.5), l.worker, StateWaitingVendor, "Szervizre vár, az alkatrész úton van.", "")
	case StateResolved:
		d.move(at(0.8), l.worker, StateResolved, "Megoldva, kérem, jelezzen, ha újra előfordul.", ResolvedRepaired)
	}
	y.batch = append(y.batch, *d)
}

// flush writes the batch in one transaction: the tickets, their numbers, the
// status log, comments and audit rows, then each ticket's SLA columns.
func (y *demoYear) flush(ctx context.Context) error {
	if len(y.batch) == 0 {
		return nil
	}
	b := y.batch
	y.batch = nil
	return y.s.db.Tx(ctx, func(tx *gorm.DB) error {
		ts := make([]*Ticket, len(b))
		for i := range b {
			ts[i] = &b[i].t
		}
		if err := tx.CreateInBatches(ts, 100).Error; err != nil {
			return err
		}
		var evs []TicketEvent
		var cs []Comment
		var as []audit.Entry
		qkey := map[uint]string{}
		for k, q := range y.queues {
			qkey[q.ID] = k
		}
		for i := range b {
			t := &b[i].t
			t.Number = fmt.Sprintf("%s-%05d", strings.ToUpper(qkey[t.QueueID]), t.ID)
			for _, e := range b[i].events {
				e.TicketID = t.ID
				evs = append(evs, e)
			}
			for _, c := range b[i].comments {
				c.TicketID = t.ID
				cs = append(cs, c)
			}
		}
		evArgs := make([]any, 0, len(evs)*8)
		for _, e := range evs {
			evArgs = append(evArgs, e.TicketID, e.At, e.ByID, e.Kind, e.From, e.To, e.AssigneeID, e.Comment)
		}
		if err := insertRows(tx, `helpdesk_ticket_events (ticket_id, at, by_id, kind, "from", "to", assignee_id, comment)`, 8, evArgs); err != nil {
			return err
		}
		if len(cs) > 0 {
			if err := tx.CreateInBatches(&cs, 200).Error; err != nil {
				return err
			}
		}
		next := 0 // the ticket's first comment in cs
		for i := range b {
			t := &b[i].t
			for j, at := range b[i].commentAudit {
				e := &b[i].audits[at]
				e.After = fmt.Sprintf(`{"comment_id":%d,%s`, cs[next+j].ID, strings.TrimPrefix(e.After, "{"))
			}
			next += len(b[i].comments)
			for j, e := range b[i].audits {
				e.EntityID = fmt.Sprint(t.ID)
				if j == 0 { // the report's row names the ticket by its number
					e.After = strings.Replace(e.After, "{", `{"number":"`+t.Number+`",`, 1)
				}
				as = append(as, e)
			}
		}
		auArgs := make([]any, 0, len(as)*9)
		for _, e := range as {
			auArgs = append(auArgs, e.At, e.ActorID, e.ActorName, e.Channel, e.IP, e.Action, e.Entity, e.EntityID, e.Before, e.After)
		}
		if err := insertRows(tx, `audit_log (at, actor_id, actor_name, channel, ip, action, entity, entity_id, "before", "after")`, 10, auArgs); err != nil {
			return err
		}
		ids := make([]uint, len(ts))
		for i, t := range ts {
			ids[i] = t.ID
			if err := y.s.refreshSLA(tx, t, y.queues[qkey[t.QueueID]]); err != nil {
				return err
			}
		}
		// The numbers ("IT-00042", as Report writes them) and the time each
		// ticket was last touched (refreshSLA stamps now), in one statement
		// each for the batch.
		return tx.Exec(`UPDATE helpdesk_tickets SET
			number = (SELECT UPPER(q.key) FROM helpdesk_queues q WHERE q.id = helpdesk_tickets.queue_id) || '-' ||
				CASE WHEN id < 10 THEN '0000' WHEN id < 100 THEN '000' WHEN id < 1000 THEN '00' WHEN id < 10000 THEN '0' ELSE '' END || id,
			updated_at = (SELECT MAX(e.at) FROM helpdesk_ticket_events e WHERE e.ticket_id = helpdesk_tickets.id)
			WHERE id IN ?`, ids).Error
	})
}

// insertRows writes rows of per values each into table (with its column
// list) in multi-row INSERTs of a few hundred rows: GORM's batches spend
// more time reflecting on the structs than the database spends writing.
func insertRows(tx *gorm.DB, table string, per int, args []any) error {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", per), ", ") + ")"
	const rows = 500
	for len(args) > 0 {
		n := min(len(args)/per, rows)
		if err := tx.Exec("INSERT INTO "+table+" VALUES "+strings.TrimSuffix(strings.Repeat(row+", ", n), ", "), args[:n*per]...).Error; err != nil {
			return err
		}
		args = args[n*per:]
	}
	return nil
}
