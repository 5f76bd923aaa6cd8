package helpdesk

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/i18n"
)

func TestParseMinutes(t *testing.T) {
	cases := []struct {
		in   string
		want int
		ok   bool
	}{
		{"90", 90, true}, {" 1:30 ", 90, true}, {"0:45", 45, true}, {"1h30", 90, true}, {"1 ó 30 p", 90, true},
		{"1,5 h", 90, true}, {"1.5h", 90, true}, {"2 óra", 120, true}, {"45m", 45, true}, {"45 perc", 45, true},
		{"1h 30m", 90, true}, {"", 0, false}, {"abc", 0, false}, {"1:75", 0, false}, {"1 30", 0, false},
		{"-5", 0, false}, {"5 napig", 0, false}, {"h", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseMinutes(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseMinutes(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseForints(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12500", 12500, true}, {"12 500", 12500, true}, {"12.500 Ft", 12500, true}, {"86\u00a0000 Ft", 86000, true},
		{"0", 0, true}, {"-300", -300, true}, {"", 0, false}, {"sok", 0, false}, {"1,5", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseForints(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseForints(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestWorkLogSums: the ticket's time and parts cost follow every entry
// added and deleted, each change audited; only the author deletes, only on
// the day.
func TestWorkLogSums(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		tk := f.report(t, f.emp)
		must(t, f.s.Take(ctx, f.it1, tk.ID))
		e1, err := f.s.AddWork(ctx, f.it1, tk.ID, WorkInput{Text: "Toner cserélve", Minutes: 30,
			Parts: []PartInput{{Name: "toner", Quantity: 2, UnitCost: 24500}, {Name: "dobegység", Quantity: 1, UnitCost: 0}}})
		must(t, err)
		_, err = f.s.AddWork(ctx, f.it2, tk.ID, WorkInput{Text: "Próbanyomtatás", Minutes: 15})
		must(t, err)
		got := f.ticket(t, tk.ID)
		if got.WorkMins != 45 || got.PartsCost != 49000 {
			t.Fatalf("after two entries: %d min, %d Ft; want 45 min, 49000 Ft", got.WorkMins, got.PartsCost)
		}
		if n := f.count(t, &Part{}); n != 2 {
			t.Errorf("parts = %d; want 2", n)
		}
		w, err := f.s.Work(ctx, f.it2, tk.ID)
		must(t, err)
		if len(w.Entries) != 2 || w.Entries[0].Deletable || !w.Entries[1].Deletable || w.Entries[0].By != "Orsós Dániel" {
			t.Errorf("it2's view of the log: %+v; want two entries, only their own deletable", w.Entries)
		}
		if err := f.s.DeleteWork(ctx, f.it2, tk.ID, e1.ID); !errors.Is(err, ErrWorkNotOwn) {
			t.Errorf("it2 deletes it1's entry: %v; want ErrWorkNotOwn", err)
		}
		f.clock = f.clock.Add(24 * time.Hour)
		if err := f.s.DeleteWork(ctx, f.it1, tk.ID, e1.ID); !errors.Is(err, ErrWorkNotToday) {
			t.Errorf("deleting yesterday's entry: %v; want ErrWorkNotToday", err)
		}
		f.clock = f.clock.Add(-24 * time.Hour)
		must(t, f.s.DeleteWork(ctx, f.it1, tk.ID, e1.ID))
		got = f.ticket(t, tk.ID)
		if got.WorkMins != 15 || got.PartsCost != 0 || f.count(t, &Part{}) != 0 {
			t.Errorf("after deleting: %d min, %d Ft, %d parts; want 15 min, 0 Ft, none", got.WorkMins, got.PartsCost, f.count(t, &Part{}))
		}
		if err := f.s.DeleteWork(ctx, f.it1, tk.ID, e1.ID); !errors.Is(err, ErrWorkNotFound) {
			t.Errorf("deleting twice: %v; want ErrWorkNotFound", err)
		}
		var actions []string
		must(t, d.W.Model(&audit.Entry{}).Where("action LIKE ?", "helpdesk.work.%").Order("id").Pluck("action", &actions).Error)
		if len(actions) != 3 || actions[2] != "helpdesk.work.delete" {
			t.Errorf("audit = %v; want two adds and a delete", actions)
		}
	})
}

// TestWorkLogRefusals: only the queue's staff log work, on an open ticket,
// with a readable entry; every problem is told at once, part rows by row.
func TestWorkLogRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		tk := f.report(t, f.emp)
		in := WorkInput{Text: "Megnéztem", Minutes: 10}
		if _, err := f.s.AddWork(ctx, f.emp, tk.ID, in); !errors.Is(err, ErrForbidden) {
			t.Errorf("the reporter logs work: %v; want ErrForbidden", err)
		}
		if _, err := f.s.AddWork(ctx, f.fac, tk.ID, in); !errors.Is(err, ErrNotFound) {
			t.Errorf("maintenance staff log work on an IT ticket: %v; want ErrNotFound", err)
		}
		_, err := f.s.AddWork(ctx, f.it1, tk.ID, WorkInput{Text: " ", Minutes: 1441,
			Parts: []PartInput{{Name: "kábel", Quantity: 1, UnitCost: -5}, {Name: "", Quantity: 0, UnitCost: 1}}})
		var pe *PartError
		for _, want := range []error{ErrWorkText, ErrWorkMinutes, ErrPartCost, ErrPartName, ErrPartQuantity} {
			if !errors.Is(err, want) {
				t.Errorf("bad entry: %v; want it to hold %v", err, want)
			}
		}
		if !errors.As(err, &pe) || pe.Row != 0 || pe.Field != "cost" {
			t.Errorf("first part problem = %+v; want row 0's cost", pe)
		}
		if got := f.ticket(t, tk.ID); got.WorkMins != 0 || f.count(t, &WorkEntry{}) != 0 {
			t.Errorf("a refused entry changed the ticket: %d min", got.WorkMins)
		}
		must(t, f.s.ChangeState(ctx, f.it1, tk.ID, StateClosed, ""))
		if _, err := f.s.AddWork(ctx, f.it1, tk.ID, in); !errors.Is(err, ErrWorkClosedTick) {
			t.Errorf("work on a closed ticket: %v; want ErrWorkClosedTick", err)
		}
	})
}

// TestWorkKeysInBothLanguages: every sentence the work log, merge and
// purchase code and pages name exists in Hungarian and English, the ones
// put together from a code or state included.
func TestWorkKeysInBothLanguages(t *testing.T) {
	c, err := i18n.Load()
	must(t, err)
	keys := map[string]bool{}
	files, err := filepath.Glob("../../views/helpdesk/*.html")
	must(t, err)
	files = append(files, "worklog.go", "merge.go", "purchase.go", "routes_work.go",
		"handler_work_show.go", "handler_work_delete.go", "handler_merge_show.go", "handler_purchase_show.go")
	re := regexp.MustCompile(`"(helpdesk\.(?:work|merge|purchase)\.[a-z_.]*[a-z_])"`)
	for _, f := range files {
		base := filepath.Base(f)
		if strings.HasSuffix(f, ".html") && !strings.HasPrefix(base, "work") && !strings.HasPrefix(base, "merge") && !strings.HasPrefix(base, "purchase") {
			continue
		}
		src, err := os.ReadFile(f)
		must(t, err)
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			// Prefixes joined with a state (below) and audit actions are not sentences.
			if !strings.HasSuffix(m[1], "_") && m[1] != "helpdesk.purchase.request" {
				keys[m[1]] = true
			}
		}
	}
	for _, code := range append(ResolutionCodes, ResolvedDuplicate) {
		keys["helpdesk.work.code."+code] = true
	}
	for _, st := range []string{PurchasePending, PurchaseApproved, PurchaseRejected} {
		keys["helpdesk.purchase.state."+st] = true
	}
	for _, st := range []string{PurchaseApproved, PurchaseRejected} {
		for _, k := range []string{"comment_", "mail_title_", "mail_"} {
			keys["helpdesk.purchase."+k+st] = true
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys; the scan is broken", len(keys))
	}
	for k := range keys {
		for _, lang := range []string{"hu", "en"} {
			if got := c.T(lang, k, "Count", 2); got == k {
				t.Errorf("no %s sentence for %q", lang, k)
			}
		}
	}
}
