package warehouse

import (
	"context"
	"testing"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/module"
	"kapu/modules/platform/people"
)

// testNow is Thursday 3 December 2026, 9:00 UTC.
var testNow = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

// fixture is a fresh database with the warehouse's tables, the audit log,
// two departments and people: a storekeeper, an employee, an administrator.
type fixture struct {
	s           *Service
	d           *db.DB
	keeper, emp actor.Actor
	admin       actor.Actor
	dept, dept2 uint
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	models := append(append(Models(), audit.Models()...), &people.Department{}, &people.Person{}, &people.PersonRole{})
	must(t, d.Migrate(ctx, models, Migrations()))
	cat, err := i18n.Load() // the import reads heads and names in either language
	must(t, err)
	f := &fixture{d: d, s: NewService(module.Deps{DB: d, Catalog: cat})}
	f.s.SetClock(func() time.Time { return testNow })
	for i, name := range []string{"Pénzügyi Osztály", "Hatósági Osztály"} {
		dep := people.Department{Name: name}
		must(t, d.W.Create(&dep).Error)
		if i == 0 {
			f.dept = dep.ID
		} else {
			f.dept2 = dep.ID
		}
	}
	mk := func(username, name string, roles ...string) actor.Actor {
		p := people.Person{Username: username, Name: name, Email: username + "@kapu.test", Active: true}
		for _, r := range roles {
			p.Roles = append(p.Roles, people.PersonRole{Role: r})
		}
		must(t, d.W.Create(&p).Error)
		return p.Actor()
	}
	f.keeper = mk("katona", "Katona Zoltán", actor.Storekeeper)
	f.emp = mk("papp", "Papp Eszter", actor.Employee)
	f.admin = mk("admin", "Rendszergazda", actor.Admin)
	return f
}

// item adds an active item counted in unit, with onHand received.
func (f *fixture) item(t testing.TB, code, unit string, onHand Qty) *Item {
	t.Helper()
	ctx := context.Background()
	it, err := f.s.CreateItem(ctx, f.keeper, ItemInput{Code: code, NameHU: "Tétel " + code, NameEN: "Item " + code,
		Category: "office", Unit: unit, ReorderLevel: QtyOf(5), UnitPrice: 1200, Active: true})
	must(t, err)
	if onHand > 0 {
		_, err := f.s.Receive(ctx, f.keeper, Receipt{ItemID: it.ID, Quantity: onHand, Supplier: "Irodaszer Kft.", DeliveryNote: "SZL-1"})
		must(t, err)
	}
	return f.load(t, it.ID)
}

// load reads an item as the database has it.
func (f *fixture) load(t testing.TB, id uint) *Item {
	t.Helper()
	var it Item
	must(t, f.d.W.First(&it, id).Error)
	return &it
}

func (f *fixture) count(t testing.TB, model any) int64 {
	t.Helper()
	var n int64
	must(t, f.d.W.Model(model).Count(&n).Error)
	return n
}

// sums are an item's ledger sums.
func (f *fixture) sums(t testing.TB, id uint) (onHand, reserved Qty) {
	t.Helper()
	var row struct{ OnHand, Reserved Qty }
	must(t, f.d.W.Raw(`SELECT COALESCE(SUM(quantity), 0) AS on_hand, COALESCE(SUM(reserved), 0) AS reserved
		FROM warehouse_movements WHERE item_id = ?`, id).Scan(&row).Error)
	return row.OnHand, row.Reserved
}
