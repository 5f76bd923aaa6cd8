package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"
)

// SendCSV writes a semicolon-separated file with a UTF-8 BOM, which is what
// Hungarian Excel needs to open accents and columns right; decimals get the
// decimal comma in Hungarian.
func SendCSV(c *fiber.Ctx, filename string, head []string, rows [][]any) error {
	lang := LangOf(c)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	_ = w.Write(head)
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, v := range r {
			rec[i] = csvCell(lang, v)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.Send(buf.Bytes())
}

func csvCell(lang string, v any) string {
	switch x := v.(type) {
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if lang != "en" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	case int:
		return strconv.Itoa(x)
	case string:
		return safeText(x)
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

// Sheet is one worksheet of an XLSX export.
type Sheet struct {
	Name   string
	Head   []string
	Rows   [][]any
	Widths []float64 // column widths, from the first column; missing ones keep Excel's default
}

// SendXLSX writes a workbook of sheets, each with a bold, frozen header row,
// numbers as numbers and set column widths.
func SendXLSX(c *fiber.Ctx, filename string, sheets ...Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		name := sheetName(sh.Name)
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return err
		}
		if err := writeSheet(f, name, sh, bold); err != nil {
			return err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.Send(buf.Bytes())
}

func writeSheet(f *excelize.File, sheet string, sh Sheet, bold int) error {
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
		cells := r
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
