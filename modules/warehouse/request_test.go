package warehouse

import (
	"context"
	"errors"
	"strings"
	"testing"

	"kapu/modules/platform/approval"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/db/dbtest"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/web"
)

// The manager approves 3 reams of the 5 asked, with a reason: exactly 3 are
// reserved, the toner asked in full is reserved in full, the free-text line
// goes to procurement, and the requester, the storekeeper and the approver's
// mails say so. Approving more than asked, or less without a reason, is
// refused and changes nothing.
func TestApproveLessReservesOnlyApproved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(10))
		toner := f.item(t, "TON-HP-12A", "db", QtyOf(5))
		r := f.submit(t, LineInput{ItemID: paper.ID, Quantity: "5"}, LineInput{ItemID: toner.ID, Quantity: "2"},
			LineInput{Text: "Címkenyomtató", Unit: "db", Price: 25000, Quantity: "1"})
		if r.Status != RequestPending || r.ApprovalID == nil {
			t.Fatalf("submitted request %+v; want pending with an approval", r)
		}
		if n := f.mails(t, f.boss, ""); n != 1 {
			t.Errorf("%d mails to the manager; want the approval request", n)
		}
		lines := f.detail(t, r.ID).Lines
		for _, bad := range []struct {
			d    LineDecision
			want error
		}{
			{LineDecision{LineID: lines[0].ID, Quantity: "6", Reason: "x"}, ErrMoreThanAsked},
			{LineDecision{LineID: lines[0].ID, Quantity: "3"}, ErrLessReason},
			{LineDecision{LineID: lines[0].ID, Quantity: "2,5", Reason: "x"}, ErrFraction},
			{LineDecision{LineID: 999999, Quantity: "1"}, ErrLineUnknown},
		} {
			_, err := f.s.ApproveLines(ctx, f.boss, r.ID, []LineDecision{bad.d}, "")
			if !errors.Is(err, bad.want) || !errors.Is(err, errs.Invalid) {
				t.Errorf("ApproveLines(%+v) = %v; want %v", bad.d, err, bad.want)
			}
		}
		if got := f.load(t, paper.ID); got.Reserved != 0 || f.detail(t, r.ID).Lines[0].State != LineRequested {
			t.Fatalf("after refused decisions paper reserved %v, line %s; want nothing changed", got.Reserved, f.detail(t, r.ID).Lines[0].State)
		}

		out, err := f.s.ApproveLines(ctx, f.boss, r.ID, []LineDecision{{LineID: lines[0].ID, Quantity: "3", Reason: "A keret 3 rizsmára elég."}}, "")
		must(t, err)
		if out.Status != RequestApproved {
			t.Errorf("request status %s; want approved", out.Status)
		}
		want := []struct {
			state                         string
			requested, approved, reserved Qty
		}{
			{LineReserved, QtyOf(5), QtyOf(3), QtyOf(3)},
			{LineReserved, QtyOf(2), QtyOf(2), QtyOf(2)},
			{LineToProcure, QtyOf(1), QtyOf(1), 0},
		}
		for i, l := range f.detail(t, r.ID).Lines {
			w := want[i]
			if l.State != w.state || l.Requested != w.requested || l.Approved != w.approved || l.Reserved != w.reserved {
				t.Errorf("line %d: %s asked %v approved %v reserved %v; want %s %v %v %v", i+1, l.State, l.Requested, l.Approved, l.Reserved,
					w.state, w.requested, w.approved, w.reserved)
			}
		}
		if l := f.detail(t, r.ID).Lines[0]; l.Reason != "A keret 3 rizsmára elég." {
			t.Errorf("paper line reason %q; want the approver's", l.Reason)
		}
		if p, tn := f.load(t, paper.ID), f.load(t, toner.ID); p.Reserved != QtyOf(3) || p.OnHand != QtyOf(10) || tn.Reserved != QtyOf(2) {
			t.Errorf("paper reserved %v on hand %v, toner reserved %v; want 3 of 10 and 2", p.Reserved, p.OnHand, tn.Reserved)
		}
		var mv Movement
		must(t, d.W.Where("item_id = ? AND kind = ?", paper.ID, KindReserve).First(&mv).Error)
		if mv.Reserved != QtyOf(3) || mv.DepartmentID == nil || *mv.DepartmentID != f.dept || mv.RequestLineID == nil || *mv.RequestLineID != lines[0].ID {
			t.Errorf("reservation %+v; want 3 for the department and the line", mv)
		}
		f.checkLedger(t)
		if n := f.mails(t, f.keeper, ""); n != 1 {
			t.Errorf("%d mails to the storekeeper; want the approved request", n)
		}
		if n := f.mails(t, f.emp, ""); n != 1 {
			t.Errorf("%d mails to the requester; want the outcome", n)
		}
		var outcome string
		must(t, d.W.Table("outbox").Select("text").Where("to_addr = ?", "papp@kapu.test").Limit(1).Scan(&outcome).Error)
		if !strings.Contains(outcome, "kért 5 rizsma, jóváhagyott 3 rizsma") || !strings.Contains(outcome, "beszerzendő") {
			t.Errorf("the requester's mail does not tell the lines:\n%s", outcome)
		}
		if _, err := f.s.ApproveLines(ctx, f.boss, r.ID, nil, ""); !errors.Is(err, ErrNotPending) {
			t.Errorf("approving a decided request = %v; want ErrNotPending", err)
		}
	})
}

// A request for more than the shelf holds, approved from the email link
// (the engine's own transaction, nothing prepared before it): it reserves
// what there is and lists the rest to procure. Cancelling it releases
// exactly that reservation, leaves another request's alone, and a second
// cancel is refused.
func TestShortReservesWhatThereIsAndCancelReleasesExactly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(4))
		other := f.submit(t, LineInput{ItemID: paper.ID, Quantity: "1"})
		if _, err := f.engine.Decide(ctx, f.boss, approval.Decision{RequestID: *other.ApprovalID, Approve: true}); err != nil {
			t.Fatal(err)
		}
		r := f.submit(t, LineInput{ItemID: paper.ID, Quantity: "6"})
		if _, err := f.engine.Decide(ctx, f.boss, approval.Decision{RequestID: *r.ApprovalID, Approve: true}); err != nil {
			t.Fatal(err)
		}
		l := f.detail(t, r.ID).Lines[0]
		if l.State != LineToProcure || l.Approved != QtyOf(6) || l.Reserved != QtyOf(3) || l.ToProcure() != QtyOf(3) {
			t.Fatalf("line %s approved %v reserved %v to procure %v; want to_procure, 6, 3 reserved, 3 to buy", l.State, l.Approved, l.Reserved, l.ToProcure())
		}
		if it := f.load(t, paper.ID); it.Reserved != QtyOf(4) || it.Available() != 0 {
			t.Errorf("paper reserved %v available %v; want all 4 reserved", it.Reserved, it.Available())
		}
		out, err := f.s.CancelRequest(ctx, f.emp, r.ID)
		must(t, err)
		if out.Status != RequestCancelled || out.Lines[0].State != LineCancelled || out.Lines[0].Reserved != 0 {
			t.Errorf("cancelled request %s, line %s reserved %v; want cancelled, nothing held", out.Status, out.Lines[0].State, out.Lines[0].Reserved)
		}
		var released []Movement
		must(t, d.W.Where("kind = ? AND request_line_id = ?", KindRelease, l.ID).Find(&released).Error)
		if len(released) != 1 || released[0].Reserved != -QtyOf(3) {
			t.Errorf("releases %+v; want one of exactly 3", released)
		}
		if it := f.load(t, paper.ID); it.Reserved != QtyOf(1) || it.OnHand != QtyOf(4) {
			t.Errorf("paper reserved %v on hand %v; want the other request's 1 of 4", it.Reserved, it.OnHand)
		}
		_, reserved := f.sums(t, paper.ID)
		if reserved != QtyOf(1) {
			t.Errorf("ledger reserved %v; want 1", reserved)
		}
		f.checkLedger(t)
		if n := f.mails(t, f.keeper, ""); n != 3 {
			t.Errorf("%d mails to the storekeeper; want two approvals and the cancellation", n)
		}
		if _, err := f.s.CancelRequest(ctx, f.emp, r.ID); !errors.Is(err, ErrNotCancellable) {
			t.Errorf("second cancel = %v; want ErrNotCancellable", err)
		}
	})
}

// Cancelling a request still with its manager withdraws the approval (its
// links stop working) and mails the manager; nothing was reserved.
func TestCancelPendingWithdrawsApproval(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(4))
		r := f.submit(t, LineInput{ItemID: paper.ID, Quantity: "2"})
		_, err := f.s.CancelRequest(ctx, f.emp, r.ID)
		must(t, err)
		var ar approval.Request
		must(t, d.W.First(&ar, *r.ApprovalID).Error)
		if ar.Status != approval.StatusWithdrawn {
			t.Errorf("approval %s; want withdrawn", ar.Status)
		}
		if n := f.mails(t, f.boss, ""); n != 2 {
			t.Errorf("%d mails to the manager; want the request and its cancellation", n)
		}
		if _, err := f.engine.Decide(ctx, f.boss, approval.Decision{RequestID: ar.ID, Approve: true}); !errors.Is(err, approval.ErrDecided) {
			t.Errorf("approving a cancelled request = %v; want ErrDecided", err)
		}
		if it := f.load(t, paper.ID); it.Reserved != 0 {
			t.Errorf("paper reserved %v; want 0", it.Reserved)
		}
	})
}

// Someone else's request: a colleague is told there is no such request
// (404), the approver may see it but not cancel it (403), the storekeeper
// may not decide it (403); nothing changes.
func TestSomeoneElsesRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(4))
		r := f.submit(t, LineInput{ItemID: paper.ID, Quantity: "2"})
		lines := f.detail(t, r.ID).Lines
		check := func(what string, err, want error, kind error) {
			t.Helper()
			if !errors.Is(err, want) || !errors.Is(err, kind) {
				t.Errorf("%s = %v; want %v", what, err, want)
			}
		}
		_, err := f.s.GetRequest(ctx, f.kiss, r.ID)
		check("colleague reads", err, ErrRequestNotFound, errs.NotFound)
		_, err = f.s.CancelRequest(ctx, f.kiss, r.ID)
		check("colleague cancels", err, ErrRequestNotFound, errs.NotFound)
		_, err = f.s.ApproveLines(ctx, f.kiss, r.ID, []LineDecision{{LineID: lines[0].ID, Quantity: "2"}}, "")
		check("colleague approves", err, ErrRequestNotFound, errs.NotFound)
		_, err = f.s.CancelRequest(ctx, f.boss, r.ID)
		check("approver cancels", err, ErrRequestNotOwn, errs.Forbidden)
		_, err = f.s.ApproveLines(ctx, f.keeper, r.ID, nil, "")
		check("storekeeper approves", err, ErrNotDecider, errs.Forbidden)
		_, err = f.s.GetRequest(ctx, f.kiss, r.ID+1000)
		check("unknown id", err, ErrRequestNotFound, errs.NotFound)
		if got, err := f.s.GetRequest(ctx, f.boss, r.ID); err != nil || len(got.Lines) != 1 {
			t.Errorf("approver reads = %v, %v; want the request", got, err)
		}
		if got := f.detail(t, r.ID); got.Status != RequestPending || got.Lines[0].State != LineRequested {
			t.Errorf("request %s line %s; want untouched", got.Status, got.Lines[0].State)
		}
	})
}

// Bad forms: each problem is named (on its line), and nothing is written:
// no request, no line, no approval, no mail.
func TestSubmitBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(4))
		soap := f.item(t, "TIS-SZAPPAN", "l", QtyOf(4))
		old := f.item(t, "FORM-OLD", "db", 0)
		_, err := f.s.UpdateItem(ctx, f.keeper, old.ID, ItemInput{Code: old.Code, NameHU: old.NameHU, Category: "forms", Unit: "db"})
		must(t, err)
		today := calendar.DateOf(testNow, f.s.tz())
		ok := RequestInput{DepartmentID: f.dept, Purpose: "Iroda", Lines: []LineInput{{ItemID: paper.ID, Quantity: "1"}}}
		with := func(change func(*RequestInput)) RequestInput {
			in := ok
			in.Lines = append([]LineInput(nil), ok.Lines...)
			change(&in)
			return in
		}
		line := func(l LineInput) RequestInput { return with(func(in *RequestInput) { in.Lines = append(in.Lines, l) }) }
		cases := []struct {
			name string
			in   RequestInput
			want error
			line int // 0: not a line's problem
		}{
			{"zero", line(LineInput{ItemID: soap.ID, Quantity: "0"}), ErrQuantity, 2},
			{"negative", line(LineInput{ItemID: soap.ID, Quantity: "-2"}), ErrQuantity, 2},
			{"fraction of a whole unit", with(func(in *RequestInput) { in.Lines[0].Quantity = "2,5" }), ErrFraction, 1},
			{"absurd", line(LineInput{ItemID: soap.ID, Quantity: "99999999"}), ErrTooMuch, 2},
			{"more than a million", line(LineInput{ItemID: soap.ID, Quantity: "1000000,5"}), ErrTooMuch, 2},
			{"inactive item", line(LineInput{ItemID: old.ID, Quantity: "1"}), ErrInactive, 2},
			{"unknown item", line(LineInput{ItemID: 987654, Quantity: "1"}), ErrNotFound, 2},
			{"item twice", line(LineInput{ItemID: paper.ID, Quantity: "1"}), ErrDuplicateItem, 2},
			{"free text without text", line(LineInput{Unit: "db", Quantity: "1"}), ErrLineText, 2},
			{"free text unit", line(LineInput{Text: "Pendrive", Unit: "hordó", Quantity: "1"}), ErrUnit, 2},
			{"no lines", with(func(in *RequestInput) { in.Lines = nil }), ErrNoLines, 0},
			{"too many lines", with(func(in *RequestInput) { in.Lines = make([]LineInput, maxLines+1) }), ErrTooManyLines, 0},
			{"no purpose", with(func(in *RequestInput) { in.Purpose = "  " }), ErrPurpose, 0},
			{"no department", with(func(in *RequestInput) { in.DepartmentID = 0 }), ErrDepartment, 0},
			{"unknown department", with(func(in *RequestInput) { in.DepartmentID = 424242 }), ErrDepartment, 0},
			{"needed yesterday", with(func(in *RequestInput) { in.NeededBy = today.AddDays(-1) }), ErrNeededBy, 0},
			{"needed in two years", with(func(in *RequestInput) { in.NeededBy = today.AddDays(730) }), ErrNeededBy, 0},
		}
		for _, c := range cases {
			_, err := f.s.SubmitRequest(ctx, f.emp, c.in)
			if !errors.Is(err, c.want) {
				t.Errorf("%s: SubmitRequest = %v; want %v", c.name, err, c.want)
				continue
			}
			var le *LineError
			if got := errors.As(err, &le); got != (c.line > 0) || (got && le.Line != c.line) {
				t.Errorf("%s: line error %v; want on line %d", c.name, le, c.line)
			}
			if key, _ := Message(f.cat, "hu", err); key == "" || f.cat.T("en", key) == key {
				t.Errorf("%s: message key %q has no text", c.name, key)
			}
		}
		for _, model := range []any{&Request{}, &RequestLine{}, &approval.Request{}} {
			if n := f.count(t, model); n != 0 {
				t.Errorf("%d rows of %T after bad forms; want none", n, model)
			}
		}
		if n := f.mails(t, f.boss, ""); n != 0 {
			t.Errorf("%d mails after bad forms; want none", n)
		}
		// The same form, right, goes through; decimals are fine for litres.
		_, err = f.s.SubmitRequest(ctx, f.emp, line(LineInput{ItemID: soap.ID, Quantity: "2,5"}))
		must(t, err)
	})
}

// Above the limit a second step goes to the head of finance, who may lower
// the manager's quantities further but never raise them; the reservation
// follows the last approver.
func TestSecondStepAboveLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		must(t, d.SetSetting(ctx, SettingApprovalLimit, "10000"))
		must(t, d.SetSetting(ctx, SettingSecondApprover, "penz"))
		toner := f.item(t, "TON-HP-12A", "db", QtyOf(20)) // 1 200 Ft each
		small := f.submit(t, LineInput{ItemID: toner.ID, Quantity: "5"})
		big := f.submit(t, LineInput{ItemID: toner.ID, Quantity: "10"})
		steps := func(r *Request) int64 {
			var n int64
			must(t, d.W.Model(&approval.Step{}).Where("request_id = ?", *r.ApprovalID).Count(&n).Error)
			return n
		}
		if steps(small) != 1 || steps(big) != 2 {
			t.Fatalf("steps %d and %d; want 1 up to the limit, 2 above", steps(small), steps(big))
		}
		line := f.detail(t, big.ID).Lines[0]
		if _, err := f.s.ApproveLines(ctx, f.penz, big.ID, nil, ""); !errors.Is(err, ErrNotDecider) {
			t.Errorf("finance before the manager = %v; want ErrNotDecider", err)
		}
		out, err := f.s.ApproveLines(ctx, f.boss, big.ID, []LineDecision{{LineID: line.ID, Quantity: "8", Reason: "Elég 8."}}, "")
		must(t, err)
		if out.Status != RequestPending || out.Lines[0].State != LinePartly || out.Lines[0].Approved != QtyOf(8) {
			t.Fatalf("after the manager: %s, line %s approved %v; want pending, partly 8", out.Status, out.Lines[0].State, out.Lines[0].Approved)
		}
		if it := f.load(t, toner.ID); it.Reserved != 0 {
			t.Errorf("reserved %v before the last step; want 0", it.Reserved)
		}
		if _, err := f.s.ApproveLines(ctx, f.penz, big.ID, []LineDecision{{LineID: line.ID, Quantity: "10", Reason: "x"}}, ""); !errors.Is(err, ErrMoreThanAsked) {
			t.Errorf("finance raising to 10 = %v; want ErrMoreThanAsked", err)
		}
		out, err = f.s.ApproveLines(ctx, f.penz, big.ID, []LineDecision{{LineID: line.ID, Quantity: "6", Reason: "Év vége."}}, "")
		must(t, err)
		if out.Status != RequestApproved || out.Lines[0].Approved != QtyOf(6) || out.Lines[0].Reserved != QtyOf(6) {
			t.Errorf("after finance: %s, approved %v reserved %v; want approved, 6 and 6", out.Status, out.Lines[0].Approved, out.Lines[0].Reserved)
		}
		if it := f.load(t, toner.ID); it.Reserved != QtyOf(6) {
			t.Errorf("reserved %v; want 6", it.Reserved)
		}
		f.checkLedger(t)
	})
}

// Rejecting at the first step rejects every line and reserves nothing;
// only the approver rejects, and says why.
func TestRejectRejectsLines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(4))
		r := f.submit(t, LineInput{ItemID: paper.ID, Quantity: "2"}, LineInput{Text: "Pendrive", Unit: "db", Quantity: "1"})
		if _, err := f.s.RejectRequest(ctx, f.kiss, r.ID, "nem"); !errors.Is(err, ErrRequestNotFound) {
			t.Errorf("a colleague rejects = %v; want ErrRequestNotFound", err)
		}
		if _, err := f.s.RejectRequest(ctx, f.boss, r.ID, " "); !errors.Is(err, approval.ErrReasonRequired) {
			t.Errorf("rejecting without a reason = %v; want ErrReasonRequired", err)
		}
		if _, err := f.s.RejectRequest(ctx, f.boss, r.ID, "Van még a polcon."); err != nil {
			t.Fatal(err)
		}
		got := f.detail(t, r.ID)
		if got.Status != RequestRejected || got.Lines[0].State != LineRejected || got.Lines[1].State != LineRejected {
			t.Errorf("request %s, lines %s %s; want all rejected", got.Status, got.Lines[0].State, got.Lines[1].State)
		}
		if it := f.load(t, paper.ID); it.Reserved != 0 {
			t.Errorf("reserved %v; want 0", it.Reserved)
		}
		if _, err := f.s.CancelRequest(ctx, f.emp, r.ID); !errors.Is(err, ErrNotCancellable) {
			t.Errorf("cancelling a rejected request = %v; want ErrNotCancellable", err)
		}
	})
}

// The approver reads the lines with quantities and value in their own
// language; lists get the brief in one go.
func TestRequestSummary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newReqFixture(t, d)
		ctx := context.Background()
		paper := f.item(t, "PAP-A4-80", "rizsma", QtyOf(10))
		r := f.submit(t, LineInput{ItemID: paper.ID, Quantity: "5"}, LineInput{Text: "Pendrive 64 GB", Unit: "db", Price: 4000, Quantity: "2"})
		var ar approval.Request
		must(t, d.W.First(&ar, *r.ApprovalID).Error)
		en, err := f.s.requestSummary(ctx, d.R, &ar, "en")
		must(t, err)
		if want := "Supply request no. " + web.FormatID(r.ID) + ": Papp Eszter (2 lines)"; en.Title != want || en.Extent != "14,000 Ft" {
			t.Errorf("en brief %q, %q; want %q and 6 000 + 8 000 Ft", en.Title, en.Extent, want)
		}
		text := ""
		for _, l := range en.Lines {
			text += l.Label + ": " + l.Value + "\n"
		}
		for _, want := range []string{"Item PAP-A4-80 (PAP-A4-80): 5 ream, 6,000 Ft", "Pendrive 64 GB (not stocked): 2 pcs, 8,000 Ft", "Department: Pénzügyi Osztály", "Needed by: "} {
			if !strings.Contains(text, want) {
				t.Errorf("en summary lacks %q:\n%s", want, text)
			}
		}
		hu, err := f.s.describeRequests(ctx, d.R, []approval.Request{ar, {SubjectID: web.FormatID(r.ID + 99), Title: "régi"}}, "hu")
		must(t, err)
		if hu[0].Title != web.FormatID(r.ID)+". sz. raktári igénylés: Papp Eszter (2 tétel)" || hu[0].Extent != "14\u00a0000 Ft" || hu[1].Title != "régi" {
			t.Errorf("hu briefs %+v; want the Hungarian brief and the stored title for a gone request", hu)
		}
	})
}
