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

// EndSessionsOf ends one person's sessions but the kept one, and nobody else's;
// a later save of a session keeps the owner set at sign-in.
func TestEndSessionsOf(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := d.Migrate(context.Background(), []any{&StoredValue{}}, nil); err != nil {
			t.Fatal(err)
		}
		s := NewStorage(d)
		anna, bela := uint(1), uint(2)
		for _, row := range []StoredValue{
			{ID: "anna-here", Value: []byte("x"), UserID: &anna},
			{ID: "anna-laptop", Value: []byte("x"), UserID: &anna},
			{ID: "bela", Value: []byte("x"), UserID: &bela},
			{ID: "visitor", Value: []byte("x")},
			{ID: "anna-new", Value: []byte("x")},
		} {
			if err := d.W.Create(&row).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := s.setOwner(context.Background(), "anna-new", anna); err != nil {
			t.Fatal(err)
		}
		s.Set("anna-new", []byte("saved"), time.Hour) // a later save keeps the owner
		n, err := s.EndSessionsOf(d.W, anna, "anna-here")
		if err != nil || n != 2 {
			t.Errorf("EndSessionsOf(anna, keep anna-here) = %d, %v; want 2", n, err)
		}
		for _, c := range []struct {
			key  string
			want bool
		}{{"anna-here", true}, {"anna-laptop", false}, {"anna-new", false}, {"bela", true}, {"visitor", true}} {
			if v, _ := s.Get(c.key); (v != nil) != c.want {
				t.Errorf("session %s after EndSessionsOf = %q; want present %v", c.key, v, c.want)
			}
		}
	})
}
