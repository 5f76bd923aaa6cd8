package web

import (
	"bytes"
	"context"
	"testing"
	"time"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestStorage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := d.Migrate(context.Background(), []any{&StoredValue{}}, nil); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)
		s := NewStorage(d)
		s.now = func() time.Time { return now }

		s.Set("a", []byte("one"), time.Hour)
		s.Set("a", []byte("two"), time.Hour) // overwrite, not a second row
		s.Set("forever", []byte("x"), 0)
		if v, err := s.Get("a"); err != nil || !bytes.Equal(v, []byte("two")) {
			t.Errorf("Get(a) = %q, %v; want two", v, err)
		}
		if v, _ := s.Get("missing"); v != nil {
			t.Errorf("Get(missing) = %q; want nil", v)
		}
		now = now.Add(2 * time.Hour)
		if v, _ := s.Get("a"); v != nil {
			t.Errorf("Get(a) after expiry = %q; want nil", v)
		}
		if n, err := s.DeleteExpired(context.Background()); err != nil || n != 1 {
			t.Errorf("DeleteExpired = %d, %v; want 1", n, err)
		}
		if v, _ := s.Get("forever"); string(v) != "x" {
			t.Errorf("Get(forever) = %q; want x", v)
		}
		s.Delete("forever")
		if v, _ := s.Get("forever"); v != nil {
			t.Errorf("Get(forever) after Delete = %q; want nil", v)
		}
	})
}
