// Package schedule is how a module declares its scheduled work. It is a leaf
// apart from the jobs package that runs the work, because jobs imports audit
// and audit is a module too: every module names Registrar in its Jobs method.
package schedule

import (
	"context"
	"time"
)

// Registrar takes a module's jobs; *jobs.Scheduler is the one Kapu runs.
type Registrar interface {
	// Every runs fn every interval (1 s to 24 h), on a grid counted from midnight.
	Every(name string, interval time.Duration, fn func(ctx context.Context) error) error
	// Daily runs fn every day at hh:mm in the city's zone.
	Daily(name string, hh, mm int, fn func(ctx context.Context) error) error
	// DailyCatchUp is Daily for work due on dates (a year's allocation on
	// 1 January, the expiry of carried-over days after 31 March). fn must apply
	// every due date up to today that the database says is not applied yet,
	// and nothing twice, so any run makes good the days Kapu was not running;
	// Kapu also runs it once at start-up and after loading the demo.
	DailyCatchUp(name string, hh, mm int, fn func(ctx context.Context) error) error
}
