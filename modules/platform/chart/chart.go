// Package chart draws the small bar charts of Kapu's statistics pages as SVG on
// the server: the CSP allows no script and no inline style, so every colour and
// size is a presentation attribute, and each chart carries a data table for
// screen readers (and for anyone who wants the exact numbers).
package chart

import (
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Series is one named row of values, one value per label.
type Series struct {
	Name   string
	Color  string    // #rgb or #rrggbb; empty (or anything else) takes the next palette colour
	Colors []string  // optional colour per value, e.g. one series coloured by leave type
	Values []float64 // missing values count as zero
}

// Options tune a chart; the zero value draws a vertical, grouped chart.
type Options struct {
	Width, Height int                  // drawing size in user units: 720 × 320 by default; horizontal charts fit their rows, Height being the least
	Horizontal    bool                 // labels down the side, for long names such as departments
	Stacked       bool                 // series on top of each other instead of side by side
	ValueLabel    string               // value axis title and unit in tooltips, e.g. "working days"
	CategoryLabel string               // label axis title and the table's first header
	TotalLabel    string               // header of the table's total column of stacked charts ("Σ" by default)
	Description   string               // longer text for assistive technology, e.g. what the chart compares
	Format        func(float64) string // writes numbers in the page's language; plain decimals by default
	TableClass    string               // class of the data table; "visually-hidden" keeps it for screen readers only
	ID            string               // prefix of the element ids; derived from the title and labels by default
}

// Palette is used, in order, for series without a valid colour of their own.
var Palette = []string{"#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563", "#65a30d", "#9333ea"}

var colorRe = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// ValidColor reports whether s is a colour the charts accept: only hex, so
// nothing a caller passes can break out of an attribute.
func ValidColor(s string) bool { return colorRe.MatchString(s) }

// Font metrics are estimated: the server cannot measure text, and a slightly
// generous guess keeps labels from touching.
const (
	fontSize  = 12
	charWidth = 6.8
	lineH     = 18
	maxLabel  = 28 // runes shown of a label; the full text is in tooltips and the table
)

// bar is one drawn rectangle in value space and band space.
type bar struct {
	cat, ser int
	v0, v1   float64 // value range the bar covers
	off, w   float64 // position and size inside the label's band, as fractions
	value    float64
	color    string
}

// Bars draws a bar chart of series over labels with an accessible name
// (title), a tooltip on every bar and a data table beside it.
func Bars(title string, labels []string, series []Series, opts Options) template.HTML {
	o := opts
	if o.Width <= 0 {
		o.Width = 720
	}
	if o.Height <= 0 && !o.Horizontal {
		o.Height = 320
	}
	if o.Format == nil {
		o.Format = plain
	}
	if o.TableClass == "" {
		o.TableClass = "visually-hidden"
	}
	if o.TotalLabel == "" {
		o.TotalLabel = "Σ"
	}
	if o.ID == "" {
		o.ID = autoID(title, labels, series)
	}
	colors := seriesColors(series)

	bars, lo, hi := layout(labels, series, colors, o.Stacked)
	vmin, vmax, step := niceScale(lo, hi, 5)
	var ticks []float64
	for v := vmin; v <= vmax+step/2; v += step {
		ticks = append(ticks, math.Round(v/step)*step)
	}

	var b strings.Builder
	b.WriteString(`<figure class="chart">`)
	if len(labels) == 0 {
		fmt.Fprintf(&b, `<svg role="img" aria-labelledby="%s-t" viewBox="0 0 %d 60" width="100%%" xmlns="http://www.w3.org/2000/svg"><title id="%s-t">%s</title>`,
			o.ID, o.Width, o.ID, esc(title))
		fmt.Fprintf(&b, `<text x="%d" y="34" text-anchor="middle" font-size="%d" fill="currentColor">–</text></svg></figure>`, o.Width/2, fontSize)
		return template.HTML(b.String())
	}

	// Legend rows above the plot, when there is more than one series to tell apart.
	legend, legendH := legendItems(series, colors, float64(o.Width)-24)

	tickW := 0.0
	for _, t := range ticks {
		tickW = math.Max(tickW, textWidth(o.Format(t)))
	}
	labelW := 0.0
	for _, l := range labels {
		labelW = math.Max(labelW, textWidth(short(l)))
	}

	var left, right, top, bottom, labelRoom float64
	width, height := float64(o.Width), float64(o.Height)
	top = 10 + legendH
	right = 16
	if o.Horizontal {
		right = math.Max(right, tickW/2+6) // the last value label is centred on the plot's edge
	}
	rotate := false
	if o.Horizontal {
		left = math.Min(labelW+14, width*0.4)
		labelRoom = left - 12
		if o.CategoryLabel != "" {
			left += lineH
		}
		bottom = lineH + 8
		if o.ValueLabel != "" {
			bottom += lineH
		}
		band := 28.0
		if !o.Stacked && len(series) > 1 {
			band = float64(12*len(series) + 12)
		}
		height = math.Max(height, top+band*float64(len(labels))+bottom) // a set height is the least
	} else {
		left = tickW + 14
		if o.ValueLabel != "" {
			left += lineH
		}
		slot := (width - left - right) / float64(len(labels))
		bottom = lineH + 8
		if labelW > slot-4 {
			rotate = true
			bottom = math.Min(labelW*0.72+lineH, height*0.45)
		}
		if o.CategoryLabel != "" {
			bottom += lineH
		}
	}
	plotW, plotH := width-left-right, height-top-bottom

	// scale maps a value to its coordinate along the value axis.
	scale := func(v float64) float64 {
		f := (v - vmin) / (vmax - vmin)
		if o.Horizontal {
			return left + f*plotW
		}
		return top + plotH - f*plotH
	}
	bandSize := plotW / float64(len(labels))
	if o.Horizontal {
		bandSize = plotH / float64(len(labels))
	}

	labelledBy := o.ID + "-t"
	if o.Description != "" {
		labelledBy += " " + o.ID + "-d"
	}
	fmt.Fprintf(&b, `<svg role="img" aria-labelledby="%s" viewBox="0 0 %s %s" width="100%%" xmlns="http://www.w3.org/2000/svg" font-size="%d">`,
		labelledBy, num(width), num(height), fontSize)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title>`, o.ID, esc(title))
	if o.Description != "" {
		fmt.Fprintf(&b, `<desc id="%s-d">%s</desc>`, o.ID, esc(o.Description))
	}

	// Legend.
	for _, it := range legend {
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="10" height="10" rx="2" fill="%s"></rect><text x="%s" y="%s" fill="currentColor">%s</text>`,
			num(12+it.x), num(8+it.y), it.color, num(12+it.x+15), num(8+it.y+9.5), esc(it.name))
	}

	// Grid lines and value ticks.
	for _, t := range ticks {
		p := scale(t)
		stroke := "#e3e7ed"
		if t == 0 {
			stroke = "#8a94a3"
		}
		if o.Horizontal {
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"></line>`, num(p), num(top), num(p), num(top+plotH), stroke)
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="currentColor">%s</text>`, num(p), num(top+plotH+lineH-2), esc(o.Format(t)))
		} else {
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"></line>`, num(left), num(p), num(left+plotW), num(p), stroke)
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" fill="currentColor">%s</text>`, num(left-6), num(p+4), esc(o.Format(t)))
		}
	}

	// Bars, each with its exact value as a tooltip.
	for _, br := range bars {
		start := float64(br.cat) * bandSize
		p0, p1 := scale(br.v0), scale(br.v1)
		lo, size := math.Min(p0, p1), math.Abs(p1-p0)
		if size < 0.5 {
			continue
		}
		var x, y, w, h float64
		if o.Horizontal {
			x, w = lo, size
			y, h = top+start+br.off*bandSize, br.w*bandSize
		} else {
			x, w = left+start+br.off*bandSize, br.w*bandSize
			y, h = lo, size
		}
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
			num(x), num(y), num(w), num(h), br.color, esc(tooltip(labels[br.cat], series[br.ser].Name, o.Format(br.value), o.ValueLabel)))
	}

	// Category labels.
	for i, l := range labels {
		mid := float64(i)*bandSize + bandSize/2
		switch {
		case o.Horizontal:
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" fill="currentColor">%s</text>`, num(left-8), num(top+mid+4), esc(fit(l, labelRoom)))
		case rotate:
			x, y := left+mid, top+plotH+12
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" transform="rotate(-40 %s %s)" fill="currentColor">%s</text>`, num(x), num(y), num(x), num(y), esc(short(l)))
		default:
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="currentColor">%s</text>`, num(left+mid), num(top+plotH+lineH-2), esc(l))
		}
	}

	// Axis titles.
	if o.ValueLabel != "" {
		if o.Horizontal {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="currentColor">%s</text>`, num(left+plotW/2), num(height-6), esc(o.ValueLabel))
		} else {
			x, y := 14.0, top+plotH/2
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" transform="rotate(-90 %s %s)" fill="currentColor">%s</text>`, num(x), num(y), num(x), num(y), esc(o.ValueLabel))
		}
	}
	if o.CategoryLabel != "" {
		if o.Horizontal {
			x, y := 14.0, top+plotH/2
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" transform="rotate(-90 %s %s)" fill="currentColor">%s</text>`, num(x), num(y), num(x), num(y), esc(o.CategoryLabel))
		} else {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="currentColor">%s</text>`, num(left+plotW/2), num(height-6), esc(o.CategoryLabel))
		}
	}
	b.WriteString(`</svg>`)
	writeTable(&b, title, labels, series, o)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

// layout places every non-zero value as a bar and returns the value range drawn.
func layout(labels []string, series []Series, colors []string, stacked bool) ([]bar, float64, float64) {
	var out []bar
	lo, hi := 0.0, 0.0
	n := len(series)
	const pad = 0.15 // of the band, on each side
	for c := range labels {
		pos, neg := 0.0, 0.0
		for s, sr := range series {
			v := value(sr, c)
			if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			br := bar{cat: c, ser: s, value: v, color: colors[s]}
			if c < len(sr.Colors) && ValidColor(sr.Colors[c]) {
				br.color = sr.Colors[c]
			}
			if stacked || n == 1 {
				br.off, br.w = pad, 1-2*pad
				if v >= 0 {
					br.v0, br.v1 = pos, pos+v
					pos += v
				} else {
					br.v0, br.v1 = neg, neg+v
					neg += v
				}
			} else {
				w := (1 - 2*pad) / float64(n)
				br.off, br.w = pad+float64(s)*w, w*0.92
				br.v0, br.v1 = 0, v
			}
			lo, hi = math.Min(lo, math.Min(br.v0, br.v1)), math.Max(hi, math.Max(br.v0, br.v1))
			out = append(out, br)
		}
	}
	return out, lo, hi
}

func value(s Series, i int) float64 {
	if i < len(s.Values) {
		return s.Values[i]
	}
	return 0
}

// niceScale widens [lo, hi] (always including zero) to round tick steps of 1, 2, 2.5 or 5 × 10ⁿ.
func niceScale(lo, hi float64, ticks int) (float64, float64, float64) {
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	if hi-lo < 1e-9 {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(ticks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw-1e-12 {
			step = m * mag
			break
		}
	}
	return math.Floor(lo/step+1e-9) * step, math.Ceil(hi/step-1e-9) * step, step
}

type legendItem struct {
	x, y        float64
	name, color string
}

// legendItems lays the series names out in rows no wider than maxW.
func legendItems(series []Series, colors []string, maxW float64) ([]legendItem, float64) {
	if len(series) < 2 {
		return nil, 0
	}
	var out []legendItem
	x, y := 0.0, 0.0
	for i, s := range series {
		w := 15 + textWidth(short(s.Name)) + 18
		if x > 0 && x+w > maxW {
			x, y = 0, y+lineH
		}
		out = append(out, legendItem{x: x, y: y, name: short(s.Name), color: colors[i]})
		x += w
	}
	return out, y + lineH + 6
}

// seriesColors gives each series its own colour or the next unused palette one.
func seriesColors(series []Series) []string {
	out := make([]string, len(series))
	next := 0
	for i, s := range series {
		if ValidColor(s.Color) {
			out[i] = s.Color
			continue
		}
		out[i] = Palette[next%len(Palette)]
		next++
	}
	return out
}

// writeTable adds the chart's numbers as a table: screen readers read it instead of the picture.
func writeTable(b *strings.Builder, title string, labels []string, series []Series, o Options) {
	fmt.Fprintf(b, `<table class="%s"><caption>%s</caption><thead><tr><th scope="col">%s</th>`, esc(o.TableClass), esc(title), esc(o.CategoryLabel))
	for _, s := range series {
		name := s.Name
		if name == "" {
			name = o.ValueLabel
		}
		fmt.Fprintf(b, `<th scope="col" class="num">%s</th>`, esc(name))
	}
	total := o.Stacked && len(series) > 1
	if total {
		fmt.Fprintf(b, `<th scope="col" class="num">%s</th>`, esc(o.TotalLabel))
	}
	b.WriteString(`</tr></thead><tbody>`)
	for i, l := range labels {
		fmt.Fprintf(b, `<tr><th scope="row">%s</th>`, esc(l))
		sum := 0.0
		for _, s := range series {
			v := value(s, i)
			sum += v
			fmt.Fprintf(b, `<td class="num">%s</td>`, esc(o.Format(v)))
		}
		if total {
			fmt.Fprintf(b, `<td class="num">%s</td>`, esc(o.Format(sum)))
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
}

func tooltip(label, series, value, unit string) string {
	s := label
	if series != "" {
		s += " – " + series
	}
	s += ": " + value
	if unit != "" {
		s += " " + unit
	}
	return s
}

// autoID names the chart's elements after its content, so a page renders the same every time.
func autoID(title string, labels []string, series []Series) string {
	h := fnv.New32a()
	h.Write([]byte(title))
	for _, l := range labels {
		h.Write([]byte{0})
		h.Write([]byte(l))
	}
	for _, s := range series {
		h.Write([]byte{1})
		h.Write([]byte(s.Name))
	}
	return fmt.Sprintf("chart-%08x", h.Sum32())
}

func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * charWidth }

// short cuts a label to maxLabel runes.
func short(s string) string { return cut(s, maxLabel) }

// fit cuts a label to what fits in w units.
func fit(s string, w float64) string { return cut(s, int(w/charWidth)) }

func cut(s string, n int) string {
	if n < 2 {
		n = 2
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate with at most one decimal.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// plain writes a number with up to two decimals and a point.
func plain(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }
