package calendar

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/demo"
)

// demoMovedDays are sample bridge-day swaps an admin would copy from the
// government's yearly decree: a Friday off, paid back by a Saturday worked.
var demoMovedDays = []struct {
	date Date
	kind string
	note string
}{
	{NewDate(2026, time.January, 2), KindHoliday, "Pihenőnap (áthelyezett munkanap: január 10.)"},
	{NewDate(2026, time.January, 10), KindWorkday, "Áthelyezett munkanap (január 2. helyett)"},
	{NewDate(2026, time.August, 21), KindHoliday, "Pihenőnap (áthelyezett munkanap: augusztus 8.)"},
	{NewDate(2026, time.August, 8), KindWorkday, "Áthelyezett munkanap (augusztus 21. helyett)"},
}

// Demo adds the moved days, so the calendar page and the working-day counts
// show how a bridge day works.
func (m *Module) Demo(ctx context.Context, _ demo.Options) error {
	return m.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, d := range demoMovedDays {
			if _, err := m.cal.SetOverride(ctx, tx, d.date, d.kind, d.note); err != nil {
				return err
			}
		}
		return nil
	})
}
