package db_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

type person struct {
	ID   uint
	Name string `gorm:"size:80"`
}

// hungarianOrder is how a Hungarian reader alphabetises names: accents only
// break ties (Ács and Ádám among the A's, Sárközi before Szűcs), and cs, gy,
// ny, sz, zs are letters of their own after c, g, n, s, z.
var hungarianOrder = []string{
	"Abel", "Ács", "Adam", "Ádám", "Cukor", "Czakó", "Csaba", "Dénes", "Gulyás", "Győri",
	"Nagy", "Nyitrai", "Nyúl", "Oszkár", "Öcsi", "Ödön", "Sárközi", "Sütő", "Szabó", "Szűcs", "Zoltán", "Zsolt",
}

func TestByNameSortsHungarian(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := d.Migrate(context.Background(), []any{&person{}}, nil); err != nil {
			t.Fatal(err)
		}
		in := slices.Clone(hungarianOrder)
		slices.Reverse(in)
		slices.Sort(in) // byte order: Sárközi, Sütő and Szűcs end up after Szabó and Zsolt
		for _, n := range in {
			if err := d.W.Create(&person{Name: n}).Error; err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		// The reader pool too: each of its connections has the collation.
		for _, g := range []struct {
			name string
			q    func() error
		}{
			{"writer", func() error { return d.W.Model(&person{}).Order(d.ByName("name")).Pluck("name", &got).Error }},
			{"reader", func() error { return d.R.Model(&person{}).Order(d.ByName("name")+", id").Pluck("name", &got).Error }},
		} {
			got = nil
			if err := g.q(); err != nil {
				t.Fatalf("%s: %v", g.name, err)
			}
			if !reflect.DeepEqual(got, hungarianOrder) {
				t.Errorf("%s ORDER BY %s = %q; want %q", g.name, d.ByName("name"), got, hungarianOrder)
			}
		}
	})
}

// The Go collator agrees with the databases, for lists sorted in Go.
func TestNameCollator(t *testing.T) {
	c := db.NewNameCollator()
	got := slices.Clone(hungarianOrder)
	slices.Reverse(got)
	slices.SortFunc(got, c.CompareString)
	if !reflect.DeepEqual(got, hungarianOrder) {
		t.Errorf("NewNameCollator sorts %q; want %q", got, hungarianOrder)
	}
}

// BenchmarkNameOrder sorts 5,000 names in SQLite by byte order and by the
// Hungarian collation, to show what the collation costs a people list.
func BenchmarkNameOrder(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	if err := d.Migrate(context.Background(), []any{&person{}}, nil); err != nil {
		b.Fatal(err)
	}
	var batch []person
	for i := range 5000 {
		batch = append(batch, person{Name: fmt.Sprintf("%s %s", hungarianOrder[i%len(hungarianOrder)], hungarianOrder[(i/7)%len(hungarianOrder)])})
	}
	if err := d.W.CreateInBatches(&batch, 500).Error; err != nil {
		b.Fatal(err)
	}
	for _, o := range []struct{ name, order string }{{"byte", "name, id"}, {"hu", d.ByName("name") + ", id"}} {
		b.Run(o.name, func(b *testing.B) {
			for b.Loop() {
				var ids []uint
				if err := d.R.Model(&person{}).Order(o.order).Limit(50).Offset(2500).Pluck("id", &ids).Error; err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
