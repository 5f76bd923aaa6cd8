package linktoken

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

type testLink struct {
	ID uint `gorm:"primaryKey"`
	Fields
	Voided bool
}

func (testLink) TableName() string { return "linktoken_test_links" }

func open(t *testing.T, d *db.DB) {
	t.Helper()
	if err := d.Migrate(context.Background(), []any{&testLink{}}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestNewFindState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		open(t, d)
		now := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
		raw, f := New(now, time.Hour)
		if len(raw) < 22 || f.Hash == raw || f.Hash != Hash(raw) || !f.ExpiresAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("New = %q, %+v; want 128+ random bits and only their hash stored, expiring in an hour", raw, f)
		}
		if again, _ := New(now, time.Hour); again == raw {
			t.Fatal("New gave the same token twice")
		}
		l := testLink{Fields: f}
		if err := d.W.Create(&l).Error; err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"", "nope", f.Hash} {
			var got testLink
			if ok, err := Find(d.R, &got, bad); ok || err != nil {
				t.Errorf("Find(%q) = %v, %v; want not found", bad, ok, err)
			}
		}
		var got testLink
		if ok, err := Find(d.R, &got, raw); !ok || err != nil || got.ID != l.ID {
			t.Fatalf("Find(raw) = %v, %v, id %d; want link %d", ok, err, got.ID, l.ID)
		}
		tests := []struct {
			at   time.Time
			want string
		}{
			{now, Valid},
			{now.Add(time.Hour - time.Nanosecond), Valid},
			{now.Add(time.Hour), Expired},
		}
		for _, tt := range tests {
			if s := got.State(tt.at); s != tt.want {
				t.Errorf("State(%v) = %s; want %s", tt.at, s, tt.want)
			}
		}
		if ok, err := Use(d.W, &testLink{}, l.ID, now); !ok || err != nil {
			t.Fatalf("Use = %v, %v; want the first use to win", ok, err)
		}
		var used testLink
		Find(d.R, &used, raw)
		if s := used.State(now); s != Used {
			t.Errorf("State after Use = %s; want used", s)
		}
		if ok, err := Use(d.W, &testLink{}, l.ID, now); ok || err != nil {
			t.Errorf("second Use = %v, %v; want false", ok, err)
		}

		// A guard keeps a voided link from being used.
		raw2, f2 := New(now, time.Hour)
		l2 := testLink{Fields: f2, Voided: true}
		d.W.Create(&l2)
		notVoided := func(q *gorm.DB) *gorm.DB { return q.Where("voided = ?", false) }
		if ok, err := Use(d.W, &testLink{}, l2.ID, now, notVoided); ok || err != nil {
			t.Errorf("Use of a voided link = %v, %v; want false", ok, err)
		}
		var got2 testLink
		if ok, _ := Find(d.R, &got2, raw2); !ok || got2.State(now) != Valid {
			t.Errorf("a refused Use changed the link: %+v", got2)
		}
	})
}

// TestUseOnce: of many people pressing one link's button at once, one wins.
func TestUseOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		open(t, d)
		now := time.Now()
		_, f := New(now, time.Hour)
		l := testLink{Fields: f}
		if err := d.W.Create(&l).Error; err != nil {
			t.Fatal(err)
		}
		const n = 16
		var wins atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				err := d.Tx(context.Background(), func(tx *gorm.DB) error {
					ok, err := Use(tx, &testLink{}, l.ID, now)
					if ok {
						wins.Add(1)
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if w := wins.Load(); w != 1 {
			t.Errorf("%d of %d concurrent uses won; want exactly 1", w, n)
		}
	})
}

// TestFormSig: a mailed link's form is signed for that link and purpose
// only; another link's, purpose's or secret's signature is refused.
func TestFormSig(t *testing.T) {
	sig := FormSig("s3cret", "helpdesk-rate", "abc")
	if !CheckFormSig("s3cret", "helpdesk-rate", "abc", sig) {
		t.Fatal("the form's own signature is refused")
	}
	for _, bad := range [][3]string{{"s3cret", "helpdesk-rate", "abd"}, {"s3cret", "warehouse-confirm", "abc"}, {"other", "helpdesk-rate", "abc"}} {
		if CheckFormSig(bad[0], bad[1], bad[2], sig) {
			t.Errorf("CheckFormSig%v accepted another link's signature", bad)
		}
	}
}
