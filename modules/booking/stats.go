package booking

import (
	"context"
	"sort"
	"time"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/stats"
)

// statsKinds are the periods the statistics page offers; a month is the default.
var statsKinds = []string{stats.Week, stats.Month, stats.Year, stats.Range}

// Round-the-clock resources (cars, most equipment) have no opening hours of
// their own; their bookable hours are those of an office day.
const (
	officeFrom = 8 * 60
	officeTo   = 18 * 60
)

// statsMonths is how many months the km-per-month chart covers, ending with the period's.
const statsMonths = 12

// statsLongest is the longest booking the statistics look for: a booking that
// started this long before a period is not counted in it. It keeps the period's
// query a range over the start index instead of a scan of all the past.
const statsLongest = 31 * 24 * time.Hour

// rejectedLimit bounds the list of rejected requests shown.
const rejectedLimit = 50

// Period is the run of local days the statistics cover.
type Period = stats.Period

// ResourceStats are one resource's figures for the period.
type ResourceStats struct {
	Resource      Resource
	BookableHours float64 // see Stats: open hours of working days, times the pool's size
	BookedHours   float64 // confirmed or held bookings within those hours, times their quantity
	Bookings      int     // bookings that started in the period, up to now, and were kept or missed
	NoShows       int
	Rejected      int // car requests rejected by an approver
	Expired       int // car requests nobody approved in time
	Km            int // cars: km logged for trips that started in the period
}

// Utilisation is booked hours as a percentage of bookable hours; ok is false
// when the resource had no bookable hours.
func (r ResourceStats) Utilisation() (pct float64, ok bool) {
	if r.BookableHours <= 0 {
		return 0, false
	}
	return 100 * r.BookedHours / r.BookableHours, true
}

// NoShowRate is the share of kept-or-missed bookings nobody checked in to;
// ok is false for rooms without check-in and when nothing started yet.
func (r ResourceStats) NoShowRate() (pct float64, ok bool) {
	if !r.Resource.CheckIn || r.Bookings == 0 {
		return 0, false
	}
	return 100 * float64(r.NoShows) / float64(r.Bookings), true
}

// TotalOf sums one kind's resources. The total's no-show rate counts only the
// bookings of resources that ask for a check-in; ok is false when there are none.
func TotalOf(rs []ResourceStats) (tot ResourceStats, noShowRate float64, ok bool) {
	checkInBookings := 0
	for _, r := range rs {
		tot.BookableHours += r.BookableHours
		tot.BookedHours += r.BookedHours
		tot.Bookings += r.Bookings
		tot.NoShows += r.NoShows
		tot.Km += r.Km
		tot.Rejected += r.Rejected
		tot.Expired += r.Expired
		if r.Resource.CheckIn {
			tot.Resource.CheckIn = true
			checkInBookings += r.Bookings
		}
	}
	if checkInBookings == 0 {
		return tot, 0, false
	}
	return tot, 100 * float64(tot.NoShows) / float64(checkInBookings), true
}

// Heat is the busiest-hours table of one kind of resource: booked hours per
// local weekday (Monday first) and hour of the day, summed over the period.
type Heat struct {
	Kind  string
	Cells [7][24]float64
	Max   float64
}

// DeptKm is the km driven by one department's people.
type DeptKm struct {
	DepartmentID uint // 0 for people without a department
	Name         string
	Km, Trips    int
}

// MonthKm is the km logged in one month, per car in the order of Stats.Cars.
type MonthKm struct {
	Month calendar.Date // the first day
	ByCar []int
	Total int
}

// ReasonCount is how often one rejection reason was given.
type ReasonCount struct {
	Reason string
	Count  int
}

// RejectedRow is one rejected car request.
type RejectedRow struct {
	ID       uint
	StartAt  time.Time
	Car      string
	Person   string
	Reason   string
	Decision time.Time
}

// Stats are the numbers of the statistics page for one period.
//
// Bookable hours are, for every working day of the period (not weekends, not
// public holidays, as the suite's calendar says), the resource's opening
// hours; resources open round the clock (cars, equipment) count an office day
// of 08:00–18:00. A pool counts once per unit. Booked hours are the parts of
// confirmed and held bookings that fall into those hours, so utilisation
// never counts a night or a weekend trip against a working day.
type Stats struct {
	Period    Period
	Rooms     []ResourceStats
	Cars      []ResourceStats
	Equipment []ResourceStats
	Heat      []Heat // rooms, cars, equipment
	KmByMonth []MonthKm
	KmByDept  []DeptKm
	Reasons   []ReasonCount
	Rejected  []RejectedRow
}

// window is a resource's bookable minutes of a day.
func window(r *Resource) (from, to int) {
	if r.allDay() {
		return officeFrom, officeTo
	}
	return r.OpenFrom, r.openTo()
}

// localAt is the instant of a minute of a local day (24:00 being the next midnight).
func localAt(d calendar.Date, minute int, tz *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, minute, 0, 0, tz).UTC()
}

// overlap is the length of [a0, a1) ∩ [b0, b1).
func overlap(a0, a1, b0, b1 time.Time) time.Duration {
	if b0.After(a0) {
		a0 = b0
	}
	if b1.Before(a1) {
		a1 = b1
	}
	if !a1.After(a0) {
		return 0
	}
	return a1.Sub(a0)
}

// Stats gathers the statistics of a period. The counts, the rejection reasons
// and the km are summed by the database (GROUP BY); booked hours need each
// booking clipped to each day's opening hours and the holiday calendar, so one
// query fetches the period's active bookings of every resource and Go adds
// them up — one query per question, never one per resource.
func (s *Service) Stats(ctx context.Context, p Period) (*Stats, error) {
	q := s.db.R.WithContext(ctx)
	from, to := p.Bounds(s.tz)
	now := utc(s.now())
	started := to
	if now.Before(started) {
		started = now
	}

	// Every resource; inactive ones are dropped at the end unless they had bookings.
	var rs []Resource
	if err := q.Order("name, id").Find(&rs).Error; err != nil {
		return nil, err
	}
	st := &Stats{Period: p}
	byID := map[uint]*ResourceStats{}
	all := make([]ResourceStats, len(rs))
	for i := range rs {
		all[i] = ResourceStats{Resource: rs[i]}
		byID[rs[i].ID] = &all[i]
	}

	days, err := s.daysOff(ctx, p.From, p.Last())
	if err != nil {
		return nil, err
	}
	var workdays []calendar.Date
	for d := p.From; d.Before(p.To); d = d.AddDays(1) {
		if days.IsWorkday(d) {
			workdays = append(workdays, d)
		}
	}
	for i := range all {
		r := &all[i].Resource
		f, t := window(r)
		for _, d := range workdays {
			all[i].BookableHours += localAt(d, t, s.tz).Sub(localAt(d, f, s.tz)).Hours() * float64(r.Quantity)
		}
	}

	// Booked hours and the heat maps, from the period's active bookings.
	var bs []Booking
	if err := q.Select("resource_id", "start_at", "end_at", "quantity").
		Where("status IN ? AND start_at < ? AND start_at > ? AND end_at > ?", activeStatuses, to, from.Add(-statsLongest), from).Find(&bs).Error; err != nil {
		return nil, err
	}
	heat := map[string]*Heat{}
	for _, k := range []string{KindRoom, KindCar, KindEquipment} {
		st.Heat = append(st.Heat, Heat{Kind: k})
	}
	for i := range st.Heat {
		heat[st.Heat[i].Kind] = &st.Heat[i]
	}
	for _, b := range bs {
		rst := byID[b.ResourceID]
		if rst == nil {
			continue
		}
		qty := float64(max(b.Quantity, 1))
		f, t := window(&rst.Resource)
		start, end := b.StartAt, b.EndAt
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		// Only the working days the booking touches: a year's period has hundreds.
		first, last := calendar.DateOf(start, s.tz), calendar.DateOf(end, s.tz)
		for i := sort.Search(len(workdays), func(i int) bool { return !workdays[i].Before(first) }); i < len(workdays) && !workdays[i].After(last); i++ {
			d := workdays[i]
			rst.BookedHours += overlap(start, end, localAt(d, f, s.tz), localAt(d, t, s.tz)).Hours() * qty
		}
		h := heat[rst.Resource.Kind]
		if h == nil {
			continue
		}
		// Hour by hour in local time; a whole hour's slot starts on the hour.
		for slot := start.In(s.tz).Truncate(time.Hour); slot.Before(end); slot = slot.Add(time.Hour) {
			lt := slot.In(s.tz)
			wd := (int(lt.Weekday()) + 6) % 7
			h.Cells[wd][lt.Hour()] += overlap(start, end, slot, slot.Add(time.Hour)).Hours() * qty
		}
	}
	for i := range st.Heat {
		for wd := range st.Heat[i].Cells {
			for hr := range st.Heat[i].Cells[wd] {
				st.Heat[i].Max = max(st.Heat[i].Max, st.Heat[i].Cells[wd][hr])
			}
		}
	}

	// Kept, missed, rejected and expired bookings per resource.
	var counts []struct {
		ResourceID uint
		Status     string
		N          int
	}
	if err := q.Table("bookings").Select("resource_id, status, COUNT(*) AS n").
		Where("start_at >= ? AND start_at < ? AND status IN ?", from, to,
			[]string{StatusConfirmed, StatusNoShow, StatusRejected, StatusExpired}).
		Where("(status NOT IN ? OR start_at < ?)", []string{StatusConfirmed, StatusNoShow}, started).
		Group("resource_id, status").Scan(&counts).Error; err != nil {
		return nil, err
	}
	for _, c := range counts {
		rst := byID[c.ResourceID]
		if rst == nil {
			continue
		}
		switch c.Status {
		case StatusConfirmed:
			rst.Bookings += c.N
		case StatusNoShow:
			rst.Bookings += c.N
			rst.NoShows += c.N
		case StatusRejected:
			rst.Rejected += c.N
		case StatusExpired:
			rst.Expired += c.N
		}
	}

	if err := s.statsKm(ctx, st, byID, from, to); err != nil {
		return nil, err
	}
	for _, r := range all {
		if !r.Resource.Active && r.BookedHours == 0 && r.Bookings == 0 && r.Km == 0 && r.Rejected == 0 && r.Expired == 0 {
			continue
		}
		switch r.Resource.Kind {
		case KindRoom:
			st.Rooms = append(st.Rooms, r)
		case KindCar:
			st.Cars = append(st.Cars, r)
		case KindEquipment:
			st.Equipment = append(st.Equipment, r)
		}
	}
	if err := s.statsKmByMonth(ctx, st); err != nil {
		return nil, err
	}
	if err := s.statsRejections(ctx, st, from, to); err != nil {
		return nil, err
	}
	return st, nil
}

// statsKm sums the km of the trips that started in the period, per car and
// per the driver's department.
func (s *Service) statsKm(ctx context.Context, st *Stats, byID map[uint]*ResourceStats, from, to time.Time) error {
	q := s.db.R.WithContext(ctx)
	var perCar []struct {
		ResourceID uint
		Km         int
	}
	if err := q.Table("booking_trips t").Select("b.resource_id, SUM(t.km) AS km").
		Joins("JOIN bookings b ON b.id = t.booking_id").
		Where("b.start_at >= ? AND b.start_at < ?", from, to).
		Group("b.resource_id").Scan(&perCar).Error; err != nil {
		return err
	}
	for _, c := range perCar {
		if r := byID[c.ResourceID]; r != nil {
			r.Km = c.Km
		}
	}
	var depts []struct {
		DepartmentID *uint
		Name         *string
		Km, Trips    int
	}
	if err := q.Table("booking_trips t").
		Select("p.department_id AS department_id, d.name AS name, SUM(t.km) AS km, COUNT(*) AS trips").
		Joins("JOIN bookings b ON b.id = t.booking_id").
		Joins("JOIN people p ON p.id = b.person_id").
		Joins("LEFT JOIN departments d ON d.id = p.department_id").
		Where("b.start_at >= ? AND b.start_at < ?", from, to).
		Group("p.department_id, d.name").Order("km DESC, name").Scan(&depts).Error; err != nil {
		return err
	}
	for _, d := range depts {
		row := DeptKm{Km: d.Km, Trips: d.Trips}
		if d.DepartmentID != nil {
			row.DepartmentID = *d.DepartmentID
		}
		if d.Name != nil {
			row.Name = *d.Name
		}
		st.KmByDept = append(st.KmByDept, row)
	}
	return nil
}

// statsKmByMonth sums the km per local month and car over the year up to the
// period's month. The month of a trip is that of its start in the city's zone,
// which neither database can tell portably, so the rows come back one per trip
// (a few thousand a year) and Go groups them.
func (s *Service) statsKmByMonth(ctx context.Context, st *Stats) error {
	last := calendar.NewDate(st.Period.Last().Year, st.Period.Last().Month, 1)
	first := calendar.NewDate(last.Year, last.Month-statsMonths+1, 1)
	end := calendar.NewDate(last.Year, last.Month+1, 1)
	var rows []struct {
		ResourceID uint
		StartAt    time.Time
		Km         int
	}
	if err := s.db.R.WithContext(ctx).Table("booking_trips t").Select("b.resource_id, b.start_at, t.km").
		Joins("JOIN bookings b ON b.id = t.booking_id").
		Where("b.start_at >= ? AND b.start_at < ?", utc(first.Start(s.tz)), utc(end.Start(s.tz))).
		Scan(&rows).Error; err != nil {
		return err
	}
	carIdx := map[uint]int{}
	for i, c := range st.Cars {
		carIdx[c.Resource.ID] = i
	}
	idx := map[calendar.Date]int{}
	for m := first; m.Before(end); m = calendar.NewDate(m.Year, m.Month+1, 1) {
		idx[m] = len(st.KmByMonth)
		st.KmByMonth = append(st.KmByMonth, MonthKm{Month: m, ByCar: make([]int, len(st.Cars))})
	}
	for _, r := range rows {
		d := calendar.DateOf(r.StartAt, s.tz)
		i, ok := idx[calendar.NewDate(d.Year, d.Month, 1)]
		if !ok {
			continue
		}
		if c, ok := carIdx[r.ResourceID]; ok {
			st.KmByMonth[i].ByCar[c] += r.Km
		}
		st.KmByMonth[i].Total += r.Km
	}
	return nil
}

// statsRejections counts the reasons given for rejected requests of the
// period and lists the latest of them.
func (s *Service) statsRejections(ctx context.Context, st *Stats, from, to time.Time) error {
	q := s.db.R.WithContext(ctx)
	if err := q.Table("bookings").Select("reject_reason AS reason, COUNT(*) AS count").
		Where("status = ? AND start_at >= ? AND start_at < ?", StatusRejected, from, to).
		Group("reject_reason").Order("count DESC, reason").Scan(&st.Reasons).Error; err != nil {
		return err
	}
	var rows []struct {
		ID                 uint
		StartAt, UpdatedAt time.Time
		Car, Plate, Person string
		RejectReason       string
	}
	if err := q.Table("bookings b").
		Select("b.id, b.start_at, b.updated_at, r.name AS car, r.plate, p.name AS person, b.reject_reason").
		Joins("JOIN booking_resources r ON r.id = b.resource_id").
		Joins("JOIN people p ON p.id = b.person_id").
		Where("b.status = ? AND b.start_at >= ? AND b.start_at < ?", StatusRejected, from, to).
		Order("b.start_at DESC, b.id DESC").Limit(rejectedLimit).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		car := r.Car
		if r.Plate != "" {
			car += " (" + r.Plate + ")"
		}
		st.Rejected = append(st.Rejected, RejectedRow{ID: r.ID, StartAt: r.StartAt, Car: car, Person: r.Person, Reason: r.RejectReason, Decision: r.UpdatedAt})
	}
	return nil
}
