package stats

import "sort"

// Dist is a histogram of whole units (minutes, hours): value → how many.
// The database groups the column, so a year of rows comes back as one row
// per distinct value, and medians and percentiles are read off it exactly,
// the same on both databases.
type Dist map[int]int

// N is how many values the histogram holds.
func (d Dist) N() int {
	n := 0
	for _, c := range d {
		n += c
	}
	return n
}

// Add merges o into d.
func (d Dist) Add(o Dist) {
	for v, c := range o {
		d[v] += c
	}
}

// P is the p-th percentile (0 < p ≤ 100) by the nearest rank: the smallest
// value with at least p % of the values at or below it; ok is false when
// the histogram is empty.
func (d Dist) P(p float64) (v int, ok bool) {
	n := d.N()
	if n == 0 {
		return 0, false
	}
	keys := make([]int, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	rank := max(int(p/100*float64(n)+0.999999), 1)
	seen := 0
	for _, k := range keys {
		if seen += d[k]; seen >= rank {
			return k, true
		}
	}
	return keys[len(keys)-1], true
}

// Scores counts satisfaction ratings by score: Scores[s] is how many gave s
// (1–5); index 0 is unused.
type Scores [6]int

// Count is how many ratings there are.
func (s Scores) Count() int {
	n := 0
	for _, c := range s[1:] {
		n += c
	}
	return n
}

// Average is the average score; ok is false without ratings.
func (s Scores) Average() (avg float64, ok bool) {
	n, sum := 0, 0
	for score := 1; score < len(s); score++ {
		n, sum = n+s[score], sum+score*s[score]
	}
	if n == 0 {
		return 0, false
	}
	return float64(sum) / float64(n), true
}

// Add sums o into s.
func (s *Scores) Add(o Scores) {
	for i := range s {
		s[i] += o[i]
	}
}
