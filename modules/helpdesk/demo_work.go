package helpdesk

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// demoParts are the work and parts the demo logs on finished tickets, per
// queue, taken in turn.
var demoParts = map[string][]struct {
	text  string
	mins  int
	parts []PartInput
}{
	QueueIT: {
		{"Toner cserélve, próbanyomtatás rendben.", 25, []PartInput{{Name: "toner (HP 59A)", Quantity: 1, UnitCost: 38900}}},
		{"Hálózati kábel cserélve a falicsatlakozóig, a kapcsolat stabil.", 40, []PartInput{{Name: "hálózati kábel (Cat6, 5 m)", Quantity: 2, UnitCost: 2490}}},
		{"Ellenőrzés a helyszínen, beállítások javítva.", 30, nil},
	},
	QueueMaintenance: {
		{"Zárbetét kiszerelve, új betét beépítve, kulcsok átadva.", 50, []PartInput{{Name: "zárbetét", Quantity: 1, UnitCost: 8900}, {Name: "kulcs másolat", Quantity: 2, UnitCost: 1200}}},
		{"Termosztát cserélve, a fűtés újra szabályoz.", 75, []PartInput{{Name: "termosztát", Quantity: 1, UnitCost: 14500}}},
		{"Radiátorszelep cserélve, a rendszer légtelenítve.", 90, []PartInput{{Name: "szelep", Quantity: 2, UnitCost: 6800}}},
	},
}

// demoWork logs work with parts on the demo's resolved and closed tickets
// (by their assignee, the day they were resolved), and on the open heating
// fault in the maintenance queue the checks done so far and a purchase of a
// circulation pump waiting for the lead's approval, so the demo can approve
// it by the email link. Tickets that have a log already are left alone.
func (s *Service) demoWork(ctx context.Context) error {
	var rows []struct {
		Ticket
		Key string
	}
	if err := s.db.R.WithContext(ctx).Table("helpdesk_tickets t").Select("t.*, q.key").
		Joins("JOIN helpdesk_queues q ON q.id = t.queue_id").
		Where("t.state IN ? AND NOT EXISTS (SELECT 1 FROM helpdesk_work_entries w WHERE w.ticket_id = t.id)",
			[]string{StateResolved, StateClosed}).Order("t.id").Scan(&rows).Error; err != nil {
		return err
	}
	turn := map[string]int{}
	for _, r := range rows {
		list := demoParts[r.Key]
		if len(list) == 0 || r.AssigneeID == nil {
			continue
		}
		d := list[turn[r.Key]%len(list)]
		turn[r.Key]++
		at := r.CreatedAt.Add(time.Hour)
		if r.ResolvedAt != nil {
			at = r.ResolvedAt.Add(-time.Duration(d.mins) * time.Minute)
		}
		if err := s.demoEntry(ctx, r.ID, *r.AssigneeID, d.text, d.mins, d.parts, at); err != nil {
			return err
		}
	}
	return s.demoHeating(ctx)
}

// demoEntry writes one entry as it would have been logged at at.
func (s *Service) demoEntry(ctx context.Context, ticketID, by uint, text string, mins int, parts []PartInput, at time.Time) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		e := &WorkEntry{TicketID: ticketID, ByID: by, Text: text, Minutes: mins, CreatedAt: at.UTC()}
		for _, p := range parts {
			part := Part{TicketID: ticketID, Name: p.Name, Quantity: p.Quantity, UnitCost: p.UnitCost}
			e.PartsCost += part.Cost()
			e.Parts = append(e.Parts, part)
		}
		if err := tx.Create(e).Error; err != nil {
			return err
		}
		return tx.Model(&Ticket{}).Where("id = ?", ticketID).Updates(map[string]any{
			"work_mins": gorm.Expr("work_mins + ?", mins), "parts_cost": gorm.Expr("parts_cost + ?", e.PartsCost)}).Error
	})
}

// demoHeating finds the open heating fault of the maintenance queue and
// gives it a first look in the log and the pump's purchase request.
func (s *Service) demoHeating(ctx context.Context) error {
	var t Ticket
	if err := s.db.R.WithContext(ctx).Table("helpdesk_tickets t").Select("t.*").
		Joins("JOIN helpdesk_queues q ON q.id = t.queue_id AND q.key = ?", QueueMaintenance).
		Joins("JOIN helpdesk_categories c ON c.id = t.category_id AND c.name_hu = ?", "Fűtés, hűtés").
		Where("t.state NOT IN ?", []string{StateResolved, StateClosed}).Order("t.id").Limit(1).Scan(&t).Error; err != nil {
		return err
	}
	if t.ID == 0 || s.approval == nil {
		return nil
	}
	var n int64
	if err := s.db.R.WithContext(ctx).Model(&PurchaseRequest{}).Where("ticket_id = ?", t.ID).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	worker, err := s.people.ByUsername(ctx, "bodnar.jozsef")
	if err != nil {
		return err
	}
	a := worker.Actor()
	if _, err := s.AddWork(ctx, a, t.ID, WorkInput{Text: "Radiátorok és szelepek átnézve, légtelenítve; a keringető szivattyú nem indul, cserélni kell.",
		Minutes: 60, Parts: []PartInput{{Name: "légtelenítő szelep", Quantity: 2, UnitCost: 1850}}}); err != nil {
		return err
	}
	_, err = s.RequestPurchase(ctx, a, t.ID, PurchaseInput{What: "keringető szivattyú", Cost: 86000, Supplier: "Thermo-Bolt Kft.",
		Why: "Az ügyfélváró fűtőkörének szivattyúja leégett, javítani nem gazdaságos; csere nélkül hideg marad a helyiség.", Wait: true})
	return err
}
