package warehouse

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/schedule"
)

// driftSetting holds the codes of the items whose cache the last nightly
// check found drifted from the ledger ("" when none), for the notice on the
// stock list.
const driftSetting = "warehouse.drift"

// jobs registers the module's scheduled work.
func (m *Module) jobs(j schedule.Registrar) error {
	if err := j.Daily("warehouse.verify", 2, 40, m.verifyJob); err != nil {
		return err
	}
	if err := j.Daily("warehouse.stats_rollup", 3, 10, m.rollupJob); err != nil {
		return err
	}
	return j.Every("warehouse.low_stock", 15*time.Minute, m.lowStockJob)
}

// verifyJob re-sums the ledger (Verify), logs every drifted item and keeps
// their codes for the stock list's notice. It repairs nothing: a drift is a
// bug or a hand-made change, and a person must look at it.
func (m *Module) verifyJob(ctx context.Context) error {
	drift, err := m.svc.Verify(ctx)
	if err != nil {
		return err
	}
	codes := make([]string, 0, len(drift))
	for _, d := range drift {
		codes = append(codes, d.Code)
		if m.deps.Log != nil {
			m.deps.Log.Warn("warehouse: stock drifted from its ledger", "item", d.Code, "on_hand", d.OnHand.String(),
				"ledger_on_hand", d.LedgerOnHand.String(), "reserved", d.Reserved.String(), "ledger_reserved", d.LedgerReserved.String())
		}
	}
	list := strings.Join(codes, ", ")
	if len(list) > 1900 {
		list = list[:1900] + " …"
	}
	if err := m.svc.db.SetSetting(ctx, driftSetting, list); err != nil {
		return err
	}
	return schedule.Did(len(drift), nil)
}

// rollupJob builds the statistics' closed months of the past year and the
// final requests' summaries at night, so the first reading after a month's
// end does not wait seconds for them; the page would build what is missing
// all the same.
func (m *Module) rollupJob(ctx context.Context) error {
	s := m.svc
	open := calendar.DateOf(s.closedBefore(), s.tz())
	keys := make([]int, 12)
	for i := range keys {
		keys[i] = monthKey(calendar.NewDate(open.Year, open.Month-time.Month(i+1), 1))
	}
	if err := s.ensureMonths(ctx, keys); err != nil {
		return err
	}
	_, err := s.summarizeRequests(ctx)
	return err
}

// lowStockJob mails the storekeepers the items that newly fell to their
// reorder level, once per crossing: the marks and the mail commit together.
func (m *Module) lowStockJob(ctx context.Context) error {
	n := 0
	err := m.svc.db.Tx(ctx, func(tx *gorm.DB) error {
		ordered, err := onOrder(tx)
		if err != nil {
			return err
		}
		items, err := m.svc.lowStockCrossings(tx, ordered)
		if err != nil || len(items) == 0 {
			return err
		}
		n = len(items)
		return m.mailLowStock(tx, items, fmt.Sprintf("warehouse/low_stock/%d", m.svc.now().UnixNano()))
	})
	return schedule.Did(n, err)
}
