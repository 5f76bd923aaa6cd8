package web

import (
	"bytes"
	"fmt"
	"strings"
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

// TestReadCSVFile: an import reads a whole file or refuses it once, saying
// why, and never imports a file cut short.
func TestReadCSVFile(t *testing.T) {
	many := "a;b\n" + strings.Repeat("1;2\n", 4)
	for _, tc := range []struct {
		name, file string
		maxBytes   int
		reason     string
		line       int
	}{
		{"Excel's mark, semicolons, a space before a quote", "\xef\xbb\xbfkód;név\nA1; \"Papír; A4\"\n", 100, "", 0},
		{"larger than allowed", many, len(many) - 1, "too_big", 0},
		{"Latin-2", "kód;név\nA1;pap\xedr\n", 100, "encoding", 0},
		{"a broken quote on line 3", "a,b\n1,2\n\"3,4\n", 100, "csv", 3},
		{"more rows than allowed", "a;b\n1;2\n3;4\n5;6\n7;8\n", 100, "too_many", 5},
		{"a header alone", "a;b\n", 100, "empty", 1},
	} {
		records, comma, refused, err := ReadCSVFile(strings.NewReader(tc.file), tc.maxBytes, 3)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if tc.reason == "" {
			if refused != nil || comma != ';' || len(records) != 2 || records[0][0] != "kód" || records[1][1] != "Papír; A4" {
				t.Errorf("%s: %v %q %q; want two records split on ';'", tc.name, refused, comma, records)
			}
			continue
		}
		if refused == nil || refused.Reason != tc.reason || refused.Line != tc.line || records != nil {
			t.Errorf("%s: refused %+v, %d records; want %s on line %d and none", tc.name, refused, len(records), tc.reason, tc.line)
		}
	}
}

// TestReadCSVHeader checks how an import reads its header: headings in any
// case and padded name their columns; an unknown
// heading, a column twice and a required one missing are each reported, all
// at once; a cell is read trimmed and without its formula guard, "" past a
// short row.
func TestReadCSVHeader(t *testing.T) {
	known := map[string]string{"code": "code", "kód": "code", "name": "name", "unit": "unit"}
	name := func(h string) (string, bool) { c, ok := known[h]; return c, ok }

	col, problems := ReadCSVHeader([]string{" KÓD ", "Name", "unit"}, name, []string{"code", "name"})
	if len(problems) != 0 {
		t.Fatalf("a good header has problems: %+v", problems)
	}
	rec := []string{" T-1 ", "'=SUM(A1)"}
	if got := col.Cell(rec, "code"); got != "T-1" {
		t.Errorf("code cell = %q; want T-1", got)
	}
	if got := col.Cell(rec, "name"); got != "=SUM(A1)" {
		t.Errorf("a guarded cell reads %q; want the text without its guard", got)
	}
	if got := col.Cell(rec, "unit"); got != "" {
		t.Errorf("a cell past a short row = %q; want empty", got)
	}
	if got := col.Cell(rec, "price"); got != "" {
		t.Errorf("a column the file lacks = %q; want empty", got)
	}

	_, problems = ReadCSVHeader([]string{"code", "colour", "Kód"}, name, []string{"code", "name"})
	want := []CSVHeaderProblem{
		{Reason: "column", Value: "colour"},
		{Reason: "column_twice", Column: "code", Value: "kód"},
		{Reason: "missing_column", Column: "name", Value: "name"},
	}
	if fmt.Sprint(problems) != fmt.Sprint(want) {
		t.Errorf("problems = %+v; want %+v", problems, want)
	}
	if !BlankCSVRecord([]string{" ", "", "\t"}) || BlankCSVRecord([]string{"", "x"}) {
		t.Error("BlankCSVRecord does not tell a blank line from one with a cell")
	}
}
