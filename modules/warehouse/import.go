package warehouse

import (
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// ItemColumns are the columns of the catalogue CSV file, in the order the
// export writes them. The import's header names each column by its code or
// by its head in either language (warehouse.import.head.<code>), in any
// order and case; code, name_hu, category and unit are required, a missing
// column reads as empty:
//
//	code           the item's code, unique: a row whose code exists updates that item
//	name_hu        the Hungarian name; name_en the English one (may be empty)
//	category       a code of Categories or its name in either language
//	unit           a code of Units or its name in either language
//	location       the shelf, free text
//	reorder_level  a quantity in the unit; empty or 0 = the item is not watched
//	unit_price     whole forints (spaces between digit groups allowed), empty = 0
//	active         yes/no, igen/nem, 1/0, true/false; empty = yes
//	on_hand        the opening balance: for a new item the stock on the shelf
//	               (posted through the ledger); for an existing one it must be
//	               empty or equal to its stock (as an export writes it), since
//	               stock already kept moves only through receipts and counts
//
// Numbers take a decimal comma or point. In a comma-separated file a comma
// inside a number is refused rather than guessed (an English thousands
// separator or a decimal mark?). The separator, the BOM and formula-guarded
// cells are read as web.NewCSVReader and web.UnguardText read them, so an
// export imports back unchanged.
var ItemColumns = []string{"code", "name_hu", "name_en", "category", "unit", "location",
	"reorder_level", "unit_price", "active", "on_hand"}

// requiredItemColumns must be in every file.
var requiredItemColumns = []string{"code", "name_hu", "category", "unit"}

// Limits of one catalogue import, so a wrong file cannot tie up the server:
// a city hall's store has a few thousand items.
const (
	MaxImportBytes = 5 << 20
	MaxImportRows  = 20000
)

// ErrImportRejected means the file had problems and nothing changed.
var ErrImportRejected = errs.New(errs.Invalid, "warehouse: import rejected")

// ImportProblem is one rule one row broke (row 1 is the header).
type ImportProblem struct {
	Row    int
	Column string // one of ItemColumns; "" for the file or the row as a whole
	Key    string // catalog key of the message (warehouse.import.err.*, warehouse.err.*)
	Value  string // the offending cell, shown next to the message
}

// ImportReport says what an import did, or why it did nothing.
type ImportReport struct {
	Rows      int
	Created   int
	Updated   int
	Unchanged int
	// Balances is how many new items got an opening balance in the ledger.
	Balances int
	Problems []ImportProblem
}

// importRow is one checked row: the catalogue entry, the opening balance, and
// the item it updates (nil for a new one).
type importRow struct {
	line     int
	in       ItemInput
	balance  Qty
	existing *Item
}

// itemErrColumns places ItemInput.check's errors on their column (ErrText is
// checked per column by the import itself).
var itemErrColumns = []struct {
	err    error
	column string
}{
	{ErrCode, "code"}, {ErrName, "name_hu"}, {ErrCategory, "category"}, {ErrUnit, "unit"},
	{ErrQuantity, "reorder_level"}, {ErrFraction, "reorder_level"}, {ErrTooMuch, "reorder_level"},
	{ErrPrice, "unit_price"},
}

// itemTextLimits are the one-line text columns and their lengths.
var itemTextLimits = map[string]int{"code": 40, "name_hu": maxName, "name_en": maxName, "location": maxLocation}

// ImportItems creates or updates (by code) the catalogue from a CSV file (see
// ItemColumns), all or nothing: the whole file is checked first, and if any
// row is wrong nothing changes and every problem comes back with its row and
// column; otherwise one transaction writes every item and posts every opening
// balance. An opening balance is a stock-take adjustment from zero (reason
// warehouse.import.opening in lang), not a receipt: nothing was delivered,
// the stock was found on the shelf, and the purchase statistics must not
// count it as bought. It goes through post like every movement, so the
// ledger stays the one truth of the stock.
func (s *Service) ImportItems(ctx context.Context, a actor.Actor, r io.Reader, lang string) (ImportReport, error) {
	var rep ImportReport
	if !isStaff(a) {
		return rep, ErrForbidden
	}
	rows, problems, err := s.parseItems(ctx, r)
	rep.Rows, rep.Problems = len(rows), problems
	if err != nil {
		return rep, err
	}
	if len(problems) > 0 {
		return rep, ErrImportRejected
	}
	st, err := s.prepare(ctx)
	if err != nil {
		return rep, err
	}
	reason := s.text(lang, "warehouse.import.opening")
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		for _, row := range rows {
			if row.existing != nil {
				changed, err := s.importUpdate(tx, a, row)
				if err != nil {
					return err
				}
				if changed {
					rep.Updated++
				} else {
					rep.Unchanged++
				}
				continue
			}
			var it Item
			row.in.apply(&it)
			now := s.now()
			it.CreatedAt, it.UpdatedAt = now, now
			if err := tx.Create(&it).Error; err != nil {
				return err
			}
			if err := audit.Record(tx, a, "warehouse.item.import", itemEntity, it.ID, nil, &it); err != nil {
				return err
			}
			rep.Created++
			if row.balance == 0 {
				continue
			}
			zero := Qty(0)
			if _, err := s.post(tx, st, a, change{expected: &zero, mv: Movement{
				ItemID: it.ID, Kind: KindAdjust, Quantity: row.balance, Reason: reason,
			}}); err != nil {
				return err
			}
			rep.Balances++
		}
		return nil
	})
	if db.IsConstraint(err, "warehouse_item_code") { // someone added the same new code meanwhile
		return ImportReport{Rows: rep.Rows}, ErrCodeTaken
	}
	if err != nil {
		return ImportReport{Rows: rep.Rows}, err
	}
	return rep, nil
}

// importUpdate writes row onto its existing item, if anything changed. The
// item is read again under its lock, so a unit change is refused if stock
// moved since the file was checked (as UpdateItem does).
func (s *Service) importUpdate(tx *gorm.DB, a actor.Actor, row importRow) (bool, error) {
	var it Item
	if err := db.ForUpdate(tx).Where("id = ?", row.existing.ID).Limit(1).Find(&it).Error; err != nil {
		return false, err
	}
	if it.ID == 0 {
		return false, ErrNotFound
	}
	before := it
	if row.in.Unit != it.Unit {
		var moved int64
		if err := tx.Model(&Movement{}).Where("item_id = ?", it.ID).Limit(1).Count(&moved).Error; err != nil {
			return false, err
		}
		if moved > 0 {
			return false, ErrUnitFixed
		}
	}
	row.in.apply(&it)
	if sameCatalogue(before, it) {
		return false, nil
	}
	it.UpdatedAt = s.now()
	res := tx.Model(&Item{}).Where("id = ?", it.ID).Select("code", "name_hu", "name_en", "category", "unit",
		"location", "reorder_level", "unit_price", "active", "updated_at").Updates(&it)
	if res.Error != nil {
		return false, res.Error
	}
	return true, audit.Record(tx, a, "warehouse.item.import", itemEntity, it.ID, &before, &it)
}

// sameCatalogue reports whether two versions of an item have the same catalogue entry.
func sameCatalogue(a, b Item) bool {
	return a.Code == b.Code && a.NameHU == b.NameHU && a.NameEN == b.NameEN && a.Category == b.Category &&
		a.Unit == b.Unit && a.Location == b.Location && a.ReorderLevel == b.ReorderLevel &&
		a.UnitPrice == b.UnitPrice && a.Active == b.Active
}

// parseItems reads and checks the whole file against the catalogue, without writing.
func (s *Service) parseItems(ctx context.Context, r io.Reader) ([]importRow, []ImportProblem, error) {
	records, comma, refused, err := web.ReadCSVFile(r, MaxImportBytes, MaxImportRows)
	if err != nil || refused != nil {
		if refused != nil {
			return nil, []ImportProblem{{Row: refused.Line, Key: "warehouse.import.err." + refused.Reason, Value: refused.Detail}}, nil
		}
		return nil, nil, err
	}
	commaFile := comma == ','

	heads := s.importHeads()
	col, headProblems := web.ReadCSVHeader(records[0], func(h string) (string, bool) { c, ok := heads[h]; return c, ok }, requiredItemColumns)
	var problems []ImportProblem
	for _, p := range headProblems {
		problems = append(problems, ImportProblem{Row: 1, Column: p.Column, Key: "warehouse.import.err." + p.Reason, Value: p.Value})
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}

	var existing []Item
	if err := s.db.R.WithContext(ctx).Find(&existing).Error; err != nil {
		return nil, nil, err
	}
	byCode := make(map[string]*Item, len(existing))
	for i := range existing {
		byCode[existing[i].Code] = &existing[i]
	}
	moved, err := s.movedItems(ctx)
	if err != nil {
		return nil, nil, err
	}
	categories, units := s.valueNames()

	rows := make([]importRow, 0, len(records)-1)
	inFile := map[string]int{}
	for n, rec := range records[1:] {
		line := n + 2
		if web.BlankCSVRecord(rec) {
			continue
		}
		get := func(name string) string { return col.Cell(rec, name) }
		add := func(column, key string) {
			problems = append(problems, ImportProblem{Row: line, Column: column, Key: key, Value: get(column)})
		}
		in := ItemInput{Code: get("code"), NameHU: get("name_hu"), NameEN: get("name_en"),
			Category: lookup(categories, get("category")), Unit: lookup(units, get("unit")), Location: get("location")}
		for c, max := range itemTextLimits {
			if !validLine(get(c), max) {
				add(c, "warehouse.err.text")
			}
		}
		unit, unitOK := UnitOf(in.Unit)
		levelOK := true
		if v, ok := importQty(get("reorder_level"), commaFile); !ok {
			add("reorder_level", "warehouse.import.err.number")
			levelOK = false
		} else {
			in.ReorderLevel = v
		}
		priceOK := true
		if v := digitsOnly(get("unit_price")); v != "" {
			p, err := strconv.ParseInt(v, 10, 64)
			if err != nil || !digits(v) {
				add("unit_price", "warehouse.err.price")
				priceOK = false
			}
			in.UnitPrice = p
		}
		active, ok := importBool(get("active"))
		if !ok {
			add("active", "warehouse.import.err.active")
		}
		in.Active = active
		checked, err := in.check()
		for _, place := range itemErrColumns {
			if !errors.Is(err, place.err) || (place.column == "reorder_level" && !levelOK) || (place.column == "unit_price" && !priceOK) {
				continue
			}
			add(place.column, messages[place.err])
		}
		if prev, dup := inFile[checked.Code]; dup && checked.Code != "" {
			problems = append(problems, ImportProblem{Row: line, Column: "code", Key: "warehouse.import.err.duplicate_code",
				Value: checked.Code + " (" + strconv.Itoa(prev) + ")"})
		} else {
			inFile[checked.Code] = line
		}
		row := importRow{line: line, in: checked, existing: byCode[checked.Code]}
		if row.existing != nil && row.existing.Unit != checked.Unit && moved[row.existing.ID] {
			add("unit", messages[ErrUnitFixed])
		}
		switch v, ok := importQty(get("on_hand"), commaFile); {
		case !ok:
			add("on_hand", "warehouse.import.err.number")
		case row.existing != nil:
			// The stock of a kept item is the ledger's: the cell may only repeat it.
			if get("on_hand") != "" && v != row.existing.OnHand {
				add("on_hand", "warehouse.import.err.balance")
			}
		case v != 0:
			if err := checkQty(v, unit); err != nil && unitOK {
				add("on_hand", messages[err])
			}
			row.balance = v
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, []ImportProblem{{Row: 1, Key: "warehouse.import.err.empty"}}, nil
	}
	slices.SortStableFunc(problems, func(a, b ImportProblem) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return slices.Index(ItemColumns, a.Column) - slices.Index(ItemColumns, b.Column)
	})
	return rows, problems, nil
}

// movedItems are the items with at least one ledger row: their unit is fixed.
func (s *Service) movedItems(ctx context.Context) (map[uint]bool, error) {
	var ids []uint
	if err := s.db.R.WithContext(ctx).Model(&Movement{}).Distinct("item_id").Pluck("item_id", &ids).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// importQty reads a quantity cell: empty is 0; spaces between digit groups
// are dropped; a comma is the decimal mark unless the file is split on
// commas, where it can only be a thousands separator nobody should guess.
// Only the form of the number is checked here; its size and wholeness are
// the unit's rule (checkQty).
func importQty(s string, commaFile bool) (Qty, bool) {
	s = digitsOnly(s)
	if s == "" {
		return 0, true
	}
	if commaFile && strings.Contains(s, ",") {
		return 0, false
	}
	q, err := parseDecimal(strings.Replace(s, ",", ".", 1), 7)
	if errors.Is(err, ErrTooMuch) {
		return MaxQty + 1, true // checkQty names it
	}
	return q, err == nil
}

// importBool reads the active column in either language; empty is yes.
func importBool(s string) (v, ok bool) {
	switch strings.ToLower(s) {
	case "", "1", "yes", "y", "igen", "i", "true", "x":
		return true, true
	case "0", "no", "n", "nem", "false":
		return false, true
	}
	return false, false
}

// digitsOnly drops the spaces (also no-break ones) spreadsheets put between digit groups.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
}

// lookup is the code names (lower case) map v to, or v itself.
func lookup(names map[string]string, v string) string {
	if code, ok := names[strings.ToLower(v)]; ok {
		return code
	}
	return v
}

// importHeads maps every name a column may have in a header (its code, its
// head in each language; lower case) to its code.
func (s *Service) importHeads() map[string]string {
	out := map[string]string{}
	for _, c := range ItemColumns {
		out[c] = c
		if s.cat != nil {
			for _, lang := range i18n.Langs {
				out[strings.ToLower(s.cat.T(lang, "warehouse.import.head."+c))] = c
			}
		}
	}
	return out
}

// valueNames map the categories' and the units' codes and names in each
// language (lower case) to their codes, so a file may use either.
func (s *Service) valueNames() (categories, units map[string]string) {
	categories, units = map[string]string{}, map[string]string{}
	for _, c := range Categories {
		categories[c] = c
		if s.cat != nil {
			for _, lang := range i18n.Langs {
				categories[strings.ToLower(s.cat.T(lang, "warehouse.category."+c))] = c
			}
		}
	}
	for _, u := range Units {
		units[u.Code] = u.Code
		if s.cat != nil {
			for _, lang := range i18n.Langs {
				if name := strings.ToLower(s.cat.T(lang, "warehouse.unit."+u.Code)); units[name] == "" {
					units[name] = u.Code
				}
			}
		}
	}
	return categories, units
}

// text is key in lang, or the key itself without a catalog.
func (s *Service) text(lang, key string) string {
	if s.cat == nil {
		return key
	}
	return s.cat.T(lang, key)
}

// ExportItems is the whole catalogue as web.SendCSV writes it in lang: the
// heads of ItemColumns and yes/no in lang, categories and units as codes,
// quantities as numbers (so the file's decimal mark is lang's), on_hand the
// stock now. It imports back unchanged.
func (s *Service) ExportItems(ctx context.Context, a actor.Actor, lang string) ([]string, [][]any, error) {
	if !isStaff(a) {
		return nil, nil, ErrForbidden
	}
	var list []Item
	if err := s.db.R.WithContext(ctx).Order("code").Find(&list).Error; err != nil {
		return nil, nil, err
	}
	head := make([]string, len(ItemColumns))
	for i, c := range ItemColumns {
		head[i] = c
		if s.cat != nil {
			head[i] = s.cat.T(lang, "warehouse.import.head."+c)
		}
	}
	yes, no := "yes", "no"
	if s.cat != nil {
		yes, no = s.cat.T(lang, "warehouse.import.yes"), s.cat.T(lang, "warehouse.import.no")
	}
	rows := make([][]any, 0, len(list))
	for _, it := range list {
		active := no
		if it.Active {
			active = yes
		}
		rows = append(rows, []any{it.Code, it.NameHU, it.NameEN, it.Category, it.Unit, it.Location,
			it.ReorderLevel.Float(), it.UnitPrice, active, it.OnHand.Float()})
	}
	return head, rows, nil
}
