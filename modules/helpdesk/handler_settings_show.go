package helpdesk

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// weekFromMonday is the order the settings form lists the days in.
var weekFromMonday = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// settingsDay is one weekday's row of the settings form.
type settingsDay struct {
	Field string // hours_1 (Monday)
	Key   string // weekday.mon
	Text  string // "07:30-16:00", "" when closed
}

// settingsTarget is one priority's row of targets, as typed ("4:00").
type settingsTarget struct {
	Priority                int
	ResponseField, ResField string
	Response, Resolve       string
}

// settingsForm is the queue settings form as typed, so it comes back unchanged.
type settingsForm struct {
	Lead    string
	Days    []settingsDay
	Targets []settingsTarget
}

func settingsFormOf(q *Queue) settingsForm {
	f := settingsForm{}
	if q.LeadID != nil {
		f.Lead = web.FormatID(*q.LeadID)
	}
	week := q.BusinessHours(time.UTC).Week
	for _, wd := range weekFromMonday {
		f.Days = append(f.Days, settingsDay{Field: HoursField(int(wd)), Key: weekdayKey(wd), Text: hoursText(week[wd])})
	}
	for i, t := range TargetsOf(q) {
		f.Targets = append(f.Targets, settingsTarget{Priority: i + 1, ResponseField: TargetField(i+1, "response"),
			ResField: TargetField(i+1, "resolve"), Response: minutesText(t[0]), Resolve: minutesText(t[1])})
	}
	return f
}

func parseSettingsForm(c *fiber.Ctx) settingsForm {
	f := settingsForm{Lead: c.FormValue("lead")}
	for _, wd := range weekFromMonday {
		field := HoursField(int(wd))
		f.Days = append(f.Days, settingsDay{Field: field, Key: weekdayKey(wd), Text: c.FormValue(field)})
	}
	for p := 1; p <= 4; p++ {
		rf, sf := TargetField(p, "response"), TargetField(p, "resolve")
		f.Targets = append(f.Targets, settingsTarget{Priority: p, ResponseField: rf, ResField: sf,
			Response: c.FormValue(rf), Resolve: c.FormValue(sf)})
	}
	return f
}

// input reads the typed values; the service checks their ranges.
func (f settingsForm) input() (QueueSettingsInput, web.Errors) {
	errs := web.Errors{}
	in := QueueSettingsInput{LeadID: web.ParseOptionalID(f.Lead, "lead", errs)}
	for i, d := range f.Days {
		h, ok := parseHours(d.Text)
		if !ok {
			errs.Add(d.Field, "helpdesk.settings.err.hours")
			continue
		}
		in.Week[weekFromMonday[i]] = h
	}
	for i, t := range f.Targets {
		for k, v := range map[string]string{t.ResponseField: t.Response, t.ResField: t.Resolve} {
			n, ok := parseMinutes(v)
			if !ok {
				errs.Add(k, "helpdesk.settings.err.target_format")
				continue
			}
			if k == t.ResponseField {
				in.Targets[i][0] = n
			} else {
				in.Targets[i][1] = n
			}
		}
	}
	return in, errs
}

func weekdayKey(wd time.Weekday) string { return "weekday." + strings.ToLower(wd.String()[:3]) }

// hoursText writes a day's hours as the form shows them: "07:30-16:00", "" closed.
func hoursText(h calendar.Hours) string {
	if h.From >= h.To {
		return ""
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", h.From/60, h.From%60, h.To/60, h.To%60)
}

// parseHours reads "07:30-16:00" (or "7:30–16"), "" or "-" for closed.
func parseHours(s string) (calendar.Hours, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "–", "-"))
	if s == "" || s == "-" {
		return calendar.Hours{}, true
	}
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return calendar.Hours{}, false
	}
	f, ok1 := parseClock(from)
	t, ok2 := parseClock(to)
	if !ok1 || !ok2 || f >= t {
		return calendar.Hours{}, false
	}
	return calendar.Hours{From: f, To: t}, true
}

// parseClock reads "7", "7:30" or "07:30" as minutes after midnight, up to 24:00.
func parseClock(s string) (int, bool) {
	s = strings.TrimSpace(s)
	hh, mm, _ := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hh)
	m := 0
	var err2 error
	if mm != "" {
		m, err2 = strconv.Atoi(mm)
	}
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, false
	}
	return h*60 + m, true
}

// minutesText writes business minutes as "8:30".
func minutesText(n int) string { return fmt.Sprintf("%d:%02d", n/60, n%60) }

// parseMinutes reads "8:30", "8" (hours) or "-1:00" as minutes; a negative
// value reads, so the service can say what is wrong with it.
func parseMinutes(s string) (int, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	hh, mm, _ := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hh)
	m := 0
	var err2 error
	if mm != "" {
		m, err2 = strconv.Atoi(mm)
	}
	if err1 != nil || err2 != nil || h < 0 || h > 100000 || m < 0 || m > 59 {
		return 0, false
	}
	n := h*60 + m
	if neg {
		n = -n
	}
	return n, true
}

// categoryForm is the add-a-category form as typed.
type categoryForm struct{ NameHU, NameEN string }

// handleSettingsList lists the queues the viewer may set up; with one, it
// goes straight to it.
func (m *Module) handleSettingsList(c *fiber.Ctx) error {
	qs, err := m.svc.SettableQueues(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	if len(qs) == 0 {
		return ErrSettingsForbidden
	}
	if len(qs) == 1 {
		return c.Redirect("/helpdesk/settings/"+qs[0].Key, fiber.StatusSeeOther)
	}
	lang := web.LangOf(c)
	type entry struct{ Key, Name, Hours string }
	var list []entry
	for _, q := range qs {
		list = append(list, entry{Key: q.Key, Name: q.Name(lang)})
	}
	return web.Render(c, "helpdesk/settings_list", web.Page{Title: "helpdesk.settings.title", Data: fiber.Map{"Queues": list}})
}

// handleSettingsShow is one queue's settings: lead, hours, targets, categories.
func (m *Module) handleSettingsShow(c *fiber.Ctx) error {
	setup, err := m.svc.QueueSettings(c.UserContext(), web.ActorOf(c), c.Params("key"))
	if err != nil {
		return err
	}
	return m.renderSettings(c, setup, settingsFormOf(&setup.Queue), categoryForm{}, nil, fiber.StatusOK)
}

// renderSettings shows the settings page with the forms as given.
func (m *Module) renderSettings(c *fiber.Ctx, setup *QueueSetup, f settingsForm, cf categoryForm, e web.Errors, status int) error {
	lang := web.LangOf(c)
	leads := make([]web.Option, len(setup.Staff))
	for i, p := range setup.Staff {
		leads[i] = web.Option{Value: web.FormatID(p.ID), Label: p.Name}
	}
	return web.RenderForm(c, "helpdesk/settings", web.Page{
		Title: "helpdesk.settings.title", Form: f, Errors: e, Status: status,
		Data: fiber.Map{"Queue": setup.Queue, "Name": setup.Queue.Name(lang), "Leads": leads,
			"Categories": setup.Categories, "Used": setup.Used, "Lang": lang, "Category": cf},
	})
}

// reshow renders the settings page again after a refused post, keeping what
// was typed in the form that was sent.
func (m *Module) reshow(c *fiber.Ctx, f *settingsForm, cf categoryForm, e web.Errors) error {
	setup, err := m.svc.QueueSettings(c.UserContext(), web.ActorOf(c), c.Params("key"))
	if err != nil {
		return err
	}
	form := settingsFormOf(&setup.Queue)
	if f != nil {
		form = *f
	}
	return m.renderSettings(c, setup, form, cf, e, fiber.StatusUnprocessableEntity)
}

// isInvalid reports whether err is a refusal of what was typed.
func isInvalid(err error) bool { return errs.KindOf(err) == errs.Invalid }
