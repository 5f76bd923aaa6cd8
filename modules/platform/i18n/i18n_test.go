package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Every key must exist in every language, file by file.
func TestCatalogsComplete(t *testing.T) {
	keys, err := Keys()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]map[string]bool{}
	for lang, list := range keys {
		have[lang] = map[string]bool{}
		for _, k := range list {
			have[lang][k] = true
		}
	}
	for _, a := range Langs {
		for _, b := range Langs {
			for k := range have[a] {
				if !have[b][k] {
					t.Errorf("key %s is in the %s catalog but not in %s", k, a, b)
				}
			}
		}
	}
	if len(have["hu"]) < 100 {
		t.Errorf("hu catalog has %d keys; the catalogs did not load", len(have["hu"]))
	}
}

// Every literal key a template or Go file asks for must exist, so no page shows a raw key.
func TestUsedKeysExist(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	keyRe := regexp.MustCompile(`"((?:nav|app|form|validation|pager|error|login|dashboard|people|departments|import|profile|calendar|holiday|audit|role|service|channel|month|weekday|approval|leave|notify|email|jobs)\.[a-z0-9_.]+)"`)
	root := filepath.Join("..", "..", "..")
	for _, dir := range []string{"views", "modules"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
				return err
			}
			if !strings.HasSuffix(path, ".html") && !strings.HasSuffix(path, ".go") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, line := range strings.Split(string(src), "\n") {
				for _, m := range keyRe.FindAllStringSubmatch(line, -1) {
					if isAuditAction(m[1]) || strings.HasSuffix(m[1], ".") || strings.HasSuffix(m[1], "_") {
						continue // an action code, or the stem of a key built at run time
					}
					for _, l := range Langs {
						if got := c.T(l, m[1]); got == m[1] {
							t.Errorf("%s uses %q, missing in %s", path, m[1], l)
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// auditActions are the prefixes of audit action codes ("people.person.create"),
// which look like message keys but are shown as they are.
var auditActions = []string{"people.person.", "people.department.", "people.demo.", "calendar.override.", "approval.request.",
	"leave.adjustment.", "leave.allocation.", "leave.carryover", "leave.plan.add", "leave.plan.remove", "leave.request.", "leave.type.create", "leave.type.update",
	"jobs.run", "notify.mail.", "notify.deliver", "approval.remind", "approval.digest", "leave.new_year", "leave.check_balances", "leave.autumn_reminder", "jobs.prune"}

func isAuditAction(key string) bool {
	for _, p := range auditActions {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

func TestT(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"en", "people.created", []any{"Name", "Kiss Anna"}, "Kiss Anna was created."},
		{"hu", "people.created", []any{"Name", "Kiss Anna"}, "Kiss Anna létrejött."},
		{"en", "pager.total", []any{"Count", 1}, "1 item"},
		{"en", "pager.total", []any{"Count", 5}, "5 items"},
		{"hu", "pager.total", []any{"Count", 5}, "5 tétel"},
		// One string serves every count, 1 included (Hungarian calls it "one").
		{"hu", "booking.series.cancelled_following", []any{"Count", 1}, "A sorozat 1 alkalmát lemondtuk."},
		{"xx", "form.save", nil, "Mentés"}, // unknown language falls back to Hungarian
		{"en", "no.such.key", nil, "no.such.key"},
	}
	for _, tt := range tests {
		if got := c.T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %q, %v) = %q; want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	budapest, _ := time.LoadLocation("Europe/Budapest")
	if got := FormatDate("hu", 2026, time.March, 15); got != "2026. 03. 15." {
		t.Errorf("FormatDate(hu) = %q; want 2026. 03. 15.", got)
	}
	if got := FormatDate("en", 2026, time.March, 15); got != "15 Mar 2026" {
		t.Errorf("FormatDate(en) = %q; want 15 Mar 2026", got)
	}
	// 23:30 UTC on 28 March is already 29 March in Budapest (CET, +1).
	at := time.Date(2026, time.March, 28, 23, 30, 0, 0, time.UTC)
	if got := FormatDateTime("hu", at, budapest); got != "2026. 03. 29. 00:30" {
		t.Errorf("FormatDateTime(hu) = %q; want 2026. 03. 29. 00:30", got)
	}
	// After the spring change Budapest is UTC+2.
	if got := FormatDateTime("en", time.Date(2026, time.March, 29, 12, 0, 0, 0, time.UTC), budapest); got != "29 Mar 2026, 14:00" {
		t.Errorf("FormatDateTime(en) = %q; want 29 Mar 2026, 14:00", got)
	}
	nums := []struct {
		lang string
		n    float64
		dec  int
		want string
	}{
		{"en", 1234567.5, 1, "1,234,567.5"},
		{"hu", 1234567.5, 1, "1\u00a0234\u00a0567,5"},
		{"hu", -12, 0, "-12"},
		{"en", 999, 0, "999"},
		{"hu", -0.04, 1, "0,0"},
	}
	for _, tt := range nums {
		if got := FormatNumber(tt.lang, tt.n, tt.dec); got != tt.want {
			t.Errorf("FormatNumber(%q, %v, %d) = %q; want %q", tt.lang, tt.n, tt.dec, got, tt.want)
		}
	}
}

// Amounts read the same everywhere: no ",0" on whole numbers, thousands grouped.
func TestFormatFigure(t *testing.T) {
	tests := []struct {
		lang string
		n    float64
		want string
	}{
		{"hu", 2, "2"},
		{"hu", 2.0000001, "2"},
		{"hu", 2.5, "2,5"},
		{"en", 2.5, "2.5"},
		{"hu", 48210, "48\u00a0210"},
		{"en", 48210, "48,210"},
		{"hu", 1234.46, "1\u00a0234,5"},
		{"en", -20.5, "-20.5"},
		{"hu", 0, "0"},
	}
	for _, tt := range tests {
		if got := FormatFigure(tt.lang, tt.n); got != tt.want {
			t.Errorf("FormatFigure(%q, %v) = %q; want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := map[string]string{
		"en-GB,en;q=0.9":          "en",
		"hu-HU,hu;q=0.9,en;q=0.8": "hu",
		"de-DE,de;q=0.9,en;q=0.5": "en",
		"de":                      "",
		"":                        "",
	}
	for in, want := range tests {
		if got := Match(in); got != want {
			t.Errorf("Match(%q) = %q; want %q", in, got, want)
		}
	}
}
