// Package places is the kernel's word for the rooms Kapu knows, so a module
// that needs a place (the helpdesk's "where is the fault", a training
// session's room) can offer and book them without importing the module that
// owns them (booking).
package places

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/errs"
)

// Room is one room as others may name it.
type Room struct {
	ID       uint
	Name     string
	Building string
	Floor    string
}

// Rooms lists the rooms people may pick, in the owner's order.
type Rooms interface {
	Rooms(ctx context.Context) ([]Room, error)
}

// None knows no rooms: the default until the suite wires the owner in, and
// the unit tests' choice.
type None struct{}

// Rooms returns nothing.
func (None) Rooms(context.Context) ([]Room, error) { return nil, nil }

// Span is one stretch of time a room is held for.
type Span struct {
	Start, End time.Time
}

// Hold asks for a room for another service's event (a training session):
// one span per day, all held or none, under the owner's rules (no double
// booking), in the name of By.
type Hold struct {
	RoomID uint
	Spans  []Span
	Title  string
	By     actor.Actor
	// Owner names the holding service ("training"): the owner's pages
	// show the bookings as its, and change them only through it.
	Owner string
}

// ErrRoomTaken is a hold refused because the room is booked at one of its
// spans (or is not a bookable room).
var ErrRoomTaken = errs.New(errs.Conflict, "places: the room is taken")

// Holds books rooms for other services. Both methods work inside the
// caller's transaction tx, so the room and the caller's record are written
// together or not at all.
type Holds interface {
	// HoldRoom books the hold and returns the owner's reference of it.
	HoldRoom(ctx context.Context, tx *gorm.DB, h Hold) (ref uint, err error)
	// ReleaseRoom cancels the hold ref (all its spans); a hold already gone
	// is no error.
	ReleaseRoom(ctx context.Context, tx *gorm.DB, by actor.Actor, ref uint) error
}

// NoHolds books no rooms: the default until the suite wires the owner in.
type NoHolds struct{}

// HoldRoom refuses every room.
func (NoHolds) HoldRoom(context.Context, *gorm.DB, Hold) (uint, error) { return 0, ErrRoomTaken }

// ReleaseRoom has nothing to release.
func (NoHolds) ReleaseRoom(context.Context, *gorm.DB, actor.Actor, uint) error { return nil }
