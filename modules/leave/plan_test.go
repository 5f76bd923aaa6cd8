package leave

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// blockString writes blocks compactly for comparisons.
func blockString(bs []PlanBlock) string {
	s := ""
	for i, b := range bs {
		if i > 0 {
			s += " "
		}
		s += b.Start.String() + ".." + b.End.String() + "/" + b.TypeEN + "/" + itoa2(b.Days)
	}
	return s
}

func TestPlan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		ann := e.actor(e.ann)
		annual, study := e.typeByCode(t, "annual"), e.typeByCode(t, "study")

		// Easter 2026: Good Friday 3 April and Easter Monday 6 April are holidays,
		// so 1–9 April holds five working days, and stays one block.
		n, err := e.svc.PlanAdd(ctx, ann, e.ann.ID, teamDate(t, "2026-04-01"), teamDate(t, "2026-04-09"), annual.ID)
		if err != nil || n != 5 {
			t.Fatalf("PlanAdd over Easter = %d, %v; want 5 days", n, err)
		}
		blocks, err := e.svc.PlanBlocks(ctx, e.ann.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := blockString(blocks), "2026-04-01..2026-04-09/Annual leave/05"; got != want {
			t.Errorf("blocks = %s; want %s", got, want)
		}
		if _, err := e.svc.PlanAdd(ctx, ann, e.ann.ID, teamDate(t, "2026-04-01"), teamDate(t, "2026-04-09"), annual.ID); !errors.Is(err, ErrNothingToPlan) {
			t.Errorf("planning the same days again: %v; want ErrNothingToPlan", err)
		}

		// A different type breaks the block; a planned day may change type.
		if n, err := e.svc.PlanAdd(ctx, ann, e.ann.ID, teamDate(t, "2026-04-09"), teamDate(t, "2026-04-10"), study.ID); err != nil || n != 2 {
			t.Errorf("PlanAdd study = %d, %v; want 2", n, err)
		}
		blocks, _ = e.svc.PlanBlocks(ctx, e.ann.ID, 2026)
		if got, want := blockString(blocks), "2026-04-01..2026-04-08/Annual leave/04 2026-04-09..2026-04-10/Study leave/02"; got != want {
			t.Errorf("blocks after retyping = %s; want %s", got, want)
		}

		// Days inside a request are no longer planned: the block splits around them.
		e.submit(t, e.hr, e.ann, "annual", "2026-04-07", "2026-04-07")
		blocks, _ = e.svc.PlanBlocks(ctx, e.ann.ID, 2026)
		if got, want := blockString(blocks), "2026-04-01..2026-04-02/Annual leave/02 2026-04-08..2026-04-08/Annual leave/01 2026-04-09..2026-04-10/Study leave/02"; got != want {
			t.Errorf("blocks around a request = %s; want %s", got, want)
		}
		// … and a new plan skips requested days.
		if n, err := e.svc.PlanAdd(ctx, ann, e.ann.ID, teamDate(t, "2026-04-07"), teamDate(t, "2026-04-07"), annual.ID); !errors.Is(err, ErrNothingToPlan) {
			t.Errorf("planning a requested day = %d, %v; want ErrNothingToPlan", n, err)
		}

		// A block crossing New Year comes out whole from both years.
		if _, err := e.svc.PlanAdd(ctx, ann, e.ann.ID, teamDate(t, "2026-12-30"), teamDate(t, "2027-01-05"), annual.ID); err != nil {
			t.Fatal(err)
		}
		b26, _ := e.svc.PlanBlocks(ctx, e.ann.ID, 2026)
		b27, _ := e.svc.PlanBlocks(ctx, e.ann.ID, 2027)
		if len(b26) != 4 || len(b27) != 1 || b26[3] != b27[0] || b27[0].Start.String() != "2026-12-30" || b27[0].End.String() != "2027-01-05" {
			t.Errorf("new-year block: 2026 %s; 2027 %s", blockString(b26), blockString(b27))
		}

		// Removing a block removes exactly its days.
		if err := e.svc.PlanRemove(ctx, ann, e.ann.ID, teamDate(t, "2026-04-01"), teamDate(t, "2026-04-02")); err != nil {
			t.Fatal(err)
		}
		blocks, _ = e.svc.PlanBlocks(ctx, e.ann.ID, 2026)
		if len(blocks) != 3 || blocks[0].Start.String() != "2026-04-08" {
			t.Errorf("blocks after removing the first = %s", blockString(blocks))
		}

		// Bad ranges and other people's plans.
		bad := []struct {
			from, to string
			want     error
		}{
			{"2026-04-10", "2026-04-01", ErrReversed},
			{"2028-01-03", "2028-01-04", ErrOutsideWindow},
			{"2024-12-02", "2024-12-03", ErrOutsideWindow},
			{"2026-04-04", "2026-04-06", ErrNoWorkdays}, // Saturday to Easter Monday
		}
		for _, tt := range bad {
			if _, err := e.svc.PlanAdd(ctx, ann, e.ann.ID, teamDate(t, tt.from), teamDate(t, tt.to), annual.ID); !errors.Is(err, tt.want) {
				t.Errorf("PlanAdd %s..%s: %v; want %v", tt.from, tt.to, err, tt.want)
			}
		}
		if _, err := e.svc.PlanAdd(ctx, ann, e.ann.ID, teamDate(t, "2026-05-04"), teamDate(t, "2026-05-04"), 9999); !errors.Is(err, ErrUnknownType) {
			t.Errorf("PlanAdd with an unknown type: %v", err)
		}
		if _, err := e.svc.PlanAdd(ctx, e.actor(e.boss), e.ann.ID, teamDate(t, "2026-05-04"), teamDate(t, "2026-05-05"), annual.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("the manager planning for Ann: %v; want ErrForbidden", err)
		}
		if _, err := e.svc.PlanAdd(ctx, e.actor(e.hr), e.ann.ID, teamDate(t, "2026-05-04"), teamDate(t, "2026-05-05"), annual.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("HR planning for Ann: %v; want ErrForbidden", err)
		}
		if err := e.svc.PlanRemove(ctx, e.actor(e.boss), e.ann.ID, teamDate(t, "2026-04-08"), teamDate(t, "2026-04-10")); !errors.Is(err, ErrForbidden) {
			t.Errorf("the manager removing Ann's plan: %v; want ErrForbidden", err)
		}
		if blocks, _ := e.svc.PlanBlocks(ctx, e.ann.ID, 2026); len(blocks) != 3 {
			t.Errorf("refused changes changed the plan: %s", blockString(blocks))
		}

		// Every change is in the audit log.
		var adds, removes int64
		d.R.Model(&audit.Entry{}).Where("action = ? AND entity_id = ?", "leave.plan.add", strconv.FormatUint(uint64(e.ann.ID), 10)).Count(&adds)
		d.R.Model(&audit.Entry{}).Where("action = ? AND entity_id = ?", "leave.plan.remove", strconv.FormatUint(uint64(e.ann.ID), 10)).Count(&removes)
		if adds != 3 || removes != 1 {
			t.Errorf("audit rows: %d adds, %d removes; want 3 and 1", adds, removes)
		}
	})
}

func TestPlanYearGrid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newTeamEnv(t, d)
		if _, err := e.svc.PlanAdd(ctx, e.actor(e.ann), e.ann.ID, teamDate(t, "2026-04-01"), teamDate(t, "2026-04-02"), e.typeByCode(t, "annual").ID); err != nil {
			t.Fatal(err)
		}
		e.submit(t, e.ann, e.ann, "annual", "2026-05-05", "2026-05-05") // pending: Ann's head decides
		v, err := e.svc.PlanYear(ctx, e.ann.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		find := func(s string) PlanCell {
			day := teamDate(t, s)
			for _, w := range v.Months[day.Month-1].Weeks {
				for _, c := range w {
					if c.InMonth && c.Date == day {
						return c
					}
				}
			}
			t.Fatalf("%s is not in the grid", s)
			return PlanCell{}
		}
		tests := []struct {
			day, class string
		}{
			{"2026-03-02", "today"},
			{"2026-03-07", "off"},
			{"2026-03-15", "holiday"}, // a national holiday on a Sunday is named as the holiday
			{"2026-04-03", "holiday"},
			{"2026-04-01", "moved"},
			{"2026-05-05", ""},
		}
		for _, tt := range tests {
			if got := find(tt.day).Class(); got != tt.class {
				t.Errorf("%s class = %q; want %q", tt.day, got, tt.class)
			}
		}
		if c := find("2026-05-05"); c.Leave == nil || c.Leave.Status != StatusPending {
			t.Errorf("5 May = %+v; want Ann's pending request", c.Leave)
		}
		if len(v.Months) != 12 || len(v.Months[1].Weeks) != 5 || len(v.Blocks) != 1 {
			t.Errorf("grid: %d months, February in %d weeks, %d blocks; want 12, 5, 1", len(v.Months), len(v.Months[1].Weeks), len(v.Blocks))
		}
	})
}
