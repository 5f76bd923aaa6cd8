package warehouse

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/history"
	"kapu/modules/platform/i18n"
)

// wantEntry is one line the request's timeline should show.
type wantEntry struct {
	action, actor, other, channel string
}

// checkTimeline compares request id's timeline with want, in order, and
// checks that each entry reads as a sentence in both languages naming its
// facts (a missing key comes back as the key itself).
func checkTimeline(t *testing.T, f *reqFixture, id uint, want []wantEntry) {
	t.Helper()
	got, err := history.Of(f.d.R, requestEntity, id)
	must(t, err)
	if len(got) != len(want) {
		var acts []string
		for _, e := range got {
			acts = append(acts, e.Action)
		}
		t.Fatalf("timeline has %d entries %v; want %d", len(got), acts, len(want))
	}
	for i, w := range want {
		e := got[i]
		if e.Action != w.action || e.ActorName != w.actor || e.Other != w.other || e.Channel != w.channel {
			t.Errorf("entry %d = %s by %q (%s), %q; want %s by %q (%s), %q", i+1, e.Action, e.ActorName, e.Channel, e.Other,
				w.action, w.actor, w.channel, w.other)
		}
		for _, lang := range i18n.Langs {
			key := "warehouse.request.event." + e.Action
			s := f.cat.T(lang, key, "Name", e.ActorName, "Other", e.Other)
			if s == key || !strings.Contains(s, e.Other) {
				t.Errorf("entry %d in %s reads %q; want its sentence with %q", i+1, lang, s, e.Other)
			}
		}
	}
}

// A request walked through the whole way after approval: every step the
// requester waits for is on its timeline, in order, by whom and with its
// facts: the orders with supplier and expected day, each receipt's
// reservation (part, then complete), the free-text line's arrival, ready,
// the handover's quantities, the reminder and the confirmation by the
// mailed link; a second request confirmed in Kapu says so by its channel.
func TestTimelineFollowsTheFlow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(1))
		r := f.submit(t, LineInput{ItemID: paper.ID, Quantity: "3"}, LineInput{Text: "Laminálógép", Unit: "db", Quantity: "1"})
		_, err := f.s.ApproveLines(ctx, f.boss, r.ID, nil, "")
		must(t, err)
		lines := f.detail(t, r.ID).Lines
		if lines[0].State != LineToProcure || lines[0].Reserved != QtyOf(1) {
			t.Fatalf("paper line after approval: %+v; want 1 reserved, 2 to procure", lines[0])
		}

		expected := calendar.DateOf(testNow, f.s.tz()).AddDays(5)
		_, err = f.s.PlaceOrder(ctx, f.keeper, lines[0].ID, OrderInput{Supplier: "Papír Zrt.", Expected: expected})
		must(t, err)
		_, err = f.s.PlaceOrder(ctx, f.keeper, lines[1].ID, OrderInput{Supplier: "Gépbolt Kft."})
		must(t, err)
		for _, note := range []string{"SZ-2", "SZ-3"} {
			_, err := f.s.Receive(ctx, f.keeper, Receipt{ItemID: paper.ID, Quantity: QtyOf(1), Supplier: "Papír Zrt.", DeliveryNote: note})
			must(t, err)
		}
		must(t, f.s.ReceiveFree(ctx, f.keeper, lines[1].ID))
		must(t, f.s.MarkReady(ctx, f.keeper, r.ID))
		must(t, f.s.HandOver(ctx, f.keeper, r.ID))

		later := testNow.Add(72 * time.Hour)
		f.s.SetClock(func() time.Time { return later })
		if n, err := f.s.RemindHandovers(ctx); err != nil || n != 1 {
			t.Fatalf("RemindHandovers = %d, %v; want 1 request reminded", n, err)
		}
		var raw string
		must(t, d.Tx(ctx, func(tx *gorm.DB) error {
			var err error
			raw, err = f.s.newConfirmLink(tx, r.ID)
			return err
		}))
		_, err = f.s.ConfirmByLink(ctx, raw, "10.1.2.3")
		must(t, err)

		app, mail, system := actor.ChannelApp, actor.ChannelEmail, actor.ChannelSystem
		checkTimeline(t, f, r.ID, []wantEntry{
			{"submitted", "Papp Eszter", "", app},
			{"approved", "Kovács Anna", "", app}, // as asked: no entry for the quantities
			{eventOrderedExpected, "Katona Zoltán", "PAP-A4-80: Papír Zrt., 2026-12-08", app},
			{eventOrdered, "Katona Zoltán", "Laminálógép: Gépbolt Kft.", app},
			{eventReceivedPart, "Katona Zoltán", "PAP-A4-80: 1", app},
			{eventReceived, "Katona Zoltán", "PAP-A4-80: 1", app},
			{eventFreeReceived, "Katona Zoltán", "Laminálógép", app},
			{eventReady, "Katona Zoltán", "PAP-A4-80", app},
			{eventHandover, "Katona Zoltán", "PAP-A4-80: 3; Laminálógép: 1", app},
			{eventReminded, "Kapu", "PAP-A4-80, Laminálógép", system},
			{eventConfirmed, "Papp Eszter", "PAP-A4-80: 3; Laminálógép: 1", mail},
		})

		// Approved less, then confirmed in Kapu: the quantities have their
		// entry, the confirmation the same sentence, by the app.
		f.s.SetClock(func() time.Time { return testNow })
		toner := f.item(t, "TON-HP-12A", "db", QtyOf(2))
		r2 := f.submit(t, LineInput{ItemID: toner.ID, Quantity: "2"})
		less := []LineDecision{{LineID: f.detail(t, r2.ID).Lines[0].ID, Quantity: "1", Reason: "Egy elég"}}
		_, err = f.s.ApproveLines(ctx, f.boss, r2.ID, less, "")
		must(t, err)
		must(t, f.s.MarkReady(ctx, f.keeper, r2.ID))
		must(t, f.s.HandOver(ctx, f.keeper, r2.ID))
		must(t, f.s.ConfirmRequest(ctx, f.emp, r2.ID))
		checkTimeline(t, f, r2.ID, []wantEntry{
			{"submitted", "Papp Eszter", "", app},
			{"lines", "Kovács Anna", "", app},
			{"approved", "Kovács Anna", "", app},
			{eventReady, "Katona Zoltán", "TON-HP-12A", app},
			{eventHandover, "Katona Zoltán", "TON-HP-12A: 1", app},
			{eventConfirmed, "Papp Eszter", "TON-HP-12A: 1", app},
		})
	})
}
