package people

import (
	"context"
	"errors"
	"io"
	"strings"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// ImportColumns are the CSV columns the import understands, in the order the
// sample file and the export use. username, name and email are required.
var ImportColumns = []string{"username", "name", "email", "department", "job_title", "manager", "deputy", "roles", "active"}

// MaxImportRows bounds one import so a wrong file cannot tie up the server.
const MaxImportRows = 5000

// MaxImportBytes is the largest people file read: 5,000 rows fit many times over.
const MaxImportBytes = 16 << 20

// ImportProblem is one rule broken by one row of the file (Row 1 is the header).
type ImportProblem struct {
	Row      int
	Username string
	Key      string // translation key of the message
	Value    string // the offending value, shown next to the message
}

// ImportReport says what an import did, or why it did nothing.
type ImportReport struct {
	Rows     int
	Created  int
	Updated  int
	Links    int // set-password links mailed to the active people the file created
	Problems []ImportProblem
}

// ErrImportRejected means the file had problems and nothing was changed.
var ErrImportRejected = errs.New(errs.Invalid, "people: import rejected")

type importRow struct {
	line            int
	in              PersonInput
	manager, deputy string
	existing        *Person
}

// ImportHeads names the columns by the translated heads the export writes:
// a head in lower case → its column (one of ImportColumns).
type ImportHeads map[string]string

// Import creates or updates (by username) the people in a CSV file whose
// header names the columns by their codes (ImportColumns); see ImportFile.
func (s *Service) Import(ctx context.Context, a actor.Actor, r io.Reader) (ImportReport, error) {
	return s.ImportFile(ctx, a, r, nil)
}

// ImportFile creates or updates (by username) the people in a CSV file. Its
// header names each column by its code or by one of heads, so the export (in
// the viewer's language) comes back as it left. The file is checked whole
// first; if any row is wrong nothing changes and every problem is reported
// with its row number. Commas or semicolons both work as separators.
func (s *Service) ImportFile(ctx context.Context, a actor.Actor, r io.Reader, heads ImportHeads) (ImportReport, error) {
	var rep ImportReport
	if !canManagePeople(a) {
		return rep, ErrForbidden
	}
	rows, problems, err := s.parseImport(ctx, a, r, heads)
	rep.Rows = len(rows)
	rep.Problems = problems
	if err != nil {
		return rep, err
	}
	if len(rep.Problems) > 0 {
		return rep, ErrImportRejected
	}
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		ids := map[string]uint{}
		for i := range rows {
			row := &rows[i]
			p := row.existing
			if p == nil {
				p = &Person{}
			}
			before := p.auditView()
			in := row.in
			if p.ID != 0 { // an update keeps links the file leaves empty
				in.ManagerID, in.DeputyID = p.ManagerID, p.DeputyID
			}
			wasActive := p.ID != 0 && p.Active
			s.apply(p, in)
			if p.ID == 0 {
				if err := tx.Create(p).Error; err != nil {
					return err
				}
				rep.Created++
				if err := audit.Record(tx, a, "people.person.import", "person", p.ID, nil, p.auditView()); err != nil {
					return err
				}
				// A new person chooses their own password through a mailed link.
				if p.Active && s.MailsLinks() {
					if err := s.issueLink(tx, a, p); err != nil {
						return err
					}
					rep.Links++
				}
			} else {
				if err := tx.Where("person_id = ?", p.ID).Delete(&PersonRole{}).Error; err != nil {
					return err
				}
				if err := tx.Omit("Roles").Save(p).Error; err != nil {
					return err
				}
				if len(p.Roles) > 0 {
					if err := tx.Create(&p.Roles).Error; err != nil {
						return err
					}
				}
				rep.Updated++
				if wasActive && !p.Active {
					if err := s.deactivated(tx, p.ID); err != nil {
						return err
					}
				}
				if err := audit.Record(tx, a, "people.person.import", "person", p.ID, before, p.auditView()); err != nil {
					return err
				}
			}
			ids[p.Username] = p.ID
		}
		// Second pass: managers and deputies may be people created by this same file.
		for _, row := range rows {
			set := map[string]any{}
			if row.manager != "" {
				set["manager_id"] = ids[row.manager]
			}
			if row.deputy != "" {
				set["deputy_id"] = ids[row.deputy]
			}
			if len(set) > 0 {
				if err := tx.Model(&Person{}).Where("id = ?", ids[row.in.Username]).Updates(set).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		rep.Created, rep.Updated, rep.Links = 0, 0, 0
		if db.IsDuplicate(err) { // someone saved a clashing person meanwhile
			rep.Problems = []ImportProblem{{Row: 1, Key: "import.error.conflict"}}
			return rep, ErrImportRejected
		}
		return rep, err
	}
	return rep, nil
}

// parseImport reads and checks the whole file against the database, without writing.
func (s *Service) parseImport(ctx context.Context, a actor.Actor, r io.Reader, heads ImportHeads) ([]importRow, []ImportProblem, error) {
	records, _, refused, err := web.ReadCSVFile(r, MaxImportBytes, MaxImportRows)
	if err != nil || refused != nil {
		if refused != nil {
			return nil, []ImportProblem{{Row: refused.Line, Key: "import.error." + refused.Reason, Value: refused.Detail}}, nil
		}
		return nil, nil, err
	}
	name := func(h string) (string, bool) {
		if code, ok := heads[h]; ok {
			h = code
		}
		return h, containsRole(ImportColumns, h)
	}
	col, headProblems := web.ReadCSVHeader(records[0], name, []string{"username", "name", "email"})
	var problems []ImportProblem
	for _, p := range headProblems {
		problems = append(problems, ImportProblem{Row: 1, Key: "import.error." + p.Reason, Value: p.Value})
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}

	depts, err := s.departmentsByName(ctx)
	if err != nil {
		return nil, nil, err
	}
	var people []Person
	if err := s.db.R.WithContext(ctx).Preload("Roles").Find(&people).Error; err != nil {
		return nil, nil, err
	}
	byUser := map[string]*Person{}
	byEmail := map[string]string{} // email → username
	for i := range people {
		byUser[people[i].Username] = &people[i]
		byEmail[people[i].Email] = people[i].Username
	}

	rows := make([]importRow, 0, len(records)-1)
	inFile := map[string]int{}
	emailInFile := map[string]int{}
	for n, rec := range records[1:] {
		line := n + 2
		if web.BlankCSVRecord(rec) {
			continue
		}
		get := func(name string) string { return col.Cell(rec, name) }
		row := importRow{line: line, manager: strings.ToLower(get("manager")), deputy: strings.ToLower(get("deputy"))}
		row.in = PersonInput{
			Username: get("username"), Name: get("name"), Email: get("email"), JobTitle: get("job_title"),
			Roles: splitRoles(get("roles")), Active: true,
		}
		add := func(key, value string) {
			problems = append(problems, ImportProblem{Row: line, Username: row.in.Username, Key: key, Value: value})
		}
		switch strings.ToLower(get("active")) {
		case "", "1", "yes", "igen", "true", "y", "i":
		case "0", "no", "nem", "false", "n":
			row.in.Active = false
		default:
			add("import.error.active", get("active"))
		}
		for _, fe := range row.in.Check() {
			add(fe.Key, get(fe.Field))
		}
		if len(row.in.Roles) == 0 {
			row.in.Roles = []string{actor.Employee}
		}
		if d := get("department"); d != "" {
			switch ids := depts[strings.ToLower(d)]; len(ids) {
			case 0:
				add("import.error.department", d)
			case 1:
				id := ids[0]
				row.in.DepartmentID = &id
			default:
				add("import.error.department_ambiguous", d)
			}
		}
		if prev, dup := inFile[row.in.Username]; dup {
			add("import.error.duplicate_username", records[prev-1][col["username"]])
		}
		inFile[row.in.Username] = line
		if prev, dup := emailInFile[row.in.Email]; dup && row.in.Email != "" {
			add("import.error.duplicate_email", records[prev-1][col["email"]])
		}
		emailInFile[row.in.Email] = line
		row.existing = byUser[row.in.Username]
		if owner, ok := byEmail[row.in.Email]; ok && owner != row.in.Username {
			add("people.error.email_taken", row.in.Email)
		}
		// The same rules as the person form: who may change roles, the
		// active flag and the sign-in details of whom.
		var fe *FieldError
		if err := mayChange(a, row.existing, row.in.standing(), false); errors.As(err, &fe) {
			add(fe.Key, get(fe.Field))
		} else if err != nil {
			return nil, nil, err
		}
		rows = append(rows, row)
	}
	// References may point to people earlier or later in the same file.
	for _, row := range rows {
		for _, ref := range []string{row.manager, row.deputy} {
			if ref == "" {
				continue
			}
			if ref == row.in.Username {
				problems = append(problems, ImportProblem{Row: row.line, Username: row.in.Username, Key: "people.error.self", Value: ref})
			} else if _, ok := inFile[ref]; !ok && byUser[ref] == nil {
				problems = append(problems, ImportProblem{Row: row.line, Username: row.in.Username, Key: "import.error.person", Value: ref})
			}
		}
	}
	return rows, problems, nil
}

func splitRoles(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(c rune) bool { return c == ' ' || c == ';' || c == ',' || c == '|' })
}

// departmentsByName maps lower-cased department names to their ids (names may repeat in the tree).
func (s *Service) departmentsByName(ctx context.Context) (map[string][]uint, error) {
	var all []Department
	if err := s.db.R.WithContext(ctx).Find(&all).Error; err != nil {
		return nil, err
	}
	out := map[string][]uint{}
	for _, d := range all {
		k := strings.ToLower(d.Name)
		out[k] = append(out[k], d.ID)
	}
	return out, nil
}

// ExportRows returns every person in the import's columns (ImportColumns), in
// Hungarian name order, so a file can go out to a spreadsheet and come back;
// the last cell (active) is a bool for the handler to write in words.
func (s *Service) ExportRows(ctx context.Context, a actor.Actor) ([][]any, error) {
	if !canManagePeople(a) {
		return nil, ErrForbidden
	}
	var all []Person
	if err := s.db.R.WithContext(ctx).Preload("Roles").Order(s.db.ByName("name") + ", id").Find(&all).Error; err != nil {
		return nil, err
	}
	var depts []Department
	if err := s.db.R.WithContext(ctx).Find(&depts).Error; err != nil {
		return nil, err
	}
	deptName := map[uint]string{}
	for _, d := range depts {
		deptName[d.ID] = d.Name
	}
	userOf := map[uint]string{}
	for _, p := range all {
		userOf[p.ID] = p.Username
	}
	ref := func(id *uint) string {
		if id == nil {
			return ""
		}
		return userOf[*id]
	}
	rows := make([][]any, 0, len(all))
	for _, p := range all {
		dept := ""
		if p.DepartmentID != nil {
			dept = deptName[*p.DepartmentID]
		}
		rows = append(rows, []any{p.Username, p.Name, p.Email, dept, p.JobTitle,
			ref(p.ManagerID), ref(p.DeputyID), strings.Join(p.RoleNames(), " "), p.Active})
	}
	return rows, nil
}
