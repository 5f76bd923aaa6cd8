package stats

import "testing"

func TestDistPercentiles(t *testing.T) {
	for _, tc := range []struct {
		d        Dist
		p        float64
		want     int
		wantOK   bool
		wantSize int
	}{
		{Dist{}, 50, 0, false, 0},
		{Dist{7: 1}, 50, 7, true, 1},
		{Dist{7: 1}, 90, 7, true, 1},
		{Dist{1: 1, 2: 1, 3: 1, 4: 1}, 50, 2, true, 4},
		{Dist{1: 1, 2: 1, 3: 1, 4: 1}, 75, 3, true, 4},
		{Dist{1: 1, 2: 1, 3: 1, 4: 1}, 90, 4, true, 4},
		{Dist{1: 1, 2: 1, 3: 1, 4: 1}, 100, 4, true, 4},
		{Dist{1: 1, 2: 1, 3: 1, 4: 1}, 1, 1, true, 4},
		{Dist{1: 9, 30: 1}, 90, 1, true, 10},
		{Dist{1: 8, 30: 2}, 90, 30, true, 10},
		{Dist{5: 3, 0: 3}, 50, 0, true, 6},
	} {
		got, ok := tc.d.P(tc.p)
		if got != tc.want || ok != tc.wantOK || tc.d.N() != tc.wantSize {
			t.Errorf("%v.P(%v) = %d, %v (N %d); want %d, %v (N %d)", tc.d, tc.p, got, ok, tc.d.N(), tc.want, tc.wantOK, tc.wantSize)
		}
	}
}

func TestScores(t *testing.T) {
	s := Scores{0, 0, 0, 0, 1, 2}
	s.Add(Scores{0, 0, 0, 0, 0, 0})
	if avg, ok := s.Average(); !ok || s.Count() != 3 || avg < 4.66 || avg > 4.67 {
		t.Errorf("Scores %v: %d ratings, average %v; want 3, 4.67", s, s.Count(), avg)
	}
	if _, ok := (Scores{}).Average(); ok {
		t.Error("the average of no ratings is ok; want not")
	}
}
