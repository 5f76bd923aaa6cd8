package warehouse

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/demo"
	"kapu/modules/platform/people"
)

// demoPurposes are what the demo's requests say they are for.
var demoPurposes = []string{
	"Havi irodaszer-utánpótlás", "Ügyfélszolgálati pult feltöltése", "Negyedéves nyomtatványigény",
	"Tárgyaló előkészítése", "Új munkatárs munkahelyének berendezése", "Határidős beadási időszak",
	"Konyha és mosdó feltöltése", "Nyomtatók festékcseréje", "Testületi ülés anyagai",
}

// demoRequest is one past request being built from the year's issues.
type demoRequest struct {
	r     Request
	lines []RequestLine
	evs   []int // the events (index into the plan) its lines were handed over by, one per line
	items map[uint]bool
}

// demoRequests writes the demo's requests and then posts the ledger. With
// the history, most of the year's issues become the handovers of requests
// by the receiving department's people: the requests and lines are written
// directly (approved, some less than asked, handed over and confirmed) and
// each issue event carries its line's id before it is posted, so lead times
// and consumption come from the same rows. A few requests were rejected or
// cancelled. The past issues were not reserved first, so the ledger holds
// no reserve rows for them: the lines show reserved 0, issued = received.
// After the ledger, today's requests go through the service: two waiting
// for the manager and one approved for more than the shelf holds (a line to
// procure).
func (m *Module) demoRequests(ctx context.Context, o demo.Options, a actor.Actor, events []demoEvent) error {
	if !o.History {
		return m.postDemo(ctx, a, events)
	}
	s := m.svc
	var staff []people.Person
	if err := s.db.W.WithContext(ctx).Where("active = ? AND department_id IS NOT NULL", true).Order("id").Find(&staff).Error; err != nil {
		return err
	}
	byDept := map[uint][]uint{}
	for _, p := range staff {
		byDept[*p.DepartmentID] = append(byDept[*p.DepartmentID], p.ID)
	}
	now := s.now()
	rng := rand.New(rand.NewPCG(16, uint64(now.Year())))
	prices := map[uint]*demoItem{}
	units := map[uint]string{}
	for i := range events {
		if ev := events[i]; ev.c.mv.Kind == KindIssue {
			prices[ev.c.mv.ItemID] = &demoItems[ev.item]
			units[ev.c.mv.ItemID] = demoItems[ev.item].unit
		}
	}

	// Group the issues by department and day into requests; an item twice
	// on one day starts another request. One issue in ten stays a direct
	// handover by the storekeeper, without a request.
	type key struct {
		dept uint
		day  string
	}
	open := map[key]*demoRequest{}
	var reqs []*demoRequest
	for i := range events {
		ev := &events[i]
		mv := &ev.c.mv
		if mv.Kind != KindIssue || mv.DepartmentID == nil || len(byDept[*mv.DepartmentID]) == 0 || rng.IntN(10) == 0 {
			continue
		}
		k := key{*mv.DepartmentID, ev.at.Format("2006-01-02")}
		dr := open[k]
		if dr == nil || dr.items[mv.ItemID] || len(dr.lines) >= 6 {
			who := byDept[k.dept]
			created := workHour(ev.at.AddDate(0, 0, -(1+rng.IntN(6))), 8+rng.IntN(8), rng.IntN(60))
			decided := created.Add(time.Duration(30+rng.IntN(int(ev.at.Sub(created).Minutes()*0.6)+1)) * time.Minute)
			if !decided.Before(ev.at) {
				decided = ev.at.Add(-10 * time.Minute)
			}
			dr = &demoRequest{items: map[uint]bool{}, r: Request{RequesterID: who[rng.IntN(len(who))], DepartmentID: k.dept,
				Purpose: demoPurposes[rng.IntN(len(demoPurposes))], NeededBy: calendar.DateOf(ev.at.AddDate(0, 0, rng.IntN(4)), time.UTC),
				Status: RequestApproved, CreatedAt: created, UpdatedAt: ev.at, DecidedAt: &decided}}
			open[k] = dr
			reqs = append(reqs, dr)
		}
		q := -mv.Quantity
		l := RequestLine{Seq: len(dr.lines) + 1, ItemID: &mv.ItemID, Unit: units[mv.ItemID], UnitPrice: prices[mv.ItemID].price,
			Requested: q, Approved: q, Issued: q, Received: q, State: LineReceived, CreatedAt: dr.r.CreatedAt, UpdatedAt: ev.at}
		// Put out an hour before the handover, confirmed within the day.
		ready, handed, received := ev.at.Add(-time.Hour), ev.at, ev.at.Add(time.Duration(10+rng.IntN(300))*time.Minute)
		l.ReadyAt, l.HandedOverAt, l.ReceivedAt = &ready, &handed, &received
		if now.Sub(ev.at) < 48*time.Hour {
			l.State, l.Received, l.ReceivedAt = LineHandedOver, 0, nil
		}
		if rng.IntN(9) == 0 {
			l.Requested = q + QtyOf(1+int64(rng.IntN(3)))
			l.Reason = "A havi átlagnál többet kértek, ennyi elég"
		}
		dr.items[mv.ItemID] = true
		dr.lines = append(dr.lines, l)
		dr.evs = append(dr.evs, i)
	}

	for _, dr := range reqs {
		if finished(dr.lines) {
			dr.r.Status = RequestDone
		}
	}

	// A few refused or withdrawn requests, about one in twelve.
	var itemIDs []uint
	for id := range prices {
		itemIDs = append(itemIDs, id)
	}
	slices.Sort(itemIDs) // the same demo on every run
	var depts []uint
	for d := range byDept {
		depts = append(depts, d)
	}
	slices.Sort(depts)
	extra := len(reqs) / 12
	for n := 0; n < extra && len(itemIDs) > 0; n++ {
		dept := depts[rng.IntN(len(depts))]
		who := byDept[dept]
		created := workHour(now.AddDate(0, 0, -(5+rng.IntN(355))), 8+rng.IntN(8), rng.IntN(60))
		dr := &demoRequest{r: Request{RequesterID: who[rng.IntN(len(who))], DepartmentID: dept,
			Purpose: demoPurposes[rng.IntN(len(demoPurposes))], CreatedAt: created, UpdatedAt: created.Add(20 * time.Hour)}}
		state := LineRejected
		if n%3 == 2 {
			at := created.Add(20 * time.Hour)
			dr.r.Status, dr.r.CancelledAt, state = RequestCancelled, &at, LineCancelled
		} else {
			at := created.Add(time.Duration(2+rng.IntN(40)) * time.Hour)
			dr.r.Status, dr.r.DecidedAt, dr.r.UpdatedAt = RequestRejected, &at, at
		}
		for k := 0; k < 1+rng.IntN(2); k++ {
			id := itemIDs[rng.IntN(len(itemIDs))]
			if dr.items == nil {
				dr.items = map[uint]bool{}
			}
			if dr.items[id] {
				continue
			}
			dr.items[id] = true
			l := RequestLine{Seq: len(dr.lines) + 1, ItemID: &id, Unit: units[id], UnitPrice: prices[id].price,
				Requested: QtyOf(2 + int64(rng.IntN(10))), State: state, CreatedAt: created, UpdatedAt: dr.r.UpdatedAt}
			if state == LineRejected {
				l.Reason = "Az osztály negyedéves kerete elfogyott"
			}
			dr.lines = append(dr.lines, l)
		}
		reqs = append(reqs, dr)
	}

	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		for from := 0; from < len(reqs); from += 200 {
			batch := reqs[from:min(from+200, len(reqs))]
			rows := make([]Request, len(batch))
			for i, dr := range batch {
				rows[i] = dr.r
			}
			if err := tx.Create(&rows).Error; err != nil {
				return err
			}
			var lines []RequestLine
			for i, dr := range batch {
				for j := range dr.lines {
					dr.lines[j].RequestID = rows[i].ID
				}
				lines = append(lines, dr.lines...)
			}
			if len(lines) > 0 {
				if err := tx.CreateInBatches(&lines, 500).Error; err != nil {
					return err
				}
			}
			k := 0
			for _, dr := range batch {
				for j := range dr.lines {
					if j < len(dr.evs) {
						id := lines[k].ID
						events[dr.evs[j]].c.mv.RequestLineID = &id
					}
					k++
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := m.postDemo(ctx, a, events); err != nil {
		return err
	}
	return m.demoToday(ctx)
}

// demoToday files today's requests through the service, so the approval
// engine holds them: two of the manager's department waiting for the
// manager, one the manager approved for more toner than the shelf holds,
// whose rest is on the storekeeper's to procure list, and the handovers.
func (m *Module) demoToday(ctx context.Context) error {
	s := m.svc
	ppl := m.deps.People
	if ppl == nil || s.deps.Approval == nil {
		return nil
	}
	person := func(username string) (actor.Actor, uint, error) {
		p, err := ppl.ByUsername(ctx, username)
		if err != nil {
			return actor.Actor{}, 0, err
		}
		dep := uint(0)
		if p.DepartmentID != nil {
			dep = *p.DepartmentID
		}
		return p.Actor(), dep, nil
	}
	item := func(code string) (*Item, error) {
		var it Item
		err := s.db.W.WithContext(ctx).Where("code = ?", code).First(&it).Error
		return &it, err
	}
	paper, err := item(demoItems[0].code)
	if err != nil {
		return err
	}
	var low Item // the first of the demo's low items, whose shelf is nearly empty
	for i, d := range demoItems {
		if demoLow(i) {
			it, err := item(d.code)
			if err != nil {
				return err
			}
			low = *it
			break
		}
	}
	today := calendar.DateOf(s.now(), s.tz())
	type filed struct {
		user    string
		purpose string
		lines   []LineInput
	}
	waiting := []filed{
		{"employee", "Ügyfélszolgálati pult feltöltése", []LineInput{{ItemID: paper.ID, Quantity: "5"}}},
		{"lakatos.bence", "Határidős beadási időszak", []LineInput{{ItemID: paper.ID, Quantity: "2"},
			{Text: "Asztali iratrendező, háromfiókos", Unit: "db", Price: 6500, Quantity: "1"}}},
	}
	for _, f := range waiting {
		a, dep, err := person(f.user)
		if err != nil {
			return err
		}
		if _, err := s.SubmitRequest(ctx, a, RequestInput{DepartmentID: dep, Purpose: f.purpose, NeededBy: today.AddDays(7), Lines: f.lines}); err != nil {
			return err
		}
	}
	if low.ID == 0 {
		return nil
	}
	a, dep, err := person("simon.reka")
	if err != nil {
		return err
	}
	need := low.Available().Float() + 4
	r, err := s.SubmitRequest(ctx, a, RequestInput{DepartmentID: dep, Purpose: "Nyomtatók festékcseréje", NeededBy: today.AddDays(10),
		Lines: []LineInput{{ItemID: low.ID, Quantity: QtyOf(int64(need)).String()}}})
	if err != nil {
		return err
	}
	boss, _, err := person("manager")
	if err != nil {
		return err
	}
	if _, err = s.ApproveLines(ctx, boss, r.ID, nil, ""); err != nil {
		return err
	}
	return m.demoHandovers(ctx, person, item)
}

// demoHandovers gives the storekeeper's handover list its morning: two
// requests of other departments approved today from a full shelf, one
// reserved and waiting to be put out, one put out and ready for pickup
// (its requester has the mail with the confirmation link).
func (m *Module) demoHandovers(ctx context.Context, person func(string) (actor.Actor, uint, error), item func(string) (*Item, error)) error {
	s := m.svc
	keeper, _, err := person("storekeeper")
	if err != nil {
		return err
	}
	today := calendar.DateOf(s.now(), s.tz())
	for n, f := range []struct {
		user, approver, purpose string
		codes                   []string
		ready                   bool
	}{
		{"varga.eszter", "horvath.gabor", "Testületi ülés anyagai", []string{demoItems[0].code, demoItems[1].code}, false},
		{"nemeth.agnes", "molnar.zsuzsanna", "Bérszámfejtési időszak", []string{demoItems[0].code}, true},
	} {
		a, dep, err := person(f.user)
		if err != nil {
			return err
		}
		var lines []LineInput
		for _, code := range f.codes {
			it, err := item(code)
			if err != nil {
				return err
			}
			if it.Available() < QtyOf(int64(3+n)) {
				return nil // a store too empty for the morning's handovers
			}
			lines = append(lines, LineInput{ItemID: it.ID, Quantity: QtyOf(int64(2 + n)).String()})
		}
		r, err := s.SubmitRequest(ctx, a, RequestInput{DepartmentID: dep, Purpose: f.purpose, NeededBy: today.AddDays(3), Lines: lines})
		if err != nil {
			return err
		}
		boss, _, err := person(f.approver)
		if err != nil {
			return err
		}
		if _, err := s.ApproveLines(ctx, boss, r.ID, nil, ""); err != nil {
			return err
		}
		if f.ready {
			if err := s.MarkReady(ctx, keeper, r.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
