package warehouse

import (
	"fmt"
	"strconv"
	"strings"

	"kapu/modules/platform/i18n"
)

// Qty is an amount of an item in thousandths of its unit: 3 boxes are 3000,
// 2.5 kg are 2500. Every quantity the module stores or compares is a Qty, so
// sums are exact integers on both databases and a whole unit is a multiple
// of QtyScale; no float ever reaches a balance.
type Qty int64

// QtyScale is one whole unit as a Qty.
const QtyScale = 1000

// MaxQty is the most one movement, count or reorder level may name: a
// million units. More is a typo or an attack, never a city hall's delivery.
const MaxQty Qty = 1_000_000 * QtyScale

// QtyOf makes n whole units a Qty.
func QtyOf(n int64) Qty { return Qty(n * QtyScale) }

// Whole reports whether q is a whole number of units.
func (q Qty) Whole() bool { return q%QtyScale == 0 }

// Float is q in units, for charts and exports (never for arithmetic).
func (q Qty) Float() float64 { return float64(q) / QtyScale }

// String writes q in units with a point and only the decimals it needs
// ("3", "2.5", "0.125"), as a form field or a CSV in English carries it.
func (q Qty) String() string {
	neg := q < 0
	if neg {
		q = -q
	}
	s := strconv.FormatInt(int64(q/QtyScale), 10)
	if frac := q % QtyScale; frac != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(int64(QtyScale+frac), 10)[1:], "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// decimals is how many decimals String needs for q (0–3).
func (q Qty) decimals() int {
	s := q.String()
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// Format writes q for a reader in lang, grouped and with their decimal mark
// ("1 250", "2,5" in Hungarian; "1,250", "2.5" in English), exactly: a
// quantity is never rounded the way FormatFigure rounds hours.
func (q Qty) Format(lang string) string { return i18n.FormatNumber(lang, q.Float(), q.decimals()) }

// ParseQty reads a quantity typed in unit: digits with a decimal comma or
// point and at most three decimals ("2", "2,5", "0.125"). A fraction of a
// whole unit (2,5 db), zero, a negative number or more than MaxQty are
// refused with ErrQuantity, ErrFraction or ErrTooMuch; "" is ErrQuantity.
func ParseQty(s string, u Unit) (Qty, error) {
	q, err := parseDecimal(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 7)
	if err != nil {
		return 0, err
	}
	return q, checkQty(q, u)
}

// parseDecimal reads digits with an optional point and up to three decimals
// as a Qty; more than maxDigits before the point is ErrTooMuch (which also
// keeps the arithmetic far from overflow).
func parseDecimal(s string, maxDigits int) (Qty, error) {
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || len(frac) > 3 || (hasPoint && frac == "") || !digits(whole) || !digits(frac) {
		return 0, ErrQuantity
	}
	if len(strings.TrimLeft(whole, "0")) > maxDigits {
		return 0, ErrTooMuch
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	q := Qty(w * QtyScale)
	if frac != "" {
		f, _ := strconv.ParseInt((frac + "00")[:3], 10, 64)
		q += Qty(f)
	}
	return q, nil
}

// digits reports whether s is only ASCII digits ("" is).
func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// checkQty is the rule every quantity a person names keeps: more than zero,
// at most MaxQty, whole for a unit counted in whole pieces.
func checkQty(q Qty, u Unit) error {
	switch {
	case q <= 0:
		return ErrQuantity
	case q > MaxQty:
		return ErrTooMuch
	case u.Whole && !q.Whole():
		return ErrFraction
	}
	return nil
}

// MarshalJSON writes q in units, as audit rows show it ("2.5", not 2500).
func (q Qty) MarshalJSON() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalJSON reads what MarshalJSON wrote.
func (q *Qty) UnmarshalJSON(b []byte) error {
	s, neg := strings.CutPrefix(string(b), "-")
	v, err := parseDecimal(s, 15)
	if err != nil {
		return fmt.Errorf("warehouse: quantity %s: %w", b, err)
	}
	if neg {
		v = -v
	}
	*q = v
	return nil
}
