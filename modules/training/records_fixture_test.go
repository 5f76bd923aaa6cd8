package training_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strconv"
	"testing"
	"time"

	"kapu/modules/kapu"
	"kapu/modules/kapu/kaputest"
	"kapu/modules/platform/calendar"
	"kapu/modules/training"
)

// The records' tests write catalogues, trainings, sessions and enrolments
// straight into the tables: the services that make them are written beside
// these (catalogue, sessions, enrolment) and are not what is tested here.

func recMust(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func recID(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// recCatalogue makes (or moves) year's catalogue into status.
func recCatalogue(t testing.TB, app *kapu.App, year int, status string) {
	t.Helper()
	now := time.Now()
	recMust(t, app.DB.W.Where("year = ?", year).Delete(&training.Catalogue{}).Error)
	recMust(t, app.DB.W.Create(&training.Catalogue{Year: year, Status: status, CreatedAt: now, UpdatedAt: now}).Error)
}

// recTraining adds a training; a zero Year is this year, an empty Kind classroom.
func recTraining(t testing.TB, app *kapu.App, tr training.Training) *training.Training {
	t.Helper()
	if tr.Year == 0 {
		tr.Year = kaputest.Today(t, app).Year
	}
	if tr.Kind == "" {
		tr.Kind = training.KindClassroom
	}
	if tr.Target == "" {
		tr.Target = training.TargetEveryone
	}
	if tr.TitleEN == "" {
		tr.TitleEN = tr.TitleHU + " (en)"
	}
	tr.Active = true
	// Select("*") writes the false flags too, which the columns' defaults would replace.
	recMust(t, app.DB.W.Select("*").Omit("id").Create(&tr).Error)
	return &tr
}

// recSession adds a scheduled session of the training from first to last, with
// an enrolment holding a seat for each username.
func recSession(t testing.TB, app *kapu.App, tr *training.Training, first, last calendar.Date, usernames ...string) (*training.Session, []training.Enrolment) {
	t.Helper()
	s := training.Session{TrainingID: tr.ID, FirstDay: first, LastDay: last, FromMin: 9 * 60, ToMin: 13 * 60,
		Place: "Díszterem", Seats: 20, Enrolled: len(usernames), Status: training.SessionScheduled}
	recMust(t, app.DB.W.Create(&s).Error)
	var ens []training.Enrolment
	for _, u := range usernames {
		sid := s.ID
		e := training.Enrolment{TrainingID: tr.ID, SessionID: &sid, PersonID: kaputest.Person(t, app, u).ID,
			Status: training.EnrolEnrolled, Source: training.SourceHR}
		recMust(t, app.DB.W.Create(&e).Error)
		ens = append(ens, e)
	}
	return &s, ens
}

// recCompletionsOf are a person's completions, oldest first.
func recCompletionsOf(t testing.TB, app *kapu.App, username string) []training.Completion {
	t.Helper()
	var cs []training.Completion
	recMust(t, app.DB.R.Where("person_id = ?", kaputest.Person(t, app, username).ID).Order("completed_on, id").Find(&cs).Error)
	return cs
}

// recLedgerOf are a person's points rows.
func recLedgerOf(t testing.TB, app *kapu.App, username string) []training.PointsRow {
	t.Helper()
	var rs []training.PointsRow
	recMust(t, app.DB.R.Where("person_id = ?", kaputest.Person(t, app, username).ID).Order("day, id").Find(&rs).Error)
	return rs
}

// recCount is the number of rows of model.
func recCount(t testing.TB, app *kapu.App, model any) int64 {
	t.Helper()
	var n int64
	recMust(t, app.DB.R.Model(model).Count(&n).Error)
	return n
}

// recUpload is a file of a multipart form.
type recUpload struct {
	field, name string
	data        []byte
}

// recPostMultipart sends fields and files as a browser's multipart form, with
// the client's CSRF token.
func recPostMultipart(c *kaputest.Client, path string, fields map[string]string, files ...recUpload) (*http.Response, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.CSRF)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile(f.field, f.name)
		_, _ = fw.Write(f.data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, "http://kapu.test"+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

// recPDF is the start of a PDF file, as content sniffing knows it.
var recPDF = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
