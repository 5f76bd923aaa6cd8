package helpdesk

import (
	"strconv"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// The label's QR code holds the report form's address for the asset, and
// the SVG draws exactly the code's dark modules.
func TestLabelQRHoldsTheReportURL(t *testing.T) {
	u := ReportURL("https://kapu.varos.hu/", "NY 7/2&x")
	if u != "https://kapu.varos.hu/helpdesk/new?asset=NY+7%2F2%26x" {
		t.Fatalf("ReportURL = %q", u)
	}
	q, err := qrcode.New(u, qrcode.Medium)
	must(t, err)
	if q.Content != u {
		t.Errorf("QR content = %q; want %q", q.Content, u)
	}
	dark := 0
	for _, row := range q.Bitmap() {
		for _, on := range row {
			if on {
				dark++
			}
		}
	}
	svg, err := LabelQR(u)
	must(t, err)
	if got := strings.Count(string(svg), "h1v1h-1z"); got != dark || dark == 0 {
		t.Errorf("SVG draws %d modules; the code has %d dark ones", got, dark)
	}
	n := len(q.Bitmap())
	if !strings.Contains(string(svg), `viewBox="0 0 `+strconv.Itoa(n)+` `+strconv.Itoa(n)+`"`) {
		t.Errorf("SVG viewBox is not the %d-module square", n)
	}
	// A different payload draws a different code: the picture is the URL's.
	other, err := LabelQR(ReportURL("https://kapu.varos.hu", "NY 7/3"))
	must(t, err)
	if other == svg {
		t.Error("two tags drew the same code")
	}
}
