package web

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// day is a civil date as calendar.Date offers it (web cannot import calendar).
type day struct{ y, m, d int }

func (d day) IsZero() bool                  { return d.y == 0 }
func (d day) Civil() (int, time.Month, int) { return d.y, time.Month(d.m), d.d }

// The bytes a spreadsheet reads: BOM, separator, decimal mark, CRLF, ISO
// dates, formula-safe text, per language.
func TestCSVBytes(t *testing.T) {
	budapest, _ := time.LoadLocation("Europe/Budapest")
	head := []string{"Név", "Napok", "Fő", "Kezdet", "Rögzítve"}
	rows := [][]any{
		{"=Sárközi", 2.5, 48210, day{2026, 12, 2}, time.Date(2026, 12, 2, 8, 30, 0, 0, time.UTC)},
		{"Szűcs; Anna", 2.0, 0, day{}, nil},
	}
	tests := []struct{ lang, want string }{
		{"hu", "\ufeffNév;Napok;Fő;Kezdet;Rögzítve\r\n'=Sárközi;2,5;48210;2026-12-02;2026-12-02 09:30\r\n\"Szűcs; Anna\";2;0;;\r\n"},
		{"en", "\ufeffNév,Napok,Fő,Kezdet,Rögzítve\r\n'=Sárközi,2.5,48210,2026-12-02,2026-12-02 09:30\r\nSzűcs; Anna,2,0,,\r\n"},
	}
	for _, tt := range tests {
		got, err := csvBytes(tt.lang, budapest, head, rows)
		if err != nil || string(got) != tt.want {
			t.Errorf("csvBytes(%s) = %q, %v; want %q", tt.lang, got, err, tt.want)
		}
	}
}

// Numbers are numeric cells and dates date cells, so Excel formats them in
// the reader's regional settings.
func TestXLSXCells(t *testing.T) {
	budapest, _ := time.LoadLocation("Europe/Budapest")
	raw, err := xlsxBytes(budapest, Sheet{Name: "Szabadság: 2026/27", Head: []string{"Név", "Napok", "Kezdet", "Rögzítve"},
		Rows: [][]any{{"=Sárközi", 2.5, day{2026, 12, 2}, time.Date(2026, 12, 2, 8, 30, 0, 0, time.UTC)}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if sheet != "Szabadság 202627" {
		t.Errorf("sheet = %q; want what Excel allows of the name", sheet)
	}
	if v, _ := f.GetCellValue(sheet, "A2"); v != "=Sárközi" {
		t.Errorf("A2 = %q; want the text as it is", v)
	}
	if fm, _ := f.GetCellFormula(sheet, "A2"); fm != "" {
		t.Errorf("A2 is a formula: %q", fm)
	}
	for _, cell := range []string{"B2", "C2", "D2"} {
		if typ, _ := f.GetCellType(sheet, cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("%s is stored as text", cell)
		}
	}
	if v, _ := f.GetCellValue(sheet, "B2", excelize.Options{RawCellValue: true}); v != "2.5" {
		t.Errorf("B2 = %q; want the number 2.5", v)
	}
	for cell, want := range map[string]struct {
		raw string
		fmt int
	}{"C2": {"46358", 14}, "D2": {"46358.395833333336", 22}} {
		if v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); v != want.raw {
			t.Errorf("%s = %q; want the date serial %s", cell, v, want.raw)
		}
		id, _ := f.GetCellStyle(sheet, cell)
		if st, _ := f.GetStyle(id); st == nil || st.NumFmt != want.fmt {
			t.Errorf("%s style = %+v; want the built-in date format %d", cell, st, want.fmt)
		}
	}
}
