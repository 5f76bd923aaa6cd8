package training

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/people"
)

// A plan holds trainings of a published year the person may take, changes
// only as a draft (or rejected, which reopens it), and cannot be submitted
// empty or without an approval engine.
func TestSetPlanItemsRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newUnitService(t, d)
		ctx := context.Background()
		dept := people.Department{Name: "Hatósági Osztály"}
		other := people.Department{Name: "Pénzügyi Osztály"}
		d.W.Create(&dept)
		d.W.Create(&other)
		p := people.Person{Username: "papp", Name: "Papp Eszter", Email: "papp@kapu.test", Active: true, DepartmentID: &dept.ID}
		d.W.Create(&p)
		a := p.Actor()
		d.W.Create(&Catalogue{Year: 2026, Status: CataloguePublished})
		d.W.Create(&Catalogue{Year: 2027, Status: CatalogueDraft})
		mk := func(year int, code string, target, list string) uint {
			tr := Training{Year: year, Code: code, TitleHU: code, Kind: KindOnline, Target: target, TargetList: list, Active: true}
			if err := d.W.Create(&tr).Error; err != nil {
				t.Fatal(err)
			}
			return tr.ID
		}
		ours := mk(2026, "A", TargetDepartments, "\n "+itoaUint(dept.ID)+" \n")
		everyone := mk(2026, "B", TargetEveryone, "")
		theirs := mk(2026, "C", TargetDepartments, itoaUint(other.ID))
		nextYear := mk(2027, "A", TargetEveryone, "")

		cases := []struct {
			year int
			ids  []uint
			want error
		}{
			{2027, []uint{nextYear}, ErrPlanYear},
			{2026, []uint{nextYear}, ErrPlanTraining},
			{2026, []uint{theirs}, ErrPlanTraining},
			{2026, []uint{ours, 999}, ErrPlanTraining},
		}
		for _, c := range cases {
			if _, err := s.SetPlanItems(ctx, a, c.year, c.ids); !errors.Is(err, c.want) {
				t.Errorf("SetPlanItems(%d, %v) = %v; want %v", c.year, c.ids, err, c.want)
			}
		}
		if _, err := s.SubmitPlan(ctx, a, 2026); !errors.Is(err, ErrNoApproval) {
			t.Errorf("SubmitPlan without an engine = %v; want ErrNoApproval", err)
		}
		plan, err := s.SetPlanItems(ctx, a, 2026, []uint{ours, everyone, ours, 0})
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.PlanOf(ctx, a, a.ID, 2026)
		if err != nil || len(v.Trainings) != 2 || !v.Editable || !v.Has(ours) || !v.Has(everyone) {
			t.Fatalf("PlanOf = %+v, %v; want the two trainings, editable", v, err)
		}
		for _, status := range []string{PlanPending, PlanApproved} {
			d.W.Model(&Plan{}).Where("id = ?", plan.ID).Update("status", status)
			if _, err := s.SetPlanItems(ctx, a, 2026, []uint{everyone}); !errors.Is(err, ErrPlanLocked) {
				t.Errorf("changing a %s plan = %v; want ErrPlanLocked", status, err)
			}
		}
		d.W.Model(&Plan{}).Where("id = ?", plan.ID).Update("status", PlanRejected)
		if got, err := s.SetPlanItems(ctx, a, 2026, []uint{everyone}); err != nil || got.Status != PlanDraft {
			t.Errorf("changing a rejected plan = %+v, %v; want a draft again", got, err)
		}
		// Someone else's plan is not there for a colleague.
		q := people.Person{Username: "kiss", Name: "Kiss Péter", Email: "kiss@kapu.test", Active: true}
		d.W.Create(&q)
		if _, err := s.PlanOf(ctx, q.Actor(), a.ID, 2026); !errors.Is(err, ErrPlanNotFound) {
			t.Errorf("a colleague reading the plan = %v; want ErrPlanNotFound", err)
		}
	})
}

func itoaUint(id uint) string { return strconv.FormatUint(uint64(id), 10) }
