package warehouse

import (
	"gorm.io/gorm"

	"kapu/modules/platform/notify"
	"kapu/modules/platform/people"
)

// mailLowStock queues, in tx, one mail to each storekeeper listing items
// with what to order, in the reader's language. key names the alert; the
// outbox adds the address.
func (m *Module) mailLowStock(tx *gorm.DB, items []LowItem, key string) error {
	if m.deps.Outbox == nil {
		return nil
	}
	lang := "hu"
	if m.deps.Cfg != nil {
		lang = m.deps.Cfg.Lang
	}
	to, err := people.RecipientsWithRole(tx, lang, StaffRole)
	if err != nil {
		return err
	}
	cat := m.deps.Catalog
	t := func(l, k string, args ...any) string {
		if cat == nil {
			return k
		}
		return cat.T(l, k, args...)
	}
	for _, r := range to {
		if !r.Mailable() {
			continue
		}
		lines := []string{t(r.Lang, "warehouse.mail.low_intro", "Count", len(items))}
		for _, it := range items {
			unit := t(r.Lang, "warehouse.unit."+it.Unit)
			lines = append(lines, t(r.Lang, "warehouse.mail.low_line", "Code", it.Code, "Name", it.Name(r.Lang),
				"Available", it.Available.Format(r.Lang), "Level", it.ReorderLevel.Format(r.Lang),
				"Suggested", it.Suggested.Format(r.Lang), "Unit", unit))
		}
		err := m.deps.Outbox.Enqueue(tx, notify.Message{Key: key, To: r.Email, ToName: r.Name, Lang: r.Lang,
			Template: "generic", Reason: "warehouse.mail.low_reason",
			Data: notify.Generic{Title: t(r.Lang, "warehouse.mail.low_title", "Count", len(items)), Lines: lines,
				ActionURL: "/warehouse/stock/low", ActionLabel: t(r.Lang, "warehouse.mail.low_action")}})
		if err != nil {
			return err
		}
	}
	return nil
}
