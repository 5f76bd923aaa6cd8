package training_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/approval"
	"kapu/modules/training"
)

// Fifty people whose plan holds the course ask for its last seat at once:
// exactly one gets it, the session never holds more than its seats, the
// other 49 wait in the order they came (waiting_since, id), three who come
// later queue behind them, and a cancellation gives the seat to the first.
func TestRequestsRaceForLastSeat(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		ctx := context.Background()
		tr := f.training(t, f.year, "RACE-1")
		s := f.session(t, tr, 10, 12)
		f.fill(t, s, 11)
		const n = 50
		people := f.staff(t, n+3)
		for _, a := range people {
			f.approvePlan(t, a, f.year, tr)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		got := make([]*training.Enrolment, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got[i], errs[i] = app.Training.RequestTraining(ctx, people[i], training.EnrolInput{TrainingID: tr.ID, SessionID: s.ID})
			}()
		}
		close(start)
		wg.Wait()
		enrolled := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("request %d: %v", i, errs[i])
			}
			switch got[i].Status {
			case training.EnrolEnrolled:
				enrolled++
			case training.EnrolWaiting:
			default:
				t.Errorf("request %d: status %s; want enrolled or waiting", i, got[i].Status)
			}
		}
		if sess := f.load(t, s.ID); enrolled != 1 || sess.Enrolled != sess.Seats {
			t.Fatalf("%d enrolled, session %d of %d; want exactly one, full", enrolled, sess.Enrolled, sess.Seats)
		}
		var seated []training.Enrolment
		app.DB.W.Where("session_id = ? AND status = ?", s.ID, training.EnrolEnrolled).Find(&seated)
		if len(seated) != 1 {
			t.Fatalf("%d enrolments hold a seat; want 1", len(seated))
		}
		// Three more, one after another: they queue at the end, in order.
		var later []uint
		for _, a := range people[n:] {
			later = append(later, f.request(t, a, tr, s).ID)
		}
		list, err := app.Training.WaitingList(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != n-1+3 {
			t.Fatalf("waiting list of %d; want %d", len(list), n-1+3)
		}
		for i := 1; i < len(list); i++ {
			a, b := list[i-1], list[i]
			if b.WaitingSince.Before(*a.WaitingSince) || (b.WaitingSince.Equal(*a.WaitingSince) && b.ID < a.ID) {
				t.Errorf("waiting list out of order at %d: %v/%d before %v/%d", i, a.WaitingSince, a.ID, b.WaitingSince, b.ID)
			}
		}
		for i, id := range later {
			if list[n-1+i].ID != id {
				t.Errorf("late request %d at place %d; want %d", id, indexOf(list, id)+1, n+i)
			}
		}
		rows, err := app.Training.EnrolmentsOf(ctx, actor.Actor{ID: list[4].PersonID}, list[4].PersonID, f.year)
		if err != nil || len(rows) != 1 || rows[0].WaitingPosition != 5 {
			t.Errorf("EnrolmentsOf the fifth waiting = %+v, %v; want position 5", rows, err)
		}
		// The seated one cancels: the first waiting takes the seat, nobody else.
		owner := actor.Actor{ID: seated[0].PersonID, Roles: []string{actor.Employee}}
		if err := app.Training.CancelEnrolment(ctx, owner, seated[0].ID); err != nil {
			t.Fatal(err)
		}
		if e := f.enrolment(t, list[0].ID); e.Status != training.EnrolEnrolled {
			t.Errorf("the first waiting is %s after the cancellation; want enrolled", e.Status)
		}
		if e := f.enrolment(t, list[1].ID); e.Status != training.EnrolWaiting {
			t.Errorf("the second waiting is %s; want still waiting", e.Status)
		}
		if sess := f.load(t, s.ID); sess.Enrolled != sess.Seats {
			t.Errorf("session %d of %d after the promotion; want full", sess.Enrolled, sess.Seats)
		}
	})
}

func indexOf(list []training.Enrolment, id uint) int {
	for i := range list {
		if list[i].ID == id {
			return i
		}
	}
	return -1
}

// The requester cancels while the manager approves, five times over:
// whichever is first, the request ends cancelled, no seat stays taken, and
// neither waits for the other for ever (both lock the engine's request
// before the enrolment).
func TestCancelWhileApproving(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		f := newEnrolFixture(t, app)
		ctx := context.Background()
		emp, mgr := f.who(t, "employee"), f.who(t, "manager")
		for i := range 5 {
			tr := f.training(t, f.year, "PAR-"+itoa(uint(i)))
			s := f.session(t, tr, 9, 3)
			e := f.request(t, emp, tr, s)
			var wg sync.WaitGroup
			var approveErr, cancelErr error
			start := make(chan struct{})
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				_, approveErr = app.Approval.Decide(ctx, mgr, approval.Decision{RequestID: *e.ApprovalID, Approve: true})
			}()
			go func() {
				defer wg.Done()
				<-start
				cancelErr = app.Training.CancelEnrolment(ctx, emp, e.ID)
			}()
			close(start)
			wg.Wait()
			if cancelErr != nil || (approveErr != nil && !errors.Is(approveErr, approval.ErrDecided)) {
				t.Errorf("round %d: approve %v, cancel %v; want the cancel to hold", i, approveErr, cancelErr)
			}
			if got := f.enrolment(t, e.ID); got.Status != training.EnrolCancelled {
				t.Errorf("round %d: enrolment %s; want cancelled", i, got.Status)
			}
			if sess := f.load(t, s.ID); sess.Enrolled != 0 {
				t.Errorf("round %d: session holds %d; want 0", i, sess.Enrolled)
			}
		}
	})
}
