package people

import (
	"context"
	"reflect"
	"testing"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
)

func TestRecipients(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(t, d)
		anna := mustPerson(t, s, "anna", nil, actor.HR)
		bela := mustPerson(t, s, "bela", nil)
		gone := mustPerson(t, s, "gone", nil, actor.HR)
		if err := d.W.Model(&Person{}).Where("id = ?", anna.ID).Update("lang", "en").Error; err != nil {
			t.Fatal(err)
		}
		if err := d.W.Model(&Person{}).Where("id = ?", gone.ID).Update("active", false).Error; err != nil {
			t.Fatal(err)
		}

		// Everything is read through the caller's transaction: a person
		// written in it and not yet committed is found.
		err := d.Tx(ctx, func(tx *gorm.DB) error {
			late := Person{Username: "late", Name: "late", Email: "late@example.org", Active: true, Lang: "hu"}
			if err := tx.Create(&late).Error; err != nil {
				return err
			}
			got, err := Recipients(tx, "en", late.ID, gone.ID, bela.ID, anna.ID, 999_999)
			if err != nil {
				return err
			}
			want := []Recipient{
				{anna.ID, "anna", "anna@example.org", "en", true},
				{bela.ID, "bela", "bela@example.org", "en", true}, // no choice of their own: the suite's
				{gone.ID, "gone", "gone@example.org", "en", false},
				{late.ID, "late", "late@example.org", "hu", true},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Recipients = %+v; want %+v", got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			id       uint
			lang     string
			want     *Recipient
			mailable bool
		}{
			{bela.ID, "hu", &Recipient{bela.ID, "bela", "bela@example.org", "hu", true}, true},
			{bela.ID, "", &Recipient{bela.ID, "bela", "bela@example.org", "hu", true}, true}, // Kapu's first language
			{anna.ID, "hu", &Recipient{anna.ID, "anna", "anna@example.org", "en", true}, true},
			{gone.ID, "hu", &Recipient{gone.ID, "gone", "gone@example.org", "hu", false}, false},
			{999_999, "hu", nil, false},
		}
		for _, tt := range tests {
			got, err := RecipientOf(d.R, tt.lang, tt.id)
			if err != nil || !reflect.DeepEqual(got, tt.want) || got.Mailable() != tt.mailable {
				t.Errorf("RecipientOf(%d, %q) = %+v, %v (mailable %v); want %+v (mailable %v)", tt.id, tt.lang, got, err, got.Mailable(), tt.want, tt.mailable)
			}
		}

		hr, err := RecipientsWithRole(d.R, "hu", actor.HR)
		if err != nil || len(hr) != 1 || hr[0].ID != anna.ID || hr[0].Lang != "en" {
			t.Errorf("RecipientsWithRole(hr) = %+v, %v; want only anna (the inactive one gets nothing), in English", hr, err)
		}
		if none, err := Recipients(d.R, "hu"); err != nil || none != nil {
			t.Errorf("Recipients() = %v, %v; want nothing", none, err)
		}
	})
}
