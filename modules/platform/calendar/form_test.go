package calendar

import (
	"testing"

	"kapu/modules/platform/web"
)

func TestParseDateField(t *testing.T) {
	tests := []struct {
		in       string
		want     Date
		msg      string
		optional string // the message of ParseOptionalDateField
	}{
		{"2026-03-02", NewDate(2026, 3, 2), "", ""},
		{" 2026-03-02 ", NewDate(2026, 3, 2), "", ""},
		{"", Date{}, web.MsgDate, ""},
		{"2026-02-30", Date{}, web.MsgDate, web.MsgDate},
		{"2026.03.02", Date{}, web.MsgDate, web.MsgDate},
	}
	for _, tt := range tests {
		errs := web.Errors{}
		if got := ParseDateField(tt.in, "day", errs); got != tt.want || errs["day"].Key != tt.msg {
			t.Errorf("ParseDateField(%q) = %v, %q; want %v, %q", tt.in, got, errs["day"].Key, tt.want, tt.msg)
		}
		errs = web.Errors{}
		if got := ParseOptionalDateField(tt.in, "day", errs); got != tt.want || errs["day"].Key != tt.optional {
			t.Errorf("ParseOptionalDateField(%q) = %v, %q; want %v, %q", tt.in, got, errs["day"].Key, tt.want, tt.optional)
		}
	}
}
