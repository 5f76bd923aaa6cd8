package kapu

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/calendar"
)

// demoMovedDays are sample bridge-day swaps an admin would copy from the
// government's yearly decree: a Friday off, paid back by a Saturday worked.
var demoMovedDays = []struct {
	date calendar.Date
	kind string
	note string
}{
	{calendar.NewDate(2026, time.January, 2), calendar.KindHoliday, "Pihenőnap (áthelyezett munkanap: január 10.)"},
	{calendar.NewDate(2026, time.January, 10), calendar.KindWorkday, "Áthelyezett munkanap (január 2. helyett)"},
	{calendar.NewDate(2026, time.August, 21), calendar.KindHoliday, "Pihenőnap (áthelyezett munkanap: augusztus 8.)"},
	{calendar.NewDate(2026, time.August, 8), calendar.KindWorkday, "Áthelyezett munkanap (augusztus 21. helyett)"},
}

func (a *App) seedDemoCalendar(ctx context.Context) error {
	return a.DB.Tx(ctx, func(tx *gorm.DB) error {
		for _, d := range demoMovedDays {
			if _, err := a.Calendar.SetOverride(ctx, tx, d.date, d.kind, d.note); err != nil {
				return err
			}
		}
		return nil
	})
}
