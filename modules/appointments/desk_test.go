package appointments

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

var deskToday = calendar.DateOf(testNow, budapest)

func TestDeskStepsFollowTheState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 2, "08:00-12:00", CaseType{Minutes: 20})
		ctx := context.Background()
		book := func(h, m int) *Appointment {
			t.Helper()
			a, err := f.s.Book(ctx, clerk, BookInput{CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: local(2026, 3, 2, h, m), Name: "Kiss Anna"})
			must(t, err)
			return a
		}
		a1, a2 := book(9, 20), book(9, 40)
		if _, err := f.s.Serve(ctx, clerk, a1.ID); !errors.Is(err, ErrDeskStep) {
			t.Errorf("Serve(booked) = %v; want ErrDeskStep", err)
		}
		if _, err := f.s.NoShow(ctx, clerk, a1.ID); !errors.Is(err, ErrDeskNotYet) {
			t.Errorf("NoShow before start = %v; want ErrDeskNotYet", err)
		}
		if _, err := f.s.Arrive(ctx, actor.Actor{ID: 9, Roles: []string{actor.Employee}}, a1.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("Arrive by an employee = %v; want ErrForbidden", err)
		}
		_, err := f.s.Arrive(ctx, clerk, a1.ID)
		must(t, err)
		got, err := f.s.Call(ctx, clerk, a1.ID, f.desks[1].ID)
		must(t, err)
		if got.Status != StatusCalled || got.CalledDeskID == nil || *got.CalledDeskID != f.desks[1].ID || got.CalledAt == nil {
			t.Errorf("Call = %+v", got)
		}
		if _, err := f.s.Undo(ctx, clerk, a1.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Call(ctx, clerk, a1.ID, f.desks[1].ID)
		must(t, err)
		got, err = f.s.Serve(ctx, clerk, a1.ID)
		must(t, err)
		if got.Status != StatusServed || got.ServedAt == nil {
			t.Errorf("Serve = %+v", got)
		}
		f.s.now = func() time.Time { return local(2026, 3, 2, 9, 41) }
		got, err = f.s.NoShow(ctx, clerk, a2.ID)
		must(t, err)
		if got.Status != StatusNoShow {
			t.Errorf("NoShow = %s", got.Status)
		}
		day, err := f.s.Day(ctx, clerk, f.office.ID, deskToday)
		must(t, err)
		if day.Counts.Served != 1 || day.Counts.NoShow != 1 || len(day.Desks) != 2 {
			t.Errorf("Day counts = %+v, desks %d", day.Counts, len(day.Desks))
		}
	})
}

func TestWalkInTicketsNeverRepeat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		// Open from 10:00 only: at 9:00 no desk is free, everyone waits.
		f := newFixture(t, d, 1, "10:00-12:00", CaseType{Minutes: 20})
		ctx := context.Background()
		const n = 8
		tickets := make([]int, n)
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				a, err := f.s.WalkIn(ctx, clerk, f.office.ID, f.typ.ID, "")
				if err == nil {
					tickets[i] = a.Ticket
				}
				errs[i] = err
			}(i)
		}
		wg.Wait()
		seen := map[int]bool{}
		for i, tk := range tickets {
			if errs[i] != nil {
				t.Fatalf("WalkIn: %v", errs[i])
			}
			if tk < 1 || tk > n || seen[tk] {
				t.Errorf("tickets = %v; want 1..%d each once", tickets, n)
				break
			}
			seen[tk] = true
		}
	})
}

func TestCloseDeskMovesWhatFits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 2, "08:00-12:00", CaseType{Minutes: 20})
		ctx := context.Background()
		var ids []uint
		// 10:00 on both desks, 10:20 on one: closing the desk holding both
		// 10:00 and 10:20 moves 10:20 only.
		for _, at := range []time.Time{local(2026, 3, 2, 10, 0), local(2026, 3, 2, 10, 0), local(2026, 3, 2, 10, 20)} {
			a, err := f.s.Book(ctx, clerk, BookInput{CaseTypeID: f.typ.ID, OfficeID: f.office.ID, Start: at, Name: "Nagy Béla"})
			must(t, err)
			ids = append(ids, a.ID)
		}
		var a3 Appointment
		must(t, d.R.First(&a3, ids[2]).Error)
		moved, left, err := f.s.CloseDesk(ctx, clerk, *a3.DeskID, deskToday, "beteg")
		must(t, err)
		if moved+left != 2 || moved != 1 {
			t.Errorf("CloseDesk = %d moved, %d left; want 1, 1", moved, left)
		}
		if _, _, err := f.s.CloseDesk(ctx, clerk, *a3.DeskID, deskToday, "again"); !errors.Is(err, ErrDeskAlreadyClosed) {
			t.Errorf("second CloseDesk = %v", err)
		}
	})
}
