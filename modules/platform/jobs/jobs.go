// Package jobs runs Kapu's scheduled work for every module: a gocron scheduler in
// the city's time zone, one run of a job at a time, every run recorded in
// job_runs, and a slot lock in the database so several replicas on one database
// never run the same job slot twice.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-co-op/gocron/v2"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	sched "kapu/modules/platform/schedule" // named apart from this package's type schedule
)

// Func is the work of a job. It should return soon after ctx is cancelled,
// which happens on shutdown and when the run exceeds RunTimeout. It is an
// alias so that the Scheduler is a schedule.Registrar.
type Func = func(ctx context.Context) error

// The Scheduler takes every module's jobs.
var _ sched.Registrar = (*Scheduler)(nil)

// Outcomes of a run.
const (
	OutcomeRunning = "running"
	OutcomeOK      = "ok"
	OutcomeError   = "error"
	OutcomeSkipped = "skipped" // reserved; slots lost to another replica are not recorded (see slotLocker)
	OutcomeIdle    = "idle"    // a manual run that found nothing to do; scheduled ones are only counted (IdleRuns)
)

// Triggers say what started a run.
const (
	TriggerSchedule = "schedule"
	TriggerManual   = "manual"
	TriggerCatchUp  = "catchup" // a catch-up job's run at start-up or after the demo (see CatchUp)
)

// RunTimeout bounds one run, so a stuck job cannot hold its turn forever.
const RunTimeout = 10 * time.Minute

// bookkeepingTimeout bounds the writes that record a run; they must not hang
// the scheduler when the database is unreachable.
const bookkeepingTimeout = 30 * time.Second

// maxNameLen and maxErrorLen match the column sizes of Run.
const (
	maxNameLen  = 100
	maxErrorLen = 2000
)

// ErrUnknownJob is returned for a job name nobody registered.
var ErrUnknownJob = errs.New(errs.NotFound, "jobs: unknown job")

// Run is one execution of a job, by the schedule or by hand.
type Run struct {
	ID         uint       `gorm:"primaryKey"`
	Job        string     `gorm:"size:100;index;not null"`
	Slot       string     `gorm:"size:40;not null"` // the claimed slot; "" for manual runs
	Trigger    string     `gorm:"size:16;not null"`
	Node       string     `gorm:"size:255;not null"` // hostname:pid of the replica that ran it
	StartedAt  time.Time  `gorm:"index;not null"`
	FinishedAt *time.Time // nil while running, or when the process died mid-run
	Outcome    string     `gorm:"size:16;not null"`
	Error      string     `gorm:"size:2000"`
}

func (Run) TableName() string { return "job_runs" }

// Took is how long the run lasted; 0 while it is still running.
func (r Run) Took() time.Duration {
	if r.FinishedAt == nil {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt)
}

// IdleRuns counts a job's scheduled runs that found nothing to do
// (schedule.ErrNothingToDo) instead of keeping a row for each.
type IdleRuns struct {
	Job    string    `gorm:"primaryKey;size:100"`
	Count  int64     `gorm:"not null"`
	Since  time.Time `gorm:"not null"` // the first counted run
	LastAt time.Time `gorm:"not null"`
}

func (IdleRuns) TableName() string { return "job_idle_runs" }

// Models lists the tables this package owns.
func Models() []any { return []any{&Run{}, &SlotLock{}, &IdleRuns{}} }

// JobInfo describes a registered job for the admin page.
type JobInfo struct {
	Name     string
	Schedule string        // e.g. "every 10s", "daily 02:30"
	Interval time.Duration // interval jobs; 0 for daily ones
	At       string        // "hh:mm" of daily jobs; "" for interval ones
	NextRun  time.Time     // zero before Start
	LastRun  *Run          // the newest run on any replica that did something; nil if none
	Idle     *IdleRuns     // the scheduled runs that found nothing to do; nil if none
}

// Scheduler runs the registered jobs. Every replica builds one with the same
// jobs; the slot locks decide which replica runs each slot.
type Scheduler struct {
	d    *db.DB
	tz   *time.Location
	log  *slog.Logger
	node string
	now  func() time.Time
	cron gocron.Scheduler

	// stopped is cancelled by Shutdown, so manual runs stop along with scheduled ones.
	stopped context.Context
	stop    context.CancelFunc
	// shutdownOnce makes Shutdown safe to call twice: a second gocron Shutdown
	// racing the end of the first would wait out its whole stop timeout.
	shutdownOnce sync.Once
	shutdownErr  error
	// catchUps counts the CatchUp calls under way, so Shutdown waits for them
	// as gocron's shutdown waits for scheduled runs; Add happens under mu.
	catchUps sync.WaitGroup

	mu     sync.Mutex
	jobs   []*job // in registration order, for the admin page
	byName map[string]*job
}

// job is one registered job.
type job struct {
	name    string
	fn      Func
	sched   schedule
	cronJob gocron.Job
	claimed claimedSlot
	catchUp bool // registered with DailyCatchUp
	// running keeps this process's runs of the job one at a time, whoever
	// started them: a catch-up at start-up, the schedule or an administrator.
	running sync.Mutex
}

// claimedSlot hands the slot the locker won to the run that follows. gocron calls
// Lock and then the task in one goroutine, one run at a time per job (singleton
// mode), so a single field suffices; the mutex keeps the race detector honest.
type claimedSlot struct {
	mu   sync.Mutex
	slot string
}

func (c *claimedSlot) set(slot string) {
	c.mu.Lock()
	c.slot = slot
	c.mu.Unlock()
}

func (c *claimedSlot) take() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.slot
	c.slot = ""
	return s
}

// New returns a scheduler whose daily times are read in tz (UTC when nil). It
// already holds the jobs.prune job; call Start once every module registered its jobs.
func New(d *db.DB, tz *time.Location, log *slog.Logger) (*Scheduler, error) {
	if d == nil {
		return nil, errors.New("jobs: no database")
	}
	if tz == nil {
		tz = time.UTC
	}
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "jobs")
	// gocron narrates every start and stop at info level; keep only its warnings.
	quiet := slog.New(minLevel{log.Handler(), slog.LevelWarn})
	cron, err := gocron.NewScheduler(gocron.WithLocation(tz), gocron.WithLogger(quiet))
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	s := &Scheduler{
		d: d, tz: tz, log: log, node: nodeName(), now: time.Now, cron: cron,
		byName: map[string]*job{},
	}
	s.stopped, s.stop = context.WithCancel(context.Background())
	if err := s.Daily(PruneJob, pruneHour, pruneMinute, s.prune); err != nil {
		return nil, err
	}
	return s, nil
}

// nodeName tells replicas apart in runs and locks.
func nodeName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	return truncate(fmt.Sprintf("%s:%d", host, os.Getpid()), 255)
}

// Every runs fn every interval (1 s to 24 h). Runs fall on multiples of the
// interval counted from midnight in the scheduler's zone, so every replica
// aims at the same slots and the lock can tell them apart. Intervals that
// divide a day keep the grid steady across midnight.
func (s *Scheduler) Every(name string, interval time.Duration, fn Func) error {
	if interval < time.Second || interval > 24*time.Hour {
		return fmt.Errorf("jobs: %s: interval %s is not between 1s and 24h; use Daily for longer", name, interval)
	}
	sc := schedule{every: interval, loc: s.tz}
	first := sc.firstAfter(s.now())
	// StartDateTimePast, not StartDateTime: if Start comes after first, gocron
	// steps forward by the interval and stays on the grid instead of failing.
	return s.add(name, sc, fn, gocron.DurationJob(interval),
		gocron.WithStartAt(gocron.WithStartDateTimePast(first)))
}

// Daily runs fn every day at hh:mm in the scheduler's zone.
func (s *Scheduler) Daily(name string, hh, mm int, fn Func) error {
	if hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return fmt.Errorf("jobs: %s: %02d:%02d is not a time of day", name, hh, mm)
	}
	sc := schedule{hour: hh, minute: mm, loc: s.tz}
	return s.add(name, sc, fn, gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(uint(hh), uint(mm), 0))))
}

// add registers a job with gocron: singleton, so a slow run makes the next slot
// be skipped rather than overlap, and behind the slot locker.
func (s *Scheduler) add(name string, sc schedule, fn Func, def gocron.JobDefinition, opts ...gocron.JobOption) error {
	if name == "" || len(name) > maxNameLen {
		return fmt.Errorf("jobs: job name %q must have 1 to %d bytes", name, maxNameLen)
	}
	if fn == nil {
		return fmt.Errorf("jobs: %s: no function", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.byName[name]; taken {
		return fmt.Errorf("jobs: %s is registered twice", name)
	}
	j := &job{name: name, fn: fn, sched: sc}
	opts = append(opts,
		gocron.WithName(name),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithDistributedJobLocker(&slotLocker{s: s, j: j}),
	)
	task := gocron.NewTask(func(ctx context.Context) { s.runScheduled(ctx, j) })
	cj, err := s.cron.NewJob(def, task, opts...)
	if err != nil {
		return fmt.Errorf("jobs: %s: %w", name, err)
	}
	j.cronJob = cj
	s.jobs = append(s.jobs, j)
	s.byName[name] = j
	return nil
}

// Start begins running jobs on their schedules; it does not block.
func (s *Scheduler) Start() { s.cron.Start() }

// Shutdown cancels the contexts of running jobs and waits for them to return
// (gocron's own shutdown, which gives up after its stop timeout). Later calls
// return the first call's result.
func (s *Scheduler) Shutdown() error {
	s.shutdownOnce.Do(func() {
		s.mu.Lock()
		s.stop() // under mu: no CatchUp begins after this
		s.mu.Unlock()
		s.shutdownErr = s.cron.Shutdown()
		s.catchUps.Wait()
	})
	return s.shutdownErr
}

// RunNow runs the job at once in the caller's goroutine and records it as a
// manual run. It skips the slot lock: an administrator asked for one more run.
// The error is ErrUnknownJob, or the job's own failure, which the Run also holds.
func (s *Scheduler) RunNow(ctx context.Context, name string) (Run, error) {
	j := s.job(name)
	if j == nil {
		return Run{}, fmt.Errorf("%w: %s", ErrUnknownJob, name)
	}
	return s.execute(ctx, j, "", TriggerManual)
}

func (s *Scheduler) job(name string) *job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byName[name]
}

// Jobs describes every registered job in registration order. A database
// failure only leaves LastRun empty; it is logged.
func (s *Scheduler) Jobs() []JobInfo {
	s.mu.Lock()
	list := slices.Clone(s.jobs)
	s.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	idle := map[string]*IdleRuns{}
	var counts []IdleRuns
	if err := s.d.R.WithContext(ctx).Find(&counts).Error; err != nil {
		s.log.Error("idle job runs not read", "error", err)
	}
	for i := range counts {
		idle[counts[i].Job] = &counts[i]
	}
	out := make([]JobInfo, 0, len(list))
	for _, j := range list {
		info := JobInfo{Name: j.name, Schedule: j.sched.String(), Interval: j.sched.every}
		if j.sched.every == 0 {
			info.At = fmt.Sprintf("%02d:%02d", j.sched.hour, j.sched.minute)
		}
		if next, err := j.cronJob.NextRun(); err == nil {
			info.NextRun = next
		}
		last, err := s.lastRun(ctx, j.name)
		if err != nil {
			s.log.Error("last job run not read", "job", j.name, "error", err)
		}
		info.LastRun = last
		info.Idle = idle[j.name]
		out = append(out, info)
	}
	return out
}

// runScheduled is the task gocron calls after the locker claimed a slot.
func (s *Scheduler) runScheduled(ctx context.Context, j *job) {
	slot := j.claimed.take()
	if slot == "" { // not expected: the locker always runs first
		slot = j.sched.slotAt(s.now())
	}
	_, _ = s.execute(ctx, j, slot, TriggerSchedule)
}

// execute records a running Run, calls the job and records how it ended.
// Recording failures are logged but do not stop the job: the slot is already
// claimed, and losing the history is better than losing the work.
func (s *Scheduler) execute(ctx context.Context, j *job, slot, trigger string) (Run, error) {
	j.running.Lock()
	defer j.running.Unlock()
	run := Run{
		Job: j.name, Slot: slot, Trigger: trigger, Node: s.node,
		StartedAt: s.now().UTC(), Outcome: OutcomeRunning,
	}
	// The run's context may be cancelled by now (shutdown, timeout); its record must still land.
	book, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	if err := s.d.W.WithContext(book).Create(&run).Error; err != nil {
		s.log.Error("job run not recorded", "job", j.name, "error", err)
	}

	err := s.call(ctx, j)

	finished := s.now().UTC()
	run.FinishedAt = &finished
	run.Outcome = OutcomeOK
	if errors.Is(err, sched.ErrNothingToDo) {
		err = nil
		run.Outcome = OutcomeIdle
		if trigger == TriggerSchedule {
			if cerr := s.countIdle(book, run); cerr != nil {
				s.log.Error("idle job run not counted", "job", j.name, "error", cerr)
			}
			return run, nil
		}
	}
	if err != nil {
		run.Outcome = OutcomeError
		run.Error = truncate(err.Error(), maxErrorLen)
		s.log.Error("job failed", "job", j.name, "slot", slot, "trigger", trigger, "error", err)
	} else {
		s.log.Debug("job ran", "job", j.name, "slot", slot, "trigger", trigger, "took", run.Took())
	}
	if run.ID != 0 {
		uerr := s.d.W.WithContext(book).Model(&Run{}).Where("id = ?", run.ID).Updates(map[string]any{
			"finished_at": finished, "outcome": run.Outcome, "error": run.Error,
		}).Error
		if uerr != nil {
			s.log.Error("job outcome not recorded", "job", j.name, "run", run.ID, "error", uerr)
		}
	}
	return run, err
}

// countIdle replaces the record of a scheduled run that found nothing to do
// with one more in the job's count, in one transaction.
func (s *Scheduler) countIdle(ctx context.Context, run Run) error {
	return s.d.Tx(ctx, func(tx *gorm.DB) error {
		if run.ID != 0 {
			if err := tx.Delete(&Run{}, run.ID).Error; err != nil {
				return err
			}
		}
		return tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "job"}},
			DoUpdates: clause.Assignments(map[string]any{
				"count": gorm.Expr("job_idle_runs.count + 1"), "last_at": run.StartedAt,
			}),
		}).Create(&IdleRuns{Job: run.Job, Count: 1, Since: run.StartedAt, LastAt: run.StartedAt}).Error
	})
}

// call runs the job's function with its time limit and turns a panic into an
// error, so one broken job never takes the whole process down.
func (s *Scheduler) call(parent context.Context, j *job) (err error) {
	ctx, cancel := context.WithTimeout(parent, RunTimeout)
	defer cancel()
	unwatch := context.AfterFunc(s.stopped, cancel)
	defer unwatch()
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("job panicked", "job", j.name, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return j.fn(ctx)
}

// truncate cuts s to at most n bytes without splitting a UTF-8 character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// minLevel is a log handler that drops records below its level.
type minLevel struct {
	slog.Handler
	level slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.level && m.Handler.Enabled(ctx, l)
}
