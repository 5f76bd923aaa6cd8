// The booking fast path: the hand-tuned SQL of the hot write (prepared
// statements, scans without reflection, the PostgreSQL pool lock) and the
// reads that check a booking fits. The rules that call them are in service.go.

package booking

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/notify"
)

const insertSQL = `INSERT INTO bookings (resource_id, person_id, title, start_at, end_at, block_end, quantity, pooled,
  status, hold_until, parent_id, series_id, attendees, destination, purpose, passengers, created_by, created_at, updated_at, private)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`

// resourceSQL reads the resource of a booking line with resourceFields, in
// the same order: booking is the hot path, and scanning a row without
// reflection (and without the timestamps nobody checks) is a good part of
// its cost. It is prepared on the read pool: book reads before it writes.
const resourceSQL = `SELECT id, kind, name, COALESCE(location, ''), seats, COALESCE(features, ''), open_from, open_to,
  needs_approval, buffer_minutes, COALESCE(unit, ''), quantity, COALESCE(plate, ''), COALESCE(car_model, ''),
  COALESCE(fuel, ''), odometer, check_in, active, COALESCE(tag, ''), COALESCE(photo, '')
  FROM booking_resources WHERE id = $1`

// resourceFields are the destinations of resourceSQL's columns.
func resourceFields(r *Resource) []any {
	return []any{&r.ID, &r.Kind, &r.Name, &r.Location, &r.Seats, &r.Features, &r.OpenFrom, &r.OpenTo,
		&r.NeedsApproval, &r.BufferMinutes, &r.Unit, &r.Quantity, &r.Plate, &r.CarModel,
		&r.Fuel, &r.Odometer, &r.CheckIn, &r.Active, &r.Tag, &r.Photo}
}

// stmts are a booking's statements, prepared once (db.Prepare): booking is
// the hot write, and SQLite compiles the no-double-booking triggers into
// every INSERT it prepares, which costs more than running it.
type stmts struct {
	insert, resource, audit *sql.Stmt
	later                   *sql.Stmt // the booker's confirmation (tellBooker); nil without an outbox
}

// prepare returns the booking statements, outside any transaction.
func (s *Service) prepare(ctx context.Context) (*stmts, error) {
	var st stmts
	var err error
	insert := insertSQL
	if s.db.Dialect == db.Postgres {
		insert += " RETURNING id"
	}
	if st.insert, err = s.db.Prepare(ctx, insert); err != nil {
		return nil, err
	}
	if st.resource, err = s.db.PrepareRead(ctx, resourceSQL); err != nil {
		return nil, err
	}
	if st.audit, err = audit.Prepare(ctx, s.db); err != nil {
		return nil, err
	}
	if s.outbox != nil {
		if st.later, err = notify.PrepareLater(ctx, s.db); err != nil {
			return nil, err
		}
	}
	return &st, nil
}

// create inserts b in tx through the prepared statement.
func (s *Service) create(ctx context.Context, tx *gorm.DB, st *stmts, b *Booking) error {
	now := s.now()
	b.CreatedAt, b.UpdatedAt = now, now
	ins := db.InTx(ctx, tx, st.insert)
	if ins == nil {
		return tx.Create(b).Error
	}
	args := []any{b.ResourceID, b.PersonID, b.Title, b.StartAt, b.EndAt, b.BlockEnd,
		b.Quantity, b.Pooled, b.Status, b.HoldUntil, b.ParentID, b.SeriesID, b.Attendees, b.Destination, b.Purpose,
		b.Passengers, b.CreatedBy, b.CreatedAt, b.UpdatedAt, b.Private}
	if s.db.Dialect == db.Postgres {
		return ins.QueryRowContext(ctx, args...).Scan(&b.ID)
	}
	// SQLite: the row id comes with the result, without a RETURNING row to read.
	res, err := ins.ExecContext(ctx, args...)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	b.ID = uint(id)
	return err
}

// resource reads one resource: kept in memory through the prepared read when
// given (book, before its write: the database judges the write itself),
// otherwise in q (a caller's transaction); nil when there is none.
func (s *Service) resource(q *gorm.DB, read *sql.Stmt, id uint) (*Resource, error) {
	var r Resource
	if read == nil {
		if err := q.Limit(1).Find(&r, id).Error; err != nil || r.ID == 0 {
			return nil, err
		}
		return &r, nil
	}
	kept, err := s.resources.Load(id, func() (*Resource, error) {
		var f Resource
		err := read.QueryRowContext(q.Statement.Context, id).Scan(resourceFields(&f)...)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return &f, err
	})
	if err != nil || kept == nil {
		return nil, err
	}
	r = *kept // the caller's own copy
	return &r, nil
}

// lock serialises bookings of the same resources on PostgreSQL, in id order so
// two requests for the same room and projector cannot deadlock. SQLite's
// immediate transaction already holds the only write lock.
func (s *Service) lock(tx *gorm.DB, lines []line) error {
	if s.db.Dialect != db.Postgres {
		return nil
	}
	ids := make([]uint, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.res.ID)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for i, id := range ids {
		if i > 0 && ids[i-1] == id {
			continue
		}
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?, ?)", poolLockKey, int32(id)).Error; err != nil {
			return err
		}
	}
	return nil
}

// fits checks that qty units of r are free over [start, blockEnd), ignoring
// the booking except.
func (s *Service) fits(tx *gorm.DB, r *Resource, start, blockEnd time.Time, qty int, except uint) error {
	var rows []Booking
	err := tx.Select("id", "start_at", "block_end", "quantity").
		Where("resource_id = ? AND status IN ? AND block_end > ? AND start_at < ? AND id <> ?",
			r.ID, activeStatuses, start, blockEnd, except).
		Find(&rows).Error
	if err != nil {
		return err
	}
	if !r.Pooled() {
		if len(rows) > 0 {
			return ErrTaken
		}
		return nil
	}
	if maxUsed(rows, start, blockEnd)+qty > r.Quantity {
		return ErrPoolFull
	}
	return nil
}

// maxUsed is the largest number of units rows take at any moment of
// [start, end): the sum only grows where a booking starts, so those moments
// and start itself are the ones to look at (the database does the same).
func maxUsed(rows []Booking, start, end time.Time) int {
	most := 0
	points := []time.Time{start}
	for _, r := range rows {
		if r.StartAt.After(start) && r.StartAt.Before(end) {
			points = append(points, r.StartAt)
		}
	}
	for _, p := range points {
		used := 0
		for _, r := range rows {
			if !r.StartAt.After(p) && r.BlockEnd.After(p) {
				used += r.Quantity
			}
		}
		most = max(most, used)
	}
	return most
}

// dbError turns the database's own refusals into the service's errors; a
// lock it gave up waiting for (lock_timeout) means others are booking the
// same resource right now.
func dbError(err error) error {
	if err == nil {
		return nil
	}
	switch {
	case db.IsLockTimeout(err):
		return ErrBusy
	case db.IsConstraint(err, "booking_overlap"):
		return ErrTaken
	case db.IsConstraint(err, "booking_pool_full"):
		return ErrPoolFull
	case db.IsConstraint(err, "booking_no_resource"):
		return ErrUnknownResource
	}
	return err
}
