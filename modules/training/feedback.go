package training

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// feedbackLinkTTL is how long a feedback link works: a month to find the
// mail again; after that the answer says little about the course.
const feedbackLinkTTL = 30 * 24 * time.Hour

// maxFeedbackComment is the comment's limit (Feedback.Comment's column).
const maxFeedbackComment = 1000

// feedbackPath is where the feedback mail's links lead.
const feedbackPath = "/training/feedback/"

// FeedbackDone is a link whose session was rated (through it or another of
// the place's links), beside linktoken's Valid, Unknown and Expired.
const FeedbackDone = "rated"

// Errors of the feedback form.
var (
	ErrFeedbackScore   = errs.New(errs.Invalid, "training: pick a score from 1 to 5")
	ErrFeedbackComment = errs.New(errs.Invalid, "training: the feedback's comment is too long or holds control characters")
	ErrFeedbackLink    = errs.New(errs.Conflict, "training: the feedback link cannot be used")
)

// newFeedbackLink makes a place's rating link in tx and returns its raw token
// (the mail carries it; only its hash is stored).
func (s *Service) newFeedbackLink(tx *gorm.DB, enrolmentID uint) (string, error) {
	now := s.now().UTC()
	raw, f := linktoken.New(now, feedbackLinkTTL)
	return raw, tx.Create(&FeedbackLink{EnrolmentID: enrolmentID, Fields: f, CreatedAt: now}).Error
}

// FeedbackURL is the rating page of link raw, with score ticked when 1–5.
func (s *Service) FeedbackURL(raw string, score int) string {
	u := strings.TrimRight(s.deps.Cfg.BaseURL, "/") + feedbackPath + raw
	if score >= 1 && score <= 5 {
		u += fmt.Sprintf("?score=%d", score)
	}
	return u
}

// FeedbackSig binds the rating form to its own link: on a page that needs no
// sign-in it stands in for the session's CSRF token.
func (s *Service) FeedbackSig(raw string) string {
	return linktoken.FormSig(s.deps.Cfg.Secret, "training-feedback", raw)
}

// FeedbackSigOK reports whether sig is the rating form's signature for raw.
func (s *Service) FeedbackSigOK(raw, sig string) bool {
	return linktoken.CheckFormSig(s.deps.Cfg.Secret, "training-feedback", raw, sig)
}

// FeedbackView is what a feedback link's page shows.
type FeedbackView struct {
	State            string
	TitleHU, TitleEN string
	FirstDay         calendar.Date
	LastDay          calendar.Date
	Lang             string    // the participant's language, for the page
	Feedback         *Feedback // once rated
}

// Title is the training's title in lang.
func (v *FeedbackView) Title(lang string) string {
	return (&Training{TitleHU: v.TitleHU, TitleEN: v.TitleEN}).Title(lang)
}

// Days are the session's days in lang ("12–14 Jan 2027").
func (v *FeedbackView) Days(lang string) string {
	return i18n.FormatDateRange(lang, v.FirstDay.Start(time.UTC), v.LastDay.Start(time.UTC))
}

// FeedbackLinkView looks a link up without changing anything: mail
// scanners open links, so a GET never rates.
func (s *Service) FeedbackLinkView(ctx context.Context, raw string) (*FeedbackView, error) {
	v, _, err := s.feedbackView(s.db.R.WithContext(ctx), raw)
	return v, err
}

// feedbackView reads link raw, its place, session and any rating through q.
func (s *Service) feedbackView(q *gorm.DB, raw string) (*FeedbackView, *FeedbackLink, error) {
	var l FeedbackLink
	if found, err := linktoken.Find(q, &l, raw); err != nil || !found {
		return &FeedbackView{State: linktoken.Unknown}, nil, err
	}
	var row struct {
		PersonID         uint
		TitleHU, TitleEN string
		FirstDay         calendar.Date
		LastDay          calendar.Date
	}
	err := q.Table("training_enrolments AS e").Select("e.person_id, t.title_hu, t.title_en, s.first_day, s.last_day").
		Joins("JOIN training_sessions s ON s.id = e.session_id").
		Joins("JOIN training_trainings t ON t.id = e.training_id").
		Where("e.id = ?", l.EnrolmentID).Limit(1).Scan(&row).Error
	if err != nil {
		return nil, nil, err
	}
	if row.PersonID == 0 {
		return &FeedbackView{State: linktoken.Unknown}, nil, nil
	}
	v := &FeedbackView{TitleHU: row.TitleHU, TitleEN: row.TitleEN, FirstDay: row.FirstDay, LastDay: row.LastDay}
	if r, err := people.RecipientOf(q, s.deps.Cfg.Lang, row.PersonID); err != nil {
		return nil, nil, err
	} else if r != nil {
		v.Lang = r.Lang
	}
	var fs []Feedback
	if err := q.Where("enrolment_id = ?", l.EnrolmentID).Limit(1).Find(&fs).Error; err != nil {
		return nil, nil, err
	}
	if len(fs) == 1 {
		v.Feedback = &fs[0]
	}
	switch tok := l.State(s.now()); {
	case v.Feedback != nil || tok == linktoken.Used:
		v.State = FeedbackDone
	default:
		v.State = tok
	}
	return v, &l, nil
}

// RecordFeedback records the participant's score (1–5) and comment through
// link raw, once: the link is used in the same transaction and the place
// holds one rating, so of two presses one rates and the other finds it
// rated (ErrFeedbackLink; the view says why). ip goes into the audit row.
func (s *Service) RecordFeedback(ctx context.Context, raw string, score int, comment, ip string) (*FeedbackView, error) {
	comment = strings.TrimSpace(comment)
	var bad []error
	if score < 1 || score > 5 {
		bad = append(bad, ErrFeedbackScore)
	}
	if !web.ValidText(comment, maxFeedbackComment) {
		bad = append(bad, ErrFeedbackComment)
	}
	var view *FeedbackView
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		v, l, err := s.feedbackView(tx, raw)
		if err != nil {
			return err
		}
		view = v
		if v.State != linktoken.Valid {
			return ErrFeedbackLink
		}
		if len(bad) > 0 {
			return errors.Join(bad...)
		}
		now := s.now().UTC()
		ok, err := linktoken.Use(tx, &FeedbackLink{}, l.ID, now)
		if err != nil {
			return err
		}
		if !ok {
			v.State = FeedbackDone
			return ErrFeedbackLink
		}
		f := &Feedback{EnrolmentID: l.EnrolmentID, Score: score, Comment: comment, CreatedAt: now}
		if err := tx.Create(f).Error; err != nil {
			return err
		}
		var personID uint
		if err := tx.Model(&Enrolment{}).Where("id = ?", l.EnrolmentID).Pluck("person_id", &personID).Error; err != nil {
			return err
		}
		who := actor.Actor{ID: personID, IP: ip, Channel: actor.ChannelEmail}
		if p, err := people.RecipientOf(tx, "", personID); err != nil {
			return err
		} else if p != nil {
			who.Name = p.Name
		}
		if err := audit.Record(tx, who, "training.feedback", EnrolmentEntity, l.EnrolmentID, nil,
			map[string]any{"score": score, "comment": comment != ""}); err != nil {
			return err
		}
		v.Feedback, v.State = f, FeedbackDone
		return nil
	})
	return view, err
}
