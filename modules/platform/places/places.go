// Package places is the kernel's word for the rooms Kapu knows, so a module
// that needs a place (the helpdesk's "where is the fault") can offer them
// without importing the module that owns them (booking).
package places

import "context"

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
