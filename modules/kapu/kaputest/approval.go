package kaputest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"kapu/modules/kapu"
	"kapu/modules/platform/approval"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/history"
	"kapu/modules/platform/notify"
)

// Claim is the subject of a kind registered only in tests: an expense claim.
type Claim struct {
	ID     uint
	Title  string
	Amount int
	State  string
}

// TableName keeps the test kind's table apart from anything real.
func (Claim) TableName() string { return "test_claims" }

// RegisterClaims adds the "claim" kind, whose callbacks set the claim's state in
// the deciding transaction.
func RegisterClaims(t testing.TB, app *kapu.App) {
	t.Helper()
	if err := app.DB.W.AutoMigrate(&Claim{}); err != nil {
		t.Fatal(err)
	}
	app.Approval.Register(approval.Kind{
		Name: "claim",
		Summary: func(ctx context.Context, tx *gorm.DB, req *approval.Request, lang string) (approval.Summary, error) {
			var c Claim
			if err := tx.First(&c, req.SubjectID).Error; err != nil {
				return approval.Summary{}, err
			}
			return approval.Summary{Title: "Expense claim: " + c.Title, Lines: []approval.Line{{Label: "Amount", Value: fmt.Sprintf("%d Ft", c.Amount)}}}, nil
		},
		OnApprove: func(ctx context.Context, tx *gorm.DB, req *approval.Request) error {
			return tx.Model(&Claim{}).Where("id = ?", req.SubjectID).Update("state", "approved").Error
		},
		OnReject: func(ctx context.Context, tx *gorm.DB, req *approval.Request, reason string) error {
			return tx.Model(&Claim{}).Where("id = ?", req.SubjectID).Update("state", "rejected: "+reason).Error
		},
	})
}

// SubmitClaim files a claim by the requester for the approvers, in one transaction.
func SubmitClaim(t testing.TB, app *kapu.App, requester string, title string, approvers ...string) (*approval.Request, uint) {
	t.Helper()
	ctx := context.Background()
	r := Person(t, app, requester)
	var ids []uint
	for _, a := range approvers {
		ids = append(ids, Person(t, app, a).ID)
	}
	var req *approval.Request
	c := Claim{Title: title, Amount: 12500, State: "pending"}
	err := app.DB.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		var err error
		req, err = app.Approval.Submit(ctx, tx, "claim", fmt.Sprint(c.ID), r.Actor(), ids)
		return err
	})
	if err != nil {
		t.Fatalf("submit claim: %v", err)
	}
	return req, c.ID
}

// LinkRe finds an approval action link path (/a/<token>) in a mail.
var LinkRe = regexp.MustCompile(`/a/([A-Za-z0-9_-]{20,})`)

// SigRe finds the form signature on an approval link's page.
var SigRe = regexp.MustCompile(`name="sig" value="([0-9a-f]+)"`)

// Links returns the approve and reject link paths of a mail's plain text.
func Links(t testing.TB, m notify.Mail) (approve, reject string) {
	t.Helper()
	found := LinkRe.FindAllString(m.Text, -1)
	if len(found) < 2 {
		t.Fatalf("mail %q has %d action links; want 2\n%s", m.Subject, len(found), m.Text)
	}
	return found[0], found[1]
}

// SigFor reads the form signature from a link's page, "none" when it has none.
func SigFor(t testing.TB, app *kapu.App, link string) string {
	t.Helper()
	_, page := NewClient(t, app).Get(link)
	m := SigRe.FindStringSubmatch(page)
	if m == nil {
		return "none"
	}
	return m[1]
}

// PostLink presses a link page's button: the decision with its signature and comment.
func PostLink(c *Client, path, sig, comment string) (*http.Response, string) {
	return c.Post(path, url.Values{"sig": {sig}, "comment": {comment}})
}

// ApprovalSnapshot is the state that fetching a link must not change: steps,
// requests, tokens, and the number of events, audit rows and mails.
func ApprovalSnapshot(app *kapu.App) string {
	var steps []approval.Step
	var reqs []approval.Request
	var tokens []approval.Token
	var events, audits, mails int64
	app.DB.R.Order("id").Find(&steps)
	app.DB.R.Order("id").Find(&reqs)
	app.DB.R.Order("id").Find(&tokens)
	app.DB.R.Model(&history.Entry{}).Count(&events)
	app.DB.R.Model(&audit.Entry{}).Count(&audits)
	app.DB.R.Model(&notify.Mail{}).Count(&mails)
	var b strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&b, "step %d %s %v|", s.ID, s.Status, s.DecidedAt)
	}
	for _, r := range reqs {
		fmt.Fprintf(&b, "req %d %s v%d s%d|", r.ID, r.Status, r.Version, r.CurrentStep)
	}
	for _, tk := range tokens {
		fmt.Fprintf(&b, "tok %d %v|", tk.ID, tk.UsedAt)
	}
	fmt.Fprintf(&b, "events %d audits %d mails %d", events, audits, mails)
	return b.String()
}
