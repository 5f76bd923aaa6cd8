package helpdesk

import (
	"context"
	"errors"
	"sync"
	"testing"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/people"
)

func uintp(v uint) *uint { return &v }

func (f *fixture) admin(t testing.TB) actor.Actor {
	t.Helper()
	p := people.Person{Username: "admin", Name: "Admin Anna", Email: "admin@kapu.test", Active: true, Roles: []people.PersonRole{{Role: actor.Admin}}}
	must(t, f.d.W.Create(&p).Error)
	return p.Actor()
}

func printer(tag string) AssetInput {
	return AssetInput{Tag: tag, Type: "nyomtató", Model: "HP LaserJet M404", Serial: "VNB3K12345",
		Building: "Főépület", Floor: "2", Room: "214", PurchasedOn: calendar.NewDate(2024, 3, 1),
		Price: 189000, WarrantyEnd: calendar.NewDate(2027, 3, 1), LifeMonths: 60}
}

func TestSaveAssetValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		cases := []struct {
			name string
			edit func(*AssetInput)
			want error
		}{
			{"no tag", func(in *AssetInput) { in.Tag = "  " }, ErrAssetTag},
			{"no type", func(in *AssetInput) { in.Type = "" }, ErrAssetType},
			{"long tag", func(in *AssetInput) { in.Tag = string(make([]rune, 51)) }, ErrAssetText},
			{"control character", func(in *AssetInput) { in.Model = "HP\x00" }, ErrAssetText},
			{"bad UTF-8", func(in *AssetInput) { in.Serial = "\xff\xfe" }, ErrAssetText},
			{"line break in room", func(in *AssetInput) { in.Room = "2\n14" }, ErrAssetText},
			{"negative price", func(in *AssetInput) { in.Price = -1 }, ErrAssetPrice},
			{"negative life", func(in *AssetInput) { in.LifeMonths = -3 }, ErrAssetLife},
			{"warranty before purchase", func(in *AssetInput) { in.WarrantyEnd = calendar.NewDate(2023, 1, 1) }, ErrAssetWarranty},
			{"unknown state", func(in *AssetInput) { in.State = "lost" }, ErrAssetState},
			{"unknown owner", func(in *AssetInput) { in.OwnerID = uintp(99999) }, ErrAssetOwner},
			{"unknown department", func(in *AssetInput) { in.DepartmentID = uintp(99999) }, ErrAssetDept},
		}
		for _, c := range cases {
			in := printer("LTR-0001")
			c.edit(&in)
			_, err := f.s.SaveAsset(ctx, f.it1, 0, in)
			if !errors.Is(err, c.want) || !errors.Is(err, errs.Invalid) {
				t.Errorf("%s: err = %v; want %v (invalid)", c.name, err, c.want)
			}
		}
		if n := f.count(t, &Asset{}); n != 0 {
			t.Fatalf("%d assets saved by invalid input; want none", n)
		}
		// Two problems come back together, so the form can mark both fields.
		in := printer("")
		in.Price = -5
		if _, err := f.s.SaveAsset(ctx, f.it1, 0, in); !errors.Is(err, ErrAssetTag) || !errors.Is(err, ErrAssetPrice) {
			t.Errorf("no tag and a negative price: err = %v; want both", err)
		}
		// The good one is stored trimmed, in use by default.
		in = printer("  LTR-0001 ")
		in.OwnerID = uintp(f.emp.ID)
		as, err := f.s.SaveAsset(ctx, f.it1, 0, in)
		must(t, err)
		got, err := f.s.AssetByTag(ctx, f.emp, "LTR-0001")
		must(t, err)
		if got.ID != as.ID || got.State != AssetInUse || got.Price != 189000 || !got.WarrantyEnd.Equal(calendar.NewDate(2027, 3, 1)) || *got.OwnerID != f.emp.ID {
			t.Errorf("stored asset = %+v", got)
		}
	})
}

func TestSaveAssetDuplicateTag(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		first, err := f.s.SaveAsset(ctx, f.it1, 0, printer("LTR-0001"))
		must(t, err)
		second, err := f.s.SaveAsset(ctx, f.it1, 0, printer("LTR-0002"))
		must(t, err)
		if _, err := f.s.SaveAsset(ctx, f.fac, 0, printer("LTR-0001")); !errors.Is(err, ErrAssetTagTaken) || !errors.Is(err, errs.Conflict) {
			t.Errorf("a new asset with a taken tag: err = %v; want ErrAssetTagTaken", err)
		}
		if _, err := f.s.SaveAsset(ctx, f.it1, second.ID, printer("LTR-0001")); !errors.Is(err, ErrAssetTagTaken) {
			t.Errorf("renaming onto a taken tag: err = %v; want ErrAssetTagTaken", err)
		}
		// Saving an asset under its own tag is no clash.
		in := printer("LTR-0001")
		in.State = AssetInRepair
		if _, err := f.s.SaveAsset(ctx, f.it1, first.ID, in); err != nil {
			t.Errorf("saving an asset with its own tag: %v", err)
		}
		if _, err := f.s.SaveAsset(ctx, f.it1, 99999, printer("LTR-0009")); !errors.Is(err, ErrAssetNotFound) {
			t.Errorf("saving a missing asset: err = %v; want not found", err)
		}
		// Two staff saving the same new tag at once: one wins, the other is told.
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i, a := range []actor.Actor{f.it1, f.it2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = f.s.SaveAsset(ctx, a, 0, printer("LTR-0100"))
			}()
		}
		wg.Wait()
		ok, taken := 0, 0
		for _, err := range results {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrAssetTagTaken):
				taken++
			default:
				t.Errorf("racing save: %v", err)
			}
		}
		if ok != 1 || taken != 1 {
			t.Errorf("racing saves: %d saved, %d told the tag is taken; want 1 and 1", ok, taken)
		}
	})
}

func TestAssetsStaffOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		admin := f.admin(t)
		if _, err := f.s.SaveAsset(ctx, f.emp, 0, printer("LTR-0001")); !errors.Is(err, ErrAssetForbidden) {
			t.Errorf("an employee saving an asset: err = %v; want forbidden", err)
		}
		if _, err := f.s.SaveAsset(ctx, actor.Actor{}, 0, printer("LTR-0001")); !errors.Is(err, ErrAssetForbidden) {
			t.Errorf("nobody saving an asset: err = %v; want forbidden", err)
		}
		for _, a := range []actor.Actor{f.it1, f.fac, admin} {
			if _, err := f.s.SaveAsset(ctx, a, 0, printer("LTR-"+a.Name)); err != nil {
				t.Errorf("%s saving an asset: %v", a.Name, err)
			}
		}
		if _, err := f.s.Assets(ctx, f.emp, AssetFilter{}); !errors.Is(err, ErrAssetForbidden) {
			t.Errorf("an employee listing the inventory: err = %v; want forbidden", err)
		}
		if _, err := f.s.ImportAssets(ctx, f.emp, nil); !errors.Is(err, ErrAssetForbidden) {
			t.Errorf("an employee importing: err = %v; want forbidden", err)
		}
		if _, _, err := f.s.ExportAssets(ctx, f.emp); !errors.Is(err, ErrAssetForbidden) {
			t.Errorf("an employee exporting: err = %v; want forbidden", err)
		}
		if _, err := f.s.Asset(ctx, actor.Actor{}, 1); !errors.Is(err, ErrForbidden) {
			t.Errorf("nobody reading an asset: err = %v; want forbidden", err)
		}
		if _, err := f.s.AssetByTag(ctx, f.emp, "NOPE"); !errors.Is(err, ErrAssetNotFound) {
			t.Errorf("an unknown tag: err = %v; want not found", err)
		}
	})
}

func TestAssetLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		dept := people.Department{Name: "Pénzügy"}
		must(t, d.W.Create(&dept).Error)
		save := func(tag, typ, state string, owner, room, dep *uint) {
			in := printer(tag)
			in.Type, in.State, in.OwnerID, in.RoomID, in.DepartmentID = typ, state, owner, room, dep
			_, err := f.s.SaveAsset(ctx, f.it1, 0, in)
			must(t, err)
		}
		save("A-1", "nyomtató", AssetInUse, uintp(f.emp.ID), uintp(7), nil)
		save("A-2", "laptop", AssetInUse, uintp(f.emp.ID), nil, uintp(dept.ID))
		save("A-3", "laptop", AssetRetired, uintp(f.emp.ID), uintp(7), nil)
		save("A-4", "projektor", AssetSpare, uintp(f.other.ID), uintp(7), uintp(dept.ID))
		save("B_5", "projektor", AssetInRepair, nil, uintp(8), nil)
		tags := func(list []Asset, err error) []string {
			t.Helper()
			must(t, err)
			var out []string
			for _, a := range list {
				out = append(out, a.Tag)
			}
			return out
		}
		eq := func(what string, got []string, want ...string) {
			t.Helper()
			if len(got) != len(want) {
				t.Errorf("%s = %v; want %v", what, got, want)
				return
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s = %v; want %v", what, got, want)
					return
				}
			}
		}
		eq("my assets", tags(f.s.MyAssets(ctx, f.emp)), "A-1", "A-2")
		eq("room 7", tags(f.s.AssetsInRoom(ctx, f.other, 7)), "A-1", "A-4")
		eq("all", tags(f.s.Assets(ctx, f.fac, AssetFilter{})), "A-1", "A-2", "A-3", "A-4", "B_5")
		eq("laptops", tags(f.s.Assets(ctx, f.it1, AssetFilter{Type: "laptop"})), "A-2", "A-3")
		eq("spare", tags(f.s.Assets(ctx, f.it1, AssetFilter{State: AssetSpare})), "A-4")
		eq("department", tags(f.s.Assets(ctx, f.it1, AssetFilter{DepartmentID: dept.ID})), "A-2", "A-4")
		eq("text b_", tags(f.s.Assets(ctx, f.it1, AssetFilter{Text: "b_"})), "B_5")
		eq("text _ is literal", tags(f.s.Assets(ctx, f.it1, AssetFilter{Text: "a_"})))
		eq("laptops in use", tags(f.s.Assets(ctx, f.it1, AssetFilter{Type: "laptop", Text: "a-"})), "A-2", "A-3")
	})
}
