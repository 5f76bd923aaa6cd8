package chart

import (
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"
)

// wellFormed fails the test unless out parses as XML: a broken tag would break the whole page.
func wellFormed(t *testing.T, out string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("chart is not well-formed: %v\n%s", err, out)
		}
	}
}

func TestBarsAccessible(t *testing.T) {
	out := string(Bars("Days per month", []string{"Jan", "Feb", "Mar"},
		[]Series{{Name: "Annual", Color: "#2563eb", Values: []float64{3, 4.5, 0}}, {Name: "Sick", Values: []float64{1, 0, 2}}},
		Options{Stacked: true, ValueLabel: "days", CategoryLabel: "Month", Description: "Leave by month", TotalLabel: "Total"}))
	wellFormed(t, out)
	for _, want := range []string{
		`role="img"`, `<title id="`, `>Days per month</title>`, `<desc id="`, `>Leave by month</desc>`,
		`<title>Feb – Annual: 4.5 days</title>`, `<title>Mar – Sick: 2 days</title>`,
		`<table class="visually-hidden"><caption>Days per month</caption>`,
		`<th scope="col">Month</th>`, `<th scope="col" class="num">Total</th>`,
		`<tr><th scope="row">Jan</th><td class="num">3</td><td class="num">1</td><td class="num">4</td></tr>`,
		`fill="#2563eb"`, `viewBox="0 0 720 320"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("chart lacks %q\n%s", want, out)
		}
	}
	// The accessible name points at the title and the description.
	m := regexp.MustCompile(`aria-labelledby="([^"]+)"`).FindStringSubmatch(out)
	if m == nil || len(strings.Fields(m[1])) != 2 {
		t.Fatalf("aria-labelledby = %v; want the title and desc ids", m)
	}
	for _, id := range strings.Fields(m[1]) {
		if !strings.Contains(out, `id="`+id+`"`) {
			t.Errorf("aria-labelledby names %s, which is not in the chart", id)
		}
	}
	// Zero values draw no bar: 4 non-zero values, 4 bars (plus the legend swatches).
	if n := strings.Count(out, "<rect") - 2; n != 4 {
		t.Errorf("drew %d bars; want 4", n)
	}
	// The same data gives the same ids, so pages render the same every time.
	again := string(Bars("Days per month", []string{"Jan", "Feb", "Mar"},
		[]Series{{Name: "Annual", Color: "#2563eb", Values: []float64{3, 4.5, 0}}, {Name: "Sick", Values: []float64{1, 0, 2}}},
		Options{Stacked: true, ValueLabel: "days", CategoryLabel: "Month", Description: "Leave by month", TotalLabel: "Total"}))
	if again != out {
		t.Error("the same chart rendered twice differs")
	}
}

func TestBarsEscapesAndRejectsColours(t *testing.T) {
	evil := `<script>alert(1)</script>"`
	out := string(Bars(evil, []string{evil}, []Series{{Name: evil, Color: `red" onload="x`, Colors: []string{"#zzz"}, Values: []float64{1}}}, Options{ValueLabel: evil}))
	wellFormed(t, out)
	if strings.Contains(out, "<script") || strings.Contains(out, `onload="`) {
		t.Errorf("chart lets markup through:\n%s", out)
	}
	if !strings.Contains(out, `fill="`+Palette[0]+`"`) {
		t.Errorf("an invalid colour should fall back to the palette:\n%s", out)
	}
	if !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("the title should be escaped, not dropped:\n%s", out)
	}
}

func TestBarsPerValueColoursAndFormat(t *testing.T) {
	hu := func(v float64) string { return strings.Replace(plain(v), ".", ",", 1) }
	out := string(Bars("By type", []string{"Annual", "Sick"}, []Series{{Values: []float64{12.5, 3}, Colors: []string{"#111111", "#222222"}}},
		Options{Format: hu, ValueLabel: "nap", TableClass: "table"}))
	wellFormed(t, out)
	for _, want := range []string{`fill="#111111"`, `fill="#222222"`, `<title>Annual: 12,5 nap</title>`, `<table class="table">`, `<th scope="col" class="num">nap</th>`} {
		if !strings.Contains(out, want) {
			t.Errorf("chart lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "Σ") {
		t.Error("a single series needs no total column")
	}
}

func TestBarsHorizontalGrowsAndCutsLabels(t *testing.T) {
	labels := make([]string, 20)
	for i := range labels {
		labels[i] = strings.Repeat("Ügyfélszolgálati Iroda ", 3)
	}
	vals := make([]float64, 20)
	out := string(Bars("By department", labels, []Series{{Name: "A", Values: vals}, {Name: "B", Values: vals}}, Options{Horizontal: true}))
	wellFormed(t, out)
	m := regexp.MustCompile(`viewBox="0 0 720 ([0-9.]+)"`).FindStringSubmatch(out)
	if m == nil || m[1] == "320" {
		t.Errorf("20 grouped rows should make the chart taller than the default: %v", m)
	}
	small := string(Bars("Two rows", []string{"A", "B"}, []Series{{Values: []float64{1, 2}}}, Options{Horizontal: true}))
	if m := regexp.MustCompile(`viewBox="0 0 720 ([0-9.]+)"`).FindStringSubmatch(small); m == nil || len(m[1]) > 2 {
		t.Errorf("two horizontal rows should make a short chart: %v", m)
	}
	if !strings.Contains(out, "…</text>") {
		t.Error("long labels should be cut in the drawing")
	}
	if !strings.Contains(out, `<th scope="row">`+labels[0]+`</th>`) {
		t.Error("the table keeps the full label")
	}
}

func TestBarsRotatesCrowdedLabels(t *testing.T) {
	labels := []string{"Polgármesteri Kabinet", "Humánerőforrás Osztály", "Hatósági Osztály", "Ügyfélszolgálati Iroda", "Pénzügyi Osztály", "Adóiroda", "Műszaki Osztály", "Informatikai Csoport"}
	out := string(Bars("t", labels, []Series{{Values: []float64{1, 2, 3, 4, 5, 6, 7, 8}}}, Options{}))
	wellFormed(t, out)
	if !strings.Contains(out, `transform="rotate(-40`) {
		t.Error("long labels under narrow bars should be turned")
	}
	out = string(Bars("t", []string{"Jan", "Feb"}, []Series{{Values: []float64{1, 2}}}, Options{}))
	if strings.Contains(out, `rotate(-40`) {
		t.Error("short labels stay level")
	}
}

func TestBarsNegativeAndEmpty(t *testing.T) {
	out := string(Bars("Remaining", []string{"A", "B"}, []Series{{Values: []float64{-2, 5}}}, Options{}))
	wellFormed(t, out)
	if !strings.Contains(out, `>-2</text>`) && !strings.Contains(out, `>-5</text>`) {
		t.Errorf("a negative value needs ticks below zero:\n%s", out)
	}
	empty := string(Bars("Nothing", nil, nil, Options{}))
	wellFormed(t, empty)
	if !strings.Contains(empty, `role="img"`) || !strings.Contains(empty, ">Nothing</title>") {
		t.Errorf("an empty chart still needs its name:\n%s", empty)
	}
}

func TestNiceScale(t *testing.T) {
	for _, tt := range []struct {
		lo, hi               float64
		wantLo, wantHi, step float64
	}{
		{0, 3, 0, 3, 1},
		{0, 0, 0, 1, 0.2},
		{0, 47, 0, 50, 10},
		{0, 123.5, 0, 125, 25},
		{-2, 5, -2, 6, 2},
		{0, 0.7, 0, 0.8, 0.2},
	} {
		lo, hi, step := niceScale(tt.lo, tt.hi, 5)
		if lo != tt.wantLo || hi != tt.wantHi || step != tt.step {
			t.Errorf("niceScale(%v, %v) = %v, %v, %v; want %v, %v, %v", tt.lo, tt.hi, lo, hi, step, tt.wantLo, tt.wantHi, tt.step)
		}
	}
}

func TestValidColor(t *testing.T) {
	for s, want := range map[string]bool{"#fff": true, "#2563eb": true, "#2563EB": true, "red": false, "#12345": false, `#fff"`: false, "": false} {
		if ValidColor(s) != want {
			t.Errorf("ValidColor(%q) = %v; want %v", s, !want, want)
		}
	}
}
