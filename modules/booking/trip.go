package booking

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
)

// Errors of the trip log.
var (
	ErrNotACarTrip      = errs.New(errs.Conflict, "booking: no trip to log for this booking")
	ErrNotStarted       = errs.New(errs.Conflict, "booking: the trip has not started yet")
	ErrTripLogged       = errs.New(errs.Conflict, "booking: the trip is already logged")
	ErrOdometerBelowCar = errs.New(errs.Invalid, "booking: the odometer start is below the car's odometer")
	ErrOdometerReversed = errs.New(errs.Invalid, "booking: the odometer end is below its start")
)

// TripInput is a trip as its driver logs it.
type TripInput struct {
	OdometerStart  int
	OdometerEnd    int
	FuelDecilitres int
	Remarks        string
}

// TripSubject is what the trip form needs: the booking and its car.
type TripSubject struct {
	Booking  Booking
	Resource Resource
}

// TripSubject loads a booking whose trip a may log now: a confirmed car
// booking of theirs that has started and has no trip yet.
func (s *Service) TripSubject(ctx context.Context, a actor.Actor, bookingID uint) (*TripSubject, error) {
	return s.tripSubject(s.db.R.WithContext(ctx), a, bookingID)
}

func (s *Service) tripSubject(q *gorm.DB, a actor.Actor, bookingID uint) (*TripSubject, error) {
	var out TripSubject
	if err := q.First(&out.Booking, bookingID).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	// Only the driver logs the trip: the odometer is what they read.
	if out.Booking.PersonID != a.ID {
		return nil, ErrForbidden
	}
	if err := q.First(&out.Resource, out.Booking.ResourceID).Error; err != nil {
		return nil, err
	}
	b := &out.Booking
	switch {
	case out.Resource.Kind != KindCar || b.Status != StatusConfirmed:
		return nil, ErrNotACarTrip
	case b.StartAt.After(s.now()):
		return nil, ErrNotStarted
	}
	var n int64
	if err := q.Model(&Trip{}).Where("booking_id = ?", b.ID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, ErrTripLogged
	}
	return &out, nil
}

// RecordTrip logs a trip and moves the car's odometer to its end, together,
// so the next driver's start defaults to where this one stopped.
func (s *Service) RecordTrip(ctx context.Context, a actor.Actor, bookingID uint, in TripInput) (*Trip, error) {
	var t Trip
	var car uint
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		sub, err := s.tripSubject(tx, a, bookingID)
		if err != nil {
			return err
		}
		switch {
		case in.OdometerStart < sub.Resource.Odometer:
			return ErrOdometerBelowCar
		case in.OdometerEnd < in.OdometerStart:
			return ErrOdometerReversed
		}
		car = sub.Resource.ID
		t = Trip{BookingID: bookingID, OdometerStart: in.OdometerStart, OdometerEnd: in.OdometerEnd,
			Km: in.OdometerEnd - in.OdometerStart, FuelDecilitres: max(in.FuelDecilitres, 0),
			Remarks: clip(in.Remarks, 1000), CreatedBy: a.ID, CreatedAt: s.now()}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		// Guarded by the odometer read above, so two trips logged at once
		// cannot wind the car's odometer back.
		res := tx.Model(&Resource{}).Where("id = ? AND odometer = ?", sub.Resource.ID, sub.Resource.Odometer).
			Updates(map[string]any{"odometer": in.OdometerEnd, "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrOdometerBelowCar
		}
		if err := audit.Record(tx, a, "booking.trip.create", "booking_trip", t.ID, nil, t); err != nil {
			return err
		}
		return audit.Record(tx, a, "booking.car.odometer", "booking_resource", sub.Resource.ID,
			map[string]int{"odometer": sub.Resource.Odometer}, map[string]int{"odometer": in.OdometerEnd})
	})
	if err != nil {
		return nil, err
	}
	s.resources.Forget(car)
	return &t, nil
}

// TripRow is one logged trip with its driver, for fleet's table.
type TripRow struct {
	Trip
	StartAt     time.Time
	EndAt       time.Time
	Destination string
	Driver      string
}

// tripsLimit bounds a car's trip table.
const tripsLimit = 500

// Trips lists a car's logged trips, latest first.
func (s *Service) Trips(ctx context.Context, carID uint) (*Resource, []TripRow, error) {
	q := s.db.R.WithContext(ctx)
	var r Resource
	if err := q.Where("kind = ?", KindCar).First(&r, carID).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, nil, ErrNotFound
		}
		return nil, nil, err
	}
	var rows []TripRow
	err := q.Table("booking_trips t").
		Select("t.*, b.start_at, b.end_at, b.destination, p.name AS driver").
		Joins("JOIN bookings b ON b.id = t.booking_id").
		Joins("LEFT JOIN people p ON p.id = b.person_id").
		Where("b.resource_id = ?", r.ID).Order("b.start_at DESC, t.id DESC").Limit(tripsLimit).
		Scan(&rows).Error
	return &r, rows, err
}

// Litres is the fuel in litres, for display.
func (t Trip) Litres() float64 { return float64(t.FuelDecilitres) / 10 }
