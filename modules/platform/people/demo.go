package people

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/demo"
)

// demoDomain is the mail domain of the demo accounts.
const demoDomain = "kapu.example.org"

// Demo loads the demo city hall's departments and staff (see SeedDemo);
// every other module's demo data is about them.
func (m *Module) Demo(ctx context.Context, _ demo.Options) error {
	return m.svc.SeedDemo(ctx, demoDomain)
}

// DemoPassword is the password of every demo account.
const DemoPassword = "demo"

// DemoAccount is one of the named demo logins listed on the login page and in the README.
type DemoAccount struct {
	Username string
	Role     string // the role the account demonstrates
}

// DemoAccounts are the logins a visitor can try, one per role.
var DemoAccounts = []DemoAccount{
	{"admin", actor.Admin}, {"hr", actor.HR}, {"manager", actor.Manager}, {"employee", actor.Employee},
	{"fleet", actor.Fleet}, {"it", actor.IT}, {"facilities", actor.Facilities},
	{"storekeeper", actor.Storekeeper}, {"frontdesk", actor.Frontdesk},
}

// demoDept is a department of the demo city hall with its staff.
type demoDept struct {
	name     string
	parent   string
	head     string // username of the head
	accounts []demoPerson
}

type demoPerson struct {
	username, name, title string
	roles                 []string
}

var demoOrg = []demoDept{
	{name: "Polgármesteri Hivatal", head: "szabo.katalin", accounts: []demoPerson{
		{"szabo.katalin", "Dr. Szabó Katalin", "jegyző", []string{actor.Manager}},
		{"admin", "Rendszergazda Róbert", "rendszergazda", []string{actor.Admin}},
	}},
	{name: "Polgármesteri Kabinet", parent: "Polgármesteri Hivatal", head: "horvath.gabor", accounts: []demoPerson{
		{"horvath.gabor", "Horváth Gábor", "kabinetvezető", []string{actor.Manager}},
		{"varga.eszter", "Varga Eszter", "titkársági referens", nil},
		{"toth.balazs", "Tóth Balázs", "kommunikációs referens", nil},
		{"farkas.judit", "Farkas Judit", "protokollreferens", nil},
	}},
	{name: "Humánerőforrás Osztály", parent: "Polgármesteri Hivatal", head: "molnar.zsuzsanna", accounts: []demoPerson{
		{"molnar.zsuzsanna", "Molnár Zsuzsanna", "osztályvezető", []string{actor.Manager, actor.HR}},
		{"hr", "Kovács Henrietta", "HR-referens", []string{actor.HR}},
		{"nemeth.agnes", "Németh Ágnes", "bérszámfejtő", nil},
	}},
	{name: "Hatósági Osztály", parent: "Polgármesteri Hivatal", head: "manager", accounts: []demoPerson{
		{"manager", "Kiss Márton", "osztályvezető", []string{actor.Manager}},
		{"employee", "Papp Eszter", "ügyintéző", nil},
		{"lakatos.bence", "Lakatos Bence", "ügyintéző", nil},
		{"simon.reka", "Simon Réka", "ügyintéző", nil},
		{"balogh.tamas", "Balogh Tamás", "ügyintéző", nil},
		{"fekete.noemi", "Fekete Noémi", "anyakönyvvezető", nil},
		{"szalai.adam", "Szalai Ádám", "ügyintéző", nil},
	}},
	{name: "Ügyfélszolgálati Iroda", parent: "Hatósági Osztály", head: "torok.ildiko", accounts: []demoPerson{
		{"torok.ildiko", "Török Ildikó", "irodavezető", []string{actor.Manager}},
		{"frontdesk", "Fehér Dóra", "ügyfélszolgálati munkatárs", []string{actor.Frontdesk}},
		{"juhasz.laura", "Juhász Laura", "ügyfélszolgálati munkatárs", []string{actor.Frontdesk}},
		{"olah.kristof", "Oláh Kristóf", "ügyfélszolgálati munkatárs", []string{actor.Frontdesk}},
	}},
	{name: "Pénzügyi Osztály", parent: "Polgármesteri Hivatal", head: "meszaros.laszlo", accounts: []demoPerson{
		{"meszaros.laszlo", "Mészáros László", "osztályvezető", []string{actor.Manager}},
		{"racz.anita", "Rácz Anita", "könyvelő", nil},
		{"fodor.peter", "Fodor Péter", "költségvetési referens", nil},
		{"storekeeper", "Katona Zoltán", "raktárvezető", []string{actor.Storekeeper}},
		{"vincze.marta", "Vincze Márta", "pénztáros", nil},
	}},
	{name: "Adóiroda", parent: "Pénzügyi Osztály", head: "lengyel.orsolya", accounts: []demoPerson{
		{"lengyel.orsolya", "Lengyel Orsolya", "irodavezető", []string{actor.Manager}},
		{"bakos.richard", "Bakos Richárd", "adóügyi ügyintéző", nil},
		{"antal.kinga", "Antal Kinga", "adóügyi ügyintéző", nil},
		{"sarkozi.mate", "Sárközi Máté", "adóellenőr", nil},
		{"veres.hajnalka", "Veres Hajnalka", "adóügyi ügyintéző", nil},
	}},
	{name: "Műszaki Osztály", parent: "Polgármesteri Hivatal", head: "pinter.gyorgy", accounts: []demoPerson{
		{"pinter.gyorgy", "Pintér György", "osztályvezető", []string{actor.Manager}},
		{"szucs.viktoria", "Szűcs Viktória", "városfejlesztési referens", nil},
	}},
	{name: "Üzemeltetési Csoport", parent: "Műszaki Osztály", head: "facilities", accounts: []demoPerson{
		{"facilities", "Hegedűs Ferenc", "csoportvezető", []string{actor.Facilities, actor.Manager}},
		{"bodnar.jozsef", "Bodnár József", "karbantartó", []string{actor.Facilities}},
		{"kocsis.sandor", "Kocsis Sándor", "gondnok", []string{actor.Facilities}},
		{"fleet", "Sipos Attila", "gépjármű-ügyintéző", []string{actor.Fleet}},
		{"gal.istvan", "Gál István", "gépkocsivezető", nil},
	}},
	{name: "Informatikai Csoport", parent: "Műszaki Osztály", head: "it", accounts: []demoPerson{
		{"it", "Orsós Dániel", "informatikai csoportvezető", []string{actor.IT, actor.Manager}},
		{"deak.milan", "Deák Milán", "rendszergazda", []string{actor.IT}},
		{"kelemen.petra", "Kelemen Petra", "informatikus", []string{actor.IT}},
	}},
}

// IsEmpty reports whether nobody has been created yet.
func (s *Service) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	err := s.db.R.WithContext(ctx).Model(&Person{}).Count(&n).Error
	return n == 0, err
}

// SeedDemo loads the demo city hall: departments with heads and about forty
// staff, every account with the password "demo". Deputies are the next
// colleague in the department so approvals can show delegation.
func (s *Service) SeedDemo(ctx context.Context, domain string) error {
	hash, err := s.hash(DemoPassword)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		deptIDs := map[string]uint{}
		personIDs := map[string]uint{}
		for _, dd := range demoOrg {
			d := Department{Name: dd.name}
			if dd.parent != "" {
				id := deptIDs[dd.parent]
				d.ParentID = &id
			}
			if err := tx.Create(&d).Error; err != nil {
				return err
			}
			deptIDs[dd.name] = d.ID
			var prev *uint
			for _, dp := range dd.accounts {
				p := Person{
					Username: dp.username, Name: dp.name, Email: dp.username + "@" + domain,
					DepartmentID: &d.ID, JobTitle: dp.title, Active: true, PasswordHash: hash,
				}
				for _, r := range append([]string{actor.Employee}, dp.roles...) {
					p.Roles = append(p.Roles, PersonRole{Role: r})
				}
				if prev != nil && dp.username != dd.head {
					p.DeputyID = prev
				}
				if err := tx.Create(&p).Error; err != nil {
					return fmt.Errorf("demo person %s: %w", dp.username, err)
				}
				personIDs[dp.username] = p.ID
				id := p.ID
				prev = &id
			}
			head := personIDs[dd.head]
			if err := tx.Model(&d).Update("head_id", head).Error; err != nil {
				return err
			}
		}
		return audit.Record(tx, actor.System(), "people.demo.seed", "installation", "demo", nil,
			map[string]int{"departments": len(deptIDs), "people": len(personIDs)})
	})
}

// OnlyDemoPeople reports whether every person is one the demo made, so that
// resetting a demo can never take a real city hall's staff with it.
func (s *Service) OnlyDemoPeople(ctx context.Context) (bool, error) {
	var names []string
	for _, dd := range demoOrg {
		for _, dp := range dd.accounts {
			names = append(names, dp.username)
		}
	}
	var n int64
	err := s.db.R.WithContext(ctx).Model(&Person{}).Where("username NOT IN ?", names).Count(&n).Error
	return n == 0, err
}
