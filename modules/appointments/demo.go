package appointments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/demo"
)

// demo adds the city hall's two citizen offices with six desks, their weeks,
// eight case types and one desk's leave next week; with the demo's history
// also five weeks of past appointments and three weeks of booked ones along
// each desk's hours, and a bot's burst of bookings from one address for the
// statistics to find. Everything is written directly (the past cannot be
// booked), in batches, and draws from a fixed seed so every demo looks alike.
func (m *Module) demo(ctx context.Context, o demo.Options) error {
	s := m.svc
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		types := make([]CaseType, len(demoTypes))
		copy(types, demoTypes)
		for i := range types {
			types[i].Order, types[i].Active = (i+1)*10, true
		}
		for i := range types {
			t := &types[i]
			if err := tx.Create(t).Error; err != nil {
				return fmt.Errorf("case types: %w", err)
			}
		}
		var desks []demoDeskPlan
		for _, of := range demoOffices {
			office := of.Office
			office.Active = true
			if err := tx.Create(&office).Error; err != nil {
				return fmt.Errorf("office: %w", err)
			}
			for _, dd := range of.desks {
				d := Desk{OfficeID: office.ID, Name: dd.name, Active: true}
				if err := tx.Create(&d).Error; err != nil {
					return fmt.Errorf("desk: %w", err)
				}
				var hours []DeskHours
				plan := demoDeskPlan{desk: d}
				for wd, text := range dd.week {
					spans, err := ParseHoursSpans(text)
					if err != nil {
						return fmt.Errorf("demo hours %q: %w", text, err)
					}
					plan.hours[wd] = spans
					for _, sp := range spans {
						hours = append(hours, DeskHours{DeskID: d.ID, Weekday: wd, From: sp.From, To: sp.To})
					}
				}
				links := make([]DeskCaseType, len(dd.types))
				for i, t := range dd.types {
					links[i] = DeskCaseType{DeskID: d.ID, CaseTypeID: types[t].ID}
					plan.types = append(plan.types, &types[t])
				}
				if err := tx.Create(&hours).Error; err != nil {
					return err
				}
				if err := tx.Create(&links).Error; err != nil {
					return err
				}
				desks = append(desks, plan)
			}
		}
		// The second desk of the Okmányiroda is closed on Tuesday and
		// Wednesday next week: its clerk is on leave.
		today := calendar.DateOf(s.now(), s.tz)
		monday := today.AddDays(-int((today.Weekday()+6)%7) + 7)
		leave := DeskException{DeskID: desks[1].desk.ID, From: monday.AddDays(1), To: monday.AddDays(2),
			Kind: ExceptionClosed, Reason: "szabadság"}
		if err := tx.Create(&leave).Error; err != nil {
			return err
		}
		desks[1].closed = &leave
		if !o.History {
			return nil
		}
		return s.demoHistory(ctx, tx, desks)
	})
}

// demoDeskPlan is a seeded desk with what its appointments are drawn from.
type demoDeskPlan struct {
	desk   Desk
	hours  [7][]HoursSpan
	types  []*CaseType
	closed *DeskException
}

// demoHistory writes the appointments of five weeks back to three weeks
// ahead, desk by desk along its opening hours, so no two overlap, and the
// twenty a bot booked from one address and one client one evening in the
// past week: what the statistics flag and the front desk cancels at once.
func (s *Service) demoHistory(ctx context.Context, tx *gorm.DB, desks []demoDeskPlan) error {
	now := s.now().UTC()
	today := calendar.DateOf(now, s.tz)
	from, to := today.AddDays(-35), today.AddDays(21)
	days, err := s.cal.Span(ctx, from, to)
	if err != nil {
		return err
	}
	clerks := demoClerks(tx)
	g := &demoGen{s: s, r: rand.New(rand.NewPCG(13, 2026)), now: now, clerks: clerks, tickets: map[string]int{},
		codes: map[string]bool{}, botOffice: desks[0].desk.OfficeID}
	// The bot books one evening three days ago nearly every free time of
	// the Okmányiroda on a full working day after tomorrow (not a Friday,
	// when the desks close at noon).
	g.botAt = calendar.DateOf(now.AddDate(0, 0, -3), s.tz).Start(s.tz).Add(22*time.Hour + 47*time.Minute).UTC()
	g.botDay = today.AddDays(2)
	for !days.IsWorkday(g.botDay) || g.botDay.Weekday() == time.Friday {
		g.botDay = g.botDay.AddDays(1)
	}
	var out []Appointment
	for _, p := range desks {
		for d := from; !d.After(to); d = d.AddDays(1) {
			if !days.IsWorkday(d) || (p.closed != nil && p.closed.Covers(d)) {
				continue
			}
			for _, sp := range p.hours[d.Weekday()] {
				at := sp.From
				for {
					t := p.types[g.r.IntN(len(p.types))]
					if at+t.Minutes > sp.To {
						break
					}
					start, err := calendar.At(d, at/60, at%60, s.tz)
					if err != nil { // a wall time the clocks skip
						at += t.Minutes
						continue
					}
					end := start.Add(time.Duration(t.Minutes) * time.Minute)
					if a, ok := g.appointment(p, t, d, start, end); ok {
						out = append(out, a)
					}
					at += t.Minutes
					// Now and then a gap of a few minutes between citizens.
					if g.r.IntN(6) == 0 {
						at += 5
					}
				}
			}
		}
	}
	return tx.CreateInBatches(&out, 500).Error
}

// demoGen draws the demo's appointments.
type demoGen struct {
	s         *Service
	r         *rand.Rand
	now       time.Time
	clerks    []uint
	tickets   map[string]int // walk-in numbers per office and day
	codes     map[string]bool
	botOffice uint
	botAt     time.Time
	botDay    calendar.Date
	bots      int
}

// code is a booking code no other demo appointment has (the index would refuse it).
func (g *demoGen) code() string {
	for {
		if c := newCode(); !g.codes[c] {
			g.codes[c] = true
			return c
		}
	}
}

// demoBotEmail is the address that books everything it can one evening.
const demoBotEmail = "gyors.idopont.2026@example.net"

// appointment is the slot's appointment, or false when the slot stays free
// (about 40 %). A free online slot at the Okmányiroda on the bot's day goes
// to the bot instead, until it holds twenty.
func (g *demoGen) appointment(p demoDeskPlan, t *CaseType, d calendar.Date, start, end time.Time) (Appointment, bool) {
	r := g.r
	free := r.IntN(100) >= 60
	bot := free && g.bots < 20 && d == g.botDay && t.Online && p.desk.OfficeID == g.botOffice
	if free && !bot {
		return Appointment{}, false
	}
	a := Appointment{
		CaseTypeID: t.ID, OfficeID: p.desk.OfficeID, DeskID: demoPtr(p.desk.ID), StartAt: demoPtr(start), EndAt: demoPtr(end),
		Code: g.code(), Lang: "hu", Source: SourceOnline,
	}
	a.LinkSalt, _, a.ManageHash = g.s.newLink()
	if bot {
		return g.bot(a), true
	}
	name, email := g.citizen()
	a.Name, a.Email = name, email
	if r.IntN(3) == 0 {
		a.Phone = fmt.Sprintf("+36 %d %03d %04d", []int{20, 30, 70}[r.IntN(3)], r.IntN(1000), r.IntN(10000))
	}
	if r.IntN(10) == 0 {
		a.Lang = "en"
	}
	if r.IntN(12) == 0 {
		a.Note = demoNotes[r.IntN(len(demoNotes))]
	}
	lead := time.Duration(1+r.IntN(min(t.HorizonDays, 21)*24)) * time.Hour
	a.BookedAt = start.Add(-lead)
	switch n := r.IntN(100); {
	case !t.Online || n < 15:
		a.Source = SourcePhone
		a.BookedAt = demoWorkHour(a.BookedAt, g.s.tz)
		a.BookedBy = demoPtr(g.clerks[r.IntN(len(g.clerks))])
	case n < 20 && !start.After(g.now):
		a.Source = SourceWalkIn
		a.BookedAt = start.Add(-time.Duration(2+r.IntN(15)) * time.Minute)
		a.BookedBy = demoPtr(g.clerks[r.IntN(len(g.clerks))])
		key := fmt.Sprint(a.OfficeID, d)
		g.tickets[key]++
		a.Ticket = g.tickets[key]
	default:
		a.IP = fmt.Sprintf("%s.%d", demoNets[r.IntN(len(demoNets))], 2+r.IntN(250))
	}
	if a.BookedAt.After(start) {
		a.BookedAt = start.Add(-time.Hour)
	}
	if a.BookedAt.After(g.now) {
		a.BookedAt = g.now.Add(-time.Duration(1+r.IntN(600)) * time.Minute)
	}
	if t.MustConfirm && a.Source == SourceOnline {
		a.ConfirmedAt = demoPtr(a.BookedAt.Add(time.Duration(2+r.IntN(40)) * time.Minute))
	} else {
		a.ConfirmedAt = demoPtr(a.BookedAt)
	}
	g.status(&a, t, start, end)
	return a, true
}

// status sets what became of the appointment by now: the past served (a few
// missed or cancelled, some rated), the one at the desk now called, the
// future booked, a few fresh online ones still waiting for confirmation.
func (g *demoGen) status(a *Appointment, t *CaseType, start, end time.Time) {
	r, now := g.r, g.now
	minutes := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	switch {
	case !end.After(now) || (a.Source == SourceWalkIn && !start.After(now)):
		if end.After(now) { // a walk-in at the desk right now
			break
		}
		a.RemindedAt = demoPtr(start.AddDate(0, 0, -1))
		switch n := r.IntN(100); {
		case n < 10 && a.Source != SourceWalkIn:
			a.Status = StatusCancelled
			a.CancelledAt = demoPtr(a.BookedAt.Add(start.Sub(a.BookedAt) * time.Duration(30+r.IntN(60)) / 100))
			a.CancelReason = demoCancelReasons[r.IntN(len(demoCancelReasons))]
			if t.BlockMinutes > 0 {
				a.BlockedUntil = demoPtr(a.CancelledAt.Add(minutes(t.BlockMinutes)))
			}
			return
		case n < 18 && a.Source != SourceWalkIn:
			a.Status = StatusNoShow
			return
		}
		a.Status = StatusServed
		if a.Source != SourceWalkIn {
			a.ArrivedAt = demoPtr(start.Add(-minutes(2 + r.IntN(12))))
		} else {
			a.ArrivedAt = demoPtr(a.BookedAt)
		}
		a.CalledAt = demoPtr(start.Add(minutes(r.IntN(7))))
		a.CalledDeskID = a.DeskID
		served := a.CalledAt.Add(time.Duration(t.Minutes) * time.Minute * time.Duration(60+r.IntN(60)) / 100)
		if served.After(now) {
			served = now
		}
		a.ServedAt = demoPtr(served)
		a.ThankedAt = demoPtr(served.Add(minutes(5 + r.IntN(15))))
		if a.Email != "" && r.IntN(100) < 40 {
			a.Rating = []int{5, 5, 5, 5, 4, 4, 4, 3, 2, 1}[r.IntN(10)]
			a.RatedAt = demoPtr(a.ThankedAt.Add(minutes(10 + r.IntN(2000))))
			if a.RatedAt.After(now) {
				a.RatedAt = demoPtr(now)
			}
			if r.IntN(3) == 0 {
				a.RatingNote = demoRatingNotes[a.Rating][r.IntN(len(demoRatingNotes[a.Rating]))]
			}
		}
		return
	}
	switch {
	case !start.After(now): // at the desk now
		a.Status = StatusCalled
		a.ArrivedAt = demoPtr(start.Add(-minutes(3 + r.IntN(8))))
		a.CalledAt = demoPtr(start.Add(minutes(r.IntN(3))))
		if a.CalledAt.After(now) {
			a.CalledAt = demoPtr(now)
		}
		a.CalledDeskID = a.DeskID
	case start.Sub(now) < 20*time.Minute && r.IntN(2) == 0:
		a.Status = StatusArrived
		a.ArrivedAt = demoPtr(now.Add(-minutes(r.IntN(10))))
	case t.MustConfirm && a.Source == SourceOnline && r.IntN(8) == 0:
		a.Status = StatusPending
		a.BookedAt = now.Add(-minutes(3 + r.IntN(20)))
		a.ConfirmedAt = nil
		a.HoldUntil = demoPtr(a.BookedAt.Add(minutes(t.HoldMinutes)))
	default:
		a.Status = StatusBooked
	}
}

// bot is one of the twenty bookings made one evening from one address and
// one client: what the statistics flag and the front desk cancels at once.
func (g *demoGen) bot(a Appointment) Appointment {
	a.Name, a.Email, a.IP = "Kiss Péter", demoBotEmail, "185.220.101.47"
	a.BookedAt = g.botAt.Add(time.Duration(g.bots*83) * time.Second)
	a.ConfirmedAt = demoPtr(a.BookedAt)
	a.Status = StatusBooked
	g.bots++
	return a
}

// citizen is a Hungarian name and an address at example domains for it.
func (g *demoGen) citizen() (name, email string) {
	r := g.r
	family := demoFamilyNames[r.IntN(len(demoFamilyNames))]
	given := demoGivenNames[r.IntN(len(demoGivenNames))]
	name = family + " " + given
	local := demoASCII(given) + "." + demoASCII(family)
	if r.IntN(3) == 0 {
		local = demoASCII(family) + demoASCII(given)[:1] + fmt.Sprint(r.IntN(90)+10)
	}
	return name, local + "@" + []string{"example.hu", "example.com", "example.net", "example.org"}[r.IntN(4)]
}

// demoASCII writes a Hungarian name for an email address: "Szűcs" → "szucs".
func demoASCII(s string) string {
	return strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ö", "o", "ő", "o", "ú", "u", "ü", "u", "ű", "u", " ", "").
		Replace(strings.ToLower(s))
}

// demoWorkHour moves a phone booking into the front desk's hours of its day.
func demoWorkHour(t time.Time, tz *time.Location) time.Time {
	l := t.In(tz)
	h := 8 + l.Minute()%8
	return time.Date(l.Year(), l.Month(), l.Day(), h, l.Minute(), 0, 0, tz).UTC()
}

// demoClerks are the front desk's people, who take phone bookings and walk-ins.
func demoClerks(tx *gorm.DB) []uint {
	var ids []uint
	tx.Table("people").Where("username IN ?", []string{"frontdesk", "juhasz.laura", "olah.kristof"}).Order("id").Pluck("id", &ids)
	if len(ids) == 0 {
		ids = []uint{0}
	}
	return ids
}

func demoPtr[T any](v T) *T { return &v }

// demoNets are the client networks of the demo's online bookings.
var demoNets = []string{"84.1.23", "188.6.110", "91.120.44", "37.76.8", "195.199.52", "2.58.14"}

var demoFamilyNames = []string{"Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh", "Farkas",
	"Balogh", "Papp", "Takács", "Juhász", "Lakatos", "Mészáros", "Oláh", "Simon", "Rácz", "Fekete", "Szilágyi", "Török",
	"Fehér", "Balázs", "Gál", "Kis", "Szűcs", "Kocsis", "Orsós", "Pintér", "Fodor", "Szalai", "Sipos", "Magyar", "Lukács",
	"Gulyás", "Biró", "Király", "Katona", "László", "Jakab", "Bogdán", "Sárközi", "Vincze", "Hegedűs", "Vörös", "Bálint"}

var demoGivenNames = []string{"László", "István", "József", "János", "Zoltán", "Sándor", "Gábor", "Ferenc", "Attila", "Péter",
	"Tamás", "Zsolt", "Tibor", "András", "Csaba", "Imre", "Lajos", "Balázs", "Bence", "Máté", "Dávid", "Levente",
	"Mária", "Erzsébet", "Katalin", "Éva", "Ilona", "Anna", "Zsuzsanna", "Margit", "Judit", "Ágnes", "Andrea", "Erika",
	"Krisztina", "Eszter", "Réka", "Nóra", "Anikó", "Hanna", "Zsófia", "Lili", "Dóra", "Boglárka", "Viktória", "Orsolya"}

var demoNotes = []string{
	"Babakocsival érkezem, kérem, hogy a földszinten intézhessük.",
	"A lányom is jön, neki is lejárt a személyije.",
	"Meghatalmazással jövök az édesanyám helyett.",
	"Hallássérült vagyok, kérem, írásban is tájékoztassanak.",
	"Kérem, hívjanak, ha késik a sor, délután dolgozom.",
	"I will bring an interpreter.",
}

var demoCancelReasons = []string{"Közbejött egy munkahelyi ügy.", "Beteg lettem.", "Máshol intéztem el.", "", "", "Rossz napot választottam."}

// demoRatingNotes are comments that go with each rating.
var demoRatingNotes = map[int][]string{
	5: {"Gyors és kedves ügyintézés, köszönöm!", "Pontosan kezdtek, tíz perc alatt végeztünk.", "Very helpful, thank you.", "Az ügyintéző mindent érthetően elmagyarázott."},
	4: {"Minden rendben volt, csak a parkolás nehéz.", "Kicsit vártam, de utána gyorsan ment.", "Jó, hogy előre lehet időpontot foglalni."},
	3: {"Húsz percet vártam a foglalt időpont után.", "Az ügyintézés rendben, de a váróban nagyon meleg volt."},
	2: {"Nem tudtam, hogy hozni kell a régi okmányt, ezt jobban is jelezhették volna.", "Sokat vártam."},
	1: {"Hiába volt időpontom, majdnem egy órát vártam.", "Nem tudták elintézni, újra kell jönnöm."},
}

// demoOffices are the two offices with their desks: name, weekly hours by
// weekday, and the case types served (indexes into demoTypes).
var demoOffices = []struct {
	Office
	desks []struct {
		name  string
		week  map[time.Weekday]string
		types []int
	}
}{
	{
		Office: Office{
			Name:    "Okmányiroda",
			Address: "2851 Tölgyesd, Kossuth Lajos utca 12.",
			Directions: "A Városháza melletti épület földszintjén, a Kossuth Lajos utcai bejáraton át. " +
				"A 3-as és a 12-es busz Városháza megállójától két perc gyalog. Ingyenes parkoló az épület mögött, a Malom utca felől.",
			Accessibility: "Akadálymentes bejárat rámpával a Kossuth Lajos utca felől; az ügyfélfogadás a földszinten van. " +
				"Indukciós hurok az 1. és a 2. ablaknál. Két mozgáskorlátozott parkolóhely a bejárat előtt.",
			DirectionsEN: "On the ground floor of the building next to the Town Hall, through the entrance on Kossuth Lajos utca. " +
				"Two minutes' walk from the Városháza stop of buses 3 and 12. Free parking behind the building, from Malom utca.",
			AccessibilityEN: "Step-free entrance with a ramp from Kossuth Lajos utca; the service is on the ground floor. " +
				"Hearing loop at desks 1 and 2. Two disabled parking spaces in front of the entrance.",
			Phone: "+36 34 555 0120",
			Email: "okmanyiroda@example.hu",
		},
		desks: []struct {
			name  string
			week  map[time.Weekday]string
			types []int
		}{
			{"1. ablak", demoWeek("08:00-12:00, 13:00-18:00", "08:00-16:00", "08:00-16:00", "08:00-16:00", "08:00-12:00"), []int{0, 1, 3}},
			{"2. ablak", demoWeek("08:00-12:00, 13:00-18:00", "08:00-16:00", "08:00-16:00", "08:00-16:00", "08:00-12:00"), []int{0, 1, 2}},
			{"3. ablak", demoWeek("08:00-12:00, 13:00-18:00", "08:00-16:00", "08:00-12:00", "08:00-16:00", "08:00-12:00"), []int{2, 4, 3}},
			{"4. ablak", demoWeek("13:00-18:00", "08:00-12:00, 12:30-16:00", "08:00-16:00", "10:00-16:00", "08:00-12:00"), []int{4, 0, 3, 7}},
		},
	},
	{
		Office: Office{
			Name:    "Ügyfélszolgálat",
			Address: "2851 Tölgyesd, Szabadság tér 3.",
			Directions: "A Városháza főbejáratán belépve jobbra, a földszinti ügyfélszolgálati teremben. " +
				"A Szabadság téri buszmegállótól egy perc. Parkolás a téren, munkanapokon 8 és 18 óra között fizetős.",
			Accessibility: "A főbejárat akadálymentes, automatikus ajtóval. Akadálymentes mosdó a földszinten. " +
				"Kérésre jelnyelvi tolmácsot biztosítunk, ha foglaláskor a megjegyzésben jelzi.",
			DirectionsEN: "Through the Town Hall's main entrance, then right, in the customer service hall on the ground floor. " +
				"One minute from the Szabadság tér bus stop. Parking on the square, paid on working days from 8:00 to 18:00.",
			AccessibilityEN: "The main entrance is step-free, with an automatic door. Accessible toilet on the ground floor. " +
				"A sign-language interpreter can be arranged: say so in the note when you book.",
			Phone: "+36 34 555 0100",
			Email: "ugyfelszolgalat@example.hu",
		},
		desks: []struct {
			name  string
			week  map[time.Weekday]string
			types []int
		}{
			{"A ablak", demoWeek("08:00-12:00, 13:00-18:00", "08:00-16:00", "08:00-16:00", "08:00-16:00", "08:00-12:00"), []int{5, 7, 6}},
			{"B ablak", demoWeek("08:00-12:00, 13:00-18:00", "", "08:00-12:00, 13:00-16:00", "08:00-16:00", "08:00-12:00"), []int{6, 7, 3}},
		},
	},
}

// demoWeek is a Monday-to-Friday week of hours texts.
func demoWeek(mon, tue, wed, thu, fri string) map[time.Weekday]string {
	return map[time.Weekday]string{time.Monday: mon, time.Tuesday: tue, time.Wednesday: wed, time.Thursday: thu, time.Friday: fri}
}

// demoTypes are the case types citizens come for, in the booking page's order.
var demoTypes = []CaseType{
	{
		NameHU: "Személyi igazolvány", NameEN: "Identity card",
		PurposeHU: "Új személyazonosító igazolvány igénylése lejárat, névváltozás, elvesztés vagy sérülés miatt, valamint az első igazolvány 14 éves korban.",
		PurposeEN: "Applying for a new identity card when it expires, after a change of name, loss or damage, and the first card at the age of 14.",
		DocumentsHU: "A régi személyazonosító igazolvány (ha van)\nLakcímkártya\nSzületési anyakönyvi kivonat (első igénylésnél)\n" +
			"Házassági anyakönyvi kivonat (névváltozásnál)\nKiskorúnál a szülő személyazonosító igazolványa",
		DocumentsEN: "Your old identity card (if you have one)\nAddress card\nBirth certificate (first application)\n" +
			"Marriage certificate (after a change of name)\nFor a minor, the parent's identity card",
		FeeHU:   "Lejárt igazolvány cseréje és az első igénylés illetékmentes; elveszett vagy sérült igazolvány pótlása 1500 Ft.",
		FeeEN:   "Replacing an expired card and the first application are free of charge; replacing a lost or damaged card costs HUF 1,500.",
		Minutes: 20, HorizonDays: 30, LeadDays: 1, LeadMinutes: 60, MaxPerEmail: 2, Online: true, HoldMinutes: 60,
		BlockMinutes: 30,
	},
	{
		NameHU: "Útlevél", NameEN: "Passport",
		PurposeHU: "Magánútlevél igénylése felnőttnek és kiskorúnak, lejárt vagy elveszett útlevél pótlása.",
		PurposeEN: "Applying for a passport for an adult or a minor, and replacing an expired or lost passport.",
		DocumentsHU: "Érvényes személyazonosító igazolvány\nLakcímkártya\nA korábbi útlevél (ha van)\n" +
			"Kiskorúnál mindkét szülő jelenléte vagy a távollévő szülő hozzájáruló nyilatkozata",
		DocumentsEN: "Valid identity card\nAddress card\nYour previous passport (if you have one)\n" +
			"For a minor, both parents in person or the absent parent's written consent",
		FeeHU:   "Illetékköteles: az összeg az érvényességi időtől és az életkortól függ; 65 év felett illetékmentes. Bankkártyával is fizethet.",
		FeeEN:   "A duty is payable: the amount depends on the validity and your age; free of charge over 65. You can pay by card.",
		Minutes: 20, HorizonDays: 45, LeadDays: 1, LeadMinutes: 60, MaxPerEmail: 2, Online: true, MustConfirm: true, HoldMinutes: 60,
	},
	{
		NameHU: "Vezetői engedély (jogosítvány)", NameEN: "Driving licence",
		PurposeHU:   "Vezetői engedély cseréje lejárat vagy adatváltozás miatt, elveszett engedély pótlása, nemzetközi vezetői engedély.",
		PurposeEN:   "Renewing a driving licence when it expires or your details change, replacing a lost licence, international driving permits.",
		DocumentsHU: "Érvényes személyazonosító igazolvány\nLakcímkártya\nA régi vezetői engedély\nÉrvényes orvosi alkalmassági vélemény",
		DocumentsEN: "Valid identity card\nAddress card\nYour old driving licence\nValid medical certificate of fitness to drive",
		FeeHU:       "Csere és pótlás 4000 Ft; 70 év felett illetékmentes.",
		FeeEN:       "Renewal and replacement HUF 4,000; free of charge over 70.",
		Minutes:     20, HorizonDays: 30, LeadDays: 1, LeadMinutes: 60, MaxPerEmail: 1, Online: true, HoldMinutes: 60,
	},
	{
		NameHU: "Lakcímkártya, lakcímbejelentés", NameEN: "Address card and registering an address",
		PurposeHU: "Lakóhely vagy tartózkodási hely bejelentése költözés után, új lakcímkártya.",
		PurposeEN: "Registering your home or temporary address after a move, and a new address card.",
		DocumentsHU: "Érvényes személyazonosító igazolvány\nA régi lakcímkártya\nA lakás tulajdonosának írásos hozzájárulása, ha nem Ön a tulajdonos\n" +
			"Tulajdoni lap vagy bérleti szerződés",
		DocumentsEN: "Valid identity card\nYour old address card\nThe owner's written consent if you do not own the home\n" +
			"Land registry sheet or tenancy agreement",
		FeeHU:   "Illetékmentes.",
		FeeEN:   "Free of charge.",
		Minutes: 10, HorizonDays: 30, LeadDays: 0, LeadMinutes: 60, MaxPerEmail: 2, Online: true, HoldMinutes: 60,
	},
	{
		NameHU: "Gépjármű-ügyintézés", NameEN: "Vehicle registration",
		PurposeHU: "Jármű tulajdonjogának átírása, forgalomba helyezés, forgalmi engedély és törzskönyv pótlása, rendszámcsere.",
		PurposeEN: "Transfer of a vehicle's ownership, first registration, replacing a registration certificate or title, new number plates.",
		DocumentsHU: "Érvényes személyazonosító igazolvány és lakcímkártya\nAdásvételi szerződés (átírásnál)\nForgalmi engedély és törzskönyv\n" +
			"Kötelező gépjármű-felelősségbiztosítás igazolása\nMeghatalmazás, ha más nevében jár el",
		DocumentsEN: "Valid identity card and address card\nSale contract (for a transfer)\nRegistration certificate and title\n" +
			"Proof of compulsory motor insurance\nA power of attorney if you act for someone else",
		FeeHU:   "A vagyonszerzési illeték a jármű teljesítményétől és korától függ; a forgalmi engedély kiállítása 6000 Ft.",
		FeeEN:   "The transfer duty depends on the vehicle's power and age; issuing the registration certificate costs HUF 6,000.",
		Minutes: 30, HorizonDays: 30, LeadDays: 1, LeadMinutes: 60, MaxPerEmail: 3, Online: true, HoldMinutes: 60,
	},
	{
		NameHU: "Adóügyi tanácsadás", NameEN: "Local tax advice",
		PurposeHU:   "Tanácsadás a helyi adókról: építményadó, telekadó, iparűzési adó, gépjárműadó, fizetési könnyítés és részletfizetés.",
		PurposeEN:   "Advice on local taxes: building tax, land tax, local business tax, vehicle tax, easier terms and instalments.",
		DocumentsHU: "Adóazonosító jel\nAz adóügyre vonatkozó határozat vagy levél\nMeghatalmazás, ha más nevében jár el",
		DocumentsEN: "Tax identification number\nThe decision or letter about your tax\nA power of attorney if you act for someone else",
		FeeHU:       "Díjmentes.",
		FeeEN:       "Free of charge.",
		Minutes:     30, HorizonDays: 60, LeadDays: 2, LeadMinutes: 60, MaxPerEmail: 1, Online: true, HoldMinutes: 60,
	},
	{
		NameHU: "Anyakönyvi ügyek", NameEN: "Civil registration",
		PurposeHU:   "Születés, házasságkötési szándék és haláleset bejelentése, anyakönyvi kivonatok, névváltozás. Időpontot telefonon vagy személyesen egyeztetünk.",
		PurposeEN:   "Registering a birth, an intended marriage or a death, certificates, change of name. Appointments are made by phone or in person.",
		DocumentsHU: "Érvényes személyazonosító igazolvány\nLakcímkártya\nA korábbi anyakönyvi kivonatok\nA családi állapotot igazoló okirat",
		DocumentsEN: "Valid identity card\nAddress card\nYour earlier civil status certificates\nA document proving your marital status",
		FeeHU:       "Az anyakönyvi kivonat illetékmentes; a hivatali időn kívüli házasságkötés díját helyi rendelet szabja meg.",
		FeeEN:       "Certificates are free of charge; the fee of a wedding outside office hours is set by local decree.",
		Minutes:     40, HorizonDays: 90, LeadDays: 1, LeadMinutes: 60, MaxPerEmail: 1, Online: false, HoldMinutes: 60,
	},
	{
		NameHU: "Általános ügyintézés", NameEN: "General enquiries",
		PurposeHU:   "Kérelmek és beadványok átvétele, igazolások, tájékoztatás minden olyan ügyben, amelyet nem talál a listában.",
		PurposeEN:   "Handing in applications and letters, certificates, and information on any matter not in the list.",
		DocumentsHU: "Érvényes személyazonosító igazolvány\nLakcímkártya\nAz ügyhöz tartozó iratok",
		DocumentsEN: "Valid identity card\nAddress card\nThe papers about your matter",
		FeeHU:       "Díjmentes; egyes igazolások illetékkötelesek.",
		FeeEN:       "Free of charge; some certificates carry a duty.",
		Minutes:     15, HorizonDays: 30, LeadDays: 0, LeadMinutes: 30, MaxPerEmail: 2, Online: true, HoldMinutes: 60,
	},
}
