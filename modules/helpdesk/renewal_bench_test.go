package helpdesk

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

// seedVolume writes assets and tickets straight into the tables, in a few
// big INSERTs, as many as a city hall has after years of use.
func seedVolume(t testing.TB, f *fixture, assets, tickets int) {
	t.Helper()
	ctx := context.Background()
	must(t, f.d.Tx(ctx, func(tx *gorm.DB) error {
		var b strings.Builder
		for i := 0; i < assets; i++ {
			if b.Len() == 0 {
				b.WriteString("INSERT INTO helpdesk_assets (tag, type, model, serial, building, floor, room, price, life_months, state, queue_key, purchased_on, warranty_end, created_at, updated_at) VALUES ")
			} else {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "('T-%05d', 'nyomtató', '', '', '', '', '', %d, 60, 'in_use', 'it', '2022-01-0%d', '2024-01-01', '2022-01-01 00:00:00+00:00', '2022-01-01 00:00:00+00:00')", i, 100000+i, 1+i%9)
			if i%500 == 499 || i == assets-1 {
				if err := tx.Exec(b.String()).Error; err != nil {
					return err
				}
				b.Reset()
			}
		}
		var first uint
		if err := tx.Raw("SELECT MIN(id) FROM helpdesk_assets").Scan(&first).Error; err != nil {
			return err
		}
		start := testNow.AddDate(-3, 0, 0)
		for i := 0; i < tickets; i++ {
			if b.Len() == 0 {
				b.WriteString("INSERT INTO helpdesk_tickets (number, queue_id, category_id, title, reporter_id, asset_id, impact, urgency, priority, state, work_mins, parts_cost, created_at, updated_at, resolved_at) VALUES ")
			} else {
				b.WriteString(",")
			}
			at := start.Add(time.Duration(float64(i) / float64(tickets) * float64(3*365*24*time.Hour)))
			ts := at.UTC().Format("2006-01-02 15:04:05+00:00")
			fmt.Fprintf(&b, "('', %d, %d, 'x', %d, %d, 'hinders', 'medium', 3, 'resolved', 30, %d, '%s', '%s', '%s')",
				f.itQueue.ID, f.itCat, f.emp.ID, first+uint(i*7919%assets), i%5000, ts, ts, at.Add(5*time.Hour).UTC().Format("2006-01-02 15:04:05+00:00"))
			if i%1000 == 999 || i == tickets-1 {
				if err := tx.Exec(b.String()).Error; err != nil {
					return err
				}
				b.Reset()
			}
		}
		return nil
	}))
}

// The renewal report of 5,000 assets over 300,000 tickets takes at most
// 300 ms on an idle machine: a read of the assets, one of the rollup's
// cells and a few weeks of tickets. Set KAPU_RENEWAL_VOLUME=1 to
// run it (it seeds for a minute).
func TestRenewalVolume(t *testing.T) {
	if os.Getenv("KAPU_RENEWAL_VOLUME") == "" {
		t.Skip("set KAPU_RENEWAL_VOLUME=1 to seed 300,000 tickets")
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		seedVolume(t, f, 5000, 300000)
		ctx := context.Background()
		must(t, f.s.RebuildStats(ctx)) // rows written past the service

		best := time.Hour
		for range 3 {
			began := time.Now()
			rows, err := f.s.Renewal(ctx, f.it1, RenewalFilter{})
			took := time.Since(began)
			must(t, err)
			if len(rows) != 5000 || rows[0].Faults == 0 {
				t.Fatalf("%d rows, the first with %d faults", len(rows), rows[0].Faults)
			}
			best = min(best, took)
		}
		t.Logf("%s: renewal of 5,000 assets over 300,000 tickets in %v", d.Dialect, best)
		if best > 300*time.Millisecond {
			t.Errorf("renewal took %v; want at most 300 ms", best)
		}
	})
}
