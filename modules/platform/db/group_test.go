package db_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"gorm.io/gorm"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// Calls that share a transaction keep their own outcomes: a failing, a
// panicking or a constraint-breaking call loses only its own rows.
func TestGroupKeepsEachOutcome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, []any{&widget{}}, steps); err != nil {
			t.Fatal(err)
		}
		if err := d.W.Create(&widget{Name: "taken"}).Error; err != nil {
			t.Fatal(err)
		}
		const n = 60
		boom := errors.New("boom")
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = d.Group(ctx, func(tx *gorm.DB) error {
					if err := tx.Create(&widget{Name: fmt.Sprintf("w%d", i)}).Error; err != nil {
						return err
					}
					switch i % 5 {
					case 1:
						return boom
					case 2:
						if i == 2 {
							panic("bug")
						}
					case 3:
						return tx.Create(&widget{Name: "taken"}).Error // unique index
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			var want bool
			switch i % 5 {
			case 1, 3:
				want = false
			case 2:
				want = i != 2
			default:
				want = true
			}
			var count int64
			d.R.Model(&widget{}).Where("name = ?", fmt.Sprintf("w%d", i)).Count(&count)
			if (err == nil) != want || (count == 1) != want {
				t.Errorf("call %d: error %v, row kept %v; want success %v for both", i, err, count == 1, want)
			}
		}
		if !errors.Is(errs[1], boom) {
			t.Errorf("call 1 error = %v; want its own error", errs[1])
		}
	})
}

// A call whose context has ended before its turn writes nothing.
func TestGroupSkipsEndedContext(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, []any{&widget{}}, steps); err != nil {
			t.Fatal(err)
		}
		ended, cancel := context.WithCancel(ctx)
		cancel()
		err := d.Group(ended, func(tx *gorm.DB) error { return tx.Create(&widget{Name: "late"}).Error })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Group with an ended context = %v; want context.Canceled", err)
		}
		var count int64
		d.R.Model(&widget{}).Count(&count)
		if count != 0 {
			t.Errorf("rows = %d; want 0", count)
		}
	})
}
