package warehouse

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/errs"
)

// A stock-take is not stored: the count sheet carries, per item, the stock
// Kapu expected when the sheet was made, the storekeeper's counts come back
// with it (the printed sheet, or the form's hidden fields), and PostCount
// posts every difference as an adjustment whose update holds only if the
// stock is still what the sheet said (Adjust's counted-stock guard). So a
// sheet needs no table and cannot go stale silently: an item that moved
// since is refused by the ledger itself, whatever the form claims.

// CountSheet is what one shelf location should hold, as the storekeeper
// prints or opens it to count.
type CountSheet struct {
	Location string // "" is the items without a shelf
	MadeAt   time.Time
	Lines    []CountLine
}

// CountLine is one item of a count sheet.
type CountLine struct {
	ItemID   uint
	Code     string
	NameHU   string
	NameEN   string
	Unit     string
	Active   bool
	Expected Qty // on hand when the sheet was made
	Reserved Qty // of it, promised to requests (a count below it is refused)
}

// Name is the line's item name in lang.
func (l CountLine) Name(lang string) string {
	it := Item{NameHU: l.NameHU, NameEN: l.NameEN}
	return it.Name(lang)
}

// Shelf is one location of the store and how many items a sheet of it lists.
type Shelf struct {
	Location string
	Items    int
}

// countable is the items a count sheet lists: every active one, and a
// retired one while stock of it is still on the shelf.
const countable = "(active OR on_hand <> 0)"

// Shelves lists the locations that have something to count, in order.
func (s *Service) Shelves(ctx context.Context, a actor.Actor) ([]Shelf, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	var out []Shelf
	err := s.db.R.WithContext(ctx).Model(&Item{}).Select("location, COUNT(*) AS items").
		Where(countable).Group("location").Order("location").Scan(&out).Error
	return out, err
}

// CountSheet is the sheet of location: its items by code with their stock now.
func (s *Service) CountSheet(ctx context.Context, a actor.Actor, location string) (*CountSheet, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	location = trim(location)
	if !validLine(location, maxLocation) {
		return nil, ErrText
	}
	var items []Item
	if err := s.db.R.WithContext(ctx).Where("location = ? AND "+countable, location).Order("code").Find(&items).Error; err != nil {
		return nil, err
	}
	sheet := &CountSheet{Location: location, MadeAt: s.now(), Lines: make([]CountLine, 0, len(items))}
	for _, it := range items {
		sheet.Lines = append(sheet.Lines, CountLine{ItemID: it.ID, Code: it.Code, NameHU: it.NameHU, NameEN: it.NameEN,
			Unit: it.Unit, Active: it.Active, Expected: it.OnHand, Reserved: it.Reserved})
	}
	return sheet, nil
}

// Difference is one counted item whose count differs from its sheet.
type Difference struct {
	Count
	Code  string
	Unit  string
	Diff  Qty   // Counted − Expected: what the adjustment will post
	Value int64 // Diff at the item's unit price, forints (rounded toward zero)
	// Stale says the stock has moved since the sheet was made: PostCount
	// will refuse the item, so it is counted again first.
	Stale bool
}

// Differences are the lines of counts that would post something, in their
// order, for the review before PostCount; a line whose count equals the
// sheet posts nothing and is left out. An item that does not exist is
// ErrNotFound.
func (s *Service) Differences(ctx context.Context, a actor.Actor, counts []Count) ([]Difference, error) {
	if !isStaff(a) {
		return nil, ErrForbidden
	}
	ids := make([]uint, 0, len(counts))
	for _, c := range counts {
		if c.Counted != c.Expected {
			ids = append(ids, c.ItemID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var items []Item
	if err := s.db.R.WithContext(ctx).Select("id, code, unit, unit_price, on_hand").Where("id IN ?", ids).Find(&items).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]Item, len(items))
	for _, it := range items {
		byID[it.ID] = it
	}
	var out []Difference
	for _, c := range counts {
		if c.Counted == c.Expected {
			continue
		}
		it, ok := byID[c.ItemID]
		if !ok {
			return nil, ErrNotFound
		}
		d := c.Counted - c.Expected
		out = append(out, Difference{Count: c, Code: it.Code, Unit: it.Unit, Diff: d,
			Value: int64(d) * it.UnitPrice / QtyScale, Stale: it.OnHand != c.Expected})
	}
	return out, nil
}

// ErrCountRejected means a stock-take posted nothing: CountError lists why.
var ErrCountRejected = errs.New(errs.Conflict, "warehouse: the count was not posted")

// ErrCountedTwice is an item that appears twice in one stock-take.
var ErrCountedTwice = errs.New(errs.Invalid, "warehouse: the item is counted twice")

// CountProblem is why one item's count cannot be posted.
type CountProblem struct {
	ItemID uint
	Err    error // Message gives its sentence
}

// CountError is a stock-take refused whole, with every item that stopped it.
type CountError struct{ Problems []CountProblem }

func (e *CountError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Err.Error()
	}
	return ErrCountRejected.Error() + ": " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrCountRejected) and the Conflict kind hold.
func (e *CountError) Is(target error) bool {
	return target == ErrCountRejected || errors.Is(ErrCountRejected, target)
}

// CountResult is what a posted stock-take did.
type CountResult struct {
	Posted []Movement // one adjustment per difference
	Same   int        // lines whose count equalled the sheet
}

// PostCount posts every difference of a stock-take as an adjustment, in one
// transaction: all of them, or, if any item cannot be posted (its stock
// changed since the sheet, fewer counted than reserved, a bad count),
// none, with every such item in a CountError. reason is the stock-take's
// ("Éves leltár 2026"); a line's own Reason, if given, replaces it.
func (s *Service) PostCount(ctx context.Context, a actor.Actor, reason string, counts []Count) (CountResult, error) {
	var res CountResult
	if !isStaff(a) {
		return res, ErrForbidden
	}
	var problems []CountProblem
	seen := map[uint]bool{}
	var todo []Count
	for _, c := range counts {
		if seen[c.ItemID] {
			problems = append(problems, CountProblem{c.ItemID, ErrCountedTwice})
			continue
		}
		seen[c.ItemID] = true
		if trim(c.Reason) == "" {
			c.Reason = reason
		}
		var bad []error
		switch {
		case c.Counted < 0 || c.Expected < 0:
			bad = append(bad, ErrQuantity)
		case c.Counted > MaxQty || c.Expected > MaxQty:
			bad = append(bad, ErrTooMuch)
		}
		bad = append(bad, reasonProblems(c.Reason)...)
		if len(bad) > 0 {
			problems = append(problems, CountProblem{c.ItemID, errors.Join(bad...)})
			continue
		}
		if c.Counted == c.Expected {
			res.Same++
			continue
		}
		todo = append(todo, c)
	}
	if len(problems) > 0 {
		return CountResult{}, &CountError{problems}
	}
	if len(todo) == 0 {
		return res, nil
	}
	st, err := s.prepare(ctx)
	if err != nil {
		return CountResult{}, err
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, c := range todo {
			expected := c.Expected
			mv, err := s.post(tx, st, a, change{expected: &expected, mv: Movement{
				ItemID: c.ItemID, Kind: KindAdjust, Quantity: c.Counted - c.Expected, Reason: trim(c.Reason),
			}})
			if refusal(err) {
				// A refused update changed nothing and left the transaction
				// usable: go on, so the storekeeper learns every such item at once.
				problems = append(problems, CountProblem{c.ItemID, err})
				continue
			}
			if err != nil {
				return err
			}
			res.Posted = append(res.Posted, *mv)
		}
		if len(problems) > 0 {
			return &CountError{problems}
		}
		return nil
	})
	if err != nil {
		return CountResult{}, err
	}
	return res, nil
}

// refusal reports whether err is post refusing a movement for what the item
// is (whyRefused), rather than the database failing.
func refusal(err error) bool {
	var be *BelowReserveError
	var se *ShortError
	return err != nil && (errors.As(err, &be) || errors.As(err, &se) || errors.Is(err, ErrStale) ||
		errors.Is(err, ErrNotFound) || errors.Is(err, ErrFraction) || errors.Is(err, ErrInactive))
}

// The import's and the stock-take's own errors have their sentences beside
// the ledger's, so Message names them too.
func init() {
	messages[ErrImportRejected] = "warehouse.import.err.rejected"
	messages[ErrCountRejected] = "warehouse.stocktake.err.rejected"
	messages[ErrCountedTwice] = "warehouse.stocktake.err.twice"
}
