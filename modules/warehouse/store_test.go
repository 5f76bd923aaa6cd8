package warehouse

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// Every movement's audit row is the ledger row as JSON (after) and the stock
// it found (before), on both databases, whichever way it was written: on
// PostgreSQL the one-statement write builds that JSON in SQL around the
// numbers it learns, so fractions, negative changes and texts that look like
// the JSON's own keys must come out exactly as Go writes them.
func TestLedgerAuditRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		soap := f.item(t, "SZAPPAN-5L", "l", 0)
		box := f.item(t, "GEM-28", "doboz", QtyOf(3))
		before := f.count(t, &audit.Entry{})
		tricky := `Tisza & Társa <Kft.> "OnHandAfter":0,"ID":7 100% 'ok' \ ű`
		var got []*Movement
		keep := func(mv *Movement, err error) {
			t.Helper()
			must(t, err)
			got = append(got, mv)
		}
		keep(f.s.Receive(ctx, f.keeper, Receipt{ItemID: soap.ID, Quantity: 12_125, Supplier: tricky, DeliveryNote: "SZL-\"1\""}))
		keep(f.s.Reserve(ctx, f.keeper, Reservation{ItemID: soap.ID, Quantity: 2_500, DepartmentID: f.dept}))
		keep(f.s.Issue(ctx, f.keeper, Issue{ItemID: soap.ID, Quantity: 2_500, DepartmentID: f.dept, FromReserved: true}))
		keep(f.s.Return(ctx, f.keeper, Return{ItemID: soap.ID, Quantity: 125, DepartmentID: f.dept2, Reason: tricky}))
		keep(f.s.Adjust(ctx, f.keeper, Count{ItemID: soap.ID, Expected: 9_750, Counted: 9_005, Reason: "leltár"}))
		keep(f.s.WriteOff(ctx, f.keeper, WriteOff{ItemID: soap.ID, Quantity: 9_005, Reason: "kifolyt"}))
		keep(f.s.Reserve(ctx, f.keeper, Reservation{ItemID: box.ID, Quantity: QtyOf(3)}))
		keep(f.s.Release(ctx, f.keeper, Reservation{ItemID: box.ID, Quantity: QtyOf(3)}))

		var rows []audit.Entry
		must(t, d.R.Where("id > ?", before).Order("id").Find(&rows).Error)
		if len(rows) != len(got) {
			t.Fatalf("%d audit rows for %d movements", len(rows), len(got))
		}
		for i, mv := range got {
			var stored Movement
			must(t, d.R.First(&stored, mv.ID).Error)
			if stored.OnHandAfter != mv.OnHandAfter || stored.ReservedAfter != mv.ReservedAfter || stored.Quantity != mv.Quantity ||
				stored.Reserved != mv.Reserved || stored.Supplier != mv.Supplier || stored.Reason != mv.Reason {
				t.Errorf("%s: ledger row %+v; the service returned %+v", mv.Kind, stored, *mv)
			}
			wantAfter, err := json.Marshal(mv)
			must(t, err)
			wantBefore, err := json.Marshal(stock{OnHand: mv.OnHandAfter - mv.Quantity, Reserved: mv.ReservedAfter - mv.Reserved})
			must(t, err)
			e := rows[i]
			if e.Action != "warehouse."+mv.Kind || e.Entity != itemEntity || e.EntityID != strconv.FormatUint(uint64(stored.ItemID), 10) ||
				e.ActorID == nil || *e.ActorID != f.keeper.ID || e.ActorName != f.keeper.Name || e.Channel == "" {
				t.Errorf("%s: audit row %+v", mv.Kind, e)
			}
			if e.After != string(wantAfter) {
				t.Errorf("%s: audit after\n%s\nwant\n%s", mv.Kind, e.After, wantAfter)
			}
			if e.Before != string(wantBefore) {
				t.Errorf("%s: audit before %s; want %s", mv.Kind, e.Before, wantBefore)
			}
		}
	})
}
