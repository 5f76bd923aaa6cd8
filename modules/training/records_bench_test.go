package training_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
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

// BenchmarkRecordsPages measures the compliance view of a 50-person
// department (budget 100 ms) and My trainings (30 ms) at the volumes.
// KAPU_BENCH_DIALECT=postgres measures on PostgreSQL (KAPU_TEST_POSTGRES).
func BenchmarkRecordsPages(b *testing.B) {
	dialect := os.Getenv("KAPU_BENCH_DIALECT")
	if dialect == "" {
		dialect = "sqlite"
	}
	app := kaputest.New(b, dialect)
	deptID, personID := seedRecords(b, app)
	ctx := context.Background()
	hr := kaputest.Person(b, app, "hr").Actor()
	b.Run("compliance_department", func(b *testing.B) {
		for b.Loop() {
			v, err := app.Training.Compliance(ctx, hr, deptID)
			if err != nil || len(v.Rows) != benchDeptSize {
				b.Fatalf("compliance: %v, %d rows", err, len(v.Rows))
			}
		}
	})
	b.Run("my_trainings", func(b *testing.B) {
		for b.Loop() {
			if _, err := app.Training.Overview(ctx, hr, personID, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}
