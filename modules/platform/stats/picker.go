package stats

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// Dates the picker accepts: outside them a date is a typing mistake (or an
// attack), not a period anybody keeps figures for.
const (
	minYear       = 2000
	maxYear       = 2100
	maxRangeYears = 3 // the longest range, so one request cannot ask for a century
)

// Picker is what a statistics page offers for choosing its period. The query
// parameters are period (the kind), day (any day of the week, month or year),
// year (when Years is set), and from/to (both days included) for a range.
type Picker struct {
	Path    string   // the page, which the form and the links point to
	Kinds   []string // the kinds offered, in the order the select lists them
	Default string   // the kind shown when none (or an unknown one) is asked for; "" for the first
	Years   []int    // when set, a year is chosen from these (a select) instead of by a day
	Keep    []string // other query parameters the links carry on (e.g. a department filter)
	Today   calendar.Date
	Submit  string // translation key of the form's button
}

// Form is the picker's fields as typed, shown again with any errors.
type Form struct {
	Kind, Day, Year, From, To string
}

// Choose reads the period from the query: an unknown kind or a year not
// offered means the default, a bad date, a range that ends before it starts
// or one longer than three years is an error against its field, and the
// period is then the default one.
func (pk Picker) Choose(q url.Values) (Period, Form, web.Errors) {
	errs := web.Errors{}
	kind := q.Get("period")
	if !slices.Contains(pk.Kinds, kind) {
		kind = pk.defaultKind()
	}
	f := Form{Kind: kind, Day: q.Get("day"), Year: q.Get("year"), From: q.Get("from"), To: q.Get("to")}
	date := func(field, s string) calendar.Date {
		d, err := calendar.ParseDate(s)
		if err != nil || d.Year < minYear || d.Year > maxYear {
			errs.Add(field, "validation.date")
			return calendar.Date{}
		}
		return d
	}

	var p Period
	switch {
	case kind == Range && f.From == "" && f.To == "":
		p = RangeOf(PeriodOf(Month, pk.Today).From, PeriodOf(Month, pk.Today).Last())
	case kind == Range:
		first, last := date("from", f.From), date("to", f.To)
		switch {
		case len(errs) > 0:
		case last.Before(first):
			errs.Add("to", "stats.error.order")
		case last.After(calendar.NewDate(first.Year+maxRangeYears, first.Month, first.Day).AddDays(-1)):
			errs.Add("to", "stats.error.too_long", "Years", maxRangeYears)
		default:
			p = RangeOf(first, last)
		}
	case kind == Year && len(pk.Years) > 0:
		y, err := strconv.Atoi(f.Year)
		if err != nil || !slices.Contains(pk.Years, y) {
			y = pk.Today.Year
		}
		p = PeriodOf(Year, calendar.NewDate(y, 1, 1))
	case f.Day != "":
		if d := date("day", f.Day); !d.IsZero() {
			p = PeriodOf(kind, d)
		}
	default:
		p = PeriodOf(kind, pk.Today)
	}
	if p.Kind == "" { // an error: the default period, the fields as typed
		p = pk.fallback()
	}
	if f.Day == "" {
		f.Day = pk.Today.String()
	}
	f.Year = strconv.Itoa(p.From.Year) // a select: what it shows is what is shown
	if _, bad := errs["from"]; !bad {
		if _, bad := errs["to"]; !bad {
			f.From, f.To = p.From.String(), p.Last().String()
		}
	}
	return p, f, errs
}

// fallback is the period shown when the one asked for is wrong: the default
// kind's period of today, or this month for a page that offers only ranges.
func (pk Picker) fallback() Period {
	if pk.defaultKind() == Range {
		m := PeriodOf(Month, pk.Today)
		return RangeOf(m.From, m.Last())
	}
	return PeriodOf(pk.defaultKind(), pk.Today)
}

func (pk Picker) defaultKind() string {
	if pk.Default != "" {
		return pk.Default
	}
	return pk.Kinds[0]
}

// Choice is the picked period with what the picker partial shows.
type Choice struct {
	Period Period
	Form   Form // the fields as typed
	Errors web.Errors

	Path, Submit          string
	Kinds                 []web.Option // nil when the page offers one kind
	Years                 []web.Option // nil when the year comes from a day
	ByDay, ByRange        bool         // whether the day field and the from/to fields are offered
	Label                 string       // the period in words
	Prev, Next            template.URL // "" when there is no such period to offer
	PrevLabel, NextLabel  string
	Filters               []Filter // further selects of the same form
	keep                  url.Values
	single, yearFromYears bool
}

// Filter is a select that narrows the figures, sent with the period.
type Filter struct {
	Name, Label, Value string // Label and Empty, Help are translation keys
	Options            []web.Option
	Empty, Help        string
}

// Parse reads the period from the request and prepares the picker.
func (pk Picker) Parse(c *fiber.Ctx) Choice {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	p, f, errs := pk.Choose(q)
	ch := Choice{Period: p, Form: f, Errors: errs, Path: pk.Path, Submit: pk.Submit,
		single: len(pk.Kinds) == 1, yearFromYears: len(pk.Years) > 0, keep: url.Values{}}
	for _, k := range pk.Keep {
		if v := q.Get(k); v != "" {
			ch.keep.Set(k, v)
		}
	}
	for _, k := range pk.Kinds {
		switch k {
		case Range:
			ch.ByRange = true
		case Year:
			ch.ByDay = ch.ByDay || !ch.yearFromYears
		default:
			ch.ByDay = true
		}
		if !ch.single {
			ch.Kinds = append(ch.Kinds, web.Option{Value: k, Label: web.T(c, "stats.period."+k)})
		}
	}
	if ch.yearFromYears {
		for _, y := range pk.Years {
			ch.Years = append(ch.Years, web.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
		}
	}
	ch.Label = Label(c, p)
	offered := func(o Period) bool {
		return o.From.Year >= minYear && o.Last().Year <= maxYear && (!ch.yearFromYears || o.Kind != Year || slices.Contains(pk.Years, o.From.Year))
	}
	if prev := p.Prev(); offered(prev) {
		ch.Prev, ch.PrevLabel = ch.Link(prev, nil), Label(c, prev)
	}
	if next := p.Next(); offered(next) {
		ch.Next, ch.NextLabel = ch.Link(next, nil), Label(c, next)
	}
	return ch
}

// Status is 422 when the period asked for was wrong, else 200.
func (ch Choice) Status() int {
	if len(ch.Errors) > 0 {
		return fiber.StatusUnprocessableEntity
	}
	return fiber.StatusOK
}

// Link is the page for period p with the kept parameters and extra ones
// (e.g. format=csv), for the previous/next and export links.
func (ch Choice) Link(p Period, extra url.Values) template.URL {
	v := url.Values{}
	for k, x := range ch.keep {
		v[k] = x
	}
	for k, x := range p.query(ch.yearFromYears) {
		if k != "period" || !ch.single {
			v.Set(k, x)
		}
	}
	for k, x := range extra {
		v[k] = x
	}
	return template.URL(ch.Path + "?" + v.Encode())
}

// Export is the link to this period's figures with extra parameters.
func (ch Choice) Export(extra url.Values) template.URL { return ch.Link(ch.Period, extra) }

// ExportLinks are the links Export answers for these tables: each table's
// CSV by its key, and the workbook of them all.
func (ch Choice) ExportLinks(ts []Table) (csv map[string]template.URL, xlsx template.URL) {
	csv = make(map[string]template.URL, len(ts))
	for _, t := range ts {
		csv[t.Key] = ch.Export(url.Values{"format": {"csv"}, "table": {t.Key}})
	}
	return csv, ch.Export(url.Values{"format": {"xlsx"}})
}

// Label writes a period in words in the request's language: "March 2026",
// "2026", or its first and last day.
func Label(c *fiber.Ctx, p Period) string {
	lang := web.LangOf(c)
	switch p.Kind {
	case Month:
		return web.T(c, "stats.label.month", "Year", p.From.Year, "Month", web.T(c, "month."+strconv.Itoa(int(p.From.Month))))
	case Year:
		return strconv.Itoa(p.From.Year)
	}
	return web.T(c, "stats.label.days", "From", i18n.FormatDate(lang, p.From.Year, p.From.Month, p.From.Day),
		"To", i18n.FormatDate(lang, p.Last().Year, p.Last().Month, p.Last().Day))
}
