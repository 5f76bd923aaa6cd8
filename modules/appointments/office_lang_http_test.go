package appointments_test

import (
	"fmt"
	"html"
	"strings"
	"testing"

	"kapu/modules/appointments"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/db"
)

// A citizen reading English is told how to reach the office and what makes
// it accessible in English where the office has written it, and in
// Hungarian where it has not.
func TestOfficeTextsFollowTheCitizensLanguage(t *testing.T) {
	app := kaputest.New(t, db.SQLite)
	var typ appointments.CaseType
	app.DB.R.Where("name_en = ?", "Address card and registering an address").Limit(1).Find(&typ)
	var okm, ugy appointments.Office
	app.DB.R.Where("name = ?", "Okmányiroda").Limit(1).Find(&okm)
	app.DB.R.Where("name = ?", "Ügyfélszolgálat").Limit(1).Find(&ugy)
	if typ.ID == 0 || okm.DirectionsEN == "" || ugy.ID == 0 {
		t.Fatalf("the demo lacks the address card or the offices' English texts: %d, %q, %d", typ.ID, okm.DirectionsEN, ugy.ID)
	}
	// The other office has no English accessibility note.
	must(t, app.DB.W.Model(&appointments.Office{}).Where("id = ?", ugy.ID).Update("accessibility_en", "").Error)
	app.Appointments.SetupChanged()

	z := newCitizen(t, app, "10.7.0.1")
	path := fmt.Sprintf("/appointments/t/%d", typ.ID)
	res, body := z.get(path + "?lang=en")
	wantStatus(t, "the type in English", res, 200, body)
	h := html.EscapeString
	wantIn(t, "the type in English", body, h(okm.DirectionsEN), h(okm.AccessibilityEN), h(ugy.DirectionsEN), h(ugy.Accessibility))
	if strings.Contains(body, h(okm.Directions)) {
		t.Errorf("the English page shows the Hungarian directions of %s", okm.Name)
	}
	res, body = z.get(path + "?lang=hu")
	wantStatus(t, "the type in Hungarian", res, 200, body)
	wantIn(t, "the type in Hungarian", body, h(okm.Directions), h(okm.Accessibility))
	if strings.Contains(body, h(okm.DirectionsEN)) {
		t.Errorf("the Hungarian page shows the English directions of %s", okm.Name)
	}
}
