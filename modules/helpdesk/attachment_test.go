package helpdesk_test

import (
	"bytes"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/helpdesk"
	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
)

// tkPNG is a small real PNG, as a phone's screenshot would be.
func tkPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var tkPhotoLink = regexp.MustCompile(`/helpdesk/attachments/(\d+)`)

// TestReportPhotoRefused: a picture over 5 MB, an SVG carrying a script and
// a PDF renamed .png are refused next to the photo field, the form keeps
// what was typed, and neither a ticket nor a photo is saved.
func TestReportPhotoRefused(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		emp := kaputest.SignedIn(t, app, "employee")
		emp.Get("/helpdesk/new")
		big := append(tkPNG(t), bytes.Repeat([]byte{0}, helpdesk.MaxAttachmentBytes)...)
		svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`)
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
		cases := []struct {
			name, file string
			data       []byte
			want       string
		}{
			{"oversized", "big.png", big, "The picture is larger than 5 MB"},
			{"svg with a script", "x.svg", svg, "Only PNG, JPEG, GIF or WebP pictures can be attached."},
			{"pdf renamed", "scan.png", pdf, "Only PNG, JPEG, GIF or WebP pictures can be attached."},
		}
		for _, tc := range cases {
			tickets, photos := tkCount(t, app, "helpdesk_tickets"), tkCount(t, app, "helpdesk_attachments")
			res, body := tkPost(t, emp, "/helpdesk/new", url.Values{"category_id": {tkCategory(t, app, helpdesk.QueueIT, "Hardware")},
				"title": {"Villog a monitor " + tc.name}, "impact": {helpdesk.ImpactHinders}}, tc.file, tc.data)
			body = html.UnescapeString(body)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: POST = %d; want 422", tc.name, res.StatusCode)
			}
			if !strings.Contains(body, `id="f-photo-error"`) || !strings.Contains(body, tc.want) {
				t.Errorf("%s: no message next to the photo field", tc.name)
			}
			if !strings.Contains(body, "Villog a monitor "+tc.name) {
				t.Errorf("%s: the typed title is lost", tc.name)
			}
			if a, b := tkCount(t, app, "helpdesk_tickets"), tkCount(t, app, "helpdesk_attachments"); a != tickets || b != photos {
				t.Errorf("%s: tickets %d → %d, photos %d → %d; want nothing saved", tc.name, tickets, a, photos, b)
			}
		}
	})
}

// TestAttachmentServed: a PNG reported with the ticket is served to the
// reporter and the queue's staff as an image that cannot run (nosniff, a
// sandboxing CSP, a plain file name), and is a 404 to another employee.
func TestAttachmentServed(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		emp := kaputest.SignedIn(t, app, "employee")
		emp.Get("/helpdesk/new")
		data := tkPNG(t)
		res, body := tkPost(t, emp, "/helpdesk/new", url.Values{"category_id": {tkCategory(t, app, helpdesk.QueueIT, "Printer")},
			"title": {"Csíkos a nyomat"}, "impact": {helpdesk.ImpactHinders}}, `..\..\evil"name.png`, data)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("report with a PNG = %d\n%s", res.StatusCode, body)
		}
		_, page := emp.Get(res.Header.Get("Location"))
		m := tkPhotoLink.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the ticket page shows no photo")
		}
		path := m[0]
		for _, who := range []string{"employee", "deak.milan"} {
			c := emp
			if who != "employee" {
				c = kaputest.SignedIn(t, app, who)
			}
			res, got := c.Get(path)
			if res.StatusCode != http.StatusOK || got != string(data) {
				t.Fatalf("%s GET %s = %d, %d bytes; want 200 and the PNG", who, path, res.StatusCode, len(got))
			}
			h := res.Header
			if h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" ||
				h.Get("Content-Security-Policy") != "sandbox; default-src 'none'" {
				t.Errorf("%s: headers type %q, nosniff %q, CSP %q", who, h.Get("Content-Type"), h.Get("X-Content-Type-Options"), h.Get("Content-Security-Policy"))
			}
			if cd := h.Get("Content-Disposition"); !regexp.MustCompile(`^inline; filename="photo-\d+\.png"$`).MatchString(cd) {
				t.Errorf("%s: Content-Disposition %q; want a plain name", who, cd)
			}
		}
		hr := kaputest.SignedIn(t, app, "hr")
		if res, _ := hr.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("another employee GET %s = %d; want 404", path, res.StatusCode)
		}
		if res, _ := hr.Get("/helpdesk/attachments/x1"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a malformed id = %d; want 404", res.StatusCode)
		}
	})
}

// TestInternalNotePhotoHidden: a photo staff attach to an internal note is
// theirs: the reporter neither sees it on the page nor can fetch it.
func TestInternalNotePhotoHidden(t *testing.T) {
	kaputest.Each(t, func(t *testing.T, app *kapu.App) {
		emp := kaputest.SignedIn(t, app, "employee")
		path := tkReport(t, app, emp, "Zajos a ventilátor")
		it := kaputest.SignedIn(t, app, "it")
		it.Get(path)
		res, _ := tkPost(t, it, path+"/comment", url.Values{"body": {"Garanciális, a szállítót hívom"}, "internal": {"1"}}, "note.png", tkPNG(t))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("internal note with a photo = %d; want 303", res.StatusCode)
		}
		_, page := it.Get(path)
		m := tkPhotoLink.FindString(page)
		if m == "" || !strings.Contains(page, "Garanciális") {
			t.Fatalf("staff do not see their internal note's photo")
		}
		_, page = emp.Get(path)
		if strings.Contains(page, m) || strings.Contains(page, "Garanciális") {
			t.Errorf("the reporter sees the internal note or its photo")
		}
		if res, _ := emp.Get(m); res.StatusCode != http.StatusNotFound {
			t.Errorf("the reporter GET %s = %d; want 404", m, res.StatusCode)
		}
	})
}
