package warehouse

import (
	"errors"
	"testing"

	"kapu/modules/platform/i18n"
)

// Every error, unit, category and movement kind has its sentence or name in
// both languages, and "only N left" reads right in each.
func TestMessages(t *testing.T) {
	c, err := i18n.Load()
	must(t, err)
	var keys []string
	for _, k := range messages {
		keys = append(keys, k)
	}
	for _, u := range Units {
		keys = append(keys, "warehouse.unit."+u.Code)
	}
	for _, k := range Categories {
		keys = append(keys, "warehouse.category."+k)
	}
	for _, k := range Kinds {
		keys = append(keys, "warehouse.kind."+k)
	}
	keys = append(keys, "warehouse.err.short", "warehouse.err.not_reserved", "warehouse.err.below_reserve")
	for _, k := range keys {
		for _, lang := range i18n.Langs {
			if c.T(lang, k) == k {
				t.Errorf("%s has no %s text", k, lang)
			}
		}
	}
	cases := []struct {
		err      error
		lang     string
		want     string
		wantKind error
	}{
		{&ShortError{Left: 2500, Unit: "kg"}, "hu", "Csak 2,5 kg van szabadon.", ErrShort},
		{&ShortError{Left: QtyOf(1), Unit: "doboz"}, "en", "Only 1 box left.", ErrShort},
		{&ShortError{Left: 0, Unit: "rizsma", Reserved: true}, "en", "Only 0 ream are reserved.", ErrNotReserved},
		{&BelowReserveError{Reserved: QtyOf(4), Unit: "db"}, "hu", "4 db le van foglalva; ennél kevesebb csak a foglalások feloldása után rögzíthető.", ErrBelowReserve},
		{errors.Join(ErrSupplier), "en", "Name the supplier.", ErrSupplier},
	}
	for _, x := range cases {
		key, args := Message(c, x.lang, x.err)
		if got := c.T(x.lang, key, args...); got != x.want || !errors.Is(x.err, x.wantKind) {
			t.Errorf("Message(%s, %v) = %q; want %q", x.lang, x.err, got, x.want)
		}
	}
	if key, _ := Message(c, "hu", errors.New("disk full")); key != "" {
		t.Errorf("Message of a foreign error = %q; want none", key)
	}
}
