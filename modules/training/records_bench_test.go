package training_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/people"
	"kapu/modules/training"
)

// The volumes: 5,000 staff with ten years of completions (80 each,
// 400,000 in all, each with its ledger row); the compliance view reads one
// department of 50 of them.
const (
	benchStaff       = 5000
	benchDeptSize    = 50
	benchYears       = 10
	benchPerYear     = 8
	benchTrainingsYr = 20
)

// seedRecords fills app with the volumes and returns the department's id
// and one of its people.
func seedRecords(b *testing.B, app *kapu.App) (uint, uint) {
	b.Helper()
	today := kaputest.Today(b, app)
	recCatalogue(b, app, today.Year, training.CataloguePublished)
	dept := people.Department{Name: "Mérési Osztály"}
	recMust(b, app.DB.W.Create(&dept).Error)
	var ids []uint
	batch := make([]people.Person, 0, 500)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		recMust(b, app.DB.W.Create(&batch).Error)
		for _, p := range batch {
			ids = append(ids, p.ID)
		}
		batch = batch[:0]
	}
	for i := 0; i < benchStaff; i++ {
		p := people.Person{Username: fmt.Sprintf("bench%05d", i), Name: fmt.Sprintf("Mérő %05d", i),
			Email: fmt.Sprintf("bench%05d@bench.test", i), Active: true, JobTitle: "ügyintéző"}
		if i < benchDeptSize {
			p.DepartmentID = &dept.ID
		}
		batch = append(batch, p)
		if len(batch) == cap(batch) {
			flush()
		}
	}
	flush()
	trainings := map[int][]*training.Training{}
	for y := today.Year - benchYears + 1; y <= today.Year; y++ {
		for k := 0; k < benchTrainingsYr; k++ {
			tr := recTraining(b, app, training.Training{Year: y, Code: fmt.Sprintf("K-%02d", k), TitleHU: fmt.Sprintf("Képzés %d", k),
				Points: 4, Minutes: 240, Central: k%3 != 0, Mandatory: y == today.Year && k < 3, Certificate: k < 5, ValidMonths: 24})
			trainings[y] = append(trainings[y], tr)
		}
	}
	now := time.Now()
	var comps []training.Completion
	for n, id := range ids {
		for y := today.Year - benchYears + 1; y <= today.Year; y++ {
			for j := 0; j < benchPerYear; j++ {
				tr := trainings[y][(n+j)%benchTrainingsYr]
				on := calendar.NewDate(y, time.Month(1+j), 1+n%27)
				if on.After(today) {
					on = today
				}
				comps = append(comps, training.Completion{PersonID: id, TrainingID: tr.ID, CompletedOn: on, Minutes: 240, Points: 4,
					Source: training.CompletionImport, CreatedAt: now})
			}
		}
		if len(comps) >= 4000 || n == len(ids)-1 {
			recMust(b, app.DB.W.CreateInBatches(&comps, 1000).Error)
			rows := make([]training.PointsRow, len(comps))
			for i := range comps {
				cid := comps[i].ID
				rows[i] = training.PointsRow{PersonID: comps[i].PersonID, Day: comps[i].CompletedOn, Points: 4,
					Internal: comps[i].TrainingID%3 == 0, Central: comps[i].TrainingID%3 != 0, CompletionID: &cid, CreatedAt: now}
			}
			recMust(b, app.DB.W.Select("*").Omit("id").CreateInBatches(&rows, 1000).Error)
			comps = comps[:0]
		}
	}
	return dept.ID, ids[0]
}

// BenchmarkRecordsPages measures, at the volumes (seedRecords), the
// compliance view of a 50-person department (budget p95 100 ms) and a
// person's My trainings (30 ms), each as the service's reading and as the
// page HR gets (the handler, the template, the layout), p50/p95 over b.N
// sequential requests, on each database the kit tests.
func BenchmarkRecordsPages(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			app := kaputest.New(b, dialect)
			began := time.Now()
			deptID, personID := seedRecords(b, app)
			b.Logf("%s: seeded %d staff, %d completions in %v", dialect, benchStaff, benchStaff*benchYears*benchPerYear, time.Since(began).Round(time.Second))
			ctx := context.Background()
			hr := kaputest.Person(b, app, "hr").Actor()
			c := kaputest.SignedIn(b, app, "hr")
			page := func(path string) func() error {
				return func() error {
					if res, _ := c.Get(path); res.StatusCode != http.StatusOK {
						return fmt.Errorf("GET %s = %d", path, res.StatusCode)
					}
					return nil
				}
			}
			for _, m := range []struct {
				name string
				fn   func() error
			}{
				{"compliance-department", func() error {
					v, err := app.Training.Compliance(ctx, hr, deptID)
					if err == nil && len(v.Rows) != benchDeptSize {
						err = fmt.Errorf("compliance shows %d people; want %d", len(v.Rows), benchDeptSize)
					}
					return err
				}},
				{"compliance-page", page(fmt.Sprintf("/training/compliance?dept=%d", deptID))},
				{"my-trainings", func() error {
					_, err := app.Training.Overview(ctx, hr, personID, 0)
					return err
				}},
				{"my-trainings-page", page(fmt.Sprintf("/training/people/%d", personID))},
			} {
				b.Run(m.name, func(b *testing.B) {
					took := make([]time.Duration, 0, b.N)
					for i := 0; i < b.N; i++ {
						t0 := time.Now()
						if err := m.fn(); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(t0))
					}
					dbtest.ReportLatency(b, took)
				})
			}
		})
	}
}
