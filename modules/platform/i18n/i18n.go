// Package i18n holds Kapu's message catalogs (Hungarian and English) and formats
// dates and numbers the way each language writes them.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"sort"
	"strings"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Langs are the languages Kapu speaks, the default first.
var Langs = []string{"hu", "en"}

// LangNames are shown in language pickers, each in its own language.
var LangNames = map[string]string{"hu": "Magyar", "en": "English"}

//go:embed locales/*.json
var locales embed.FS

// Catalog translates message keys. Catalogs are split by area
// (locales/<area>.<lang>.json) so each service module keeps its own file.
type Catalog struct {
	locs map[string]*goi18n.Localizer
}

// Load reads every embedded catalog file.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.Hungarian)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(locales, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := b.LoadMessageFileFS(locales, f); err != nil {
			return nil, fmt.Errorf("catalog %s: %w", f, err)
		}
	}
	c := &Catalog{locs: map[string]*goi18n.Localizer{}}
	for _, l := range Langs {
		c.locs[l] = goi18n.NewLocalizer(b, l)
	}
	return c, nil
}

// T translates key into lang. Args are name/value pairs for the message's
// {{.Name}} placeholders; a "Count" pair also picks the plural form.
// A missing key comes back as the key itself so it is easy to spot.
func (c *Catalog) T(lang, key string, args ...any) string {
	loc, ok := c.locs[lang]
	if !ok {
		loc = c.locs[Langs[0]]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name := fmt.Sprint(args[i])
			data[name] = args[i+1]
			if name == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := loc.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// A message written as one string has only the "other" form, which
		// go-i18n will not use for a count its language calls "one" (1 in
		// Hungarian): such a message reads the same for every count.
		cfg.PluralCount = nil
		s, err = loc.Localize(cfg)
	}
	if err != nil {
		return key
	}
	return s
}

// Keys lists the message keys of each language, for the completeness test.
func Keys() (map[string][]string, error) {
	out := map[string][]string{}
	files, err := fs.Glob(locales, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		parts := strings.Split(strings.TrimSuffix(path.Base(f), ".json"), ".")
		lang := parts[len(parts)-1]
		raw, err := locales.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for k := range m {
			out[lang] = append(out[lang], parts[0]+":"+k)
		}
	}
	for l := range out {
		sort.Strings(out[l])
	}
	return out, nil
}

// Match picks the best supported language from an Accept-Language header,
// or "" when none of ours is named.
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return ""
	}
	for _, t := range tags {
		base, _ := t.Base()
		for _, l := range Langs {
			if base.String() == l {
				return l
			}
		}
	}
	return ""
}

var enMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// FormatDate writes a civil date: "2026. 03. 15." in Hungarian, "15 Mar 2026" in English.
func FormatDate(lang string, y int, m time.Month, d int) string {
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", d, enMonths[m-1], y)
	}
	return fmt.Sprintf("%d. %02d. %02d.", y, int(m), d)
}

// FormatDateTime writes an instant in loc with the date in the language's form and a 24-hour clock.
func FormatDateTime(lang string, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	sep := " "
	if lang == "en" {
		sep = ", "
	}
	return FormatDate(lang, t.Year(), t.Month(), t.Day()) + sep + t.Format("15:04")
}

// FormatFigure writes an amount the way every page, message and mail shows
// one: a whole number without decimals ("2", never "2,0"), anything else with
// one decimal ("2,5" in Hungarian, "2.5" in English), thousands grouped
// ("48 210" with a no-break space, "48,210").
func FormatFigure(lang string, n float64) string {
	r := math.Round(n*10) / 10
	if r == math.Trunc(r) {
		return FormatNumber(lang, r, 0)
	}
	return FormatNumber(lang, r, 1)
}

// FormatNumber writes n with the language's grouping and decimal marks and the
// given number of decimals: "1 234,5" in Hungarian, "1,234.5" in English.
func FormatNumber(lang string, n float64, decimals int) string {
	group, point := ",", "."
	if lang != "en" {
		group, point = "\u00a0", ","
	}
	s := fmt.Sprintf("%.*f", decimals, n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if strings.Trim(s, "0.") == "" {
		neg = false // -0.04 rounds to 0, not "-0"
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += point + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
