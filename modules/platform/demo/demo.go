// Package demo holds what every module's demo data is seeded with. It is a
// leaf, so platform modules can seed their part without importing the
// module contract that imports them.
package demo

// Options choose how much of the demo is loaded.
type Options struct {
	// History adds the demo's past: leave taken and planned, bookings of the
	// last weeks, car trips. Tests that count days or bookings start without it.
	History bool
}
