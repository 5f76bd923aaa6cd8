package training

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// cardDays is how far ahead the start page looks for the viewer's sessions.
const cardDays = 14

// Upcoming is a session the person holds a seat on, or waits for, soon.
type Upcoming struct {
	EnrolmentID uint
	Status      string
	Training    Training
	Session     Session
}

// UpcomingOf lists personID's sessions starting from today to days ahead
// (or running today), enrolled or waiting, soonest first.
func (s *Service) UpcomingOf(ctx context.Context, personID uint, days int) ([]Upcoming, error) {
	today := s.today()
	var rows []struct {
		EnrolmentID uint
		Status      string
		SessionID   uint
	}
	err := s.db.R.WithContext(ctx).Table("training_enrolments AS e").
		Select("e.id AS enrolment_id, e.status, e.session_id").
		Joins("JOIN training_sessions AS ss ON ss.id = e.session_id").
		Where("e.person_id = ? AND e.status IN ? AND ss.status = ? AND ss.last_day >= ? AND ss.first_day <= ?",
			personID, []string{EnrolEnrolled, EnrolWaiting}, SessionScheduled, today, today.AddDays(days)).
		Order("ss.first_day, ss.from_min, e.id").Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.SessionID
	}
	var sessions []Session
	if err := s.db.R.WithContext(ctx).Where("id IN ?", ids).Find(&sessions).Error; err != nil {
		return nil, err
	}
	bySession := map[uint]Session{}
	var trainingIDs []uint
	for _, ses := range sessions {
		bySession[ses.ID] = ses
		trainingIDs = append(trainingIDs, ses.TrainingID)
	}
	var trainings []Training
	if err := s.db.R.WithContext(ctx).Where("id IN ?", trainingIDs).Find(&trainings).Error; err != nil {
		return nil, err
	}
	byTraining := map[uint]Training{}
	for _, t := range trainings {
		byTraining[t.ID] = t
	}
	out := make([]Upcoming, len(rows))
	for i, r := range rows {
		ses := bySession[r.SessionID]
		out[i] = Upcoming{EnrolmentID: r.EnrolmentID, Status: r.Status, Session: ses, Training: byTraining[ses.TrainingID]}
	}
	err = s.showRoomNames(ctx, len(out), func(i int) (*uint, *string) { return out[i].Session.RoomID, &out[i].Session.Place })
	return out, err
}

// card is the training part of the start page: the viewer's sessions in
// the next two weeks, a waiting place marked as such.
func (m *Module) card(c *fiber.Ctx) (*web.Card, error) {
	a := web.ActorOf(c)
	if a.ID == 0 {
		return nil, nil
	}
	soon, err := m.svc.UpcomingOf(c.UserContext(), a.ID, cardDays)
	if err != nil || len(soon) == 0 {
		return nil, err
	}
	lang, year := web.LangOf(c), calendar.DateOf(m.svc.now(), m.svc.deps.Cfg.TZ).Year
	card := &web.Card{Order: 45, Title: web.T(c, "training.card.title"), Link: "/training", LinkText: web.T(c, "training.card.link")}
	for _, u := range soon {
		item := web.CardItem{When: u.Session.When(lang, year), Text: u.Training.Title(lang), Detail: u.Session.Place,
			Link: "/training/enrolments/" + web.FormatID(u.EnrolmentID)}
		if u.Status == EnrolWaiting {
			item.Badge, item.BadgeClass = web.T(c, "training.card.waiting"), "badge-warning"
		}
		card.Items = append(card.Items, item)
	}
	return card, nil
}
