package i18n

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestFormatDateRange(t *testing.T) {
	tests := []struct {
		lang     string
		from, to time.Time
		year     int
		want     string
	}{
		{"en", day(2027, 1, 12), day(2027, 1, 12), 2027, "12 Jan"},
		{"en", day(2027, 1, 12), day(2027, 1, 14), 2027, "12–14 Jan"},
		{"en", day(2027, 1, 30), day(2027, 2, 3), 2027, "30 Jan – 3 Feb"},
		{"en", day(2026, 12, 29), day(2027, 1, 2), 2027, "29 Dec 2026 – 2 Jan 2027"},
		{"en", day(2027, 1, 12), day(2027, 1, 14), 2026, "12–14 Jan 2027"},
		{"en", day(2027, 1, 30), day(2027, 2, 3), noYear, "30 Jan – 3 Feb 2027"},
		{"en", day(2027, 1, 14), day(2027, 1, 12), 2027, "12–14 Jan"}, // given the wrong way round
		{"hu", day(2027, 1, 12), day(2027, 1, 12), 2027, "jan. 12."},
		{"hu", day(2027, 1, 12), day(2027, 1, 14), 2027, "jan. 12–14."},
		{"hu", day(2027, 1, 30), day(2027, 2, 3), 2027, "jan. 30. – febr. 3."},
		{"hu", day(2026, 12, 29), day(2027, 1, 2), 2027, "2026. dec. 29. – 2027. jan. 2."},
		{"hu", day(2027, 3, 12), day(2027, 3, 14), 2026, "2027. márc. 12–14."},
		{"hu", day(2027, 9, 1), day(2027, 9, 1), noYear, "2027. szept. 1."},
	}
	for _, tt := range tests {
		if got := FormatDateRangeIn(tt.lang, tt.from, tt.to, tt.year); got != tt.want {
			t.Errorf("FormatDateRangeIn(%q, %s, %s, %d) = %q; want %q", tt.lang, tt.from.Format(time.DateOnly), tt.to.Format(time.DateOnly), tt.year, got, tt.want)
		}
	}
	if got := FormatDateRange("en", day(2027, 1, 12), day(2027, 1, 14)); got != "12–14 Jan 2027" {
		t.Errorf("FormatDateRange(en) = %q; want the year written", got)
	}
}

func TestFormatTimeRange(t *testing.T) {
	budapest, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		t.Fatal(err)
	}
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2027, m, d, h, min, 0, 0, budapest) }
	tests := []struct {
		lang     string
		from, to time.Time
		year     int
		want     string
	}{
		{"en", at(3, 3, 9, 0), at(3, 3, 11, 30), 2027, "3 Mar 09:00–11:30"},
		{"hu", at(3, 3, 9, 0), at(3, 3, 11, 30), 2027, "márc. 3. 09:00–11:30"},
		{"en", at(3, 3, 9, 0), at(3, 4, 17, 0), 2027, "3 Mar 09:00 – 4 Mar 17:00"},
		{"hu", at(3, 3, 9, 0), at(3, 4, 17, 0), 2027, "márc. 3. 09:00 – márc. 4. 17:00"},
		{"en", at(3, 3, 20, 0), at(3, 4, 0, 0), 2027, "3 Mar 20:00–24:00"},
		{"en", at(3, 3, 9, 0), at(3, 3, 10, 0), 2026, "3 Mar 2027 09:00–10:00"},
		{"hu", at(3, 3, 9, 0), at(3, 4, 8, 0), 2026, "2027. márc. 3. 09:00 – 2027. márc. 4. 08:00"},
	}
	for _, tt := range tests {
		if got := FormatTimeRangeIn(tt.lang, tt.from.UTC(), tt.to.UTC(), budapest, tt.year); got != tt.want {
			t.Errorf("FormatTimeRangeIn(%q, %s, %s, %d) = %q; want %q", tt.lang, tt.from, tt.to, tt.year, got, tt.want)
		}
	}
}
