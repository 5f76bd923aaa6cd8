package appointments

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// setupChecked reads a checkbox.
func setupChecked(c *fiber.Ctx, name string) bool { return c.FormValue(name) != "" }

// officeForm is the office form as typed, so it comes back unchanged.
type officeForm struct {
	Name, Address, Directions, Accessibility, Phone, Email string
	DirectionsEN, AccessibilityEN                          string
	Active                                                 bool
}

func parseOfficeForm(c *fiber.Ctx) officeForm {
	return officeForm{Name: c.FormValue("name"), Address: c.FormValue("address"), Directions: c.FormValue("directions"),
		Accessibility: c.FormValue("accessibility"), Phone: c.FormValue("phone"), Email: c.FormValue("email"),
		DirectionsEN: c.FormValue("directions_en"), AccessibilityEN: c.FormValue("accessibility_en"),
		Active: setupChecked(c, "active")}
}

func officeFormOf(o *Office) officeForm {
	return officeForm{Name: o.Name, Address: o.Address, Directions: o.Directions, Accessibility: o.Accessibility,
		Phone: o.Phone, Email: o.Email, DirectionsEN: o.DirectionsEN, AccessibilityEN: o.AccessibilityEN, Active: o.Active}
}

func (f officeForm) input() OfficeInput { return OfficeInput(f) }

// deskDay is one weekday's row of the desk form.
type deskDay struct {
	Field string // "hours_1"
	Day   time.Weekday
	Text  string
}

// Key is the weekday's translation key: "weekday.mon".
func (d deskDay) Key() string { return setupWeekdayKey(d.Day) }

func setupWeekdayKey(wd time.Weekday) string { return "weekday." + strings.ToLower(wd.String()[:3]) }

// deskForm is the desk form as typed: the week's hours stay as written.
type deskForm struct {
	Name      string
	Active    bool
	CaseTypes []string
	Days      []deskDay // Monday first
}

func parseDeskForm(c *fiber.Ctx) deskForm {
	f := deskForm{Name: c.FormValue("name"), Active: setupChecked(c, "active")}
	if args := c.Request().PostArgs(); args != nil {
		for _, v := range args.PeekMulti("case_types") {
			f.CaseTypes = append(f.CaseTypes, string(v))
		}
	}
	for _, wd := range WeekdaysFromMonday {
		field := HoursField(wd)
		f.Days = append(f.Days, deskDay{Field: field, Day: wd, Text: c.FormValue(field)})
	}
	return f
}

func deskFormOf(d *DeskRow) deskForm {
	f := deskForm{Name: d.Name, Active: d.Active}
	for _, id := range d.CaseTypeIDs {
		f.CaseTypes = append(f.CaseTypes, web.FormatID(id))
	}
	for _, wd := range WeekdaysFromMonday {
		f.Days = append(f.Days, deskDay{Field: HoursField(wd), Day: wd, Text: FormatHoursSpans(d.Hours[wd])})
	}
	return f
}

// newDeskForm is an empty desk open on weekday mornings, to edit from.
func newDeskForm() deskForm {
	f := deskForm{Active: true}
	for _, wd := range WeekdaysFromMonday {
		text := ""
		if wd != time.Saturday && wd != time.Sunday {
			text = "08:00-12:00"
		}
		f.Days = append(f.Days, deskDay{Field: HoursField(wd), Day: wd, Text: text})
	}
	return f
}

// input reads the typed week; each day that does not read gets its message.
func (f deskForm) input() (DeskInput, web.Errors) {
	errs := web.Errors{}
	in := DeskInput{Name: web.Required(f.Name, "name", errs), Active: f.Active}
	for _, v := range f.CaseTypes {
		if id := web.ParseID(v, "case_types", errs); id != 0 {
			in.CaseTypeIDs = append(in.CaseTypeIDs, id)
		}
	}
	for _, d := range f.Days {
		spans, err := ParseHoursSpans(d.Text)
		if err != nil {
			errs.Add(d.Field, hoursMessages[err], "Max", maxSpans)
			continue
		}
		in.Hours[d.Day] = spans
	}
	return in, errs
}

// exceptionForm is the desk exception form as typed; its fields are named
// ex_… so they never meet the desk form's on the same page.
type exceptionForm struct {
	From, To, Kind, Hours, Reason string
}

func parseExceptionForm(c *fiber.Ctx) exceptionForm {
	return exceptionForm{From: c.FormValue("ex_from"), To: c.FormValue("ex_to"), Kind: c.FormValue("ex_kind"),
		Hours: c.FormValue("ex_hours"), Reason: c.FormValue("ex_reason")}
}

func (f exceptionForm) input() (ExceptionInput, web.Errors) {
	errs := web.Errors{}
	in := ExceptionInput{Kind: f.Kind, Hours: f.Hours, Reason: f.Reason}
	in.From = calendar.ParseDateField(f.From, "ex_from", errs)
	in.To = calendar.ParseOptionalDateField(f.To, "ex_to", errs)
	return in, errs
}

// caseTypeForm is the case type form as typed.
type caseTypeForm struct {
	NameHU, NameEN, PurposeHU, PurposeEN, DocumentsHU, DocumentsEN, FeeHU, FeeEN string
	Minutes, HorizonDays, LeadDays, LeadMinutes, MaxPerEmail                     string
	HoldMinutes, BlockMinutes, Order                                             string
	Active, Online, MustConfirm                                                  bool
}

func parseCaseTypeForm(c *fiber.Ctx) caseTypeForm {
	v := c.FormValue
	return caseTypeForm{
		NameHU: v("name_hu"), NameEN: v("name_en"), PurposeHU: v("purpose_hu"), PurposeEN: v("purpose_en"),
		DocumentsHU: v("documents_hu"), DocumentsEN: v("documents_en"), FeeHU: v("fee_hu"), FeeEN: v("fee_en"),
		Minutes: v("minutes"), HorizonDays: v("horizon_days"), LeadDays: v("lead_days"), LeadMinutes: v("lead_minutes"),
		MaxPerEmail: v("max_per_email"), HoldMinutes: v("hold_minutes"), BlockMinutes: v("block_minutes"), Order: v("order"),
		Active: setupChecked(c, "active"), Online: setupChecked(c, "online"), MustConfirm: setupChecked(c, "must_confirm"),
	}
}

func caseTypeFormOf(t *CaseType) caseTypeForm {
	n := strconv.Itoa
	return caseTypeForm{
		NameHU: t.NameHU, NameEN: t.NameEN, PurposeHU: t.PurposeHU, PurposeEN: t.PurposeEN,
		DocumentsHU: t.DocumentsHU, DocumentsEN: t.DocumentsEN, FeeHU: t.FeeHU, FeeEN: t.FeeEN,
		Minutes: n(t.Minutes), HorizonDays: n(t.HorizonDays), LeadDays: n(t.LeadDays), LeadMinutes: n(t.LeadMinutes),
		MaxPerEmail: n(t.MaxPerEmail), HoldMinutes: n(t.HoldMinutes), BlockMinutes: n(t.BlockMinutes), Order: n(t.Order),
		Active: t.Active, Online: t.Online, MustConfirm: t.MustConfirm,
	}
}

// newCaseTypeForm has the model's defaults, placed after the other types.
func newCaseTypeForm(order int) caseTypeForm {
	return caseTypeForm{Minutes: "20", HorizonDays: "30", LeadDays: "1", LeadMinutes: "60", MaxPerEmail: "1",
		HoldMinutes: "60", BlockMinutes: "0", Order: strconv.Itoa(order), Active: true, Online: true}
}

// input reads the numbers; the service checks their ranges and the texts.
func (f caseTypeForm) input() (CaseTypeInput, web.Errors) {
	errs := web.Errors{}
	num := func(field, s string) int {
		if web.Required(s, field, errs) == "" {
			return 0
		}
		return web.ParseInt(s, field, math.MinInt, math.MaxInt, errs)
	}
	in := CaseTypeInput{
		NameHU: f.NameHU, NameEN: f.NameEN, PurposeHU: f.PurposeHU, PurposeEN: f.PurposeEN,
		DocumentsHU: f.DocumentsHU, DocumentsEN: f.DocumentsEN, FeeHU: f.FeeHU, FeeEN: f.FeeEN,
		Minutes: num("minutes", f.Minutes), HorizonDays: num("horizon_days", f.HorizonDays),
		LeadDays: num("lead_days", f.LeadDays), LeadMinutes: num("lead_minutes", f.LeadMinutes),
		MaxPerEmail: num("max_per_email", f.MaxPerEmail), HoldMinutes: num("hold_minutes", f.HoldMinutes),
		BlockMinutes: num("block_minutes", f.BlockMinutes), Order: num("order", f.Order),
		Active: f.Active, Online: f.Online, MustConfirm: f.MustConfirm,
	}
	return in, errs
}
