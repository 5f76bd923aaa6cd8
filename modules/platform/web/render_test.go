package web

import "testing"

func TestSafeNext(t *testing.T) {
	tests := []struct {
		next, want string
	}{
		{"/bookings", "/bookings"},
		{"/bookings?week=2026-12-07&kind=room", "/bookings?week=2026-12-07&kind=room"},
		{"/leave/plan#march", "/leave/plan#march"},
		{"/", "/"},
		{"", "/"},
		{"bookings", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r\nSet-Cookie: x=1", "/"},
		{"/ok\x00", "/"},
		{"/ok\x7f", "/"},
		{"/%2F/evil.example", "/"},
		{"https://evil.example/", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/caf\u00e9", "/"}, // a browser's link is percent-encoded; raw bytes are not
		{"/a b", "/"},
	}
	for _, tt := range tests {
		if got := SafeNext(tt.next, "/"); got != tt.want {
			t.Errorf("SafeNext(%q) = %q; want %q", tt.next, got, tt.want)
		}
	}
}
