package warehouse

import (
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/history"
	"kapu/modules/platform/web"
)

// The request's timeline after approval: each step the requester waits for
// (ordered, received, ready, handed over, confirmed, reminded) writes one
// entry in its own transaction. The timeline's sentence (the catalog's
// warehouse.request.event.<action>) takes only the actor's name and one
// more text (Other), and every reader sees the same stored row in their
// own language, so the facts in Other are written the same in every
// language: item codes (a free-text line's own words), supplier names,
// ISO days and quantities with a point; the sentence says what they are.

// Timeline actions of the way after approval.
const (
	eventOrdered         = "ordered"          // Other: "CODE: supplier"
	eventOrderedExpected = "ordered_expected" // Other: "CODE: supplier, 2026-12-10"
	eventReceived        = "received"         // a receipt completed the line; Other: "CODE: qty"
	eventReceivedPart    = "received_part"    // a receipt reserved part of what the line lacks
	eventFreeReceived    = "free_received"    // a free-text line's goods arrived; Other: its text
	eventReady           = "ready"            // Other: "CODE, CODE"
	eventHandover        = "handover"         // Other: "CODE: qty; CODE: qty"
	eventConfirmed       = "confirmed"        // in Kapu or by the link (the entry's channel says which)
	eventReminded        = "reminded"         // Other: "CODE, CODE"
)

// noteStep writes the timeline entry of a step of request id, by a, at at.
func noteStep(tx *gorm.DB, a actor.Actor, id uint, action string, at time.Time, facts string) error {
	return history.Note(tx, a, history.Entry{Entity: requestEntity, EntityID: id, At: at, Action: action, Other: facts})
}

// lineLabels names lines for the timeline: the item's code, or the free
// text, read in one query.
func lineLabels(tx *gorm.DB, lines []RequestLine) (map[uint]string, error) {
	items, err := itemsOfLines(tx, lines)
	if err != nil {
		return nil, err
	}
	out := make(map[uint]string, len(lines))
	for i := range lines {
		l := &lines[i]
		switch it := items[derefID(l.ItemID)]; {
		case l.Free():
			out[l.ID] = l.Text
		case it != nil:
			out[l.ID] = it.Code
		default:
			out[l.ID] = "#" + web.FormatID(*l.ItemID)
		}
	}
	return out, nil
}

// linesFacts is "CODE: 3; Laminálógép: 1" (with qty) or "CODE, Laminálógép"
// (without) for the timeline.
func linesFacts(tx *gorm.DB, lines []RequestLine, qty func(*RequestLine) Qty) (string, error) {
	labels, err := lineLabels(tx, lines)
	if err != nil {
		return "", err
	}
	parts := make([]string, len(lines))
	sep := ", "
	for i := range lines {
		parts[i] = labels[lines[i].ID]
		if qty != nil {
			parts[i] += ": " + qty(&lines[i]).String()
			sep = "; "
		}
	}
	return strings.Join(parts, sep), nil
}

// orderFacts is an order's entry: its action (with or without an expected
// day) and "CODE: supplier[, day]".
func orderFacts(label string, o *Order) (string, string) {
	if o.ExpectedOn.IsZero() {
		return eventOrdered, label + ": " + o.Supplier
	}
	return eventOrderedExpected, label + ": " + o.Supplier + ", " + o.ExpectedOn.String()
}
