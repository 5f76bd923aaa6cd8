package training

import (
	"testing"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

func isoDay(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAddMonthsKeepsTheMonth(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-05", 12, "2027-03-05"},
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-12-15", 36, "2029-12-15"},
		{"2026-08-31", 6, "2027-02-28"},
	} {
		if got := AddMonths(isoDay(c.from), c.n).String(); got != c.want {
			t.Errorf("AddMonths(%s, %d) = %s; want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestDefaultValidUntil(t *testing.T) {
	on := isoDay("2026-03-05")
	for _, c := range []struct {
		t    Training
		want string
	}{
		{Training{Certificate: true, ValidMonths: 12}, "2027-03-05"},
		{Training{Certificate: true, ValidMonths: 0}, ""},   // valid for ever
		{Training{Certificate: false, ValidMonths: 12}, ""}, // no certificate
	} {
		got := defaultValidUntil(&c.t, on)
		if (c.want == "" && !got.IsZero()) || (c.want != "" && got.String() != c.want) {
			t.Errorf("defaultValidUntil(%+v) = %v; want %q", c.t, got, c.want)
		}
	}
}

// Each mandatory state, from the completions of the code.
func TestMandatoryStates(t *testing.T) {
	today := isoDay("2026-06-10")
	p := &people.Person{ID: 7}
	fire := Training{Code: "TUZ", Target: TargetEveryone, Certificate: true, ValidMonths: 12, DueBy: isoDay("2026-05-31")}
	later := Training{Code: "ADAT", Target: TargetEveryone, DueBy: isoDay("2026-07-15")}
	far := Training{Code: "ELS", Target: TargetEveryone} // due on the year's last day
	none := Training{Code: "VEZ", Target: TargetRoles, TargetList: "manager"}
	comp := func(code, on, until string) *codedCompletion {
		c := &codedCompletion{Code: code}
		c.CompletedOn = isoDay(on)
		if until != "" {
			c.ValidUntil = isoDay(until)
		}
		return c
	}
	for _, c := range []struct {
		name  string
		t     Training
		comps []*codedCompletion
		want  string
	}{
		{"not done, past due", fire, nil, MandatoryOverdue},
		{"certificate of last year still valid", fire, []*codedCompletion{comp("TUZ", "2025-11-01", "2026-11-01")}, MandatoryDone},
		{"certificate running out within 90 days", fire, []*codedCompletion{comp("TUZ", "2025-07-01", "2026-07-01")}, MandatoryExpiring},
		{"certificate expired", fire, []*codedCompletion{comp("TUZ", "2025-01-01", "2026-01-01")}, MandatoryOverdue},
		{"another code does not count", fire, []*codedCompletion{comp("ADAT", "2026-02-01", "")}, MandatoryOverdue},
		{"due within 90 days", later, nil, MandatoryDueSoon},
		{"without certificate, done this year", later, []*codedCompletion{comp("ADAT", "2026-02-01", "")}, MandatoryDone},
		{"without certificate, done last year", later, []*codedCompletion{comp("ADAT", "2025-02-01", "")}, MandatoryDueSoon},
		{"due at the year's end", far, nil, MandatoryOpen},
	} {
		items := mandatoryFor([]Training{c.t, none}, p, nil, c.comps, 2026, today, 90)
		if len(items) != 1 {
			t.Fatalf("%s: %d items; want 1 (the roles' training does not cover the person)", c.name, len(items))
		}
		if items[0].State != c.want {
			t.Errorf("%s: state %s; want %s", c.name, items[0].State, c.want)
		}
	}
}

func TestPersonLight(t *testing.T) {
	red := []MandatoryItem{{State: MandatoryOverdue}}
	amber := []MandatoryItem{{State: MandatoryDueSoon}, {State: MandatoryDone}}
	civil, other := Profile{CivilServant: true}, Profile{CivilServant: false}
	for _, c := range []struct {
		items  []MandatoryItem
		prof   Profile
		points Light
		want   Light
	}{
		{nil, civil, Green, Green},
		{amber, civil, Green, Amber},
		{amber, civil, Red, Red},
		{red, civil, Amber, Red},
		{nil, other, Red, Green}, // the points rules do not apply
	} {
		if got := personLight(c.items, c.prof, PointsStanding{Light: c.points}); got != c.want {
			t.Errorf("personLight(%v, %v, %s) = %s; want %s", c.items, c.prof.CivilServant, c.points, got, c.want)
		}
	}
}

func TestImportCells(t *testing.T) {
	for in, want := range map[string]string{"2024-03-05": "2024-03-05", "2024.03.05.": "2024-03-05", "2024. 03. 05.": "2024-03-05",
		"2024-02-30": "", "05/03/2024": "", "": ""} {
		got := completionDay(in)
		if (want == "" && !got.IsZero()) || (want != "" && got.String() != want) {
			t.Errorf("completionDay(%q) = %v; want %q", in, got, want)
		}
	}
	for _, c := range []struct {
		in    string
		comma bool
		want  int
		ok    bool
	}{
		{"2", false, 120, true}, {"1,5", false, 90, true}, {"1.5", true, 90, true}, {"1,5", true, 0, false},
		{"-1", false, 0, false}, {"abc", false, 0, false}, {"100000", false, 0, false}, {"NaN", false, 0, false},
	} {
		got, ok := completionHours(c.in, c.comma)
		if ok != c.ok || (ok && (got == nil || *got != c.want)) {
			t.Errorf("completionHours(%q, %v) = %v, %v; want %d, %v", c.in, c.comma, got, ok, c.want, c.ok)
		}
	}
}

func TestCertificateSniffing(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"pdf", []byte("%PDF-1.7\n"), nil},
		{"png", png, nil},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), nil},
		{"html named .pdf", []byte("<!DOCTYPE html><script>alert(1)</script>"), ErrCertificateType},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), ErrCertificateType},
		{"empty", nil, ErrCertificateType},
		{"too large", append([]byte("%PDF-1.7\n"), make([]byte, MaxCertificateBytes)...), ErrCertificateTooLarge},
	} {
		up := web.Upload{Name: c.name, Data: c.data}
		if _, err := certificateRule.Check(&up); err != c.want {
			t.Errorf("%s: %v; want %v", c.name, err, c.want)
		}
	}
	if got := certificateRule.Name(&web.Upload{Name: `C:\scans\"tanúsítvány"` + "\n.pdf"}, "application/pdf", "certificate"); got != "tanúsítvány.pdf" {
		t.Errorf("the certificate's name = %q", got)
	}
}
