package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-co-op/gocron/v2"

	"kapu/modules/platform/db"
)

// ErrSlotTaken means another replica (or an earlier run here) already claimed the slot.
var ErrSlotTaken = errors.New("jobs: slot already claimed")

// SlotLock is one claimed slot of a job. The unique key on (job, slot) lets
// exactly one replica insert it; the row stays after the run as the record of
// which node ran the slot, until jobs.prune removes it.
type SlotLock struct {
	ID         uint      `gorm:"primaryKey"`
	Job        string    `gorm:"size:100;not null;uniqueIndex:idx_job_locks_slot"`
	Slot       string    `gorm:"size:40;not null;uniqueIndex:idx_job_locks_slot"`
	AcquiredAt time.Time `gorm:"index;not null"`
	Node       string    `gorm:"size:255;not null"`
}

func (SlotLock) TableName() string { return "job_locks" }

// schedule is when a job runs, and how a moment maps to the slot that replicas agree on.
type schedule struct {
	every        time.Duration // interval jobs; 0 for daily ones
	hour, minute int           // daily jobs
	loc          *time.Location
}

// String is the schedule as the admin page and logs show it: "every 10s", "daily 02:30".
func (sc schedule) String() string {
	if sc.every > 0 {
		return "every " + shortDuration(sc.every)
	}
	return fmt.Sprintf("daily %02d:%02d", sc.hour, sc.minute)
}

// shortDuration writes whole hours, minutes or seconds without Go's "1m0s" padding.
func shortDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return d.String()
}

// firstAfter is the first slot start after t: the next multiple of the interval
// since midnight in the schedule's zone.
func (sc schedule) firstAfter(t time.Time) time.Time {
	midnight := startOfDay(t, sc.loc)
	n := int64(t.Sub(midnight)/sc.every) + 1
	return midnight.Add(time.Duration(n) * sc.every)
}

// slotAt names the slot that a run starting at t belongs to.
//
// Interval jobs round t to the nearest multiple of the interval since midnight,
// so replicas whose clocks (or timers) differ by less than half an interval
// name the same slot; the name is that instant in UTC.
//
// Daily jobs take the occurrence of hh:mm nearest to t in the zone and name it
// by its local date and the configured time, so a replica whose clock runs a
// little slow at midnight still claims the right day, and a time that occurs
// twice when DST ends (or is skipped when it begins) is still one slot.
func (sc schedule) slotAt(t time.Time) string {
	if sc.every > 0 {
		midnight := startOfDay(t, sc.loc)
		n := int64((t.Sub(midnight) + sc.every/2) / sc.every)
		return midnight.Add(time.Duration(n) * sc.every).UTC().Format(time.RFC3339)
	}
	local := t.In(sc.loc)
	var best time.Time
	var bestDay time.Time
	for _, shift := range []int{-1, 0, 1} {
		day := time.Date(local.Year(), local.Month(), local.Day()+shift, 0, 0, 0, 0, time.UTC)
		at := time.Date(day.Year(), day.Month(), day.Day(), sc.hour, sc.minute, 0, 0, sc.loc)
		if best.IsZero() || absDuration(t.Sub(at)) < absDuration(t.Sub(best)) {
			best, bestDay = at, day
		}
	}
	return fmt.Sprintf("%s %02d:%02d", bestDay.Format(time.DateOnly), sc.hour, sc.minute)
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// slotLocker is gocron's distributed locker for one job: it knows the job's
// schedule, so it can name the slot being run and claim it in job_locks.
//
// A slot lost to another replica is not recorded as a "skipped" run: with N
// replicas every slot would add N-1 such rows and bury the real history. The
// job_locks row already says which node ran the slot; the loss is logged at
// debug level.
type slotLocker struct {
	s *Scheduler
	j *job
}

// Lock claims the current slot of the job named key; an error makes gocron skip the run.
func (l *slotLocker) Lock(ctx context.Context, key string) (gocron.Lock, error) {
	slot := l.j.sched.slotAt(l.s.now())
	err := claimSlot(ctx, l.s.d, key, slot, l.s.node, l.s.now().UTC())
	switch {
	case errors.Is(err, ErrSlotTaken):
		l.s.log.Debug("job slot run elsewhere", "job", key, "slot", slot)
		return nil, err
	case err != nil:
		// Without the lock we cannot know nobody else runs it: skip rather than risk twice.
		l.s.log.Error("job slot not claimed", "job", key, "slot", slot, "error", err)
		return nil, err
	}
	l.j.claimed.set(slot)
	return keptLock{}, nil
}

// claimSlot inserts the slot's row; the unique key turns a second claim into ErrSlotTaken.
func claimSlot(ctx context.Context, d *db.DB, job, slot, node string, at time.Time) error {
	err := d.W.WithContext(ctx).Create(&SlotLock{Job: job, Slot: slot, AcquiredAt: at, Node: node}).Error
	if db.IsDuplicate(err) {
		return fmt.Errorf("%w: %s %s", ErrSlotTaken, job, slot)
	}
	return err
}

// keptLock is a claimed slot. Unlocking does nothing: the slot must stay taken
// after the run, or a replica whose timer fires a moment later would run it again.
type keptLock struct{}

func (keptLock) Unlock(context.Context) error { return nil }
