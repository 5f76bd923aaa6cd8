package training

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleFeedbackSave records the rating when the participant presses the
// button. The form must carry its own link's signature (it stands in for
// the CSRF token); a bad score or comment shows the form again with what
// was typed, by its field.
func (m *Module) handleFeedbackSave(c *fiber.Ctx) error {
	token := c.Params("token")
	score, _ := strconv.Atoi(c.FormValue("score"))
	form := feedbackForm{Score: score, Comment: c.FormValue("comment")}
	if !m.svc.FeedbackSigOK(token, c.FormValue("sig")) {
		v, err := m.svc.FeedbackLinkView(c.UserContext(), token)
		if err != nil {
			return err
		}
		errs := web.Errors{}
		errs.Add("", "training.feedback.err.form")
		return m.renderFeedback(c, token, v, form, errs, false, fiber.StatusBadRequest)
	}
	v, err := m.svc.RecordFeedback(c.UserContext(), token, score, form.Comment, web.ClientIP(c))
	switch {
	case err == nil:
		return c.Redirect(feedbackPath+token+"?done=1", fiber.StatusSeeOther)
	case v == nil:
		return err
	case errors.Is(err, ErrFeedbackLink):
		return m.renderFeedback(c, token, v, form, nil, false, 0)
	case errors.Is(err, ErrFeedbackScore), errors.Is(err, ErrFeedbackComment):
		errs := web.Errors{}
		if errors.Is(err, ErrFeedbackScore) {
			errs.Add("score", "training.feedback.err.score")
		}
		if errors.Is(err, ErrFeedbackComment) {
			errs.Add("comment", "training.feedback.err.comment")
		}
		return m.renderFeedback(c, token, v, form, errs, false, fiber.StatusUnprocessableEntity)
	}
	return err
}
