package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"
)

// csvDialect is how one language's Excel reads a CSV file it is double-clicked
// open with: the list separator and the decimal mark of its regional settings.
// Hungarian Excel splits on ';' and reads "2,5" (it takes "2.9" for a date, 2
// September); English Excel splits on ',' and reads "2.5". So the file follows
// the viewer's language, which is the best guess Kapu has of their Excel. Both
// get a UTF-8 BOM, without which Excel reads "Sárközi" as cp1252 ("SÃ¡rkÃ¶zi"),
// and CRLF line ends. The people import reads either separator back.
type csvDialect struct {
	comma rune
	point string
}

func csvDialectOf(lang string) csvDialect {
	if lang == "en" {
		return csvDialect{comma: ',', point: "."}
	}
	return csvDialect{comma: ';', point: ","}
}

// SendCSV writes head and rows as a CSV file for the request's language
// (csvDialect): numbers (int, float64) as plain figures with that language's
// decimal mark and no grouping, dates as ISO dates (2026-12-02), which Excel
// reads as dates in every language, text guarded against formulas.
func SendCSV(c *fiber.Ctx, filename string, head []string, rows [][]any) error {
	body, err := csvBytes(LangOf(c), ServerOf(c).Cfg.TZ, head, rows)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.Send(body)
}

func csvBytes(lang string, tz *time.Location, head []string, rows [][]any) ([]byte, error) {
	d := csvDialectOf(lang)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = d.comma
	w.UseCRLF = true
	rec := make([]string, len(head))
	for i, h := range head {
		rec[i] = safeText(h)
	}
	_ = w.Write(rec)
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, v := range r {
			rec[i] = d.cell(v, tz)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func (d csvDialect) cell(v any, tz *time.Location) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", d.point, 1)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint:
		return strconv.FormatUint(uint64(x), 10)
	case string:
		return safeText(x)
	case civilDate:
		if x.IsZero() {
			return ""
		}
		y, m, day := x.Civil()
		return fmt.Sprintf("%04d-%02d-%02d", y, int(m), day)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.In(tz).Format("2006-01-02 15:04")
	}
	return safeText(fmt.Sprint(v))
}

// formulaStart are the first characters that make a spreadsheet read a cell as a formula.
const formulaStart = "=+-@\t\r"

// safeText keeps a spreadsheet from running a name that starts like a formula.
func safeText(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

// UnguardText undoes safeText for a cell read back from an exported file, so a
// name that starts with "=" survives the round trip through the import.
func UnguardText(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}

// NewCSVReader reads back a file SendCSV wrote, or one a spreadsheet saved:
// without Excel's UTF-8 mark, split on ';' or ',' as its first line has more
// of, rows of any length (the import reports a short one itself).
func NewCSVReader(raw []byte) *csv.Reader {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	first, _, _ := bytes.Cut(raw, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(raw))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	return cr
}

// CSVRefusal is why an uploaded CSV file is refused as a whole, before any
// row is checked. Reason is too_big, encoding, csv, too_many or empty: each
// importer shows its own sentence (its prefix + Reason). Line is the file's
// line where one applies (0 for the whole file), Detail the CSV reader's
// own words.
type CSVRefusal struct {
	Reason string
	Line   int
	Detail string
}

// ReadCSVFile reads an upload for an all-or-nothing import: at most maxBytes
// (a larger file is refused, never cut short), UTF-8 (a file saved as
// Latin-2 or cp1250 is refused once, not row by row), a header and 1 to
// maxRows rows. It gives the records, header first, and the separator the
// file uses (see NewCSVReader). Cells may start with spaces before a quote.
// err is only a failed read of r.
func ReadCSVFile(r io.Reader, maxBytes, maxRows int) (records [][]string, comma rune, refused *CSVRefusal, err error) {
	raw, err := io.ReadAll(io.LimitReader(r, int64(maxBytes)+1))
	if err != nil {
		return nil, 0, nil, err
	}
	if len(raw) > maxBytes {
		return nil, 0, &CSVRefusal{Reason: "too_big"}, nil
	}
	if !utf8.Valid(raw) {
		return nil, 0, &CSVRefusal{Reason: "encoding"}, nil
	}
	cr := NewCSVReader(raw)
	cr.TrimLeadingSpace = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, &CSVRefusal{Reason: "csv", Line: CSVLine(err), Detail: err.Error()}, nil
		}
		if len(records) > maxRows {
			return nil, 0, &CSVRefusal{Reason: "too_many", Line: maxRows + 2}, nil
		}
		records = append(records, rec)
	}
	if len(records) < 2 {
		return nil, 0, &CSVRefusal{Reason: "empty", Line: 1}, nil
	}
	return records, cr.Comma, nil, nil
}

// CSVColumns are an import file's columns, each name's place in a record,
// as its header gave them.
type CSVColumns map[string]int

// CSVHeaderProblem is one thing wrong with an import file's header, which
// the importer shows in its own sentence (its prefix + Reason): Reason
// "column" (a heading no column has), "column_twice" or "missing_column";
// Column the column's name, Value the heading as written.
type CSVHeaderProblem struct {
	Reason, Column, Value string
}

// ReadCSVHeader maps an import file's header to its columns: each heading,
// trimmed, unguarded and in lower case, is the column name gives it (ok
// false for a heading no column has); required are the columns a file must
// have. Every problem comes back at once; the columns are of no use then.
func ReadCSVHeader(header []string, name func(heading string) (string, bool), required []string) (CSVColumns, []CSVHeaderProblem) {
	col := CSVColumns{}
	var problems []CSVHeaderProblem
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(UnguardText(h)))
		c, ok := name(h)
		if !ok {
			problems = append(problems, CSVHeaderProblem{Reason: "column", Value: h})
			continue
		}
		if _, twice := col[c]; twice {
			problems = append(problems, CSVHeaderProblem{Reason: "column_twice", Column: c, Value: h})
		}
		col[c] = i
	}
	for _, need := range required {
		if _, ok := col[need]; !ok {
			problems = append(problems, CSVHeaderProblem{Reason: "missing_column", Column: need, Value: need})
		}
	}
	return col, problems
}

// Cell is record rec's cell in column name, trimmed and unguarded (see
// UnguardText); "" when the file has no such column or the row stops short.
func (c CSVColumns) Cell(rec []string, name string) string {
	if i, ok := c[name]; ok && i < len(rec) {
		return UnguardText(strings.TrimSpace(rec[i]))
	}
	return ""
}

// BlankCSVRecord reports whether rec holds nothing but spaces: a blank line
// an import skips.
func BlankCSVRecord(rec []string) bool { return strings.TrimSpace(strings.Join(rec, "")) == "" }

// CSVLine is the line a CSV reader's error is on, 1 when it does not say.
func CSVLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return 1
}

// Sheet is one worksheet of an XLSX export.
type Sheet struct {
	Name   string
	Head   []string
	Rows   [][]any
	Widths []float64 // column widths, from the first column; missing ones keep Excel's default
}

// SendXLSX writes a workbook of sheets, each with a bold, frozen header row,
// numbers as numeric cells and dates as date cells (so Excel writes them in
// the reader's own format, decimal comma and all), and set column widths.
// Sheet names and heads come translated from the caller.
func SendXLSX(c *fiber.Ctx, filename string, sheets ...Sheet) error {
	buf, err := xlsxBytes(ServerOf(c).Cfg.TZ, sheets...)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.Send(buf)
}

func xlsxBytes(tz *time.Location, sheets ...Sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, sh := range sheets {
		name := sheetName(sh.Name)
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return nil, err
		}
		if err := writeSheet(f, name, sh, bold, tz); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// xlsxValue is a cell as excelize should store it: a civil date or an instant
// becomes a time.Time in the city's wall clock (Excel has no zones), which
// excelize stores as a date serial with the built-in short date (14) or date
// and time (22) format, both shown in the reader's regional format.
func xlsxValue(v any, tz *time.Location) any {
	switch x := v.(type) {
	case nil:
		return ""
	case civilDate:
		if x.IsZero() {
			return ""
		}
		y, m, d := x.Civil()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		t := x.In(tz)
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	}
	return v
}

func writeSheet(f *excelize.File, sheet string, sh Sheet, bold int, tz *time.Location) error {
	header := make([]any, len(sh.Head))
	for i, h := range sh.Head {
		header[i] = h
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(max(len(sh.Head), 1))
	if err := f.SetCellStyle(sheet, "A1", lastCol+"1", bold); err != nil {
		return err
	}
	// Text goes in as text cells, never as formulas, so names need no guarding here.
	for i, r := range sh.Rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = xlsxValue(v, tz)
		}
		if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+2), &cells); err != nil {
			return err
		}
	}
	for i, w := range sh.Widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// sheetName drops what Excel refuses in a sheet name and keeps it to 31 characters.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "Sheet1"
	}
	return s
}
