package appointments

import (
	"context"
	"kapu/modules/platform/actor"
	"sort"
	"strconv"
	"strings"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/stats"
)

// statsKinds are the periods the statistics page offers; a month is the default.
var statsKinds = []string{stats.Week, stats.Month, stats.Year, stats.Range}

// Thresholds of suspected abuse: an address holding this many active future
// bookings at once, or booking this many appointments on one day.
const (
	AbuseActive = 5
	AbusePerDay = 10
)

// abuseLimit bounds each abuse list: a bot shows among the first.
const abuseLimit = 50

// GroupStats are the figures of one case type or office for the period.
type GroupStats struct {
	ID        uint
	Bookings  int // every appointment of the period but unconfirmed holds that lapsed
	Served    int
	NoShows   int
	Cancelled int
	Expired   int // unconfirmed holds that lapsed
	WalkIns   int
	Wait      stats.Dist // arrived → called, minutes
	Service   stats.Dist // called → served, minutes
	Ratings   stats.Scores
}

// NoShowRate is the share of no-shows among the appointments that came due
// (served or missed); ok is false when none did.
func (g GroupStats) NoShowRate() (float64, bool) {
	if g.Served+g.NoShows == 0 {
		return 0, false
	}
	return 100 * float64(g.NoShows) / float64(g.Served+g.NoShows), true
}

// CancelRate is the share of cancelled bookings among all the period's bookings.
func (g GroupStats) CancelRate() (float64, bool) {
	if g.Bookings == 0 {
		return 0, false
	}
	return 100 * float64(g.Cancelled) / float64(g.Bookings), true
}

// add sums o into g (for totals).
func (g *GroupStats) add(o *GroupStats) {
	g.Bookings += o.Bookings
	g.Served += o.Served
	g.NoShows += o.NoShows
	g.Cancelled += o.Cancelled
	g.Expired += o.Expired
	g.WalkIns += o.WalkIns
	if g.Wait == nil {
		g.Wait, g.Service = stats.Dist{}, stats.Dist{}
	}
	g.Wait.Add(o.Wait)
	g.Service.Add(o.Service)
	g.Ratings.Add(o.Ratings)
}

// DayCount is the bookings of one local day (or month, for long periods) per office.
type DayCount struct {
	Day      calendar.Date
	ByOffice map[uint]int
}

// DeskUse is one desk's booked and open minutes in the period.
type DeskUse struct {
	Desk          Desk
	Office        string
	OpenMinutes   int
	BookedMinutes int
}

// Utilisation is booked minutes as a percentage of open ones; ok is false
// when the desk was not open.
func (d DeskUse) Utilisation() (float64, bool) {
	if d.OpenMinutes == 0 {
		return 0, false
	}
	return 100 * float64(d.BookedMinutes) / float64(d.OpenMinutes), true
}

// Suspect is an email address or client address with many bookings.
type Suspect struct {
	Key    string // the address
	Period int    // bookings of the period
	MaxDay int    // the most on one day of the period
	Active int    // active future bookings now
	Others int    // distinct client addresses (for an email) or emails (for a client address)
	Emails []string
}

// LeadBuckets are the lead time's distribution buckets, in days: a booking
// made d days ahead falls in the first bucket whose bound exceeds d.
var LeadBuckets = []int{1, 2, 4, 8, 15, 31}

// Stats are the appointment statistics of one period. A period's
// appointments are those whose time falls in it, or, for walk-ins served
// from the waiting list (no planned time), whose arrival does.
type Stats struct {
	Period  stats.Period
	Types   []CaseType
	Offices []Office
	ByType  []GroupStats // in the order of Types
	// ByOffice is in the order of Offices.
	ByOffice []GroupStats
	Total    GroupStats
	Days     []DayCount // per local day, or per month when Monthly
	Monthly  bool
	Lead     stats.Dist // hours booked ahead, online and phone bookings
	LeadDays []int      // Lead by LeadBuckets, with one more for longer
	Desks    []DeskUse
	Emails   []Suspect
	IPs      []Suspect
}

// sqlExpr writes the few expressions the dialects spell differently.
type sqlExpr struct{ pg bool }

// minutes is b − a in minutes, as a float.
func (e sqlExpr) minutes(a, b string) string {
	if e.pg {
		return "(EXTRACT(EPOCH FROM (" + b + " - " + a + ")) / 60)"
	}
	return "((julianday(" + b + ") - julianday(" + a + ")) * 1440)"
}

// floor is x rounded down to a whole number. A hair is added first:
// SQLite's julianday makes 10 minutes 9.99999.
func (e sqlExpr) floor(x string) string {
	if e.pg {
		return "CAST(FLOOR(" + x + " + 0.0001) AS INTEGER)"
	}
	// Non-negative values only: CAST truncates toward zero.
	return "CAST(" + x + " + 0.0001 AS INTEGER)"
}

// hour is the UTC hour an instant falls in, as "2006-01-02 15": the city's
// offsets are whole hours, so Go turns each hour into its local day.
func (e sqlExpr) hour(col string) string {
	if e.pg {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"
	}
	return "substr(" + col + ", 1, 13)"
}

// localDay is the local day of an hour bucket written by sqlExpr.hour.
func (s *Service) localDay(bucket string) (calendar.Date, bool) {
	t, err := time.ParseInLocation("2006-01-02 15", strings.TrimSpace(bucket), time.UTC)
	if err != nil {
		return calendar.Date{}, false
	}
	return calendar.DateOf(t, s.tz), true
}

// periodSQL is the period's appointments as a derived table "a" with the
// columns asked for plus "t", the appointment's time: the planned ones by
// start over the (office_id, start_at) index, the walk-ins without a slot by
// arrival. where narrows both halves.
type periodSQL struct {
	sql  string
	args []any
}

func (s *Service) period(offices []uint, from, to time.Time, cols, where string, args ...any) periodSQL {
	if where != "" {
		where = " AND (" + where + ")"
	}
	q := "(SELECT " + cols + ", start_at AS t FROM appointments WHERE office_id IN ? AND start_at >= ? AND start_at < ?" + where +
		" UNION ALL SELECT " + cols + ", booked_at AS t FROM appointments WHERE office_id IN ? AND start_at IS NULL AND booked_at >= ? AND booked_at < ?" + where + ") a"
	all := append([]any{offices, from, to}, args...)
	all = append(all, offices, from, to)
	all = append(all, args...)
	return periodSQL{q, all}
}

// Stats gathers the statistics of a period, each figure summed by the
// database (GROUP BY) over the period's range of the start index: no query
// reads one row per appointment, so a year of half a million costs a few
// aggregate scans.
func (s *Service) Stats(ctx context.Context, a actor.Actor, p stats.Period) (*Stats, error) {
	if err := deskStaff(a); err != nil {
		return nil, err
	}
	q := s.db.R.WithContext(ctx)
	e := sqlExpr{pg: s.db.Dialect == db.Postgres}
	from, to := p.Bounds(s.tz)
	st := &Stats{Period: p, Monthly: p.Days() > 62, Total: GroupStats{Wait: stats.Dist{}, Service: stats.Dist{}}}
	if err := q.Order(`"order", id`).Find(&st.Types).Error; err != nil {
		return nil, err
	}
	if err := q.Order("name, id").Find(&st.Offices).Error; err != nil {
		return nil, err
	}
	offices := make([]uint, len(st.Offices))
	for i, o := range st.Offices {
		offices[i] = o.ID
	}
	if len(offices) == 0 {
		return st, nil
	}
	typeAt, officeAt := map[uint]int{}, map[uint]int{}
	st.ByType = make([]GroupStats, len(st.Types))
	for i, t := range st.Types {
		typeAt[t.ID] = i
		st.ByType[i] = GroupStats{ID: t.ID, Wait: stats.Dist{}, Service: stats.Dist{}}
	}
	st.ByOffice = make([]GroupStats, len(st.Offices))
	for i, o := range st.Offices {
		officeAt[o.ID] = i
		st.ByOffice[i] = GroupStats{ID: o.ID, Wait: stats.Dist{}, Service: stats.Dist{}}
	}
	// each calls fn with the case type's and the office's figures of a row.
	each := func(typeID, officeID uint, fn func(g *GroupStats)) {
		if i, ok := typeAt[typeID]; ok {
			fn(&st.ByType[i])
		}
		if i, ok := officeAt[officeID]; ok {
			fn(&st.ByOffice[i])
		}
	}

	// The scans run side by side on the reader pool: each fills its own
	// result, and only this goroutine adds them into st afterwards (the
	// helpers write fields of st nobody else touches).
	var counts []struct {
		CaseTypeID, OfficeID uint
		Status, Source       string
		Rating, N            int
	}
	type minutes []struct {
		CaseTypeID, OfficeID uint
		M, N                 int
	}
	var waits, services minutes
	scanMinutes := func(fromCol, toCol string, out *minutes) func() error {
		return func() error {
			mins := e.floor(e.minutes(fromCol, toCol))
			ps := s.period(offices, from, to, "case_type_id, office_id, "+mins+" AS m",
				fromCol+" IS NOT NULL AND "+toCol+" IS NOT NULL AND "+toCol+" >= "+fromCol)
			return q.Raw("SELECT case_type_id, office_id, m, COUNT(*) AS n FROM "+ps.sql+" GROUP BY case_type_id, office_id, m", ps.args...).
				Scan(out).Error
		}
	}
	err := stats.Parallel(
		func() error {
			ps := s.period(offices, from, to, "case_type_id, office_id, status, source, rating", "")
			return q.Raw("SELECT case_type_id, office_id, status, source, rating, COUNT(*) AS n FROM "+ps.sql+
				" GROUP BY case_type_id, office_id, status, source, rating", ps.args...).Scan(&counts).Error
		},
		scanMinutes("arrived_at", "called_at", &waits),
		scanMinutes("called_at", "served_at", &services),
		func() error { return s.statsDays(ctx, st, e, offices, from, to) },
		func() error { return s.statsLead(ctx, st, e, offices, from, to) },
		func() error { return s.statsDesks(ctx, st, e, offices, from, to) },
		func() error {
			var err error
			st.Emails, err = s.suspects(ctx, e, offices, from, to, "lower(email)", "ip", "")
			return err
		},
		func() error {
			var err error
			// Only citizens' own bookings: the front desk's carry its own address.
			st.IPs, err = s.suspects(ctx, e, offices, from, to, "ip", "lower(email)", "source = '"+SourceOnline+"' AND ")
			return err
		},
	)
	if err != nil {
		return nil, err
	}
	for _, c := range counts {
		each(c.CaseTypeID, c.OfficeID, func(g *GroupStats) {
			if c.Rating >= 1 && c.Rating <= 5 {
				g.Ratings[c.Rating] += c.N
			}
			switch c.Status {
			case StatusExpired:
				g.Expired += c.N
				return
			case StatusServed:
				g.Served += c.N
			case StatusNoShow:
				g.NoShows += c.N
			case StatusCancelled:
				g.Cancelled += c.N
			}
			g.Bookings += c.N
			if c.Source == SourceWalkIn {
				g.WalkIns += c.N
			}
		})
	}
	for _, r := range waits {
		each(r.CaseTypeID, r.OfficeID, func(g *GroupStats) { g.Wait[r.M] += r.N })
	}
	for _, r := range services {
		each(r.CaseTypeID, r.OfficeID, func(g *GroupStats) { g.Service[r.M] += r.N })
	}
	for i := range st.ByOffice {
		st.Total.add(&st.ByOffice[i])
	}
	// Case types and offices without a booking in the period, no longer in use, are left out.
	keepT, keepG := st.Types[:0], st.ByType[:0]
	for i, t := range st.Types {
		if t.Active || st.ByType[i].Bookings+st.ByType[i].Expired > 0 {
			keepT, keepG = append(keepT, t), append(keepG, st.ByType[i])
		}
	}
	st.Types, st.ByType = keepT, keepG
	return st, nil
}

// statsDays counts the bookings (not lapsed holds) per local day and office,
// or per month when the period is long, from hourly counts.
func (s *Service) statsDays(ctx context.Context, st *Stats, e sqlExpr, offices []uint, from, to time.Time) error {
	var rows []struct {
		OfficeID uint
		H        string
		N        int
	}
	ps := s.period(offices, from, to, "office_id, status", "status <> ?", StatusExpired)
	if err := s.db.R.WithContext(ctx).Raw("SELECT office_id, "+e.hour("t")+" AS h, COUNT(*) AS n FROM "+ps.sql+" GROUP BY office_id, h", ps.args...).
		Scan(&rows).Error; err != nil {
		return err
	}
	key := func(d calendar.Date) calendar.Date {
		if st.Monthly {
			return calendar.NewDate(d.Year, d.Month, 1)
		}
		return d
	}
	at := map[calendar.Date]int{}
	for d := st.Period.From; d.Before(st.Period.To); d = d.AddDays(1) {
		k := key(d)
		if _, ok := at[k]; !ok {
			at[k] = len(st.Days)
			st.Days = append(st.Days, DayCount{Day: k, ByOffice: map[uint]int{}})
		}
	}
	for _, r := range rows {
		d, ok := s.localDay(r.H)
		if !ok {
			continue
		}
		if i, ok := at[key(d)]; ok {
			st.Days[i].ByOffice[r.OfficeID] += r.N
		}
	}
	return nil
}

// statsLead is how far ahead the period's online and phone bookings were
// made, in whole hours; walk-ins and lapsed holds do not count.
func (s *Service) statsLead(ctx context.Context, st *Stats, e sqlExpr, offices []uint, from, to time.Time) error {
	var rows []struct{ H, N int }
	hours := e.floor(e.minutes("booked_at", "start_at") + " / 60")
	if err := s.db.R.WithContext(ctx).Raw("SELECT "+hours+" AS h, COUNT(*) AS n FROM appointments"+
		" WHERE office_id IN ? AND start_at >= ? AND start_at < ? AND source <> ? AND status <> ? AND start_at >= booked_at GROUP BY h",
		offices, from, to, SourceWalkIn, StatusExpired).Scan(&rows).Error; err != nil {
		return err
	}
	st.Lead = stats.Dist{}
	st.LeadDays = make([]int, len(LeadBuckets)+1)
	for _, r := range rows {
		st.Lead[r.H] += r.N
		b := sort.SearchInts(LeadBuckets, r.H/24+1)
		st.LeadDays[b] += r.N
	}
	return nil
}

// statsDesks sets each desk's booked minutes (active, served and missed
// appointments) against its open minutes: on every working day of the
// platform calendar, the desk's weekly hours of that weekday, unless an
// exception closes it or gives other hours.
func (s *Service) statsDesks(ctx context.Context, st *Stats, e sqlExpr, offices []uint, from, to time.Time) error {
	q := s.db.R.WithContext(ctx)
	var desks []Desk
	if err := q.Where("office_id IN ?", offices).Order("office_id, name, id").Find(&desks).Error; err != nil {
		return err
	}
	if len(desks) == 0 {
		return nil
	}
	var booked []struct {
		DeskID uint
		M      float64
	}
	if err := q.Raw("SELECT desk_id, SUM("+e.minutes("start_at", "end_at")+") AS m FROM appointments"+
		" WHERE office_id IN ? AND start_at >= ? AND start_at < ? AND desk_id IS NOT NULL AND status IN ? GROUP BY desk_id",
		offices, from, to, append(append([]string{}, activeStatuses...), StatusNoShow)).Scan(&booked).Error; err != nil {
		return err
	}
	var hours []DeskHours
	if err := q.Find(&hours).Error; err != nil {
		return err
	}
	var exceptions []DeskException
	if err := q.Where("\"from\" <= ? AND \"to\" >= ?", st.Period.Last(), st.Period.From).Find(&exceptions).Error; err != nil {
		return err
	}
	days, err := s.cal.Span(ctx, st.Period.From, st.Period.Last())
	if err != nil {
		return err
	}
	week := map[uint][7]int{}
	for _, h := range hours {
		w := week[h.DeskID]
		w[h.Weekday] += max(h.To-h.From, 0)
		week[h.DeskID] = w
	}
	officeName := map[uint]string{}
	for _, o := range st.Offices {
		officeName[o.ID] = o.Name
	}
	at := map[uint]int{}
	for _, d := range desks {
		u := DeskUse{Desk: d, Office: officeName[d.OfficeID]}
		for day := st.Period.From; day.Before(st.Period.To); day = day.AddDays(1) {
			if !days.IsWorkday(day) {
				continue
			}
			open, set := week[d.ID][day.Weekday()], false
			for i := range exceptions {
				x := &exceptions[i]
				if x.DeskID != d.ID || !x.Covers(day) || set {
					continue
				}
				switch x.Kind {
				case ExceptionClosed:
					open, set = 0, true
				case ExceptionHours:
					open, set = hoursSpecMinutes(x.Hours), true
				}
			}
			u.OpenMinutes += open
		}
		at[d.ID] = len(st.Desks)
		st.Desks = append(st.Desks, u)
	}
	for _, b := range booked {
		if i, ok := at[b.DeskID]; ok {
			st.Desks[i].BookedMinutes = int(b.M + 0.5)
		}
	}
	// Desks no longer in use that had nothing in the period are left out.
	keep := st.Desks[:0]
	for _, d := range st.Desks {
		if d.Desk.Active || d.BookedMinutes > 0 {
			keep = append(keep, d)
		}
	}
	st.Desks = keep
	return nil
}

// hoursSpecMinutes is the length of an exception's hours, "08:00-12:00,13:00-16:00";
// a part that does not parse counts nothing.
func hoursSpecMinutes(spec string) int {
	clock := func(s string) (int, bool) {
		h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 {
			return 0, false
		}
		return hh*60 + mm, true
	}
	total := 0
	for _, part := range strings.Split(spec, ",") {
		a, b, ok := strings.Cut(part, "-")
		if !ok {
			continue
		}
		f, ok1 := clock(a)
		t, ok2 := clock(b)
		if ok1 && ok2 && t > f {
			total += t - f
		}
	}
	return total
}

// suspects finds the suspects by one column (col), counting the other's
// distinct values beside; only, when set, is a condition ending in " AND "
// that every query adds. The database groups in every query: the active
// future bookings (a short range of the start index), then the period's
// bookings of every address with AbusePerDay or more of them or found
// active, and only those candidates' bookings per hour, for the busiest day.
func (s *Service) suspects(ctx context.Context, e sqlExpr, offices []uint, from, to time.Time, col, other, only string) ([]Suspect, error) {
	q := s.db.R.WithContext(ctx)
	now := s.now().UTC()
	var active []struct {
		K string
		N int
	}
	if err := q.Raw("SELECT "+col+" AS k, COUNT(*) AS n FROM appointments WHERE office_id IN ? AND start_at > ? AND status IN ? AND "+only+col+" <> ''"+
		" GROUP BY "+col+" HAVING COUNT(*) >= ? ORDER BY n DESC LIMIT ?", offices, now, upcomingStatuses, AbuseActive, abuseLimit).
		Scan(&active).Error; err != nil {
		return nil, err
	}
	by := map[string]*Suspect{}
	var keys []string
	get := func(k string) *Suspect {
		if x := by[k]; x != nil {
			return x
		}
		by[k] = &Suspect{Key: k}
		keys = append(keys, k)
		return by[k]
	}
	having, args := "COUNT(*) >= ?", []any{AbusePerDay}
	for _, c := range active {
		get(c.K).Active = c.N
		if len(args) == 1 {
			having += " OR k IN ?"
			args = append(args, []string{})
		}
		args[1] = append(args[1].([]string), c.K)
	}
	var many []struct {
		K       string
		N, Kind int
	}
	ps := s.period(offices, from, to, col+" AS k, "+other+" AS o", only+col+" <> ''")
	if err := q.Raw("SELECT k, COUNT(*) AS n, COUNT(DISTINCT o) AS kind FROM "+ps.sql+" GROUP BY k HAVING "+having+" ORDER BY n DESC LIMIT ?",
		append(append(ps.args, args...), 2*abuseLimit)...).Scan(&many).Error; err != nil {
		return nil, err
	}
	var cands []string
	for _, c := range many {
		if c.N >= AbusePerDay {
			cands = append(cands, c.K)
		}
		if x := by[c.K]; x != nil {
			x.Period, x.Others = c.N, c.Kind
		}
	}
	if len(cands) > 0 {
		var hours []struct {
			K, H string
			N    int
		}
		ps := s.period(offices, from, to, col+" AS k", only+col+" IN ?", cands)
		if err := q.Raw("SELECT k, "+e.hour("t")+" AS h, COUNT(*) AS n FROM "+ps.sql+" GROUP BY k, h", ps.args...).Scan(&hours).Error; err != nil {
			return nil, err
		}
		perDay := map[string]map[calendar.Date]int{}
		for _, h := range hours {
			d, ok := s.localDay(h.H)
			if !ok {
				continue
			}
			if perDay[h.K] == nil {
				perDay[h.K] = map[calendar.Date]int{}
			}
			perDay[h.K][d] += h.N
		}
		for _, c := range many {
			top := 0
			for _, n := range perDay[c.K] {
				top = max(top, n)
			}
			if top >= AbusePerDay {
				x := get(c.K)
				x.MaxDay, x.Period, x.Others = top, c.N, c.Kind
			}
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	if col == "ip" {
		// The addresses booked from each suspect client address, to act on.
		var pairs []struct{ K, O string }
		ps := s.period(offices, from, to, "ip AS k, lower(email) AS o", only+"ip IN ? AND email <> ''", keys)
		if err := q.Raw("SELECT k, o FROM "+ps.sql+" GROUP BY k, o ORDER BY k, o", ps.args...).Scan(&pairs).Error; err != nil {
			return nil, err
		}
		for _, p := range pairs {
			if x := by[p.K]; x != nil && len(x.Emails) < 5 {
				x.Emails = append(x.Emails, p.O)
			}
		}
	}
	out := make([]Suspect, 0, len(keys))
	for _, k := range keys {
		out = append(out, *by[k])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Active != out[j].Active {
			return out[i].Active > out[j].Active
		}
		if out[i].MaxDay != out[j].MaxDay {
			return out[i].MaxDay > out[j].MaxDay
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}
