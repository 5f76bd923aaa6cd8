package appointments

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// Errors of the setup pages that are not about one field.
var (
	ErrHasAppointments = errs.New(errs.Conflict, "appointments: the office has appointments; deactivate it instead")
	ErrNoDesk          = errs.New(errs.NotFound, "appointments: no such desk")
	ErrNoException     = errs.New(errs.NotFound, "appointments: no such desk exception")
)

// Errors of a typed list of opening hours ("08:00-12:00, 13:00-18:00"); the
// setup forms show each next to the field it came from.
var (
	ErrHoursFormat  = errs.New(errs.Invalid, "appointments: hours are written as 08:00-12:00, 13:00-18:00")
	ErrHoursRange   = errs.New(errs.Invalid, "appointments: hours lie between 00:00 and 24:00")
	ErrHoursOrder   = errs.New(errs.Invalid, "appointments: an interval ends before it starts")
	ErrHoursOverlap = errs.New(errs.Invalid, "appointments: intervals are in order and do not overlap")
	ErrHoursMany    = errs.New(errs.Invalid, "appointments: too many intervals in a day")
)

// maxSpans is the most intervals one day may have; more is a typing accident.
const maxSpans = 12

// hoursMessages are the message keys of the hours errors.
var hoursMessages = map[error]string{
	ErrHoursFormat:  "appointments.setup.error.hours_format",
	ErrHoursRange:   "appointments.setup.error.hours_range",
	ErrHoursOrder:   "appointments.setup.error.hours_order",
	ErrHoursOverlap: "appointments.setup.error.hours_overlap",
	ErrHoursMany:    "appointments.setup.error.hours_many",
}

// setupMayAdmin refuses anyone but an administrator: the setup decides where and
// when citizens can book at all.
func setupMayAdmin(a actor.Actor) error {
	if a.ID == 0 || !a.Has(AdminRoles...) {
		return ErrForbidden
	}
	return nil
}

// HoursSpan is one opening interval, in minutes after local midnight; To may be 1440.
type HoursSpan struct{ From, To int }

// ParseHoursSpans reads opening hours as people type them: intervals
// separated by commas or semicolons, each "08:00-12:00" (also "8-12",
// "8.00–12.00"). They must lie within 00:00–24:00, each end after its
// start, in order and without overlapping; empty text is a closed day.
func ParseHoursSpans(text string) ([]HoursSpan, error) {
	var out []HoursSpan
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ends := strings.FieldsFunc(part, func(r rune) bool { return r == '-' || r == '–' || r == '—' })
		if len(ends) != 2 {
			return nil, ErrHoursFormat
		}
		from, err := setupParseClock(ends[0])
		if err != nil {
			return nil, err
		}
		to, err := setupParseClock(ends[1])
		if err != nil {
			return nil, err
		}
		out = append(out, HoursSpan{from, to})
	}
	return out, checkSpans(out)
}

// checkSpans is the rule for a day's intervals, whoever built them.
func checkSpans(spans []HoursSpan) error {
	if len(spans) > maxSpans {
		return ErrHoursMany
	}
	for i, s := range spans {
		if s.From < 0 || s.To > 24*60 || s.From >= 24*60 {
			return ErrHoursRange
		}
		if s.To <= s.From {
			return ErrHoursOrder
		}
		if i > 0 && s.From < spans[i-1].To {
			return ErrHoursOverlap
		}
	}
	return nil
}

// setupParseClock reads "8", "08:00", "8.30" as minutes after midnight; 24:00 is the day's end.
func setupParseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	hs, ms, found := strings.Cut(s, ":")
	if !found {
		hs, ms, found = strings.Cut(s, ".")
	}
	if !found {
		ms = "00"
	}
	if !setupDigits(hs, 1, 2) || !setupDigits(ms, 2, 2) {
		return 0, ErrHoursFormat
	}
	h, _ := strconv.Atoi(hs)
	m, _ := strconv.Atoi(ms)
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, ErrHoursRange
	}
	return h*60 + m, nil
}

func setupDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatHoursSpans writes intervals back as the forms take them: "08:00-12:00, 13:00-18:00".
func FormatHoursSpans(spans []HoursSpan) string { return setupFormatSpans(spans, "-", ", ") }

// FormatHoursText is FormatHoursSpans for reading: "08:00–12:00, 13:00–18:00".
func FormatHoursText(spans []HoursSpan) string { return setupFormatSpans(spans, "–", ", ") }

func setupFormatSpans(spans []HoursSpan, dash, sep string) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = setupClock(s.From) + dash + setupClock(s.To)
	}
	return strings.Join(parts, sep)
}

func setupClock(m int) string {
	h, mm := m/60, m%60
	return string([]byte{byte('0' + h/10), byte('0' + h%10), ':', byte('0' + mm/10), byte('0' + mm%10)})
}

// setupText trims s and refuses it when required and empty or longer than max runes.
func setupText(problems *[]error, field, s string, max int, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case required && s == "":
		*problems = append(*problems, web.NewFieldError(field, web.MsgRequired))
	case utf8.RuneCountInString(s) > max:
		*problems = append(*problems, web.NewFieldError(field, "validation.too_long"))
	case !web.ValidText(s, max):
		*problems = append(*problems, web.NewFieldError(field, "validation.invalid"))
	}
	return s
}

// setupRange refuses n outside [min, max] with the form kit's message.
func setupRange(problems *[]error, field string, n, min, max int) int {
	if n < min || n > max {
		*problems = append(*problems, web.NewFieldError(field, web.MsgRange, "Min", min, "Max", max))
	}
	return n
}

// ---- Offices ----

// OfficeInput is an office as its form describes it.
type OfficeInput struct {
	Name, Address, Directions, Accessibility, Phone, Email string
	DirectionsEN, AccessibilityEN                          string
	Active                                                 bool
}

// OfficeRow is an office in the setup list, with its desks counted.
type OfficeRow struct {
	Office
	Desks, ActiveDesks int
}

// SetupOffices are every office, active or not, by name.
func (s *Service) SetupOffices(ctx context.Context, a actor.Actor) ([]OfficeRow, error) {
	if err := setupMayAdmin(a); err != nil {
		return nil, err
	}
	var offices []Office
	if err := s.db.R.WithContext(ctx).Order(s.db.ByName("name") + ", id").Find(&offices).Error; err != nil {
		return nil, err
	}
	var counts []struct {
		OfficeID uint
		N, Act   int
	}
	err := s.db.R.WithContext(ctx).Model(&Desk{}).
		Select("office_id, COUNT(*) AS n, SUM(CASE WHEN active THEN 1 ELSE 0 END) AS act").
		Group("office_id").Scan(&counts).Error
	if err != nil {
		return nil, err
	}
	out := make([]OfficeRow, len(offices))
	for i, o := range offices {
		out[i].Office = o
		for _, c := range counts {
			if c.OfficeID == o.ID {
				out[i].Desks, out[i].ActiveDesks = c.N, c.Act
			}
		}
	}
	return out, nil
}

// SetupOffice is one office, active or not, with its desks by name.
func (s *Service) SetupOffice(ctx context.Context, a actor.Actor, id uint) (*Office, []DeskRow, error) {
	if err := setupMayAdmin(a); err != nil {
		return nil, nil, err
	}
	var o Office
	if err := setupFind(s.db.R.WithContext(ctx), &o, id, ErrUnknownOffice); err != nil {
		return nil, nil, err
	}
	var desks []Desk
	if err := s.db.R.WithContext(ctx).Where("office_id = ?", id).Order(s.db.ByName("name") + ", id").Find(&desks).Error; err != nil {
		return nil, nil, err
	}
	rows, err := s.deskRows(ctx, desks)
	return &o, rows, err
}

// SaveOffice adds an office (id 0) or changes one.
func (s *Service) SaveOffice(ctx context.Context, a actor.Actor, id uint, in OfficeInput) (*Office, error) {
	defer s.SetupChanged() // the slots read the setup from memory
	if err := setupMayAdmin(a); err != nil {
		return nil, err
	}
	var problems []error
	o := Office{
		Name:            setupText(&problems, "name", in.Name, 200, true),
		Address:         setupText(&problems, "address", in.Address, 300, true),
		Directions:      setupText(&problems, "directions", in.Directions, 2000, false),
		Accessibility:   setupText(&problems, "accessibility", in.Accessibility, 2000, false),
		DirectionsEN:    setupText(&problems, "directions_en", in.DirectionsEN, 2000, false),
		AccessibilityEN: setupText(&problems, "accessibility_en", in.AccessibilityEN, 2000, false),
		Phone:           setupText(&problems, "phone", in.Phone, 50, false),
		Email:           setupText(&problems, "email", in.Email, 200, false),
		Active:          in.Active,
	}
	if o.Phone != "" && !setupPhoneLike(o.Phone) {
		problems = append(problems, web.NewFieldError("phone", "appointments.setup.error.phone"))
	}
	if o.Email != "" {
		if addr, err := mail.ParseAddress(o.Email); err != nil || addr.Address != o.Email {
			problems = append(problems, web.NewFieldError("email", "appointments.setup.error.email"))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if id == 0 {
			if err := tx.Create(&o).Error; err != nil {
				return err
			}
			return audit.Record(tx, a, "appointments.office.create", "appt_office", o.ID, nil, o)
		}
		var before Office
		if err := setupFind(tx, &before, id, ErrUnknownOffice); err != nil {
			return err
		}
		o.ID, o.CreatedAt, o.UpdatedAt = before.ID, before.CreatedAt, s.now()
		if err := tx.Select("*").Omit("id", "created_at").Updates(&o).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "appointments.office.update", "appt_office", o.ID, before, o)
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// DeleteOffice removes an office made by mistake, with its desks; one that
// ever had an appointment stays (ErrHasAppointments): deactivate it, so its
// statistics and history keep their place.
func (s *Service) DeleteOffice(ctx context.Context, a actor.Actor, id uint) (*Office, error) {
	defer s.SetupChanged() // the slots read the setup from memory
	if err := setupMayAdmin(a); err != nil {
		return nil, err
	}
	var o Office
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := setupFind(tx, &o, id, ErrUnknownOffice); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Appointment{}).Where("office_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrHasAppointments
		}
		desks := tx.Model(&Desk{}).Select("id").Where("office_id = ?", id)
		for _, m := range []any{&DeskHours{}, &DeskException{}, &DeskCaseType{}} {
			if err := tx.Where("desk_id IN (?)", desks).Delete(m).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("office_id = ?", id).Delete(&Desk{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Office{}, id).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "appointments.office.delete", "appt_office", o.ID, o, nil)
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// OfficeHasAppointments reports whether any appointment was ever made at
// the office, so the form offers deletion only when it can succeed.
func (s *Service) OfficeHasAppointments(ctx context.Context, id uint) (bool, error) {
	var n int64
	err := s.db.R.WithContext(ctx).Model(&Appointment{}).Where("office_id = ?", id).Count(&n).Error
	return n > 0, err
}

// setupPhoneLike allows what people write in a phone number: digits, spaces, + - / ( ).
func setupPhoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-/()", r):
		default:
			return false
		}
	}
	return digits >= 6
}

// setupFind reads row id into dst, or answers missing.
func setupFind(q *gorm.DB, dst any, id uint, missing error) error {
	res := q.Where("id = ?", id).Limit(1).Find(dst)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return missing
	}
	return nil
}

// ---- Desks ----

// DeskInput is a desk as its form describes it: Hours[time.Weekday] are
// that weekday's intervals, CaseTypeIDs the case types it serves.
type DeskInput struct {
	Name        string
	Active      bool
	CaseTypeIDs []uint
	Hours       [7][]HoursSpan
}

// DeskRow is a desk with its week and its case types, for lists and forms.
type DeskRow struct {
	Desk
	Hours       [7][]HoursSpan
	CaseTypeIDs []uint
}

// WeekText is the desk's week for a list: "Mon 08:00–12:00, 13:00–18:00" per
// open weekday, Monday first, with names from dayName.
func (d DeskRow) WeekText(dayName func(time.Weekday) string) []string {
	var out []string
	for _, wd := range WeekdaysFromMonday {
		if len(d.Hours[wd]) > 0 {
			out = append(out, dayName(wd)+" "+FormatHoursText(d.Hours[wd]))
		}
	}
	return out
}

// WeekdaysFromMonday is the order of a Hungarian week.
var WeekdaysFromMonday = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// deskRows adds each desk's hours and case types, two queries for all.
func (s *Service) deskRows(ctx context.Context, desks []Desk) ([]DeskRow, error) {
	out := make([]DeskRow, len(desks))
	if len(desks) == 0 {
		return out, nil
	}
	ids := make([]uint, len(desks))
	at := map[uint]int{}
	for i, d := range desks {
		ids[i], at[d.ID] = d.ID, i
		out[i].Desk = d
	}
	var hours []DeskHours
	if err := s.db.R.WithContext(ctx).Where("desk_id IN ?", ids).Order(`desk_id, weekday, "from"`).Find(&hours).Error; err != nil {
		return nil, err
	}
	for _, h := range hours {
		r := &out[at[h.DeskID]]
		r.Hours[h.Weekday] = append(r.Hours[h.Weekday], HoursSpan{h.From, h.To})
	}
	var links []DeskCaseType
	if err := s.db.R.WithContext(ctx).Where("desk_id IN ?", ids).Order("desk_id, case_type_id").Find(&links).Error; err != nil {
		return nil, err
	}
	for _, l := range links {
		r := &out[at[l.DeskID]]
		r.CaseTypeIDs = append(r.CaseTypeIDs, l.CaseTypeID)
	}
	return out, nil
}

// SetupDesk is one desk with its office, week, case types and exceptions
// (the newest first).
func (s *Service) SetupDesk(ctx context.Context, a actor.Actor, id uint) (*DeskRow, *Office, []DeskException, error) {
	if err := setupMayAdmin(a); err != nil {
		return nil, nil, nil, err
	}
	q := s.db.R.WithContext(ctx)
	var d Desk
	if err := setupFind(q, &d, id, ErrNoDesk); err != nil {
		return nil, nil, nil, err
	}
	var o Office
	if err := setupFind(q, &o, d.OfficeID, ErrUnknownOffice); err != nil {
		return nil, nil, nil, err
	}
	rows, err := s.deskRows(ctx, []Desk{d})
	if err != nil {
		return nil, nil, nil, err
	}
	var ex []DeskException
	if err := q.Where("desk_id = ?", id).Order(`"from" DESC, id DESC`).Find(&ex).Error; err != nil {
		return nil, nil, nil, err
	}
	return &rows[0], &o, ex, nil
}

// deskSnapshot is what the audit log keeps of a desk: the row, its week and its case types.
type deskSnapshot struct {
	Desk
	Hours     map[string]string `json:"hours"`
	CaseTypes []uint            `json:"case_types"`
}

func deskSnapshotOf(d Desk, hours [7][]HoursSpan, types []uint) deskSnapshot {
	snap := deskSnapshot{Desk: d, Hours: map[string]string{}, CaseTypes: types}
	for wd, spans := range hours {
		if len(spans) > 0 {
			snap.Hours[time.Weekday(wd).String()] = FormatHoursSpans(spans)
		}
	}
	return snap
}

// HoursField is the form field of a weekday's hours: "hours_1" for Monday.
func HoursField(wd time.Weekday) string { return "hours_" + strconv.Itoa(int(wd)) }

// SaveDesk adds a desk to office officeID (deskID 0) or changes desk deskID,
// with its week and case types in the same transaction: a desk is never seen
// half saved. Appointments already booked stay where they are; the front
// desk moves them when hours shrink.
func (s *Service) SaveDesk(ctx context.Context, a actor.Actor, officeID, deskID uint, in DeskInput) (*Desk, error) {
	defer s.SetupChanged() // the slots read the setup from memory
	if err := setupMayAdmin(a); err != nil {
		return nil, err
	}
	var problems []error
	d := Desk{Name: setupText(&problems, "name", in.Name, 100, true), Active: in.Active}
	for wd, spans := range in.Hours {
		if err := checkSpans(spans); err != nil {
			problems = append(problems, web.NewFieldError(HoursField(time.Weekday(wd)), hoursMessages[err], "Max", maxSpans))
		}
	}
	types := slices.Clone(in.CaseTypeIDs)
	slices.Sort(types)
	types = slices.Compact(types)
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if len(types) > 0 {
			if err := tx.Model(&CaseType{}).Where("id IN ?", types).Count(&n).Error; err != nil {
				return err
			}
		}
		if int(n) != len(types) {
			return web.NewFieldError("case_types", web.MsgChoice)
		}
		var before *deskSnapshot
		if deskID == 0 {
			var o Office
			if err := setupFind(tx, &o, officeID, ErrUnknownOffice); err != nil {
				return err
			}
			d.OfficeID = o.ID
			if err := tx.Create(&d).Error; err != nil {
				return err
			}
		} else {
			var old Desk
			if err := setupFind(tx, &old, deskID, ErrNoDesk); err != nil {
				return err
			}
			rows, err := s.deskRows(db.WithTx(ctx, tx), []Desk{old})
			if err != nil {
				return err
			}
			snap := deskSnapshotOf(old, rows[0].Hours, rows[0].CaseTypeIDs)
			before = &snap
			d.ID, d.OfficeID, d.CreatedAt, d.UpdatedAt = old.ID, old.OfficeID, old.CreatedAt, s.now()
			if err := tx.Select("*").Omit("id", "office_id", "created_at").Updates(&d).Error; err != nil {
				return err
			}
			if err := tx.Where("desk_id = ?", d.ID).Delete(&DeskHours{}).Error; err != nil {
				return err
			}
			if err := tx.Where("desk_id = ?", d.ID).Delete(&DeskCaseType{}).Error; err != nil {
				return err
			}
		}
		var hours []DeskHours
		for wd, spans := range in.Hours {
			for _, sp := range spans {
				hours = append(hours, DeskHours{DeskID: d.ID, Weekday: time.Weekday(wd), From: sp.From, To: sp.To})
			}
		}
		if len(hours) > 0 {
			if err := tx.Create(&hours).Error; err != nil {
				return err
			}
		}
		links := make([]DeskCaseType, len(types))
		for i, t := range types {
			links[i] = DeskCaseType{DeskID: d.ID, CaseTypeID: t}
		}
		if len(links) > 0 {
			if err := tx.Create(&links).Error; err != nil {
				return err
			}
		}
		after := deskSnapshotOf(d, in.Hours, types)
		if before == nil {
			return audit.Record(tx, a, "appointments.desk.create", "appt_desk", d.ID, nil, after)
		}
		return audit.Record(tx, a, "appointments.desk.update", "appt_desk", d.ID, *before, after)
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// ---- Desk exceptions ----

// ExceptionInput is a change of a desk's hours from From to To (both included).
type ExceptionInput struct {
	From, To calendar.Date
	Kind     string // ExceptionClosed or ExceptionHours
	Hours    string // for ExceptionHours, as typed
	Reason   string
}

// maxExceptionDays keeps an exception to about a year; longer is a change of the week.
const maxExceptionDays = 366

// AddException records that desk deskID is closed, or open on other hours,
// on the given days. Appointments already booked then stay, and their
// number comes back (affected), so the page can send the admin to the
// front desk to move them.
func (s *Service) AddException(ctx context.Context, a actor.Actor, deskID uint, in ExceptionInput) (ex *DeskException, affected int, err error) {
	defer s.SetupChanged() // the slots read the setup from memory
	if err := setupMayAdmin(a); err != nil {
		return nil, 0, err
	}
	var problems []error
	e := DeskException{DeskID: deskID, From: in.From, To: in.To, Kind: in.Kind,
		Reason: setupText(&problems, "reason", in.Reason, 200, false)}
	if e.To.IsZero() {
		e.To = e.From
	}
	switch {
	case e.From.IsZero():
		problems = append(problems, web.NewFieldError("from", web.MsgRequired))
	case e.To.Before(e.From):
		problems = append(problems, web.NewFieldError("to", "appointments.setup.error.to_before_from"))
	case e.From.DaysUntil(e.To) >= maxExceptionDays:
		problems = append(problems, web.NewFieldError("to", "appointments.setup.error.too_long_span", "Days", maxExceptionDays))
	}
	switch in.Kind {
	case ExceptionClosed:
	case ExceptionHours:
		spans, err := ParseHoursSpans(in.Hours)
		switch {
		case err != nil:
			problems = append(problems, web.NewFieldError("hours", hoursMessages[err], "Max", maxSpans))
		case len(spans) == 0:
			problems = append(problems, web.NewFieldError("hours", "appointments.setup.error.hours_needed"))
		}
		e.Hours = FormatHoursSpans(spans)
	default:
		problems = append(problems, web.NewFieldError("kind", web.MsgChoice))
	}
	if err := errors.Join(problems...); err != nil {
		return nil, 0, err
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		var d Desk
		if err := setupFind(tx, &d, deskID, ErrNoDesk); err != nil {
			return err
		}
		// One day has one rule: two exceptions on the same day would leave
		// the slots to whichever is read first.
		var clash int64
		if err := tx.Model(&DeskException{}).Where(`desk_id = ? AND "from" <= ? AND "to" >= ?`, deskID, e.To, e.From).
			Count(&clash).Error; err != nil {
			return err
		}
		if clash > 0 {
			return web.NewFieldError("from", "appointments.setup.error.exception_overlap")
		}
		if err := tx.Create(&e).Error; err != nil {
			return err
		}
		from, to := e.From.Start(s.tz), e.To.AddDays(1).Start(s.tz)
		var n int64
		if err := tx.Model(&Appointment{}).Where("desk_id = ? AND status IN ? AND start_at < ? AND end_at > ?",
			deskID, activeStatuses, to.UTC(), from.UTC()).Count(&n).Error; err != nil {
			return err
		}
		affected = int(n)
		return audit.Record(tx, a, "appointments.desk.exception_add", "appt_desk", deskID, nil, e)
	})
	if err != nil {
		return nil, 0, err
	}
	return &e, affected, nil
}

// Exception is one desk exception, for the delete confirmation.
func (s *Service) Exception(ctx context.Context, a actor.Actor, id uint) (*DeskException, *Desk, error) {
	if err := setupMayAdmin(a); err != nil {
		return nil, nil, err
	}
	var e DeskException
	if err := setupFind(s.db.R.WithContext(ctx), &e, id, ErrNoException); err != nil {
		return nil, nil, err
	}
	var d Desk
	if err := setupFind(s.db.R.WithContext(ctx), &d, e.DeskID, ErrNoDesk); err != nil {
		return nil, nil, err
	}
	return &e, &d, nil
}

// DeleteException removes a desk exception: the desk keeps its weekly hours on those days again.
func (s *Service) DeleteException(ctx context.Context, a actor.Actor, id uint) (*DeskException, error) {
	defer s.SetupChanged() // the slots read the setup from memory
	if err := setupMayAdmin(a); err != nil {
		return nil, err
	}
	var e DeskException
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := setupFind(tx, &e, id, ErrNoException); err != nil {
			return err
		}
		if err := tx.Delete(&DeskException{}, id).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "appointments.desk.exception_delete", "appt_desk", e.DeskID, e, nil)
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// ---- Case types ----

// CaseTypeInput is a case type as its form describes it.
type CaseTypeInput struct {
	NameHU, NameEN, PurposeHU, PurposeEN, DocumentsHU, DocumentsEN, FeeHU, FeeEN string
	Minutes, HorizonDays, LeadDays, LeadMinutes, MaxPerEmail                     int
	HoldMinutes, BlockMinutes, Order                                             int
	Active, Online, MustConfirm                                                  bool
}

// SetupCaseTypes are every case type, active or not, in their order.
func (s *Service) SetupCaseTypes(ctx context.Context, a actor.Actor) ([]CaseType, error) {
	if err := setupMayAdmin(a); err != nil {
		return nil, err
	}
	var out []CaseType
	return out, s.db.R.WithContext(ctx).Order(`"order", id`).Find(&out).Error
}

// SetupCaseType is one case type, active or not.
func (s *Service) SetupCaseType(ctx context.Context, a actor.Actor, id uint) (*CaseType, error) {
	if err := setupMayAdmin(a); err != nil {
		return nil, err
	}
	var t CaseType
	if err := setupFind(s.db.R.WithContext(ctx), &t, id, ErrUnknownType); err != nil {
		return nil, err
	}
	return &t, nil
}

// setupDocumentLines keeps one item per line, without blank lines or edge spaces.
func setupDocumentLines(s string) string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// SaveCaseType adds a case type (id 0) or changes one. The limits keep the
// booking pages sane: an appointment of 5 minutes to 8 hours, bookable up to
// a year ahead, at most 20 at once per email address.
func (s *Service) SaveCaseType(ctx context.Context, a actor.Actor, id uint, in CaseTypeInput) (*CaseType, error) {
	defer s.SetupChanged() // the slots read the setup from memory
	if err := setupMayAdmin(a); err != nil {
		return nil, err
	}
	var problems []error
	t := CaseType{
		NameHU:       setupText(&problems, "name_hu", in.NameHU, 200, true),
		NameEN:       setupText(&problems, "name_en", in.NameEN, 200, true),
		PurposeHU:    setupText(&problems, "purpose_hu", in.PurposeHU, 2000, false),
		PurposeEN:    setupText(&problems, "purpose_en", in.PurposeEN, 2000, false),
		DocumentsHU:  setupText(&problems, "documents_hu", setupDocumentLines(in.DocumentsHU), 4000, false),
		DocumentsEN:  setupText(&problems, "documents_en", setupDocumentLines(in.DocumentsEN), 4000, false),
		FeeHU:        setupText(&problems, "fee_hu", in.FeeHU, 500, false),
		FeeEN:        setupText(&problems, "fee_en", in.FeeEN, 500, false),
		Minutes:      setupRange(&problems, "minutes", in.Minutes, 5, 480),
		HorizonDays:  setupRange(&problems, "horizon_days", in.HorizonDays, 1, 365),
		LeadDays:     setupRange(&problems, "lead_days", in.LeadDays, 0, 30),
		LeadMinutes:  setupRange(&problems, "lead_minutes", in.LeadMinutes, 0, 1440),
		MaxPerEmail:  setupRange(&problems, "max_per_email", in.MaxPerEmail, 1, 20),
		HoldMinutes:  setupRange(&problems, "hold_minutes", in.HoldMinutes, 5, 1440),
		BlockMinutes: setupRange(&problems, "block_minutes", in.BlockMinutes, 0, 1440),
		Order:        setupRange(&problems, "order", in.Order, 0, 9999),
		Active:       in.Active, Online: in.Online, MustConfirm: in.MustConfirm,
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if id == 0 {
			if err := tx.Create(&t).Error; err != nil {
				return err
			}
			return audit.Record(tx, a, "appointments.case_type.create", "appt_case_type", t.ID, nil, t)
		}
		var before CaseType
		if err := setupFind(tx, &before, id, ErrUnknownType); err != nil {
			return err
		}
		t.ID, t.CreatedAt, t.UpdatedAt = before.ID, before.CreatedAt, s.now()
		if err := tx.Select("*").Omit("id", "created_at").Updates(&t).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "appointments.case_type.update", "appt_case_type", t.ID, before, t)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}
