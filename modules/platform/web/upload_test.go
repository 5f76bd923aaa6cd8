package web

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

var (
	errBig  = errors.New("too large")
	errKind = errors.New("wrong type")
	pngRule = FileRule{Types: map[string]string{"image/png": ".png", "application/pdf": ".pdf"}, Max: 64, TooLarge: errBig, WrongType: errKind}
	pngData = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
)

// A file is taken by what its bytes are: a PNG named .exe passes, an HTML
// page or an SVG named .png does not, nor an empty file or one over the limit.
func TestFileRuleCheck(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
		err  error
	}{
		{"photo.exe", pngData, "image/png", nil},
		{"scan.png", []byte("%PDF-1.4\n%%EOF"), "application/pdf", nil},
		{"page.png", []byte("<!DOCTYPE html><script>alert(1)</script>"), "", errKind},
		{"logo.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>`), "", errKind},
		{"empty.png", nil, "", errKind},
		{"big.png", append(append([]byte{}, pngData...), make([]byte, 64)...), "", errBig},
	}
	for _, c := range cases {
		got, err := pngRule.Check(&Upload{Name: c.name, Data: c.data})
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("Check(%s) = %q, %v; want %q, %v", c.name, got, err, c.want, c.err)
		}
	}
}

// A name is shown as its last path part, on one line, without quotes; a
// name with nothing left takes the fallback and the type's extension.
func TestFileRuleName(t *testing.T) {
	cases := map[string]string{
		`C:\scans\"tanúsítvány"` + "\n.pdf": "tanúsítvány.pdf",
		"../../etc/passwd":                  "passwd",
		"  ":                                "file.png",
		strings.Repeat("é", 150):            strings.Repeat("é", 100),
	}
	for in, want := range cases {
		if got := pngRule.Name(&Upload{Name: in}, "image/png", "file"); got != want {
			t.Errorf("Name(%q) = %q; want %q", in, got, want)
		}
	}
}

// Read takes the form's file whole when it fits and refuses a larger one by
// its declared size; no file is nothing.
func TestFileRuleRead(t *testing.T) {
	form := func(data []byte) *multipart.FileHeader {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile("file", "x.png")
		fw.Write(data)
		w.Close()
		r := httptest.NewRequest("POST", "/", &body)
		r.Header.Set("Content-Type", w.FormDataContentType())
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			t.Fatal(err)
		}
		return r.MultipartForm.File["file"][0]
	}
	if up, err := pngRule.Read(form(pngData)); err != nil || up == nil || !bytes.Equal(up.Data, pngData) || up.Name != "x.png" {
		t.Errorf("Read of a PNG = %+v, %v", up, err)
	}
	if _, err := pngRule.Read(form(make([]byte, 100))); !errors.Is(err, errBig) {
		t.Errorf("Read of 100 bytes with a limit of 64 = %v; want %v", err, errBig)
	}
	if up, err := pngRule.Read(nil); up != nil || err != nil {
		t.Errorf("Read(nil) = %v, %v; want nothing", up, err)
	}
}
