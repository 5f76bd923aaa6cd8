package helpdesk

import (
	"context"
	"errors"
	"io"
	"kapu/modules/platform/audit"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// AssetColumns are the columns of the asset CSV file, in the order the
// export writes them; the import's header row names its columns by these
// codes (any order, any case; tag and type are required, a missing column
// reads as empty):
//
//	tag           inventory tag, unique: a row whose tag exists updates that asset
//	type          free text ("nyomtató")
//	model, serial free text
//	building, floor, room   where it stands, free text
//	room_id       the booking module's room id, a whole number, or empty
//	owner         the user's username, or empty
//	department    the owning department's name (exactly one such), or empty
//	purchased_on  YYYY-MM-DD or empty
//	price         whole forints (spaces between digit groups allowed), empty = 0
//	warranty_end  YYYY-MM-DD or empty
//	life_months   expected life in months, empty = 0
//	state         in_use | in_repair | spare | retired; empty = in_use
//	queue         it | maintenance: where its faults go; empty (or no such
//	              column, a file from before the column) = it
//
// The separator may be ',' or ';' (the header's count decides), a UTF-8 BOM
// is skipped, and a cell the export guarded against formulas ("'=x") comes
// back as it was ("=x"), so an export imports back unchanged.
var AssetColumns = []string{"tag", "type", "model", "serial", "building", "floor", "room", "room_id",
	"owner", "department", "purchased_on", "price", "warranty_end", "life_months", "state", "queue"}

// Limits of one asset import, so a wrong file cannot tie up the server.
const (
	MaxAssetImportBytes = 5 << 20
	MaxAssetImportRows  = 20000
)

// ErrAssetImportRejected means the file had problems and nothing changed.
var ErrAssetImportRejected = errs.New(errs.Invalid, "helpdesk: asset import rejected")

// AssetImportProblem is one rule one row broke (Row 1 is the header).
type AssetImportProblem struct {
	Row    int
	Column string // one of AssetColumns; "" for the file as a whole
	Key    string // translation key of the message (helpdesk.asset.err.*)
	Value  string // the offending value, shown next to the message; a repeated tag adds "(row of its first use)"
}

// AssetImportReport says what an import did, or why it did nothing.
type AssetImportReport struct {
	Rows     int
	Created  int
	Updated  int
	Problems []AssetImportProblem
}

// assetErrKeys places the service's validation errors on a column.
var assetErrKeys = map[error]struct{ column, key string }{
	ErrAssetTag:      {"tag", "helpdesk.asset.err.tag"},
	ErrAssetType:     {"type", "helpdesk.asset.err.type"},
	ErrAssetState:    {"state", "helpdesk.asset.err.state"},
	ErrAssetPrice:    {"price", "helpdesk.asset.err.price"},
	ErrAssetLife:     {"life_months", "helpdesk.asset.err.life"},
	ErrAssetWarranty: {"warranty_end", "helpdesk.asset.err.warranty"},
	ErrAssetQueue:    {"queue", "helpdesk.asset.err.queue"},
}

// assetTextLimits are the one-line text columns and their lengths.
var assetTextLimits = map[string]int{"tag": maxAssetTag, "type": maxAssetType, "model": maxAssetModel,
	"serial": maxAssetSerial, "building": maxPlace, "floor": maxFloor, "room": maxPlace}

type assetRow struct {
	line int
	in   AssetInput
}

// ImportAssets creates or updates (by tag) the assets in a CSV file (see
// AssetColumns), all or nothing: the whole file is checked first, and if any
// row is wrong nothing changes and every problem comes back with its row
// and column; otherwise one transaction writes every row.
func (s *Service) ImportAssets(ctx context.Context, a actor.Actor, r io.Reader) (AssetImportReport, error) {
	var rep AssetImportReport
	if !isAssetStaff(a) {
		return rep, ErrAssetForbidden
	}
	rows, problems, err := s.parseAssets(ctx, r)
	rep.Rows, rep.Problems = len(rows), problems
	if err != nil {
		return rep, err
	}
	if len(problems) > 0 {
		return rep, ErrAssetImportRejected
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		var existing []Asset
		if err := tx.Find(&existing).Error; err != nil {
			return err
		}
		byTag := make(map[string]*Asset, len(existing))
		for i := range existing {
			byTag[existing[i].Tag] = &existing[i]
		}
		var created []Asset
		for _, row := range rows {
			as := byTag[row.in.Tag]
			if as == nil {
				var n Asset
				row.in.apply(&n)
				created = append(created, n)
				continue
			}
			before := *as
			row.in.apply(as)
			if err := tx.Save(as).Error; err != nil {
				return err
			}
			if err := audit.Record(tx, a, "helpdesk.asset.import", assetEntity, as.ID, before, as); err != nil {
				return err
			}
			rep.Updated++
		}
		// New assets go in batches: a first inventory is thousands of rows.
		if len(created) > 0 {
			if err := tx.CreateInBatches(created, 500).Error; err != nil {
				return err
			}
			for i := range created {
				if err := audit.Record(tx, a, "helpdesk.asset.import", assetEntity, created[i].ID, nil, created[i]); err != nil {
					return err
				}
			}
		}
		rep.Created = len(created)
		return nil
	})
	if db.IsConstraint(err, "helpdesk_asset_tag") { // someone saved the same new tag meanwhile
		return AssetImportReport{Rows: rep.Rows}, ErrAssetTagTaken
	}
	if err != nil {
		return AssetImportReport{Rows: rep.Rows}, err
	}
	return rep, nil
}

// parseAssets reads and checks the whole file against the database, without writing.
func (s *Service) parseAssets(ctx context.Context, r io.Reader) ([]assetRow, []AssetImportProblem, error) {
	records, _, refused, err := web.ReadCSVFile(r, MaxAssetImportBytes, MaxAssetImportRows)
	if err != nil || refused != nil {
		if refused != nil {
			return nil, []AssetImportProblem{{Row: refused.Line, Key: "helpdesk.asset.err." + refused.Reason, Value: refused.Detail}}, nil
		}
		return nil, nil, err
	}

	col, headProblems := web.ReadCSVHeader(records[0], func(h string) (string, bool) { return h, slices.Contains(AssetColumns, h) }, []string{"tag", "type"})
	var problems []AssetImportProblem
	for _, p := range headProblems {
		problems = append(problems, AssetImportProblem{Row: 1, Column: p.Column, Key: "helpdesk.asset.err." + p.Reason, Value: p.Value})
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}

	users, depts, err := s.assetRefs(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]assetRow, 0, len(records)-1)
	inFile := map[string]int{}
	for n, rec := range records[1:] {
		line := n + 2
		if web.BlankCSVRecord(rec) {
			continue
		}
		get := func(name string) string { return col.Cell(rec, name) }
		add := func(column, key string) {
			problems = append(problems, AssetImportProblem{Row: line, Column: column, Key: key, Value: get(column)})
		}
		in := AssetInput{Tag: get("tag"), Type: get("type"), Model: get("model"), Serial: get("serial"),
			Building: get("building"), Floor: get("floor"), Room: get("room"), State: get("state"), QueueKey: get("queue")}
		for _, c := range AssetColumns {
			if max, ok := assetTextLimits[c]; ok && !validLine(get(c), max) {
				add(c, "helpdesk.asset.err.text")
			}
		}
		if v := get("room_id"); v != "" {
			if id, err := strconv.ParseUint(v, 10, 32); err != nil || id == 0 {
				add("room_id", "helpdesk.asset.err.room_id")
			} else {
				u := uint(id)
				in.RoomID = &u
			}
		}
		if v := get("owner"); v != "" {
			if id, ok := users[strings.ToLower(v)]; ok {
				in.OwnerID = &id
			} else {
				add("owner", "helpdesk.asset.err.owner")
			}
		}
		if v := get("department"); v != "" {
			switch ids := depts[strings.ToLower(v)]; len(ids) {
			case 0:
				add("department", "helpdesk.asset.err.department")
			case 1:
				id := ids[0]
				in.DepartmentID = &id
			default:
				add("department", "helpdesk.asset.err.department_ambiguous")
			}
		}
		for _, c := range []struct {
			name string
			to   *calendar.Date
		}{{"purchased_on", &in.PurchasedOn}, {"warranty_end", &in.WarrantyEnd}} {
			if v := get(c.name); v != "" {
				d, err := calendar.ParseDate(v)
				if err != nil {
					add(c.name, "helpdesk.asset.err.date")
				}
				*c.to = d
			}
		}
		var numOK = true
		if v := digitsOnly(get("price")); v != "" {
			p, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				add("price", "helpdesk.asset.err.price")
				numOK = false
			}
			in.Price = p
		}
		if v := get("life_months"); v != "" {
			m, err := strconv.Atoi(v)
			if err != nil {
				add("life_months", "helpdesk.asset.err.life")
				numOK = false
			}
			in.LifeMonths = m
		}
		checked, err := in.check()
		for e, place := range assetErrKeys {
			if errors.Is(err, e) && (numOK || (e != ErrAssetPrice && e != ErrAssetLife)) {
				add(place.column, place.key)
			}
		}
		if prev, dup := inFile[checked.Tag]; dup && checked.Tag != "" {
			problems = append(problems, AssetImportProblem{Row: line, Column: "tag", Key: "helpdesk.asset.err.duplicate_tag",
				Value: checked.Tag + " (" + strconv.Itoa(prev) + ")"})
		} else {
			inFile[checked.Tag] = line
		}
		rows = append(rows, assetRow{line: line, in: checked})
	}
	if len(rows) == 0 {
		return nil, []AssetImportProblem{{Row: 1, Key: "helpdesk.asset.err.empty"}}, nil
	}
	slices.SortStableFunc(problems, func(a, b AssetImportProblem) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return slices.Index(AssetColumns, a.Column) - slices.Index(AssetColumns, b.Column)
	})
	return rows, problems, nil
}

// digitsOnly drops the spaces (also no-break ones) Excel puts between digit groups.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
}

// assetRefs maps usernames (lower case) to person ids and department names
// (lower case) to their ids, for the import's owner and department columns.
func (s *Service) assetRefs(ctx context.Context) (map[string]uint, map[string][]uint, error) {
	var ps []people.Person
	if err := s.db.R.WithContext(ctx).Select("id", "username").Find(&ps).Error; err != nil {
		return nil, nil, err
	}
	users := make(map[string]uint, len(ps))
	for _, p := range ps {
		users[strings.ToLower(p.Username)] = p.ID
	}
	var ds []people.Department
	if err := s.db.R.WithContext(ctx).Select("id", "name").Find(&ds).Error; err != nil {
		return nil, nil, err
	}
	depts := map[string][]uint{}
	for _, d := range ds {
		k := strings.ToLower(strings.TrimSpace(d.Name))
		depts[k] = append(depts[k], d.ID)
	}
	return users, depts, nil
}

// ExportAssets is the whole inventory as web.SendCSV writes it: the head is
// AssetColumns and each row fills them as the import reads them back.
func (s *Service) ExportAssets(ctx context.Context, a actor.Actor) ([]string, [][]any, error) {
	if !isAssetStaff(a) {
		return nil, nil, ErrAssetForbidden
	}
	var list []Asset
	if err := s.db.R.WithContext(ctx).Order("tag").Find(&list).Error; err != nil {
		return nil, nil, err
	}
	var ps []people.Person
	if err := s.db.R.WithContext(ctx).Select("id", "username").Find(&ps).Error; err != nil {
		return nil, nil, err
	}
	users := map[uint]string{}
	for _, p := range ps {
		users[p.ID] = p.Username
	}
	var ds []people.Department
	if err := s.db.R.WithContext(ctx).Select("id", "name").Find(&ds).Error; err != nil {
		return nil, nil, err
	}
	depts := map[uint]string{}
	for _, d := range ds {
		depts[d.ID] = d.Name
	}
	rows := make([][]any, 0, len(list))
	for _, as := range list {
		var room, owner, dept any
		if as.RoomID != nil {
			room = *as.RoomID
		}
		if as.OwnerID != nil {
			owner = users[*as.OwnerID]
		}
		if as.DepartmentID != nil {
			dept = depts[*as.DepartmentID]
		}
		rows = append(rows, []any{as.Tag, as.Type, as.Model, as.Serial, as.Building, as.Floor, as.Room, room,
			owner, dept, as.PurchasedOn, as.Price, as.WarrantyEnd, as.LifeMonths, as.State, as.QueueKey})
	}
	return slices.Clone(AssetColumns), rows, nil
}
