package warehouse

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseQty(t *testing.T) {
	db, kg := Unit{Code: "db", Whole: true}, Unit{Code: "kg"}
	cases := []struct {
		in   string
		unit Unit
		want Qty
		err  error
	}{
		{"3", db, 3000, nil},
		{" 12 ", db, 12000, nil},
		{"2,5", kg, 2500, nil},
		{"2.5", kg, 2500, nil},
		{"0,125", kg, 125, nil},
		{"007", db, 7000, nil},
		{"1000000", db, MaxQty, nil},
		{"2,5", db, 0, ErrFraction},
		{"3,0", db, 3000, nil},
		{"0", db, 0, ErrQuantity},
		{"0,000", kg, 0, ErrQuantity},
		{"", db, 0, ErrQuantity},
		{"-2", db, 0, ErrQuantity},
		{"+2", db, 0, ErrQuantity},
		{"1e3", db, 0, ErrQuantity},
		{"1 000", db, 0, ErrQuantity},
		{"2,5,1", kg, 0, ErrQuantity},
		{"2.", kg, 0, ErrQuantity},
		{",5", kg, 0, ErrQuantity},
		{"0,0001", kg, 0, ErrQuantity},
		{"NaN", kg, 0, ErrQuantity},
		{"٣", db, 0, ErrQuantity}, // an Arabic-Indic three
		{"1000001", db, 0, ErrTooMuch},
		{"99999999999999999999999", db, 0, ErrTooMuch},
	}
	for _, c := range cases {
		got, err := ParseQty(c.in, c.unit)
		if !errors.Is(err, c.err) || (c.err == nil && got != c.want) {
			t.Errorf("ParseQty(%q, %s) = %v, %v; want %v, %v", c.in, c.unit.Code, got, err, c.want, c.err)
		}
	}
}

func TestQtyWritten(t *testing.T) {
	cases := []struct {
		q           Qty
		str, hu, en string
	}{
		{3000, "3", "3", "3"},
		{2500, "2.5", "2,5", "2.5"},
		{125, "0.125", "0,125", "0.125"},
		{5, "0.005", "0,005", "0.005"},
		{-1500, "-1.5", "-1,5", "-1.5"},
		{1_250_000, "1250", "1\u00a0250", "1,250"},
		{0, "0", "0", "0"},
	}
	for _, c := range cases {
		if got := c.q.String(); got != c.str {
			t.Errorf("Qty(%d).String() = %q; want %q", int64(c.q), got, c.str)
		}
		if got := c.q.Format("hu"); got != c.hu {
			t.Errorf("Qty(%d).Format(hu) = %q; want %q", int64(c.q), got, c.hu)
		}
		if got := c.q.Format("en"); got != c.en {
			t.Errorf("Qty(%d).Format(en) = %q; want %q", int64(c.q), got, c.en)
		}
		b, err := json.Marshal(c.q)
		var back Qty
		if err != nil || json.Unmarshal(b, &back) != nil || back != c.q {
			t.Errorf("JSON of Qty(%d) = %s, back %d (%v); want the same quantity", int64(c.q), b, int64(back), err)
		}
	}
}
